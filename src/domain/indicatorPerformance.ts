/**
 * Indicator performance, worked out from plain values: for each period of an indicator with a figure, the value,
 * year to date, same period last year, change, rate per population, target, progress, RAG (by rule, with the
 * partnership's tolerance, or overridden with a reason), direction of travel, significance, projection and the XmR
 * view. No database, no I/O: the performance service gathers the inputs and hands them here.
 *
 * A figure that cannot be worked out (no figure for the same period last year, a baseline of 0 for a percentage
 * change, a target that needs a population the partnership has not given, a seasonal projection with nothing in
 * the earlier years...) is null with its reason in the period's `reasons`, shown next to it on the pages and in the
 * API. Anything else that goes wrong is a programming error and throws.
 */
import { absoluteChange, directionOfTravel, percentageChange, ratePer, type DirectionOfTravel } from './change.ts';
import { allowsNegative, figureValueProblem, quoteValue } from './numbers.ts';
import {
  addMonths,
  financialYearKey,
  formatPeriodLabel,
  isMonthKey,
  monthsBetween,
  monthsOfPeriod,
  parsePeriodKey,
  quarterKey,
  samePeriodLastYear,
} from './periods.ts';
import { projectOutturn } from './projection.ts';
import { ragForTarget } from './rag.ts';
import { compareCounts, compareProportions, verdictOf, type Fraction, type SignificanceVerdict } from './significance.ts';
import { figureIntervals, type FigureIntervals } from './figureIntervals.ts';
import { classifyVariation, xmrChart, type Variation, type XmrChart } from './spc.ts';
import { NO_SPC_SETTINGS, xmrOptionsFor, type SpcSettings } from './spcSettings.ts';
import { meetsTarget, progressToTarget, resolveTarget, type Target } from './targets.ts';
import { judgeTrajectory, trajectoryShares, type TrajectoryJudgement, type TrajectorySetting } from './trajectory.ts';
import type { Polarity, Rag, ResolvedTarget } from './types.ts';
import { compareYearToDate, type YearToDateChange } from './yearToDate.ts';

/** How an indicator's figures are measured (the same list as the database's `indicators.unit`). */
export type IndicatorUnit = 'count' | 'percentage' | 'rate_per_1000' | 'rate_per_100000' | 'money' | 'score';

/** An indicator's first target, or its second one (judged on its own beside the first). */
export type TargetTier = 'first' | 'second';

/** A value that could be worked out, or null with the reason it could not, in words for the page. */
export type Reasoned<T> = { value: T; reason: null } | { value: null; reason: string };

const known = <T>(value: T): Reasoned<T> => ({ value, reason: null });
const unknown = <T>(reason: string): Reasoned<T> => ({ value: null, reason });

/** The figures of a period that can be missing for a reason; each missing one is named in `reasons`. */
export type ReasonField =
  | 'lastYear'
  | 'percentChange'
  | 'previousValue'
  | 'percentChangeOnPrevious'
  | 'direction'
  | 'ratePer1000'
  | 'percentChangeFromBaseline'
  | 'target'
  | 'projection'
  | 'rag'
  | 'progress'
  | 'significance'
  | 'yearToDateComparison'
  | 'trajectory'
  | 'secondTarget';

export type PeriodReasons = Partial<Record<ReasonField, string>>;

export interface IndicatorDefinition {
  unit: IndicatorUnit;
  polarity: Polarity;
  baseline: { period: string; value: number } | null;
  /**
   * In the order they were set; `byPeriod` is the financial year or period the target is for, if any. A target of
   * the 'second' tier (a national target beside a local stretch one, say) is judged on its own beside the first.
   */
  targets: { byPeriod: string | null; target: Target; text: string; tier?: TargetTier; label?: string }[];
  /** How the annual target is spread over the year, for judging the year to date (none when not given). */
  trajectory?: TrajectorySetting | null;
  /** Change dates, a fixed baseline, excluded points and notes for the XmR chart (none when not given). */
  spc?: SpcSettings;
}

/** An override as stored: only those not removed are used. */
export interface RagOverrideInput {
  period: string;
  rag: Rag;
  reason: string;
  created_by: string;
  removed_at: string | null;
}

export interface IndicatorInputs {
  definition: IndicatorDefinition;
  /** A percentage's or rate's figures may carry their numerator and denominator (for the Wilson or rate interval). */
  figures: { period: string; value: number; numerator?: number | null; denominator?: number | null }[];
  overrides: RagOverrideInput[];
  /** The partnership's population by calendar year of the financial year's start. */
  populations: { year: number; population: number }[];
  /** The amber band, as a percentage of the target figure. */
  tolerance: number;
}

