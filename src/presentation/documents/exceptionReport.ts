/**
 * The exception report for the Performance & Delivery Group: only the indicators that are red, worsening on the
 * same period last year or missing their latest figure (with the lead's commentary on that period), and the delivery
 * activities of the plan in force today that are red or overdue. One model feeds the page and one ReportDocument,
 * written as DOCX and printed as PDF (pages and API alike), so the three say the same.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import { financialYearOfDate, formatPeriodLabel, parseFinancialYear } from '../../domain/index.ts';
import { periodContaining, periodEndDate, quarterStartDate } from '../../domain/collection.ts';
import { addDays } from '../../domain/workingDays.ts';
import { collectionForQuarter } from '../../services/cycle/collection.ts';
import { getPartnership } from '../../services/partnerships/partnerships.ts';
import { label } from '../../services/performance/indicators.ts';
import { loadPlanDocument, periodLabel, planVersionInForce } from '../../services/plans/plans.ts';
import { QUARTER_COLLECTION_LABELS, RAG_LABELS, quarterCollectionDetail } from '../labels.ts';
import { unitFormat, ukDate } from '../formats.ts';
import { loadExceptionRows } from '../tables/performanceTables.ts';
import { spcSummary } from '../../services/performance/spcSummary.ts';
import { spcReading } from '../spcIcons.ts';
import type { DocumentPrinter } from '../../adapters/chromium/pdfPrinter.ts';
import { CONTENT_TYPES } from '../../services/documents/documentJobs.ts';
import { fileNameFor, planName, type ReportDocument, type Section } from './document.ts';
import { activitiesNeedingAttention, type QuarterActivity } from './quarterlyReport.ts';
import { toDocx } from './docx.ts';
import { toPrintHtml } from './html.ts';

export interface ExceptionIndicator {
  id: number;
  label: string;
  reasons: string[];
  latestText: string;
  targetText: string;
  rag: 'red' | 'amber' | 'green' | null;
  ragText: string;
  /** Making Data Count's icons as the SPC summary shows them (issue 16): drawn on the page, named in documents. */
  variationLabel: string;
  variationSvg: string;
  assuranceLabel: string;
  assuranceSvg: string;
  commentary: { text: string; byText: string; periodText: string } | null;
}

/** An indicator whose figures for the last ended quarter were late or are missing. */
export interface ExceptionCollection {
  id: number;
  label: string;
  ownerText: string;
  status: 'late' | 'missing';
  statusText: string;
  detailText: string;
}

export interface ExceptionReport {
  partnershipName: string;
  /** ISO date the report is as at (today). */
  asAt: string;
  todayText: string;
  planText: string | null;
  indicators: ExceptionIndicator[];
  activities: (QuarterActivity & { priority: string })[];
  /** The figures of the last quarter to have ended, by the collection calendar: the late and missing ones. */
  collection: { quarterText: string; rows: ExceptionCollection[]; onTime: number; expectedIndicators: number };
  fileName: string;
}

/** The last quarter to have ended on `asAt`: its end date and label ('2026-09-30', 'Q2 2026/27'). */
export function lastEndedQuarter(asAt: string): { end: string; label: string } {
  const current = periodContaining(asAt, 'quarterly');
  const end = addDays(quarterStartDate(periodEndDate(current)), -1);
  return { end, label: formatPeriodLabel(periodContaining(end, 'quarterly')) };
}

/** The late and missing figures of the last ended quarter, from the collection page's calendar. */
async function exceptionCollection(db: Kysely<Database>, partnershipId: number, asAt: string): Promise<ExceptionReport['collection']> {
  const quarter = lastEndedQuarter(asAt);
  const byIndicator = await collectionForQuarter(db, partnershipId, quarter.end, asAt);
  const labels = new Map(
    (await db.selectFrom('indicators').select(['id', 'code', 'title']).where('partnership_id', '=', partnershipId).execute()).map((i) => [
      i.id,
      label(i),
    ]),
  );
  const rows: ExceptionCollection[] = [];
  let onTime = 0;
  let expectedIndicators = 0;
  for (const [id, c] of byIndicator) {
    if (c.expected > 0) expectedIndicators += 1;
    if (c.status === 'on_time') onTime += 1;
    if (c.status !== 'late' && c.status !== 'missing') continue;
    rows.push({
      id,
      label: labels.get(id) ?? String(id),
      ownerText: c.ownerText || 'No owner',
      status: c.status,
      statusText: QUARTER_COLLECTION_LABELS[c.status],
      detailText: quarterCollectionDetail(c),
    });
  }
  rows.sort((a, b) => (a.status === b.status ? a.label.localeCompare(b.label) : a.status === 'missing' ? -1 : 1));
  return { quarterText: quarter.label, rows, onTime, expectedIndicators };
}

