import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  calculateIndicator,
  customProfileProblem,
  judgeTrajectory,
  shareToDate,
  trajectoryShares,
  type IndicatorDefinition,
  type IndicatorInputs,
  type Target,
} from '../../src/domain/index.ts';

// The worked examples build on Rochford's published burglary target (the shared seed plan, 2008-11): a baseline
// of 170 in 2008/09 and "reduce by 5% during 2009/10", so the annual target is at most 170 x 0.95 = 161.5.
const ANNUAL = { threshold: 161.5, comparison: 'at_most' as const };
const reduceBy5: Target = { kind: 'percentage_change', direction: 'reduce', percent: 5, by: '2009/10' };

describe('trajectoryShares and shareToDate', () => {
  test('even: a quarter each quarter, a twelfth each month', () => {
    const q = trajectoryShares({ profile: 'even' }, 4);
    assert.ok('shares' in q);
    assert.deepEqual(q.shares, [0.25, 0.25, 0.25, 0.25]);
    const m = trajectoryShares({ profile: 'even' }, 12);
    assert.ok('shares' in m);
    assert.equal(shareToDate(m.shares, 5), 0.5); // April to September is half the year
  });

  test("custom: the partnership's own percentages, which must be one per period and add to 100", () => {
    const q = trajectoryShares({ profile: 'custom', custom: [20, 25, 30, 25] }, 4);
    assert.ok('shares' in q);
    assert.equal(shareToDate(q.shares, 2), 0.75); // 20 + 25 + 30 = 75% of the year by the end of Q3
    assert.equal(customProfileProblem([20, 25, 30], 4), 'needs 4 percentages, one for each quarter of the year (got 3)');
    assert.equal(customProfileProblem([20, 25, 30, 20], 4), 'adds up to 95%, not 100%');
    assert.equal(customProfileProblem([-5, 35, 45, 25], 4), 'has a percentage below zero or not a number');
    // Twelve shares of 8.33 add to 99.96: close enough to 100 to be what people type for "even by hand".
    assert.equal(
      customProfileProblem(
        Array.from({ length: 12 }, () => 8.33),
        12,
      ),
      null,
    );
    const wrong = trajectoryShares({ profile: 'custom', custom: [50, 50] }, 4);
    assert.ok('reason' in wrong);
    assert.match(wrong.reason, /needs 4 percentages/);
  });

  test('seasonal: the shape of the earlier complete years, summed period by period', () => {
    // Two earlier years: 50,40,40,40 and 30,50,30,60 -> by quarter 80,90,70,100 of 340.
    const s = trajectoryShares({ profile: 'seasonal' }, 4, [
      [50, 40, 40, 40],
      [30, 50, 30, 60],
    ]);
    assert.ok('shares' in s);
    assert.deepEqual(
      s.shares.map((x) => x * 340),
      [80, 90, 70, 100],
    );
    const none = trajectoryShares({ profile: 'seasonal' }, 4, [[1, 2, 3]]);
    assert.deepEqual(none, { reason: 'No complete earlier financial year of figures to take the seasonal shape from' });
    assert.deepEqual(trajectoryShares({ profile: 'seasonal' }, 4, [[0, 0, 0, 0]]), {
      reason: 'The earlier years total zero, so they give no seasonal shape',
    });
  });

  test('a position outside the year is a programming error', () => {
    assert.throws(() => shareToDate([0.5, 0.5], 2), RangeError);
  });
});

describe('judgeTrajectory: worked examples on 161.5 a year', () => {
  test('even by quarter: at most 80.75 by the end of Q2; 78 is on trajectory, 84 amber, 90 red', () => {
    const shares = [0.25, 0.25, 0.25, 0.25];
    const on = judgeTrajectory(78, ANNUAL, shares, 1, { profile: 'even' }, 5);
    assert.equal(on.toDate, 80.75);
    assert.equal(on.shareToDate, 0.5);
    assert.equal(on.met, true);
    assert.equal(on.rag, 'green');
    // The amber band is 5% of 80.75 = 4.0375 above it, up to 84.7875.
    assert.equal(judgeTrajectory(84, ANNUAL, shares, 1, { profile: 'even' }, 5).rag, 'amber');
    const red = judgeTrajectory(90, ANNUAL, shares, 1, { profile: 'even' }, 5);
    assert.equal(red.rag, 'red');
    assert.equal(red.met, false);
  });

  test('seasonal: a first quarter that was 50 of 170 in the year before is due 161.5 x 50/170 = 47.5', () => {
    const s = trajectoryShares({ profile: 'seasonal' }, 4, [[50, 40, 40, 40]]);
    assert.ok('shares' in s);
    const j = judgeTrajectory(47, ANNUAL, s.shares, 0, { profile: 'seasonal' }, 5);
    assert.equal(j.toDate, 47.5);
    assert.equal(j.met, true);
  });
});

function definition(overrides: Partial<IndicatorDefinition> = {}): IndicatorDefinition {
  return { unit: 'count', polarity: 'lower_is_better', baseline: { period: '2008/09', value: 170 }, targets: [], ...overrides };
}

