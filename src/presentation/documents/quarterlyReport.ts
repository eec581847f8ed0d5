/**
 * The quarterly performance report (the Board pack) for one financial-year quarter. It opens with a summary of every
 * indicator in one table (figure, year to date, the same a year earlier, change and its significance, baseline,
 * target and how the figure is judged against it, RAG, direction) and the counts of each RAG and direction; then,
 * for each priority of the plan version in force in the quarter (and the other indicators with a figure in the
 * quarter), each indicator's figure for the
 * quarter with its target, RAG, direction and a quarter-by-year chart with its table; the delivery activities off
 * track (RAG red or amber) or overdue at the end of the quarter; the high risks; the lead's commentary on each
 * indicator's figure for the quarter; and the priority group's highlight reports of the quarter's three months.
 * One model feeds the page and one ReportDocument, written as DOCX and printed as PDF, so the three say the same.
 */
import type { Kysely } from 'kysely';
import type { Database, Indicator } from '../../adapters/database/schema.ts';
import { figureIntervals, financialYearKey, formatPeriodLabel, monthsOfQuarter, type FigureIntervals } from '../../domain/index.ts';
import { INTERVALS_NOTE, intervalTexts } from '../intervals.ts';
import { quarterSummary, type QuarterSummary } from '../../domain/quarterSummary.ts';
import type { ReportQuarter } from '../../domain/reportQuarter.ts';
import { renderChart, tableForChart, type ChartSpec } from '../charts/index.ts';
import { getPartnership } from '../../services/partnerships/partnerships.ts';
import { loadPlanDocument, periodLabel, planVersionInForce, type PlanDocument } from '../../services/plans/plans.ts';
import { servingIndicators } from '../../services/plans/planTargets.ts';
import {
  ACTIVITY_STATUS_LABELS,
  DIRECTION_LABELS,
  QUARTER_COLLECTION_LABELS,
  RAG_LABELS,
  RISK_LEVEL_LABELS,
  UNIT_LABELS,
  quarterCollectionDetail,
} from '../labels.ts';
import { collectionForQuarter } from '../../services/cycle/collection.ts';
import { todayIso } from '../../adapters/clock.ts';
import { collectionAsAtForQuarter, type CollectionAsAt, type QuarterCollectionStatus } from '../../domain/collection.ts';
import { unitFormat, ukDate } from '../formats.ts';
import { label, targetText } from '../../services/performance/indicators.ts';
import {
  partnershipPerformance,
  quarterByYear,
  type IndicatorPerformance,
  type PeriodPerformance,
} from '../../services/performance/performance.ts';
import { commentaryForPeriods, type CommentaryEntry } from '../../services/performance/commentary.ts';
import { highlightReportsFor, type HighlightReportDetails } from '../../services/performance/highlightReports.ts';
import { fileNameFor, paragraphs, planName, type Block, type ReportDocument, type Section } from './document.ts';
import { quarterSpcRow, spcSection, type QuarterSpcRow } from './spcSection.ts';
import { otherTargetsText } from '../targetJudgements.ts';

export interface QuarterIndicator {
  id: number;
  label: string;
  /** The figure for the quarter, formatted; 'No figure' when there is none. */
  valueText: string;
  hasFigure: boolean;
  /** What the figure is: 'Q4 2019/20', 'Sum of January to March 2020', '2019/20 (annual)'. */
  periodText: string;
  targetText: string;
  rag: 'red' | 'amber' | 'green' | null;
  ragText: string;
  directionText: string;
  /** How the figure is set against the target: 'Projected year end (3,204) against the annual target'. */
  judgedText: string;
  /** The first target's trajectory and the second target judged, in words (lines); '' when there is neither. */
  otherTargetsText: string;
  /** The summary table's figures, formatted ('' where there is none). */
  summary: QuarterSummaryText;
  /** For the counts: red, amber, green or none, and improving, worsening, no change or none. */
  directionKind: 'improving' | 'worsening' | 'no change' | 'other';
  /** Quarter-by-year chart (years up to the quarter's) as SVG, with the same numbers as a table. */
  chart: Extract<ChartSpec, { type: 'groupedBar' }> | null;
  /** The lead's commentary on the quarter's period (each month of it, newest first, for a monthly indicator). */
  commentary: QuarterCommentary[];
}

export interface QuarterSummaryText {
  value: string;
  yearToDate: string;
  lastYear: string;
  yearToDateLastYear: string;
  change: string;
  percentChange: string;
  baseline: string;
  significance: string;
  /** The quarter's figure's 95% and 99.8% confidence intervals ('' with the reason when there are none). */
  ci95: string;
  ci998: string;
  intervalReason: string;
}

