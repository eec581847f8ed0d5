/**
 * The quarterly performance report (the Board pack) for a chosen quarter: the page, and the same report as DOCX and
 * PDF downloads. The report is built in src/presentation/documents/quarterlyReport.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { nowIso } from '../../../../adapters/clock.ts';
import { comparePeriods, parsePeriodKey, quarterKey, quarterOfMonth } from '../../../../domain/index.ts';
import { parseReportQuarter } from '../../../../domain/reportQuarter.ts';
import { partnershipPerformance, type IndicatorPerformance } from '../../../../services/performance/performance.ts';
import { chartTable, renderPageChart, tableForChart } from '../../../../presentation/charts/index.ts';
import {
  collectionText,
  countsText,
  JUDGED_NOTE,
  loadQuarterlyReport,
  noFigureText,
  quarterlyReportDocument,
  type QuarterlyReport,
} from '../../../../presentation/documents/quarterlyReport.ts';
import { attachment } from '../../../../presentation/documents/document.ts';
import { toDocx } from '../../../../presentation/documents/docx.ts';
import { toPrintHtml } from '../../../../presentation/documents/html.ts';
import { typedPeriod, ukDate } from '../../../../presentation/formats.ts';
import { INTERVALS_NOTE } from '../../../../presentation/intervals.ts';
import { PdfUnavailableError } from '../../../../adapters/chromium/pdfPrinter.ts';
import { DOCX_TYPE } from '../plans/documentRoutes.ts';
import { base, pid, reportCrumbs } from './shared.ts';

/** The latest quarter any figure falls in, else the quarter of today: the quarter the chooser suggests. */
function suggestedQuarter(all: IndicatorPerformance[]): string {
  const latest = all
    .map((p) => p.latest?.period)
    .filter((x): x is string => x !== undefined)
    .sort(comparePeriods)
    .pop();
  if (latest) {
    const p = parsePeriodKey(latest);
    if (p.kind === 'quarter') return latest;
    if (p.kind === 'month') return quarterOfMonth(latest);
    return quarterKey(p.startYear, 4);
  }
  return quarterOfMonth(nowIso().slice(0, 7));
}

const quarterParam = (r: FastifyRequest) => (r.query as Record<string, unknown>).quarter;
/** ?intervals=1: the summary table with each quarter's figure's confidence intervals (issue 16). */
const intervalsParam = (r: FastifyRequest) => ['1', 'true', 'on'].includes(String((r.query as Record<string, unknown>).intervals));

/** The report as the page shows it: each indicator's chart drawn, with its table. */
function reportView(request: FastifyRequest, report: QuarterlyReport) {
  const showIntervals = intervalsParam(request);
  const q = `${encodeURIComponent(report.quarter.key)}${showIntervals ? '&intervals=1' : ''}`;
  return {
    showIntervals,
    intervalsNote: INTERVALS_NOTE,
    title: `Quarterly performance report ${report.quarter.label}`,
    quarterValue: typedPeriod(report.quarter.key),
    report,
    countsText: countsText(report),
    collectionText: collectionText(report),
    judgedNote: JUDGED_NOTE,
    noFigureText: noFigureText(report),
    endText: ukDate(report.quarter.endDate),
    groups: report.groups.map((g) => ({
      ...g,
      withCommentary: g.indicators.filter((i) => i.commentary.length > 0),
      indicators: g.indicators.map((i) => ({
        ...i,
        svg: i.chart ? renderPageChart(i.chart) : '',
        table: i.chart ? chartTable({ ...tableForChart(i.chart), captionSize: 's' }) : '',
      })),
    })),
    pdfHref: `${base(request)}/reports/quarterly.pdf?quarter=${q}`,
    docxHref: `${base(request)}/reports/quarterly.docx?quarter=${q}`,
  };
}

export function quarterlyReportRoutes(app: FastifyInstance, { db }: AppServices): void {
  const k = db.kysely;
  const reportFor = (request: FastifyRequest) => loadQuarterlyReport(k, pid(request), parseReportQuarter(quarterParam(request)));

  app.get('/partnerships/:partnershipId/reports/quarterly', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const raw = quarterParam(request);
    const context = { title: 'Quarterly performance report', section: 'reports', breadcrumbs: reportCrumbs(request), base: base(request) };
    if (raw === undefined) {
      const suggested = suggestedQuarter(await partnershipPerformance(k, pid(request), { latestOnly: true }));
      return reply.render('features/reports/quarterly.njk', { ...context, quarterValue: typedPeriod(suggested) });
    }
    let report: QuarterlyReport;
    try {
      report = await reportFor(request);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const quarterValue = typeof raw === 'string' ? raw : '';
      return reply.render('features/reports/quarterly.njk', { ...context, quarterValue, errors: e.errors }, 400);
    }
    return reply.render('features/reports/quarterly.njk', { ...context, ...reportView(request, report) });
  });

  app.get('/partnerships/:partnershipId/reports/quarterly.docx', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const report = await reportFor(request);
    const docx = await toDocx(quarterlyReportDocument(report, { intervals: intervalsParam(request) }), { pictures: app.pdfPrinter });
    return reply
      .type(DOCX_TYPE)
      .header('Content-Disposition', attachment(`${report.fileName}.docx`))
      .send(docx);
  });

  app.get('/partnerships/:partnershipId/reports/quarterly.pdf', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const report = await reportFor(request);
    const document = quarterlyReportDocument(report, { intervals: intervalsParam(request) });
    try {
      const pdf = await app.pdfPrinter.print(toPrintHtml(document), { header: document.runningHeader, footer: document.organisation });
      return reply
        .type('application/pdf')
        .header('Content-Disposition', attachment(`${report.fileName}.pdf`))
        .send(pdf);
    } catch (e) {
      if (!(e instanceof PdfUnavailableError)) throw e;
      request.log.warn({ err: e }, 'PDF unavailable');
      return pdfUnavailable(request, reply, report, e);
    }
  });
}

/** The page said instead of a PDF when Chromium cannot print one, with the DOCX offered. */
function pdfUnavailable(request: FastifyRequest, reply: FastifyReply, report: QuarterlyReport, e: PdfUnavailableError) {
  const q = encodeURIComponent(report.quarter.key);
  return reply.render(
    'features/plans/pdf-unavailable.njk',
    {
      title: 'The PDF cannot be made at the moment',
      reason: e.message.replace(/^PDF documents are not available on this server: /, ''),
      docxHref: `${base(request)}/reports/quarterly.docx?quarter=${q}`,
      backHref: `${base(request)}/reports/quarterly?quarter=${q}`,
    },
    503,
  );
}
