/**
 * The exception report for the Performance & Delivery Group: indicators needing attention with the lead's
 * commentary, and the delivery activities overdue or red in the plan being reported on, as at today.
 */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { nowIso } from '../../../../adapters/clock.ts';
import { label } from '../../../../services/performance/indicators.ts';
import { exceptionActivities } from '../../../../presentation/documents/quarterlyReport.ts';
import { loadExceptionRows, type ExceptionRow } from '../../../../presentation/tables/performanceTables.ts';
import { RAG_LABELS } from '../../../../presentation/labels.ts';
import { ukDate, unitFormat } from '../../../../presentation/formats.ts';
import { base, pid, reportCrumbs } from './shared.ts';

/** One indicator of the report as the page shows it. */
function exceptionView(e: ExceptionRow, basePath: string) {
  const l = e.performance.latest;
  const fmtU = unitFormat(e.performance.indicator.unit);
  const c = e.commentary;
  return {
    commentary: c ? { text: c.text, byText: `${c.author}, ${ukDate(c.written_at)}`, periodText: l!.label } : null,
    label: label(e.performance.indicator),
    href: `${basePath}/indicators/${e.performance.indicator.id}`,
    reasons: e.reasons,
    latestText: l && l.value !== null ? `${fmtU(l.value)} (${l.label})` : 'No figures',
    targetText: l?.targetText ?? '',
    rag: l?.rag ?? null,
    ragText: l?.rag ? RAG_LABELS[l.rag] : 'No RAG',
    ragReason: l && !l.rag ? (l.reasons.rag ?? '') : '',
  };
}

export function exceptionReportRoutes(app: FastifyInstance, { db }: AppServices): void {
  const k = db.kysely;
  app.get('/partnerships/:partnershipId/reports/exceptions', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const today = nowIso().slice(0, 10);
    const [rows, activities] = await Promise.all([loadExceptionRows(k, pid(request)), exceptionActivities(k, pid(request), today)]);
    return reply.render('features/reports/exceptions.njk', {
      title: 'Exception report',
      section: 'reports',
      breadcrumbs: reportCrumbs(request),
      base: base(request),
      indicators: rows.map((e) => exceptionView(e, base(request))),
      activities,
      todayText: ukDate(today),
    });
  });
}
