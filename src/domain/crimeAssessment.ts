/**
 * The figures of a strategic assessment, made from police.uk records already grouped by the store: for a
 * partnership's area and a 12-month window against the 12 months before it, counts and rates per 1,000 by crime
 * type, change with its significance, the monthly trend, hotspots and outcomes. Pure: the grouping is done in
 * the store (src/adapters/crimeStore/queries.ts) and every change, rate and significance comes from the shared
 * domain functions, the single source of those figures everywhere in CSP Hub. Also the one rule for which
 * 12-month window is shown, used by the pages, the API and the document alike.
 */
import { percentageChange, ratePer, summariseChange } from './change.ts';
import { addMonths, formatPeriodLabel, isMonthKey, monthsBetween, parseMonthKey } from './periods.ts';
import { compareCounts, type CountComparison } from './significance.ts';
import { ANTI_SOCIAL_BEHAVIOUR, CRIME_TYPES } from './policeUkLayout.ts';

export const ALL_CRIME = 'All crime (excluding anti-social behaviour)';

export interface Window {
  from: string;
  to: string;
  months: string[];
}

export interface Population {
  year: number;
  population: number;
}

export interface ChangeFigures {
  label: string;
  previous: number;
  current: number;
  previousRate: number | null;
  currentRate: number | null;
  absoluteChange: number;
  /** Rounded to one decimal place; null when the previous count is 0. */
  percentageChange: number | null;
  /** Wording such as '10.6% decrease (18 fewer)'. */
  summary: string;
  /** Exact conditional test of the two counts (same population assumed across a year). */
  significance: CountComparison;
}

export interface MonthFigures {
  month: string;
  crime: number;
  asb: number;
  byType: Record<string, number>;
}

export interface LsoaFigures {
  code: string;
  name: string;
  count: number;
  /** Share of the area's crime (0-1). */
  share: number;
}

export interface Hotspots {
  /** LSOAs in the area (those with no crime count as zero). */
  lsoaCount: number;
  top: LsoaFigures[];
  /** Number of LSOAs in the top 10% (at least 1). */
  topDecileCount: number;
  /** Share of the area's crime (excluding ASB) in the top 10% of its LSOAs (0-1); null when there is no crime. */
  topDecileShare: number | null;
}

export interface OutcomeFigures {
  outcome: string;
  count: number;
  share: number;
}

export interface StrategicAssessment {
  current: Window;
  previous: Window;
  /** Population used for the current and previous windows' rates (null when none is recorded). */
  currentPopulation: number | null;
  previousPopulation: number | null;
  lsoaCount: number;
  /** 'All crime' (excluding ASB), then 'Anti-social behaviour', then each crime type by current volume. */
  totals: ChangeFigures[];
  byCrimeType: ChangeFigures[];
  monthly: MonthFigures[];
  hotspots: Hotspots;
  /** Last outcome of the current window's crimes (ASB has none), largest first. */
  outcomes: OutcomeFigures[];
  /** Months in either window with no records at all for the area: the comparison is incomplete. */
  missingMonths: string[];
}

/** An area's records over both windows, counted three ways by the store. */
export interface RecordGroups {
  /** Every record of both windows, by month and crime type. */
  byMonthAndType: { month: string; crimeType: string; count: number }[];
  /** The current window's crime (ASB excluded) by LSOA, with the LSOA's name. */
  byLsoa: { code: string; name: string; count: number }[];
  /** The current window's crime (ASB excluded) by last outcome; null when none is recorded. */
  byOutcome: { outcome: string | null; count: number }[];
}

/** The 12 months to `windowEnd` and the 12 months before them; throws a RangeError for a month that is not YYYY-MM. */
export function windows(windowEnd: string): { current: Window; previous: Window } {
  parseMonthKey(windowEnd);
  const currentFrom = addMonths(windowEnd, -11);
  const previousTo = addMonths(windowEnd, -12);
  const previousFrom = addMonths(windowEnd, -23);
  return {
    current: { from: currentFrom, to: windowEnd, months: monthsBetween(currentFrom, windowEnd) },
    previous: { from: previousFrom, to: previousTo, months: monthsBetween(previousFrom, previousTo) },
  };
}

