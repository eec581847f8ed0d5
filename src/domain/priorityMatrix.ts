/**
 * The priority-setting matrix of a strategic assessment: each crime type (and any other issue a partnership
 * adds by name) is scored on four criteria, the scores are weighted and the issues ranked. Pure functions: no
 * I/O; the figures come from the strategic assessment and the settings from the partnership.
 *
 * The method, as shown to users:
 * - Volume: the count in the latest 12 months, or the rate per 1,000 people when the partnership chooses rates
 *   (same order, as one population is used for every issue).
 * - Trend: the size of the change against the 12 months before, by the end of its 95% interval nearest no change
 *   (ADR 0033). The rate ratio (latest 12 months over the 12 before) has an exact interval (compareCounts); the
 *   smallest change the figures support is its lower end for a rise, its upper end for a fall, and no change
 *   when the interval holds 1. That ratio r scores 50 + 50 x log2(r), kept within 0 to 100: no change shown 50,
 *   a rise to at least double 100, a fall to at most half 0, continuously between. A big, certain rise scores
 *   more than a small or uncertain one; a change within chance scores the same as none. Trend is on this fixed
 *   scale, not scaled between the issues (one clear fall among chance changes would otherwise make every other
 *   issue score 100).
 * - Harm: the partnership's harm weight for the issue: how serious one incident is. It is not multiplied by the
 *   count, which volume already measures.
 * - Public concern: the percentage of people consulted who named the issue (0 to 100); none entered counts as 0.
 * Volume, harm and concern are normalised by min-max scaling over the issues ranked: the lowest value scores 0, the
 * highest 100, the rest in proportion ((x - min) / (max - min) x 100). When every issue has the same value the
 * criterion cannot tell them apart and every issue scores 0 on it. An issue without police.uk figures (added by
 * name) scores 0 on volume and trend. The weighted score is the weighted mean of the four scores (weights of 0 to
 * 100, at least one above 0), so it is also on a 0-100 scale; issues are ranked by it, largest first, ties
 * sharing a rank (1, 2, 2, 4) and listed by name.
 */

import { compareCounts } from './significance.ts';

export const CRITERIA = ['volume', 'trend', 'harm', 'concern'] as const;
export type Criterion = (typeof CRITERIA)[number];

export const CRITERION_LABELS: Record<Criterion, string> = { volume: 'Volume', trend: 'Trend', harm: 'Harm', concern: 'Public concern' };

export type CriteriaWeights = Record<Criterion, number>;

export const DEFAULT_CRITERIA_WEIGHTS: CriteriaWeights = { volume: 25, trend: 25, harm: 25, concern: 25 };

/**
 * Illustrative harm weights per police.uk crime type: relative seriousness of one incident, loosely in the
 * spirit of a crime harm index (such as the Cambridge Crime Harm Index, which weights offences by the days of
 * imprisonment their sentencing starting points give). These numbers are NOT an official index: they are a
 * starting point that each partnership should review and change to its own (0 to 1,000).
 */
export const ILLUSTRATIVE_HARM_WEIGHTS: Readonly<Record<string, number>> = {
  'Anti-social behaviour': 5,
  'Bicycle theft': 5,
  Burglary: 50,
  'Criminal damage and arson': 20,
  Drugs: 30,
  'Other crime': 10,
  'Other theft': 5,
  'Possession of weapons': 60,
  'Public order': 10,
  Robbery: 80,
  Shoplifting: 5,
  'Theft from the person': 15,
  'Vehicle crime': 15,
  'Violence and sexual offences': 100,
};

/** Harm weight of an issue added by name, until the partnership sets one. */
export const DEFAULT_OTHER_HARM_WEIGHT = 10;

export interface MatrixIssue {
  name: string;
  /** Count in the latest 12 months; null for an issue without police.uk figures. */
  count: number | null;
  /** Count in the 12 months before; null for an issue without police.uk figures. */
  previousCount: number | null;
  /** Rate per 1,000 people; null when there is no population or no figures. */
  rate: number | null;
  /** % change against the previous 12 months; null when the previous count was 0 or there are no figures. */
  percentageChange: number | null;
  /** Whether the change is statistically significant. */
  significant: boolean;
  harmWeight: number;
  /** Public concern, 0 to 100 %; null when none was entered. */
  concern: number | null;
}

