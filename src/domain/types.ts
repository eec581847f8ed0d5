/**
 * Shared types for the performance-indicator domain.
 *
 * Pure types only: nothing here performs I/O.
 */

/**
 * Which way is "good" for an indicator.
 * - `higher_is_better`: e.g. sanction detection rate, reporting of domestic abuse.
 * - `lower_is_better`: e.g. domestic burglary, anti-social behaviour incidents.
 * - `monitor`: watched for context only (no good or bad direction, no RAG).
 */
export type Polarity = 'higher_is_better' | 'lower_is_better' | 'monitor';

/** Red / amber / green status as printed in CSP performance tables. */
export type Rag = 'red' | 'amber' | 'green';

/** A closed numeric interval, e.g. a 95% confidence interval. */
export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

/** Population base used for rates: "per 1,000 population", "per 100,000 population". */
export type RateBase = 1000 | 10000 | 100000;

/**
 * How a numeric threshold is to be compared:
 * `at_most` (actual must be no more than the threshold, e.g. reduce burglary) or
 * `at_least` (actual must be no less than the threshold, e.g. increase reporting).
 */
export type Comparison = 'at_most' | 'at_least';

/** A target turned into a number that an actual figure can be compared with. */
export interface ResolvedTarget {
  /** The figure to be reached (a count unless the indicator itself is a rate or percentage). */
  readonly threshold: number;
  readonly comparison: Comparison;
}
