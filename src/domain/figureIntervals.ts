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
  /** For a percentage: how many it is a percentage of; null when not recorded. */
  denominator?: number | null;
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

function forRate(value: number, per: number, population: number | null, year: string | undefined): FigureIntervals {
  if (!population || population <= 0)
    return notApplicable(`A rate's interval needs the population it was worked out on, and there is none${year ? ` for ${year}` : ''}`);
  if (!(value >= 0)) return notApplicable('A rate below 0 has no interval');
  // The count of events behind the rate, to the nearest whole event (the rate itself was rounded when published).
  const count = Math.round((value * population) / per);
  return {
    applicable: true,
    method: countMethod(count),
    basis: `the rate, from ${plural(count, 'event')} in a population of ${population.toLocaleString('en-GB')}`,
    ...countIntervals(count, per / population),
    ratePer1000: null,
  };
}

function forPercentage(value: number, denominator: number | null | undefined): FigureIntervals {
  if (!denominator || !Number.isInteger(denominator) || denominator <= 0)
    return notApplicable("A percentage's interval needs its denominator (how many it is a percentage of), which is not recorded");
  if (!(value >= 0 && value <= 100)) return notApplicable('A percentage outside 0 to 100 has no interval');
  const successes = Math.round((value / 100) * denominator);
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
      return forRate(value, 1000, figure.population ?? null, figure.populationYear);
    case 'rate_per_100000':
      return forRate(value, 100000, figure.population ?? null, figure.populationYear);
    case 'percentage':
      return forPercentage(value, figure.denominator);
    case 'money':
      return notApplicable('Money is not a count of events, so it has no sampling interval');
    case 'score':
      return notApplicable('A score is not a count of events, so it has no sampling interval');
  }
}
