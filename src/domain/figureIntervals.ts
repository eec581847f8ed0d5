/**
 * Confidence intervals for one period's figure, by the methods OHID's Fingertips publishes in its technical guide
 * on confidence intervals (and PHEindicatormethods' phe_rate and phe_proportion): for a count, or a crude rate
 * worked out from one, the exact Poisson interval (chi-square) when the count is under 10 and Byar's method from
 * 10 up; for a proportion, the Wilson score interval. Both levels Fingertips shows are given: 95% (is the figure
 * different from another by more than chance?) and 99.8% (about three standard errors, the one used for control
 * limits). Pure: no I/O.
 *
 * A figure that has no sampling interval (money, a score, a percentage without its denominator, a rate without
 * the population it was worked out on, a figure that is not a whole non-negative count) gets "not applicable"
 * with the reason in words, shown next to it on the page and in the API.
 */
import { byarPoissonInterval, poissonInterval, wilsonInterval } from './significance.ts';
import type { Interval } from './types.ts';
import type { IndicatorUnit } from './indicatorPerformance.ts';

/** Below this many events Fingertips uses the exact Poisson interval; from it up, Byar's approximation. */
export const BYAR_FROM_COUNT = 10;

/** The two confidence levels Fingertips shows. */
export const INTERVAL_LEVELS = [0.95, 0.998] as const;

export type IntervalMethod = 'exact Poisson' | "Byar's" | 'Wilson score';

/** An interval at both levels, in the units of the figure it is for. */
export interface TwoLevelInterval {
  ci95: Interval;
  ci998: Interval;
}

export type FigureIntervals =
  | {
      applicable: true;
      method: IntervalMethod;
      /** What the interval is around, in words: "the count", "the rate (from 152 offences)", "the percentage (81 of 263)". */
      basis: string;
      /** The interval of the figure itself, in its own units (a count, a rate per 1,000 or 100,000, a percentage). */
      ci95: Interval;
      ci998: Interval;
      /** For a count with the partnership's population: the interval of its rate per 1,000 people. */
      ratePer1000: TwoLevelInterval | null;
    }
  | { applicable: false; reason: string };

export interface FigureForIntervals {
  unit: IndicatorUnit;
  value: number | null;
  /** The population the rate is (or would be) worked out on; null when none is recorded. */
  population?: number | null;
  /**
   * For a percentage: how many it is a percentage of; for a rate, the population it was worked out on (used before
   * the partnership's own population); null when not recorded.
   */
  denominator?: number | null;
  /** The recorded numerator (the events or people counted), used with the denominator; null when not recorded. */
  numerator?: number | null;
  /** Names the population's year in the reason when there is none: '2019/20'. */
  populationYear?: string;
}

const notApplicable = (reason: string): FigureIntervals => ({ applicable: false, reason });

/** The Fingertips method for a count of events: exact below 10, Byar's from 10. */
export function countMethod(count: number): IntervalMethod {
  return count < BYAR_FROM_COUNT ? 'exact Poisson' : "Byar's";
}

/** The interval of a count of events at one level, by the Fingertips method for its size. */
export function countInterval(count: number, confidence: number): Interval {
  return count < BYAR_FROM_COUNT ? poissonInterval(count, confidence) : byarPoissonInterval(count, confidence);
}

const scaled = (i: Interval, factor: number): Interval => ({ lower: i.lower * factor, upper: i.upper * factor });

/** A count's interval at both levels, times a factor (1 for the count itself, per / population for a rate). */
function countIntervals(count: number, factor: number): TwoLevelInterval {
  return { ci95: scaled(countInterval(count, 0.95), factor), ci998: scaled(countInterval(count, 0.998), factor) };
}

const isWholeCount = (n: number) => Number.isInteger(n) && n >= 0;
const plural = (n: number, word: string) => `${n.toLocaleString('en-GB')} ${word}${n === 1 ? '' : 's'}`;

function forCount(value: number, population: number | null): FigureIntervals {
  if (!isWholeCount(value)) return notApplicable('Intervals are worked out for whole-number counts of 0 or more only');
  const own = countIntervals(value, 1);
  return {
    applicable: true,
    method: countMethod(value),
    basis: 'the count',
    ...own,
    ratePer1000: population && population > 0 ? countIntervals(value, 1000 / population) : null,
  };
}

function forRate(
  value: number,
  per: number,
  population: number | null,
  year: string | undefined,
  numerator?: number | null,
): FigureIntervals {
  if (!population || population <= 0)
    return notApplicable(`A rate's interval needs the population it was worked out on, and there is none${year ? ` for ${year}` : ''}`);
  if (!(value >= 0)) return notApplicable('A rate below 0 has no interval');
  // The count of events behind the rate: the recorded numerator, else to the nearest whole event (the rate itself
  // was rounded when published).
  const count =
    numerator !== null && numerator !== undefined && isWholeCount(numerator) ? numerator : Math.round((value * population) / per);
  return {
    applicable: true,
    method: countMethod(count),
    basis: `the rate, from ${plural(count, 'event')} in a population of ${population.toLocaleString('en-GB')}`,
    ...countIntervals(count, per / population),
    ratePer1000: null,
  };
}

