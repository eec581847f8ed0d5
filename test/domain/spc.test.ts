import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assuranceOf,
  classifyVariation,
  DEFAULT_RUN_LENGTH,
  xmrChart,
  XMR_LIMIT_CONSTANT,
  type SpecialCauseRule,
  type XmrChart,
} from '../../src/domain/spc.ts';
import { assertClose } from './helpers.ts';

/** Indices of points that triggered the given rule. */
function flagged(chart: XmrChart, rule?: SpecialCauseRule): number[] {
  return chart.points.filter((p) => p.flags.some((f) => rule === undefined || f.rule === rule)).map((p) => p.index);
}

// Ten figures alternating 11, 9, ...: mean 10, every moving range 2, so the limits are 10 ± 5.32,
// sigma = 2 / 1.128 = 1.7733 and the 2-sigma lines are 10 ± 3.5467. Used as a frozen baseline.
const stable = [11, 9, 11, 9, 11, 9, 11, 9, 11, 9];

describe('xmrChart: centre line and limits', () => {
  test('mean, moving ranges and limits at mean ± 2.66 × mean moving range', () => {
    const chart = xmrChart([5, 7, 6, 9]);
    assert.equal(chart.mean, 6.75);
    assert.equal(chart.meanMovingRange, 2);
    assert.deepEqual(
      chart.points.map((p) => p.movingRange),
      [null, 2, 1, 3],
    );
    assertClose(chart.upperProcessLimit, 6.75 + 2.66 * 2, 1e-12);
    assertClose(chart.lowerProcessLimit, 6.75 - 2.66 * 2, 1e-12);
    assertClose(chart.sigma, (2 * 2.66) / 3, 1e-12);
    assertClose(chart.upperTwoSigma, 6.75 + (4 * 2.66) / 3, 1e-12);
    assertClose(chart.lowerTwoSigma, 6.75 - (4 * 2.66) / 3, 1e-12);
    assert.equal(chart.baselinePoints, 4);
    assert.equal(XMR_LIMIT_CONSTANT, 2.66);
    assert.equal(DEFAULT_RUN_LENGTH, 7);
  });

  test('limits can be frozen on the first N points', () => {
    const chart = xmrChart([...stable, 30, 31], { baselinePoints: 10 });
    assert.equal(chart.mean, 10);
    assert.equal(chart.meanMovingRange, 2);
    assertClose(chart.upperProcessLimit, 15.32, 1e-12);
    assertClose(chart.lowerProcessLimit, 4.68, 1e-12);
    assert.equal(chart.points[10]?.movingRange, 21);
  });

  test('rejects unusable input', () => {
    assert.throws(() => xmrChart([5]), RangeError);
    assert.throws(() => xmrChart([5, Number.NaN]), TypeError);
    assert.throws(() => xmrChart([1, 2, 3], { baselinePoints: 4 }), RangeError);
    assert.throws(() => xmrChart([1, 2, 3], { baselinePoints: 1 }), RangeError);
    assert.throws(() => xmrChart([1, 2, 3], { runLength: 1 }), RangeError);
    assert.throws(() => xmrChart([1, 2, 3], { trendLength: 2.5 }), RangeError);
  });
});

describe('xmrChart: common cause', () => {
  test('a stable series triggers no rule', () => {
    const chart = xmrChart([10, 12, 9, 11, 10, 12, 9, 11, 10, 12, 9, 11]);
    assert.deepEqual(flagged(chart), []);
    assert.ok(chart.points.every((p) => p.specialCause === null));
    assert.equal(classifyVariation(chart, 'lower_is_better'), 'common_cause');
  });

  test('noise in the computed mean does not put a point on the mean to one side of it', () => {
    // (0.1 + 0.2 + 0.3) / 3 is 0.20000000000000004; 0.2 is on the mean, so there is no run of two below it.
    const chart = xmrChart([0.1, 0.2, 0.3], { runLength: 2 });
    assert.deepEqual(flagged(chart, 'shift'), []);
    assert.deepEqual(flagged(xmrChart([0.1, 0.15, 0.3], { runLength: 2 }), 'shift'), [0, 1]);
  });
});

