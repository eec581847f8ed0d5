/** The platform administrators' outbox: the latest jobs and the emails sent or logged (decision 0023). */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { outbox } from '../../../../services/cycle/reminders.ts';

export async function outboxRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  app.get('/admin/outbox', { config: { auth: 'platform-admin' } }, async (_request, reply) => {
    const { emails, jobs } = await outbox(db.kysely);
    return reply.render('features/cycle/outbox.njk', {
      title: 'Jobs and emails',
      breadcrumbs: [{ text: 'Home', href: '/' }],
      emails,
      jobs,
    });
  });
}