function forPercentage(value: number, denominator: number | null | undefined, numerator?: number | null): FigureIntervals {
  if (!denominator || !Number.isInteger(denominator) || denominator <= 0)
    return notApplicable("A percentage's interval needs its denominator (how many it is a percentage of), which is not recorded");
  if (!(value >= 0 && value <= 100)) return notApplicable('A percentage outside 0 to 100 has no interval');
  const successes =
    numerator !== null && numerator !== undefined && isWholeCount(numerator) && numerator <= denominator
      ? numerator
      : Math.round((value / 100) * denominator);
  const at = (confidence: number): Interval => {
    const w = wilsonInterval(successes, denominator, confidence);
    return { lower: w.lower * 100, upper: w.upper * 100 };
  };
  return {
    applicable: true,
    method: 'Wilson score',
    basis: `the percentage, ${successes.toLocaleString('en-GB')} of ${denominator.toLocaleString('en-GB')}`,
    ci95: at(0.95),
    ci998: at(0.998),
    ratePer1000: null,
  };
}

/**
 * The 95% and 99.8% intervals of one period's figure by the Fingertips method for its unit, or why there are none.
 * E.g. 152 burglaries: Byar's 95% interval 128.8 to 178.2, and with a population of 87,000 the rate per 1,000's.
 */
export function figureIntervals(figure: FigureForIntervals): FigureIntervals {
  const { unit, value } = figure;
  if (value === null) return notApplicable('No figure for this period');
  if (!Number.isFinite(value)) return notApplicable('The figure is not a number');
  switch (unit) {
    case 'count':
      return forCount(value, figure.population ?? null);
    case 'rate_per_1000':
      return forRate(value, 1000, figure.denominator || figure.population || null, figure.populationYear, figure.numerator);
    case 'rate_per_100000':
      return forRate(value, 100000, figure.denominator || figure.population || null, figure.populationYear, figure.numerator);
    case 'percentage':
      return forPercentage(value, figure.denominator, figure.numerator);
    case 'money':
      return notApplicable('Money is not a count of events, so it has no sampling interval');
    case 'score':
      return notApplicable('A score is not a count of events, so it has no sampling interval');
  }
}

/** The units whose figures may record a numerator and denominator, and what the fraction is multiplied by. */
export const FRACTION_SCALE: Partial<Record<IndicatorUnit, number>> = { percentage: 100, rate_per_1000: 1000, rate_per_100000: 100000 };

/** One problem with a figure's numerator, denominator or value, naming the column it is about. */
export interface FractionProblem {
  column: 'value' | 'numerator' | 'denominator';
  message: string;
}

/** How many decimal places a number was given to (at most 6): 30.8 -> 1, 31 -> 0. */
function decimalsOf(n: number): number {
  const s = String(n);
  if (s.includes('e')) return 6;
  const dot = s.indexOf('.');
  return dot === -1 ? 0 : Math.min(6, s.length - dot - 1);
}

const roundTo = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/**
 * A figure's numerator and denominator checked, and its value derived from them or checked against them (decision
 * 0041). Only a percentage (Wilson interval: a whole numerator of 0 up to the denominator) or a rate (the
 * denominator is the population it is per: a whole number of people above 0) records them, both or neither. A value
 * left blank is the numerator over the denominator (times 100, 1,000 or 100,000) to 2 decimal places; a value given
 * must agree with them to the decimal places it is given to: 81 of 263 is 30.80%, so 30.8 or 31 are accepted and 32
 * is not.
 */
export function checkFraction(
  unit: IndicatorUnit | undefined,
  value: number | undefined,
  numerator: number | undefined,
  denominator: number | undefined,
): { value: number | undefined; numerator: number | null; denominator: number | null } | { problems: FractionProblem[] } {
  if (numerator === undefined && denominator === undefined) return { value, numerator: null, denominator: null };
  const problems: FractionProblem[] = [];
  const scale = unit === undefined ? undefined : FRACTION_SCALE[unit];
  if (unit !== undefined && scale === undefined) {
    const column = numerator !== undefined ? 'numerator' : 'denominator';
    return { problems: [{ column, message: 'only a percentage or a rate records a numerator and denominator: leave them blank' }] };
  }
  const rate = unit !== 'percentage';
  if (numerator === undefined)
    problems.push({
      column: 'numerator',
      message: `enter the numerator too (${rate ? 'the events counted' : 'how many of the denominator'}), or neither`,
    });
  else if (!isWholeCount(numerator)) problems.push({ column: 'numerator', message: 'the numerator must be a whole number of 0 or more' });
  if (denominator === undefined)
    problems.push({
      column: 'denominator',
      message: `enter the denominator too (${rate ? 'the population the rate is per' : 'how many the percentage is of'}), or neither`,
    });
  else if (!Number.isInteger(denominator) || denominator <= 0)
    problems.push({ column: 'denominator', message: `the denominator must be a whole number above 0${rate ? ' (the population)' : ''}` });
  if (problems.length === 0 && !rate && numerator! > denominator!)
    problems.push({
      column: 'numerator',
      message: `the numerator (${numerator!.toLocaleString('en-GB')}) cannot be more than the denominator (${denominator!.toLocaleString('en-GB')}) for a percentage`,
    });
  if (problems.length > 0 || scale === undefined)
    return problems.length > 0 ? { problems } : { value, numerator: numerator!, denominator: denominator! };
  const derived = (numerator! / denominator!) * scale;
  if (value === undefined) return { value: roundTo(derived, 2), numerator: numerator!, denominator: denominator! };
  const places = decimalsOf(value);
  if (Math.abs(roundTo(derived, places) - value) > 1e-9)
    return {
      problems: [
        {
          column: 'value',
          message: `the value ${value} does not agree with ${numerator!.toLocaleString('en-GB')} ${rate ? 'in a population of' : 'of'} ${denominator!.toLocaleString('en-GB')}, which gives ${roundTo(derived, Math.max(places, 2))}: correct one of them, or leave the value blank to work it out`,
        },
      ],
    };
  return { value, numerator: numerator!, denominator: denominator! };
}