describe('xmrChart: a point beyond a process limit', () => {
  test('flags a point above the upper limit, and only that point', () => {
    const chart = xmrChart([...stable, 16], { baselinePoints: 10 });
    assert.deepEqual(flagged(chart), [10]);
    assert.deepEqual(chart.points[10]?.flags, [{ rule: 'beyond_limits', side: 'high' }]);
    assert.equal(chart.points[10]?.specialCause, 'high');
  });

  test('flags a point below the lower limit', () => {
    const chart = xmrChart([...stable, 4], { baselinePoints: 10 });
    assert.deepEqual(flagged(chart), [10]);
    assert.deepEqual(chart.points[10]?.flags, [{ rule: 'beyond_limits', side: 'low' }]);
  });

  test('a point just inside the limit is not flagged', () => {
    assert.deepEqual(flagged(xmrChart([...stable, 15.3], { baselinePoints: 10 })), []);
    assert.deepEqual(flagged(xmrChart([...stable, 4.7], { baselinePoints: 10 })), []);
  });

  test('without frozen limits, a single large spike is still caught', () => {
    const chart = xmrChart([10, 12, 9, 11, 10, 12, 9, 11, 10, 12, 9, 40]);
    assert.deepEqual(flagged(chart, 'beyond_limits'), [11]);
  });
});

describe('xmrChart: 2 of 3 points beyond 2 sigma on the same side', () => {
  test('two of three high points beyond 2 sigma (13.55) are flagged, the point between is not', () => {
    const chart = xmrChart([...stable, 14, 10, 14], { baselinePoints: 10 });
    assert.deepEqual(flagged(chart), [10, 12]);
    assert.deepEqual(chart.points[10]?.flags, [{ rule: 'two_of_three', side: 'high' }]);
  });

  test('two consecutive low points beyond 2 sigma (6.45) are flagged', () => {
    const chart = xmrChart([...stable, 6, 6.2], { baselinePoints: 10 });
    assert.deepEqual(flagged(chart, 'two_of_three'), [10, 11]);
    assert.equal(chart.points[11]?.specialCause, 'low');
  });

  test('two such points four apart, or on opposite sides, are not', () => {
    assert.deepEqual(flagged(xmrChart([...stable, 14, 10, 10, 14], { baselinePoints: 10 })), []);
    assert.deepEqual(flagged(xmrChart([...stable, 14, 6], { baselinePoints: 10 })), []);
    assert.deepEqual(flagged(xmrChart([...stable, 14, 13.5], { baselinePoints: 10 })), []);
  });
});

describe('xmrChart: a shift (run on one side of the mean)', () => {
  const sevenAbove = [11, 12, 11, 12, 11, 12, 11];

  test('7 consecutive points above the mean are flagged', () => {
    const chart = xmrChart([...stable, ...sevenAbove], { baselinePoints: 10 });
    assert.deepEqual(flagged(chart), [10, 11, 12, 13, 14, 15, 16]);
    assert.ok(chart.points.slice(10).every((p) => p.flags.length === 1 && p.flags[0]?.rule === 'shift' && p.specialCause === 'high'));
  });

  test('7 consecutive points below the mean are flagged low', () => {
    const chart = xmrChart([...stable, 9, 8, 9, 8, 9, 8, 9], { baselinePoints: 10 });
    assert.deepEqual(flagged(chart, 'shift'), [9, 10, 11, 12, 13, 14, 15, 16]); // the last baseline point (9) is below too
    assert.equal(chart.points[16]?.specialCause, 'low');
  });

  test('6 are not enough by default, but are with runLength 6', () => {
    const six = [...stable, 11, 12, 11, 12, 11, 12];
    assert.deepEqual(flagged(xmrChart(six, { baselinePoints: 10 })), []);
    assert.deepEqual(flagged(xmrChart(six, { baselinePoints: 10, runLength: 6 }), 'shift'), [10, 11, 12, 13, 14, 15]);
  });

  test('a point exactly on the mean breaks the run', () => {
    const broken = [...stable, 11, 12, 11, 10, 12, 11, 12];
    assert.deepEqual(flagged(xmrChart(broken, { baselinePoints: 10 })), []);
  });
});

describe('xmrChart: a trend (run of rises or falls)', () => {
  const wide = [5, 15, 5, 15, 5, 15, 5, 15]; // mean 10, limits 10 ± 26.6

  test('7 points each higher than the last are flagged as a rising trend', () => {
    const chart = xmrChart([...wide, 6, 7, 8, 9, 10, 11, 12], { baselinePoints: 8 });
    assert.deepEqual(flagged(chart), [8, 9, 10, 11, 12, 13, 14]);
    assert.ok(chart.points.slice(8).every((p) => p.flags.length === 1 && p.flags[0]?.rule === 'trend' && p.specialCause === 'high'));
  });

  test('7 points each lower than the last are flagged as a falling trend', () => {
    const chart = xmrChart([...wide, 5, 14, 13, 12, 11, 10, 9, 8], { baselinePoints: 8 });
    assert.deepEqual(flagged(chart, 'trend'), [9, 10, 11, 12, 13, 14, 15]);
    assert.equal(chart.points[15]?.specialCause, 'low');
  });

  test('6 rising points are not a trend by default, but are with trendLength 6', () => {
    const six = [...wide, 6, 7, 8, 9, 10, 11];
    assert.deepEqual(flagged(xmrChart(six, { baselinePoints: 8 })), []);
    assert.deepEqual(flagged(xmrChart(six, { baselinePoints: 8, trendLength: 6 }), 'trend'), [8, 9, 10, 11, 12, 13]);
  });

  test('a repeated value breaks the trend', () => {
    assert.deepEqual(flagged(xmrChart([...wide, 6, 7, 8, 8, 9, 10, 11], { baselinePoints: 8 })), []);
  });
});

