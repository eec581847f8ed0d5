/**
 * Statistical process control (SPC) with XmR charts, as in NHS England's "Making Data Count".
 *
 * An XmR chart plots each figure (X) with its mean and process limits at mean ± 2.66 × the mean moving
 * range (the average absolute difference between consecutive figures). 2.66 = 3 / 1.128, so the limits
 * are three estimated standard deviations (sigma) from the mean. A point is flagged as special cause when:
 * - it is beyond a process limit ('beyond_limits');
 * - it is one of 2 out of 3 consecutive points beyond 2 sigma on the same side of the mean ('two_of_three');
 * - it is part of a run of 7 (configurable; some use 6) consecutive points on the same side of the mean
 *   ('shift'; a point exactly on the mean breaks the run);
 * - it is part of a run of 7 (configurable) consecutive points each higher than the one before, or
 *   each lower ('trend'; a repeated value breaks the run).
 *
 * The variation icon is read from a point's flags and the indicator's polarity; the assurance icon
 * compares the target with the process limits: a target outside the limits is consistently passed or
 * consistently failed, a target inside them will be hit and missed at random ("inconsistent").
 */

import type { Polarity, ResolvedTarget } from './types.ts';
import { assertFinite, tidy } from './validation.ts';

/** Process limit constant for XmR charts: 3 / d2, with d2 = 1.128 for moving ranges of two points. */
export const XMR_LIMIT_CONSTANT = 2.66;

/** Default length of a shift (run on one side of the mean) and of a trend (run of rises or falls). */
export const DEFAULT_RUN_LENGTH = 7;

/** The special-cause rules, in order of precedence. */
export type SpecialCauseRule = 'beyond_limits' | 'two_of_three' | 'shift' | 'trend';

/** Which way a special cause points: above the mean / rising ('high') or below / falling ('low'). */
export type Side = 'high' | 'low';

/** One rule that a point triggered. */
export interface SpecialCauseFlag {
  readonly rule: SpecialCauseRule;
  readonly side: Side;
}

/** One figure on an XmR chart. */
export interface XmrPoint {
  readonly index: number;
  readonly value: number;
  /** |value - previous value|; null for the first point. */
  readonly movingRange: number | null;
  /** Every rule the point triggered, in order of precedence (empty for common cause). */
  readonly flags: readonly SpecialCauseFlag[];
  /** Side of the highest-precedence flag, or null for common cause. */
  readonly specialCause: Side | null;
}

/** An XmR chart: centre line, limits and flagged points. */
export interface XmrChart {
  readonly mean: number;
  readonly meanMovingRange: number;
  /** Estimated standard deviation: mean moving range / 1.128. */
  readonly sigma: number;
  /** mean + 2.66 × mean moving range. */
  readonly upperProcessLimit: number;
  /** mean - 2.66 × mean moving range (may be below zero; clamp for display if the figure cannot be). */
  readonly lowerProcessLimit: number;
  /** mean ± 2 sigma, used by the 2-of-3 rule. */
  readonly upperTwoSigma: number;
  readonly lowerTwoSigma: number;
  /** Number of leading points the mean and limits were calculated from. */
  readonly baselinePoints: number;
  readonly points: readonly XmrPoint[];
}

/** Options for {@link xmrChart}. */
export interface XmrOptions {
  /** Calculate the mean and limits from the first N points only (to freeze limits after a change). Default: all. */
  readonly baselinePoints?: number;
  /** Points on one side of the mean that make a shift; default 7. */
  readonly runLength?: number;
  /** Consecutive rising or falling points that make a trend; default 7. */
  readonly trendLength?: number;
}

const RULE_PRECEDENCE: readonly SpecialCauseRule[] = ['beyond_limits', 'two_of_three', 'shift', 'trend'];

