/**
 * Year to date against last year's year to date.
 *
 * Where the numbers come from: Rochford CSP's 2009/10 executive summary (the seed document) publishes "Year to
 * Date (April 08 - March 09)" and "(April 09 - March 10)" with the % change: domestic burglary 170 and 152,
 * 10.6% (18 offences); all crime 2,802 and 2,650, 5.4% (152 offences). The quarters below are split so that they add
 * up to those years (the split is ours; the totals are Rochford's). The p-value 0.343 for 170 -> 152 is R's
 * binom.test(152, 322), as in significance.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareYearToDate, yearToDatePeriods } from '../../src/domain/yearToDate.ts';
import { quarterSummary } from '../../src/domain/quarterSummary.ts';
import { compareProportions, verdictOf } from '../../src/domain/significance.ts';
import { assertClose } from './helpers.ts';

const burglary = new Map([
  ['2008-09 Q1', 40],
  ['2008-09 Q2', 45],
  ['2008-09 Q3', 50],
  ['2008-09 Q4', 35],
  ['2009-10 Q1', 38],
  ['2009-10 Q2', 41],
  ['2009-10 Q3', 40],
  ['2009-10 Q4', 33],
]);

const base = { additive: true, count: true, polarity: 'lower_is_better' as const, values: burglary };

describe('compareYearToDate', () => {
  test("Rochford's domestic burglary, April to March: 170 to 152, -18, -10.6%, not statistically significant", () => {
    const r = compareYearToDate({ ...base, period: '2009-10 Q4' });
    assert.ok(r.value, r.reason ?? '');
    assert.deepEqual(r.value.periods, ['2009-10 Q1', '2009-10 Q2', '2009-10 Q3', '2009-10 Q4']);
    assert.equal(r.value.lastYear, 170);
    assert.equal(r.value.current, 152);
    assert.equal(r.value.change, -18);
    assert.equal(r.value.percentChange, -10.6);
    assert.equal(r.value.direction, 'improving');
    assert.equal(r.value.significance?.significant, false);
    assertClose(r.value.significance?.pValue, 0.343, 0.001);
  });

  test('part of the year: April to September against the same months a year before', () => {
    const r = compareYearToDate({ ...base, period: '2009-10 Q2' });
    assert.equal(r.value?.lastYear, 85);
    assert.equal(r.value?.current, 79);
    assert.equal(r.value?.percentChange, -7.1);
  });

  test('all crime, monthly: 2,802 to 2,650 is -5.4%, and 152 fewer is statistically significant', () => {
    const values = new Map<string, number>();
    // Twelve months each year adding up to Rochford's totals (233 or 234 a month, then 220 or 221).
    for (let m = 0; m < 12; m++) {
      const before = m < 6 ? 234 : 233;
      const now = m < 10 ? 221 : 220;
      const month = (y: number) => `${m < 9 ? y : y + 1}-${String(((m + 3) % 12) + 1).padStart(2, '0')}`;
      values.set(month(2008), before);
      values.set(month(2009), now);
    }
    const r = compareYearToDate({ ...base, values, period: '2010-03' });
    assert.equal(r.value?.lastYear, 2802);
    assert.equal(r.value?.current, 2650);
    assert.equal(r.value?.percentChange, -5.4);
    assert.equal(r.value?.significance?.significant, true);
    assert.equal(r.value?.periods.length, 12);
  });

  test('a missing period is named; money has no significance; rates and annual figures have no year to date', () => {
    const gap = new Map(burglary);
    gap.delete('2008-09 Q2');
    assert.equal(
      compareYearToDate({ ...base, values: gap, period: '2009-10 Q3' }).reason,
      'No figure for Q2 2008/09, so no year to date for last year',
    );
    const money = compareYearToDate({
      ...base,
      count: false,
      values: new Map([
        ['2009-04', 10.5],
        ['2010-04', 12],
      ]),
      period: '2010-04',
    });
    assert.equal(money.value?.significance, null);
    assert.equal(money.value?.change, 1.5);
    assert.match(compareYearToDate({ ...base, additive: false, period: '2009-10 Q4' }).reason!, /add up/);
    assert.match(compareYearToDate({ ...base, period: '2009/10' }).reason!, /monthly and quarterly/);
  });

  test('a net change below zero has a change but no percentage change', () => {
    const r = compareYearToDate({
      ...base,
      count: false,
      values: new Map([
        ['2009-04', -4],
        ['2010-04', 6],
      ]),
      period: '2010-04',
    });
    assert.equal(r.value?.change, 10);
    assert.equal(r.value?.percentChange, null);
  });

  test('yearToDatePeriods: months from April, quarters from Q1', () => {
    assert.deepEqual(yearToDatePeriods('2019-06'), ['2019-04', '2019-05', '2019-06']);
    assert.deepEqual(yearToDatePeriods('2019-20 Q2'), ['2019-20 Q1', '2019-20 Q2']);
  });

  test("the Board pack's summary table gives the same year to date, change and significance", () => {
    const s = quarterSummary({
      frequency: 'quarterly',
      additive: true,
      count: true,
      polarity: 'lower_is_better',
      values: burglary,
      quarter: '2009-10 Q4',
      baseline: null,
      projectedYearEnd: null,
    });
    const r = compareYearToDate({ ...base, period: '2009-10 Q4' }).value!;
    assert.equal(s.comparedOn, 'year to date');
    assert.equal(s.yearToDate, r.current);
    assert.equal(s.yearToDateLastYear, r.lastYear);
    assert.equal(s.change, r.change);
    assert.equal(s.percentChange, r.percentChange);
    assert.deepEqual(s.significance, r.significance);
    assert.equal(s.significance?.test, 'exact conditional binomial test (ratio of two Poisson counts)');
  });

  test("a quarterly percentage in the Board pack's summary takes the indicator's own test of the period", () => {
    // 81 of 263 a year before, 60 of 250 now: the pooled z-test (see significance.test.ts), p = 0.0847.
    const verdict = verdictOf(compareProportions({ numerator: 81, denominator: 263 }, { numerator: 60, denominator: 250 }));
    const input = {
      frequency: 'quarterly' as const,
      additive: false,
      count: false,
      polarity: 'higher_is_better' as const,
      values: new Map([
        ['2018-19 Q4', 30.8],
        ['2019-20 Q4', 24],
      ]),
      quarter: '2019-20 Q4',
      baseline: null,
      projectedYearEnd: null,
    };
    const s = quarterSummary({ ...input, periodSignificance: verdict });
    assert.equal(s.comparedOn, 'period');
    assert.deepEqual(s.significance, verdict);
    assert.equal(quarterSummary(input).significance, null);
  });
});
