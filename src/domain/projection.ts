/**
 * Year-end outturn forecasts from the year to date.
 *
 * - Straight line: year to date / periods elapsed x periods in the year ("we are on course for ...").
 * - Seasonal profile: where earlier years' figures are available, year to date divided by the share of
 *   the annual total that the same months held in those years (ASB, for example, peaks in summer, so a
 *   straight line from April-June overstates the year).
 *
 * Interval and probability of meeting the target (count indicators only). The year-end total is the
 * known year to date Y plus the unknown remainder. Treating events as Poisson with a constant
 * underlying annual level λ, of which a share s falls in the months elapsed, and giving λ the
 * Jeffreys prior, the remainder has a negative binomial distribution with size Y + 1/2 and success
 * probability s. Its quantiles give the interval and its CDF the probability of meeting the target.
 * This reflects chance (Poisson) variation only: it assumes the seasonal pattern holds and counts are
 * not over-dispersed, so treat it as a lower bound on the real uncertainty. For figures that are not
 * counts (percentages, rates) no interval or probability is given.
 */

import { regularizedIncompleteBeta } from './specialFunctions.ts';
import type { Interval, ResolvedTarget } from './types.ts';
import { meetsTarget } from './targets.ts';
import { assertLevel, assertNonNegative, tidy } from './validation.ts';

/** How the year-end figure was projected. */
export type ProjectionMethod = 'straight_line' | 'seasonal';

/** Options shared by the projection functions. */
export interface ProjectionOptions {
  /** Periods in a year: 12 for monthly figures (default), 4 for quarterly. */
  readonly periodsPerYear?: number;
  /** Confidence level of the interval; default 0.95. */
  readonly confidence?: number;
  /** Target for the year-end figure, to estimate the probability of meeting it. */
  readonly target?: ResolvedTarget | null;
  /**
   * Whether the figures are counts of events, which get an interval and a probability. Default: true
   * when every figure is a whole number. Set false for percentages or rates that happen to be whole.
   */
  readonly counts?: boolean;
}

/** A year-end forecast, with its interval and the chance of meeting the target where they apply. */
export interface Projection {
  readonly method: ProjectionMethod;
  /** Sum of the figures so far this year. */
  readonly yearToDate: number;
  readonly periodsElapsed: number;
  readonly periodsPerYear: number;
  /** Share of a normal year's total expected by now (periodsElapsed / periodsPerYear for a straight line). */
  readonly shareOfYearElapsed: number;
  /** Projected year-end figure: yearToDate / shareOfYearElapsed. */
  readonly projected: number;
  /** Interval for the year-end figure (count indicators only, otherwise null). */
  readonly interval: Interval | null;
  /** Probability that the year-end figure meets the target (count indicators with a target only). */
  readonly probabilityOfMeetingTarget: number | null;
}

function checkYearToDate(values: readonly number[], periodsPerYear: number): void {
  if (!Number.isInteger(periodsPerYear) || periodsPerYear < 1) {
    throw new RangeError(`periodsPerYear must be a positive whole number (got ${periodsPerYear})`);
  }
  if (values.length === 0) throw new RangeError('There are no figures for the year to date to project from');
  if (values.length > periodsPerYear) {
    throw new RangeError(`${values.length} periods given but a year has only ${periodsPerYear}`);
  }
  values.forEach((v, i) => assertNonNegative(`year-to-date figure ${i + 1}`, v));
}

/** P(R <= k) for the negative-binomial remainder R with size `size` and success probability `p`. */
function remainderCdf(k: number, size: number, p: number): number {
  if (k < 0) return 0;
  return regularizedIncompleteBeta(p, size, Math.floor(k) + 1);
}

/** Smallest k with P(R <= k) >= q. */
function remainderQuantile(q: number, size: number, p: number): number {
  const mean = (size * (1 - p)) / p;
  const sd = Math.sqrt((size * (1 - p)) / (p * p));
  let hi = Math.ceil(mean + 10 * sd + 10);
  while (remainderCdf(hi, size, p) < q) hi *= 2;
  let lo = -1; // P(R <= -1) = 0 < q
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (remainderCdf(mid, size, p) >= q) hi = mid;
    else lo = mid;
  }
  return hi;
}