export interface PeriodPerformance {
  period: string;
  label: string;
  value: number | null;
  /** The percentage's or rate's recorded numerator and denominator (81 of 263), or null when not recorded. */
  numerator: number | null;
  denominator: number | null;
  /** Financial year to date (additive units at monthly or quarterly frequency). */
  yearToDate: number | null;
  lastYearPeriod: string;
  lastYear: number | null;
  change: number | null;
  percentChange: number | null;
  /** The period just before (the month, quarter or financial year before) and the change on it. */
  previousPeriod: string;
  previousValue: number | null;
  changeOnPrevious: number | null;
  percentChangeOnPrevious: number | null;
  direction: DirectionOfTravel | null;
  /** Per 1,000 population, for counts, using the partnership's population for the financial year. */
  ratePer1000: number | null;
  population: number | null;
  /** The year of the population used (that financial year's, else the latest before it); null without one. */
  populationYear: number | null;
  baseline: number | null;
  baselinePeriod: string | null;
  changeFromBaseline: number | null;
  percentChangeFromBaseline: number | null;
  target: { text: string; threshold: number; comparison: 'at_most' | 'at_least' } | null;
  targetText: string | null;
  /** The first target's own name (like "Local stretch"); empty when none is given. */
  targetLabel: string;
  /** Whether what is assessed meets the first target; null when it is not judged (see reasons.rag). */
  targetMet: boolean | null;
  /** The year to date against the first target's trajectory to date; null without one (see reasons.trajectory). */
  trajectory: TrajectoryJudgement | null;
  /** The second target judged on its own; null when there is none or it cannot be judged (reasons.secondTarget). */
  secondTarget: SecondTargetPerformance | null;
  /** The figure compared with the target: the value, the projected year-end figure, or a total over a span. */
  assessed: number | null;
  assessedAs: 'value' | 'projected_year_end' | 'span_total' | null;
  progress: number | null;
  ruleRag: Rag | null;
  rag: Rag | null;
  overridden: boolean;
  overrideReason: string | null;
  overrideBy: string | null;
  /**
   * The change on the same period last year tested for significance, naming the test and its p-value: counts by the
   * exact conditional binomial test; percentages and rates whose two figures record numerator and denominator by
   * the two-sample z-test for proportions or the exact test of the two counts over their populations.
   */
  significance: SignificanceVerdict | null;
  projection: {
    projected: number;
    lower: number | null;
    upper: number | null;
    probabilityOfMeetingTarget: number | null;
    method: string;
  } | null;
  /** The 95% and 99.8% confidence intervals of the figure (Fingertips methods), or why there are none. */
  intervals: FigureIntervals;
  /** Year to date against last year's year to date (counts and money, monthly and quarterly); null otherwise. */
  yearToDateComparison: YearToDateChange | null;
  /** Why each figure of the period that could not be worked out is missing. */
  reasons: PeriodReasons;
}

/** A second target of a period judged on its own: what it asks, what is compared with it, met or not, and its RAG. */
export interface SecondTargetPerformance {
  label: string;
  text: string;
  threshold: number;
  comparison: 'at_most' | 'at_least';
  assessed: number | null;
  assessedAs: PeriodPerformance['assessedAs'];
  met: boolean | null;
  rag: Rag | null;
  /** The year to date against this target's trajectory to date, when the indicator has a trajectory. */
  trajectory: TrajectoryJudgement | null;
  /** Why it is not met or not rated when there is no figure to compare, else null. */
  reason: string | null;
}

export interface IndicatorCalculation {
  /** Every period with a figure, worked out in full (only the latest one for a `latestOnly` view). */
  periods: PeriodPerformance[];
  /** Every figure in period order (labels of all but the last 12 are left as keys in a `latestOnly` view). */
  series: { period: string; label: string; value: number }[];
  latest: PeriodPerformance | null;
  xmr: XmrChart | null;
  variation: Variation | null;
  /** Why there is no XmR view, when there is none. */
  xmrReason: string | null;
  /** The indicator's SPC settings that could not be applied (yet), each with why. */
  spcNotes: string[];
  /**
   * Stored figures (or the baseline) that cannot be used, each with why: written before the checks of today, or
   * by another tool. They are left out of the calculations and no rule RAG is given; the rest of the indicator is
   * worked out as usual.
   */
  problems: string[];
}

const ADDITIVE: ReadonlySet<IndicatorUnit> = new Set(['count', 'money']);

/** Whether figures of this unit add up over periods (counts and money). */
export const isAdditive = (unit: IndicatorUnit): boolean => ADDITIVE.has(unit);

/** Chronological order of period keys of any kind. */
export function comparePeriods(a: string, b: string): number {
  const ma = monthsOfPeriod(a);
  const mb = monthsOfPeriod(b);
  return ma[0]!.localeCompare(mb[0]!) || ma.length - mb.length;
}

/** The period just before: the month, quarter or financial year before. */
export function previousPeriodOf(period: string): string {
  const p = parsePeriodKey(period);
  if (p.kind === 'month') return addMonths(period, -1);
  if (p.kind === 'quarter')
    return p.quarter === 1 ? quarterKey(p.financialYearStart - 1, 4) : quarterKey(p.financialYearStart, p.quarter - 1);
  return financialYearKey(p.startYear - 1);
}

interface PeriodMeta {
  key: string;
  /** First month, then length: the chronological order of comparePeriods without parsing again. */
  first: string;
  length: number;
  fy: number;
  kind: 'month' | 'quarter' | 'financial_year';
}

