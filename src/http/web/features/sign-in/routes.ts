/** Sign-in with email and password (rate-limited), optional OpenID Connect, and sign-out. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { signIn, WINDOW_MINUTES } from '../../../../services/identity/signIn.ts';
import { createSession, destroySession } from '../../../../services/identity/sessions.ts';
import { findUserByEmail } from '../../../../services/identity/users.ts';
import { nowIso } from '../../../../adapters/clock.ts';
import { recordAudit } from '../../../../services/platform/audit.ts';
import { safeRedirectPath, SESSION_COOKIE } from '../../security.ts';

const OIDC_COOKIE = 'csphub_oidc';


export async function startSession(services: AppServices, reply: FastifyReply, userId: number): Promise<void> {
  const token = await createSession(services.db.kysely, userId, services.config.sessionTtlHours);
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: services.config.secureCookies,
    maxAge: services.config.sessionTtlHours * 3600,
  });
}

export async function signInRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  const { db, config, oidc } = services;
  /** Only paths on this site may be redirected to after sign-in; anything else goes to the home page. */
  const safeNext = (next: unknown) => safeRedirectPath(next, config.baseUrl);

  app.get('/sign-in', { config: { auth: 'public' } }, async (request, reply) => {
    const q = request.query as { next?: string };
    if (request.user) return reply.redirect(safeNext(q.next), 303);
    return reply.render('features/sign-in/sign-in.njk', { title: 'Sign in', next: safeNext(q.next), values: {}, oidcLabel: oidc?.settings.label });
  });

  app.post('/sign-in', { config: { auth: 'public' } }, async (request, reply) => {
    const body = (request.body ?? {}) as { email?: string; password?: string; next?: string };
    const errors = [];
    if (!body.email?.trim()) errors.push({ field: 'email', message: 'Enter your email address' });
    if (!body.password) errors.push({ field: 'password', message: 'Enter your password' });
    const page = (status: number, list: { field: string; message: string }[]) =>
      reply.render('features/sign-in/sign-in.njk', { title: 'Sign in', errors: list, values: { email: body.email }, next: safeNext(body.next), oidcLabel: oidc?.settings.label }, status);
    if (errors.length) return page(400, errors);
    const result = await signIn(db.kysely, body.email!, body.password!, request.ip);
    if (!result.ok) {
      if (result.reason === 'locked') {
        const message =
          result.scope === 'account'
            ? `Too many failed sign-in attempts for this account from different places. Wait ${WINDOW_MINUTES} minutes and try again, or sign in from where you usually do (your office network, for example).`
            : `Too many failed sign-in attempts from your network. Wait ${WINDOW_MINUTES} minutes and try again, or ask an administrator to help.`;
        return page(429, [{ field: 'email', message }]);
      }
      return page(401, [{ field: 'email', message: 'The email address or password is not correct' }]);
    }
    if (request.cookies[SESSION_COOKIE]) await destroySession(db.kysely, request.cookies[SESSION_COOKIE]);
    await startSession(services, reply, result.user.id);
    return reply.redirect(safeNext(body.next), 303);
  });

  app.post('/sign-out', { config: { auth: 'public' } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await destroySession(db.kysely, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.flash('You have signed out');
    return reply.redirect('/sign-in', 303);
  });

  app.get('/auth/oidc/start', { config: { auth: 'public' } }, async (request, reply) => {
    if (!oidc) return reply.callNotFound();
    const start = await oidc.start();
    reply.setCookie(OIDC_COOKIE, JSON.stringify({ s: start.state, v: start.codeVerifier, n: safeNext((request.query as { next?: string }).next) }), {
      path: '/auth/oidc',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      maxAge: 600,
    });
    return reply.redirect(start.url, 303);
  });

  app.get('/auth/oidc/callback', { config: { auth: 'public' } }, async (request, reply) => {
    if (!oidc) return reply.callNotFound();
    const problem = (message: string) =>
      reply.render('features/sign-in/sign-in.njk', { title: 'Sign in', errors: [{ field: 'email', message }], values: {}, next: '/', oidcLabel: oidc.settings.label }, 401);
    let saved: { s: string; v: string; n: string };
    try {
      const parsed = JSON.parse(request.cookies[OIDC_COOKIE] ?? '') as Record<string, unknown>;
      if (typeof parsed.s !== 'string' || typeof parsed.v !== 'string') throw new Error('incomplete');
      // The destination is checked again: the cookie comes back from the browser and could have been changed.
      saved = { s: parsed.s, v: parsed.v, n: safeNext(parsed.n) };
    } catch {
      return problem('Your sign-in took too long or was started in another browser. Try again.');
    }
    reply.clearCookie(OIDC_COOKIE, { path: '/auth/oidc' });
    let identity;
    try {
      identity = await oidc.finish(new URL(request.url, config.baseUrl), saved.s, saved.v);
    } catch (e) {
      request.log.warn({ err: e }, 'OIDC sign-in failed');
      return problem('Your organisation account could not be confirmed. Try again, or sign in with your email and password.');
    }
    const user = await findUserByEmail(db.kysely, identity.email);
    if (!user || user.disabled) return problem(`There is no CSP Hub account for ${identity.email}. Ask your partnership administrator to invite you.`);
    if (user.oidc_subject && user.oidc_subject !== identity.subject) return problem('This CSP Hub account is linked to a different organisation account.');
    if (!user.oidc_subject) {
      await db.kysely.updateTable('users').set({ oidc_subject: identity.subject, updated_at: nowIso() }).where('id', '=', user.id).execute();
      await recordAudit(db.kysely, { userId: user.id, label: user.email }, { partnershipId: null, action: 'update', entityType: 'user', entityId: user.id, summary: 'Linked organisation sign-in (OpenID Connect)', after: { oidc_subject: identity.subject } });
    }
    await startSession(services, reply, user.id);
    return reply.redirect(saved.n, 303);
  });
}
