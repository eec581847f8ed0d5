/**
 * Health and metrics for load balancers, orchestrators and Prometheus (issue 19):
 * - /health/live: the process is up and answering (liveness: restart it if not).
 * - /health/ready: the database answers and every migration is applied (readiness: send it traffic only if so).
 *   While the app is stopping (SIGTERM) new requests get 503, so it drops out of the load balancer.
 * - /health: the readiness check with details, as before.
 * - /metrics: Prometheus metrics, with `Authorization: Bearer <METRICS_TOKEN>`; 404 when no token is set.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { healthCheck } from '../../../../services/platform/health.ts';

/** Public, and not matched to a user: a session cookie must not make a probe read the (perhaps unreachable) database. */
const PROBE = { auth: 'public', identity: false } as const;

const digest = (s: string) => createHash('sha256').update(s).digest();

export async function healthRoutes(app: FastifyInstance, { db, config }: AppServices): Promise<void> {
  const check = healthCheck(db);
  app.get('/health', { config: PROBE }, async (_request, reply) => {
    const { ok, database, migrations } = await check();
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', database, migrations });
  });
  app.get('/health/live', { config: PROBE }, async (_request, reply) => reply.send({ status: 'ok' }));
  app.get('/health/ready', { config: PROBE }, async (_request, reply) => {
    const { ok, database, migrations } = await check();
    const pending = 'pending' in migrations ? migrations.pending.length : null;
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', database: database.reachable, pendingMigrations: pending });
  });

  const token = config.metricsToken;
  app.get('/metrics', { config: PROBE }, async (request, reply) => {
    if (!token) return reply.callNotFound();
    const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    if (!timingSafeEqual(digest(given), digest(token))) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').send({ error: 'A valid metrics token is required' });
    }
    const { contentType, body } = await app.metrics.text();
    return reply.type(contentType).send(body);
  });
}
