/**
 * Sign-in with an organisation account (OpenID Connect), when the OIDC_* settings are given: /auth/oidc/start sends
 * the browser to the identity provider (src/adapters/oidc), /auth/oidc/callback takes its answer, and
 * src/services/identity/organisationSignIn.ts matches the confirmed identity to a CSP Hub account.
 */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { organisationSignIn } from '../../../../services/identity/organisationSignIn.ts';
import { safeRedirectPath } from '../../security.ts';
import { startSession } from './sessionCookie.ts';

const OIDC_COOKIE = 'csphub_oidc';

/** What start() keeps in the short-lived cookie until the provider sends the browser back: state, verifier, destination. */
interface SavedStart {
  s: string;
  v: string;
  n: string;
}

/** The saved start from the cookie, or null when it is missing or incomplete. */
function savedStart(cookie: string | undefined, safeNext: (next: unknown) => string): SavedStart | null {
  try {
    const parsed = JSON.parse(cookie ?? '') as Record<string, unknown>;
    if (typeof parsed.s !== 'string' || typeof parsed.v !== 'string') return null;
    // The destination is checked again: the cookie comes back from the browser and could have been changed.
    return { s: parsed.s, v: parsed.v, n: safeNext(parsed.n) };
  } catch {
    return null;
  }
}

export async function organisationSignInRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  const { db, config, oidc } = services;
  const safeNext = (next: unknown) => safeRedirectPath(next, config.baseUrl);

  app.get('/auth/oidc/start', { config: { auth: 'public' } }, async (request, reply) => {
    if (!oidc) return reply.callNotFound();
    const start = await oidc.start();
    reply.setCookie(
      OIDC_COOKIE,
      JSON.stringify({ s: start.state, v: start.codeVerifier, n: safeNext((request.query as { next?: string }).next) }),
      {
        path: '/auth/oidc',
        httpOnly: true,
        sameSite: 'lax',
        secure: config.secureCookies,
        maxAge: 600,
      },
    );
    return reply.redirect(start.url, 303);
  });

  app.get('/auth/oidc/callback', { config: { auth: 'public' } }, async (request, reply) => {
    if (!oidc) return reply.callNotFound();
    const problem = (message: string) =>
      reply.render(
        'features/sign-in/sign-in.njk',
        { title: 'Sign in', errors: [{ field: 'email', message }], values: {}, next: '/', oidcLabel: oidc.label },
        401,
      );
    const saved = savedStart(request.cookies[OIDC_COOKIE], safeNext);
    if (!saved) return problem('Your sign-in took too long or was started in another browser. Try again.');
    reply.clearCookie(OIDC_COOKIE, { path: '/auth/oidc' });
    let identity;
    try {
      identity = await oidc.finish(new URL(request.url, config.baseUrl), saved.s, saved.v);
    } catch (e) {
      request.log.warn({ err: e }, 'OIDC sign-in failed');
      return problem('Your organisation account could not be confirmed. Try again, or sign in with your email and password.');
    }
    const result = await organisationSignIn(db.kysely, identity);
    if (!result.ok && result.reason === 'no-account')
      return problem(`There is no CSP Hub account for ${identity.email}. Ask your partnership administrator to invite you.`);
    if (!result.ok) return problem('This CSP Hub account is linked to a different organisation account.');
    await startSession(services, reply, result.user.id);
    return reply.redirect(saved.n, 303);
  });
}
