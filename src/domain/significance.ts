/**
 * Confidence intervals and significance tests for the small counts CSPs work with.
 *
 * Small areas have small counts: a rise from 4 to 6 is a 50% increase but well within chance.
 * These functions let a report say "not statistically significant" and show an interval instead.
 * Methods (from the statistics reference the project was given, which is not kept in this repository):
 * - exact Poisson interval for a count: lower = χ²(α/2; 2k)/2, upper = χ²(1-α/2; 2k+2)/2
 *   (Byar's approximation is given too, as the fast published form and a cross-check);
 * - a rate's interval is the count's interval divided by the population (times 1,000 or 100,000);
 * - Wilson score interval for proportions (survey percentages, sanction detection rates);
 * - exact conditional (binomial) test for a change between two counts (or two rates, with their exposures);
 * - the two-sample z-test (pooled) for a change between two proportions with recorded numerators and denominators.
 * Every test result names its test and carries its p-value, so a page or document can say which test gave the verdict
 * (`describeSignificance`: "exact conditional binomial test (ratio of two Poisson counts), two-sided, p = 0.012").
 */

import {
  betaQuantile,
  binomialProbability,
  chiSquareQuantile,
  normalQuantile,
  regularizedGammaQ,
  regularizedIncompleteBeta,
} from './specialFunctions.ts';
import type { Interval, RateBase } from './types.ts';
import { assertCount, assertLevel, assertNonNegative, assertPositive } from './validation.ts';

/**
 * Exact (Garwood) confidence interval for the underlying rate of a Poisson count, e.g. the
 * 95% interval for 10 offences is 4.795 to 18.390. Use it to show how much a small count could
 * vary by chance alone.
 */
export function poissonInterval(count: number, confidence = 0.95): Interval {
  assertCount('count', count);
  assertLevel('confidence', confidence);
  const alpha = 1 - confidence;
  const lower = count === 0 ? 0 : chiSquareQuantile(alpha / 2, 2 * count) / 2;
  const upper = chiSquareQuantile(1 - alpha / 2, 2 * count + 2) / 2;
  return { lower, upper };
}

/**
 * Byar's approximation to the exact Poisson interval (as used in many public-health tools);
 * within about 1% of the exact interval once the count is above 10 or so.
 */
export function byarPoissonInterval(count: number, confidence = 0.95): Interval {
  assertCount('count', count);
  assertLevel('confidence', confidence);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const lower = count === 0 ? 0 : count * Math.pow(1 - 1 / (9 * count) - z / (3 * Math.sqrt(count)), 3);
  const k1 = count + 1;
  const upper = k1 * Math.pow(1 - 1 / (9 * k1) + z / (3 * Math.sqrt(k1)), 3);
  return { lower, upper };
}

/** A rate per head of population with its confidence interval. */
export interface RateWithInterval extends Interval {
  readonly rate: number;
}

/**
 * A rate per 1,000 (or 100,000) population with its exact Poisson interval,
 * e.g. to show whether an area's burglary rate is really higher than its neighbour's.
 */
export function rateInterval(count: number, population: number, per: RateBase = 1000, confidence = 0.95): RateWithInterval {
  assertCount('count', count);
  assertPositive('population', population);
  const ci = poissonInterval(count, confidence);
  const scale = per / population;
  return { rate: count * scale, lower: ci.lower * scale, upper: ci.upper * scale };
}

/** A proportion (0-1) with its confidence interval. */
export interface ProportionWithInterval extends Interval {
  readonly proportion: number;
}

/**
 * Wilson score interval for a proportion (0-1), e.g. the share of surveyed residents who say ASB
 * is a problem, or the share of violent crimes with a sanction detection. Better behaved than the
 * simple "p ± 1.96 SE" interval for small samples and proportions near 0 or 1.
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): ProportionWithInterval {
  assertCount('successes', successes);
  assertCount('trials', trials);
  assertLevel('confidence', confidence);
  if (trials === 0) throw new RangeError('A proportion needs at least one trial');
  if (successes > trials) throw new RangeError(`successes (${successes}) cannot exceed trials (${trials})`);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const n = trials;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return {
    proportion: p,
    lower: successes === 0 ? 0 : Math.max(0, centre - half),
    upper: successes === trials ? 1 : Math.min(1, centre + half),
  };
}

/** How a report labels a change between two counts. */
export type SignificanceLabel = 'statistically significant' | 'not statistically significant';

