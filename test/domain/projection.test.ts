import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { projectOutturn, projectSeasonal, projectStraightLine, seasonalShare } from '../../src/domain/projection.ts';
import { assertClose } from './helpers.ts';

// Rotherham recorded ASB incidents by quarter (seed 004).
const asb2018 = [2064, 1832, 1461, 1264]; // total 6,621
const asb2019Q1 = [1654];

describe('projectStraightLine', () => {
  test('Q1 of 1,654 ASB incidents projects to 6,616 for the year', () => {
    const p = projectStraightLine(asb2019Q1, { periodsPerYear: 4 });
    assert.equal(p.method, 'straight_line');
    assert.equal(p.yearToDate, 1654);
    assert.equal(p.periodsElapsed, 1);
    assert.equal(p.shareOfYearElapsed, 0.25);
    assert.equal(p.projected, 6616);
    assert.equal(p.probabilityOfMeetingTarget, null);
  });

  test('monthly figures: 3 months totalling 45 project to 180', () => {
    const p = projectStraightLine([15, 16, 14]);
    assert.equal(p.projected, 180);
    assert.equal(p.periodsPerYear, 12);
  });

  test('the interval is the negative-binomial predictive interval (checked against scipy)', () => {
    // Remainder ~ NegBin(size 1654.5, p 0.25): 2.5% and 97.5% quantiles 4691 and 5243.
    const p = projectStraightLine(asb2019Q1, { periodsPerYear: 4 });
    assert.deepEqual(p.interval, { lower: 6345, upper: 6897 });
    const ninety = projectStraightLine([20], { periodsPerYear: 4, confidence: 0.9 });
    assert.deepEqual(ninety.interval, { lower: 58, upper: 109 });
  });

  test('probability of meeting a target', () => {
    const lastYear = projectStraightLine(asb2019Q1, {
      periodsPerYear: 4,
      target: { threshold: 6621, comparison: 'at_most' },
    });
    assertClose(lastYear.probabilityOfMeetingTarget, 0.5146223144129276, 1e-9);
    const atLeast = projectStraightLine(asb2019Q1, {
      periodsPerYear: 4,
      target: { threshold: 6000, comparison: 'at_least' },
    });
    assertClose(atLeast.probabilityOfMeetingTarget, 0.999997291349383, 1e-9);
  });

  test('small counts, checked by hand: 3 in the first half-year, at most 5 for the year', () => {
    // P(R <= 2) for NegBin(3.5, 0.5) = 0.5^3.5 x (1 + 3.5 x 0.5 + (3.5 x 4.5 / 2) x 0.25)
    const expected = 0.5 ** 3.5 * (1 + 1.75 + 1.96875);
    const p = projectStraightLine([1, 0, 2, 0, 0, 0], { target: { threshold: 5, comparison: 'at_most' } });
    assertClose(p.probabilityOfMeetingTarget, expected, 1e-12);
    assert.deepEqual(p.interval, { lower: 3, upper: 13 });
    // A fractional threshold: at most 5.5 allows the same remainder of 2.
    const half = projectStraightLine([1, 0, 2, 0, 0, 0], { target: { threshold: 5.5, comparison: 'at_most' } });
    assertClose(half.probabilityOfMeetingTarget, expected, 1e-12);
    // At least 8 needs a remainder of 5 or more.
    const atLeast = projectStraightLine([1, 0, 2, 0, 0, 0], { target: { threshold: 8, comparison: 'at_least' } });
    assertClose(atLeast.probabilityOfMeetingTarget, 0.29379954464383085, 1e-12);
  });

  test('zero so far: nothing projected, and P(no more) = share^0.5', () => {
    const p = projectStraightLine([0, 0, 0, 0, 0, 0], { target: { threshold: 0, comparison: 'at_most' } });
    assert.equal(p.projected, 0);
    assertClose(p.probabilityOfMeetingTarget, Math.sqrt(0.5), 1e-12);
    assert.deepEqual(p.interval, { lower: 0, upper: 3 });
  });

  test('a target already beaten or missed for certain', () => {
    const missed = projectStraightLine([5, 5], { target: { threshold: 8, comparison: 'at_most' } });
    assert.equal(missed.probabilityOfMeetingTarget, 0);
    const reached = projectStraightLine([5, 5], { target: { threshold: 8, comparison: 'at_least' } });
    assert.equal(reached.probabilityOfMeetingTarget, 1);
  });

  test('a complete year is its own outturn', () => {
    const p = projectStraightLine(asb2018, { periodsPerYear: 4, target: { threshold: 6621, comparison: 'at_most' } });
    assert.equal(p.projected, 6621);
    assert.deepEqual(p.interval, { lower: 6621, upper: 6621 });
    assert.equal(p.probabilityOfMeetingTarget, 1);
  });

  test('figures that are not counts get a projection but no interval or probability', () => {
    const p = projectStraightLine([41.5, 42.5], { target: { threshold: 40, comparison: 'at_least' } });
    assert.equal(p.projected, 504);
    assert.equal(p.interval, null);
    assert.equal(p.probabilityOfMeetingTarget, null);
    const percentages = projectStraightLine([40, 42], { counts: false });
    assert.equal(percentages.interval, null);
    assert.throws(() => projectStraightLine([1.5], { counts: true }), RangeError);
  });

  test('rejects impossible input', () => {
    assert.throws(() => projectStraightLine([]), RangeError);
    assert.throws(() => projectStraightLine([1, 2, 3, 4, 5], { periodsPerYear: 4 }), RangeError);
    assert.throws(() => projectStraightLine([-1]), RangeError);
    assert.throws(() => projectStraightLine([1], { periodsPerYear: 0 }), RangeError);
    assert.throws(() => projectStraightLine([1], { confidence: 1 }), RangeError);
  });
});

