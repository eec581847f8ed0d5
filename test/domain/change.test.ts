import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  absoluteChange,
  countFromRate,
  directionOfTravel,
  percentageChange,
  ratePer,
  roundHalfAwayFromZero,
  summariseChange,
} from '../../src/domain/change.ts';
import { assertClose } from './helpers.ts';

describe('roundHalfAwayFromZero', () => {
  test('rounds true halves away from zero, including values binary floating point stores just below the half', () => {
    assert.equal(roundHalfAwayFromZero(10.55), 10.6); // 10.55 is stored as 10.550000000000000711
    assert.equal(roundHalfAwayFromZero(0.15), 0.2); // 0.15 is stored as 0.1499999999999999944
    assert.equal(roundHalfAwayFromZero(1.005, 2), 1.01); // (1.005).toFixed(2) gives '1.00'
    assert.equal(roundHalfAwayFromZero(2.25), 2.3);
    assert.equal(roundHalfAwayFromZero(-2.25), -2.3);
    assert.equal(roundHalfAwayFromZero(-10.55), -10.6);
    assert.equal(roundHalfAwayFromZero(2.5, 0), 3);
    assert.equal(roundHalfAwayFromZero(-2.5, 0), -3); // Math.round gives -2
  });

  test('removes noise left by arithmetic before rounding: 10.549999999999997 is the half 10.55', () => {
    const noisy = ((221.1 - 200) / 200) * 100;
    assert.notEqual(noisy, 10.55); // the arithmetic really is noisy
    assert.equal(roundHalfAwayFromZero(noisy), 10.6);
  });

  test('rounds ordinary values to the nearest', () => {
    assert.equal(roundHalfAwayFromZero(-10.588235294117647), -10.6);
    assert.equal(roundHalfAwayFromZero(10.54), 10.5);
    assert.equal(roundHalfAwayFromZero(10.5499), 10.5);
    assert.equal(roundHalfAwayFromZero(4.0148), 4);
    assert.equal(roundHalfAwayFromZero(19.5167, 2), 19.52);
    assert.equal(roundHalfAwayFromZero(1234.5678, 0), 1235);
    assert.equal(roundHalfAwayFromZero(0.00004, 4), 0);
    assert.equal(roundHalfAwayFromZero(0.00005, 4), 0.0001);
    assert.equal(roundHalfAwayFromZero(1e-9, 1), 0);
    assert.equal(roundHalfAwayFromZero(7), 7);
  });

  test('never returns negative zero', () => {
    assert.ok(Object.is(roundHalfAwayFromZero(-0.04), 0));
    assert.ok(Object.is(roundHalfAwayFromZero(-0), 0));
    assert.ok(Object.is(roundHalfAwayFromZero(-0.4, 0), 0));
  });

  test('leaves very large values alone and rejects bad arguments', () => {
    assert.equal(roundHalfAwayFromZero(1e20), 1e20);
    assert.throws(() => roundHalfAwayFromZero(Number.NaN), TypeError);
    assert.throws(() => roundHalfAwayFromZero(Infinity), TypeError);
    assert.throws(() => roundHalfAwayFromZero(1.5, -1), RangeError);
    assert.throws(() => roundHalfAwayFromZero(1.5, 1.5), RangeError);
    assert.throws(() => roundHalfAwayFromZero(1.5, 11), RangeError);
  });
});

describe('absoluteChange', () => {
  test('is current minus baseline, without floating-point noise', () => {
    assert.equal(absoluteChange(170, 152), -18);
    assert.equal(absoluteChange(71, 87), 16);
    assert.equal(absoluteChange(19.52, 17.5), -2.02); // raw subtraction gives -2.0199999999999996
    assert.equal(absoluteChange(170.1, 152), -18.1);
    assert.equal(absoluteChange(5, 5), 0);
  });

  test('rejects non-finite figures', () => {
    assert.throws(() => absoluteChange(Number.NaN, 1), TypeError);
    assert.throws(() => absoluteChange(1, Infinity), TypeError);
  });
});

describe('percentageChange', () => {
  test('Rochford domestic burglary 170 -> 152 is a 10.6% reduction (seed 002)', () => {
    assert.equal(percentageChange(170, 152), -10.6);
  });

  test('matches the other figures in the Rochford 2009/10 table', () => {
    assert.equal(percentageChange(2167, 2080), -4.0); // ASB: "4.0% (87 offences)"
    assert.equal(percentageChange(695, 626), -9.9); // domestic abuse reporting: "9.9% (69 offences)"
    assert.equal(percentageChange(266, 279), 4.9); // repeat incidents: "4.9% (13 offences)"
    assert.equal(percentageChange(215, 181), -15.8); // alcohol-related disorder: "15.8% (34 offences)"
    assert.equal(percentageChange(2802, 2650), -5.4); // all crime: "5.4% (152 offences)"
  });

  test('rounds the half case half away from zero in both directions', () => {
    assert.equal(percentageChange(200, 221.1), 10.6); // exactly +10.55%
    assert.equal(percentageChange(200, 178.9), -10.6); // exactly -10.55%
    assert.equal(percentageChange(1000, 1000.5), 0.1); // exactly +0.05%
    assert.equal(percentageChange(1000, 999.5), -0.1); // exactly -0.05%
  });

  test('returns null from a zero baseline and 0 for no change', () => {
    assert.equal(percentageChange(0, 3), null);
    assert.equal(percentageChange(0, 0), null);
    assert.equal(percentageChange(12, 12), 0);
    assert.equal(percentageChange(12, 0), -100);
  });

  test('can round to other precisions or not at all', () => {
    assert.equal(percentageChange(170, 152, { decimals: 0 }), -11);
    assert.equal(percentageChange(170, 152, { decimals: 2 }), -10.59);
    assertClose(percentageChange(170, 152, { decimals: null }), -10.588235294117647, 1e-12);
  });

  test('rejects negative or non-finite figures', () => {
    assert.throws(() => percentageChange(-1, 5), RangeError);
    assert.throws(() => percentageChange(5, -1), RangeError);
    assert.throws(() => percentageChange(Number.NaN, 5), TypeError);
  });
});