/** The test for a change between two counts, or two rates (counts over their exposure). */
export const COUNT_TEST = 'exact conditional binomial test (ratio of two Poisson counts)';
/** The test for a change between two proportions (numerator of denominator, like 81 of 263). */
export const PROPORTION_TEST = 'two-sample z-test for proportions (pooled variance)';
/** The name of a test this module carries out. */
export type SignificanceTestName = typeof COUNT_TEST | typeof PROPORTION_TEST;

/** A p-value as a report prints it: 'p = 0.012', 'p < 0.001' (three decimal places, never 'p = 0.000'). */
export function formatPValue(pValue: number): string {
  if (!(pValue >= 0 && pValue <= 1)) throw new RangeError(`A p-value lies between 0 and 1, not ${pValue}`);
  return pValue < 0.001 ? 'p < 0.001' : `p = ${pValue.toFixed(3)}`;
}

/** What every significance result carries for its wording. */
export interface NamedTestResult {
  readonly test: SignificanceTestName;
  readonly pValue: number;
}

/**
 * The test that gave a verdict, how many sides and its p-value, as one phrase:
 * 'exact conditional binomial test (ratio of two Poisson counts), two-sided, p = 0.343'.
 */
export function describeTest(result: NamedTestResult): string {
  return `${result.test}, two-sided, ${formatPValue(result.pValue)}`;
}

/**
 * The verdict with its test, as a page, a document and the API show it: 'Not statistically significant (small
 * numbers): exact conditional binomial test (ratio of two Poisson counts), two-sided, p = 0.754'.
 */
export function describeSignificance(result: NamedTestResult & { readonly label: string; readonly smallNumbers: boolean }): string {
  const label = `${result.label.charAt(0).toUpperCase()}${result.label.slice(1)}`;
  return `${label}${result.smallNumbers ? ' (small numbers)' : ''}: ${describeTest(result)}`;
}

/** Default for {@link CountComparisonOptions.smallNumberThreshold}. */
export const DEFAULT_SMALL_NUMBER_THRESHOLD = 10;

/** Options for {@link compareCounts}. */
export interface CountComparisonOptions {
  /** Exposure of the first period (e.g. months, or population); default 1. */
  readonly exposureBefore?: number;
  /** Exposure of the second period; default 1 (equal exposure). */
  readonly exposureAfter?: number;
  /** Significance level; default 0.05. */
  readonly alpha?: number;
  /** A count below this is a small number (see {@link CountComparison.smallNumbers}); default 10. */
  readonly smallNumberThreshold?: number;
}

/** The result of {@link compareCounts}. */
export interface CountComparison {
  /** Always {@link COUNT_TEST}: the result names its test. */
  readonly test: typeof COUNT_TEST;
  readonly before: number;
  readonly after: number;
  /** Whether the after rate is above, below or the same as the before rate (allowing for exposure). */
  readonly movement: 'increase' | 'decrease' | 'no change';
  /** Two-sided exact p-value. */
  readonly pValue: number;
  /** pValue < alpha. */
  readonly significant: boolean;
  readonly label: SignificanceLabel;
  /**
   * Either count is below the small-number threshold: a percentage change between such counts swings
   * widely by chance (4 -> 6 is "+50%"), so show the counts and the interval rather than the percentage.
   */
  readonly smallNumbers: boolean;
  /** Ratio of the after rate to the before rate; null when the before count is 0. */
  readonly rateRatio: number | null;
  /**
   * Exact interval for the rate ratio at 1 - alpha (Clopper-Pearson limits for the after count's share
   * of the total, mapped to a ratio); upper may be Infinity. Null when both counts are 0.
   */
  readonly rateRatioInterval: Interval | null;
}

/**
 * Up to this many trials the two-sided p-value is summed term by term; above it, from the two tails (found by
 * bisection, summed with the incomplete beta function), which is the same sum in time that does not grow with the
 * counts: a count of a million summed term by term takes a third of a second, one of a million million days.
 */
export const TERM_BY_TERM_LIMIT = 1000;

/**
 * Two-sided exact binomial p-value: the total probability of the outcomes no more likely than `x` successes in `n`
 * trials with success probability `p` (with R's relative tolerance, so ties are not lost to rounding).
 */