function checkLength(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be a whole number of at least ${min} (got ${value})`);
  }
}

/**
 * Index ranges [start, end) of maximal runs where `sameRun(i - 1, i)` holds between neighbours and
 * that are at least `minLength` long.
 */
function longRuns(length: number, minLength: number, sameRun: (previous: number, current: number) => boolean): [number, number][] {
  const runs: [number, number][] = [];
  let start = 0;
  for (let i = 1; i <= length; i++) {
    if (i < length && sameRun(i - 1, i)) continue;
    if (i - start >= minLength) runs.push([start, i]);
    start = i;
  }
  return runs;
}

/**
 * Build an XmR chart for figures in time order (e.g. monthly ASB incidents), with special-cause flags
 * on each point. Needs at least two figures. Comparisons with the mean and limits ignore
 * floating-point noise (a figure equal to the mean is on it, not a hair above).
 */
export function xmrChart(values: readonly number[], options: XmrOptions = {}): XmrChart {
  if (values.length < 2) {
    throw new RangeError(`An XmR chart needs at least 2 figures (got ${values.length})`);
  }
  values.forEach((v, i) => assertFinite(`figure ${i + 1}`, v));
  const baselinePoints = options.baselinePoints ?? values.length;
  checkLength('baselinePoints', baselinePoints, 2);
  if (baselinePoints > values.length) {
    throw new RangeError(`baselinePoints (${baselinePoints}) exceeds the number of figures (${values.length})`);
  }
  const runLength = options.runLength ?? DEFAULT_RUN_LENGTH;
  const trendLength = options.trendLength ?? DEFAULT_RUN_LENGTH;
  checkLength('runLength', runLength, 2);
  checkLength('trendLength', trendLength, 2);

  const at = (i: number): number => values[i] as number;
  const movingRanges = values.map((v, i) => (i === 0 ? null : Math.abs(v - at(i - 1))));
  let mean = 0;
  for (let i = 0; i < baselinePoints; i++) mean += at(i);
  mean /= baselinePoints;
  let mrSum = 0;
  for (let i = 1; i < baselinePoints; i++) mrSum += movingRanges[i] as number;
  const meanMovingRange = mrSum / (baselinePoints - 1);
  const sigma = meanMovingRange / (3 / XMR_LIMIT_CONSTANT);
  const upperProcessLimit = mean + XMR_LIMIT_CONSTANT * meanMovingRange;
  const lowerProcessLimit = mean - XMR_LIMIT_CONSTANT * meanMovingRange;
  const upperTwoSigma = mean + 2 * sigma;
  const lowerTwoSigma = mean - 2 * sigma;

  const x = values.map(tidy);
  const centre = tidy(mean);
  const sideOfMean = x.map((v) => Math.sign(v - centre));

  const flags: SpecialCauseFlag[][] = values.map(() => []);
  const add = (i: number, rule: SpecialCauseRule, side: Side): void => {
    const list = flags[i] as SpecialCauseFlag[];
    if (!list.some((f) => f.rule === rule && f.side === side)) list.push({ rule, side });
  };

  // A point beyond a process limit.
  x.forEach((v, i) => {
    if (v > tidy(upperProcessLimit)) add(i, 'beyond_limits', 'high');
    else if (v < tidy(lowerProcessLimit)) add(i, 'beyond_limits', 'low');
  });

  // 2 of 3 consecutive points beyond 2 sigma on the same side: flag the points beyond 2 sigma.
  for (let i = 0; i + 2 < x.length; i++) {
    const window = [i, i + 1, i + 2];
    const high = window.filter((j) => (x[j] as number) > tidy(upperTwoSigma));
    const low = window.filter((j) => (x[j] as number) < tidy(lowerTwoSigma));
    if (high.length >= 2) high.forEach((j) => add(j, 'two_of_three', 'high'));
    if (low.length >= 2) low.forEach((j) => add(j, 'two_of_three', 'low'));
  }

  // A shift: a run of points on one side of the mean (a point on the mean is never part of a run).
  for (const [start, end] of longRuns(x.length, runLength, (p, c) => sideOfMean[c] === sideOfMean[p] && sideOfMean[c] !== 0)) {
    for (let j = start; j < end; j++) add(j, 'shift', (sideOfMean[start] as number) > 0 ? 'high' : 'low');
  }

  // A trend: a run of points each higher (or each lower) than the one before.
  for (const [direction, side] of [
    [1, 'high'],
    [-1, 'low'],
  ] as const) {
    for (const [start, end] of longRuns(x.length, trendLength, (p, c) => Math.sign((x[c] as number) - (x[p] as number)) === direction)) {
      for (let j = start; j < end; j++) add(j, 'trend', side);
    }
  }

  const points: XmrPoint[] = values.map((value, index) => {
    const pointFlags = (flags[index] as SpecialCauseFlag[]).sort(
      (a, b) => RULE_PRECEDENCE.indexOf(a.rule) - RULE_PRECEDENCE.indexOf(b.rule),
    );
    return {
      index,
      value,
      movingRange: movingRanges[index] ?? null,
      flags: pointFlags,
      specialCause: pointFlags[0]?.side ?? null,
    };
  });

  return {
    mean,
    meanMovingRange,
    sigma,
    upperProcessLimit,
    lowerProcessLimit,
    upperTwoSigma,
    lowerTwoSigma,
    baselinePoints,
    points,
  };
}

/** The variation icons of "Making Data Count". */
export type Variation =
  | 'common_cause'
  | 'special_cause_improvement_high'
  | 'special_cause_improvement_low'
  | 'special_cause_concern_high'
  | 'special_cause_concern_low'
  | 'special_cause_neutral_high'
  | 'special_cause_neutral_low';

/**
 * Variation icon for a point (by default the latest): common cause, or special cause that is an
 * improvement or a concern given the polarity (neutral for monitor-only indicators), high or low.
 * E.g. a run of low burglary figures is 'special_cause_improvement_low'.
 */
export function classifyVariation(chart: XmrChart, polarity: Polarity, index = chart.points.length - 1): Variation {
  const point = chart.points[index];
  if (!point) throw new RangeError(`No point at index ${index}`);
  const side = point.specialCause;
  if (side === null) return 'common_cause';
  if (polarity === 'monitor') return `special_cause_neutral_${side}`;
  const good = (side === 'high') === (polarity === 'higher_is_better');
  return `special_cause_${good ? 'improvement' : 'concern'}_${side}`;
}

/** The assurance icons of "Making Data Count". */
export type Assurance = 'consistently_pass' | 'consistently_fail' | 'inconsistent';

/**
 * Will the process meet its target? If the target lies strictly outside the process limits the
 * process will consistently pass (limits all on the good side) or consistently fail; if it lies
 * between or on the limits the target will be hit and missed by chance ('inconsistent').
 * Returns null when there is no target.
 */
export function assuranceOf(chart: XmrChart, target: ResolvedTarget | null): Assurance | null {
  if (target === null) return null;
  assertFinite('target threshold', target.threshold);
  const t = tidy(target.threshold);
  const upper = tidy(chart.upperProcessLimit);
  const lower = tidy(chart.lowerProcessLimit);
  if (target.comparison === 'at_least') {
    if (t < lower) return 'consistently_pass';
    if (t > upper) return 'consistently_fail';
  } else {
    if (t > upper) return 'consistently_pass';
    if (t < lower) return 'consistently_fail';
  }
  return 'inconsistent';
}
