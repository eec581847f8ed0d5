/**
 * The performance tables people download, as ExportTables (written as CSV or XLSX by tableExport.ts): the
 * dashboard (each indicator's latest figure), one indicator's figures period by period, and the year-end table
 * of a financial year against the year before, as in Rochford's 2009/10 achievements table; the scorecard and the
 * exception report. Every figure is the one services/performance.ts computes for the pages.
 */
import type { Indicator } from '../../adapters/database/schema.ts';
import { financialYearKey, parseFinancialYear } from '../../domain/index.ts';
import { ValidationError } from '../../domain/errors.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import { commentaryForPeriods, type CommentaryEntry } from '../../services/performance/commentary.ts';
import { label, targetText } from '../../services/performance/indicators.ts';
import { UNIT_LABELS } from '../labels.ts';
import {
  exceptions,
  partnershipPerformance,
  quarterByYear,
  type IndicatorPerformance,
  type PeriodPerformance,
} from '../../services/performance/performance.ts';
import type { ScorecardSection } from '../../services/performance/scorecard.ts';
import type { ExportColumn, ExportTable } from './tableExport.ts';

export const RAG_TEXT: Record<string, string> = { red: 'Red', amber: 'Amber', green: 'Green' };
const DIRECTION_TEXT: Record<string, string> = {
  improving: 'Improving',
  worsening: 'Worsening',
  'no change': 'No change',
  increasing: 'Increasing',
  decreasing: 'Decreasing',
};

const ragText = (p: PeriodPerformance | null | undefined) => (p?.rag ? RAG_TEXT[p.rag]! : null);
/** A row's RAG: the period's, else why there is none (a stored figure that cannot be used, or monitor only). */
const rowRag = (p: IndicatorPerformance, at: PeriodPerformance | null | undefined) =>
  ragText(at) ?? (p.problems.length > 0 ? `No RAG: ${p.problems.join(' ')}` : p.indicator.polarity === 'monitor' ? 'Monitor only' : null);
const directionText = (p: PeriodPerformance | null | undefined) => (p?.direction ? DIRECTION_TEXT[p.direction]! : null);
/** Money figures in money columns; everything else (counts, percentages, rates, scores) as plain numbers. */
const valueType = (unit: Indicator['unit']): ExportColumn['type'] => (unit === 'money' ? 'money' : 'number');
const roundTo1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/** The interval columns of a period (issue 16): the 95% and 99.8% limits in the figure's unit and the method, or why none. */
const INTERVAL_COLUMNS: ExportColumn[] = [
  { header: 'Lower 95% limit', type: 'number', decimals: 2 },
  { header: 'Upper 95% limit', type: 'number', decimals: 2 },
  { header: 'Lower 99.8% limit', type: 'number', decimals: 2 },
  { header: 'Upper 99.8% limit', type: 'number', decimals: 2 },
  { header: 'Interval method', type: 'text' },
];
function intervalCells(p: PeriodPerformance | null | undefined): (number | string | null)[] {
  const i = p?.intervals;
  if (!i) return [null, null, null, null, null];
  if (!i.applicable) return [null, null, null, null, `None: ${i.reason}`];
  return [i.ci95.lower, i.ci95.upper, i.ci998.lower, i.ci998.upper, `${i.method} (${i.basis})`];
}

/** The dashboard: every indicator with its latest figure, target, RAG, direction and change on last year. */
export function dashboardTable(all: IndicatorPerformance[]): ExportTable {
  return {
    title: 'Performance dashboard',
    columns: [
      { header: 'Indicator', type: 'text' },
      { header: 'Unit', type: 'text' },
      { header: 'Latest period', type: 'text' },
      { header: 'Value', type: 'number' },
      { header: 'Target', type: 'text' },
      { header: 'Target figure', type: 'number' },
      { header: 'RAG', type: 'text' },
      { header: 'RAG overridden', type: 'text' },
      { header: 'Direction (on last year)', type: 'text' },
      { header: '% change on last year', type: 'percent', decimals: 1 },
      ...INTERVAL_COLUMNS,
    ],
    rows: all.map((p) => {
      const l = p.latest;
      return [
        label(p.indicator),
        UNIT_LABELS[p.indicator.unit],
        l?.label ?? null,
        l?.value ?? null,
        l?.targetText ?? null,
        l?.target?.threshold ?? null,
        rowRag(p, l),
        l?.overridden ? 'Yes' : null,
        directionText(l),
        l?.percentChange ?? null,
        ...intervalCells(l),
      ];
    }),
  };
}