function buildProjection(
  method: ProjectionMethod,
  values: readonly number[],
  periodsPerYear: number,
  share: number,
  options: ProjectionOptions,
): Projection {
  const confidence = options.confidence ?? 0.95;
  assertLevel('confidence', confidence);
  const yearToDate = tidy(values.reduce((a, b) => a + b, 0));
  const projected = yearToDate / share;
  const target = options.target ?? null;

  let interval: Interval | null = null;
  let probabilityOfMeetingTarget: number | null = null;
  const counts = options.counts ?? values.every((v) => Number.isInteger(v));
  if (counts) {
    values.forEach((v, i) => {
      if (!Number.isInteger(v)) throw new RangeError(`Year-to-date figure ${i + 1} is not a whole-number count (got ${v})`);
    });
    if (share >= 1) {
      interval = { lower: yearToDate, upper: yearToDate };
      if (target) {
        probabilityOfMeetingTarget = meetsTarget(yearToDate, target) ? 1 : 0;
      }
    } else {
      const size = yearToDate + 0.5;
      const alpha = 1 - confidence;
      interval = {
        lower: yearToDate + remainderQuantile(alpha / 2, size, share),
        upper: yearToDate + remainderQuantile(1 - alpha / 2, size, share),
      };
      if (target) {
        // Remainder allowed: at most floor(T - Y) to stay at or under T; at least ceil(T - Y) to reach T.
        const allowance = tidy(target.threshold - yearToDate);
        probabilityOfMeetingTarget =
          target.comparison === 'at_most'
            ? remainderCdf(Math.floor(allowance), size, share)
            : 1 - remainderCdf(Math.ceil(allowance) - 1, size, share);
      }
    }
  }
  return {
    method,
    yearToDate,
    periodsElapsed: values.length,
    periodsPerYear,
    shareOfYearElapsed: share,
    projected,
    interval,
    probabilityOfMeetingTarget,
  };
}

/**
 * Straight-line projection of the year-end figure: year to date / periods elapsed x periods per year.
 * E.g. 1,654 ASB incidents in Q1 projects to 6,616 for the year. `yearToDate` holds this year's figures
 * so far in order (April first for monthly figures).
 */
export function projectStraightLine(yearToDate: readonly number[], options: ProjectionOptions = {}): Projection {
  const periodsPerYear = options.periodsPerYear ?? 12;
  checkYearToDate(yearToDate, periodsPerYear);
  return buildProjection('straight_line', yearToDate, periodsPerYear, yearToDate.length / periodsPerYear, options);
}

/**
 * The share of the annual total that the first `periodsElapsed` periods held in earlier years
 * (pooled over all the years given). Each earlier year must be complete.
 */
export function seasonalShare(earlierYears: readonly (readonly number[])[], periodsElapsed: number, periodsPerYear = 12): number {
  if (earlierYears.length === 0) throw new RangeError('A seasonal profile needs at least one earlier year');
  if (!Number.isInteger(periodsElapsed) || periodsElapsed < 1 || periodsElapsed > periodsPerYear) {
    throw new RangeError(`periodsElapsed must be a whole number from 1 to ${periodsPerYear} (got ${periodsElapsed})`);
  }
  let elapsed = 0;
  let total = 0;
  earlierYears.forEach((year, y) => {
    if (year.length !== periodsPerYear) {
      throw new RangeError(`Earlier year ${y + 1} has ${year.length} figures; a complete year has ${periodsPerYear}`);
    }
    year.forEach((v, i) => {
      assertNonNegative(`earlier year ${y + 1} figure ${i + 1}`, v);
      total += v;
      if (i < periodsElapsed) elapsed += v;
    });
  });
  if (total === 0) throw new RangeError('Earlier years total zero, so they give no seasonal profile');
  if (elapsed === 0) {
    throw new RangeError('Earlier years had nothing in these months, so a seasonal projection is impossible');
  }
  return elapsed / total;
}

/**
 * Seasonal projection: year to date divided by the share of the annual total that the same periods held
 * in earlier years. E.g. Rotherham ASB Q1 2019-20 = 1,654; in 2018-19 Q1 held 2,064 of 6,621 (31.2%),
 * so the projection is 1,654 / 0.3117 = 5,306 (seed 004).
 */
export function projectSeasonal(
  yearToDate: readonly number[],
  earlierYears: readonly (readonly number[])[],
  options: ProjectionOptions = {},
): Projection {
  const periodsPerYear = options.periodsPerYear ?? 12;
  checkYearToDate(yearToDate, periodsPerYear);
  const share = seasonalShare(earlierYears, yearToDate.length, periodsPerYear);
  return buildProjection('seasonal', yearToDate, periodsPerYear, share, options);
}

/** Options for {@link projectOutturn}. */
export interface OutturnOptions extends ProjectionOptions {
  /** Complete earlier years (each April first) giving the seasonal profile; omit for a straight line. */
  readonly earlierYears?: readonly (readonly number[])[];
}

/**
 * Year-end forecast for a performance report: seasonal when earlier complete years are supplied,
 * otherwise straight line.
 */
export function projectOutturn(yearToDate: readonly number[], options: OutturnOptions = {}): Projection {
  return options.earlierYears && options.earlierYears.length > 0
    ? projectSeasonal(yearToDate, options.earlierYears, options)
    : projectStraightLine(yearToDate, options);
}
