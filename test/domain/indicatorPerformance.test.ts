import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  calculateIndicator,
  resolvedTargetOf,
  yearEndProjection,
  type IndicatorDefinition,
  type IndicatorInputs,
  type Target,
} from '../../src/domain/index.ts';

const reduceBy5: Target = { kind: 'percentage_change', direction: 'reduce', percent: 5, by: '2009/10' };

function definition(overrides: Partial<IndicatorDefinition> = {}): IndicatorDefinition {
  return { unit: 'count', polarity: 'lower_is_better', baseline: null, targets: [], ...overrides };
}

function inputs(overrides: Partial<IndicatorInputs> = {}): IndicatorInputs {
  return { definition: definition(), figures: [], overrides: [], populations: [], tolerance: 5, ...overrides };
}

const target = (t: Target, text = 'the target') => ({ byPeriod: null, target: t, text });

describe('calculateIndicator: worked figures', () => {
  // Rochford 2008-11: domestic burglary 170 in 2008/09 (the baseline), 152 in 2009/10, target "reduce by 5%" = 161.5.
  const rochford = inputs({
    definition: definition({ baseline: { period: '2008/09', value: 170 }, targets: [target(reduceBy5, 'Reduce by 5%')] }),
    figures: [
      { period: '2008/09', value: 170 },
      { period: '2009/10', value: 152 },
    ],
    populations: [{ year: 2009, population: 81_000 }],
  });

  test("Rochford's burglary: -10.6% on last year, green against 161.5, with no reasons for the figures it has", () => {
    const r = calculateIndicator(rochford);
    const latest = r.latest!;
    assert.equal(latest.period, '2009/10');
    assert.equal(latest.percentChange, -10.6);
    assert.equal(latest.change, -18);
    assert.deepEqual(latest.target, { text: 'Reduce by 5%', threshold: 161.5, comparison: 'at_most' });
    assert.equal(latest.rag, 'green');
    assert.equal(latest.direction, 'improving');
    assert.equal(latest.significance?.label, 'not statistically significant');
    assert.ok(Math.abs(latest.progress! - 2.1176) < 0.001);
    assert.equal(latest.reasons.percentChange, undefined);
    assert.equal(latest.reasons.rag, undefined);
    assert.equal(r.problems.length, 0);
  });

  test('the first year has no figure for the year before, and says so for each figure that needs it', () => {
    const first = calculateIndicator(rochford).periods[0]!;
    assert.equal(first.lastYear, null);
    assert.equal(first.reasons.lastYear, 'No figure for 2007/08');
    assert.equal(first.percentChange, null);
    assert.equal(first.reasons.percentChange, 'No figure for 2007/08');
    assert.equal(first.reasons.direction, 'No figure for 2007/08');
    assert.equal(first.reasons.significance, 'No figure for 2007/08');
    assert.equal(first.reasons.previousValue, 'No figure for 2007/08');
  });

  test('a latestOnly view works out only the latest period and no XmR view', () => {
    const r = calculateIndicator(rochford, { latestOnly: true });
    assert.equal(r.periods.length, 1);
    assert.equal(r.xmr, null);
    assert.equal(r.xmrReason, null);
  });
});

