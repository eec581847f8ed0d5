/** /health: database reachability and migration state, for load balancers and operators. */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { isReachable } from '../../../../adapters/database/database.ts';
import { migrationState } from '../../../../adapters/database/migrate.ts';

export async function healthRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  // Applied migrations only ever grow and this process's list is fixed, so once nothing is pending that stays
  // true: remember it rather than reading the schema tables on every probe. Reachability is checked every time.
  let upToDate: { applied: string[]; pending: string[] } | null = null;
  app.get('/health', { config: { auth: 'public' } }, async (_request, reply) => {
    const reachable = await isReachable(db);
    let migrations: { applied: string[]; pending: string[] } | { error: string };
    try {
      migrations = !reachable ? { error: 'database unreachable' } : (upToDate ?? (await migrationState(db)));
      if ('pending' in migrations && migrations.pending.length === 0) upToDate = migrations;
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
