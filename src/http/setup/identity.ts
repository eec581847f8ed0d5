/**
 * Who is asking: a personal API token (`Authorization: Bearer`) for the API, the session cookie for pages; and for
 * pages, the Content Security Policy nonce and the CSRF token bound to the browser and the session.
 */
import type { FastifyInstance } from 'fastify';
import { findSession } from '../../services/identity/sessions.ts';
import { userForToken } from '../../services/identity/apiTokens.ts';
import type { AppServices } from '../context.ts';
import { isStaticRoute } from '../web/assets.ts';
import { contentSecurityPolicy, csrfTokenFor, ensureBrowserKey, newNonce, SESSION_COOKIE } from '../web/security.ts';

export function setUpIdentity(app: FastifyInstance, { db, config }: AppServices): void {
  app.decorateRequest('user', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('currentPartnershipId', null);
  app.decorateRequest('access', null);
  app.decorateRequest('isApi', false);
  app.decorateRequest('cspNonce', '');
  app.decorateRequest('csrfToken', '');

  app.addHook('onRequest', async (request, reply) => {
    request.isApi = request.url.startsWith('/api/');
    if (isStaticRoute(request.routeOptions.url)) return;
    request.cspNonce = newNonce();
    reply.header('Content-Security-Policy', contentSecurityPolicy(request.cspNonce));
    reply.header('Cache-Control', 'no-store');
    // Routes that opt out (`config.identity: false`: probes and metrics) answer for the process and the database
    // themselves: a session cookie a browser happens to send must not make liveness read the (perhaps unreachable)
    // sessions table and fail.
    if (request.routeOptions.config.identity === false) return;
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
}