export function twoSidedBinomialPValue(x: number, n: number, p: number): number {
  const cutoff = binomialProbability(x, n, p) * (1 + 1e-7);
  if (n <= TERM_BY_TERM_LIMIT) {
    let sum = 0;
    for (let i = 0; i <= n; i++) {
      const pi = binomialProbability(i, n, p);
      if (pi <= cutoff) sum += pi;
    }
    return Math.min(1, sum);
  }
  if (p <= 0 || p >= 1) return 1;
  // The probabilities rise to the mode and then fall, so the outcomes no more likely than x are two tails: every
  // outcome from x outwards on x's side of the mean, and those beyond the first as unlikely on the other side.
  const atMost = (k: number) => (k < 0 ? 0 : k >= n ? 1 : regularizedIncompleteBeta(1 - p, n - k, k + 1));
  const atLeast = (k: number) => (k <= 0 ? 1 : k > n ? 0 : regularizedIncompleteBeta(p, k, n - k + 1));
  const mean = n * p;
  if (x < mean) {
    // The first outcome at or above the mean as unlikely as x (n + 1 when there is none).
    let lo = Math.ceil(mean);
    let hi = n + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (binomialProbability(mid, n, p) <= cutoff) hi = mid;
      else lo = mid + 1;
    }
    return Math.min(1, atMost(x) + atLeast(lo));
  }
  if (x > mean) {
    // The last outcome at or below the mean as unlikely as x (-1 when there is none).
    let lo = -1;
    let hi = Math.floor(mean);
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (binomialProbability(mid, n, p) <= cutoff) lo = mid;
      else hi = mid - 1;
    }
    return Math.min(1, atMost(lo) + atLeast(x));
  }
  return 1;
}

/**
 * Is the change between two counts real? Exact conditional test: given the total n = before + after,
 * the after count is Binomial(n, tAfter / (tBefore + tAfter)) if the underlying rate has not changed.
 * The two-sided p-value sums the probabilities of all outcomes no more likely than the one observed
 * (the method of R's binom.test). Rochford's burglary fall from 170 to 152 (10.6%) gives p = 0.343,
 * "not statistically significant"; 4 -> 6 gives p = 0.754 and is flagged as small numbers.
 */
export function compareCounts(before: number, after: number, options: CountComparisonOptions = {}): CountComparison {
  assertCount('before', before);
  assertCount('after', after);
  const tBefore = options.exposureBefore ?? 1;
  const tAfter = options.exposureAfter ?? 1;
  assertPositive('exposureBefore', tBefore);
  assertPositive('exposureAfter', tAfter);
  const alpha = options.alpha ?? 0.05;
  assertLevel('alpha', alpha);
  const smallNumberThreshold = options.smallNumberThreshold ?? DEFAULT_SMALL_NUMBER_THRESHOLD;
  assertNonNegative('smallNumberThreshold', smallNumberThreshold);

  const n = before + after;
  const p0 = tAfter / (tBefore + tAfter);
  let pValue = 1;
  let rateRatioInterval: Interval | null = null;
  if (n > 0) {
    // Relative tolerance as in R's binom.test, so that outcomes exactly as likely as the observed one
    // are not lost to rounding in the log-gamma arithmetic.
    pValue = twoSidedBinomialPValue(after, n, p0);

    const piLower = after === 0 ? 0 : betaQuantile(alpha / 2, after, n - after + 1);
    const piUpper = after === n ? 1 : betaQuantile(1 - alpha / 2, after + 1, n - after);
    const toRatio = (pi: number): number => (pi >= 1 ? Infinity : (pi / (1 - pi)) * (tBefore / tAfter));
    rateRatioInterval = { lower: toRatio(piLower), upper: toRatio(piUpper) };
  }
  const significant = pValue < alpha;
  const rateBefore = before / tBefore;
  const rateAfter = after / tAfter;

  return {
    test: COUNT_TEST,
    before,
    after,
    movement: rateAfter > rateBefore ? 'increase' : rateAfter < rateBefore ? 'decrease' : 'no change',
    pValue,
    significant,
    label: significant ? 'statistically significant' : 'not statistically significant',
    smallNumbers: before < smallNumberThreshold || after < smallNumberThreshold,
    rateRatio: before === 0 ? null : rateAfter / rateBefore,
    rateRatioInterval,
  };
}

