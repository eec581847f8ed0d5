/** The start page: what CSP Hub is for, and where a signed-in user goes next. */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { partnershipsForUser } from '../../../../services/partnerships/partnerships.ts';

export async function homeRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  app.get('/', { config: { auth: 'public' } }, async (request, reply) => {
    if (request.user) {
      const mine = await partnershipsForUser(db.kysely, request.user);
      const current = mine.find((p) => p.id === request.currentPartnershipId) ?? (mine.length === 1 ? mine[0] : undefined);
      if (current) return reply.redirect(`/partnerships/${current.id}`, 303);
      return reply.redirect('/partnerships', 303);
    }
    return reply.render('features/home/start.njk', { title: 'CSP Hub' });
  });
}
