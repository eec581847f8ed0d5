/**
 * The annual review of a plan, like the Review of the Safer Rotherham Partnership Plan 2018-21: for each priority,
 * what was done and its key outputs; for each objective area, what was done, its chosen indicators with a figure
 * for each financial year of the review, and a quarter-by-year chart of each with its table. One model feeds the
 * page and one ReportDocument, written as DOCX and printed as PDF, so the three say the same.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import { financialYearKey } from '../../domain/index.ts';
import { renderChart, tableForChart, type ChartSpec } from '../charts/index.ts';
import { getPartnership } from '../../services/partnerships/partnerships.ts';
import { label } from '../../services/performance/indicators.ts';
import { UNIT_LABELS } from '../labels.ts';
import { partnershipPerformance, quarterByYear, type IndicatorPerformance } from '../../services/performance/performance.ts';
import { loadReview } from '../../services/plans/reviews.ts';
import { ukDate } from '../formats.ts';
import { fileNameFor, paragraphs, type Block, type ReportDocument, type Section } from './document.ts';
import { unitFormat } from '../formats.ts';

export type QuarterChart = Extract<ChartSpec, { type: 'groupedBar' }>;

export interface ReviewIndicator {
  id: number;
  label: string;
  unitText: string;
  /** One per financial year of the review: '2,913', '826 (1 of 4 quarters)', 'No figures'. */
  yearTexts: string[];
  /** The year's total (counts, money) or mean, or null; what yearTexts shows as a number. */
  yearValues: (number | null)[];
  /** Quarter-by-year chart for the review's years, with the same figures as its table; null without quarterly figures. */
  chart: QuarterChart | null;
}

export interface ReviewAreaReport {
  id: number;
  title: string;
  narrative: string;
  indicators: ReviewIndicator[];
}

export interface ReviewPriorityReport {
  id: number;
  title: string;
  narrative: string;
  keyOutputs: string[];
  areas: ReviewAreaReport[];
}

export interface AnnualReview {
  id: number;
  partnershipName: string;
  title: string;
  /** '2018-21' */
  periodText: string;
  /** 'April 2018 to March 2021' */
  spanText: string;
  /** The financial years covered: ['2018/19', '2019/20', '2020/21']. */
  years: string[];
  introduction: string;
  planText: string | null;
  priorities: ReviewPriorityReport[];
  updatedAt: string;
  fileName: string;
}

const ADDITIVE = new Set(['count', 'money']);

/** An indicator's figure for each financial year, and its quarter-by-year chart over those years. */
export function reviewIndicator(p: IndicatorPerformance, years: string[]): ReviewIndicator {
  const i = p.indicator;
  const fmt = unitFormat(i.unit);
  const values: (number | null)[] = [];
  const texts: string[] = [];
  const byYear = quarterByYear(p);
  for (const y of years) {
    if (i.frequency === 'annual') {
      const v = p.periods.find((x) => x.period === y)?.value ?? null;
      values.push(v);
      texts.push(v === null ? 'No figures' : fmt(v));
      continue;
    }
    const row = byYear?.find((r) => r.year === y);
    const present = (row?.quarters ?? []).filter((q): q is number => q !== null);
    if (!row || present.length === 0) {
      values.push(null);
      texts.push('No figures');
      continue;
    }
    const additive = ADDITIVE.has(i.unit);
    const value = additive ? present.reduce((s, x) => s + x, 0) : present.reduce((s, x) => s + x, 0) / present.length;
    values.push(value);
    const partial =
      present.length < 4
        ? additive
          ? ` (${present.length} of 4 quarters)`
          : ` (mean of ${present.length} quarter${present.length === 1 ? '' : 's'})`
        : '';
    texts.push(`${fmt(value)}${partial}`);
  }
  const shown = (byYear ?? []).filter((r) => years.includes(r.year) && r.quarters.some((q) => q !== null));
  const chart: QuarterChart | null =
    shown.length > 0
      ? {
          type: 'groupedBar',
          title: `${label(i)}: quarter by year`,
          description: `Figures by quarter, one bar for each financial year from ${shown[0]!.year} to ${shown[shown.length - 1]!.year}.`,
          categories: ['Q1', 'Q2', 'Q3', 'Q4'],
          series: shown.map((r) => ({ name: r.year, values: r.quarters })),
          formatValue: fmt,
          units: UNIT_LABELS[i.unit],
          categoryAxisLabel: 'Quarter',
          width: 480,
          height: 240,
        }
      : null;
  return { id: i.id, label: label(i), unitText: UNIT_LABELS[i.unit], yearTexts: texts, yearValues: values, chart };
}

