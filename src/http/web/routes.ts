/** Every page of CSP Hub, feature by feature (each feature's routes and views live in features/<feature>/). */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../context.ts';
import { healthRoutes } from './features/health/routes.ts';
import { homeRoutes } from './features/home/routes.ts';
import { signInRoutes } from './features/sign-in/routes.ts';
import { accountRoutes } from './features/account/routes.ts';
import { partnershipRoutes } from './features/partnerships/routes.ts';
import { planRoutes } from './features/plans/routes.ts';
import { organisationRoutes } from './features/organisations/routes.ts';
import { userRoutes } from './features/users/routes.ts';
import { auditRoutes } from './features/audit/routes.ts';
import { performanceRoutes } from './features/performance/routes.ts';
import { assessmentRoutes } from './features/assessment/routes.ts';
import { reportRoutes } from './features/reports/routes.ts';
import { commentaryRoutes } from './features/commentary/routes.ts';
import { highlightReportRoutes } from './features/highlight-reports/routes.ts';
import { exportRoutes } from './features/exports/routes.ts';
import { transferRoutes } from './features/transfer/routes.ts';
import { reviewRoutes } from './features/reviews/routes.ts';
import { documentRoutes } from './features/documents/routes.ts';
import { retirementRoutes } from './features/retirement/routes.ts';
import { publicSiteRoutes } from './features/public-site/routes.ts';

export async function webRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  await healthRoutes(app, services);
  await homeRoutes(app, services);
  await signInRoutes(app, services);
  await accountRoutes(app, services);
  await partnershipRoutes(app, services);
  await planRoutes(app, services);
  await organisationRoutes(app, services);
  await userRoutes(app, services);
  await auditRoutes(app, services);
  await performanceRoutes(app, services);
  await assessmentRoutes(app, services);
  await reportRoutes(app, services);
  await commentaryRoutes(app, services);
  await highlightReportRoutes(app, services);
  await exportRoutes(app, services);
  await transferRoutes(app, services);
  await reviewRoutes(app, services);
  await documentRoutes(app, services);
  await retirementRoutes(app, services);
  await publicSiteRoutes(app, services);
}
