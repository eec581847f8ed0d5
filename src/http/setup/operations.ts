/**
 * What operators see of each request (issue 19): a request id on every log line and in the `X-Request-Id` response
 * header, the request's log context carried into services and the background work it starts, and Prometheus
 * metrics (src/adapters/metrics/metrics.ts) of every answered request by route pattern.
 *
 * The request id is the `X-Request-Id` a trusted reverse proxy sent (TRUSTED_PROXIES, as for X-Forwarded-For), so a
 * request can be followed from the proxy's log into the app's; from anyone else the header is ignored, since a
 * client could otherwise plant misleading ids in the logs. Otherwise the app makes a random one.
 */
import { randomUUID } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { withLogContext, currentLogContext } from '../../adapters/logContext.ts';
import { AppMetrics } from '../../adapters/metrics/metrics.ts';
import { documentQueueStats } from '../../services/documents/documentJobs.ts';
import { jobQueueStats } from '../../adapters/jobs/jobQueue.ts';
import type { AppServices } from '../context.ts';

/** A request id we accept from a proxy: short, and only characters safe in a log line and a header. */
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,100}$/;

/** The names proxy-addr (and so Fastify's trustProxy) accepts, as address ranges. */
const NAMED_RANGES: Record<string, [string, number, 'ipv4' | 'ipv6'][]> = {
  loopback: [
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ],
  linklocal: [
    ['169.254.0.0', 16, 'ipv4'],
    ['fe80::', 10, 'ipv6'],
  ],
  uniquelocal: [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['fc00::', 7, 'ipv6'],
  ],
};

/** Whether an address is one of the trusted proxies (TRUSTED_PROXIES, already checked by src/config.ts). */
export function trustedProxyCheck(entries: readonly string[]): (address: string | undefined) => boolean {
  if (!entries.length) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    for (const [address, prefix, family] of NAMED_RANGES[entry] ?? []) list.addSubnet(address, prefix, family);
    if (NAMED_RANGES[entry]) continue;
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return (address) => {
    if (!address) return false;
    // An IPv4 client on a dual-stack socket appears as ::ffff:a.b.c.d.
    const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    if (v4) return list.check(v4, 'ipv4') || list.check(address, 'ipv6');
    return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  };
}

/** Fastify's genReqId: the trusted proxy's X-Request-Id, or a new random id. */
export function requestIdGenerator(trustedProxies: readonly string[]): (req: IncomingMessage) => string {
  const trusted = trustedProxyCheck(trustedProxies);
  return (req) => {
    const header = req.headers['x-request-id'];
    if (typeof header === 'string' && REQUEST_ID.test(header) && trusted(req.socket.remoteAddress)) return header;
    return randomUUID();
  };
}

/**
 * The logger's mixin: every log line gets the request id and job of the code that wrote it, such as a service's
 * line written through the app's logger while serving a request, or a background job's. A request's own logger
 * (request.log) names its id already and is left as it is.
 */
export function logContextMixin(_merge: object, _level: number, logger: { bindings(): Record<string, unknown> }): Record<string, string> {
  const { reqId, job } = currentLogContext();
  if (!reqId && !job) return {};
  const out: Record<string, string> = job ? { job } : {};
  if (reqId && !('reqId' in logger.bindings())) out.reqId = reqId;
  return out;
}

export function setUpOperations(app: FastifyInstance, { db }: AppServices): void {
  const metrics = new AppMetrics({
    pool: db.poolStats,
    documentQueue: () => documentQueueStats(db.kysely),
    jobQueue: () => jobQueueStats(db.kysely),
  });
  app.decorate('metrics', metrics);

  // Everything this request runs from here on (hooks, handler, services, the jobs it starts) logs its id.
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    withLogContext({ reqId: request.id }, done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern (/partnerships/:partnershipId/...), never the path itself: one series per route.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
