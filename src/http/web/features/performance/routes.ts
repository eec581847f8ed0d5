/**
 * Performance management pages, one file per page group: the dashboard, scorecard and exceptions
 * (dashboardRoutes.ts), the indicator catalogue and forms (indicatorFormRoutes.ts), each indicator's page and its
 * RAG override (indicatorPageRoutes.ts, its view in indicatorView.ts), and the figure entry grid and upload
 * (figureRoutes.ts), and the SPC summary (spcRoutes.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { registerMultipart } from '../../../multipart.ts';
import { dashboardRoutes, scorecardRoutes } from './dashboardRoutes.ts';
import { figureRoutes } from './figureRoutes.ts';
import { indicatorFormRoutes } from './indicatorFormRoutes.ts';
import { indicatorPageRoutes } from './indicatorPageRoutes.ts';
import { spcRoutes } from './spcRoutes.ts';
import { spcMarkRoutes } from './spcMarkRoutes.ts';

export async function performanceRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  await app.register(async (scope) => {
    registerMultipart(scope);
    dashboardRoutes(scope, services);
    scorecardRoutes(scope, services);
    indicatorFormRoutes(scope, services);
    indicatorPageRoutes(scope, services);
    figureRoutes(scope, services);
    spcRoutes(scope, services);
    spcMarkRoutes(scope, services);
  });
}