describe('seasonal projection', () => {
  test('seasonalShare pools earlier years', () => {
    assertClose(seasonalShare([asb2018], 1, 4), 2064 / 6621, 1e-15);
    assertClose(seasonalShare([asb2018], 2, 4), (2064 + 1832) / 6621, 1e-15);
    assertClose(seasonalShare([asb2018, [1654, 1500, 1311, 1275]], 1, 4), (2064 + 1654) / (6621 + 5740), 1e-15);
    assert.equal(seasonalShare([asb2018], 4, 4), 1);
  });

  test('Rotherham ASB: Q1 of 1,654 held 31.2% of the year in 2018-19, so projects to 5,306 not 6,616', () => {
    const p = projectSeasonal(asb2019Q1, [asb2018], { periodsPerYear: 4 });
    assert.equal(p.method, 'seasonal');
    assertClose(p.shareOfYearElapsed, 0.3117353874037154, 1e-15);
    assertClose(p.projected, 5305.781976744186, 1e-9);
    assert.equal(Math.round(p.projected), 5306);
    assert.deepEqual(p.interval, { lower: 5097, upper: 5522 });
    // The actual 2019-20 total was 5,740: outside the chance-only interval, as the module warns it can be.
  });

  test('probability of meeting a target with the seasonal profile', () => {
    const p = projectSeasonal(asb2019Q1, [asb2018], {
      periodsPerYear: 4,
      target: { threshold: 5740, comparison: 'at_most' },
    });
    assertClose(p.probabilityOfMeetingTarget, 0.9999493753918124, 1e-9);
  });

  test('rejects unusable profiles', () => {
    assert.throws(() => seasonalShare([], 1, 4), RangeError);
    assert.throws(() => seasonalShare([[1, 2, 3]], 1, 4), RangeError);
    assert.throws(() => seasonalShare([[0, 0, 0, 0]], 1, 4), RangeError);
    assert.throws(() => seasonalShare([[0, 5, 5, 5]], 1, 4), RangeError);
    assert.throws(() => seasonalShare([asb2018], 0, 4), RangeError);
    assert.throws(() => seasonalShare([asb2018], 5, 4), RangeError);
    assert.throws(() => seasonalShare([[1, -2, 3, 4]], 1, 4), RangeError);
  });
});

describe('projectOutturn', () => {
  test('uses the seasonal profile when earlier years are given, otherwise a straight line', () => {
    assert.equal(projectOutturn(asb2019Q1, { periodsPerYear: 4 }).projected, 6616);
    assert.equal(projectOutturn(asb2019Q1, { periodsPerYear: 4, earlierYears: [] }).method, 'straight_line');
    const seasonal = projectOutturn(asb2019Q1, { periodsPerYear: 4, earlierYears: [asb2018] });
    assert.equal(seasonal.method, 'seasonal');
    assertClose(seasonal.projected, 5305.781976744186, 1e-9);
  });
});