function inputs(overrides: Partial<IndicatorInputs> = {}): IndicatorInputs {
  return { definition: definition(), figures: [], overrides: [], populations: [], tolerance: 5, ...overrides };
}

// Quarterly burglary: 2008/09 50, 40, 40, 40 (= the baseline of 170); 2009/10 Q1 45, Q2 40.
const quarterly = [
  { period: '2008-09 Q1', value: 50 },
  { period: '2008-09 Q2', value: 40 },
  { period: '2008-09 Q3', value: 40 },
  { period: '2008-09 Q4', value: 40 },
  { period: '2009-10 Q1', value: 45 },
  { period: '2009-10 Q2', value: 40 },
];

describe('calculateIndicator: trajectory and a second target', () => {
  const first = { byPeriod: '2009/10', target: reduceBy5, text: 'Reduce by 5%', label: 'Local' };
  // A stretch beside it: reduce by 10% = at most 153 (170 x 0.9).
  const stretch: Target = { kind: 'percentage_change', direction: 'reduce', percent: 10, by: '2009/10' };
  const second = { byPeriod: '2009/10', target: stretch, text: 'Reduce by 10%', tier: 'second' as const, label: 'Stretch' };

  test('even: the year to date of 85 at Q2 is above the 80.75 due, beyond the amber band (84.7875): red', () => {
    const r = calculateIndicator(
      inputs({ definition: definition({ targets: [first], trajectory: { profile: 'even' } }), figures: quarterly }),
    );
    const t = r.latest!.trajectory!;
    assert.equal(t.yearToDate, 85);
    assert.equal(t.toDate, 80.75);
    assert.equal(t.rag, 'red');
    assert.equal(r.latest!.targetLabel, 'Local');
  });

  test("seasonal: last year's first half was 90 of 170, so 161.5 x 90/170 = 85.5 is due and 85 is on trajectory", () => {
    const r = calculateIndicator(
      inputs({ definition: definition({ targets: [first], trajectory: { profile: 'seasonal' } }), figures: quarterly }),
    );
    const t = r.latest!.trajectory!;
    assert.equal(t.toDate, 85.5);
    assert.equal(t.met, true);
    assert.equal(t.rag, 'green');
  });

  test('a second target is judged on its own against the same projected year end, with its own trajectory', () => {
    const r = calculateIndicator(
      inputs({ definition: definition({ targets: [first, second], trajectory: { profile: 'seasonal' } }), figures: quarterly }),
    );
    const latest = r.latest!;
    // The seasonal projection carries 85 forward by last year's shape: 85 x 170/90 = 160.56 at the year end.
    assert.ok(Math.abs(latest.assessed! - 160.5556) < 0.001);
    assert.equal(latest.targetMet, true);
    assert.equal(latest.rag, 'green');
    const s = latest.secondTarget!;
    assert.equal(s.label, 'Stretch');
    assert.equal(s.threshold, 153);
    assert.equal(s.met, false);
    assert.equal(s.rag, 'amber'); // within 5% of 153 (up to 160.65)
    assert.equal(s.trajectory!.toDate, 81); // 153 x 90/170
    assert.equal(s.trajectory!.rag, 'amber'); // 85 is within 5% of 81 (85.05)
    assert.equal(latest.reasons.secondTarget, undefined);
  });

  test('without a trajectory or second target there is none, and no reason; with them on a rate, the reason', () => {
    const plain = calculateIndicator(inputs({ definition: definition({ targets: [first] }), figures: quarterly })).latest!;
    assert.equal(plain.trajectory, null);
    assert.equal(plain.secondTarget, null);
    assert.equal(plain.reasons.trajectory, undefined);
    assert.equal(plain.reasons.secondTarget, undefined);
    const rate = calculateIndicator(
      inputs({
        definition: definition({
          unit: 'percentage',
          baseline: null,
          targets: [{ byPeriod: null, target: { kind: 'absolute', value: 40 }, text: 'Reach 40%' }],
          trajectory: { profile: 'even' },
        }),
        figures: [{ period: '2009-10 Q1', value: 30 }],
      }),
    ).latest!;
    assert.equal(rate.trajectory, null);
    assert.equal(rate.reasons.trajectory, 'A trajectory spreads an annual total: only counts and amounts have one');
  });

  test('a year to date with a quarter missing is not judged against the trajectory, and says so', () => {
    const gap = quarterly.filter((f) => f.period !== '2009-10 Q1');
    const r = calculateIndicator(inputs({ definition: definition({ targets: [first], trajectory: { profile: 'even' } }), figures: gap }));
    assert.equal(r.latest!.trajectory, null);
    assert.equal(
      r.latest!.reasons.trajectory,
      'The year to date is missing 1 of its 2 quarters so far, so it is not judged against the trajectory',
    );
  });

  test('a second target that cannot be resolved gives its reason', () => {
    const r = calculateIndicator(
      inputs({ definition: definition({ baseline: null, targets: [first, second] }), figures: quarterly }),
    ).latest!;
    assert.equal(r.secondTarget, null);
    assert.equal(r.reasons.secondTarget, 'The target is a change from the baseline, and there is no baseline');
  });
});