describe('xmrChart: several rules at once', () => {
  test('flags are listed in order of precedence and specialCause follows the first', () => {
    // A run of 7 high ending in a point beyond the upper limit.
    const chart = xmrChart([...stable, 11, 12, 11, 12, 11, 12, 16], { baselinePoints: 10 });
    const last = chart.points[16];
    assert.deepEqual(
      last?.flags.map((f) => f.rule),
      ['beyond_limits', 'shift'],
    );
    assert.equal(last?.specialCause, 'high');
  });
});

describe('classifyVariation', () => {
  const high = xmrChart([...stable, 16], { baselinePoints: 10 });
  const low = xmrChart([...stable, 4], { baselinePoints: 10 });

  test('special cause is improvement or concern according to polarity', () => {
    assert.equal(classifyVariation(high, 'lower_is_better'), 'special_cause_concern_high');
    assert.equal(classifyVariation(high, 'higher_is_better'), 'special_cause_improvement_high');
    assert.equal(classifyVariation(low, 'lower_is_better'), 'special_cause_improvement_low');
    assert.equal(classifyVariation(low, 'higher_is_better'), 'special_cause_concern_low');
  });

  test('monitor-only indicators get the neutral icons', () => {
    assert.equal(classifyVariation(high, 'monitor'), 'special_cause_neutral_high');
    assert.equal(classifyVariation(low, 'monitor'), 'special_cause_neutral_low');
  });

  test('any point can be classified; a missing one is an error', () => {
    assert.equal(classifyVariation(high, 'lower_is_better', 3), 'common_cause');
    assert.throws(() => classifyVariation(high, 'lower_is_better', 99), RangeError);
  });
});

describe('assuranceOf', () => {
  const chart = xmrChart(stable); // limits 4.68 to 15.32

  test('a target beyond the limits is consistently passed or failed', () => {
    assert.equal(assuranceOf(chart, { threshold: 20, comparison: 'at_most' }), 'consistently_pass');
    assert.equal(assuranceOf(chart, { threshold: 3, comparison: 'at_most' }), 'consistently_fail');
    assert.equal(assuranceOf(chart, { threshold: 3, comparison: 'at_least' }), 'consistently_pass');
    assert.equal(assuranceOf(chart, { threshold: 20, comparison: 'at_least' }), 'consistently_fail');
  });

  test('a target between or on the limits will be hit and missed', () => {
    assert.equal(assuranceOf(chart, { threshold: 12, comparison: 'at_most' }), 'inconsistent');
    assert.equal(assuranceOf(chart, { threshold: 8, comparison: 'at_least' }), 'inconsistent');
    assert.equal(assuranceOf(chart, { threshold: 15.32, comparison: 'at_most' }), 'inconsistent');
    assert.equal(assuranceOf(chart, { threshold: 4.68, comparison: 'at_least' }), 'inconsistent');
  });

  test('no target, no assurance', () => {
    assert.equal(assuranceOf(chart, null), null);
  });
});