/** What the Board pack may add on request. */
export interface QuarterlyReportOptions {
  /** Add the 95% and 99.8% confidence intervals of each quarter's figure to the summary table. */
  intervals?: boolean;
}

export interface QuarterCommentary {
  /** 'Q4 2019/20', 'March 2020', '2019/20' */
  periodText: string;
  text: string;
  /** 'Jo Bloggs, 14 April 2020' */
  byText: string;
}

/** A priority group's highlight report for one month of the quarter. */
export interface QuarterHighlight {
  id: number;
  monthText: string;
  rag: 'red' | 'amber' | 'green' | null;
  ragText: string;
  progress: string;
  milestonesAchieved: string;
  milestonesNext: string;
  issuesRisks: string;
  boardRequests: string;
  byText: string;
}

export interface QuarterActivity {
  title: string;
  lead: string;
  dueText: string;
  statusText: string;
  ragText: string;
  reasons: string[];
}

export interface QuarterRisk {
  risk: string;
  severityText: string;
  likelihoodText: string;
  mitigation: string;
  responsible: string;
}

export interface QuarterGroup {
  title: string;
  /** The indicators linked to no priority of the plan (no activities or risks). */
  other: boolean;
  indicators: QuarterIndicator[];
  activities: QuarterActivity[];
  risks: QuarterRisk[];
  /** The highlight reports of the quarter's months, newest first (none for the other indicators). */
  highlights: QuarterHighlight[];
}

export interface QuarterlyReport {
  partnershipName: string;
  quarter: ReportQuarter;
  /** The plan version the priorities come from, or null when no approved plan was in force. */
  planText: string | null;
  /** Why this plan version (or none) is the one reported against. */
  planNote: string;
  groups: QuarterGroup[];
  /** Every indicator of the report once, in report order, for the summary table. */
  summary: QuarterIndicator[];
  counts: { red: number; amber: number; green: number; noRag: number; improving: number; worsening: number; noChange: number };
  /** Each indicator's SPC reading and year-end outlook as at the end of the quarter (spcSection.ts). */
  spc: QuarterSpcRow[];
  /** How each indicator's figures for the quarter came in by the collection calendar, as at `collectionAsAt`. */
  collection: QuarterCollectionRow[];
  collectionAsAt: string;
  /** Why that day: the day the pack was made, or the end of the quarter after an earlier quarter. */
  collectionAsAtBasis: CollectionAsAt['basis'];
  fileName: string;
}

export interface QuarterCollectionRow {
  id: number;
  label: string;
  ownerText: string;
  status: QuarterCollectionStatus;
  statusText: string;
  detailText: string;
}

/** The indicator's figure for the quarter and the period whose RAG and direction are reported with it. */
function quarterFigure(
  p: IndicatorPerformance,
  q: ReportQuarter,
): { value: number | null; periodText: string; at: PeriodPerformance | null } {
  const byPeriod = new Map(p.periods.map((x) => [x.period, x]));
  const fmtMonths = monthsOfQuarter(q.key);
  if (p.indicator.frequency === 'quarterly') {
    const at = byPeriod.get(q.key) ?? null;
    return { value: at?.value ?? null, periodText: q.label, at };
  }
  if (p.indicator.frequency === 'annual') {
    const fy = financialYearKey(q.financialYearStart);
    const at = byPeriod.get(fy) ?? null;
    return { value: at?.value ?? null, periodText: `${fy} (annual)`, at };
  }
  // Monthly: the quarter's figure as quarterByYear works it out (sum of three months, or their mean).
  const row = quarterByYear(p)?.find((y) => y.year === financialYearKey(q.financialYearStart));
  const value = row?.quarters[q.quarter - 1] ?? null;
  const additive = p.indicator.unit === 'count' || p.indicator.unit === 'money';
  const at =
    [...fmtMonths]
      .reverse()
      .map((m) => byPeriod.get(m))
      .find((x) => x !== undefined) ?? null;
  return {
    value,
    periodText: `${additive ? 'Total' : 'Mean'} of ${formatPeriodLabel(fmtMonths[0]!)} to ${formatPeriodLabel(fmtMonths[2]!)}`,
    at,
  };
}

/** The periods of an indicator whose commentary belongs to the quarter, newest first. */
export function commentaryPeriods(frequency: Indicator['frequency'], q: ReportQuarter): string[] {
  if (frequency === 'quarterly') return [q.key];
  if (frequency === 'annual') return [financialYearKey(q.financialYearStart)];
  return [...monthsOfQuarter(q.key)].reverse();
}

function commentaryRow(c: CommentaryEntry): QuarterCommentary {
  return { periodText: formatPeriodLabel(c.period), text: c.text, byText: `${c.author}, ${ukDate(c.written_at)}` };
}

