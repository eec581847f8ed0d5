/**
 * Builds the CSP Hub web application. Reads as a table of contents: each concern is one set-up function in
 * src/http/setup/, in the order a request meets them; then the pages (src/http/web) and the API (src/http/api)
 * side by side. Fastify's type additions are in fastify.d.ts.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppServices } from './context.ts';
import { requireRouteAuth, type RouteRecord } from './setup/routeAuth.ts';
import { setUpBackgroundWork } from './setup/backgroundWork.ts';
import { logContextMixin, requestIdGenerator, setUpOperations } from './setup/operations.ts';
import { BODY_LIMIT, setUpWebSecurity } from './setup/webSecurity.ts';
import { setUpCompression, setUpStaticFiles } from './setup/staticFiles.ts';
import { setUpViews } from './setup/views.ts';
import { setUpIdentity } from './setup/identity.ts';
import { setUpAuthorisation } from './setup/authorisation.ts';
import { setUpErrorPages } from './setup/errorPages.ts';
import { sharedSchemaCompilers } from './setup/schemaCompilers.ts';
import { webRoutes } from './web/routes.ts';
import { apiRoutes } from './api/v1/routes.ts';

export type { RouteRecord };

export async function buildApp(
  services: AppServices,
  options: { logger?: boolean; logStream?: NodeJS.WritableStream } = {},
): Promise<FastifyInstance & { routeRecords: RouteRecord[] }> {
  const { config } = services;
  const app = Fastify({
    // JSON lines (pino), each naming its request id, and the job it belongs to for background work.
    logger:
      options.logger || options.logStream
        ? { level: config.logLevel, mixin: logContextMixin, ...(options.logStream ? { stream: options.logStream } : {}) }
        : false,
    genReqId: requestIdGenerator(config.trustedProxies),
    // X-Forwarded-For is believed only from the configured reverse proxies (TRUSTED_PROXIES): from anyone else it
    // could name any address and slip past the sign-in limits.
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
    bodyLimit: BODY_LIMIT,
    // Slow or stalled clients cannot hold connections for ever: a whole request must arrive within
    // REQUEST_TIMEOUT_SECONDS (checked often enough to matter), a silent connection is closed, and kept-alive
    // connections wait a limited time for their next request. The body-rate check cuts off trickles sooner.
    requestTimeout: config.requestTimeoutSeconds * 1000,
    connectionTimeout: config.connectionTimeoutSeconds * 1000,
    keepAliveTimeout: config.keepAliveTimeoutSeconds * 1000,
    http: {
      headersTimeout: Math.min(60_000, config.requestTimeoutSeconds * 1000),
      connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor((config.requestTimeoutSeconds * 1000) / 4))),
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
    schemaController: { compilersFactory: sharedSchemaCompilers },
  }) as unknown as FastifyInstance & { routeRecords: RouteRecord[] };

  requireRouteAuth(app);
  setUpOperations(app, services);
  setUpBackgroundWork(app, services);
  await setUpWebSecurity(app, config);
  const assets = await setUpStaticFiles(app);
  setUpViews(app, services, assets);
  await setUpCompression(app);
  setUpIdentity(app, services);
  setUpAuthorisation(app, services);
  setUpErrorPages(app);

  await app.register(async (scope) => webRoutes(scope, services));
  await app.register(async (scope) => apiRoutes(scope, services), { prefix: '/api/v1' });
  return app;
}
