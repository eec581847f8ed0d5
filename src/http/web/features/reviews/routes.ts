/**
 * Annual reviews, page group by page group: the list and the review itself (priorities, what was done, key outputs,
 * indicators by year and quarter-by-year charts with their tables; PDF and Word are generated as kept documents,
 * features/documents), the review's details, and its priorities and their objective areas (with conflict checks).
 */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { reviewDetailRoutes, reviewPageRoutes } from './reviewRoutes.ts';
import { reviewAreaRoutes, reviewPriorityRoutes } from './reviewPartRoutes.ts';

export async function reviewRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  await reviewPageRoutes(app, services);
  await reviewDetailRoutes(app, services);
  await reviewPriorityRoutes(app, services);
  await reviewAreaRoutes(app, services);
}
