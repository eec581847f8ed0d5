import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cumulativeTotal, describeTarget, meetsTarget, progressToTarget, resolveTarget, type Target } from '../../src/domain/targets.ts';
import { assertClose } from './helpers.ts';

describe('resolveTarget', () => {
  test("'reduce by 5% during 2009/10' on Rochford's 170 burglaries is at most 161.5", () => {
    const target: Target = { kind: 'percentage_change', direction: 'reduce', percent: 5, by: '2009/10' };
    assert.deepEqual(resolveTarget(target, { polarity: 'lower_is_better', baseline: 170 }), {
      threshold: 161.5,
      comparison: 'at_most',
    });
  });

  test("'increase by 22.5% by 2009/10' on Rutland's baseline of 71 is at least 86.975", () => {
    const target: Target = { kind: 'percentage_change', direction: 'increase', percent: 22.5, by: '2009/10' };
    const resolved = resolveTarget(target, { polarity: 'higher_is_better', baseline: 71 });
    // 71 x 1.225 = 86.975 exactly (plain 71 * 1.225 gives 86.97500000000001)
    assert.deepEqual(resolved, { threshold: 86.975, comparison: 'at_least' });
    assert.ok(resolved);
    assert.equal(meetsTarget(86, resolved), false);
    assert.equal(meetsTarget(87, resolved), true);
    assert.equal(meetsTarget(71 * 1.225, resolved), true);
  });

  test('ASB: reduce 2167 by 5% is 2058.65; a 100% reduction is zero; more than 100% is impossible', () => {
    const reduce = (percent: number, baseline: number) =>
      resolveTarget({ kind: 'percentage_change', direction: 'reduce', percent }, { polarity: 'lower_is_better', baseline });
    assert.equal(reduce(5, 2167)?.threshold, 2058.65);
    assert.equal(reduce(100, 40)?.threshold, 0);
    assert.equal(reduce(0, 40)?.threshold, 40);
    assert.throws(() => reduce(101, 40), RangeError);
    assert.throws(() => reduce(-5, 40), RangeError);
  });

  test('the change direction sets the comparison whatever the polarity says', () => {
    const increase: Target = { kind: 'percentage_change', direction: 'increase', percent: 5 };
    assert.equal(resolveTarget(increase, { polarity: 'lower_is_better', baseline: 100 })?.comparison, 'at_least');
    assert.equal(resolveTarget(increase, { polarity: 'monitor', baseline: 100 })?.threshold, 105);
  });

  test("amount change: 'reduce first time entrants by 3 (baseline 35)' is at most 32; percentage points work too", () => {
    assert.deepEqual(
      resolveTarget({ kind: 'amount_change', direction: 'reduce', amount: 3 }, { polarity: 'lower_is_better', baseline: 35 }),
      { threshold: 32, comparison: 'at_most' },
    );
    assert.deepEqual(
      resolveTarget({ kind: 'amount_change', direction: 'reduce', amount: 3.3 }, { polarity: 'lower_is_better', baseline: 12 }),
      { threshold: 8.7, comparison: 'at_most' }, // survey measure: 12% reduced by 3.3 points
    );
    assert.deepEqual(
      resolveTarget({ kind: 'amount_change', direction: 'increase', amount: 0.1 }, { polarity: 'higher_is_better', baseline: 0.2 }),
      { threshold: 0.3, comparison: 'at_least' }, // raw 0.2 + 0.1 is 0.30000000000000004
    );
    assert.throws(
      () => resolveTarget({ kind: 'amount_change', direction: 'reduce', amount: 36 }, { polarity: 'lower_is_better', baseline: 35 }),
      RangeError,
    );
  });

  test('absolute targets take their comparison from the polarity unless given', () => {
    const passPlus: Target = { kind: 'absolute', value: 40, by: '2010/11' };
    assert.deepEqual(resolveTarget(passPlus, { polarity: 'higher_is_better' }), { threshold: 40, comparison: 'at_least' });
    assert.deepEqual(resolveTarget(passPlus, { polarity: 'lower_is_better' }), { threshold: 40, comparison: 'at_most' });
    assert.equal(resolveTarget(passPlus, { polarity: 'monitor' }), null);
    assert.deepEqual(resolveTarget({ ...passPlus, comparison: 'at_most' }, { polarity: 'monitor' }), {
      threshold: 40,
      comparison: 'at_most',
    });
    assert.throws(() => resolveTarget({ kind: 'absolute', value: -1 }, { polarity: 'lower_is_better' }), RangeError);
  });

  test('rate targets become a count for the population', () => {
    const rate: Target = { kind: 'rate', rate: 17.5, per: 1000 };
    assert.deepEqual(resolveTarget(rate, { polarity: 'lower_is_better', population: 87_000 }), {
      threshold: 1522.5,
      comparison: 'at_most',
    });
    // Rotherham: "1900 per 100,000 population"
    assert.deepEqual(resolveTarget({ kind: 'rate', rate: 1900, per: 100_000 }, { polarity: 'lower_is_better', population: 28_000 }), {
      threshold: 532,
      comparison: 'at_most',
    });
    assert.throws(() => resolveTarget(rate, { polarity: 'lower_is_better' }), /population/);
    assert.throws(() => resolveTarget(rate, { polarity: 'lower_is_better', population: 0 }), RangeError);
    assert.equal(resolveTarget(rate, { polarity: 'monitor', population: 1000 }), null);
  });

  test("a cumulative limit ('no more than one between 2008 and 2011') is at most the maximum", () => {
    const limit: Target = { kind: 'cumulative_limit', maximum: 1, from: '2008-04', to: '2011-03' };
    assert.deepEqual(resolveTarget(limit, { polarity: 'lower_is_better' }), { threshold: 1, comparison: 'at_most' });
    assert.throws(
      () => resolveTarget({ kind: 'cumulative_limit', maximum: 1, from: '2011-03', to: '2008-04' }, { polarity: 'lower_is_better' }),
      RangeError,
    );
  });

  test('maintain means no worse than the baseline; to be agreed means nothing to assess', () => {
    assert.deepEqual(resolveTarget({ kind: 'maintain' }, { polarity: 'higher_is_better', baseline: 22.1 }), {
      threshold: 22.1,
      comparison: 'at_least',
    });
    assert.deepEqual(resolveTarget({ kind: 'maintain' }, { polarity: 'lower_is_better', baseline: 334 }), {
      threshold: 334,
      comparison: 'at_most',
    });
    assert.equal(resolveTarget({ kind: 'maintain' }, { polarity: 'monitor', baseline: 334 }), null);
    assert.equal(resolveTarget({ kind: 'to_be_agreed', note: 'Baseline: 334 2007/08' }, { polarity: 'lower_is_better' }), null);
  });

  test('targets measured from a baseline need one', () => {
    assert.throws(
      () => resolveTarget({ kind: 'percentage_change', direction: 'reduce', percent: 5 }, { polarity: 'lower_is_better' }),
      /percentage change target needs a baseline/,
    );
    assert.throws(() => resolveTarget({ kind: 'maintain' }, { polarity: 'lower_is_better' }), /baseline/);
    assert.throws(
      () => resolveTarget({ kind: 'amount_change', direction: 'reduce', amount: 1 }, { polarity: 'lower_is_better', baseline: -1 }),
      RangeError,
    );
  });
});

