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
  /** |value - previous value|; null for the first point of each phase. */
  readonly movingRange: number | null;
  /** Every rule the point triggered, in order of precedence (empty for common cause). */
  readonly flags: readonly SpecialCauseFlag[];
  /** Side of the highest-precedence flag, or null for common cause. */
  readonly specialCause: Side | null;
  /** The phase (0 for the first) whose limits the point is judged against. */
  readonly phase: number;
  /** Left out of the mean and moving ranges (still plotted and judged against the limits). */
  readonly excluded: boolean;
}

/** The centre line and limits of one phase, worked out from its baseline points less the excluded ones. */
export interface XmrLimits {
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
  /** Number of leading points of the phase the mean and limits were calculated from (excluded ones included). */
  readonly baselinePoints: number;
}

/** One phase of an XmR chart: the points from `start` up to (not including) `end`, with their own limits. */
export interface XmrPhase extends XmrLimits {
  readonly start: number;
  readonly end: number;
  /** Points of the baseline actually used for the mean (baseline less exclusions). */
  readonly usedPoints: number;
}

/** An XmR chart: centre line, limits and flagged points. The top-level limits are those of the last phase. */
export interface XmrChart extends XmrLimits {
  readonly phases: readonly XmrPhase[];
  readonly points: readonly XmrPoint[];
}

/** A change date: limits recalculated from point `start`, optionally from its first `baselinePoints` only. */
export interface XmrPhaseStart {
  readonly start: number;
  readonly baselinePoints?: number | null;
}

