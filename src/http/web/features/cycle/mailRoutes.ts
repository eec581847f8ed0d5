/**
 * Pages about email (decision 0023): forgotten password (ask for a link; the same answer whether or not the address
 * has an account) and the reset form; the unsubscribe link of reminders (no sign-in: the link is signed); and the
 * signed-in person's choice of reminders.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { requestPasswordReset, resetPassword, resetTokenValid } from '../../../../services/identity/passwordReset.ts';
import { setEmailPreference, setEmailReminders } from '../../../../services/cycle/reminders.ts';
import { ValidationError, type FieldError } from '../../../../domain/errors.ts';

const SENT =
  'If the address has an account, we have sent it a link to choose a new password. It works once, for an hour. Nothing arrived? Check the address and your spam folder, or ask your administrator.';

export async function mailRoutes(app: FastifyInstance, { db, config }: AppServices): Promise<void> {
  const k = db.kysely;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');

  const forgotPage = (reply: FastifyReply, values: { email?: string }, errors?: FieldError[], status = 200) =>
    reply.render('features/cycle/forgot-password.njk', { title: 'Forgotten password', values, errors }, status);

  app.get('/forgot-password', { config: { auth: 'public' } }, async (_request, reply) => forgotPage(reply, {}));
  app.post('/forgot-password', { config: { auth: 'public' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    try {
      await requestPasswordReset(k, body.email, request.ip, config.baseUrl);
    } catch (e) {
      if (e instanceof ValidationError) return forgotPage(reply, { email: str(body.email) }, e.errors, 400);
      throw e;
    }
    return reply.flash(SENT).redirect('/sign-in', 303);
  });

  const resetPage = async (reply: FastifyReply, token: string, errors?: FieldError[], status = 200) =>
    reply.render(
      'features/cycle/reset-password.njk',
      { title: 'Choose a new password', token, valid: await resetTokenValid(k, token), errors },
      status,
    );

  app.get('/reset-password/:token', { config: { auth: 'public' } }, async (request, reply) =>
    resetPage(reply, (request.params as { token: string }).token),
  );
  app.post('/reset-password/:token', { config: { auth: 'public' } }, async (request, reply) => {
    const token = (request.params as { token: string }).token;
    const body = (request.body ?? {}) as Record<string, unknown>;
    try {
      await resetPassword(k, token, body);
    } catch (e) {
      if (e instanceof ValidationError) return resetPage(reply, token, e.errors, 400);
      throw e;
    }
    return reply.flash('Your password has been changed. Sign in with it.').redirect('/sign-in', 303);
  });

  app.get('/unsubscribe/:userId/:token', { config: { auth: 'public' } }, async (_request, reply) =>
    reply.render('features/cycle/unsubscribe.njk', { title: 'Stop email reminders' }),
  );
  app.post('/unsubscribe/:userId/:token', { config: { auth: 'public' } }, async (request, reply) => {
    const { userId, token } = request.params as { userId: string; token: string };
    const ok = /^\d{1,9}$/.test(userId) && (await setEmailReminders(k, Number(userId), false, { secret: config.sessionSecret, token }));
    return reply.render('features/cycle/unsubscribe.njk', { title: 'Stop email reminders', done: ok, wrong: !ok }, ok ? 200 : 404);
  });

  app.get('/unsubscribe/:userId/:token/digest', { config: { auth: 'public' } }, async (_request, reply) =>
    reply.render('features/cycle/unsubscribe.njk', { title: 'Stop the weekly digest', digest: true }),
  );
  app.post('/unsubscribe/:userId/:token/digest', { config: { auth: 'public' } }, async (request, reply) => {
    const { userId, token } = request.params as { userId: string; token: string };
    const ok =
      /^\d{1,9}$/.test(userId) && (await setEmailPreference(k, Number(userId), 'digest', false, { secret: config.sessionSecret, token }));
    return reply.render(
      'features/cycle/unsubscribe.njk',
      { title: 'Stop the weekly digest', digest: true, done: ok, wrong: !ok },
      ok ? 200 : 404,
    );
  });

  app.get('/account/email', { config: { auth: 'signed-in' } }, async (request, reply) =>
    reply.render('features/cycle/email-preferences.njk', {
      title: 'Email reminders',
      on: request.user!.email_reminders === 1,
      digest: request.user!.weekly_digest === 1,
    }),
  );
  app.post('/account/email', { config: { auth: 'signed-in' } }, async (request, reply) => {
    const body = (request.body as Record<string, unknown> | undefined) ?? {};
    const on = body.reminders === 'yes';
    const digest = body.digest === 'yes';
    await setEmailReminders(k, request.user!.id, on);
    if (digest !== (request.user!.weekly_digest === 1)) await setEmailPreference(k, request.user!.id, 'digest', digest);
    return reply
      .flash(
        `${on ? 'You will get reminders and chasers' : 'You will not get reminders or chasers'}; ${digest ? 'you will get the weekly digest' : 'no weekly digest'}`,
      )
      .redirect('/account/email', 303);
  });
}