const MONTH_KEY = /^(\d{4})-(\d{2})$/;

function fyStart(period: string): number {
  const p = parsePeriodKey(period);
  if (p.kind === 'financial_year') return p.startYear;
  if (p.kind === 'quarter') return p.financialYearStart;
  return p.month >= 4 ? p.year : p.year - 1;
}

function metaOf(key: string): PeriodMeta {
  // Most figures are monthly: read those without the general parser (they were checked when entered).
  const m = MONTH_KEY.exec(key);
  if (m) {
    const year = Number(m[1]);
    return { key, first: key, length: 1, fy: Number(m[2]) >= 4 ? year : year - 1, kind: 'month' };
  }
  const months = monthsOfPeriod(key);
  return { key, first: months[0]!, length: months.length, fy: fyStart(key), kind: parsePeriodKey(key).kind };
}

/** Whether a string is a period key this module can read. */
function isPeriodKey(key: string): boolean {
  try {
    parsePeriodKey(key);
    return true;
  } catch (e) {
    if (e instanceof RangeError) return false;
    throw e;
  }
}

/** Whether a cumulative limit's span runs from one month to the same or a later one. */
function isMonthSpan(target: { from: string; to: string }): boolean {
  return isMonthKey(target.from) && isMonthKey(target.to) && target.from <= target.to;
}

/** Why a stored figure cannot be used in the calculations, or null when it can. */
export function storedFigureProblem(f: { period: string; value: number }, unit?: IndicatorUnit): string | null {
  if (!isPeriodKey(f.period))
    return `A figure is stored for "${quoteValue(f.period)}", which is not a period like 2019-04, 2019-20 Q1 or 2019/20: it cannot be used`;
  const wrong = figureValueProblem(f.value, unit);
  return wrong
    ? `The stored figure for ${formatPeriodLabel(f.period)}, ${quoteValue(f.value)}, cannot be used: it ${wrong}. Enter the figure again`
    : null;
}

/** Why a stored baseline cannot be used, or null when it can. */
export function storedBaselineProblem(baseline: { period: string; value: number }, unit?: IndicatorUnit): string | null {
  const wrong = isPeriodKey(baseline.period)
    ? figureValueProblem(baseline.value, unit)
    : `is for "${quoteValue(baseline.period)}", which is not a period like 2019-04, 2019-20 Q1 or 2019/20`;
  return wrong ? `The stored baseline, ${quoteValue(baseline.value)}, cannot be used: it ${wrong}. Enter the baseline again` : null;
}

/** The population for a financial year: that year's, else the latest before it, else the earliest given. */
export function populationFor(populations: readonly { year: number; population: number }[], year: number): number | null {
  return populationEntryFor(populations, year)?.population ?? null;
}

/** The population entry populationFor uses for a financial year (with its year, and whatever else the caller gave). */
export function populationEntryFor<T extends { year: number; population: number }>(populations: readonly T[], year: number): T | null {
  const exact = populations.find((p) => p.year === year);
  if (exact) return exact;
  const earlier = populations.filter((p) => p.year < year).sort((a, b) => b.year - a.year)[0];
  return earlier ?? [...populations].sort((a, b) => a.year - b.year)[0] ?? null;
}

/** Percentage change from `before` to `now`, or why there is none. `what` names `before` in the reason. */
export function percentChangeFrom(before: Reasoned<number>, now: number | null, what: string): Reasoned<number> {
  if (before.value === null) return unknown(before.reason);
  if (now === null) return unknown('No figure for this period');
  if (before.value < 0 || now < 0) return unknown('A percentage change is not worked out for figures below zero');
  const change = percentageChange(before.value, now);
  return change === null ? unknown(`${what} was 0, so there is no percentage change`) : known(change);
}

/** The target for a period: the one for its financial year or the period itself, else the latest one set. */
export function targetForPeriod(
  definition: IndicatorDefinition,
  period: string,
  fy: number,
  tier: TargetTier = 'first',
): IndicatorDefinition['targets'][number] | null {
  const fyKey = financialYearKey(fy);
  const targets = definition.targets.filter((t) => (t.tier ?? 'first') === tier);
  return targets.find((t) => t.byPeriod === fyKey || t.byPeriod === period) ?? targets[targets.length - 1] ?? null;
}

/** The number a stored target holds (its value, percentage, amount, rate or maximum), or null for none. */
function targetNumber(target: Target): number | null {
  switch (target.kind) {
    case 'absolute':
      return target.value;
    case 'percentage_change':
      return target.percent;
    case 'amount_change':
      return target.amount;
    case 'rate':
      return target.rate;
    case 'cumulative_limit':
      return target.maximum;
    default:
      return null;
  }
}

/**
 * A target as a threshold to compare with, or why it cannot be: none set, monitor only, to be agreed, or one that
 * needs a baseline or population that is missing, or asks for a reduction below zero.
 */