describe('meetsTarget', () => {
  test('on the threshold counts as met, either way round', () => {
    const atMost = { threshold: 161.5, comparison: 'at_most' } as const;
    assert.equal(meetsTarget(152, atMost), true);
    assert.equal(meetsTarget(161.5, atMost), true);
    assert.equal(meetsTarget(162, atMost), false);
    const atLeast = { threshold: 40, comparison: 'at_least' } as const;
    assert.equal(meetsTarget(40, atLeast), true);
    assert.equal(meetsTarget(39.9, atLeast), false);
    assert.equal(meetsTarget(0.1 + 0.2, { threshold: 0.3, comparison: 'at_most' }), true);
    assert.throws(() => meetsTarget(Number.NaN, atLeast), TypeError);
  });
});

describe('progressToTarget', () => {
  const burglary = { threshold: 161.5, comparison: 'at_most' } as const;

  test('Rochford burglary 170 -> 152 against 161.5 has gone 2.12 times the required distance', () => {
    assertClose(progressToTarget(170, 152, burglary), 18 / 8.5, 1e-12);
  });

  test('1 is exactly on target, 0 no movement, negative the wrong way', () => {
    assert.equal(progressToTarget(170, 161.5, burglary), 1);
    assert.equal(progressToTarget(170, 170, burglary), 0);
    assertClose(progressToTarget(170, 174.25, burglary), -0.5, 1e-12);
    assertClose(progressToTarget(71, 79, { threshold: 86.975, comparison: 'at_least' }), 8 / 15.975, 1e-12);
  });

  test('is null when the target asks for no change', () => {
    assert.equal(progressToTarget(334, 300, { threshold: 334, comparison: 'at_most' }), null);
  });
});

describe('cumulativeTotal', () => {
  test('sums a span and lists months with no figure', () => {
    const ksi = { '2008-04': 0, '2008-05': 1, '2010-02': 1, '2011-04': 5 };
    const total = cumulativeTotal(ksi, '2008-04', '2011-03');
    assert.equal(total.total, 2);
    assert.equal(total.months.length, 36);
    assert.equal(total.missingMonths.length, 33);
    assert.ok(!total.missingMonths.includes('2008-05'));
    assert.ok(total.missingMonths.includes('2008-06'));
  });
});

describe('describeTarget', () => {
  test('words every kind of target', () => {
    assert.equal(describeTarget({ kind: 'percentage_change', direction: 'reduce', percent: 5, by: '2009/10' }), 'Reduce by 5% by 2009/10');
    assert.equal(
      describeTarget({ kind: 'percentage_change', direction: 'increase', percent: 22.5, by: '2009/10' }),
      'Increase by 22.5% by 2009/10',
    );
    assert.equal(describeTarget({ kind: 'amount_change', direction: 'reduce', amount: 3 }), 'Reduce by 3');
    assert.equal(describeTarget({ kind: 'absolute', value: 4443, by: '2010-03' }), 'Reach 4,443 by March 2010');
    assert.equal(describeTarget({ kind: 'rate', rate: 17.5, per: 1000 }), '17.5 per 1,000 population');
    assert.equal(describeTarget({ kind: 'rate', rate: 1900, per: 100_000, by: '2010/11' }), '1,900 per 100,000 population by 2010/11');
    assert.equal(
      describeTarget({ kind: 'cumulative_limit', maximum: 1, from: '2008-04', to: '2011-03' }),
      'No more than 1 between April 2008 and March 2011',
    );
    assert.equal(describeTarget({ kind: 'maintain' }), 'Maintain (no worse than baseline)');
    assert.equal(describeTarget({ kind: 'to_be_agreed' }), 'To be agreed');
  });
});
