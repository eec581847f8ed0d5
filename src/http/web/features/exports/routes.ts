/**
 * Table downloads as CSV and as Excel workbooks: the performance dashboard, an indicator's figures, the year-end
 * performance table of a financial year, the scorecard, the exception report's indicators, and a plan version's
 * risk register and funding allocations. The tables are built in src/presentation/tables/performanceTables.ts and
 * src/presentation/tables/planTables.ts from the figures the pages show, and written by src/presentation/tables/tableExport.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import { label } from '../../../../services/performance/indicators.ts';
import { indicatorPerformance, partnershipPerformance } from '../../../../services/performance/performance.ts';
import { attachment, fileNameFor } from '../../../../presentation/documents/document.ts';
import {
  dashboardTable,
  exceptionTable,
  figuresTable,
  loadExceptionRows,
  parseReportYear,
  scorecardTable,
  yearEndTable,
} from '../../../../presentation/tables/performanceTables.ts';
import { fundingAllocationsTable, riskRegisterTable } from '../../../../presentation/tables/planTables.ts';
import { scorecardSections } from '../../../../services/performance/scorecard.ts';
import { loadPlanDocument } from '../../../../services/plans/plans.ts';
import { CSV_TYPE, toCsv, toXlsx, XLSX_TYPE, type ExportTable } from '../../../../presentation/tables/tableExport.ts';
import { versionName } from '../../../../domain/planNames.ts';

type Format = 'csv' | 'xlsx';
const FORMATS: Format[] = ['csv', 'xlsx'];

async function send(reply: FastifyReply, table: ExportTable, fileName: string, format: Format) {
  if (format === 'csv')
    return reply
      .type(CSV_TYPE)
      .header('Content-Disposition', attachment(`${fileName}.csv`))
      .send(toCsv(table));
  return reply
    .type(XLSX_TYPE)
    .header('Content-Disposition', attachment(`${fileName}.xlsx`))
    .send(await toXlsx(table));
}

export async function exportRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;
  const pid = (r: FastifyRequest) => r.access!.partnership.id;
  const partnershipName = (r: FastifyRequest) => r.access!.partnership.name;

  for (const format of FORMATS) {
    app.get(`/partnerships/:partnershipId/performance.${format}`, { config: { auth: 'partnership.read' } }, async (request, reply) => {
      const all = await partnershipPerformance(k, pid(request), { latestOnly: true });
      return send(reply, dashboardTable(all), fileNameFor(partnershipName(request), 'performance dashboard'), format);
    });

    app.get(
      `/partnerships/:partnershipId/indicators/:indicatorId/figures.${format}`,
      { config: { auth: 'partnership.read' } },
      async (request, reply) => {
        const id = assertValidId((request.params as { indicatorId: string }).indicatorId, 'Indicator');
        const perf = await indicatorPerformance(k, pid(request), id);
        return send(reply, figuresTable(perf), fileNameFor(partnershipName(request), label(perf.indicator), 'figures'), format);
      },
    );

    app.get(`/partnerships/:partnershipId/reports/year-end.${format}`, { config: { auth: 'partnership.read' } }, async (request, reply) => {
      // A year that is missing or not a financial year is a ValidationError: the 400 problem page names it.
      const fy = parseReportYear((request.query as Record<string, unknown>).year);
      const all = await partnershipPerformance(k, pid(request));
      return send(reply, yearEndTable(all, fy), fileNameFor(partnershipName(request), 'year-end performance', fy), format);
    });

    app.get(
      `/partnerships/:partnershipId/performance/scorecard.${format}`,
      { config: { auth: 'partnership.read' } },
      async (request, reply) => {
        const all = await partnershipPerformance(k, pid(request), { latestOnly: true });
        return send(
          reply,
          scorecardTable(await scorecardSections(k, pid(request), all)),
          fileNameFor(partnershipName(request), 'scorecard'),
          format,
        );
      },
    );

    app.get(
      `/partnerships/:partnershipId/reports/exceptions.${format}`,
      { config: { auth: 'partnership.read' } },
      async (request, reply) => {
        return send(
          reply,
          exceptionTable(await loadExceptionRows(k, pid(request))),
          fileNameFor(partnershipName(request), 'exception report'),
          format,
        );
      },
    );

    app.get(
      `/partnerships/:partnershipId/plan-versions/:versionId/risks.${format}`,
      { config: { auth: 'partnership.read' } },
      async (request, reply) => {
        const doc = await loadPlanDocument(
          k,
          pid(request),
          assertValidId((request.params as { versionId: string }).versionId, 'Plan version'),
        );
        return send(
          reply,
          riskRegisterTable(doc, request.access!.partnership.risk_scoring === 'five'),
          fileNameFor(partnershipName(request), versionName(doc.plan.title, doc.version.label), 'risk register'),
          format,
        );
      },
    );

    app.get(
      `/partnerships/:partnershipId/plan-versions/:versionId/funding.${format}`,
      { config: { auth: 'partnership.read' } },
      async (request, reply) => {
        const doc = await loadPlanDocument(
          k,
          pid(request),
          assertValidId((request.params as { versionId: string }).versionId, 'Plan version'),
        );
        return send(
          reply,
          fundingAllocationsTable(doc),
          fileNameFor(partnershipName(request), versionName(doc.plan.title, doc.version.label), 'funding allocations'),
          format,
        );
      },
    );
  }
}
