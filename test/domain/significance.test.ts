import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  byarPoissonInterval,
  compareCounts,
  compareProportions,
  COUNT_TEST,
  describeSignificance,
  describeTest,
  formatPValue,
  PROPORTION_TEST,
  verdictOf,
  poissonInterval,
  rateInterval,
  TERM_BY_TERM_LIMIT,
  twoSidedBinomialPValue,
  wilsonInterval,
} from '../../src/domain/significance.ts';
import { binomialProbability } from '../../src/domain/specialFunctions.ts';
import { significanceOf } from '../../src/domain/indicatorPerformance.ts';
import { assertClose, assertRelClose } from './helpers.ts';

/** Two-sided exact binomial p-value computed directly with exact rational arithmetic (BigInt), p = 1/2. */
function exactTwoSidedHalf(k: number, n: number): number {
  const choose: bigint[] = [1n];
  for (let i = 1; i <= n; i++) choose.push(((choose[i - 1] as bigint) * BigInt(n - i + 1)) / BigInt(i));
  const observed = choose[k] as bigint;
  let sum = 0n;
  for (const c of choose) if (c <= observed) sum += c;
  // sum / 2^n, evaluated without overflowing a double
  const scale = 2n ** BigInt(n);
  return Number((sum * 10n ** 15n) / scale) / 1e15;
}

describe('poissonInterval (exact, Garwood)', () => {
  test('matches chi-square tables', () => {
    const ten = poissonInterval(10);
    assertClose(ten.lower, 4.795388696132, 1e-8);
    assertClose(ten.upper, 18.390356042018, 1e-8);
    const five = poissonInterval(5);
    assertClose(five.lower, 1.623486390118, 1e-8);
    assertClose(five.upper, 11.668332079323, 1e-8);
    const one = poissonInterval(1);
    assertClose(one.lower, 0.025317807984, 1e-9);
    assertClose(one.upper, 5.571643390939, 1e-8);
    const burglary = poissonInterval(152);
    assertClose(burglary.lower, 128.796574513975, 1e-7);
    assertClose(burglary.upper, 178.17623835259, 1e-7);
  });

  test('zero events: lower 0 and upper -ln(alpha/2) = 3.689', () => {
    const zero = poissonInterval(0);
    assert.equal(zero.lower, 0);
    assertClose(zero.upper, -Math.log(0.025), 1e-10);
    assertClose(poissonInterval(0, 0.9).upper, -Math.log(0.05), 1e-10);
  });

  test('for a count of one, the limits solve the Poisson tail equations exactly', () => {
    // P(X >= 1 | lower) = 0.025  =>  lower = -ln(0.975)
    assertClose(poissonInterval(1).lower, -Math.log(0.975), 1e-12);
    // P(X <= 1 | upper) = e^-u (1 + u) = 0.025
    const u = poissonInterval(1).upper;
    assertClose(Math.exp(-u) * (1 + u), 0.025, 1e-12);
  });

  test('a higher confidence gives a wider interval; bad arguments are rejected', () => {
    const i95 = poissonInterval(20, 0.95);
    const i99 = poissonInterval(20, 0.99);
    assert.ok(i99.lower < i95.lower && i99.upper > i95.upper);
    assert.throws(() => poissonInterval(2.5), RangeError);
    assert.throws(() => poissonInterval(-1), RangeError);
    assert.throws(() => poissonInterval(5, 1), RangeError);
    assert.throws(() => poissonInterval(5, 0), RangeError);
  });
});

describe('byarPoissonInterval', () => {
  test('is close to the exact interval for moderate counts', () => {
    for (const k of [10, 25, 152, 2080]) {
      const exact = poissonInterval(k);
      const byar = byarPoissonInterval(k);
      assertRelClose(byar.lower, exact.lower, 0.01);
      assertRelClose(byar.upper, exact.upper, 0.01);
    }
    // Hand check for k = 10: 10 x (1 - 1/90 - 1.959964/(3 x sqrt 10))^3 and 11 x (1 - 1/99 + 1.959964/(3 x sqrt 11))^3
    const z = 1.959963984540054;
    assertClose(byarPoissonInterval(10).lower, 10 * (1 - 1 / 90 - z / (3 * Math.sqrt(10))) ** 3, 1e-12);
    assertClose(byarPoissonInterval(10).upper, 11 * (1 - 1 / 99 + z / (3 * Math.sqrt(11))) ** 3, 1e-12);
    assert.equal(byarPoissonInterval(0).lower, 0);
  });
});

