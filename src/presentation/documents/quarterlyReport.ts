/**
 * The quarterly performance report (the Board pack) for one financial-year quarter: for each priority of the
 * partnership's current plan version (and the indicators linked to none), each indicator's figure for the
 * quarter with its target, RAG, direction and a quarter-by-year chart with its table; the delivery activities off
 * track (RAG red or amber) or overdue at the end of the quarter; the high risks; the lead's commentary on each
 * indicator's figure for the quarter; and the priority group's highlight reports of the quarter's three months.
 * One model feeds the page and one ReportDocument, written as DOCX and printed as PDF, so the three say the same.
 */
import type { Kysely } from 'kysely';
import type { Database, Indicator } from '../../adapters/database/schema.ts';
import { financialYearKey, formatPeriodLabel, monthsOfQuarter } from '../../domain/index.ts';
import type { ReportQuarter } from '../../domain/reportQuarter.ts';
import { renderChart, tableForChart, type ChartSpec } from '../charts/index.ts';
import { getPartnership } from '../../services/partnerships/partnerships.ts';
import { currentPlanVersion, loadPlanDocument, periodLabel, type PlanDocument } from '../../services/plans/plans.ts';
import { ACTIVITY_STATUS_LABELS, RAG_LABELS, RISK_LEVEL_LABELS } from '../../services/plans/planParts.ts';
import { label, targetText, UNIT_LABELS } from '../../services/performance/indicators.ts';
import {
  partnershipPerformance,
  quarterByYear,
  type IndicatorPerformance,
  type PeriodPerformance,
} from '../../services/performance/performance.ts';
import { commentaryForPeriods, type CommentaryEntry } from '../../services/performance/commentary.ts';
import { highlightReportsFor, type HighlightReportDetails } from '../../services/performance/highlightReports.ts';
import { fileNameFor, paragraphs, ukDate, type Block, type ReportDocument, type Section } from './document.ts';

const DIRECTION_LABELS: Record<string, string> = {
  improving: 'Improving',
  worsening: 'Worsening',
  'no change': 'No change',
  increasing: 'Increasing',
  decreasing: 'Decreasing',
};

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
  /** Quarter-by-year chart (years up to the quarter's) as SVG, with the same numbers as a table. */
  chart: Extract<ChartSpec, { type: 'groupedBar' }> | null;
  /** The lead's commentary on the quarter's period (each month of it, newest first, for a monthly indicator). */
  commentary: QuarterCommentary[];
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
  /** The plan version the priorities come from, or null when the partnership has no plan. */
  planText: string | null;
  groups: QuarterGroup[];
  fileName: string;
}

function fmt(n: number, decimals = 2): string {
  return n.toLocaleString('en-GB', { maximumFractionDigits: decimals });
}

export function unitFormat(unit: Indicator['unit']): (n: number) => string {
  return (n: number) => (unit === 'percentage' ? `${fmt(n, 1)}%` : unit === 'money' ? `£${fmt(n, 2)}` : fmt(n, 2));
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

function indicatorRow(p: IndicatorPerformance, q: ReportQuarter, commentary: CommentaryEntry[] = []): QuarterIndicator {
  const i = p.indicator;
  const fmtU = unitFormat(i.unit);
  const { value, periodText, at } = quarterFigure(p, q);
  const rag = at?.rag ?? null;
  // Without a figure for the quarter, the latest target set.
  const latestTarget = i.targets[i.targets.length - 1];
  const target = at?.targetText ?? (latestTarget ? targetText(latestTarget) : null);
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
    directionText: at?.direction ? DIRECTION_LABELS[at.direction]! : 'Not known',
    chart,
    commentary: commentaryPeriods(i.frequency, q).flatMap((period) =>
      commentary.filter((c) => c.indicator_id === i.id && c.period === period).map(commentaryRow),
    ),
  };
}

/** Activities off track (RAG red or amber) or overdue (due by the end of the quarter and not complete or cancelled). */
export function activitiesNeedingAttention(priority: PlanDocument['priorities'][number], asAt: string): QuarterActivity[] {
  const out: QuarterActivity[] = [];
  for (const o of priority.objectives) {
    for (const a of o.activities) {
      const reasons: string[] = [];
      if (a.rag === 'red' || a.rag === 'amber') reasons.push(`Off track (${RAG_LABELS[a.rag]})`);
      if (a.due_date && a.due_date <= asAt && a.status !== 'complete' && a.status !== 'cancelled')
        reasons.push(`Overdue: due ${ukDate(a.due_date)}`);
      if (reasons.length === 0) continue;
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
  const version = await currentPlanVersion(db, partnershipId, quarter.financialYearStart);
  const plan = version ? await loadPlanDocument(db, partnershipId, version.id) : null;
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
    const objectiveIds = pr.objectives.map((o) => o.id);
    const linked = all.filter(
      (p) => p.indicator.priorityIds.includes(pr.id) || p.indicator.objectiveIds.some((id) => objectiveIds.includes(id)),
    );
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
  const others = all.filter((p) => !shown.has(p.indicator.id));
  if (others.length > 0)
    groups.push({
      title: 'Other indicators',
      other: true,
      indicators: others.map((p) => indicatorRow(p, quarter, commentary)),
      activities: [],
      risks: [],
      highlights: [],
    });
  return {
    partnershipName: partnership.name,
    quarter,
    planText: plan ? `${plan.plan.title} ${periodLabel(plan.plan.start_year, plan.plan.end_year)}, ${plan.version.label}` : null,
    groups,
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
        { header: 'Indicator', width: 30 },
        { header: 'Figure', width: 14 },
        { header: 'Period', width: 16 },
        { header: 'Target', width: 18 },
        { header: 'RAG', width: 10 },
        { header: 'Direction' },
      ],
      rows: g.indicators.map((i) => [i.label, i.valueText, i.periodText, i.targetText, i.ragText, i.directionText]),
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

/** The report as a document for DOCX and PDF. */
export function quarterlyReportDocument(r: QuarterlyReport): ReportDocument {
  const intro: Block[] = [
    {
      kind: 'paragraph',
      text: `This report sets out, for ${r.quarter.label} (to ${ukDate(r.quarter.endDate)}), the partnership's figures against its targets with the lead's commentary, the priority groups' highlight reports, the delivery activities that are off track or overdue, and the high risks, for each priority of the plan.`,
    },
    ...(r.planText
      ? [{ kind: 'fact' as const, label: 'Plan', text: r.planText }]
      : [
          {
            kind: 'paragraph' as const,
            text: 'The partnership has no plan recorded: its indicators are listed without priorities.',
            emphasis: 'note' as const,
          },
        ]),
  ];
  const sections: Section[] = [{ title: 'Introduction', blocks: intro }];
  if (r.groups.length === 0)
    sections[0]!.blocks.push({ kind: 'paragraph', text: 'There are no priorities or indicators to report on.', emphasis: 'note' });
  for (const g of r.groups) sections.push(groupSection(g, g.other));
  return {
    organisation: r.partnershipName,
    title: 'Quarterly performance report',
    subtitle: r.quarter.label,
    titlePageLines: [`Performance to ${ukDate(r.quarter.endDate)}`, ...(r.planText ? [r.planText] : [])],
    runningHeader: `Quarterly performance report ${r.quarter.label}`,
    sections,
  };
}
