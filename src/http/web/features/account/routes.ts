/** The signed-in person's own account: change password, personal API tokens. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { changePassword } from '../../../../services/identity/users.ts';
import { createToken, listTokens, revokeToken } from '../../../../services/identity/apiTokens.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';

export async function accountRoutes(app: FastifyInstance, { db, config }: AppServices): Promise<void> {
  const breadcrumbs = [
    { text: 'Home', href: '/' },
    { text: 'Your account', href: '/account' },
  ];

  const accountPage = async (request: FastifyRequest, extra: Record<string, unknown> = {}) => ({
    title: 'Your account',
    breadcrumbs: breadcrumbs.slice(0, 1),
    tokens: await listTokens(db.kysely, request.user!.id),
    apiBase: `${config.baseUrl}/api/v1`,
    ...extra,
  });

  app.get('/account', { config: { auth: 'signed-in' } }, async (request, reply) =>
    reply.render('features/account/account.njk', await accountPage(request)),
  );

  app.get('/account/password', { config: { auth: 'signed-in' } }, async (_request, reply) =>
    reply.render('features/account/password.njk', { title: 'Change your password', breadcrumbs }),
  );

  app.post('/account/password', { config: { auth: 'signed-in' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      await changePassword(
        db.kysely,
        request.user!,
        { currentPassword: body.currentPassword ?? '', newPassword: body.newPassword ?? '', confirmPassword: body.confirmPassword ?? '' },
        { keepSessionId: request.sessionId! },
      );
    } catch (e) {
      if (e instanceof ValidationError)
        return reply.render('features/account/password.njk', { title: 'Change your password', breadcrumbs, errors: e.errors }, 400);
      throw e;
    }
    return reply.flash('Your password has been changed. You have been signed out everywhere else.').redirect('/account', 303);
  });

  app.post('/account/tokens', { config: { auth: 'signed-in' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      const { token, summary } = await createToken(db.kysely, request.user!, body.name);
      return reply.render('features/account/account.njk', await accountPage(request, { newToken: token, newTokenName: summary.name }));
    } catch (e) {
      if (e instanceof ValidationError)
        return reply.render('features/account/account.njk', await accountPage(request, { errors: e.errors, values: body }), 400);
      throw e;
    }
  });

  app.post('/account/tokens/:tokenId/revoke', { config: { auth: 'signed-in' } }, async (request, reply) => {
    const id = assertValidId((request.params as { tokenId: string }).tokenId, 'API token');
    await revokeToken(db.kysely, request.user!, id);
    return reply.flash('The API token has been revoked').redirect('/account', 303);
  });
}