function highlightRow(h: HighlightReportDetails): QuarterHighlight {
  return {
    id: h.id,
    monthText: h.monthLabel,
    rag: h.rag,
    ragText: h.rag ? (RAG_LABELS[h.rag] ?? h.rag) : 'Not given',
    progress: h.progress,
    milestonesAchieved: h.milestones_achieved,
    milestonesNext: h.milestones_next,
    issuesRisks: h.issues_risks,
    boardRequests: h.board_requests,
    byText: `${h.author}, ${ukDate(h.updated_at)}`,
  };
}

const signed = (n: number, f: (n: number) => string) => (n > 0 ? `+${f(n)}` : n < 0 ? `-${f(-n)}` : f(0));

/** How the figure is set against its target, in words, from what the performance service compared. */
function judgedText(at: PeriodPerformance | null, fmtU: (n: number) => string, frequency: Indicator['frequency']): string {
  if (!at || !at.target || at.assessed === null) return '';
  switch (at.assessedAs) {
    case 'projected_year_end':
      return `Projected year end (${fmtU(at.assessed)}) against the annual target`;
    case 'span_total':
      return `Total to date (${fmtU(at.assessed)}) against the limit for the whole span`;
    default:
      return frequency === 'annual' ? "The year's figure against the target" : "The period's own figure against the target";
  }
}

const DIRECTION_ON: Record<NonNullable<QuarterSummary['directionOn']>, string> = {
  'last year': 'on last year',
  baseline: 'on the baseline',
  'projected year end on baseline': 'projected year end on the baseline',
};

/** The intervals of the quarter's figure: the period's own, or a monthly count's sum over the quarter's months. */
function quarterIntervals(p: IndicatorPerformance, value: number | null, at: PeriodPerformance | null): FigureIntervals {
  const i = p.indicator;
  if (i.frequency !== 'monthly') return at?.intervals ?? { applicable: false, reason: 'No figure for this period' };
  if (i.unit === 'count' || i.unit === 'money') return figureIntervals({ unit: i.unit, value, population: at?.population ?? null });
  return { applicable: false, reason: "The quarter's figure is the mean of its months, which has no interval of its own" };
}

function summaryText(
  p: IndicatorPerformance,
  s: QuarterSummary,
  fmtU: (n: number) => string,
  intervals: FigureIntervals,
): QuarterSummaryText {
  const i = p.indicator;
  const ci = intervalTexts(intervals, i.unit);
  const f = (n: number | null) => (n === null ? '' : fmtU(n));
  const change = s.change === null ? '' : signed(s.change, fmtU);
  return {
    value: s.value === null ? 'No figure' : fmtU(s.value),
    yearToDate: f(s.yearToDate),
    lastYear: f(s.lastYear),
    yearToDateLastYear: f(s.yearToDateLastYear),
    change: change && s.comparedOn === 'period' ? `${change} (on the period)` : change,
    percentChange: s.percentChange === null ? '' : `${signed(s.percentChange, (n) => n.toFixed(1))}%`,
    baseline: i.baseline ? `${fmtU(Number(i.baseline.value))} (${formatPeriodLabel(i.baseline.period)})` : '',
    significance: s.significance ? s.significance.description : s.change === null ? '' : 'Not tested (no counts or recorded numerators)',
    ci95: ci.ci95,
    ci998: ci.ci998,
    intervalReason: ci.reason,
  };
}