describe('rateInterval', () => {
  test('is the count interval scaled to the population', () => {
    const r = rateInterval(152, 87_000);
    assertClose(r.rate, 1.7471264, 1e-6);
    assertClose(r.lower, (128.796574513975 / 87_000) * 1000, 1e-9);
    assertClose(r.upper, (178.17623835259 / 87_000) * 1000, 1e-9);
    const per100k = rateInterval(10, 50_000, 100_000);
    assertClose(per100k.rate, 20, 1e-12);
    assertClose(per100k.lower, 4.795388696132 * 2, 1e-7);
    assert.throws(() => rateInterval(10, 0), RangeError);
  });
});

describe('wilsonInterval', () => {
  test('matches the Wilson score formula (34 of 100 surveyed say ASB is a problem)', () => {
    const w = wilsonInterval(34, 100);
    assert.equal(w.proportion, 0.34);
    assertClose(w.lower, 0.254615207973, 1e-9);
    assertClose(w.upper, 0.437222711453, 1e-9);
  });

  test('stays inside 0-1 at the extremes', () => {
    const none = wilsonInterval(0, 20);
    assert.equal(none.lower, 0);
    assertClose(none.upper, 0.161125158053, 1e-9);
    const all = wilsonInterval(20, 20);
    assert.equal(all.upper, 1);
    assertClose(all.lower, 1 - 0.161125158053, 1e-9);
  });

  test('rejects impossible inputs', () => {
    assert.throws(() => wilsonInterval(5, 0), RangeError);
    assert.throws(() => wilsonInterval(6, 5), RangeError);
    assert.throws(() => wilsonInterval(1.5, 5), RangeError);
  });
});

