/**
 * Intervals of a period's figure by the Fingertips methods.
 *
 * Where the numbers come from:
 * - The rule (exact Poisson below 10 events, Byar's method from 10; Wilson score for proportions; 95% and 99.8%)
 *   is OHID's "Technical Guide: Confidence Intervals" (Fingertips, appendices 1-3) and PHEindicatormethods'
 *   phe_rate and phe_proportion.
 * - Byar's limits are the guide's formula (appendix 1: O(1 - 1/9O - z/3√O)³ and (O+1)(1 - 1/9(O+1) + z/3√(O+1))³),
 *   worked by hand with z = 1.959964 and 3.090232 and checked with SciPy; the exact limits are chi-square quantiles
 *   (appendix 2: χ²(α/2; 2O)/2 and χ²(1-α/2; 2O+2)/2), the published Poisson table values (10 events: 4.795 to
 *   18.390; 0 events: 0 to 3.689).
 * - The Wilson limits for 81 of 263, 15 of 148, 0 of 20 and 1 of 29 are Newcombe's worked examples (Statistics in
 *   Medicine 1998; 17: 857-872, table II, method 3): 0.2553-0.3662, 0.0624-0.1605, 0-0.1611, 0.0061-0.1718.
 * - 152 is Rochford's 2009/10 burglary count (the seed's executive summary).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFraction, countMethod, figureIntervals, type FigureIntervals } from '../../src/domain/figureIntervals.ts';
import { assertClose } from './helpers.ts';

function applicable(r: FigureIntervals) {
  assert.equal(r.applicable, true, r.applicable ? '' : r.reason);
  return r;
}

describe('figureIntervals: counts', () => {
  test("152 burglaries: Byar's method at 95% and 99.8%", () => {
    const r = applicable(figureIntervals({ unit: 'count', value: 152 }));
    assert.equal(r.method, "Byar's");
    assertClose(r.ci95.lower, 128.7951, 1e-3);
    assertClose(r.ci95.upper, 178.1772, 1e-3);
    assertClose(r.ci998.lower, 116.7158, 1e-3);
    assertClose(r.ci998.upper, 194.1047, 1e-3);
    assert.equal(r.ratePer1000, null);
  });

  test('10 is the first count given by Byar, 9 the last given exactly (Fingertips: exact for numerators under 10)', () => {
    assert.equal(countMethod(9), 'exact Poisson');
    assert.equal(countMethod(10), "Byar's");
    const nine = applicable(figureIntervals({ unit: 'count', value: 9 }));
    assertClose(nine.ci95.lower, 4.1154, 1e-3);
    assertClose(nine.ci95.upper, 17.0848, 1e-3);
    assertClose(nine.ci998.lower, 2.4524, 1e-3);
    assertClose(nine.ci998.upper, 22.6574, 1e-3);
    const ten = applicable(figureIntervals({ unit: 'count', value: 10 }));
    assertClose(ten.ci95.lower, 4.7874, 1e-3);
    assertClose(ten.ci95.upper, 18.3915, 1e-3);
    // The guide: at 95% Byar's is within 0.2% of the exact interval (4.795 to 18.390) from 10 events up.
    assert.ok(Math.abs(ten.ci95.lower - 4.7954) / 4.7954 < 0.002);
  });

  test('0 events: 0 to 3.689 at 95%, 0 to 6.908 at 99.8%', () => {
    const r = applicable(figureIntervals({ unit: 'count', value: 0 }));
    assert.equal(r.method, 'exact Poisson');
    assert.equal(r.ci95.lower, 0);
    assertClose(r.ci95.upper, 3.6889, 1e-3);
    assertClose(r.ci998.upper, 6.9078, 1e-3);
  });

  test("a count with the partnership's population also gets its rate per 1,000's interval", () => {
    const r = applicable(figureIntervals({ unit: 'count', value: 152, population: 80000 }));
    assertClose(r.ratePer1000!.ci95.lower, 128.7951 / 80, 1e-4);
    assertClose(r.ratePer1000!.ci998.upper, 194.1047 / 80, 1e-4);
  });

  test('a count that is not whole, or below 0, has none, with the reason', () => {
    for (const value of [2.5, -3]) {
      const r = figureIntervals({ unit: 'count', value });
      assert.equal(r.applicable, false);
      assert.match((r as { reason: string }).reason, /whole-number counts/);
    }
  });
});

describe('figureIntervals: rates', () => {
  test("a rate per 1,000 is the count's interval over the population: 1.9 per 1,000 of 80,000 is 152 events", () => {
    const r = applicable(figureIntervals({ unit: 'rate_per_1000', value: 1.9, population: 80000 }));
    assert.equal(r.method, "Byar's");
    assert.match(r.basis, /152 events in a population of 80,000/);
    assertClose(r.ci95.lower, 1.60994, 1e-4);
    assertClose(r.ci95.upper, 2.22722, 1e-4);
  });

  test('a rate per 100,000 from 3 events is given exactly', () => {
    const r = applicable(figureIntervals({ unit: 'rate_per_100000', value: 3.75, population: 80000 }));
    assert.equal(r.method, 'exact Poisson');
    assertClose(r.ci95.lower, (0.61867 * 100000) / 80000, 1e-3);
    assertClose(r.ci998.upper, (13.06224 * 100000) / 80000, 1e-3);
  });

  test('without a population there is none, naming the year', () => {
    const r = figureIntervals({ unit: 'rate_per_1000', value: 1.9, population: null, populationYear: '2019/20' });
    assert.deepEqual(r, {
      applicable: false,
      reason: "A rate's interval needs the population it was worked out on, and there is none for 2019/20",
    });
  });
});

describe('figureIntervals: percentages (Wilson score)', () => {
  const cases: [number, number, number, number][] = [
    [81, 263, 25.53, 36.62],
    [15, 148, 6.24, 16.05],
    [0, 20, 0, 16.11],
    [1, 29, 0.61, 17.18],
  ];
  for (const [successes, n, lower, upper] of cases)
    test(`${successes} of ${n}: ${lower}% to ${upper}% at 95% (Newcombe 1998)`, () => {
      const r = applicable(figureIntervals({ unit: 'percentage', value: (successes / n) * 100, denominator: n }));
      assert.equal(r.method, 'Wilson score');
      assertClose(r.ci95.lower, lower, 0.01);
      assertClose(r.ci95.upper, upper, 0.01);
    });

  test('99.8% for 81 of 263 is 22.80% to 40.14%', () => {
    const r = applicable(figureIntervals({ unit: 'percentage', value: (81 / 263) * 100, denominator: 263 }));
    assertClose(r.ci998.lower, 22.8036, 1e-3);
    assertClose(r.ci998.upper, 40.1389, 1e-3);
  });

  test('without a denominator there is none', () => {
    const r = figureIntervals({ unit: 'percentage', value: 30.8 });
    assert.equal(r.applicable, false);
    assert.match((r as { reason: string }).reason, /denominator/);
  });
});

describe('figureIntervals: not applicable', () => {
  test('money, scores and missing figures say why', () => {
    assert.match((figureIntervals({ unit: 'money', value: 1200 }) as { reason: string }).reason, /Money is not a count/);
    assert.match((figureIntervals({ unit: 'score', value: -4 }) as { reason: string }).reason, /score is not a count/);
    assert.deepEqual(figureIntervals({ unit: 'count', value: null }), { applicable: false, reason: 'No figure for this period' });
  });
});

describe('figureIntervals: recorded numerator and denominator', () => {
  test('a percentage rounded to 31% still uses 81 of 263 for its Wilson interval (Newcombe 1998)', () => {
    const r = applicable(figureIntervals({ unit: 'percentage', value: 31, numerator: 81, denominator: 263 }));
    assert.equal(r.basis, 'the percentage, 81 of 263');
    assertClose(r.ci95.lower, 25.53, 0.01);
    assertClose(r.ci95.upper, 36.62, 0.01);
  });

  test("a rate's recorded population is used before the partnership's: 152 in 87,000 per 1,000", () => {
    // 152 burglaries (Rochford 2009/10) over 87,000 people: 1.747 per 1,000; Byar's 95% limits of 152 (above) scaled.
    const r = applicable(figureIntervals({ unit: 'rate_per_1000', value: 1.75, population: 50_000, numerator: 152, denominator: 87_000 }));
    assert.equal(r.method, "Byar's");
    assertClose(r.ci95.lower, (128.7951 * 1000) / 87_000, 1e-4);
  });
});

describe('checkFraction (decision 0041)', () => {
  test('a blank value is worked out to 2 decimal places: 81 of 263 is 30.80%', () => {
    assert.deepEqual(checkFraction('percentage', undefined, 81, 263), { value: 30.8, numerator: 81, denominator: 263 });
  });
  test('a value given agrees to its own decimal places: 30.8 and 31 pass, 32 does not', () => {
    assert.equal((checkFraction('percentage', 30.8, 81, 263) as { value: number }).value, 30.8);
    assert.equal((checkFraction('percentage', 31, 81, 263) as { value: number }).value, 31);
    const wrong = checkFraction('percentage', 32, 81, 263) as { problems: { column: string; message: string }[] };
    assert.equal(wrong.problems[0]!.column, 'value');
    assert.match(wrong.problems[0]!.message, /does not agree with 81 of 263, which gives 30.8/);
  });
  test('a rate per 1,000: 152 in a population of 87,000 is 1.75', () => {
    assert.deepEqual(checkFraction('rate_per_1000', undefined, 152, 87_000), { value: 1.75, numerator: 152, denominator: 87_000 });
  });
  test('the denominator above 0, the numerator not above it for a percentage, both or neither, only for percentages and rates', () => {
    const problems = (r: ReturnType<typeof checkFraction>) => ('problems' in r ? r.problems.map((p) => p.column) : []);
    assert.deepEqual(problems(checkFraction('percentage', undefined, 3, 0)), ['denominator']);
    assert.deepEqual(problems(checkFraction('percentage', undefined, 300, 263)), ['numerator']);
    assert.deepEqual(problems(checkFraction('percentage', undefined, 2.5, 263)), ['numerator']);
    assert.deepEqual(problems(checkFraction('percentage', 30, 81, undefined)), ['denominator']);
    assert.deepEqual(problems(checkFraction('count', 30, 81, 100)), ['numerator']);
    // A rate's numerator may be larger than nothing in particular: 300 events in 263 people is 1,140.68 per 1,000.
    assert.deepEqual(problems(checkFraction('rate_per_1000', undefined, 300, 263)), []);
    assert.deepEqual(checkFraction('percentage', 30, undefined, undefined), { value: 30, numerator: null, denominator: null });
  });
});