function indicatorRow(p: IndicatorPerformance, q: ReportQuarter, commentary: CommentaryEntry[] = []): QuarterIndicator {
  const i = p.indicator;
  const fmtU = unitFormat(i.unit);
  const { value, periodText, at } = quarterFigure(p, q);
  const rag = at?.rag ?? null;
  // Without a figure for the quarter, the latest target set.
  const latestTarget = i.targets.filter((x) => x.tier === 'first').at(-1);
  const target = at?.targetText ?? (latestTarget ? targetText(latestTarget) : null);
  const sums = quarterSummary({
    frequency: i.frequency,
    additive: i.unit === 'count' || i.unit === 'money',
    count: i.unit === 'count',
    polarity: i.polarity,
    values: new Map(p.series.map((x) => [x.period, x.value])),
    quarter: q.key,
    baseline: i.baseline ? { value: Number(i.baseline.value), period: i.baseline.period } : null,
    projectedYearEnd: at?.assessedAs === 'projected_year_end' ? at.assessed : null,
    // A quarterly or annual figure is the period's own, so its test against last year's (a percentage or rate with
    // numerator and denominator) is the one the indicator page shows; a monthly indicator's quarter is worked out.
    periodSignificance: i.frequency === 'monthly' ? null : (at?.significance ?? null),
  });
  const years = (quarterByYear(p) ?? []).filter((y) => Number(y.year.slice(0, 4)) <= q.financialYearStart).slice(-3);
  const chart: QuarterIndicator['chart'] =
    years.length > 0
      ? {
          type: 'groupedBar',
          title: `${label(i)}: quarter by year`,
          description: `Figures by quarter, one bar for each financial year from ${years[0]!.year} to ${years[years.length - 1]!.year}.`,
          categories: ['Q1', 'Q2', 'Q3', 'Q4'],
          // Nothing after the quarter reported on.
          series: years.map((y) => ({
            name: y.year,
            values: y.quarters.map((v, n) => (y.year === financialYearKey(q.financialYearStart) && n >= q.quarter ? null : v)),
          })),
          formatValue: fmtU,
          units: UNIT_LABELS[i.unit],
          categoryAxisLabel: 'Quarter',
          width: 480,
          height: 240,
        }
      : null;
  const direction = sums.direction;
  return {
    id: i.id,
    label: label(i),
    valueText: value === null ? 'No figure' : fmtU(value),
    hasFigure: value !== null,
    periodText,
    targetText: target ?? 'No target',
    rag,
    ragText: rag
      ? `${RAG_LABELS[rag]}${at?.overridden ? ' (overridden)' : ''}`
      : p.problems.length > 0
        ? 'No RAG: a stored figure cannot be used (see the indicator page)'
        : i.polarity === 'monitor'
          ? 'Monitor only'
          : 'No RAG',
    directionText: direction
      ? `${DIRECTION_LABELS[direction]} (${DIRECTION_ON[sums.directionOn!]})`
      : value === null
        ? 'No figure for the quarter'
        : 'No earlier figure or baseline to compare with',
    judgedText: judgedText(at, fmtU, i.frequency),
    otherTargetsText: otherTargetsText(at, fmtU),
    summary: summaryText(p, sums, fmtU, quarterIntervals(p, value, at)),
    directionKind: direction === 'improving' || direction === 'worsening' || direction === 'no change' ? direction : 'other',
    chart,
    commentary: commentaryPeriods(i.frequency, q).flatMap((period) =>
      commentary.filter((c) => c.indicator_id === i.id && c.period === period).map(commentaryRow),
    ),
  };
}

/**
 * The activities to report as off track or overdue at `asAt` (the end of the quarter): those due by then and not
 * complete or cancelled (overdue, with their RAG when red or amber), and those whose status is Delayed. An activity
 * not yet due is listed only when its status says it is delayed, and one not started by then only when overdue.
 */
export function activitiesNeedingAttention(priority: PlanDocument['priorities'][number], asAt: string): QuarterActivity[] {
  const out: QuarterActivity[] = [];
  for (const o of priority.objectives) {
    for (const a of o.activities) {
      if (a.status === 'complete' || a.status === 'cancelled') continue;
      const reasons: string[] = [];
      const due = a.due_date !== null && a.due_date !== '' && a.due_date <= asAt;
      if (due) reasons.push(`Overdue: due ${ukDate(a.due_date)}`);
      if (a.status === 'delayed') reasons.push('Delayed (its status)');
      if (reasons.length === 0) continue;
      if (a.rag === 'red' || a.rag === 'amber') reasons.unshift(`Off track (${RAG_LABELS[a.rag]})`);
      out.push({
        title: a.title,
        lead: a.lead ?? '',
        dueText: ukDate(a.due_date),
        statusText: ACTIVITY_STATUS_LABELS[a.status] ?? a.status,
        ragText: a.rag ? (RAG_LABELS[a.rag] ?? a.rag) : 'None',
        reasons,
      });
    }
  }
  return out;
}

/** Risks of high severity whose likelihood is high or medium. */
export function highRisks(priority: PlanDocument['priorities'][number]): QuarterRisk[] {
  return priority.risks
    .filter((r) => r.severity === 'high' && (r.likelihood === 'high' || r.likelihood === 'medium'))
    .map((r) => ({
      risk: r.risk,
      severityText: RISK_LEVEL_LABELS[r.severity] ?? r.severity,
      likelihoodText: RISK_LEVEL_LABELS[r.likelihood] ?? r.likelihood,
      mitigation: r.mitigation ?? '',
      responsible: r.responsible_partner ?? '',
    }));
}

