/**
 * Reports, one file per page group: the index (here), the quarterly performance report (the Board pack) as a page
 * and PDF and DOCX downloads (quarterlyRoutes.ts), and the exception report (exceptionRoutes.ts). The documents are
 * built in src/presentation/documents; highlight reports have their own pages in ../highlight-reports.
 */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { exceptionReportRoutes } from './exceptionRoutes.ts';
import { quarterlyReportRoutes } from './quarterlyRoutes.ts';
import { base, crumbs } from './shared.ts';

export async function reportRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  app.get('/partnerships/:partnershipId/reports', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    return reply.render('features/reports/index.njk', {
      title: 'Reports',
      section: 'reports',
      breadcrumbs: crumbs(request),
      base: base(request),
    });
  });
  quarterlyReportRoutes(app, services);
  exceptionReportRoutes(app, services);
}
