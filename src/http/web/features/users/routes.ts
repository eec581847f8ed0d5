/**
 * Users of a partnership, for its administrators: roles, adding people or inviting them by link, role changes and
 * removal. Accepting an invitation is in invitationRoutes.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { ROLES } from '../../../../adapters/database/schema.ts';
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from '../../../../services/partnerships/authorisation.ts';
import { changeRole, getMember, inviteUser, listMembers, listPendingInvitations, removeMember, type Member } from '../../../../services/partnerships/members.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import { invitationRoutes } from './invitationRoutes.ts';

const roleItems = ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r], hint: { text: ROLE_DESCRIPTIONS[r] } }));

const base = (request: FastifyRequest) => `/partnerships/${request.access!.partnership.id}/users`;
const crumbs = (request: FastifyRequest) => [
  { text: 'Home', href: '/' },
  { text: request.access!.partnership.name, href: `/partnerships/${request.access!.partnership.id}` },
  { text: 'Users', href: base(request) },
];
const userId = (request: FastifyRequest) => assertValidId((request.params as { userId: string }).userId, 'User');

/** One user's page (role and removal), with the values entered and the problems when a change was refused. */
function memberPage(request: FastifyRequest, reply: FastifyReply, member: Member, values: Record<string, unknown>, errors?: unknown, status = 200) {
  return reply.render('features/users/member.njk', { title: member.name, section: 'users', breadcrumbs: crumbs(request), member, roleItems, values, errors, base: base(request) }, status);
}

/** The form to add or invite someone. */
function invitePage(request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors?: unknown, status = 200) {
  return reply.render('features/users/invite.njk', { title: 'Add a user', section: 'users', breadcrumbs: crumbs(request), roleItems, values, errors, action: `${base(request)}/invite` }, status);
}

export async function userRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  const { db, config } = services;

  app.get('/partnerships/:partnershipId/users', { config: { auth: 'member.manage' } }, async (request, reply) =>
    reply.render('features/users/list.njk', {
      title: 'Users',
      section: 'users',
      breadcrumbs: crumbs(request).slice(0, 2),
      members: await listMembers(db.kysely, request.access!.partnership.id),
      invitations: await listPendingInvitations(db.kysely, request.access!.partnership.id),
      roleLabels: ROLE_LABELS,
      base: base(request),
    }),
  );

  app.get('/partnerships/:partnershipId/users/invite', { config: { auth: 'member.manage' } }, async (request, reply) => invitePage(request, reply, { role: 'viewer' }));

  app.post('/partnerships/:partnershipId/users/invite', { config: { auth: 'member.manage' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      const result = await inviteUser(db.kysely, actorOf(request.user!), request.user!, request.access!.partnership.id, body);
      if (result.kind === 'added') return reply.flash(`${result.member.email} has been added as ${ROLE_LABELS[result.member.role].toLowerCase()}`).redirect(base(request), 303);
      return reply.render('features/users/invited.njk', {
        title: 'Invitation created',
        section: 'users',
        breadcrumbs: crumbs(request),
        invitation: result.invitation,
        roleLabel: ROLE_LABELS[result.invitation.role],
        link: `${config.baseUrl}/invitations/${result.token}`,
        base: base(request),
      });
    } catch (e) {
      if (e instanceof ValidationError) return invitePage(request, reply, body, e.errors, 400);
      throw e;
    }
  });

  app.get('/partnerships/:partnershipId/users/:userId', { config: { auth: 'member.manage' } }, async (request, reply) => {
    const member = await getMember(db.kysely, request.access!.partnership.id, userId(request));
    return memberPage(request, reply, member, { role: member.role });
  });

  app.post('/partnerships/:partnershipId/users/:userId/role', { config: { auth: 'member.manage' } }, async (request, reply) => {
    const id = userId(request);
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      const m = await changeRole(db.kysely, actorOf(request.user!), request.access!.partnership.id, id, body.role);
      return reply.flash(`${m.name} is now ${ROLE_LABELS[m.role].toLowerCase()}`).redirect(base(request), 303);
    } catch (e) {
      if (e instanceof ValidationError) return memberPage(request, reply, await getMember(db.kysely, request.access!.partnership.id, id), body, e.errors, 400);
      throw e;
    }
  });

  app.post('/partnerships/:partnershipId/users/:userId/remove', { config: { auth: 'member.manage' } }, async (request, reply) => {
    const id = userId(request);
    try {
      const member = await removeMember(db.kysely, actorOf(request.user!), request.access!.partnership.id, id);
      return reply.flash(`${member.name} has been removed from the partnership`).redirect(base(request), 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const member = await getMember(db.kysely, request.access!.partnership.id, id);
      return memberPage(request, reply, member, { role: member.role }, e.errors, 400);
    }
  });

  await invitationRoutes(app, services);
}