/** Everything the report shows for a partnership and a quarter. */
export async function loadQuarterlyReport(db: Kysely<Database>, partnershipId: number, quarter: ReportQuarter): Promise<QuarterlyReport> {
  const partnership = await getPartnership(db, partnershipId);
  // Indicators retired before this quarter are left out (decision 0021); those retired after it stay in its pack.
  const all = await partnershipPerformance(db, partnershipId, { liveIn: quarter.key });
  const inForce = await planVersionInForce(db, partnershipId, quarter.financialYearStart, quarter.endDate);
  const plan = inForce ? await loadPlanDocument(db, partnershipId, inForce.version.id) : null;
  const serving = plan ? await servingIndicators(db, partnershipId, plan) : new Map<number, Set<number>>();
  const periods = [quarter.key, financialYearKey(quarter.financialYearStart), ...monthsOfQuarter(quarter.key)];
  const commentary = await commentaryForPeriods(db, partnershipId, periods);
  const months = monthsOfQuarter(quarter.key);
  const highlights = await highlightReportsFor(
    db,
    partnershipId,
    (plan?.priorities ?? []).map((p) => p.id),
    [...months],
  );
  const groups: QuarterGroup[] = [];
  const shown = new Set<number>();
  for (const pr of plan?.priorities ?? []) {
    // Only the indicators serving this plan's priority (linked to it, an objective, or what they were copied from).
    const ids = serving.get(pr.id) ?? new Set<number>();
    const linked = all.filter((p) => ids.has(p.indicator.id));
    linked.forEach((p) => shown.add(p.indicator.id));
    groups.push({
      title: pr.title,
      other: false,
      indicators: linked.map((p) => indicatorRow(p, quarter, commentary)),
      activities: activitiesNeedingAttention(pr, quarter.endDate),
      risks: highRisks(pr),
      highlights: highlights.filter((h) => h.priority_id === pr.id).map(highlightRow),
    });
  }
  // Other indicators: only those with a figure for the quarter, not pages of "No figure".
  const others = all
    .filter((p) => !shown.has(p.indicator.id))
    .map((p) => indicatorRow(p, quarter, commentary))
    .filter((i) => i.hasFigure);
  if (others.length > 0)
    groups.push({
      title: 'Other indicators',
      other: true,
      indicators: others,
      activities: [],
      risks: [],
      highlights: [],
    });
  const byId = new Map<number, QuarterIndicator>();
  for (const i of groups.flatMap((g) => g.indicators)) if (!byId.has(i.id)) byId.set(i.id, i);
  const summary = [...byId.values()];
  const count = (f: (i: QuarterIndicator) => boolean) => summary.filter(f).length;
  const planText = plan ? planName(plan.plan.title, periodLabel(plan.plan.start_year, plan.plan.end_year), plan.version.label) : null;
  const asAt = collectionAsAtForQuarter(quarter.endDate, todayIso());
  const collectionAsAt = asAt.date;
  const byIndicator = await collectionForQuarter(db, partnershipId, quarter.endDate, collectionAsAt);
  const collection = summary.flatMap((i): QuarterCollectionRow[] => {
    const c = byIndicator.get(i.id);
    if (!c) return [];
    const detailText = quarterCollectionDetail(c);
    return [
      {
        id: i.id,
        label: i.label,
        ownerText: c.ownerText || 'No owner',
        status: c.status,
        statusText: QUARTER_COLLECTION_LABELS[c.status],
        detailText,
      },
    ];
  });
  const planNote = !inForce
    ? `No approved plan was in force in ${quarter.label}: the indicators with a figure for the quarter are listed without priorities.`
    : inForce.covers
      ? `The priorities are those of the ${planText}, approved on ${ukDate(inForce.version.approved_at)}, the version in force in ${quarter.label}.`
      : `The priorities are those of the ${planText}, approved on ${ukDate(inForce.version.approved_at)}. Its years ended before ${quarter.label} and no later plan had been approved by ${ukDate(quarter.endDate)}, so it was still in force.`;
  return {
    partnershipName: partnership.name,
    quarter,
    planText,
    planNote,
    groups,
    summary,
    counts: {
      red: count((i) => i.rag === 'red'),
      amber: count((i) => i.rag === 'amber'),
      green: count((i) => i.rag === 'green'),
      noRag: count((i) => i.hasFigure && i.rag === null),
      improving: count((i) => i.directionKind === 'improving'),
      worsening: count((i) => i.directionKind === 'worsening'),
      noChange: count((i) => i.directionKind === 'no change'),
    },
    spc: summary.flatMap((i) => {
      const p = all.find((x) => x.indicator.id === i.id);
      const row = p && i.hasFigure ? quarterSpcRow(p, quarter) : null;
      return row ? [row] : [];
    }),
    collection,
    collectionAsAt,
    collectionAsAtBasis: asAt.basis,
    fileName: fileNameFor(partnership.name, 'quarterly performance report', quarter.label),
  };
}