/** The exception report as at a date (today, for the pages and the API). */
export async function loadExceptionReport(db: Kysely<Database>, partnershipId: number, asAt: string): Promise<ExceptionReport> {
  const partnership = await getPartnership(db, partnershipId);
  // The SPC readings come from the summary's full histories (cached per data version), as the SPC summary shows them.
  const [rows, summary] = await Promise.all([loadExceptionRows(db, partnershipId), spcSummary(db, partnershipId)]);
  const full = new Map(summary.map((p) => [p.indicator.id, p]));
  const indicators = rows.map((e): ExceptionIndicator => {
    const l = e.performance.latest;
    const fmtU = unitFormat(e.performance.indicator.unit);
    const c = e.commentary;
    const f = full.get(e.performance.indicator.id);
    const spc = f ? spcReading(f, f.latest, f.indicator.polarity, fmtU) : null;
    return {
      variationLabel: spc?.variationLabel ?? 'None',
      variationSvg: spc?.variationSvg ?? '',
      assuranceLabel: spc?.assuranceLabel ?? 'None',
      assuranceSvg: spc?.assuranceSvg ?? '',
      id: e.performance.indicator.id,
      label: label(e.performance.indicator),
      reasons: e.reasons,
      latestText: l && l.value !== null ? `${fmtU(l.value)} (${l.label})` : 'No figures',
      targetText: l?.targetText ?? '',
      rag: l?.rag ?? null,
      ragText: l?.rag ? (RAG_LABELS[l.rag] ?? l.rag) : 'No RAG',
      commentary: c ? { text: c.text, byText: `${c.author}, ${ukDate(c.written_at)}`, periodText: l!.label } : null,
    };
  });
  // Overdue or red delivery activities of the plan version in force today.
  const inForce = await planVersionInForce(db, partnershipId, parseFinancialYear(financialYearOfDate(asAt)), asAt);
  const plan = inForce ? await loadPlanDocument(db, partnershipId, inForce.version.id) : null;
  const activities = (plan?.priorities ?? []).flatMap((p) =>
    activitiesNeedingAttention(p, asAt)
      .filter((a) => a.reasons.some((r) => r.startsWith('Overdue') || r.startsWith('Delayed') || r.includes('Red')))
      .map((a) => ({ ...a, priority: p.title })),
  );
  return {
    partnershipName: partnership.name,
    asAt,
    todayText: ukDate(asAt),
    planText: plan ? planName(plan.plan.title, periodLabel(plan.plan.start_year, plan.plan.end_year), plan.version.label) : null,
    indicators,
    activities,
    collection: await exceptionCollection(db, partnershipId, asAt),
    fileName: fileNameFor(partnership.name, 'exception report', asAt),
  };
}