describe('calculateIndicator: a figure that cannot be worked out carries its reason', () => {
  test('last year of 0: no percentage change, because a change from nothing has none', () => {
    const r = calculateIndicator(
      inputs({
        figures: [
          { period: '2008/09', value: 0 },
          { period: '2009/10', value: 4 },
        ],
      }),
    );
    assert.equal(r.latest!.change, 4);
    assert.equal(r.latest!.percentChange, null);
    assert.equal(r.latest!.reasons.percentChange, 'The same period last year was 0, so there is no percentage change');
  });

  test('a baseline of 0: no percentage change from the baseline', () => {
    const r = calculateIndicator(
      inputs({ definition: definition({ baseline: { period: '2008/09', value: 0 } }), figures: [{ period: '2009/10', value: 3 }] }),
    );
    assert.equal(r.latest!.percentChangeFromBaseline, null);
    assert.equal(r.latest!.reasons.percentChangeFromBaseline, 'The baseline was 0, so there is no percentage change');
  });

  test('no target: no RAG, and the reason is given for both', () => {
    const r = calculateIndicator(inputs({ figures: [{ period: '2009/10', value: 3 }] }));
    assert.equal(r.latest!.rag, null);
    assert.equal(r.latest!.reasons.target, 'No target set');
    assert.equal(r.latest!.reasons.rag, 'No target set');
  });

  test('a change target without a baseline cannot be resolved', () => {
    const r = calculateIndicator(
      inputs({ definition: definition({ targets: [target(reduceBy5)] }), figures: [{ period: '2009/10', value: 3 }] }),
    );
    assert.equal(r.latest!.target, null);
    assert.equal(r.latest!.targetText, 'the target');
    assert.equal(r.latest!.reasons.rag, 'The target is a change from the baseline, and there is no baseline');
    assert.equal(r.latest!.reasons.progress, 'The target is a change from the baseline, and there is no baseline');
  });

  test('a rate target without the population of the year', () => {
    const rate: Target = { kind: 'rate', rate: 17.5, per: 1000 };
    const r = calculateIndicator(
      inputs({ definition: definition({ targets: [target(rate)] }), figures: [{ period: '2019-04', value: 300 }] }),
    );
    assert.equal(r.latest!.reasons.target, 'The target is a rate, and there is no population for 2019/20 to turn it into a count');
    assert.equal(r.latest!.ratePer1000, null);
    assert.equal(r.latest!.reasons.ratePer1000, 'No population for 2019/20');
  });

  test('a monitor-only indicator and a target to be agreed are not assessed', () => {
    const monitor = calculateIndicator(
      inputs({
        definition: definition({ polarity: 'monitor', targets: [target({ kind: 'absolute', value: 4 })] }),
        figures: [{ period: '2009/10', value: 3 }],
      }),
    );
    assert.equal(monitor.latest!.reasons.rag, 'Monitored only: no target is assessed');
    const tba = calculateIndicator(
      inputs({ definition: definition({ targets: [target({ kind: 'to_be_agreed' })] }), figures: [{ period: '2009/10', value: 3 }] }),
    );
    assert.equal(tba.latest!.reasons.rag, 'The target is to be agreed');
  });

  test('a reduction of more than everything, or below zero, is refused with the numbers', () => {
    const context = { polarity: 'lower_is_better' as const, baseline: 40, population: null, populationYear: '2009/10' };
    assert.deepEqual(resolvedTargetOf({ kind: 'percentage_change', direction: 'reduce', percent: 120 }, context), {
      value: null,
      reason: 'The target asks for a reduction of 120%, more than everything',
    });
    assert.deepEqual(resolvedTargetOf({ kind: 'amount_change', direction: 'reduce', amount: 50 }, context), {
      value: null,
      reason: 'The target asks for a reduction of 50 from a baseline of 40, below zero',
    });
    assert.deepEqual(resolvedTargetOf({ kind: 'absolute', value: Number.NaN }, context), {
      value: null,
      reason: 'The stored target, NaN, cannot be used: it is not a number. Enter the target again',
    });
    assert.deepEqual(resolvedTargetOf({ kind: 'percentage_change', direction: 'reduce', percent: 5 }, context), {
      value: { threshold: 38, comparison: 'at_most' },
      reason: null,
    });
  });

  test('a cumulative limit whose span holds no figure yet: nothing to compare, and why', () => {
    // Rutland: no more than one child killed or seriously injured between 2008 and 2011.
    const limit: Target = { kind: 'cumulative_limit', maximum: 1, from: '2008-04', to: '2011-03' };
    const r = calculateIndicator(
      inputs({
        definition: definition({ targets: [target(limit)] }),
        figures: [
          { period: '2007-04', value: 0 },
          { period: '2008-04', value: 1 },
          { period: '2008-05', value: 1 },
        ],
      }),
    );
    const [before, first, second] = r.periods;
    assert.equal(before!.assessed, null);
    assert.equal(before!.rag, null);
    assert.equal(before!.reasons.rag, "No figure yet within the target's span, April 2008 to March 2011");
    assert.equal(first!.assessedAs, 'span_total');
    assert.equal(first!.rag, 'green');
    assert.equal(second!.assessed, 2);
    assert.equal(second!.rag, 'red');
  });

  test('earlier years of nothing give no seasonal projection; the value is assessed instead', () => {
    const zeros = Array.from({ length: 12 }, () => 0);
    const r = yearEndProjection([5], { periodsPerYear: 12, earlierYears: [zeros], target: null, unit: 'count' });
    assert.deepEqual(r, {
      value: null,
      reason: 'The earlier years total zero, so they give no seasonal profile to project the year end from',
    });
    const straight = yearEndProjection([5], { periodsPerYear: 12, earlierYears: [], target: null, unit: 'count' });
    assert.equal(straight.value?.projected, 60);
  });

  test('a seasonal projection where earlier years had nothing in the months so far', () => {
    const earlier = [[0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]];
    const r = yearEndProjection([2, 3], { periodsPerYear: 12, earlierYears: earlier, target: null, unit: 'count' });
    assert.equal(r.reason, 'The earlier years had nothing in these periods, so the year end cannot be projected');
  });

  test('one figure gives no XmR chart, and says why', () => {
    const r = calculateIndicator(inputs({ figures: [{ period: '2009/10', value: 3 }] }));
    assert.equal(r.xmr, null);
    assert.equal(r.xmrReason, 'An XmR chart needs at least two figures');
  });

  test('a maintain target asks for no change, so progress is not measured', () => {
    const r = calculateIndicator(
      inputs({
        definition: definition({ baseline: { period: '2008/09', value: 10 }, targets: [target({ kind: 'maintain' })] }),
        figures: [{ period: '2009/10', value: 9 }],
      }),
    );
    assert.equal(r.latest!.rag, 'green');
    assert.equal(r.latest!.progress, null);
    assert.equal(r.latest!.reasons.progress, 'The target asks for no change from the baseline, so progress is not measured');
  });

  test('counts that are not whole numbers are not tested for significance', () => {
    const r = calculateIndicator(
      inputs({
        figures: [
          { period: '2008/09', value: 10.5 },
          { period: '2009/10', value: 9 },
        ],
      }),
    );
    assert.equal(r.latest!.significance, null);
    assert.equal(r.latest!.reasons.significance, 'Significance is tested for whole-number counts only');
  });

  test('a stored figure that cannot be used is left out and named; no rule RAG while it is', () => {
    const r = calculateIndicator(
      inputs({
        definition: definition({ targets: [target({ kind: 'absolute', value: 4 })] }),
        figures: [
          { period: '2008/09', value: Number.POSITIVE_INFINITY },
          { period: '2009/10', value: 3 },
          { period: 'someday', value: 1 },
        ],
      }),
    );
    assert.equal(r.periods.length, 1);
    assert.equal(r.problems.length, 2);
    assert.match(r.problems[0]!, /^The stored figure for 2008\/09, Infinity, cannot be used/);
    assert.match(r.problems[1]!, /"someday", which is not a period/);
    assert.equal(r.latest!.ruleRag, null);
    assert.equal(r.latest!.reasons.rag, 'No RAG by rule while stored figures of this indicator cannot be used');
  });

  test('an override still shows, and no reason is given for its RAG', () => {
    const r = calculateIndicator(
      inputs({
        figures: [{ period: '2009/10', value: 3 }],
        overrides: [{ period: '2009/10', rag: 'amber', reason: 'Partial data', created_by: 'Jo', removed_at: null }],
      }),
    );
    assert.equal(r.latest!.rag, 'amber');
    assert.equal(r.latest!.overridden, true);
    assert.equal(r.latest!.reasons.rag, undefined);
  });
});

