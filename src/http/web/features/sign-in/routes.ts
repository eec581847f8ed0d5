/**
 * Sign-in with email and password (rate-limited, src/services/identity/signIn.ts) and sign-out; sign-in with an
 * organisation account is in organisationRoutes.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { signIn, WINDOW_MINUTES } from '../../../../services/identity/signIn.ts';
import { destroySession } from '../../../../services/identity/sessions.ts';
import { safeRedirectPath, SESSION_COOKIE } from '../../security.ts';
import { startSession } from './sessionCookie.ts';
import { organisationSignInRoutes } from './organisationRoutes.ts';

type FieldError = { field: string; message: string };

/** What the sign-in page says when the limits of signIn refuse an attempt. */
function lockedMessage(scope: 'address' | 'account'): string {
  return scope === 'account'
    ? `Too many failed sign-in attempts for this account from different places. Wait ${WINDOW_MINUTES} minutes and try again, or sign in from where you usually do (your office network, for example).`
    : `Too many failed sign-in attempts from your network. Wait ${WINDOW_MINUTES} minutes and try again, or ask an administrator to help.`;
}

export async function signInRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  const { db, config, oidc } = services;
  /** Only paths on this site may be redirected to after sign-in; anything else goes to the home page. */
  const safeNext = (next: unknown) => safeRedirectPath(next, config.baseUrl);

  app.get('/sign-in', { config: { auth: 'public' } }, async (request, reply) => {
    const q = request.query as { next?: string };
    if (request.user) return reply.redirect(safeNext(q.next), 303);
    return reply.render('features/sign-in/sign-in.njk', { title: 'Sign in', next: safeNext(q.next), values: {}, oidcLabel: oidc?.label });
  });

  app.post('/sign-in', { config: { auth: 'public' } }, async (request, reply) => {
    const body = (request.body ?? {}) as { email?: string; password?: string; next?: string };
    const errors: FieldError[] = [];
    if (!body.email?.trim()) errors.push({ field: 'email', message: 'Enter your email address' });
    if (!body.password) errors.push({ field: 'password', message: 'Enter your password' });
    const page = (status: number, list: FieldError[]) =>
      reply.render(
        'features/sign-in/sign-in.njk',
        { title: 'Sign in', errors: list, values: { email: body.email }, next: safeNext(body.next), oidcLabel: oidc?.label },
        status,
      );
    if (errors.length) return page(400, errors);
    const result = await signIn(db.kysely, body.email!, body.password!, request.ip);
    if (!result.ok && result.reason === 'locked') return page(429, [{ field: 'email', message: lockedMessage(result.scope) }]);
    if (!result.ok) return page(401, [{ field: 'email', message: 'The email address or password is not correct' }]);
    await startSession(services, reply, result.user.id, request.cookies[SESSION_COOKIE]);
    return reply.redirect(safeNext(body.next), 303);
  });

  app.post('/sign-out', { config: { auth: 'public' } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await destroySession(db.kysely, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.flash('You have signed out');
    return reply.redirect('/sign-in', 303);
  });

  await organisationSignInRoutes(app, services);
}