export function resolvedTargetOf(
  target: Target | null,
  context: { polarity: Polarity; baseline: number | null; population: number | null; populationYear: string; unit?: IndicatorUnit },
): Reasoned<ResolvedTarget> {
  // A score's or money's target, baseline and amount-change threshold may be below zero, like its figures (issue 16).
  const signed = allowsNegative(context.unit);
  if (!target) return unknown('No target set');
  if (context.polarity === 'monitor') return unknown('Monitored only: no target is assessed');
  const stored = targetNumber(target);
  const wrong = stored === null ? null : figureValueProblem(stored, signed && target.kind === 'absolute' ? context.unit : undefined);
  if (wrong) return unknown(`The stored target, ${quoteValue(stored)}, cannot be used: it ${wrong}. Enter the target again`);
  const needsBaseline = target.kind === 'percentage_change' || target.kind === 'amount_change' || target.kind === 'maintain';
  if (needsBaseline && context.baseline === null) return unknown('The target is a change from the baseline, and there is no baseline');
  if (needsBaseline && context.baseline! < 0 && (!signed || target.kind === 'percentage_change'))
    return unknown(
      signed
        ? 'The target is a percentage change from the baseline, and a percentage of a baseline below zero is not worked out: set it as an amount to change by'
        : 'The target is a change from the baseline, and a change from a baseline below zero is not worked out',
    );
  if (target.kind === 'rate' && !context.population)
    return unknown(`The target is a rate, and there is no population for ${context.populationYear} to turn it into a count`);
  if (target.kind === 'percentage_change' && target.direction === 'reduce' && target.percent > 100)
    return unknown(`The target asks for a reduction of ${target.percent}%, more than everything`);
  if (target.kind === 'amount_change' && !signed && target.direction === 'reduce' && context.baseline! - target.amount < 0)
    return unknown(`The target asks for a reduction of ${target.amount} from a baseline of ${context.baseline}, below zero`);
  if (target.kind === 'cumulative_limit' && !isMonthSpan(target))
    return unknown(`The target's span, "${quoteValue(target.from)}" to "${quoteValue(target.to)}", is not a span of months`);
  const resolved = resolveTarget(target, {
    polarity: context.polarity,
    baseline: context.baseline ?? undefined,
    population: context.population ?? undefined,
    signed,
  });
  return resolved ? known(resolved) : unknown('The target is to be agreed');
}

type Projection = NonNullable<PeriodPerformance['projection']>;

/**
 * The year-end projection from the year to date: seasonal when there are complete earlier years, else a straight
 * line. Null with the reason when the earlier years give no seasonal profile.
 */
export function yearEndProjection(
  yearToDate: number[],
  options: { periodsPerYear: number; earlierYears: number[][]; target: ResolvedTarget | null; unit: IndicatorUnit },
): Reasoned<Projection> {
  const { earlierYears, periodsPerYear } = options;
  if (earlierYears.length > 0) {
    const total = earlierYears.flat().reduce((s, v) => s + v, 0);
    if (total === 0) return unknown('The earlier years total zero, so they give no seasonal profile to project the year end from');
    const elapsed = earlierYears.flatMap((y) => y.slice(0, yearToDate.length)).reduce((s, v) => s + v, 0);
    if (elapsed === 0) return unknown('The earlier years had nothing in these periods, so the year end cannot be projected');
  }
  const p = projectOutturn(yearToDate, {
    periodsPerYear,
    earlierYears,
    target: options.target,
    counts: options.unit === 'count' ? undefined : false,
  });
  return known({
    projected: p.projected,
    lower: p.interval?.lower ?? null,
    upper: p.interval?.upper ?? null,
    probabilityOfMeetingTarget: p.probabilityOfMeetingTarget,
    method: p.method,
  });
}

/** The units whose figures may record a numerator and a denominator (a fraction), and so be tested on them. */
const FRACTION_UNITS: ReadonlySet<IndicatorUnit> = new Set(['percentage', 'rate_per_1000', 'rate_per_100000']);

/**
 * Significance of the change on the same period last year, or null with the reason. Whole-number counts: the exact
 * conditional binomial test of the two counts. A percentage whose two figures both record their numerator and
 * denominator: the two-sample z-test for proportions; a rate with both recorded: the exact test of the two counts
 * with their populations as exposures. Null (not tested, no reason) for money and scores.
 */
export function significanceOf(
  unit: IndicatorUnit,
  lastYear: Reasoned<number>,
  value: number | null,
  fractions: { before?: Fraction | undefined; after?: Fraction | undefined } = {},
): Reasoned<SignificanceVerdict> | null {
  if (unit !== 'count' && !FRACTION_UNITS.has(unit)) return null;
  if (lastYear.value === null) return unknown(lastYear.reason);
  if (value === null) return unknown('No figure for this period');
  if (unit === 'count') {
    if (!Number.isInteger(value) || !Number.isInteger(lastYear.value))
      return unknown('Significance is tested for whole-number counts only');
    return known(verdictOf(compareCounts(lastYear.value, value)));
  }
  const { before, after } = fractions;
  if (!before || !after)
    return unknown(
      `Significance is tested when both figures record their numerator and denominator; ${after ? 'the same period last year has' : 'this figure has'} none`,
    );
  return known(
    verdictOf(
      unit === 'percentage'
        ? compareProportions(before, after)
        : compareCounts(before.numerator, after.numerator, { exposureBefore: before.denominator, exposureAfter: after.denominator }),
    ),
  );
}