describe('calculateIndicator: a programming error throws instead of becoming "no figure"', () => {
  test('a negative amber tolerance is refused by the RAG rule', () => {
    const bad = inputs({
      definition: definition({ targets: [target({ kind: 'absolute', value: 4 })] }),
      figures: [{ period: '2009/10', value: 3 }],
      tolerance: -5,
    });
    assert.throws(() => calculateIndicator(bad), RangeError);
  });
});

describe('calculateIndicator: signed values (issue 16)', () => {
  test('a net score below zero is used: change and direction, no % change (with its reason), no interval', () => {
    const r = calculateIndicator(
      inputs({
        definition: definition({ unit: 'score', polarity: 'higher_is_better', baseline: { period: '2018/19', value: -6 } }),
        figures: [
          { period: '2018/19', value: -6 },
          { period: '2019/20', value: 2.5 },
        ],
      }),
    );
    assert.deepEqual(r.problems, []);
    const latest = r.latest!;
    assert.equal(latest.change, 8.5);
    assert.equal(latest.direction, 'improving');
    assert.equal(latest.percentChange, null);
    assert.equal(latest.reasons.percentChange, 'A percentage change is not worked out for figures below zero');
    assert.equal(latest.changeFromBaseline, 8.5);
    assert.equal(latest.intervals.applicable, false);
  });

  test('a monthly balance below zero is not projected to the year end, and says why', () => {
    const r = calculateIndicator(
      inputs({
        definition: definition({ unit: 'money', polarity: 'higher_is_better' }),
        figures: [
          { period: '2019-04', value: 1000 },
          { period: '2019-05', value: -250.5 },
        ],
      }),
    );
    assert.deepEqual(r.problems, []);
    assert.equal(r.latest!.projection, null);
    assert.equal(r.latest!.reasons.projection, 'The year end is not projected from figures below zero');
    assert.equal(r.latest!.yearToDate, 749.5);
  });

  test('a count below zero stays a problem, left out of the calculations', () => {
    const r = calculateIndicator(inputs({ figures: [{ period: '2019/20', value: -3 }] }));
    assert.match(r.problems[0]!, /cannot be used: it is below zero: counts, rates and percentages are 0 or more/);
    assert.equal(r.periods.length, 0);
  });
});

