/** /health: database reachability and migration state, for load balancers and operators. */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../context.ts';
import { isReachable } from '../../../db/database.ts';
import { migrationState } from '../../../db/migrate.ts';

export async function healthRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  app.get('/health', { config: { auth: 'public' } }, async (_request, reply) => {
    const reachable = await isReachable(db);
    let migrations: { applied: string[]; pending: string[] } | { error: string };
    try {
      migrations = reachable ? await migrationState(db) : { error: 'database unreachable' };
    } catch (e) {
      migrations = { error: (e as Error).message };
    }
    const ok = reachable && 'pending' in migrations && migrations.pending.length === 0;
    return reply.code(ok ? 200 : 503).send({
      status: ok ? 'ok' : 'unavailable',
      database: { engine: db.engine, reachable },
      migrations,
    });
  });
}
