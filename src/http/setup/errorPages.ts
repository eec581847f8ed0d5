/**
 * Not-found and error handling for pages and the API alike: each service error becomes its page or JSON status
 * (sign-in needed 303/401, not found 404, forbidden 403, problems 400, conflicts 409, the database away 503);
 * anything unexpected is logged and shown as a plain 500. Registered before the routes, whose scopes inherit it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { isDatabaseUnavailable, isNumberOutOfRange, isWriteConflict, MAX_STORED_ID } from '../../adapters/database/database.ts';
import { SignInRequired } from './authorisation.ts';

export function setUpErrorPages(app: FastifyInstance): void {
  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/api/')) return reply.code(404).send({ error: 'Not Found', message: 'No such API endpoint' });
    return reply.render('features/errors/not-found.njk', { title: 'Page not found' }, 404);
  });
  app.setErrorHandler(async (error: unknown, request: FastifyRequest, reply) => answerError(error, request, reply));
}

async function answerError(error: unknown, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const api = request.url.startsWith('/api/');
  if (error instanceof SignInRequired) {
    if (api)
      return reply
        .code(401)
        .header('WWW-Authenticate', 'Bearer')
        .send({ error: 'Unauthorized', message: 'Send a personal API token as "Authorization: Bearer <token>"' });
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
    if (api) return reply.code(409).send({ ...error.details, error: 'Conflict', message: error.message });
    return reply.render(
      'features/errors/problem.njk',
      { title: 'There is a conflict', errors: [{ field: 'conflict', message: error.message }] },
      409,
    );
  }
  if (isDatabaseUnavailable(error)) {
    // The database is away (stopped, restarting, unreachable) or too slow: say so at once, and try again later.
    // The page is drawn without anything from the database: no account bar, no partnership menu.
    request.log.warn({ err: error }, 'Database unavailable');
    reply.header('Retry-After', '30');
    if (api)
      return reply.code(503).send({
        error: 'Service Unavailable',
        message: 'CSP Hub cannot reach its database just now. Nothing was changed. Try again in a few minutes.',
      });
    request.user = null;
    request.access = null;
    return reply.render('features/errors/unavailable.njk', { title: 'Sorry, the service is unavailable' }, 503);
  }
  if (isWriteConflict(error)) {
    // Another save of the same thing got in first (a unique index, a deadlock): a conflict, not a fault.
    request.log.warn({ err: error }, 'Write conflict');
    const message =
      'Someone else saved the same thing at the same moment, so your change was not saved. Look at it again and make your change again.';
    if (api) return reply.code(409).send({ error: 'Conflict', message });
    return reply.render('features/errors/problem.njk', { title: 'There is a conflict', errors: [{ field: 'conflict', message }] }, 409);
  }
  if (isNumberOutOfRange(error)) {
    // A whole number larger than PostgreSQL stores, in a query string or a body (an id in the address is refused as
    // not found before any query, in authorisation.ts): nothing has it, as on SQLite.
    request.log.warn({ err: error }, 'Number out of range');
    if (request.method === 'GET' || request.method === 'HEAD') {
      if (api) return reply.code(404).send({ error: 'Not Found', message: 'There is nothing with that id' });
      return reply.render('features/errors/not-found.njk', { title: 'Page not found' }, 404);
    }
    const message = `A number in the request is too large: ids and whole numbers in CSP Hub go up to ${MAX_STORED_ID.toLocaleString('en-GB')}. Nothing was changed.`;
    if (api) return reply.code(400).send({ error: 'Bad Request', message, problems: [{ field: 'request', message }] });
    return reply.render('features/errors/problem.njk', { title: 'There is a problem', errors: [{ field: 'request', message }] }, 400);
  }
  const e = error as { statusCode?: number; validation?: unknown; message?: string };
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    if (api)
      return reply
        .code(e.statusCode)
        .send({ error: 'Bad Request', message: e.message ?? 'Bad request', problems: e.validation ?? undefined });
    return reply.render(
      'features/errors/problem.njk',
      { title: 'There is a problem', errors: [{ field: 'request', message: e.message ?? 'Bad request' }] },
      e.statusCode,
    );
  }
  request.log.error({ err: error }, 'Unhandled error');
  if (api)
    return reply.code(500).send({ error: 'Internal Server Error', message: 'Something went wrong on our side. It has been logged.' });
  return reply.render('features/errors/server-error.njk', { title: 'Sorry, there is a problem with the service' }, 500);
}