/** A labelled text: its first paragraph as "Label: text", the rest as paragraphs. */
function labelled(label: string, text: string): Block[] {
  const [first, ...rest] = paragraphs(text);
  if (!first || first.kind !== 'paragraph') return [];
  return [{ kind: 'fact', label, text: first.text }, ...rest];
}

function commentaryBlocks(g: QuarterGroup): Block[] {
  const blocks: Block[] = [{ kind: 'heading', level: 2, text: "Lead's commentary" }];
  const withCommentary = g.indicators.filter((i) => i.commentary.length > 0);
  if (withCommentary.length === 0) {
    blocks.push({
      kind: 'paragraph',
      text:
        g.indicators.length === 0
          ? 'No indicators, so no commentary.'
          : 'No commentary has been written on these indicators for the quarter.',
      emphasis: 'note',
    });
    return blocks;
  }
  for (const i of withCommentary) {
    blocks.push({ kind: 'heading', level: 3, text: `Commentary: ${i.label}` });
    for (const c of i.commentary)
      blocks.push(...paragraphs(c.text), { kind: 'paragraph', text: `${c.periodText}. Written by ${c.byText}.`, emphasis: 'note' });
  }
  return blocks;
}

function highlightBlocks(g: QuarterGroup): Block[] {
  const blocks: Block[] = [{ kind: 'heading', level: 2, text: 'Highlight reports' }];
  if (g.highlights.length === 0) {
    blocks.push({
      kind: 'paragraph',
      text: 'The priority group has written no highlight report for the months of this quarter.',
      emphasis: 'note',
    });
    return blocks;
  }
  for (const h of g.highlights) {
    blocks.push(
      { kind: 'heading', level: 3, text: `Highlight report: ${h.monthText}` },
      { kind: 'fact', label: 'Overall RAG', text: h.ragText },
      ...labelled('Progress', h.progress),
      ...labelled('Milestones achieved', h.milestonesAchieved),
      ...labelled('Next milestones', h.milestonesNext),
      ...labelled('Issues and risks', h.issuesRisks),
      ...(h.boardRequests
        ? labelled('Requests to the Board', h.boardRequests)
        : [{ kind: 'fact' as const, label: 'Requests to the Board', text: 'None' }]),
      { kind: 'paragraph', text: `Written by ${h.byText}.`, emphasis: 'note' },
    );
  }
  return blocks;
}

function groupSection(g: QuarterGroup, isOther: boolean): Section {
  const blocks: Block[] = [{ kind: 'heading', level: 2, text: 'Indicators' }];
  if (g.indicators.length === 0) blocks.push({ kind: 'paragraph', text: 'No indicators are linked to this priority.', emphasis: 'note' });
  else {
    blocks.push({
      kind: 'table',
      caption: `Indicators: ${g.title}`,
      columns: [
        { header: 'Indicator', width: 26 },
        { header: 'Figure', width: 11 },
        { header: 'Period', width: 15 },
        { header: 'Target and how it is judged', width: 22 },
        { header: 'RAG', width: 10 },
        { header: 'Direction' },
      ],
      rows: g.indicators.map((i) => [
        i.label,
        i.valueText,
        i.periodText,
        [i.targetText, i.judgedText, i.otherTargetsText].filter((x) => x).join('\n'),
        i.ragText,
        i.directionText,
      ]),
    });
    for (const i of g.indicators) {
      if (!i.chart) continue;
      const t = tableForChart(i.chart);
      const format = t.formatValue ?? ((n: number) => String(n));
      blocks.push(
        { kind: 'heading', level: 3, text: i.chart.title },
        { kind: 'figure', svg: renderChart(i.chart), alt: i.chart.description },
        {
          kind: 'table',
          caption: i.chart.title,
          columns: [{ header: t.categoryHeader ?? 'Quarter' }, ...t.columns.map((c) => ({ header: c.name }))],
          rows: t.categories.map((cat, n) => [
            cat,
            ...t.columns.map((c) => {
              const v = c.values[n];
              return typeof v === 'number' && Number.isFinite(v) ? format(v) : typeof v === 'string' ? v : 'No data';
            }),
          ]),
        },
      );
    }
  }
  blocks.push(...commentaryBlocks(g));
  if (isOther) return { title: g.title, blocks };
  blocks.push(...highlightBlocks(g));
  blocks.push({ kind: 'heading', level: 2, text: 'Delivery activities off track or overdue' });
  if (g.activities.length === 0)
    blocks.push({ kind: 'paragraph', text: 'No delivery activities are off track or overdue.', emphasis: 'note' });
  else
    blocks.push({
      kind: 'table',
      caption: `Activities off track or overdue: ${g.title}`,
      columns: [
        { header: 'Activity', width: 32 },
        { header: 'Lead', width: 18 },
        { header: 'Due', width: 14 },
        { header: 'Status', width: 12 },
        { header: 'Why listed' },
      ],
      rows: g.activities.map((a) => [a.title, a.lead, a.dueText, `${a.statusText}\nRAG: ${a.ragText}`, a.reasons.join('; ')]),
    });
  blocks.push({ kind: 'heading', level: 2, text: 'High risks' });
  if (g.risks.length === 0) blocks.push({ kind: 'paragraph', text: 'No high risks.', emphasis: 'note' });
  else
    blocks.push({
      kind: 'table',
      caption: `High risks: ${g.title}`,
      columns: [
        { header: 'Risk', width: 30 },
        { header: 'Severity', width: 11 },
        { header: 'Likelihood', width: 12 },
        { header: 'Actions to mitigate', width: 27 },
        { header: 'Partner responsible' },
      ],
      rows: g.risks.map((r) => [r.risk, r.severityText, r.likelihoodText, r.mitigation, r.responsible]),
    });
  return { title: `Priority: ${g.title}`, blocks };
}

