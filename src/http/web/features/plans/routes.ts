/**
 * Partnership plans in the browser, page group by page group: the list of plans and a new plan, each version as a
 * readable document (with its priorities and activities), the forms for every part of a version, approval,
 * publication, withdrawal, next year's refresh and the comparison of two versions, the governance structure and
 * funding, and the plan document downloads (the public pages are in features/public-site).
 */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { planListRoutes } from './planListRoutes.ts';
import { versionRoutes } from './versionRoutes.ts';
import { approvalRoutes } from './approvalRoutes.ts';
import { governanceAndFundingRoutes } from './governanceRoutes.ts';
import { partRoutes } from './partRoutes.ts';
import { planDocumentRoutes } from './documentRoutes.ts';

export async function planRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  await planListRoutes(app, services);
  await versionRoutes(app, services);
  await approvalRoutes(app, services);
  await governanceAndFundingRoutes(app, services);
  await partRoutes(app, services);
  await planDocumentRoutes(app, services);
}
