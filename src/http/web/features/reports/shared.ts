/** What the report pages share: the partnership's paths and breadcrumbs. */
import type { FastifyRequest } from 'fastify';

export const pid = (r: FastifyRequest) => r.access!.partnership.id;
export const base = (r: FastifyRequest) => `/partnerships/${pid(r)}`;
export const crumbs = (r: FastifyRequest, extra: { text: string; href: string }[] = []) => [
  { text: 'Home', href: '/' },
  { text: r.access!.partnership.name, href: base(r) },
  ...extra,
];
export const reportCrumbs = (r: FastifyRequest) => crumbs(r, [{ text: 'Reports', href: `${base(r)}/reports` }]);
