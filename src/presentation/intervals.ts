/**
 * How a figure's confidence intervals read on the indicator page, in the Board pack and in downloads: "128.8 to
 * 178.2" at 95% and 99.8%, or blank with the reason when there are none.
 */
import type { FigureIntervals, IndicatorUnit, Interval } from '../domain/index.ts';

export interface IntervalTexts {
  ci95: string;
  ci998: string;
  /** Why there are none (blank when there are). */
  reason: string;
  /** The method and what it is around: "Byar's, around the count". */
  method: string;
}

/** A bound in the unit of its figure, with a fixed number of decimals: counts 1 (18.0), rates 2, percentages 1 with %. */
export function bound(n: number, unit: IndicatorUnit): string {
  const decimals = unit === 'count' || unit === 'percentage' ? 1 : 2;
  const text = n.toLocaleString('en-GB', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return unit === 'percentage' ? `${text}%` : text;
}

export const intervalText = (i: Interval, unit: IndicatorUnit): string => `${bound(i.lower, unit)} to ${bound(i.upper, unit)}`;

export function intervalTexts(intervals: FigureIntervals, unit: IndicatorUnit): IntervalTexts {
  if (!intervals.applicable) return { ci95: '', ci998: '', reason: intervals.reason, method: '' };
  return {
    ci95: intervalText(intervals.ci95, unit),
    ci998: intervalText(intervals.ci998, unit),
    reason: '',
    method: `${intervals.method}, around ${intervals.basis}`,
  };
}

/** The sentence under a table of intervals: which methods, and where they come from. */
export const INTERVALS_NOTE =
  "Confidence intervals by the methods of OHID's Fingertips: for counts and rates, the exact Poisson interval below 10 events and Byar's method from 10; for percentages, the Wilson score interval. A figure outside another's 95% interval is unlikely to differ by chance alone; 99.8% is the stricter level.";
