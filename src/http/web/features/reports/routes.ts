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
import { label } from '../../../../services/performance/indicators.ts';
import { loadPlanDocument } from '../../../../services/plans/plans.ts';
import { parsePeriodKey, quarterKey, quarterOfMonth } from '../../../../domain/index.ts';
import { chartTable, renderChart, tableForChart } from '../../../../presentation/charts/index.ts';
import {
  activitiesNeedingAttention,
  loadQuarterlyReport,
  quarterlyReportDocument,
  unitFormat,
  type QuarterlyReport,
} from '../../../../presentation/documents/quarterlyReport.ts';
import { parseReportQuarter } from '../../../../domain/reportQuarter.ts';
import { attachment, ukDate } from '../../../../presentation/documents/document.ts';
import { toDocx } from '../../../../presentation/documents/docx.ts';
import { loadExceptionRows } from '../../../../presentation/tables/performanceTables.ts';
import { toPrintHtml } from '../../../../presentation/documents/html.ts';
import { PdfUnavailableError } from '../../../../adapters/chromium/pdfPrinter.ts';
import { DOCX_TYPE } from '../plans/documentRoutes.ts';

const RAG_LABELS: Record<string, string> = { red: 'Red', amber: 'Amber', green: 'Green' };

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
    const docx = await toDocx(quarterlyReportDocument(report));
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
    const indicators = (await loadExceptionRows(k, pid(request))).map((e) => {
      const l = e.performance.latest;
      const fmtU = unitFormat(e.performance.indicator.unit);
      const c = e.commentary;
      return {
        commentary: c ? { text: c.text, byText: `${c.author}, ${ukDate(c.written_at)}`, periodText: l!.label } : null,
        label: label(e.performance.indicator),
        href: `${base(request)}/indicators/${e.performance.indicator.id}`,
        reasons: e.reasons,
        latestText: l && l.value !== null ? `${fmtU(l.value)} (${l.label})` : 'No figures',
        targetText: l?.targetText ?? '',
        rag: l?.rag ?? null,
        ragText: l?.rag ? RAG_LABELS[l.rag] : 'No RAG',
      };
    });
    // Overdue or off-track delivery activities of the current plan versions, as at today.
    const today = nowIso().slice(0, 10);
    const versions = await k
      .selectFrom('plan_versions')
      .innerJoin('plans', 'plans.id', 'plan_versions.plan_id')
      .select(['plan_versions.id', 'plan_versions.status', 'plans.start_year', 'plans.end_year'])
      .where('plan_versions.partnership_id', '=', pid(request))
      .orderBy('plans.start_year', 'desc')
      .orderBy('plan_versions.year', 'desc')
      .orderBy('plan_versions.id', 'desc')
      .execute();
    const version = versions.find((v) => v.status === 'published') ?? versions.find((v) => v.status === 'approved') ?? versions[0];
    const activities = version
      ? (await loadPlanDocument(k, pid(request), version.id)).priorities.flatMap((p) =>
          activitiesNeedingAttention(p, today)
            .filter((a) => a.reasons.some((r) => r.startsWith('Overdue') || r.includes('Red')))
            .map((a) => ({ ...a, priority: p.title })),
        )
      : [];
    return reply.render('features/reports/exceptions.njk', {
      title: 'Exception report',
      section: 'reports',
      breadcrumbs: crumbs(request, [{ text: 'Reports', href: `${base(request)}/reports` }]),
      base: base(request),
      indicators,
      activities,
      todayText: ukDate(today),
    });
  });
}
