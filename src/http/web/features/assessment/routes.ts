/**
 * The strategic assessment from police.uk street-level data, page group by page group: the analysis itself
 * (analysisRoutes), the partnership's area (areaRoutes), importing police.uk files (importRoutes), the
 * priority-setting matrix (matrixRoutes), the comparison with similar partnerships (comparisonRoutes) and the
 * assessment document (documentRoutes). The figures come from src/services/assessment, the charts and tables from
 * src/presentation/assessmentCharts.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { analysisRoutes } from './analysisRoutes.ts';
import { areaRoutes } from './areaRoutes.ts';
import { importRoutes } from './importRoutes.ts';
import { matrixRoutes } from './matrixRoutes.ts';
import { comparisonRoutes } from './comparisonRoutes.ts';
import { documentRoutes } from './documentRoutes.ts';
import { officialRoutes } from './officialRoutes.ts';

export async function assessmentRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  await analysisRoutes(app, services);
  await areaRoutes(app, services);
  await importRoutes(app);
  await matrixRoutes(app, services);
  await comparisonRoutes(app, services);
  await documentRoutes(app, services);
  await officialRoutes(app, services);
}