describe('compareCounts (exact conditional binomial test)', () => {
  test('Rochford burglary 170 -> 152 is a 10.6% fall but not statistically significant (p = 0.343)', () => {
    const c = compareCounts(170, 152);
    assertClose(c.pValue, 0.34346208642418335, 1e-9);
    assert.equal(c.significant, false);
    assert.equal(c.label, 'not statistically significant');
    assert.equal(c.movement, 'decrease');
    assert.equal(c.smallNumbers, false);
    assertClose(c.rateRatio, 152 / 170, 1e-12);
    assert.ok(c.rateRatioInterval && c.rateRatioInterval.lower < 1 && c.rateRatioInterval.upper > 1);
  });

  test('4 -> 6 (+50%) is well within chance and flagged as small numbers', () => {
    const c = compareCounts(4, 6);
    assertClose(c.pValue, 0.75390625, 1e-12); // = 772/1024
    assert.equal(c.significant, false);
    assert.equal(c.smallNumbers, true);
    assert.equal(c.movement, 'increase');
    assert.equal(c.rateRatio, 1.5);
  });

  test('agrees with exact rational arithmetic for equal exposures', () => {
    for (const [before, after] of [
      [4, 6],
      [0, 8],
      [20, 5],
      [12, 30],
      [170, 152],
      [50, 50],
      [1, 0],
    ] as const) {
      assertClose(compareCounts(before, after).pValue, Math.min(1, exactTwoSidedHalf(after, before + after)), 1e-12);
    }
  });

  test('known tail values: 0 vs 8 has p = 2 x 0.5^8 = 0.0078125; 20 -> 5 has p = 0.00407732', () => {
    const zero = compareCounts(8, 0);
    assertClose(zero.pValue, 0.0078125, 1e-14);
    assert.equal(zero.significant, true);
    assert.equal(zero.label, 'statistically significant');
    assert.equal(zero.movement, 'decrease');
    assert.equal(zero.rateRatio, 0);
    assert.equal(zero.rateRatioInterval?.lower, 0);
    const fall = compareCounts(20, 5);
    assertClose(fall.pValue, 0.004077315330505371, 1e-12);
    assert.equal(fall.significant, true);
    assert.equal(fall.smallNumbers, true); // 5 is a small number even though the fall is significant
  });

  test('above the term-by-term limit, the two tails give the same p-value as the sum of every term', () => {
    const termByTerm = (x: number, n: number, p: number) => {
      const cutoff = binomialProbability(x, n, p) * (1 + 1e-7);
      let sum = 0;
      for (let i = 0; i <= n; i++) if (binomialProbability(i, n, p) <= cutoff) sum += binomialProbability(i, n, p);
      return Math.min(1, sum);
    };
    assert.ok(TERM_BY_TERM_LIMIT < 1500);
    for (const [before, after] of [
      [700, 801],
      [1100, 1000],
      [1500, 1380],
      [760, 760],
      [3000, 2],
      [0, 1600],
    ] as const) {
      assertClose(compareCounts(before, after).pValue, Math.min(1, exactTwoSidedHalf(after, before + after)), 1e-10);
    }
    for (const [x, n, p] of [
      [400, 1200, 0.3],
      [1000, 1200, 0.75],
      [12, 5000, 0.001],
      [4990, 5000, 0.999],
      [2500, 5001, 0.5],
      [0, 2000, 0.2],
      [2000, 2000, 0.2],
    ] as const) {
      assertClose(twoSidedBinomialPValue(x, n, p), termByTerm(x, n, p), 1e-10);
    }
  });

  test('counts of a million million are compared in moments (summed term by term they would take days)', { timeout: 5_000 }, () => {
    const same = compareCounts(999_999_999_999, 999_999_999_999);
    assert.equal(same.significant, false);
    const fall = compareCounts(1_000_000_000_000, 999_990_000_000);
    assert.equal(fall.significant, true);
    assert.equal(fall.movement, 'decrease');
    const slight = compareCounts(1_000_000, 1_000_500);
    assert.equal(slight.significant, false);
  });

  test('large counts: ASB 2167 -> 2080 (p = 0.187) and alcohol disorder 215 -> 181 (p = 0.097)', () => {
    assertClose(compareCounts(2167, 2080).pValue, 0.18694695232254754, 1e-9);
    assertClose(compareCounts(215, 181).pValue, 0.0971311762255165, 1e-9);
    assert.equal(compareCounts(215, 181, { alpha: 0.1 }).significant, true);
  });

  test('unequal exposures: 10 events in 1 month vs 20 in 2 months is no change (p = 1)', () => {
    const c = compareCounts(10, 20, { exposureBefore: 1, exposureAfter: 2 });
    assertClose(c.pValue, 1, 1e-12);
    assert.equal(c.movement, 'no change');
    assertClose(c.rateRatio, 1, 1e-12);
    // 70 vs 30 when 40% of exposure is in the "after" period: Binomial(100, 0.4) two-sided p for 30
    const d = compareCounts(70, 30, { exposureBefore: 3, exposureAfter: 2 });
    assertClose(d.pValue, 0.04154450961965455, 1e-9);
  });

  test('the rate-ratio interval is the Clopper-Pearson interval mapped to a ratio', () => {
    // 4 -> 6: Clopper-Pearson 95% for 6 of 10 is 0.262378 to 0.878448
    const c = compareCounts(4, 6);
    const toRatio = (p: number) => p / (1 - p);
    assertClose(c.rateRatioInterval?.lower, toRatio(0.26237807660694507), 1e-8);
    assertClose(c.rateRatioInterval?.upper, toRatio(0.8784477418801728), 1e-7);
    assert.equal(compareCounts(0, 5).rateRatioInterval?.upper, Infinity);
    assert.equal(compareCounts(0, 5).rateRatio, null);
  });

  test('no events at all: p = 1 and no interval', () => {
    const c = compareCounts(0, 0);
    assert.equal(c.pValue, 1);
    assert.equal(c.rateRatioInterval, null);
    assert.equal(c.rateRatio, null);
    assert.equal(c.movement, 'no change');
  });

  test('options are validated and the small-number threshold can be set', () => {
    assert.equal(compareCounts(12, 15, { smallNumberThreshold: 20 }).smallNumbers, true);
    assert.equal(compareCounts(12, 15).smallNumbers, false);
    assert.throws(() => compareCounts(1.5, 2), RangeError);
    assert.throws(() => compareCounts(1, 2, { alpha: 0 }), RangeError);
    assert.throws(() => compareCounts(1, 2, { exposureAfter: 0 }), RangeError);
    assert.throws(() => compareCounts(1, 2, { smallNumberThreshold: -1 }), RangeError);
  });
});

