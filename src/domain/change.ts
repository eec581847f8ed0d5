/**
 * Change between two figures, and rates per head of population, as CSP performance tables print them:
 * "In 2008/2009 there were 170 Domestic Burglary offences ... reduced by 10.6% to 152 offences."
 */

import type { Polarity, RateBase } from './types.ts';
import { assertFinite, assertNonNegative, assertPositive, formatFigure, tidy } from './validation.ts';

/**
 * Round half away from zero to a number of decimal places (10.55 -> 10.6, -2.25 -> -2.3, 2.5 -> 3 at
 * 0 places), which is how spreadsheets and the published plans round. Floating-point noise from the
 * preceding arithmetic (10.549999999999997) is removed first by reading the value to 12 significant
 * figures, so a true half is rounded as a half. Never returns -0.
 */
export function roundHalfAwayFromZero(value: number, decimals = 1): number {
  assertFinite('value', value);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 10) {
    throw new RangeError(`decimals must be a whole number 0-10 (got ${decimals})`);
  }
  const magnitude = Math.abs(tidy(value));
  if (magnitude >= 1e15) return value; // no fractional digits left to round
  // Shift the decimal point in the decimal string, not by multiplying, so that no new noise appears.
  const [mantissa, exponent] = magnitude.toExponential().split('e') as [string, string];
  const shifted = Number(`${mantissa}e${Number(exponent) + decimals}`);
  const rounded = Number(`${Math.floor(shifted + 0.5)}e-${decimals}`);
  return value < 0 && rounded !== 0 ? -rounded : rounded;
}

/**
 * Absolute change from the baseline to the current figure (current - baseline), tidied of
 * floating-point noise: 170 -> 152 is -18 ("18 fewer offences"); 19.52 -> 17.5 is -2.02.
 */
export function absoluteChange(baseline: number, current: number): number {
  assertFinite('baseline', baseline);
  assertFinite('current', current);
  return tidy(current - baseline);
}

/** Options for {@link percentageChange}. */
export interface PercentageChangeOptions {
  /** Decimal places to round to (half away from zero); default 1 as in the published plans. Use null for no rounding. */
  readonly decimals?: number | null;
}

/**
 * Percentage change from a baseline, signed (negative = a fall), rounded half away from zero to one
 * decimal place by default: percentageChange(170, 152) = -10.6. Returns null when the baseline is 0,
 * because a change from nothing has no meaningful percentage (report the absolute change instead).
 * Negative figures are rejected: counts, rates and percentages of people are never below zero.
 */
export function percentageChange(baseline: number, current: number, options: PercentageChangeOptions = {}): number | null {
  assertNonNegative('baseline', baseline);
  assertNonNegative('current', current);
  if (baseline === 0) return null;
  const raw = ((current - baseline) / baseline) * 100;
  const decimals = options.decimals === undefined ? 1 : options.decimals;
  return decimals === null ? raw : roundHalfAwayFromZero(raw, decimals);
}

/** Whether a figure went up, down or stayed the same (regardless of whether that is good). */
export type Movement = 'increase' | 'decrease' | 'no change';

/** A change between two figures with everything a performance table prints about it. */
export interface ChangeSummary {
  readonly baseline: number;
  readonly current: number;
  /** current - baseline (see {@link absoluteChange}). */
  readonly absoluteChange: number;
  /** Signed percentage, rounded to one decimal place; null when the baseline is 0. */
  readonly percentageChange: number | null;
  readonly movement: Movement;
  /** Wording in the style of the plans, e.g. '10.6% decrease (18 fewer)'. */
  readonly text: string;
}

/**
 * Summarise a change the way a CSP table prints it: 170 -> 152 gives '10.6% decrease (18 fewer)';
 * 0 -> 3 gives 'increase of 3 (no percentage: baseline was 0)'; 5 -> 5 gives 'no change'.
 */
export function summariseChange(baseline: number, current: number): ChangeSummary {
  const pct = percentageChange(baseline, current);
  const diff = absoluteChange(baseline, current);
  const movement: Movement = diff > 0 ? 'increase' : diff < 0 ? 'decrease' : 'no change';
  const size = formatFigure(Math.abs(diff));
  let text: string;
  if (movement === 'no change') {
    text = 'no change';
  } else if (pct === null) {
    text = `${movement} of ${size} (no percentage: baseline was 0)`;
  } else {
    text = `${Math.abs(pct).toFixed(1)}% ${movement} (${size} ${movement === 'increase' ? 'more' : 'fewer'})`;
  }
  return { baseline, current, absoluteChange: diff, percentageChange: pct, movement, text };
}

/**
 * Direction of travel as shown by arrows on a performance report.
 * 'improving' / 'worsening' / 'no change' for indicators with a polarity; for monitor-only
 * indicators there is no good or bad direction, so 'increasing' / 'decreasing' / 'no change'.
 */
export type DirectionOfTravel = 'improving' | 'worsening' | 'no change' | 'increasing' | 'decreasing';

/** Options for {@link directionOfTravel}. */
export interface DirectionOptions {
  /**
   * Changes of no more than this percentage of the baseline (either way) count as 'no change',
   * for partnerships that treat small movements as stable. Default 0 (any change counts).
   */
  readonly stableBandPercent?: number;
}

/**
 * Direction of travel between a baseline and a current figure, given the indicator's polarity:
 * fewer burglaries (lower_is_better) is 'improving'; fewer domestic abuse reports where the aim is to
 * increase reporting (higher_is_better) is 'worsening'; a monitor-only figure is just 'increasing'
 * or 'decreasing'.
 */
export function directionOfTravel(
  baseline: number,
  current: number,
  polarity: Polarity,
  options: DirectionOptions = {},
): DirectionOfTravel {
  const band = options.stableBandPercent ?? 0;
  assertNonNegative('stableBandPercent', band);
  const diff = absoluteChange(baseline, current);
  if (diff === 0 || Math.abs(diff) <= tidy((Math.abs(baseline) * band) / 100)) return 'no change';
  const up = diff > 0;
  switch (polarity) {
    case 'higher_is_better':
      return up ? 'improving' : 'worsening';
    case 'lower_is_better':
      return up ? 'worsening' : 'improving';
    case 'monitor':
      return up ? 'increasing' : 'decreasing';
  }
}

/**
 * Rate per head of population, unrounded: offences per 1,000 population or first-time entrants per
 * 100,000 young people. ratePer(152, 87000) = 1.7471... per 1,000; ratePer(4943, 253270) = 19.517...
 * Use it to compare areas of different size; round for display with {@link roundHalfAwayFromZero}.
 */
export function ratePer(count: number, population: number, per: RateBase = 1000): number {
  assertNonNegative('count', count);
  assertPositive('population', population);
  return (count / population) * per;
}

/**
 * The count a rate corresponds to for a population, the inverse of {@link ratePer}: turns a rate
 * target ("17.5 per 1,000 population") into a number of offences. Unrounded.
 */
export function countFromRate(rate: number, population: number, per: RateBase = 1000): number {
  assertNonNegative('rate', rate);
  assertPositive('population', population);
  return (rate * population) / per;
}