/** How the pack sets quarterly figures against annual targets: said once at the front, and per row in the tables. */
export const JUDGED_NOTE =
  "How figures are judged against targets: a count or an amount reported monthly or quarterly is judged by its projected year end (the year to date carried forward to March, by the pattern of earlier years where there are three, otherwise in a straight line) against the annual target, never the quarter's figure against the year's target. A percentage, rate or score is judged by the period's own figure, an annual figure by the year's figure, and a limit over several years by the total to date. Each row says which.";

/** The counts of RAG ratings and directions, as a sentence. */
export function countsText(r: QuarterlyReport): string {
  const c = r.counts;
  const n = r.summary.length;
  const withFigure = r.summary.filter((i) => i.hasFigure).length;
  return `Of ${n} indicator${n === 1 ? '' : 's'}, ${withFigure} ${withFigure === 1 ? 'has a figure' : 'have figures'} for the quarter: ${c.red} red, ${c.amber} amber, ${c.green} green and ${c.noRag} without a RAG rating; ${c.improving} improving, ${c.worsening} worsening and ${c.noChange} unchanged.`;
}

/** The indicators of the plan without a figure for the quarter, named in one sentence under the summary table. */
export function noFigureText(r: QuarterlyReport): string {
  // Titles typed with a full stop of their own lose it here, so the list never reads "offences.;".
  const missing = r.summary.filter((i) => !i.hasFigure).map((i) => i.label.trim().replace(/\.+$/, ''));
  return missing.length ? `No figure for ${r.quarter.label}: ${missing.join('; ')}.` : '';
}

/** The summary table: every indicator of the report on one line. */
export function summaryTable(r: QuarterlyReport, options: QuarterlyReportOptions = {}): Extract<Block, { kind: 'table' }> {
  const table: Extract<Block, { kind: 'table' }> = {
    kind: 'table',
    caption: `Summary of every indicator, ${r.quarter.label}`,
    columns: [
      { header: 'Indicator', width: 17 },
      { header: 'Quarter', width: 7, numeric: true },
      { header: 'Year to date', width: 7, numeric: true },
      { header: 'Same quarter last year', width: 7, numeric: true },
      { header: 'Year to date last year', width: 7, numeric: true },
      { header: 'Change', width: 7, numeric: true },
      { header: '% change', width: 6, numeric: true },
      { header: 'Baseline', width: 8 },
      { header: 'Target and how judged', width: 13 },
      { header: 'RAG', width: 6 },
      { header: 'Direction', width: 8 },
      { header: 'Significance of the change' },
    ],
    rows: r.summary
      .filter((i) => i.hasFigure)
      .map((i) => [
        i.label,
        i.summary.value,
        i.summary.yearToDate,
        i.summary.lastYear,
        i.summary.yearToDateLastYear,
        i.summary.change,
        i.summary.percentChange,
        i.summary.baseline,
        [i.judgedText ? `${i.targetText}. ${i.judgedText}` : i.targetText, i.otherTargetsText].filter((x) => x).join('\n'),
        i.ragText,
        i.directionText,
        i.summary.significance,
      ]),
  };
  return options.intervals ? withIntervalColumns(table, r) : table;
}