describe('calculateIndicator: targets below zero for signed units (issue 16)', () => {
  // Worked by hand: the amber band is the tolerance (5%) of the target's size, |-2| x 5% = 0.1, on the side that
  // misses it. A net perception score (higher is better) with the target "reach -2" (at least -2).
  const reach = (value: number): Target => ({ kind: 'absolute', value, by: '2019/20' });
  const score = (figure: number) =>
    calculateIndicator(
      inputs({
        definition: definition({ unit: 'score', polarity: 'higher_is_better', targets: [target(reach(-2), 'Reach -2')] }),
        figures: [{ period: '2019/20', value: figure }],
      }),
    ).latest!;

  test('reach -2: -1 is green, -2.05 amber (band down to -2.1), -3 red', () => {
    assert.deepEqual(score(-1).target, { text: 'Reach -2', threshold: -2, comparison: 'at_least' });
    assert.equal(score(-1).rag, 'green');
    assert.equal(score(-2).rag, 'green');
    assert.equal(score(-2.05).rag, 'amber');
    assert.equal(score(-3).rag, 'red');
    assert.equal(score(-3).reasons.rag, undefined);
  });

  test('a count keeps its targets at 0 or more: a stored target of -2 cannot be used, and says so', () => {
    const r = calculateIndicator(
      inputs({ definition: definition({ targets: [target(reach(-2))] }), figures: [{ period: '2019/20', value: 3 }] }),
    ).latest!;
    assert.equal(r.rag, null);
    assert.match(r.reasons.rag!, /The stored target, -2, cannot be used: it is below zero/);
  });

  // A net budget (money, lower is better: a cost) with a baseline of -200 (a surplus) and "reduce by £500": at most
  // -700. The band is 5% of 700 = 35, so up to -665 is amber.
  const money = (figure: number, t: Target = { kind: 'amount_change', direction: 'reduce', amount: 500, by: '2019/20' }) =>
    calculateIndicator(
      inputs({
        definition: definition({
          unit: 'money',
          polarity: 'lower_is_better',
          baseline: { period: '2018/19', value: -200 },
          targets: [target(t, 'the target')],
        }),
        figures: [{ period: '2019/20', value: figure }],
      }),
    ).latest!;

  test('reduce -200 by 500: at most -700; -800 green, -690 amber, -600 red; progress measured from the baseline', () => {
    assert.equal(money(-800).target!.threshold, -700);
    assert.equal(money(-800).rag, 'green');
    assert.equal(money(-690).rag, 'amber');
    assert.equal(money(-600).rag, 'red');
    // (-600 - -200) / (-700 - -200) = 0.8 of the way.
    assert.equal(money(-600).progress, 0.8);
  });

  test('maintain a baseline below zero is judged; a percentage of it is not, and says why', () => {
    assert.equal(money(-250, { kind: 'maintain', by: '2019/20' }).rag, 'green');
    assert.equal(money(-150, { kind: 'maintain', by: '2019/20' }).rag, 'red');
    const pct = money(-250, { kind: 'percentage_change', direction: 'reduce', percent: 10, by: '2019/20' });
    assert.equal(pct.rag, null);
    assert.match(pct.reasons.rag!, /percentage of a baseline below zero is not worked out/);
  });

  test('a quarterly balance with the annual target -1,200 profiled evenly: -700 by Q2 against -600 due is red (band to -630)', () => {
    const r = calculateIndicator(
      inputs({
        definition: definition({
          unit: 'money',
          polarity: 'higher_is_better',
          targets: [{ byPeriod: '2019/20', target: reach(-1200), text: 'Reach -£1,200' }],
          trajectory: { profile: 'even' },
        }),
        figures: [
          { period: '2019-20 Q1', value: -300 },
          { period: '2019-20 Q2', value: -400 },
        ],
      }),
    ).latest!;
    const t = r.trajectory!;
    assert.equal(t.toDate, -600);
    assert.equal(t.yearToDate, -700);
    assert.equal(t.rag, 'red');
    // No chance of meeting the target is given: that is worked out for counts of events only.
    assert.equal(r.projection, null);
  });
});
