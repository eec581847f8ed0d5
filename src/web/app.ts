/**
 * Builds the CSP Hub web application. Reads like a table of contents: security headers, cookies and forms,
 * static files, views, identity, authorisation and CSRF, feature routes, the API, not-found and error pages.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import { can, ACTIONS } from '../services/authorisation.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../services/errors.ts';
import { assertValidId, partnershipAccess } from '../services/partnerships.ts';
import { isDatabaseUnavailable, isWriteConflict } from '../db/database.ts';
import { findSession } from '../services/sessions.ts';
import { userForToken } from '../services/apiTokens.ts';
import type { AppServices, RouteAuth } from './context.ts';
import { createViews } from './views.ts';
import { makePageHtml, makeRender, setFlash } from './render.ts';
import { registerTableDownloads } from './tableDownloads.ts';
import { contentSecurityPolicy, csrfTokenFor, csrfValid, ensureBrowserKey, guardBodyRate, newNonce, PERMISSIONS_POLICY, SESSION_COOKIE, CSRF_COOKIE } from './security.ts';
import { healthRoutes } from './features/health/routes.ts';
import { homeRoutes } from './features/home/routes.ts';
import { signInRoutes } from './features/sign-in/routes.ts';
import { accountRoutes } from './features/account/routes.ts';
import { partnershipRoutes } from './features/partnerships/routes.ts';
import { planRoutes } from './features/plans/routes.ts';
import { organisationRoutes } from './features/organisations/routes.ts';
import { userRoutes } from './features/users/routes.ts';
import { auditRoutes } from './features/audit/routes.ts';
import { performanceRoutes } from './features/performance/routes.ts';
import { assessmentRoutes } from './features/assessment/routes.ts';
import { reportRoutes } from './features/reports/routes.ts';
import { commentaryRoutes } from './features/commentary/routes.ts';
import { highlightReportRoutes } from './features/highlight-reports/routes.ts';
import { exportRoutes } from './features/exports/routes.ts';
import { transferRoutes } from './features/transfer/routes.ts';
import { apiRoutes } from '../api/v1/routes.ts';
import { PdfPrinter } from '../reports/pdf.ts';
import { DocumentRunner } from '../reports/documentRunner.ts';
import { reviewRoutes } from './features/reviews/routes.ts';
import { documentRoutes } from './features/documents/routes.ts';
import { CrimeData } from '../assessment/crimeData.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export class SignInRequired extends Error {}

export interface RouteRecord {
  method: string;
  url: string;
  auth: RouteAuth;
}

export async function buildApp(services: AppServices, options: { logger?: boolean } = {}): Promise<FastifyInstance & { routeRecords: RouteRecord[] }> {
  const { db, config } = services;
  const app = Fastify({
    logger: options.logger ? { level: config.logLevel } : false,
    // X-Forwarded-For is believed only from the configured reverse proxies (TRUSTED_PROXIES): from anyone else it
    // could name any address and slip past the sign-in limits.
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
    bodyLimit: 1_048_576,
    // Slow or stalled clients cannot hold connections for ever: a whole request must arrive within
    // REQUEST_TIMEOUT_SECONDS (checked often enough to matter), a silent connection is closed, and kept-alive
    // connections wait a limited time for their next request. The body-rate check below cuts off trickles sooner.
    requestTimeout: config.requestTimeoutSeconds * 1000,
    connectionTimeout: config.connectionTimeoutSeconds * 1000,
    keepAliveTimeout: config.keepAliveTimeoutSeconds * 1000,
    http: {
      headersTimeout: Math.min(60_000, config.requestTimeoutSeconds * 1000),
      connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor((config.requestTimeoutSeconds * 1000) / 4))),
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  }) as unknown as FastifyInstance & { routeRecords: RouteRecord[] };

  // Every route must say who may call it; fail closed at start-up when one does not.
  const routeRecords: RouteRecord[] = [];
  app.decorate('routeRecords', routeRecords);
  app.addHook('onRoute', (route) => {
    const auth = (route.config)?.auth;
    if (route.url.startsWith('/public/')) return;
    if (auth === undefined) throw new Error(`Route ${String(route.method)} ${route.url} has no config.auth`);
    if (!['public', 'signed-in', 'platform-admin'].includes(auth) && !(ACTIONS as readonly string[]).includes(auth)) throw new Error(`Route ${route.url}: unknown auth ${auth}`);
    for (const m of ([] as string[]).concat(route.method)) if (m !== 'HEAD') routeRecords.push({ method: m, url: route.url, auth });
  });

  // PDF documents: one Chromium for the app, started on first use and closed with the app.
  const pdfPrinter = new PdfPrinter(config.chromiumPath);
  app.decorate('pdfPrinter', pdfPrinter);
  // Requested documents are generated in the background by whichever instance claims them first; a job whose
  // instance stopped is taken up again once its lease runs out.
  const documentRunner = new DocumentRunner(db.kysely, pdfPrinter, { ...config.documentJobs, log: (message, err) => app.log.error({ err }, message) });
  app.decorate('documentRunner', documentRunner);
  app.addHook('onReady', async () => documentRunner.start());
  app.addHook('onClose', async () => {
    await documentRunner.stop();
    await pdfPrinter.close();
  });

  // The police.uk analytical store (DuckDB), shared by the assessment pages and the API; opened on first use.
  // On start-up, uploads and unpacked archives left by a stopped process are removed once a day old.
  const crimeData = new CrimeData(config.crimeStorePath, config.policeDataDir, { log: (message, err) => app.log.error({ err }, message) });
  app.decorate('crimeData', crimeData);
  app.addHook('onReady', async () => void crimeData.removeLeftovers());
  app.addHook('onClose', async () => crimeData.close());

  // Security headers (CSP is set per request below, with its nonce).
  await app.register(helmet, { contentSecurityPolicy: false, strictTransportSecurity: config.secureCookies ? undefined : false, crossOriginEmbedderPolicy: false });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 1_048_576 });

  await app.register(fastifyStatic, { root: path.join(root, 'public'), prefix: '/public/', decorateReply: false, maxAge: '1h' });
  await app.register(fastifyStatic, {
    root: path.join(root, 'node_modules/govuk-frontend/dist/govuk'),
    prefix: '/public/govuk/',
    decorateReply: false,
    allowedPath: (p) => p === '/govuk-frontend.min.js' || p === '/govuk-frontend.min.js.map',
  });

  const views = createViews();
  app.decorate('views', views);
  app.decorateReply('render', makeRender(views, db.kysely));
  app.decorateReply('flash', function (this: import('fastify').FastifyReply, message: string) {
    setFlash(this, message, config.secureCookies);
    return this;
  });
  app.decorateRequest('user', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('currentPartnershipId', null);
  app.decorateRequest('access', null);
  app.decorateRequest('isApi', false);
  app.decorateRequest('cspNonce', '');
  app.decorateRequest('csrfToken', '');

  // A request body must keep arriving: less than UPLOAD_MIN_BYTES_PER_SECOND over a window is a slow-loris upload.
  if (config.uploadMinBytesPerSecond > 0) app.addHook('onRequest', async (request, reply) => guardBodyRate(request, reply, config));

  // Identity: a bearer token for the API, the session cookie for pages.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('Permissions-Policy', PERMISSIONS_POLICY);
    request.isApi = request.url.startsWith('/api/');
    if (request.url.startsWith('/public/')) return;
    request.cspNonce = newNonce();
    reply.header('Content-Security-Policy', contentSecurityPolicy(request.cspNonce));
    reply.header('Cache-Control', 'no-store');
    if (request.isApi) {
      const header = request.headers.authorization ?? '';
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (m) request.user = await userForToken(db.kysely, m[1]!);
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const s = await findSession(db.kysely, token);
      if (s) {
        request.user = s.user;
        request.sessionId = s.id;
        request.currentPartnershipId = s.currentPartnershipId;
      } else {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }
    const browserKey = ensureBrowserKey(request, reply, config.secureCookies);
    request.csrfToken = csrfTokenFor(config.sessionSecret, browserKey, request.sessionId);
  });

  // Authorisation and CSRF: after the body is parsed, before validation and any handler.
  app.addHook('preValidation', async (request) => {
    const auth = request.routeOptions.config.auth;
    if (auth === undefined) return; // static files and 404s
    if (!request.isApi && !['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
      const submitted = (request.body as Record<string, unknown> | undefined)?._csrf ?? request.headers['x-csrf-token'];
      if (!csrfValid(config.sessionSecret, request.cookies[CSRF_COOKIE], request.sessionId, submitted)) {
        throw new ForbiddenError('This form has expired or did not come from CSP Hub. Go back, refresh the page and try again.');
      }
    }
    if (auth === 'public') return;
    if (!request.user) throw new SignInRequired();
    if (auth === 'signed-in') return;
    if (auth === 'platform-admin') {
      if (!request.user.is_platform_admin) throw new ForbiddenError('Only a platform administrator can do that');
      return;
    }
    const params = request.params as Record<string, string | undefined>;
    if (params.partnershipId === undefined) throw new Error(`Route ${request.routeOptions.url} needs :partnershipId for ${auth}`);
    const partnershipId = assertValidId(params.partnershipId, 'Partnership');
    // Role, partnership and its data version in one query.
    const access = await partnershipAccess(db.kysely, request.user, partnershipId);
    // Outsiders are told the partnership does not exist, so identifiers reveal nothing.
    if (access === null) throw new NotFoundError('Partnership');
    if (!can(access.role, auth)) throw new ForbiddenError();
    request.access = access;
  });

  // Any page's GOV.UK tables as CSV and XLSX (?download=table-N.csv), and a download line after each table.
  registerTableDownloads(app, makePageHtml(views, db.kysely));

  // Error and not-found handlers first: route scopes registered later inherit them.
  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/api/')) return reply.code(404).send({ error: 'Not Found', message: 'No such API endpoint' });
    return reply.render('features/errors/not-found.njk', { title: 'Page not found' }, 404);
  });

  app.setErrorHandler(async (error: unknown, request: FastifyRequest, reply) => {
    const api = request.url.startsWith('/api/');
    if (error instanceof SignInRequired) {
      if (api) return reply.code(401).header('WWW-Authenticate', 'Bearer').send({ error: 'Unauthorized', message: 'Send a personal API token as "Authorization: Bearer <token>"' });
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      return reply.redirect(`/sign-in${next}`, 303);
    }
    if (error instanceof NotFoundError) {
      if (api) return reply.code(404).send({ error: 'Not Found', message: error.message });
      return reply.render('features/errors/not-found.njk', { title: 'Page not found' }, 404);
    }
    if (error instanceof ForbiddenError) {
      if (api) return reply.code(403).send({ error: 'Forbidden', message: error.message });
      return reply.render('features/errors/forbidden.njk', { title: 'You do not have permission', message: error.message }, 403);
    }
    if (error instanceof ValidationError) {
      if (api) return reply.code(400).send({ error: 'Bad Request', message: 'The request has problems', problems: error.errors });
      return reply.render('features/errors/problem.njk', { title: 'There is a problem', errors: error.errors }, 400);
    }
    if (error instanceof ConflictError) {
      if (api) return reply.code(409).send({ error: 'Conflict', message: error.message });
      return reply.render('features/errors/problem.njk', { title: 'There is a conflict', errors: [{ field: 'conflict', message: error.message }] }, 409);
    }
    if (isDatabaseUnavailable(error)) {
      // The database is away (stopped, restarting, unreachable) or too slow: say so at once, and try again later.
      // The page is drawn without anything from the database: no account bar, no partnership menu.
      request.log.warn({ err: error }, 'Database unavailable');
      reply.header('Retry-After', '30');
      if (api) return reply.code(503).send({ error: 'Service Unavailable', message: 'CSP Hub cannot reach its database just now. Nothing was changed. Try again in a few minutes.' });
      request.user = null;
      request.access = null;
      return reply.render('features/errors/unavailable.njk', { title: 'Sorry, the service is unavailable' }, 503);
    }
    if (isWriteConflict(error)) {
      // Another save of the same thing got in first (a unique index, a deadlock): a conflict, not a fault.
      request.log.warn({ err: error }, 'Write conflict');
      const message = 'Someone else saved the same thing at the same moment, so your change was not saved. Look at it again and make your change again.';
      if (api) return reply.code(409).send({ error: 'Conflict', message });
      return reply.render('features/errors/problem.njk', { title: 'There is a conflict', errors: [{ field: 'conflict', message }] }, 409);
    }
    const e = error as { statusCode?: number; validation?: unknown; message?: string };
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      if (api) return reply.code(e.statusCode).send({ error: 'Bad Request', message: e.message ?? 'Bad request', problems: e.validation ?? undefined });
      return reply.render('features/errors/problem.njk', { title: 'There is a problem', errors: [{ field: 'request', message: e.message ?? 'Bad request' }] }, e.statusCode);
    }
    request.log.error({ err: error }, 'Unhandled error');
    if (api) return reply.code(500).send({ error: 'Internal Server Error', message: 'Something went wrong on our side. It has been logged.' });
    return reply.render('features/errors/server-error.njk', { title: 'Sorry, there is a problem with the service' }, 500);
  });

  await app.register(async (scope) => {
    await healthRoutes(scope, services);
    await homeRoutes(scope, services);
    await signInRoutes(scope, services);
    await accountRoutes(scope, services);
    await partnershipRoutes(scope, services);
    await planRoutes(scope, services);
    await organisationRoutes(scope, services);
    await userRoutes(scope, services);
    await auditRoutes(scope, services);
    await performanceRoutes(scope, services);
    await assessmentRoutes(scope, services);
    await reportRoutes(scope, services);
    await commentaryRoutes(scope, services);
    await highlightReportRoutes(scope, services);
    await exportRoutes(scope, services);
    await transferRoutes(scope, services);
    await reviewRoutes(scope, services);
    await documentRoutes(scope, services);
  });
  await app.register(async (scope) => apiRoutes(scope, services), { prefix: '/api/v1' });

  return app;
}