export interface ScoredIssue extends MatrixIssue {
  /**
   * The value each criterion was scored on (after the rules above); for trend, the smallest % change the figures
   * support (0 when the change is within chance).
   */
  values: Record<Criterion, number>;
  /** Normalised scores, 0 to 100. */
  scores: Record<Criterion, number>;
  /** Weighted mean of the scores, 0 to 100. */
  score: number;
  rank: number;
}

/** Min-max scaling to 0-100; every value 0 when they are all equal (or there are none). */
export function normalise(values: readonly number[]): number[] {
  if (values.length === 0) return [];
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (!(max > min)) return values.map(() => 0);
  return values.map((v) => ((v - min) / (max - min)) * 100);
}

/**
 * The smallest change the two counts support, as a rate ratio: the lower end of the ratio's 95% interval for a
 * rise, the upper end for a fall, 1 when the interval holds 1 (or both counts are 0). Null without figures.
 */
export function supportedRateRatio(issue: Pick<MatrixIssue, 'count' | 'previousCount'>): number | null {
  if (issue.count === null || issue.previousCount === null) return null;
  const interval = compareCounts(issue.previousCount, issue.count).rateRatioInterval;
  if (!interval) return 1;
  if (interval.lower > 1) return interval.lower;
  if (interval.upper < 1) return interval.upper;
  return 1;
}

/** The trend score of a supported rate ratio: 50 + 50 x log2(ratio), within 0 to 100; 0 without figures. */
export function trendScore(ratio: number | null): number {
  if (ratio === null) return 0;
  if (ratio <= 0) return 0;
  return Math.min(100, Math.max(0, 50 + 50 * Math.log2(ratio)));
}

/** The value an issue is scored on for a criterion. */
export function criterionValue(issue: MatrixIssue, criterion: Criterion, volumeBasis: 'count' | 'rate'): number {
  switch (criterion) {
    case 'volume':
      return (volumeBasis === 'rate' ? issue.rate : issue.count) ?? 0;
    case 'trend': {
      const ratio = supportedRateRatio(issue);
      return ratio === null || !Number.isFinite(ratio) ? 0 : (ratio - 1) * 100;
    }
    case 'harm':
      return issue.harmWeight;
    case 'concern':
      return issue.concern ?? 0;
  }
}

/** Checks weights: each finite and 0 or more, at least one above 0. */
export function assertWeights(weights: CriteriaWeights): void {
  for (const c of CRITERIA) {
    if (!Number.isFinite(weights[c]) || weights[c] < 0) throw new RangeError(`The ${c} weight must be a number of 0 or more`);
  }
  if (CRITERIA.every((c) => weights[c] === 0)) throw new RangeError('At least one criterion must have a weight above 0');
}

/** Scores and ranks the issues (see the module comment for the method). */
export function rankIssues(
  issues: readonly MatrixIssue[],
  weights: CriteriaWeights,
  volumeBasis: 'count' | 'rate' = 'count',
): ScoredIssue[] {
  assertWeights(weights);
  const values = issues.map(
    (i) => Object.fromEntries(CRITERIA.map((c) => [c, criterionValue(i, c, volumeBasis)])) as Record<Criterion, number>,
  );
  const normalised = Object.fromEntries(CRITERIA.map((c) => [c, normalise(values.map((v) => v[c]))])) as Record<Criterion, number[]>;
  // Trend is on its own fixed scale (see the module comment), not scaled between the issues.
  normalised.trend = issues.map((i) => trendScore(supportedRateRatio(i)));
  const totalWeight = CRITERIA.reduce((s, c) => s + weights[c], 0);
  const scored = issues.map((issue, i) => {
    const scores = Object.fromEntries(CRITERIA.map((c) => [c, normalised[c][i] as number])) as Record<Criterion, number>;
    const score = CRITERIA.reduce((s, c) => s + weights[c] * scores[c], 0) / totalWeight;
    return { ...issue, values: values[i] as Record<Criterion, number>, scores, score, rank: 0 };
  });
  scored.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  // Scores equal to 9 decimal places share a rank (floating-point sums of the same scores may differ in the last bit).
  const same = (a: number, b: number) => Math.abs(a - b) < 1e-9;
  scored.forEach((s, i) => {
    const previous = scored[i - 1];
    s.rank = previous && same(previous.score, s.score) ? previous.rank : i + 1;
  });
  return scored;
}
