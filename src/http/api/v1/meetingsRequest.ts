/** What the meetings API routes share: the partnership, ids and body read from the request, who is acting, and the schema of the URL's ids. */
import type { FastifyRequest } from 'fastify';
import { actorOf } from '../../context.ts';
import { assertValidId } from '../../../services/partnerships/partnerships.ts';
import { idParam } from './schemas.ts';

type Json = Record<string, unknown>;

/** The partnership named in the URL (already authorised). */
export const pid = (r: FastifyRequest) => r.access!.partnership.id;
/** An id from the URL; NotFound (named `what`) when it is not one. */
export const param = (r: FastifyRequest, name: string, what: string) => assertValidId((r.params as Record<string, string>)[name], what);
/** The schema of the URL's ids: the partnership's and those named. */
export const params = (...names: string[]) => ({
  type: 'object',
  properties: Object.fromEntries(['partnershipId', ...names].map((n) => [n, idParam])),
});
/** The meeting named in the URL. */
export const mid = (r: FastifyRequest) => param(r, 'meetingId', 'Meeting');
export const input = (r: FastifyRequest) => (r.body ?? {}) as Json;
export const actor = (r: FastifyRequest) => actorOf(r.user!);