// Phases, fixed baselines and excluded points (issue 16). The rules follow NHSRplotthedots: `rebase` starts a new
// group whose mean, moving ranges and limits are its own and whose runs never reach back over the break;
// `fix_after_n_points` works the limits out from a group's first N points and extends them. The figures here are
// made up so that every number can be checked by hand from the XmR formulas above (mean ± 2.66 × mean moving range).
describe('xmrChart: phases (limits recalculated from a change date)', () => {
  const after = [21, 19, 21, 19, 21, 19]; // mean 20, every moving range 2: limits 20 ± 5.32

  test('each phase has its own mean and limits, and its first point has no moving range', () => {
    const chart = xmrChart([...stable, ...after], { phases: [{ start: 10 }] });
    assert.equal(chart.phases.length, 2);
    assert.deepEqual(
      chart.phases.map((p) => [p.start, p.end, p.mean, p.meanMovingRange]),
      [
        [0, 10, 10, 2],
        [10, 16, 20, 2],
      ],
    );
    assertClose(chart.phases[1]!.upperProcessLimit, 25.32, 1e-12);
    // The chart's own limits are the last phase's: what assurance is judged on, as in NHSRplotthedots.
    assert.equal(chart.mean, 20);
    assert.equal(chart.points[10]?.movingRange, null);
    assert.equal(chart.points[10]?.phase, 1);
    assert.deepEqual(flagged(chart), []);
  });

  test('without the phase the same figures are one process with a shift', () => {
    const chart = xmrChart([...stable, ...after]);
    // Mean (100 + 120) / 16 = 13.75: the first ten figures are a run below it (a shift), and the 21s of the last six
    // are beyond the upper limit of 13.75 + 2.66 × 40 / 15 = 20.84 (fourteen moving ranges of 2 and one of 12).
    assert.equal(chart.mean, 13.75);
    assert.deepEqual(flagged(chart, 'shift'), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(flagged(chart, 'beyond_limits'), [10, 12, 14]);
    assert.equal(chart.phases.length, 1);
  });

  test('a phase can fix its limits on its first N figures', () => {
    const chart = xmrChart([...stable, 21, 19, 21, 19, 30], { phases: [{ start: 10, baselinePoints: 4 }] });
    const p = chart.phases[1]!;
    assert.equal(p.mean, 20);
    assert.equal(p.baselinePoints, 4);
    assert.deepEqual(flagged(chart, 'beyond_limits'), [14]);
  });

  test('phases must leave each at least two figures', () => {
    assert.throws(() => xmrChart([...stable, 21], { phases: [{ start: 10 }] }), /each phase needs at least 2 figures/);
    assert.throws(() => xmrChart(stable, { phases: [{ start: 4 }, { start: 5 }] }), RangeError);
    assert.throws(() => xmrChart(stable, { phases: [{ start: 4, baselinePoints: 7 }] }), /exceeds/);
  });
});

describe('xmrChart: points excluded from the limits', () => {
  // A one-off of 24 among 11s and 9s: left out, the mean is (4 × 11 + 5 × 9) / 9 = 89 / 9 and the seven moving
  // ranges that do not touch it are all 2; left in, its two moving ranges of 15 widen the limits.
  const values = [11, 9, 11, 9, 24, 9, 11, 9, 11, 9];

  test('the excluded point and its moving ranges are left out, but it is still judged', () => {
    const chart = xmrChart(values, { excluded: [4] });
    assertClose(chart.mean, 89 / 9, 1e-12);
    assert.equal(chart.meanMovingRange, 2);
    assert.equal(chart.phases[0]?.usedPoints, 9);
    assert.equal(chart.points[4]?.excluded, true);
    assert.deepEqual(flagged(chart, 'beyond_limits'), [4]);
  });

  test('left in, the one-off hides itself', () => {
    const chart = xmrChart(values);
    assertClose(chart.meanMovingRange, (2 * 7 + 15 + 15) / 9, 1e-12);
    assert.deepEqual(flagged(chart, 'beyond_limits'), []);
  });

  test('an exclusion must name a figure and leave two consecutive figures', () => {
    assert.throws(() => xmrChart(values, { excluded: [10] }), /No figure 11/);
    assert.throws(() => xmrChart([1, 2, 3], { excluded: [1] }), /two consecutive figures/);
  });
});

describe('assuranceOf: NHSRplotthedots worked examples', () => {
  // tests/testthat/test-ptd_calculate_assurance_type.R: process limits (1, 3), (5, 7) and (1, 5) with a target of 4
  // give consistent fail, consistent pass and inconsistent when an increase is better, and pass, fail, inconsistent
  // when a decrease is better.
  const withLimits = (lower: number, upper: number): XmrChart => ({
    ...xmrChart([1, 2]),
    lowerProcessLimit: lower,
    upperProcessLimit: upper,
  });
  const charts = [withLimits(1, 3), withLimits(5, 7), withLimits(1, 5)];

  test('increase is better (at least the target)', () => {
    assert.deepEqual(
      charts.map((c) => assuranceOf(c, { threshold: 4, comparison: 'at_least' })),
      ['consistently_fail', 'consistently_pass', 'inconsistent'],
    );
  });

  test('decrease is better (at most the target)', () => {
    assert.deepEqual(
      charts.map((c) => assuranceOf(c, { threshold: 4, comparison: 'at_most' })),
      ['consistently_pass', 'consistently_fail', 'inconsistent'],
    );
  });

  test('after a change date the latest phase decides', () => {
    // The first phase (limits 4.68 to 15.32) straddles 18; the second (14.68 to 25.32) does not reach 12.
    const chart = xmrChart([...stable, 21, 19, 21, 19], { phases: [{ start: 10 }] });
    assert.equal(assuranceOf(chart, { threshold: 12, comparison: 'at_least' }), 'consistently_pass');
    assert.equal(assuranceOf(xmrChart(stable), { threshold: 12, comparison: 'at_least' }), 'inconsistent');
  });
});
