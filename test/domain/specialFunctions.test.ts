import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  betaQuantile,
  binomialProbability,
  chiSquareQuantile,
  gammaQuantile,
  logBinomialCoefficient,
  logGamma,
  normalQuantile,
  regularizedGammaP,
  regularizedGammaQ,
  regularizedIncompleteBeta,
} from '../../src/domain/specialFunctions.ts';
import { assertClose, assertRelClose } from './helpers.ts';

describe('logGamma', () => {
  test('matches factorials and known values', () => {
    assertClose(logGamma(1), 0, 1e-14);
    assertClose(logGamma(2), 0, 1e-14);
    assertClose(logGamma(6), Math.log(120), 1e-13);
    assertClose(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14); // Γ(1/2) = √π
    assertClose(logGamma(100.5), 361.4355404677776, 1e-10);
    assertClose(logGamma(1e-3), 6.907178885383854, 1e-12);
    assert.throws(() => logGamma(0), RangeError);
  });

  test('logBinomialCoefficient', () => {
    assertClose(logBinomialCoefficient(10, 3), Math.log(120), 1e-12);
    assert.equal(logBinomialCoefficient(10, 0), 0);
    assert.equal(logBinomialCoefficient(10, 11), -Infinity);
  });
});

describe('incomplete gamma', () => {
  test('P(k + 1, mu) is the Poisson upper tail P(X > k)', () => {
    // P(X > 2 | mu = 3) = 1 - e^-3 (1 + 3 + 4.5)
    assertClose(regularizedGammaP(3, 3), 1 - Math.exp(-3) * 8.5, 1e-14);
    // P(1, x) = 1 - e^-x (exponential CDF)
    assertClose(regularizedGammaP(1, 0.7), 1 - Math.exp(-0.7), 1e-15);
    assertClose(regularizedGammaP(1, 30), 1 - Math.exp(-30), 1e-15);
  });

  test('P + Q = 1, Q is accurate far in the tail, and known values', () => {
    for (const [a, x] of [
      [0.5, 0.1],
      [2.5, 3],
      [10, 4],
      [10, 50],
      [200, 180],
    ] as const) {
      assertClose(regularizedGammaP(a, x) + regularizedGammaQ(a, x), 1, 1e-14);
    }
    assertClose(regularizedGammaP(2.5, 3), 0.6937810815867212, 1e-13);
    assertRelClose(regularizedGammaQ(10, 50), 1.2596084591660847e-12, 1e-9);
    assert.equal(regularizedGammaP(2, 0), 0);
    assert.equal(regularizedGammaQ(2, -1), 1);
  });
});

describe('incomplete beta and beta quantile', () => {
  test('known values and symmetry', () => {
    assertClose(regularizedIncompleteBeta(0.3, 2.5, 4), 0.3521975859067672, 1e-13);
    assertClose(regularizedIncompleteBeta(0.5, 3, 3), 0.5, 1e-14);
    // I_x(1, b) = 1 - (1 - x)^b
    assertClose(regularizedIncompleteBeta(0.2, 1, 5), 1 - 0.8 ** 5, 1e-14);
    assertClose(regularizedIncompleteBeta(0.7, 4, 2) + regularizedIncompleteBeta(0.3, 2, 4), 1, 1e-14);
    assert.equal(regularizedIncompleteBeta(0, 2, 3), 0);
    assert.equal(regularizedIncompleteBeta(1, 2, 3), 1);
  });

  test('the binomial CDF: P(X <= k) = I_{1-p}(n - k, k + 1)', () => {
    let cdf = 0;
    for (let k = 0; k <= 3; k++) cdf += binomialProbability(k, 10, 0.3);
    assertClose(regularizedIncompleteBeta(0.7, 7, 4), cdf, 1e-14);
  });

  test('betaQuantile inverts the CDF (Clopper-Pearson limits for 6 of 10)', () => {
    assertClose(betaQuantile(0.025, 6, 5), 0.26237807660694507, 1e-12);
    assertClose(betaQuantile(0.975, 7, 4), 0.8784477418801728, 1e-12);
    assert.equal(betaQuantile(0, 2, 2), 0);
    assert.equal(betaQuantile(1, 2, 2), 1);
  });
});

describe('normalQuantile', () => {
  test('matches tables to full precision', () => {
    assertClose(normalQuantile(0.975), 1.959963984540054, 1e-14);
    assertClose(normalQuantile(0.995), 2.5758293035489004, 1e-14);
    assertClose(normalQuantile(0.025), -1.959963984540054, 1e-14);
    assertClose(normalQuantile(1e-10), -6.361340902404056, 1e-12);
    assert.equal(normalQuantile(0.5), 0);
    assert.equal(normalQuantile(0), -Infinity);
    assert.equal(normalQuantile(1), Infinity);
    assert.throws(() => normalQuantile(1.5), RangeError);
  });
});

describe('gamma and chi-square quantiles', () => {
  test('match chi-square tables', () => {
    assertClose(chiSquareQuantile(0.975, 22), 36.78071208403556, 1e-9);
    assertRelClose(chiSquareQuantile(0.05, 1), 0.003932140000019522, 1e-9);
    // chi-square with 2 df is exponential with mean 2: quantile = -2 ln(1 - p)
    assertClose(chiSquareQuantile(0.9, 2), -2 * Math.log(0.1), 1e-12);
  });

  test('gammaQuantile inverts regularizedGammaP across shapes', () => {
    for (const shape of [0.5, 1, 3.5, 20, 500]) {
      for (const p of [1e-6, 0.025, 0.5, 0.975, 1 - 1e-9]) {
        assertClose(regularizedGammaP(shape, gammaQuantile(p, shape)), p, 1e-12);
      }
    }
    assert.equal(gammaQuantile(0, 3), 0);
    assert.equal(gammaQuantile(1, 3), Infinity);
  });
});

describe('binomialProbability', () => {
  test('matches the formula and handles the edges', () => {
    assertClose(binomialProbability(6, 10, 0.5), 210 / 1024, 1e-15);
    assertClose(binomialProbability(2, 5, 0.3), 10 * 0.09 * 0.343, 1e-15);
    assert.equal(binomialProbability(0, 5, 0), 1);
    assert.equal(binomialProbability(5, 5, 1), 1);
    assert.equal(binomialProbability(3, 5, 1), 0);
    assert.equal(binomialProbability(6, 5, 0.5), 0);
    assert.equal(binomialProbability(-1, 5, 0.5), 0);
    let total = 0;
    for (let k = 0; k <= 322; k++) total += binomialProbability(k, 322, 0.47);
    assertClose(total, 1, 1e-12);
  });
});
