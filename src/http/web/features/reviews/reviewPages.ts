/** What the annual review pages share: reading the request, the addresses and breadcrumbs of the partnership's reviews, and the delete confirmation page. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../../../context.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';

export type Body = Record<string, string | string[] | undefined>;

/** A form value that may come once or several times (checkboxes), as a list. */
export const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v !== '' ? [v] : []);

/** The partnership named in the URL (already authorised). */
export const pid = (r: FastifyRequest) => r.access!.partnership.id;
export const base = (r: FastifyRequest) => `/partnerships/${pid(r)}`;
export const reviewsUrl = (r: FastifyRequest) => `${base(r)}/reviews`;
export const reviewUrl = (r: FastifyRequest, id: number) => `${reviewsUrl(r)}/${id}`;
export const crumbs = (r: FastifyRequest, extra: { text: string; href: string }[] = []) => [
  { text: 'Home', href: '/' },
  { text: r.access!.partnership.name, href: base(r) },
  { text: 'Annual reviews', href: reviewsUrl(r) },
  ...extra,
];
/** An id from the URL; NotFound (named `what`) when it is not one. */
export const param = (r: FastifyRequest, name: string, what: string) => assertValidId((r.params as Record<string, string>)[name], what);
export const body = (r: FastifyRequest) => (r.body ?? {}) as Body;
export const actor = (r: FastifyRequest) => actorOf(r.user!);

/** The page asking to confirm a deletion: what goes with it, the button, where it posts and where cancel goes. */
export const deletePage = (
  r: FastifyRequest,
  reply: FastifyReply,
  ctx: { title: string; what: string; buttonText: string; action: string; cancelHref: string },
) => reply.render('features/reviews/delete.njk', { ...ctx, section: 'reports', breadcrumbs: crumbs(r) });