describe('summariseChange', () => {
  test('prints a fall the way the plans do', () => {
    const s = summariseChange(170, 152);
    assert.deepEqual(s, {
      baseline: 170,
      current: 152,
      absoluteChange: -18,
      percentageChange: -10.6,
      movement: 'decrease',
      text: '10.6% decrease (18 fewer)',
    });
  });

  test('prints a rise, a change from zero, no change, and large and fractional sizes', () => {
    assert.equal(summariseChange(266, 279).text, '4.9% increase (13 more)');
    assert.equal(summariseChange(0, 3).text, 'increase of 3 (no percentage: baseline was 0)');
    assert.equal(summariseChange(0, 3).percentageChange, null);
    assert.equal(summariseChange(5, 5).text, 'no change');
    assert.equal(summariseChange(5, 5).movement, 'no change');
    assert.equal(summariseChange(2802, 1148).text, '59.0% decrease (1,654 fewer)');
    assert.equal(summariseChange(19.52, 17.5).text, '10.3% decrease (2.02 fewer)');
  });
});

describe('directionOfTravel', () => {
  test('respects polarity', () => {
    assert.equal(directionOfTravel(170, 152, 'lower_is_better'), 'improving');
    assert.equal(directionOfTravel(266, 279, 'lower_is_better'), 'worsening');
    assert.equal(directionOfTravel(695, 626, 'higher_is_better'), 'worsening');
    assert.equal(directionOfTravel(71, 87, 'higher_is_better'), 'improving');
  });

  test('monitor-only indicators move up or down but neither improve nor worsen', () => {
    assert.equal(directionOfTravel(10, 12, 'monitor'), 'increasing');
    assert.equal(directionOfTravel(12, 10, 'monitor'), 'decreasing');
    assert.equal(directionOfTravel(12, 12, 'monitor'), 'no change');
  });

  test('no change for equal figures, and within a stable band when one is set', () => {
    assert.equal(directionOfTravel(100, 100, 'lower_is_better'), 'no change');
    assert.equal(directionOfTravel(100, 101, 'lower_is_better'), 'worsening');
    assert.equal(directionOfTravel(100, 102, 'lower_is_better', { stableBandPercent: 2 }), 'no change'); // exactly on the band edge
    assert.equal(directionOfTravel(100, 98, 'higher_is_better', { stableBandPercent: 2 }), 'no change');
    assert.equal(directionOfTravel(100, 102.5, 'lower_is_better', { stableBandPercent: 2 }), 'worsening');
    assert.equal(directionOfTravel(2167, 2080, 'lower_is_better', { stableBandPercent: 5 }), 'no change');
    assert.throws(() => directionOfTravel(1, 2, 'monitor', { stableBandPercent: -1 }), RangeError);
  });
});

describe('ratePer and countFromRate', () => {
  test('rate per 1,000 with a population of 87,000', () => {
    // 152 / 87,000 x 1,000 = 1.74712...
    assertClose(ratePer(152, 87_000), 1.7471264367816093, 1e-12);
    assert.equal(roundHalfAwayFromZero(ratePer(152, 87_000), 2), 1.75);
    assert.equal(ratePer(870, 87_000), 10);
    assert.equal(ratePer(87, 87_000, 1000), 1);
  });

  test('rate per 100,000 and the Rotherham seed figure (4,943 offences = 19.52 per 1,000)', () => {
    assert.equal(ratePer(87, 87_000, 100_000), 100);
    assertClose(ratePer(4943, 253_270), 19.5167, 1e-4);
    assert.equal(roundHalfAwayFromZero(ratePer(4943, 253_270), 2), 19.52);
  });

  test('countFromRate inverts ratePer', () => {
    assertClose(countFromRate(1.7471264367816093, 87_000), 152, 1e-9);
    assert.equal(countFromRate(17.5, 100_000), 1750);
    assert.equal(countFromRate(1900, 50_000, 100_000), 950);
  });

  test('reject impossible populations and negative counts', () => {
    assert.throws(() => ratePer(10, 0), RangeError);
    assert.throws(() => ratePer(10, -5), RangeError);
    assert.throws(() => ratePer(-1, 100), RangeError);
    assert.throws(() => countFromRate(-1, 100), RangeError);
    assert.throws(() => countFromRate(1, 0), RangeError);
  });
});
