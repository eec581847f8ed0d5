/** /health: database reachability and migration state (src/services/platform/health.ts), 200 or 503. */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { healthCheck } from '../../../../services/platform/health.ts';

export async function healthRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const check = healthCheck(db);
  app.get('/health', { config: { auth: 'public' } }, async (_request, reply) => {
    const { ok, database, migrations } = await check();
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', database, migrations });
  });
}