/** Options for {@link xmrChart}. */
export interface XmrOptions {
  /** Calculate the first phase's mean and limits from its first N points only (a fixed baseline). Default: all. */
  readonly baselinePoints?: number;
  /** Later phases (a new service, a recording change): limits recalculated from each start, in order. */
  readonly phases?: readonly XmrPhaseStart[];
  /** Points left out of the mean and the moving ranges (e.g. a one-off incident), by index. */
  readonly excluded?: readonly number[];
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
 * The limits of one phase from its first `baselinePoints` values, leaving out the excluded points and every
 * moving range that touches one (as the Making Data Count guidance leaves out a known one-off).
 */
function limitsOf(
  values: readonly number[],
  baselinePoints: number,
  excluded: ReadonlySet<number>,
  offset: number,
): XmrLimits & { usedPoints: number } {
  let sum = 0;
  let used = 0;
  let mrSum = 0;
  let mrCount = 0;
  for (let i = 0; i < baselinePoints; i++) {
    if (excluded.has(offset + i)) continue;
    sum += values[i] as number;
    used++;
    if (i > 0 && !excluded.has(offset + i - 1)) {
      mrSum += Math.abs((values[i] as number) - (values[i - 1] as number));
      mrCount++;
    }
  }
  if (used < 2 || mrCount < 1) {
    throw new RangeError(
      `The phase starting at figure ${offset + 1} needs at least two consecutive figures that are not excluded to set its limits`,
    );
  }
  const mean = sum / used;
  const meanMovingRange = mrSum / mrCount;
  const sigma = meanMovingRange / (3 / XMR_LIMIT_CONSTANT);
  return {
    mean,
    meanMovingRange,
    sigma,
    upperProcessLimit: mean + XMR_LIMIT_CONSTANT * meanMovingRange,
    lowerProcessLimit: mean - XMR_LIMIT_CONSTANT * meanMovingRange,
    upperTwoSigma: mean + 2 * sigma,
    lowerTwoSigma: mean - 2 * sigma,
    baselinePoints,
    usedPoints: used,
  };
}

/** The special-cause flags of one phase's values against its limits (runs never cross a phase break). */
function flagsOf(values: readonly number[], limits: XmrLimits, runLength: number, trendLength: number): SpecialCauseFlag[][] {
  const x = values.map(tidy);
  const centre = tidy(limits.mean);
  const sideOfMean = x.map((v) => Math.sign(v - centre));
  const flags: SpecialCauseFlag[][] = values.map(() => []);
  const add = (i: number, rule: SpecialCauseRule, side: Side): void => {
    const list = flags[i] as SpecialCauseFlag[];
    if (!list.some((f) => f.rule === rule && f.side === side)) list.push({ rule, side });
  };

  // A point beyond a process limit.
  x.forEach((v, i) => {
    if (v > tidy(limits.upperProcessLimit)) add(i, 'beyond_limits', 'high');
    else if (v < tidy(limits.lowerProcessLimit)) add(i, 'beyond_limits', 'low');
  });

  // 2 of 3 consecutive points beyond 2 sigma on the same side: flag the points beyond 2 sigma.
  for (let i = 0; i + 2 < x.length; i++) {
    const window = [i, i + 1, i + 2];
    const high = window.filter((j) => (x[j] as number) > tidy(limits.upperTwoSigma));
    const low = window.filter((j) => (x[j] as number) < tidy(limits.lowerTwoSigma));
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
  return flags.map((list) => list.sort((a, b) => RULE_PRECEDENCE.indexOf(a.rule) - RULE_PRECEDENCE.indexOf(b.rule)));
}

/** The phases' starts and baselines, checked: the first phase at 0, later ones in order, each at least 2 long. */
function phaseStartsOf(length: number, options: XmrOptions): { start: number; end: number; baselinePoints: number }[] {
  const starts: XmrPhaseStart[] = [{ start: 0, baselinePoints: options.baselinePoints ?? null }, ...(options.phases ?? [])];
  starts.forEach((p, i) => {
    if (i === 0) return;
    checkLength(`phase ${i + 1} start`, p.start, 1);
    const before = starts[i - 1]!.start;
    if (p.start < before + 2 || p.start > length - 2) {
      throw new RangeError(
        `Phase ${i + 1} starts at figure ${p.start + 1}: each phase needs at least 2 figures, so a phase can start from figure ${before + 3} to figure ${length - 1}`,
      );
    }
  });
  return starts.map((p, i) => {
    const end = starts[i + 1]?.start ?? length;
    const baselinePoints = p.baselinePoints ?? end - p.start;
    checkLength('baselinePoints', baselinePoints, 2);
    if (baselinePoints > end - p.start) {
      throw new RangeError(`baselinePoints (${baselinePoints}) exceeds the number of figures (${end - p.start})`);
    }
    return { start: p.start, end, baselinePoints };
  });
}

/**
 * Build an XmR chart for figures in time order (e.g. monthly ASB incidents), with special-cause flags
 * on each point. Needs at least two figures. Comparisons with the mean and limits ignore
 * floating-point noise (a figure equal to the mean is on it, not a hair above).
 *
 * With `phases`, the limits are recalculated from each change date and the rules applied within each phase (as
 * NHSRplotthedots' `rebase`); a phase's `baselinePoints` fixes its limits on its first N figures (its
 * `fix_after_n_points`); `excluded` points are left out of the mean and every moving range touching them, but are
 * still plotted and judged.
 */
export function xmrChart(values: readonly number[], options: XmrOptions = {}): XmrChart {
  if (values.length < 2) {
    throw new RangeError(`An XmR chart needs at least 2 figures (got ${values.length})`);
  }
  values.forEach((v, i) => assertFinite(`figure ${i + 1}`, v));
  const runLength = options.runLength ?? DEFAULT_RUN_LENGTH;
  const trendLength = options.trendLength ?? DEFAULT_RUN_LENGTH;
  checkLength('runLength', runLength, 2);
  checkLength('trendLength', trendLength, 2);
  const excluded = new Set(options.excluded ?? []);
  for (const i of excluded) {
    if (!Number.isInteger(i) || i < 0 || i >= values.length) throw new RangeError(`No figure ${i + 1} to exclude`);
  }

  const phases: XmrPhase[] = [];
  const points: XmrPoint[] = [];
  for (const [phaseIndex, p] of phaseStartsOf(values.length, options).entries()) {
    const segment = values.slice(p.start, p.end);
    const limits = limitsOf(segment, p.baselinePoints, excluded, p.start);
    phases.push({ ...limits, start: p.start, end: p.end });
    const flags = flagsOf(segment, limits, runLength, trendLength);
    segment.forEach((value, i) => {
      const pointFlags = flags[i] as SpecialCauseFlag[];
      points.push({
        index: p.start + i,
        value,
        movingRange: i === 0 ? null : Math.abs(value - (segment[i - 1] as number)),
        flags: pointFlags,
        specialCause: pointFlags[0]?.side ?? null,
        phase: phaseIndex,
        excluded: excluded.has(p.start + i),
      });
    });
  }
  const last = phases[phases.length - 1]!;
  return {
    mean: last.mean,
    meanMovingRange: last.meanMovingRange,
    sigma: last.sigma,
    upperProcessLimit: last.upperProcessLimit,
    lowerProcessLimit: last.lowerProcessLimit,
    upperTwoSigma: last.upperTwoSigma,
    lowerTwoSigma: last.lowerTwoSigma,
    baselinePoints: last.baselinePoints,
    phases,
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
