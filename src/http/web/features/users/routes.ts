/** Users of a partnership: roles, invitations by link, role changes and removal; accepting an invitation. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { ROLES } from '../../../../adapters/database/schema.ts';
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from '../../../../services/partnerships/authorisation.ts';
import { acceptInvitation, changeRole, findInvitation, getMember, inviteUser, listMembers, listPendingInvitations, removeMember } from '../../../../services/partnerships/members.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import { startSession } from '../sign-in/sessionCookie.ts';

const roleItems = ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r], hint: { text: ROLE_DESCRIPTIONS[r] } }));

export async function userRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  const { db, config } = services;
  const base = (request: FastifyRequest) => `/partnerships/${request.access!.partnership.id}/users`;
  const crumbs = (request: FastifyRequest) => [
    { text: 'Home', href: '/' },
    { text: request.access!.partnership.name, href: `/partnerships/${request.access!.partnership.id}` },
    { text: 'Users', href: base(request) },
  ];
  const userId = (request: FastifyRequest) => assertValidId((request.params as { userId: string }).userId, 'User');

  const listPage = async (request: FastifyRequest, extra: Record<string, unknown> = {}) => ({
    title: 'Users',
    section: 'users',
    breadcrumbs: crumbs(request).slice(0, 2),
    members: await listMembers(db.kysely, request.access!.partnership.id),
    invitations: await listPendingInvitations(db.kysely, request.access!.partnership.id),
    roleLabels: ROLE_LABELS,
    base: base(request),
    ...extra,
  });

  app.get('/partnerships/:partnershipId/users', { config: { auth: 'member.manage' } }, async (request, reply) => reply.render('features/users/list.njk', await listPage(request)));

  app.get('/partnerships/:partnershipId/users/invite', { config: { auth: 'member.manage' } }, async (request, reply) =>
    reply.render('features/users/invite.njk', { title: 'Add a user', section: 'users', breadcrumbs: crumbs(request), roleItems, values: { role: 'viewer' }, action: `${base(request)}/invite` }),
  );

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
      if (e instanceof ValidationError)
        return reply.render('features/users/invite.njk', { title: 'Add a user', section: 'users', breadcrumbs: crumbs(request), roleItems, values: body, errors: e.errors, action: `${base(request)}/invite` }, 400);
      throw e;
    }
  });

  app.get('/partnerships/:partnershipId/users/:userId', { config: { auth: 'member.manage' } }, async (request, reply) => {
    const member = await getMember(db.kysely, request.access!.partnership.id, userId(request));
    return reply.render('features/users/member.njk', { title: member.name, section: 'users', breadcrumbs: crumbs(request), member, roleItems, values: { role: member.role }, base: base(request) });
  });

  app.post('/partnerships/:partnershipId/users/:userId/role', { config: { auth: 'member.manage' } }, async (request, reply) => {
    const id = userId(request);
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      const m = await changeRole(db.kysely, actorOf(request.user!), request.access!.partnership.id, id, body.role);
      return reply.flash(`${m.name} is now ${ROLE_LABELS[m.role].toLowerCase()}`).redirect(base(request), 303);
    } catch (e) {
      if (e instanceof ValidationError) {
        const member = await getMember(db.kysely, request.access!.partnership.id, id);
        return reply.render('features/users/member.njk', { title: member.name, section: 'users', breadcrumbs: crumbs(request), member, roleItems, values: body, errors: e.errors, base: base(request) }, 400);
      }
      throw e;
    }
  });

  app.post('/partnerships/:partnershipId/users/:userId/remove', { config: { auth: 'member.manage' } }, async (request, reply) => {
    const id = userId(request);
    const member = await getMember(db.kysely, request.access!.partnership.id, id);
    try {
      await removeMember(db.kysely, actorOf(request.user!), request.access!.partnership.id, id);
    } catch (e) {
      if (e instanceof ValidationError)
        return reply.render('features/users/member.njk', { title: member.name, section: 'users', breadcrumbs: crumbs(request), member, roleItems, values: { role: member.role }, errors: e.errors, base: base(request) }, 400);
      throw e;
    }
    return reply.flash(`${member.name} has been removed from the partnership`).redirect(base(request), 303);
  });

  // Accepting an invitation: the link is the credential, so these pages are public.
  app.get('/invitations/:token', { config: { auth: 'public' } }, async (request, reply) => {
    const token = (request.params as { token: string }).token;
    const inv = await findInvitation(db.kysely, token);
    if (!inv) return reply.render('features/users/invitation-invalid.njk', { title: 'This invitation cannot be used' }, 404);
    return reply.render('features/users/accept.njk', { title: 'Accept your invitation', invitation: inv, values: { name: inv.name }, action: `/invitations/${token}` });
  });

  app.post('/invitations/:token', { config: { auth: 'public' } }, async (request, reply) => {
    const token = (request.params as { token: string }).token;
    const inv = await findInvitation(db.kysely, token);
    if (!inv) return reply.render('features/users/invitation-invalid.njk', { title: 'This invitation cannot be used' }, 404);
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      const user = await acceptInvitation(db.kysely, token, body);
      await startSession(services, reply, user.id);
      return reply.flash(`Welcome to CSP Hub. You have joined ${inv.partnership_name}.`).redirect(`/partnerships/${inv.partnership_id}`, 303);
    } catch (e) {
      if (e instanceof ValidationError)
        return reply.render('features/users/accept.njk', { title: 'Accept your invitation', invitation: inv, values: body, errors: e.errors, action: `/invitations/${token}` }, 400);
      throw e;
    }
  });
}
