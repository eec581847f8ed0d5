/**
 * What the meetings pages share: reading the request, the partnership's address, the breadcrumbs under Meetings,
 * and the errors of one form on a page of several.
 */
import type { FastifyRequest } from 'fastify';
import { actorOf } from '../../../context.ts';
import { partnershipPage, type Crumb } from '../../partnershipPage.ts';
import type { FieldError } from '../../../../domain/errors.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';

export type Body = Record<string, unknown>;
/** A page of several forms shown again: the errors, and the values of each form by its name. */
export type Forms = { errors?: FieldError[]; values?: Record<string, Body> };

/** The partnership named in the URL (already authorised). */
export const pid = (r: FastifyRequest) => partnershipPage(r).id;
/** /partnerships/<id> */
export const base = (r: FastifyRequest) => partnershipPage(r).base;
/** Home › the partnership › Meetings › any pages given. */
export const crumbs = (r: FastifyRequest, extra: Crumb[] = []) => {
  const page = partnershipPage(r);
  return page.crumbs([{ text: 'Meetings', href: `${page.base}/meetings` }, ...extra]);
};
/** The meeting named in the URL; NotFound when it is not an id. */
export const meetingParam = (r: FastifyRequest) => assertValidId((r.params as Record<string, string>).meetingId, 'Meeting');
export const actor = (r: FastifyRequest) => actorOf(r.user!);

/** Errors of one form on a page of several: their fields prefixed with the form's name, so each links to its own box. */
export const prefixed = (prefix: string, errors: FieldError[]) => errors.map((e) => ({ ...e, field: `${prefix}-${e.field}` }));
