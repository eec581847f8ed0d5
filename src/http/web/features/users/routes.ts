/**
 * Users of a partnership, for its administrators: the list with pending invitations, and adding people or inviting
 * them by link. One user's role and removal are in memberRoutes.ts; accepting an invitation in invitationRoutes.ts.
 */
import type { FastifyInstance } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { ROLE_LABELS } from '../../../../presentation/labels.ts';
import { inviteUser, listMembers, listPendingInvitations } from '../../../../services/partnerships/members.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { base, crumbs, invitePage } from './pages.ts';
import { memberRoutes } from './memberRoutes.ts';
import { invitationRoutes } from './invitationRoutes.ts';

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

  app.get('/partnerships/:partnershipId/users/invite', { config: { auth: 'member.manage' } }, async (request, reply) =>
    invitePage(request, reply, { role: 'viewer' }),
  );

  app.post('/partnerships/:partnershipId/users/invite', { config: { auth: 'member.manage' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      const result = await inviteUser(db.kysely, actorOf(request.user!), request.user!, request.access!.partnership.id, body, {
        baseUrl: config.baseUrl,
      });
      if (result.kind === 'added')
        return reply
          .flash(`${result.member.email} has been added as ${ROLE_LABELS[result.member.role].toLowerCase()}`)
          .redirect(base(request), 303);
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

  await memberRoutes(app, services);
  await invitationRoutes(app, services);
}