/** One proportion: `numerator` of `denominator` (81 of 263 repeat victims). */
export interface Fraction {
  readonly numerator: number;
  readonly denominator: number;
}

/** The result of {@link compareProportions}. */
export interface ProportionComparison {
  /** Always {@link PROPORTION_TEST}. */
  readonly test: typeof PROPORTION_TEST;
  readonly before: Fraction;
  readonly after: Fraction;
  readonly movement: 'increase' | 'decrease' | 'no change';
  /** The after proportion less the before proportion (0-1 scale). */
  readonly difference: number;
  /** The test statistic z (after less before, over its pooled standard error); 0 when there is no variation. */
  readonly z: number;
  /** Two-sided p-value, 2 x (1 - Phi(|z|)); equal to Pearson's chi-squared test of the 2 x 2 table without correction. */
  readonly pValue: number;
  readonly significant: boolean;
  readonly label: SignificanceLabel;
  /**
   * The normal approximation is rough: some cell of the 2 x 2 table is expected to hold fewer than 5 (the usual rule
   * for the test, e.g. Agresti, Categorical Data Analysis, 3rd edition, section 3.2), so read the verdict with care.
   */
  readonly smallNumbers: boolean;
}

/** Expected cell count below which {@link ProportionComparison.smallNumbers} is set. */
export const SMALL_EXPECTED_CELL = 5;

function assertFraction(name: string, f: Fraction): void {
  assertCount(`${name} numerator`, f.numerator);
  assertCount(`${name} denominator`, f.denominator);
  if (f.denominator === 0) throw new RangeError(`${name}: a proportion needs a denominator above 0`);
  if (f.numerator > f.denominator)
    throw new RangeError(`${name}: the numerator (${f.numerator}) cannot exceed the denominator (${f.denominator})`);
}

/**
 * Is the change between two proportions real? The two-sample z-test with the pooled proportion under "no change":
 * z = (p2 - p1) / sqrt(p (1 - p) (1/n1 + 1/n2)), p = (x1 + x2) / (n1 + n2), two-sided p-value from the normal
 * distribution (worked out as the chi-squared tail with one degree of freedom, z squared, which is the same number).
 * 118 of 3,303 against 80 of 3,303 gives z = 2.742, p = 0.0061.
 */
export function compareProportions(before: Fraction, after: Fraction, options: { alpha?: number } = {}): ProportionComparison {
  assertFraction('before', before);
  assertFraction('after', after);
  const alpha = options.alpha ?? 0.05;
  assertLevel('alpha', alpha);
  const [x1, n1, x2, n2] = [before.numerator, before.denominator, after.numerator, after.denominator];
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  // All successes or all failures in both: no variation, so no evidence of a change.
  const z = se === 0 ? 0 : (p2 - p1) / se;
  const pValue = z === 0 ? 1 : Math.min(1, regularizedGammaQ(0.5, (z * z) / 2));
  const significant = pValue < alpha;
  const smallest = Math.min(n1, n2) * Math.min(pooled, 1 - pooled);
  return {
    test: PROPORTION_TEST,
    before,
    after,
    movement: p2 > p1 ? 'increase' : p2 < p1 ? 'decrease' : 'no change',
    difference: p2 - p1,
    z,
    pValue,
    significant,
    label: significant ? 'statistically significant' : 'not statistically significant',
    smallNumbers: smallest < SMALL_EXPECTED_CELL,
  };
}

/** A test's verdict as pages, documents and the API carry it: the verdict, the test that gave it and its p-value. */
export interface SignificanceVerdict {
  readonly test: SignificanceTestName;
  readonly significant: boolean;
  readonly label: SignificanceLabel;
  readonly pValue: number;
  readonly smallNumbers: boolean;
  /** {@link describeSignificance}: the verdict, the test, two-sided, the p-value, in words. */
  readonly description: string;
}

/** The verdict of {@link compareCounts} or {@link compareProportions}, with its wording. */
export function verdictOf(c: CountComparison | ProportionComparison): SignificanceVerdict {
  const { test, significant, label, pValue, smallNumbers } = c;
  return { test, significant, label, pValue, smallNumbers, description: describeSignificance(c) };
}
