/** The partnership a page belongs to, as every partnership page's routes need it. */
import type { FastifyRequest } from 'fastify';

export interface Crumb {
  text: string;
  href: string;
}

/**
 * The partnership named in the URL (already authorised: `request.access`): its id, its address `/partnerships/<id>`,
 * and breadcrumbs Home › the partnership › any pages given.
 */
export function partnershipPage(request: FastifyRequest): { id: number; base: string; crumbs(extra?: Crumb[]): Crumb[] } {
  const { id, name } = request.access!.partnership;
  const base = `/partnerships/${id}`;
  return { id, base, crumbs: (extra = []) => [{ text: 'Home', href: '/' }, { text: name, href: base }, ...extra] };
}
