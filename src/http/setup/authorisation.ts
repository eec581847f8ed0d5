/**
 * CSRF and authorisation, after the body is parsed and before validation and any handler: page forms must carry
 * the CSRF token; an id in the address too large to be stored is not found; then each route's `config.auth` is
 * applied — sign-in, platform administrator, or the user's role in the partnership named by `:partnershipId` allowing
 * the action (outsiders are told it does not exist).
 */
import type { FastifyInstance } from 'fastify';
import { ForbiddenError, NotFoundError } from '../../domain/errors.ts';
import { can } from '../../services/partnerships/authorisation.ts';
import { assertValidId, partnershipAccess } from '../../services/partnerships/partnerships.ts';
import { isStorableId } from '../../adapters/database/database.ts';
import type { AppServices } from '../context.ts';
import { csrfValid, CSRF_COOKIE } from '../web/security.ts';

/**
 * Refuses, as not found, an id in the address (a route param named `…Id`) larger than any the database stores, before
 * any query runs: PostgreSQL would refuse the query itself (its ids are 32-bit), SQLite would find nothing. Pages and
 * the API alike answer 404, and the partnership, indicator or other record is never looked up.
 */
function assertStoredIds(params: unknown): void {
  for (const [name, value] of Object.entries((params ?? {}) as Record<string, unknown>)) {
    if (name.endsWith('Id') && typeof value === 'string' && /^\d+$/.test(value) && !isStorableId(Number(value)))
      throw Object.assign(new NotFoundError(), { message: 'There is nothing with that id' });
  }
}

/** Thrown when a route needs a signed-in user and there is none: a redirect to sign-in, or 401 for the API. */
export class SignInRequired extends Error {}

export function setUpAuthorisation(app: FastifyInstance, { db, config }: AppServices): void {
  app.addHook('preValidation', async (request) => {
    const auth = request.routeOptions.config.auth;
    if (auth === undefined) return; // static files and 404s
    if (!request.isApi && !['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
      const submitted = (request.body as Record<string, unknown> | undefined)?._csrf ?? request.headers['x-csrf-token'];
      if (!csrfValid(config.sessionSecret, request.cookies[CSRF_COOKIE], request.sessionId, submitted)) {
        throw new ForbiddenError('This form has expired or did not come from CSP Hub. Go back, refresh the page and try again.');
      }
    }
    assertStoredIds(request.params);
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
}
