/**
 * Reports: the index, the quarterly performance report (the Board pack) for a chosen quarter as a page and as
 * PDF and DOCX downloads, and the exception report for the Performance & Delivery Group. The documents are built
 * in src/reports.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { nowIso } from '../../../../adapters/clock.ts';
import { comparePeriods, partnershipPerformance, type IndicatorPerformance } from '../../../../services/performance/performance.ts';
import { parsePeriodKey, quarterKey, quarterOfMonth } from '../../../../domain/index.ts';
import { chartTable, renderChart, tableForChart } from '../../../../presentation/charts/index.ts';
import {
  countsText,
  JUDGED_NOTE,
  loadQuarterlyReport,
  noFigureText,
  quarterlyReportDocument,
  type QuarterlyReport,
} from '../../../../presentation/documents/quarterlyReport.ts';
import { parseReportQuarter } from '../../../../domain/reportQuarter.ts';
import { attachment, ukDate } from '../../../../presentation/documents/document.ts';
import { toDocx } from '../../../../presentation/documents/docx.ts';
import { exceptionReportFile, loadExceptionReport } from '../../../../presentation/documents/exceptionReport.ts';
import { toPrintHtml } from '../../../../presentation/documents/html.ts';
import { PdfUnavailableError } from '../../../../adapters/chromium/pdfPrinter.ts';
import { DOCX_TYPE } from '../plans/documentRoutes.ts';

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

/** A quarter key as people write it in the chooser: '2019-20 Q4' → '2019/20 Q4'. */
const asTyped = (key: string) => key.replace(/^(\d{4})-(\d{2}) /, '$1/$2 ');

export async function reportRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;
  const pid = (r: FastifyRequest) => r.access!.partnership.id;
  const base = (r: FastifyRequest) => `/partnerships/${pid(r)}`;
  const crumbs = (r: FastifyRequest, extra: { text: string; href: string }[] = []) => [
    { text: 'Home', href: '/' },
    { text: r.access!.partnership.name, href: base(r) },
    ...extra,
  ];
  const quarterParam = (r: FastifyRequest) => (r.query as Record<string, unknown>).quarter;

  app.get('/partnerships/:partnershipId/reports', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    return reply.render('features/reports/index.njk', {
      title: 'Reports',
      section: 'reports',
      breadcrumbs: crumbs(request),
      base: base(request),
    });
  });

  app.get('/partnerships/:partnershipId/reports/quarterly', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const raw = quarterParam(request);
    const context = {
      title: 'Quarterly performance report',
      section: 'reports',
      breadcrumbs: crumbs(request, [{ text: 'Reports', href: `${base(request)}/reports` }]),
      base: base(request),
    };
    if (raw === undefined) {
      const suggested = suggestedQuarter(await partnershipPerformance(k, pid(request), { latestOnly: true }));
      return reply.render('features/reports/quarterly.njk', { ...context, quarterValue: asTyped(suggested) });
    }
    let report: QuarterlyReport;
    try {
      report = await loadQuarterlyReport(k, pid(request), parseReportQuarter(raw));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return reply.render(
        'features/reports/quarterly.njk',
        { ...context, quarterValue: typeof raw === 'string' ? raw : '', errors: e.errors },
        400,
      );
    }
    const q = encodeURIComponent(report.quarter.key);
    return reply.render('features/reports/quarterly.njk', {
      ...context,
      title: `Quarterly performance report ${report.quarter.label}`,
      quarterValue: asTyped(report.quarter.key),
      report,
      countsText: countsText(report),
      judgedNote: JUDGED_NOTE,
      noFigureText: noFigureText(report),
      endText: ukDate(report.quarter.endDate),
      groups: report.groups.map((g) => ({
        ...g,
        withCommentary: g.indicators.filter((i) => i.commentary.length > 0),
        indicators: g.indicators.map((i) => ({
          ...i,
          svg: i.chart ? renderChart(i.chart) : '',
          table: i.chart ? chartTable({ ...tableForChart(i.chart), captionSize: 's' }) : '',
        })),
      })),
      pdfHref: `${base(request)}/reports/quarterly.pdf?quarter=${q}`,
      docxHref: `${base(request)}/reports/quarterly.docx?quarter=${q}`,
    });
  });

  async function reportFor(request: FastifyRequest): Promise<QuarterlyReport> {
    return loadQuarterlyReport(k, pid(request), parseReportQuarter(quarterParam(request)));
  }

  app.get('/partnerships/:partnershipId/reports/quarterly.docx', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const report = await reportFor(request);
    const docx = await toDocx(quarterlyReportDocument(report), { pictures: app.pdfPrinter });
    return reply
      .type(DOCX_TYPE)
      .header('Content-Disposition', attachment(`${report.fileName}.docx`))
      .send(docx);
  });

  app.get(
    '/partnerships/:partnershipId/reports/quarterly.pdf',
    { config: { auth: 'partnership.read' } },
    async (request, reply: FastifyReply) => {
      const report = await reportFor(request);
      const document = quarterlyReportDocument(report);
      try {
        const pdf = await app.pdfPrinter.print(toPrintHtml(document), { header: document.runningHeader, footer: document.organisation });
        return reply
          .type('application/pdf')
          .header('Content-Disposition', attachment(`${report.fileName}.pdf`))
          .send(pdf);
      } catch (e) {
        if (!(e instanceof PdfUnavailableError)) throw e;
        request.log.warn({ err: e }, 'PDF unavailable');
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
    },
  );

  app.get('/partnerships/:partnershipId/reports/exceptions', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const report = await loadExceptionReport(k, pid(request), nowIso().slice(0, 10));
    return reply.render('features/reports/exceptions.njk', {
      title: 'Exception report',
      section: 'reports',
      breadcrumbs: crumbs(request, [{ text: 'Reports', href: `${base(request)}/reports` }]),
      base: base(request),
      indicators: report.indicators.map((i) => ({ ...i, href: `${base(request)}/indicators/${i.id}` })),
      activities: report.activities,
      todayText: report.todayText,
      pdfHref: `${base(request)}/reports/exceptions.pdf`,
      docxHref: `${base(request)}/reports/exceptions.docx`,
    });
  });

  // The exception report as PDF and DOCX (src/presentation/documents/exceptionReport.ts).
  for (const format of ['pdf', 'docx'] as const)
    app.get(
      `/partnerships/:partnershipId/reports/exceptions.${format}`,
      { config: { auth: 'partnership.read' } },
      async (request, reply) => {
        const report = await loadExceptionReport(k, pid(request), nowIso().slice(0, 10));
        try {
          const file = await exceptionReportFile(report, app.pdfPrinter, format);
          return reply.type(file.contentType).header('Content-Disposition', attachment(file.fileName)).send(file.content);
        } catch (e) {
          if (!(e instanceof PdfUnavailableError)) throw e;
          request.log.warn({ err: e }, 'PDF unavailable');
          return reply.render(
            'features/plans/pdf-unavailable.njk',
            {
              title: 'The PDF cannot be made at the moment',
              reason: e.message.replace(/^PDF documents are not available on this server: /, ''),
              docxHref: `${base(request)}/reports/exceptions.docx`,
              backHref: `${base(request)}/reports/exceptions`,
            },
            503,
          );
        }
      },
    );
}
