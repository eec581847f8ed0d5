/** What the report pages share: the partnership's paths and breadcrumbs. */
import type { FastifyRequest } from 'fastify';
import { partnershipPage, type Crumb } from '../../partnershipPage.ts';

export const pid = (r: FastifyRequest) => partnershipPage(r).id;
export const base = (r: FastifyRequest) => partnershipPage(r).base;
export const crumbs = (r: FastifyRequest, extra: Crumb[] = []) => partnershipPage(r).crumbs(extra);
export const reportCrumbs = (r: FastifyRequest) => crumbs(r, [{ text: 'Reports', href: `${base(r)}/reports` }]);