describe('the test behind a verdict is named, with its p-value', () => {
  test("R's poisson.test worked example: 11 events in 800 person-years against 21 in 3,011 gives p = 0.07967", () => {
    // From the documentation of R's stats::poisson.test (its example, after Armitage & Berry, Statistical Methods in
    // Medical Research): poisson.test(c(11, 6 + 8 + 7), c(800, 1083 + 1050 + 878)) prints p-value = 0.07967 and
    // rate ratio 1.971488. Cross-checked to more places with SciPy 1.17: binomtest(11, 32, 800 / 3811).pvalue.
    const c = compareCounts(21, 11, { exposureBefore: 3011, exposureAfter: 800 });
    assert.equal(c.test, COUNT_TEST);
    assertClose(c.pValue, 0.0796686330333295, 1e-9);
    assertClose(c.rateRatio, 1.971488, 1e-6);
    assert.equal(c.significant, false);
    assert.equal(describeTest(c), 'exact conditional binomial test (ratio of two Poisson counts), two-sided, p = 0.080');
  });

  test('p-values print to three places, and below 0.001 as "p < 0.001"', () => {
    assert.equal(formatPValue(0.34346208642418335), 'p = 0.343');
    assert.equal(formatPValue(0.0121), 'p = 0.012');
    assert.equal(formatPValue(0.001), 'p = 0.001');
    assert.equal(formatPValue(0.000999), 'p < 0.001');
    assert.equal(formatPValue(1), 'p = 1.000');
    assert.throws(() => formatPValue(1.5), RangeError);
    assert.throws(() => formatPValue(Number.NaN), RangeError);
  });

  test('the verdict in words: Rochford burglary 170 -> 152, and a small-number rise 4 -> 6', () => {
    assert.equal(
      describeSignificance(compareCounts(170, 152)),
      'Not statistically significant: exact conditional binomial test (ratio of two Poisson counts), two-sided, p = 0.343',
    );
    const { pValue, ...small } = verdictOf(compareCounts(4, 6));
    assertClose(pValue, 0.75390625, 1e-12); // 772 / 1024
    assert.deepEqual(small, {
      test: COUNT_TEST,
      significant: false,
      label: 'not statistically significant',
      smallNumbers: true,
      description:
        'Not statistically significant (small numbers): exact conditional binomial test (ratio of two Poisson counts), two-sided, p = 0.754',
    });
    assert.equal(verdictOf(compareCounts(20, 5)).description.startsWith('Statistically significant (small numbers): exact'), true);
  });
});

