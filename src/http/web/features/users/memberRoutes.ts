/** One user of a partnership, for its administrators: their page, changing their role, removing them. */
import type { FastifyInstance } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { ROLE_LABELS } from '../../../../presentation/labels.ts';
import { changeRole, getMember, removeMember } from '../../../../services/partnerships/members.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { base, memberPage, userId } from './pages.ts';

export async function memberRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
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
      if (e instanceof ValidationError)
        return memberPage(request, reply, await getMember(db.kysely, request.access!.partnership.id, id), body, e.errors, 400);
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
}