/** Everything the review shows, with every figure worked out from the partnership's indicators. */
export async function loadAnnualReview(db: Kysely<Database>, partnershipId: number, reviewId: number): Promise<AnnualReview> {
  const content = await loadReview(db, partnershipId, reviewId);
  const partnership = await getPartnership(db, partnershipId);
  const r = content.review;
  const years = Array.from({ length: r.end_year - r.start_year }, (_x, n) => financialYearKey(r.start_year + n));
  const wanted = new Set(content.priorities.flatMap((p) => p.areas.flatMap((a) => a.indicatorIds)));
  const performance = wanted.size ? (await partnershipPerformance(db, partnershipId)).filter((p) => wanted.has(p.indicator.id)) : [];
  const byId = new Map(performance.map((p) => [p.indicator.id, p]));
  return {
    id: r.id,
    partnershipName: partnership.name,
    title: r.title,
    periodText: content.periodText,
    spanText: `April ${r.start_year} to March ${r.end_year}`,
    years,
    introduction: r.introduction,
    planText: content.planText,
    priorities: content.priorities.map((p) => ({
      id: p.id,
      title: p.title,
      narrative: p.narrative,
      keyOutputs: p.keyOutputs,
      areas: p.areas.map((a) => ({
        id: a.id,
        title: a.title,
        narrative: a.narrative,
        // Indicators deleted since they were chosen are left out.
        indicators: a.indicatorIds.flatMap((id) => {
          const perf = byId.get(id);
          return perf ? [reviewIndicator(perf, years)] : [];
        }),
      })),
    })),
    updatedAt: r.updated_at,
    fileName: fileNameFor(partnership.name, r.title, content.periodText),
  };
}

/** A chart as a picture for the PDF, followed by the table of its figures (the only form Word shows). */
export function chartBlocks(chart: QuarterChart): Block[] {
  const t = tableForChart(chart);
  const format = t.formatValue ?? ((n: number) => String(n));
  return [
    { kind: 'heading', level: 3, text: chart.title },
    { kind: 'figure', svg: renderChart(chart), alt: chart.description },
    {
      kind: 'table',
      caption: chart.title,
      columns: [{ header: t.categoryHeader ?? 'Quarter' }, ...t.columns.map((c) => ({ header: c.name }))],
      rows: t.categories.map((cat, n) => [
        cat,
        ...t.columns.map((c) => {
          const v = c.values[n];
          return typeof v === 'number' && Number.isFinite(v) ? format(v) : typeof v === 'string' ? v : 'No data';
        }),
      ]),
    },
  ];
}

function prioritySection(r: AnnualReview, p: ReviewPriorityReport): Section {
  const blocks: Block[] = [...paragraphs(p.narrative)];
  blocks.push({ kind: 'heading', level: 2, text: 'Key outputs' });
  blocks.push(
    p.keyOutputs.length ? { kind: 'list', items: p.keyOutputs } : { kind: 'paragraph', text: 'No key outputs recorded.', emphasis: 'note' },
  );
  for (const a of p.areas) {
    blocks.push({ kind: 'heading', level: 2, text: a.title });
    const said = paragraphs(a.narrative);
    blocks.push(
      ...(said.length
        ? said
        : [{ kind: 'paragraph' as const, text: 'Nothing recorded yet about what was done.', emphasis: 'note' as const }]),
    );
    if (a.indicators.length === 0) continue;
    blocks.push({
      kind: 'table',
      caption: `Indicators: ${a.title}`,
      columns: [{ header: 'Indicator', width: r.years.length > 3 ? 28 : 40 }, ...r.years.map((y) => ({ header: y }))],
      rows: a.indicators.map((i) => [i.label, ...i.yearTexts]),
    });
    for (const i of a.indicators) if (i.chart) blocks.push(...chartBlocks(i.chart));
  }
  if (p.areas.length === 0) blocks.push({ kind: 'paragraph', text: 'No objective areas recorded for this priority.', emphasis: 'note' });
  return { title: p.title, blocks };
}

/** The review as a document for DOCX and PDF. */
export function annualReviewDocument(r: AnnualReview): ReportDocument {
  const intro: Block[] = [
    ...paragraphs(r.introduction),
    { kind: 'fact', label: 'Period covered', text: `${r.spanText} (${r.years.join(', ')})` },
    ...(r.planText ? [{ kind: 'fact' as const, label: 'Plan', text: r.planText }] : []),
    {
      kind: 'paragraph',
      text: 'Figures for each year are the total of its quarters (counts) or their mean (percentages, rates and scores); a year with fewer than four quarters of figures says so.',
      emphasis: 'note',
    },
  ];
  if (r.priorities.length === 0)
    intro.push({ kind: 'paragraph', text: 'No priorities have been added to this review yet.', emphasis: 'note' });
  return {
    organisation: r.partnershipName,
    title: r.title,
    subtitle: r.periodText,
    titlePageLines: [r.spanText, ...(r.planText ? [r.planText] : []), `Last changed ${ukDate(r.updatedAt)}`],
    runningHeader: `${r.title} ${r.periodText}`,
    sections: [{ title: 'Introduction', blocks: intro }, ...r.priorities.map((p) => prioritySection(r, p))],
  };
}