/** A span of months in words: 'April 2023 to March 2024'. */
export function windowLabel(from: string, to: string): string {
  return `${formatPeriodLabel(from)} to ${formatPeriodLabel(to)}`;
}

/**
 * The last month of the window to show: the month asked for when it is a month (YYYY-MM) of police.uk data held,
 * else the latest month held; undefined when none is held. `held` is newest first.
 */
export function chooseWindowEnd(requested: unknown, held: readonly string[]): string | undefined {
  return typeof requested === 'string' && isMonthKey(requested) && held.includes(requested) ? requested : held[0];
}

/** Why a partnership has no strategic assessment: no area, no police.uk data at all, or none of the area's LSOAs. */
export type AssessmentGapReason = 'no-area' | 'no-police-data' | 'no-records-for-area';

export interface AssessmentGap {
  reason: AssessmentGapReason;
  /** What is missing and what puts it right, in words for the pages, the documents and the API. */
  message: string;
  /** The police.uk months the assessment needs (the 12 months assessed and the 12 before them); null with no area. */
  months: { from: string; to: string } | null;
}

/** What the gap is judged on: the area (null when not defined), the months held (newest first) and today's month. */
export interface AssessmentGapInput {
  area: { localAuthorities?: readonly string[]; lsoaCodes?: readonly string[] } | null;
  monthsHeld: readonly string[];
  /** Whether any of the area's LSOAs is in the data held. */
  areaInData: boolean;
  /** The window's last month when one is chosen (a month held). */
  windowEnd: string | undefined;
  /** This month (YYYY-MM), to suggest months when nothing is held: police.uk publishes a month about two months later. */
  thisMonth: string;
}

/**
 * Why there is no assessment, or null when there can be one. With no data at all, the months suggested are the 24
 * to two months before this month (the latest police.uk has usually published); with data held but none of the
 * area's, the 24 months of the window that would be shown.
 */
export function assessmentGap(input: AssessmentGapInput): AssessmentGap | null {
  if (!input.area) return { reason: 'no-area', message: "Define the partnership's area first.", months: null };
  const needs = (w: { current: Window; previous: Window }, months: string) =>
    `The assessment needs 24 months of the street-level files of the police force covering the area: the 12 months to assess and the 12 before them, ${months.replace('%s', windowLabel(w.previous.from, w.current.to))}.`;
  if (!input.windowEnd || input.monthsHeld.length === 0) {
    const w = windows(addMonths(input.thisMonth, -2));
    return {
      reason: 'no-police-data',
      message: `No police.uk records are held for this area: no police.uk data has been imported yet. ${needs(w, 'such as %s (the latest months police.uk has usually published)')}`,
      months: { from: w.previous.from, to: w.current.to },
    };
  }
  if (input.areaInData) return null;
  const w = windows(input.windowEnd);
  const names = input.area.localAuthorities?.length ? ` (${input.area.localAuthorities.join(', ')})` : '';
  const held = windowLabel(input.monthsHeld.at(-1)!, input.monthsHeld[0]!);
  return {
    reason: 'no-records-for-area',
    message: `No police.uk records are held for this area${names} and window: none of the police.uk data imported (${held}) is of its LSOAs. ${needs(w, '%s')}`,
    months: { from: w.previous.from, to: w.current.to },
  };
}

/** The population of the latest year not after the year the window ends in (else the earliest recorded). */
export function populationFor(populations: readonly Population[], windowEnd: string): number | null {
  if (populations.length === 0) return null;
  const year = parseMonthKey(windowEnd).year;
  const sorted = [...populations].sort((a, b) => a.year - b.year);
  const before = sorted.filter((p) => p.year <= year);
  return (before.at(-1) ?? sorted[0])?.population ?? null;
}