describe('compareProportions (two-sample z-test, pooled)', () => {
  test('worked example: 118 of 3,303 against 80 of 3,303 gives z = 2.742, two-sided p = 0.00611', () => {
    // Usable Stats, "Ask Stats" question 866 (usablestats.com/askstats/question/866): pooled proportion
    // (118 + 80) / 6,606 = 0.02997, standard error 0.004196, z = 0.01150 / 0.004196 = 2.742, two-sided p = .00611.
    // The same 2 x 2 table by Pearson's chi-squared test without continuity correction (SciPy 1.17
    // chi2_contingency(correction=False)) gives p = 0.006107622058802346, to which the z-test is equal.
    const c = compareProportions({ numerator: 118, denominator: 3303 }, { numerator: 80, denominator: 3303 });
    assert.equal(c.test, PROPORTION_TEST);
    assertClose(c.z, -2.7419468656008323, 1e-9);
    assertClose(c.pValue, 0.006107622058802346, 1e-12);
    assert.equal(c.significant, true);
    assert.equal(c.movement, 'decrease');
    assertClose(c.difference, 80 / 3303 - 118 / 3303, 1e-15);
    assert.equal(c.smallNumbers, false);
    assert.equal(
      describeSignificance(c),
      'Statistically significant: two-sample z-test for proportions (pooled variance), two-sided, p = 0.006',
    );
    // The sign of z follows the order; the p-value does not.
    const back = compareProportions({ numerator: 80, denominator: 3303 }, { numerator: 118, denominator: 3303 });
    assertClose(back.z, 2.7419468656008323, 1e-9);
    assertClose(back.pValue, c.pValue, 1e-15);
  });

  test('the z statistic by hand: 81 of 263 repeat victims against 60 of 250', () => {
    // Pooled p = 141 / 513; z = (60/250 - 81/263) / sqrt(p (1 - p) (1/263 + 1/250)) = -1.7240;
    // SciPy 1.17 chi2_contingency([[81, 182], [60, 190]], correction=False) gives p = 0.08470781496388027.
    const p = 141 / 513;
    const z = (60 / 250 - 81 / 263) / Math.sqrt(p * (1 - p) * (1 / 263 + 1 / 250));
    const c = compareProportions({ numerator: 81, denominator: 263 }, { numerator: 60, denominator: 250 });
    assertClose(c.z, z, 1e-12);
    assertClose(c.pValue, 0.08470781496388027, 1e-12);
    assert.equal(c.significant, false);
  });

  test('small expected cells are flagged; no variation at all is no evidence of change; bad fractions are refused', () => {
    // 2 of 20 against 1 of 20: the expected number with the outcome is 20 x 3/40 = 1.5 in each, below 5.
    assert.equal(compareProportions({ numerator: 2, denominator: 20 }, { numerator: 1, denominator: 20 }).smallNumbers, true);
    const none = compareProportions({ numerator: 0, denominator: 30 }, { numerator: 0, denominator: 40 });
    assert.equal(none.pValue, 1);
    assert.equal(none.z, 0);
    assert.equal(none.movement, 'no change');
    assert.throws(() => compareProportions({ numerator: 5, denominator: 4 }, { numerator: 1, denominator: 4 }), RangeError);
    assert.throws(() => compareProportions({ numerator: 1, denominator: 0 }, { numerator: 1, denominator: 4 }), RangeError);
    assert.throws(() => compareProportions({ numerator: 1.5, denominator: 4 }, { numerator: 1, denominator: 4 }), RangeError);
  });
});

describe("significanceOf: the indicator page's test of a period against the same period last year", () => {
  const known = (value: number) => ({ value, reason: null });
  test('counts by the exact test; percentages and rates on their recorded numerators and denominators', () => {
    assert.equal(significanceOf('count', known(170), 152)?.value?.test, COUNT_TEST);
    const pct = significanceOf('percentage', known(30.8), 24, {
      before: { numerator: 81, denominator: 263 },
      after: { numerator: 60, denominator: 250 },
    });
    assert.equal(pct?.value?.test, PROPORTION_TEST);
    assertClose(pct?.value?.pValue, 0.08470781496388027, 1e-12);
    // A rate per 1,000: the two counts over their populations, as poisson.test's example above.
    const rate = significanceOf('rate_per_1000', known((21 / 3011) * 1000), (11 / 800) * 1000, {
      before: { numerator: 21, denominator: 3011 },
      after: { numerator: 11, denominator: 800 },
    });
    assert.equal(rate?.value?.test, COUNT_TEST);
    assertClose(rate?.value?.pValue, 0.0796686330333295, 1e-9);
  });

  test('without both fractions a percentage is not tested, and says why; money is not tested at all', () => {
    const one = significanceOf('percentage', known(30.8), 24, { after: { numerator: 60, denominator: 250 } });
    assert.equal(one?.value, null);
    assert.match(one?.reason ?? '', /same period last year has none/);
    assert.match(significanceOf('percentage', known(30.8), 24)?.reason ?? '', /this figure has none/);
    assert.equal(significanceOf('money', known(10), 12), null);
  });
});
