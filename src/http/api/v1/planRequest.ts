/** What the plan API routes share: their OpenAPI tag, the partnership and ids read from the URL, and the schema of those ids. */
import type { FastifyRequest } from 'fastify';
import { assertValidId } from '../../../services/partnerships/partnerships.ts';
import { idParam } from './schemas.ts';

export const TAG = 'Plans';

/** The partnership named in the URL (already authorised). */
export const pid = (r: FastifyRequest) => r.access!.partnership.id;
/** An id from the URL; NotFound (named `what`) when it is not one. */
export const planParam = (r: FastifyRequest, name: string, what: string) => assertValidId((r.params as Record<string, string>)[name], what);
/** The schema of the URL's ids: the partnership's and those named. */
export const planParams = (...names: string[]) => ({
  type: 'object',
  properties: Object.fromEntries(['partnershipId', ...names].map((n) => [n, idParam])),
});