function changeFigures(
  label: string,
  previous: number,
  current: number,
  previousPopulation: number | null,
  currentPopulation: number | null,
): ChangeFigures {
  const summary = summariseChange(previous, current);
  return {
    label,
    previous,
    current,
    previousRate: previousPopulation ? ratePer(previous, previousPopulation) : null,
    currentRate: currentPopulation ? ratePer(current, currentPopulation) : null,
    absoluteChange: summary.absoluteChange,
    percentageChange: percentageChange(previous, current),
    summary: summary.text,
    significance: compareCounts(previous, current),
  };
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function hotspots(byLsoa: RecordGroups['byLsoa'], lsoaCount: number, topLsoas: number): Hotspots {
  const ranked = [...byLsoa].sort((a, b) => b.count - a.count || byText(a.code, b.code));
  const crimeTotal = ranked.reduce((s, r) => s + r.count, 0);
  const topDecileCount = Math.max(1, Math.ceil(lsoaCount / 10));
  const topDecile = ranked.slice(0, topDecileCount).reduce((s, r) => s + r.count, 0);
  return {
    lsoaCount,
    top: ranked
      .slice(0, topLsoas)
      .map((r) => ({ code: r.code, name: r.name, count: r.count, share: crimeTotal ? r.count / crimeTotal : 0 })),
    topDecileCount,
    topDecileShare: crimeTotal ? topDecile / crimeTotal : null,
  };
}

function outcomes(byOutcome: RecordGroups['byOutcome']): OutcomeFigures[] {
  // Crimes with no outcome recorded are listed after any outcome with the same count.
  const ranked = [...byOutcome].sort((a, b) => b.count - a.count || byText(a.outcome ?? '\uffff', b.outcome ?? '\uffff'));
  const total = ranked.reduce((s, r) => s + r.count, 0);
  return ranked.map((r) => ({ outcome: r.outcome ?? 'No outcome recorded', count: r.count, share: r.count / total }));
}

function monthlyFigures(byMonthAndType: RecordGroups['byMonthAndType'], months: readonly string[]): MonthFigures[] {
  return months.map((month) => {
    const rows = byMonthAndType.filter((r) => r.month === month);
    const byType: Record<string, number> = {};
    for (const r of rows) byType[r.crimeType] = r.count;
    const asb = byType[ANTI_SOCIAL_BEHAVIOUR] ?? 0;
    return { month, crime: rows.reduce((s, r) => s + r.count, 0) - asb, asb, byType };
  });
}

export interface AssessmentFiguresOptions {
  /** Last month of the current 12-month window, 'YYYY-MM'. */
  windowEnd: string;
  /** LSOAs in the area (those with no records count as zero). */
  lsoaCount: number;
  /** Populations by year; the year a window ends in is used for its rates. */
  populations?: readonly Population[];
  /** How many top LSOAs to list; default 10. */
  topLsoas?: number;
}

/** The strategic assessment figures from an area's grouped records. */
export function assessmentFigures(groups: RecordGroups, options: AssessmentFiguresOptions): StrategicAssessment {
  const w = windows(options.windowEnd);
  const currentMonths = new Set(w.current.months);
  const count = (type: string | null, inCurrent: boolean) =>
    groups.byMonthAndType
      .filter(
        (r) => currentMonths.has(r.month) === inCurrent && (type === null ? r.crimeType !== ANTI_SOCIAL_BEHAVIOUR : r.crimeType === type),
      )
      .reduce((s, r) => s + r.count, 0);
  const currentPopulation = populationFor(options.populations ?? [], w.current.to);
  const previousPopulation = populationFor(options.populations ?? [], w.previous.to);
  const figures = (label: string, type: string | null) =>
    changeFigures(label, count(type, false), count(type, true), previousPopulation, currentPopulation);

  const byCrimeType = CRIME_TYPES.filter((t) => t !== ANTI_SOCIAL_BEHAVIOUR)
    .map((t) => figures(t, t))
    .sort((a, b) => b.current - a.current || a.label.localeCompare(b.label));
  const monthly = monthlyFigures(groups.byMonthAndType, [...w.previous.months, ...w.current.months]);
  return {
    current: w.current,
    previous: w.previous,
    currentPopulation,
    previousPopulation,
    lsoaCount: options.lsoaCount,
    totals: [figures(ALL_CRIME, null), figures(ANTI_SOCIAL_BEHAVIOUR, ANTI_SOCIAL_BEHAVIOUR)],
    byCrimeType,
    monthly,
    hotspots: hotspots(groups.byLsoa, options.lsoaCount, options.topLsoas ?? 10),
    outcomes: outcomes(groups.byOutcome),
    missingMonths: monthly.filter((m) => m.crime + m.asb === 0).map((m) => m.month),
  };
}