/** One indicator's figures, newest first, with what the indicator page works out for each period. */
export function figuresTable(perf: IndicatorPerformance): ExportTable {
  const type = valueType(perf.indicator.unit);
  return {
    title: `${label(perf.indicator)} figures`,
    columns: [
      { header: 'Period', type: 'text' },
      { header: 'Value', type },
      { header: 'Numerator', type: 'number' },
      { header: 'Denominator', type: 'number' },
      ...INTERVAL_COLUMNS,
      { header: 'Year to date', type },
      { header: 'Same period last year', type },
      { header: 'Change', type },
      { header: '% change', type: 'percent', decimals: 1 },
      { header: 'Per 1,000 population', type: 'number', decimals: 2 },
      { header: 'Target', type: 'text' },
      { header: 'Target figure', type: 'number' },
      { header: 'Figure against the target', type: 'number' },
      { header: 'Compared as', type: 'text' },
      { header: 'RAG', type: 'text' },
      { header: 'RAG overridden', type: 'text' },
      { header: 'Direction', type: 'text' },
      { header: 'Significance', type: 'text' },
    ],
    rows: [...perf.periods]
      .reverse()
      .map((p) => [
        p.label,
        p.value,
        p.numerator,
        p.denominator,
        ...intervalCells(p),
        p.yearToDate,
        p.lastYear,
        p.change,
        p.percentChange,
        p.ratePer1000,
        p.targetText,
        p.target?.threshold ?? null,
        p.target ? p.assessed : null,
        p.target
          ? p.assessedAs === 'projected_year_end'
            ? 'Projected year end'
            : p.assessedAs === 'span_total'
              ? 'Total over the span'
              : 'The figure'
          : null,
        ragText(p),
        p.overridden ? `Yes: ${p.overrideReason ?? ''}`.trim() : null,
        directionText(p),
        p.significance?.description ?? null,
      ]),
  };
}

/** The financial year a person asked for ('2009/10' or '2009-10'); a ValidationError naming the field otherwise. */
export function parseReportYear(raw: unknown): string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') throw new ValidationError([{ field: 'year', message: "Enter the financial year, like '2009/10'" }]);
  try {
    return financialYearKey(parseFinancialYear(text));
  } catch {
    throw new ValidationError([{ field: 'year', message: `'${text.slice(0, 40)}' is not a financial year: enter one like '2009/10'` }]);
  }
}

interface YearEndFigures {
  previous: number | null;
  current: number | null;
  change: number | null;
  percentChange: number | null;
  /** The period that gives the target and RAG: the year itself, or its last period with a figure. */
  at: PeriodPerformance | null;
}

function yearEndFigures(p: IndicatorPerformance, fy: string): YearEndFigures {
  const start = parseFinancialYear(fy);
  if (p.indicator.frequency === 'annual') {
    const at = p.periods.find((x) => x.period === fy) ?? null;
    const previous = at?.lastYear ?? p.periods.find((x) => x.period === financialYearKey(start - 1))?.value ?? null;
    return { previous, current: at?.value ?? null, change: at?.change ?? null, percentChange: at?.percentChange ?? null, at };
  }
  // Monthly and quarterly figures: the year's total (counts, money) or mean (percentages, rates, scores).
  const years = quarterByYear(p) ?? [];
  const summary = (key: string) => {
    const y = years.find((x) => x.year === key);
    return y ? (y.total ?? y.mean) : null;
  };
  const thisYear = years.find((x) => x.year === fy);
  const inYear = p.periods.filter((x) => x.value !== null && !/^\d{4}\/\d{2}$/.test(x.period) && financialYearStartOf(x.period) === start);
  const at = inYear[inYear.length - 1] ?? null;
  return {
    previous: summary(financialYearKey(start - 1)),
    current: summary(fy),
    change: thisYear?.change ?? null,
    percentChange: thisYear?.percentChange ?? null,
    at,
  };
}

/** The financial year (its start) of a month ('2009-04') or quarter ('2009-10 Q1') key. */
function financialYearStartOf(period: string): number {
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) return Number(month[2]) >= 4 ? Number(month[1]) : Number(month[1]) - 1;
  return Number(period.slice(0, 4));
}