/** Progress from the baseline towards the target, or why there is none. */
export function progressOf(
  baseline: number | null,
  assessed: number | null,
  resolved: Reasoned<ResolvedTarget>,
  assessedAs: PeriodPerformance['assessedAs'],
): Reasoned<number> | null {
  if (assessedAs === 'span_total') return null;
  if (resolved.value === null) return unknown(resolved.reason);
  if (baseline === null) return unknown('No baseline to measure progress from');
  if (assessed === null) return unknown('No figure for this period');
  const progress = progressToTarget(baseline, assessed, resolved.value);
  return progress === null ? unknown('The target asks for no change from the baseline, so progress is not measured') : known(progress);
}

/** The figures of one indicator, sorted and grouped once so that each period is worked out without parsing again. */
class FigureIndex {
  readonly values: Map<string, number>;
  readonly ordered: string[];
  readonly metaByKey: Map<string, PeriodMeta>;
  /** Periods of each financial year and kind, in order: `${fy}|${kind}`. */
  readonly byYearKind = new Map<string, string[]>();
  /** Periods of each financial year, in order. */
  readonly byYear = new Map<number, string[]>();

  /** The recorded numerator and denominator of the periods that have them. */
  readonly fractions: Map<string, { numerator: number; denominator: number }>;

  constructor(figures: { period: string; value: number; numerator?: number | null; denominator?: number | null }[]) {
    this.values = new Map(figures.map((f) => [f.period, f.value]));
    this.fractions = new Map(
      figures.flatMap((f) =>
        f.numerator !== null && f.numerator !== undefined && f.denominator !== null && f.denominator !== undefined
          ? [[f.period, { numerator: f.numerator, denominator: f.denominator }] as const]
          : [],
      ),
    );
    const metas = [...this.values.keys()].map(metaOf).sort((a, b) => a.first.localeCompare(b.first) || a.length - b.length);
    this.ordered = metas.map((m) => m.key);
    this.metaByKey = new Map(metas.map((m) => [m.key, m]));
    for (const m of metas) {
      push(this.byYearKind, `${m.fy}|${m.kind}`, m.key);
      push(this.byYear, m.fy, m.key);
    }
  }

  value(period: string): Reasoned<number> {
    const v = this.values.get(period);
    return v === undefined ? unknown(`No figure for ${formatPeriodLabel(period)}`) : known(v);
  }

  /** This period and the earlier ones of the same financial year. */
  sameYear(meta: PeriodMeta): string[] {
    const yearPeriods = this.byYear.get(meta.fy)!;
    return yearPeriods.slice(0, yearPeriods.indexOf(meta.key) + 1);
  }

  /** Up to three complete earlier financial years of the same kind of period, for a seasonal profile. */
  earlierYears(meta: PeriodMeta, perYear: number): number[][] {
    const years: number[][] = [];
    for (let y = meta.fy - 3; y < meta.fy; y++) {
      const year = (this.byYearKind.get(`${y}|${meta.kind}`) ?? []).map((p) => this.values.get(p) ?? 0);
      if (year.length === perYear) years.push(year);
    }
    return years;
  }

  total(periods: string[]): number {
    return periods.reduce((s, p) => s + (this.values.get(p) ?? 0), 0);
  }
}