/** The summary table with the 95% and 99.8% intervals of each quarter's figure after the quarter's column. */
function withIntervalColumns(table: Extract<Block, { kind: 'table' }>, r: QuarterlyReport): Extract<Block, { kind: 'table' }> {
  const shown = r.summary.filter((i) => i.hasFigure);
  const columns = [...table.columns];
  columns.splice(2, 0, { header: '95% interval', width: 7, numeric: true }, { header: '99.8% interval', width: 7, numeric: true });
  // Room for the two columns: narrower indicator, baseline, target and direction columns (per cent of the width).
  const narrower: Record<string, number> = { Indicator: 12, Baseline: 6, 'Target and how judged': 9, Direction: 6 };
  return {
    ...table,
    columns: columns.map((c) => (narrower[c.header] ? { ...c, width: narrower[c.header] } : c)),
    rows: table.rows.map((row, n) => {
      const s = shown[n]!.summary;
      return [...row.slice(0, 2), s.ci95 || s.intervalReason, s.ci998, ...row.slice(2)];
    }),
  };
}

/** The collection status of the quarter's figures, in one sentence. */
export function collectionText(r: QuarterlyReport): string {
  const n = (s: QuarterCollectionStatus) => r.collection.filter((c) => c.status === s).length;
  const when =
    r.collectionAsAtBasis === 'today'
      ? `as at ${ukDate(r.collectionAsAt)}, the day this pack was made`
      : `as at ${ukDate(r.collectionAsAt)}, the end of the quarter after it, when its Board pack was due (figures entered later are not counted)`;
  return `Figures for ${r.quarter.label} by the collection calendar, ${when}: ${n('on_time')} indicator${n('on_time') === 1 ? '' : 's'} on time, ${n('late')} late, ${n('missing')} with a figure missing, ${n('not_due')} not yet due and ${n('not_expected')} not expected.`;
}

/** The collection table: each indicator's owner and how its figures for the quarter came in. */
export function collectionTable(r: QuarterlyReport): Extract<Block, { kind: 'table' }> {
  return {
    kind: 'table',
    caption: `Figures collected for ${r.quarter.label}: on time, late or missing`,
    columns: [{ header: 'Indicator', width: 34 }, { header: 'Owner', width: 24 }, { header: 'Status', width: 12 }, { header: 'Figures' }],
    rows: r.collection.map((c) => [c.label, c.ownerText, c.statusText, c.detailText]),
  };
}

/** The report as a document for DOCX and PDF. */
export function quarterlyReportDocument(r: QuarterlyReport, options: QuarterlyReportOptions = {}): ReportDocument {
  const summary: Block[] = [
    {
      kind: 'paragraph',
      text: `This report sets out, for ${r.quarter.label} (to ${ukDate(r.quarter.endDate)}), the partnership's figures against its targets with the lead's commentary, the priority groups' highlight reports, the delivery activities that are off track or overdue, and the high risks, for each priority of the plan.`,
    },
    ...(r.planText ? [{ kind: 'fact' as const, label: 'Plan', text: r.planText }] : []),
    { kind: 'paragraph', text: r.planNote, emphasis: 'note' },
  ];
  if (r.summary.length === 0) summary.push({ kind: 'paragraph', text: 'There are no indicators to report on.', emphasis: 'note' });
  else
    summary.push(
      { kind: 'paragraph', text: countsText(r) },
      ...(r.summary.some((i) => i.hasFigure) ? [summaryTable(r, options)] : []),
      ...(options.intervals ? [{ kind: 'paragraph' as const, text: INTERVALS_NOTE, emphasis: 'note' as const }] : []),
      ...(noFigureText(r) ? [{ kind: 'paragraph' as const, text: noFigureText(r) }] : []),
      {
        kind: 'paragraph',
        text: "Change: the year to date on the same months last year where both are known (counts and amounts), otherwise the quarter's figure on the same quarter last year. Significance: an exact test of the two counts at the 5% level; small numbers (under 10) can swing widely by chance.",
        emphasis: 'note',
      },
      { kind: 'paragraph', text: JUDGED_NOTE, emphasis: 'note' },
      { kind: 'heading', level: 2, text: 'Figures collected on time' },
      { kind: 'paragraph', text: collectionText(r) },
      ...(r.collection.length ? [collectionTable(r)] : []),
    );
  const sections: Section[] = [{ title: 'Summary', blocks: summary, landscape: true }];
  for (const g of r.groups) sections.push(groupSection(g, g.other));
  if (r.summary.length > 0) sections.push(spcSection(r.spc, r.quarter));
  return {
    organisation: r.partnershipName,
    title: 'Quarterly performance report',
    subtitle: r.quarter.label,
    titlePageLines: [`Performance to ${ukDate(r.quarter.endDate)}`, ...(r.planText ? [r.planText] : [])],
    runningHeader: `Quarterly performance report ${r.quarter.label}`,
    sections,
  };
}