/** The exception report as a document for DOCX and PDF. */
export function exceptionReportDocument(r: ExceptionReport): ReportDocument {
  const indicators: Section = {
    title: 'Indicators needing attention',
    landscape: true,
    blocks: [
      {
        kind: 'paragraph',
        text: `For the Performance & Delivery Group, as at ${r.todayText}: only the indicators that are red, worsening on the same period last year or missing their latest figure, with the lead's commentary on that period.`,
      },
      r.indicators.length
        ? {
            kind: 'table',
            caption: `${r.indicators.length} indicator${r.indicators.length === 1 ? '' : 's'} need attention`,
            columns: [
              { header: 'Indicator', width: 17 },
              { header: 'Why', width: 15 },
              { header: 'Latest', width: 10 },
              { header: 'Target', width: 11 },
              { header: 'RAG', width: 6 },
              { header: 'Variation and assurance (SPC)', width: 14 },
              { header: "Lead's commentary" },
            ],
            rows: r.indicators.map((i) => [
              i.label,
              i.reasons.join('; '),
              i.latestText,
              i.targetText,
              i.ragText,
              `${i.variationLabel}; ${i.assuranceLabel === 'None' ? 'no assurance icon' : i.assuranceLabel}`,
              i.commentary ? `${i.commentary.text}\n${i.commentary.periodText}: ${i.commentary.byText}` : 'None for the latest period',
            ]),
          }
        : { kind: 'paragraph', text: 'No indicator is red, worsening or missing a figure.', emphasis: 'note' },
    ],
  };
  const activities: Section = {
    title: 'Delivery activities red, delayed or overdue',
    blocks: [
      {
        kind: 'paragraph',
        text: r.planText
          ? `From the ${r.planText}, as at ${r.todayText}.`
          : 'No approved plan is in force, so there are no delivery activities to report.',
        emphasis: 'note',
      },
      ...(r.activities.length
        ? [
            {
              kind: 'table' as const,
              caption: 'Delivery activities needing attention',
              columns: [
                { header: 'Activity', width: 28 },
                { header: 'Priority', width: 22 },
                { header: 'Lead', width: 16 },
                { header: 'Due', width: 14 },
                { header: 'Why listed' },
              ],
              rows: r.activities.map((a) => [a.title, a.priority, a.lead, a.dueText, a.reasons.join('; ')]),
            },
          ]
        : r.planText
          ? [{ kind: 'paragraph' as const, text: 'No delivery activity is red, delayed or overdue.', emphasis: 'note' as const }]
          : []),
    ],
  };
  return {
    organisation: r.partnershipName,
    title: 'Exception report',
    subtitle: r.todayText,
    titlePageLines: ['For the Performance & Delivery Group', ...(r.planText ? [r.planText] : [])],
    runningHeader: `Exception report ${r.todayText}`,
    sections: [indicators, collectionSection(r), activities],
  };
}

/** The sentence said above the late and missing figures. */
export function collectionSentence(r: ExceptionReport): string {
  const c = r.collection;
  return `Figures for ${c.quarterText} by the collection calendar, as at ${r.todayText}: ${c.onTime} of ${c.expectedIndicators} indicator${c.expectedIndicators === 1 ? '' : 's'} expected to report had every figure in on time; ${c.rows.filter((x) => x.status === 'late').length} late and ${c.rows.filter((x) => x.status === 'missing').length} with a figure missing.`;
}

function collectionSection(r: ExceptionReport): Section {
  return {
    title: `Figures late or missing for ${r.collection.quarterText}`,
    blocks: [
      { kind: 'paragraph', text: collectionSentence(r) },
      r.collection.rows.length
        ? {
            kind: 'table',
            caption: `Indicators with figures late or missing for ${r.collection.quarterText}`,
            columns: [
              { header: 'Indicator', width: 34 },
              { header: 'Owner', width: 24 },
              { header: 'Status', width: 12 },
              { header: 'Figures' },
            ],
            rows: r.collection.rows.map((x) => [x.label, x.ownerText, x.statusText, x.detailText]),
          }
        : { kind: 'paragraph', text: 'No figure for the quarter is late or missing.', emphasis: 'note' },
    ],
  };
}

/** The exception report as a PDF or DOCX file (PdfUnavailableError from the printer when Chromium cannot print). */
export async function exceptionReportFile(
  report: ExceptionReport,
  printer: DocumentPrinter,
  format: 'pdf' | 'docx',
): Promise<{ fileName: string; contentType: string; content: Buffer }> {
  const doc = exceptionReportDocument(report);
  const content =
    format === 'pdf'
      ? await printer.print(toPrintHtml(doc), { header: doc.runningHeader, footer: doc.organisation })
      : await toDocx(doc, { pictures: printer });
  return { fileName: `${report.fileName}.${format}`, contentType: CONTENT_TYPES[format], content };
}