function push<K>(map: Map<K, string[]>, key: K, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

interface Assessment {
  assessed: number | null;
  assessedAs: PeriodPerformance['assessedAs'];
  projection: Reasoned<Projection> | null;
  /** Why nothing can be compared with the target, when the target is a span with no figure in it yet. */
  spanReason: string | null;
}

/** What is compared with the target: the value, the total over a cumulative limit's span, or the projected year end. */
function assessmentOf(
  index: FigureIndex,
  meta: PeriodMeta,
  target: Target | null,
  resolved: Reasoned<ResolvedTarget>,
  definition: IndicatorDefinition,
): Assessment {
  const value = index.values.get(meta.key) ?? null;
  if (target?.kind === 'cumulative_limit') {
    if (!isMonthSpan(target)) return { assessed: null, assessedAs: null, projection: null, spanReason: resolved.reason };
    const span = new Set(monthsBetween(target.from, target.to));
    const inSpan = index.ordered.slice(0, index.ordered.indexOf(meta.key) + 1).filter((p) => monthsOfPeriod(p).every((m) => span.has(m)));
    if (inSpan.length === 0) {
      const spanText = `${formatPeriodLabel(target.from)} to ${formatPeriodLabel(target.to)}`;
      return { assessed: null, assessedAs: null, projection: null, spanReason: `No figure yet within the target's span, ${spanText}` };
    }
    return { assessed: index.total(inSpan), assessedAs: 'span_total', projection: null, spanReason: null };
  }
  const annualScale = definition.baseline ? parsePeriodKey(definition.baseline.period).kind === 'financial_year' : true;
  if (isAdditive(definition.unit) && meta.kind !== 'financial_year' && annualScale) {
    const periodsPerYear = meta.kind === 'month' ? 12 : 4;
    if (
      index.sameYear(meta).some((p) => (index.values.get(p) ?? 0) < 0) ||
      index
        .earlierYears(meta, periodsPerYear)
        .flat()
        .some((v) => v < 0)
    ) {
      const projection = unknown<Projection>('The year end is not projected from figures below zero');
      return { assessed: value, assessedAs: value === null ? null : 'value', projection, spanReason: null };
    }
    const projection = yearEndProjection(
      index.sameYear(meta).map((p) => index.values.get(p) ?? 0),
      { periodsPerYear, earlierYears: index.earlierYears(meta, periodsPerYear), target: resolved.value, unit: definition.unit },
    );
    if (projection.value) return { assessed: projection.value.projected, assessedAs: 'projected_year_end', projection, spanReason: null };
    return { assessed: value, assessedAs: value === null ? null : 'value', projection, spanReason: null };
  }
  return { assessed: value, assessedAs: value === null ? null : 'value', projection: null, spanReason: null };
}

/** The changes of a period on last year, the period before and the baseline, each with its reason when missing. */
function changesOf(index: FigureIndex, period: string, value: number | null, definition: IndicatorDefinition) {
  const lastYearPeriod = samePeriodLastYear(period);
  const lastYear = index.value(lastYearPeriod);
  const previousPeriod = previousPeriodOf(period);
  const previous = index.value(previousPeriod);
  const baseline: Reasoned<number> = definition.baseline ? known(definition.baseline.value) : unknown('No baseline');
  const difference = (before: Reasoned<number>) => (before.value !== null && value !== null ? absoluteChange(before.value, value) : null);
  return {
    lastYearPeriod,
    lastYear,
    previousPeriod,
    previous,
    baseline,
    change: difference(lastYear),
    changeOnPrevious: difference(previous),
    changeFromBaseline: difference(baseline),
    percentChange: percentChangeFrom(lastYear, value, 'The same period last year'),
    percentChangeOnPrevious: percentChangeFrom(previous, value, 'The period before'),
    percentChangeFromBaseline: percentChangeFrom(baseline, value, 'The baseline'),
    direction:
      lastYear.value !== null && value !== null
        ? known(directionOfTravel(lastYear.value, value, definition.polarity))
        : unknown<DirectionOfTravel>(lastYear.reason ?? 'No figure for this period'),
  };
}

/** The rule's RAG for what is assessed, or why there is none. */
function ruleRagOf(assessment: Assessment, resolved: Reasoned<ResolvedTarget>, tolerance: number): Reasoned<Rag> {
  if (assessment.spanReason) return unknown(assessment.spanReason);
  if (resolved.value === null) return unknown(resolved.reason);
  if (assessment.assessed === null) return unknown('No figure for this period');
  const rag = ragForTarget(assessment.assessed, resolved.value, { tolerancePercent: tolerance });
  return rag ? known(rag) : unknown('No target to compare with');
}

/** Where a period falls in its financial year: 0 for April or Q1. */
function positionInYear(meta: PeriodMeta): number {
  const fromApril = (Number(meta.first.slice(5, 7)) + 8) % 12;
  return meta.kind === 'quarter' ? Math.floor(fromApril / 3) : fromApril;
}

/**
 * The year to date against a target's trajectory to date, or why it is not judged; null when the indicator has no
 * trajectory. Only an annual target of a count or amount reported monthly or quarterly has a trajectory.
 */
function trajectoryOf(
  index: FigureIndex,
  meta: PeriodMeta,
  target: Target | null,
  resolved: Reasoned<ResolvedTarget>,
  inputs: IndicatorInputs,
): Reasoned<TrajectoryJudgement> | null {
  const { definition } = inputs;
  const setting = definition.trajectory;
  if (!setting) return null;
  if (!isAdditive(definition.unit)) return unknown('A trajectory spreads an annual total: only counts and amounts have one');
  if (meta.kind === 'financial_year') return unknown('An annual figure is judged against the annual target itself');
  if (target?.kind === 'cumulative_limit') return unknown('A limit over a span of months has no trajectory through the year');
  if (definition.baseline && parsePeriodKey(definition.baseline.period).kind !== 'financial_year')
    return unknown('The baseline is not for a financial year, so the target is not an annual one to spread');
  if (resolved.value === null) return unknown(resolved.reason);
  const perYear = meta.kind === 'month' ? 12 : 4;
  const profile = trajectoryShares(setting, perYear, index.earlierYears(meta, perYear));
  if ('reason' in profile) return unknown(profile.reason);
  const position = positionInYear(meta);
  const sameYear = index.sameYear(meta);
  if (sameYear.length < position + 1)
    return unknown(
      `The year to date is missing ${position + 1 - sameYear.length} of its ${position + 1} ${meta.kind === 'month' ? 'months' : 'quarters'} so far, so it is not judged against the trajectory`,
    );
  return known(judgeTrajectory(index.total(sameYear), resolved.value, profile.shares, position, setting, inputs.tolerance));
}

/** The second target of a period judged on its own, as the first is: or why it cannot be; null when there is none. */
function secondTargetOf(index: FigureIndex, meta: PeriodMeta, inputs: IndicatorInputs): Reasoned<SecondTargetPerformance> | null {
  const { definition } = inputs;
  const row = targetForPeriod(definition, meta.key, meta.fy, 'second');
  if (!row) return null;
  const populationEntry = populationEntryFor(inputs.populations, meta.fy);
  const resolved = resolvedTargetOf(row.target, {
    polarity: definition.polarity,
    baseline: definition.baseline?.value ?? null,
    population: populationEntry?.population ?? null,
    populationYear: financialYearKey(meta.fy),
    unit: definition.unit,
  });
  if (resolved.value === null) return unknown(resolved.reason);
  const assessment = assessmentOf(index, meta, row.target, resolved, definition);
  const rag = ruleRagOf(assessment, resolved, inputs.tolerance);
  const trajectory = trajectoryOf(index, meta, row.target, resolved, inputs);
  return known({
    label: row.label ?? '',
    text: row.text,
    threshold: resolved.value.threshold,
    comparison: resolved.value.comparison,
    assessed: assessment.assessed,
    assessedAs: assessment.assessedAs,
    met: rag.value === null || assessment.assessed === null ? null : meetsTarget(assessment.assessed, resolved.value),
    rag: rag.value,
    trajectory: trajectory?.value ?? null,
    reason: rag.reason,
  });
}

/** Collects the reasons of the missing figures, by the field they explain. */
function reasonsOf(entries: [ReasonField, Reasoned<unknown> | null][]): PeriodReasons {
  const reasons: PeriodReasons = {};
  for (const [field, r] of entries) if (r && r.reason !== null) reasons[field] = r.reason;
  return reasons;
}

/** One period of an indicator worked out in full. */
function periodPerformance(index: FigureIndex, period: string, inputs: IndicatorInputs): PeriodPerformance {
  const { definition, overrides, populations, tolerance } = inputs;
  const meta = index.metaByKey.get(period)!;
  const value = index.values.get(period) ?? null;
  const additive = isAdditive(definition.unit);
  const populationEntry = populationEntryFor(populations, meta.fy);
  const population = populationEntry?.population ?? null;
  const c = changesOf(index, period, value, definition);
  const targetRow = targetForPeriod(definition, period, meta.fy);
  const resolved = resolvedTargetOf(targetRow?.target ?? null, {
    polarity: definition.polarity,
    baseline: definition.baseline?.value ?? null,
    population,
    populationYear: financialYearKey(meta.fy),
    unit: definition.unit,
  });
  const assessment = assessmentOf(index, meta, targetRow?.target ?? null, resolved, definition);
  const ruleRag = ruleRagOf(assessment, resolved, tolerance);
  const trajectory = trajectoryOf(index, meta, targetRow?.target ?? null, resolved, inputs);
  const second = secondTargetOf(index, meta, inputs);
  const progress = progressOf(definition.baseline?.value ?? null, assessment.assessed, resolved, assessment.assessedAs);
  const significance = significanceOf(definition.unit, c.lastYear, value, {
    before: index.fractions.get(c.lastYearPeriod),
    after: index.fractions.get(period),
  });
  const rate: Reasoned<number> | null =
    definition.unit !== 'count' || value === null
      ? null
      : population
        ? known(ratePer(value, population, 1000))
        : unknown(`No population for ${financialYearKey(meta.fy)}`);
  const override = overrides.find((o) => o.period === period && o.removed_at === null) ?? null;
  const ytd =
    additive && meta.kind !== 'financial_year'
      ? compareYearToDate({ additive, count: definition.unit === 'count', polarity: definition.polarity, values: index.values, period })
      : null;
  return {
    period,
    label: formatPeriodLabel(period),
    value,
    yearToDate: additive && meta.kind !== 'financial_year' ? index.total(index.sameYear(meta)) : null,
    lastYearPeriod: c.lastYearPeriod,
    lastYear: c.lastYear.value,
    change: c.change,
    percentChange: c.percentChange.value,
    previousPeriod: c.previousPeriod,
    previousValue: c.previous.value,
    changeOnPrevious: c.changeOnPrevious,
    percentChangeOnPrevious: c.percentChangeOnPrevious.value,
    direction: c.direction.value,
    ratePer1000: rate?.value ?? null,
    population,
    populationYear: populationEntry?.year ?? null,
    baseline: definition.baseline?.value ?? null,
    baselinePeriod: definition.baseline?.period ?? null,
    changeFromBaseline: c.changeFromBaseline,
    percentChangeFromBaseline: definition.baseline ? c.percentChangeFromBaseline.value : null,
    target:
      resolved.value && targetRow
        ? { text: targetRow.text, threshold: resolved.value.threshold, comparison: resolved.value.comparison }
        : null,
    targetText: targetRow?.text ?? null,
    targetLabel: targetRow?.label ?? '',
    targetMet:
      ruleRag.value === null || assessment.assessed === null || resolved.value === null
        ? null
        : meetsTarget(assessment.assessed, resolved.value),
    trajectory: trajectory?.value ?? null,
    secondTarget: second?.value ?? null,
    assessed: assessment.assessed,
    assessedAs: assessment.assessedAs,
    progress: progress?.value ?? null,
    ruleRag: ruleRag.value,
    rag: override ? override.rag : ruleRag.value,
    overridden: override !== null,
    overrideReason: override?.reason ?? null,
    overrideBy: override?.created_by ?? null,
    significance: significance?.value ?? null,
    projection: assessment.projection?.value ?? null,
    intervals: figureIntervals({
      unit: definition.unit,
      value,
      population,
      populationYear: financialYearKey(meta.fy),
      numerator: index.fractions.get(period)?.numerator ?? null,
      denominator: index.fractions.get(period)?.denominator ?? null,
    }),
    numerator: index.fractions.get(period)?.numerator ?? null,
    denominator: index.fractions.get(period)?.denominator ?? null,
    yearToDateComparison: ytd?.value ?? null,
    reasons: reasonsOf([
      ['lastYear', c.lastYear],
      ['percentChange', c.percentChange],
      ['previousValue', c.previous],
      ['percentChangeOnPrevious', c.percentChangeOnPrevious],
      ['direction', c.direction],
      ['ratePer1000', rate],
      ['percentChangeFromBaseline', definition.baseline ? c.percentChangeFromBaseline : null],
      ['target', resolved],
      ['projection', assessment.projection],
      ['rag', override ? null : ruleRag],
      ['progress', progress],
      ['significance', significance],
      ['yearToDateComparison', ytd],
      ['trajectory', trajectory],
      ['secondTarget', second],
    ]),
  };
}

export interface XmrView {
  xmr: XmrChart | null;
  variation: Variation | null;
  xmrReason: string | null;
  spcNotes: string[];
}

/**
 * The XmR view of figures in period order with the indicator's SPC settings, or why there is none. Exclusions that
 * would leave a phase without two consecutive figures are dropped with a note rather than losing the chart.
 */
export function xmrView(
  periods: readonly string[],
  values: readonly number[],
  polarity: Polarity,
  settings: SpcSettings = NO_SPC_SETTINGS,
): XmrView {
  if (values.length < 2) return { xmr: null, variation: null, xmrReason: 'An XmR chart needs at least two figures', spcNotes: [] };
  const { options, notes } = xmrOptionsFor(periods, settings);
  let xmr: XmrChart;
  try {
    xmr = xmrChart(values, options);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    notes.push(`The excluded points are not left out: ${e.message}`);
    xmr = xmrChart(values, { ...options, excluded: [] });
  }
  return { xmr, variation: classifyVariation(xmr, polarity), xmrReason: null, spcNotes: notes };
}

/** Works out an indicator from figures that can all be used. */
function calculate(inputs: IndicatorInputs, options: { latestOnly?: boolean }): Omit<IndicatorCalculation, 'problems'> {
  const index = new FigureIndex(inputs.figures);
  const ordered = index.ordered;
  // The dashboard, scorecard and exception list need only the latest period worked out in full.
  const wanted = options.latestOnly ? ordered.slice(-1) : ordered;
  const periods = wanted.map((p) => periodPerformance(index, p, inputs));
  const values = ordered.map((p) => index.values.get(p)!);
  const spc = options.latestOnly
    ? { xmr: null, variation: null, xmrReason: null, spcNotes: [] }
    : xmrView(ordered, values, inputs.definition.polarity, inputs.definition.spc);
  return {
    periods,
    series: ordered.map((p, i) => ({
      period: p,
      label: options.latestOnly && i < ordered.length - 12 ? p : formatPeriodLabel(p),
      value: values[i]!,
    })),
    latest: periods[periods.length - 1] ?? null,
    ...spc,
  };
}

const PROBLEM_REASON = 'No RAG by rule while stored figures of this indicator cannot be used';

/**
 * Works out one indicator from its stored figures, leaving out (and reporting in `problems`) any figure or
 * baseline that cannot be used; while any is left out, no rule RAG is given (an override still shows).
 */
export function calculateIndicator(inputs: IndicatorInputs, options: { latestOnly?: boolean } = {}): IndicatorCalculation {
  const problems: string[] = [];
  const figures = inputs.figures.filter((f) => {
    const problem = storedFigureProblem(f, inputs.definition.unit);
    if (problem) problems.push(problem);
    return problem === null;
  });
  let definition = inputs.definition;
  const baselineProblem = definition.baseline ? storedBaselineProblem(definition.baseline, definition.unit) : null;
  if (baselineProblem) {
    problems.push(baselineProblem);
    definition = { ...definition, baseline: null };
  }
  const result = calculate({ ...inputs, definition, figures }, options);
  if (problems.length > 0)
    for (const p of result.periods) {
      p.ruleRag = null;
      p.targetMet = null;
      if (p.secondTarget) p.secondTarget = { ...p.secondTarget, met: null, rag: null, reason: PROBLEM_REASON };
      if (!p.overridden) {
        p.rag = null;
        p.reasons.rag = PROBLEM_REASON;
      }
    }
  return { ...result, problems };
}