/** The year-end table: each indicator's figure for the financial year against the year before, its target and RAG. */
export function yearEndTable(all: IndicatorPerformance[], fy: string): ExportTable {
  const previousFy = financialYearKey(parseFinancialYear(fy) - 1);
  return {
    title: `Year-end performance ${fy}`,
    columns: [
      { header: 'Indicator', type: 'text' },
      { header: previousFy, type: 'number' },
      { header: fy, type: 'number' },
      { header: 'Change', type: 'number' },
      { header: '% change', type: 'percent', decimals: 1 },
      { header: 'Target', type: 'text' },
      { header: 'RAG', type: 'text' },
    ],
    rows: all.map((p) => {
      const y = yearEndFigures(p, fy);
      return [label(p.indicator), y.previous, y.current, y.change, roundTo1(y.percentChange), y.at?.targetText ?? null, rowRag(p, y.at)];
    }),
  };
}

/** The target a row shows: the latest figure's, or before any figure the latest target set (as the pages do). */
function rowTargetText(p: IndicatorPerformance): string {
  if (p.latest?.targetText) return p.latest.targetText;
  const t = p.indicator.targets.filter((x) => x.tier === 'first').at(-1);
  return t ? targetText(t) : 'No target';
}

/** The scorecard: one row per indicator under each priority and outcome-based accountability question. */
export function scorecardTable(sections: ScorecardSection[]): ExportTable {
  return {
    title: 'Scorecard',
    columns: [
      { header: 'Priority', type: 'text' },
      { header: 'Plan', type: 'text' },
      { header: 'Question', type: 'text' },
      { header: 'Indicator', type: 'text' },
      { header: 'Unit', type: 'text' },
      { header: 'Latest period', type: 'text' },
      { header: 'Value', type: 'number' },
      { header: 'Target', type: 'text' },
      { header: 'RAG', type: 'text' },
      { header: 'RAG overridden', type: 'text' },
      { header: 'Direction', type: 'text' },
    ],
    rows: sections.flatMap((s) =>
      s.groups.flatMap((g) =>
        g.indicators.map((p) => {
          const l = p.latest;
          return [
            s.title,
            s.plan ?? null,
            g.question,
            label(p.indicator),
            UNIT_LABELS[p.indicator.unit],
            l?.label ?? null,
            l?.value ?? null,
            rowTargetText(p),
            rowRag(p, l),
            l?.overridden ? 'Yes' : null,
            directionText(l),
          ];
        }),
      ),
    ),
  };
}

export interface ExceptionRow {
  performance: IndicatorPerformance;
  reasons: string[];
  /** The lead's commentary on the period of the indicator's latest figure. */
  commentary: CommentaryEntry | null;
}

/** The indicators of the exception report: red, worsening or missing their latest figure, with the lead's commentary. */
export async function loadExceptionRows(db: Kysely<Database>, partnershipId: number): Promise<ExceptionRow[]> {
  const listed = exceptions(await partnershipPerformance(db, partnershipId, { latestOnly: true }));
  const commentary = await commentaryForPeriods(db, partnershipId, [
    ...new Set(listed.flatMap((e) => (e.performance.latest ? [e.performance.latest.period] : []))),
  ]);
  return listed.map((e) => {
    const l = e.performance.latest;
    const c = l ? commentary.find((x) => x.indicator_id === e.performance.indicator.id && x.period === l.period) : undefined;
    return { ...e, commentary: c ?? null };
  });
}

/** The exception report's indicator table. */
export function exceptionTable(rows: ExceptionRow[]): ExportTable {
  return {
    title: 'Exception report',
    columns: [
      { header: 'Indicator', type: 'text' },
      { header: 'Why', type: 'text' },
      { header: 'Latest period', type: 'text' },
      { header: 'Unit', type: 'text' },
      { header: 'Latest figure', type: 'number' },
      { header: 'Target', type: 'text' },
      { header: 'RAG', type: 'text' },
      { header: "Lead's commentary", type: 'text' },
      { header: 'Commentary by', type: 'text' },
      { header: 'Commentary written', type: 'date' },
    ],
    rows: rows.map(({ performance: p, reasons, commentary: c }) => [
      label(p.indicator),
      reasons.join('; '),
      p.latest?.label ?? null,
      UNIT_LABELS[p.indicator.unit],
      p.latest?.value ?? null,
      p.latest?.targetText ?? null,
      rowRag(p, p.latest),
      c?.text ?? null,
      c?.author ?? null,
      c ? c.written_at.slice(0, 10) : null,
    ]),
  };
}
