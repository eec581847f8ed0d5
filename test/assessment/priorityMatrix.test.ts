import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  criterionValue,
  ILLUSTRATIVE_HARM_WEIGHTS,
  normalise,
  rankIssues,
  supportedRateRatio,
  trendScore,
  type MatrixIssue,
} from '../../src/domain/priorityMatrix.ts';
import { CRIME_TYPES } from '../../src/domain/policeUkLayout.ts';
import { monthOfYearProfile } from '../../src/domain/seasonality.ts';
import { pooledRates } from '../../src/domain/areaComparison.ts';

const issue = (name: string, over: Partial<MatrixIssue> = {}): MatrixIssue => ({
  name,
  count: 100,
  previousCount: 100,
  rate: 1,
  percentageChange: 0,
  significant: false,
  harmWeight: 10,
  concern: null,
  ...over,
});

describe('normalise', () => {
  it('scales the lowest to 0, the highest to 100 and the rest in proportion', () => {
    assert.deepEqual(normalise([10, 20, 30, 15]), [0, 50, 100, 25]);
    assert.deepEqual(normalise([-20, 0, 30]), [0, 40, 100]);
  });
  it('gives every value 0 when they are all equal, and nothing for nothing', () => {
    assert.deepEqual(normalise([7, 7, 7]), [0, 0, 0]);
    assert.deepEqual(normalise([]), []);
  });
});

/**
 * Trend by the size of the change and its uncertainty (ADR 0033): the end of the rate ratio's exact 95% interval
 * nearest 1, scored 50 + 50 x log2(ratio) within 0 to 100. The interval ends are Clopper-Pearson limits of the
 * latest count's share, worked with SciPy (beta.ppf(0.025, a, n - a + 1) and beta.ppf(0.975, a + 1, n - a), as
 * p / (1 - p)); 170 -> 152 is Rochford's 2009/10 burglary (the seed).
 */
describe('trend score', () => {
  const trend = (previousCount: number, count: number) => {
    const i = issue('A', { previousCount, count });
    return { value: criterionValue(i, 'trend', 'count'), score: trendScore(supportedRateRatio(i)) };
  };
  const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-3, `${actual} is not ${expected}`);

  it('scores a change within chance as no change, 50, however large its point estimate', () => {
    assert.deepEqual(trend(170, 152), { value: 0, score: 50 });
    assert.deepEqual(trend(20, 31), { value: 0, score: 50 }, '+55% on small numbers is within chance');
    assert.deepEqual(trend(0, 0), { value: 0, score: 50 });
  });

  it('scores a rise by its lower end and a fall by its upper end, continuously', () => {
    let t = trend(100, 200); // interval 1.5655 to 2.5688
    close(t.value, 56.5468);
    close(t.score, 82.3297);
    t = trend(50, 80); // interval 1.1099 to 2.3260: significant but small
    close(t.value, 10.9941);
    close(t.score, 57.5241);
    t = trend(400, 200); // interval 0.4198 to 0.5940
    close(t.value, -40.6028);
    close(t.score, 12.4234);
  });

  it('keeps the score within 0 to 100, and scores an issue without figures 0', () => {
    assert.equal(trend(0, 30).score, 100, 'lower end 7.64, beyond a doubling');
    assert.equal(trend(3000, 100).score, 0);
    assert.equal(trendScore(supportedRateRatio(issue('A', { count: null, previousCount: null }))), 0);
    assert.equal(criterionValue(issue('A', { count: null, previousCount: null }), 'trend', 'count'), 0);
  });
});

describe('criterion values', () => {
  it('scores volume on counts or rates, and an issue without figures as 0', () => {
    assert.equal(criterionValue(issue('A', { count: 250, rate: 0.93 }), 'volume', 'count'), 250);
    assert.equal(criterionValue(issue('A', { count: 250, rate: 0.93 }), 'volume', 'rate'), 0.93);
    assert.equal(criterionValue(issue('A', { count: null, rate: null }), 'volume', 'count'), 0);
    assert.equal(criterionValue(issue('A', { concern: null }), 'concern', 'count'), 0);
    assert.equal(criterionValue(issue('A', { concern: 62 }), 'concern', 'count'), 62);
  });
});

describe('rankIssues', () => {
  const issues = [
    issue('Burglary', { count: 300, previousCount: 150, percentageChange: 100, significant: true, harmWeight: 50, concern: 40 }),
    issue('Shoplifting', { count: 500, previousCount: 480, percentageChange: 4.2, significant: false, harmWeight: 5, concern: 10 }),
    issue('Robbery', { count: 100, previousCount: 200, percentageChange: -50, significant: true, harmWeight: 80, concern: 20 }),
  ];

  it('works out each score by hand: weighted mean of min-max scores, trend on its own scale', () => {
    const ranked = rankIssues(issues, { volume: 1, trend: 1, harm: 1, concern: 1 });
    // Volume 300, 500, 100 -> 50, 100, 0. Harm 50, 5, 80 -> 60, 0, 100. Concern 40, 10, 20 -> 100, 0, 33.3.
    // Trend (ADR 0033): 150 -> 300 has interval 1.6386 to 2.4496, so 50 + 50 log2(1.6386) = 85.624; 480 -> 500 is
    // within chance, 50; 200 -> 100 has interval 0.3893 to 0.6388, so 50 + 50 log2(0.6388) = 17.670.
    const burglary = ranked.find((r) => r.name === 'Burglary')!;
    assert.equal(burglary.scores.volume, 50);
    assert.ok(Math.abs(burglary.scores.trend - 85.6237) < 1e-3);
    assert.ok(Math.abs(burglary.score - (50 + 85.6237 + 60 + 100) / 4) < 1e-3);
    const shoplifting = ranked.find((r) => r.name === 'Shoplifting')!;
    assert.equal(shoplifting.scores.trend, 50);
    assert.equal(shoplifting.score, (100 + 50 + 0 + 0) / 4);
    const robbery = ranked.find((r) => r.name === 'Robbery')!;
    assert.ok(Math.abs(robbery.score - (0 + 17.6703 + 100 + 100 / 3) / 4) < 1e-3);
    assert.deepEqual(
      ranked.map((r) => [r.rank, r.name]),
      [
        [1, 'Burglary'],
        [2, 'Robbery'],
        [3, 'Shoplifting'],
      ],
    );
  });

  it('no longer gives every unchanged issue the top trend score when the only real change is a fall', () => {
    // The case of issue 16: under min-max, the one significant fall scored 0 and every other issue 100.
    const ranked = rankIssues(
      [
        issue('Steady', { previousCount: 170, count: 152 }),
        issue('Also steady', { previousCount: 50, count: 55 }),
        issue('Falling', { previousCount: 400, count: 200 }),
      ],
      { volume: 0, trend: 1, harm: 0, concern: 0 },
    );
    assert.deepEqual(
      ranked.map((r) => [r.name, Math.round(r.scores.trend * 10) / 10]),
      [
        ['Also steady', 50],
        ['Steady', 50],
        ['Falling', 12.4],
      ],
    );
  });

  it('follows the weights: harm alone ranks by harm weight', () => {
    const ranked = rankIssues(issues, { volume: 0, trend: 0, harm: 5, concern: 0 });
    assert.deepEqual(
      ranked.map((r) => r.name),
      ['Robbery', 'Burglary', 'Shoplifting'],
    );
    assert.deepEqual(
      ranked.map((r) => r.score),
      [100, 60, 0],
    );
    const byVolume = rankIssues(issues, { volume: 1, trend: 0, harm: 0, concern: 0 });
    assert.deepEqual(
      byVolume.map((r) => r.name),
      ['Shoplifting', 'Burglary', 'Robbery'],
    );
  });

  it('shares ranks between equal scores and lists them by name', () => {
    const ranked = rankIssues(
      [
        issue('Zeta', { harmWeight: 5 }),
        issue('Alpha', { harmWeight: 5 }),
        issue('Mid', { harmWeight: 9 }),
        issue('Low', { harmWeight: 1 }),
      ],
      {
        volume: 0,
        trend: 0,
        harm: 1,
        concern: 0,
      },
    );
    assert.deepEqual(
      ranked.map((r) => [r.rank, r.name]),
      [
        [1, 'Mid'],
        [2, 'Alpha'],
        [2, 'Zeta'],
        [4, 'Low'],
      ],
    );
  });

  it('scores an issue added by name (no figures) 0 on volume and trend', () => {
    const ranked = rankIssues(
      [
        ...issues,
        issue('Domestic abuse', { count: null, previousCount: null, rate: null, percentageChange: null, harmWeight: 90, concern: 70 }),
      ],
      { volume: 1, trend: 1, harm: 1, concern: 1 },
    );
    const da = ranked.find((r) => r.name === 'Domestic abuse')!;
    assert.equal(da.scores.volume, 0);
    assert.equal(da.scores.trend, 0);
    assert.equal(da.scores.harm, 100);
    assert.equal(da.scores.concern, 100);
  });

  it('refuses weights that are negative or all 0', () => {
    assert.throws(() => rankIssues(issues, { volume: 0, trend: 0, harm: 0, concern: 0 }), RangeError);
    assert.throws(() => rankIssues(issues, { volume: -1, trend: 1, harm: 0, concern: 0 }), RangeError);
  });

  it('has an illustrative harm weight for every police.uk crime type', () => {
    for (const t of CRIME_TYPES) assert.ok(typeof ILLUSTRATIVE_HARM_WEIGHTS[t] === 'number', t);
  });
});

describe('month-of-year profile', () => {
  it('averages each calendar month over the years held, with an index against the average month', () => {
    const monthly = [
      { month: '2023-01', crime: 10, asb: 4 },
      { month: '2024-01', crime: 30, asb: 6 },
      { month: '2023-07', crime: 40, asb: 0 },
    ];
    const p = monthOfYearProfile(monthly);
    assert.equal(p.length, 12);
    assert.deepEqual(p[0], {
      calendarMonth: 1,
      name: 'January',
      years: 2,
      crimeAverage: 20,
      asbAverage: 5,
      crimeIndex: (20 / 30) * 100,
      asbIndex: 200,
    });
    assert.equal(p[6]!.crimeAverage, 40);
    assert.equal(p[6]!.crimeIndex, (40 / 30) * 100);
    assert.equal(p[1]!.years, 0);
    assert.equal(p[1]!.crimeAverage, null);
    assert.equal(p[1]!.crimeIndex, null);
  });
});

describe('pooled group average', () => {
  it('adds crimes and populations of the comparators that have one', () => {
    const avg = pooledRates(
      [
        { counts: { Burglary: 100 }, population: 50_000 },
        { counts: { Burglary: 300 }, population: 150_000 },
        { counts: { Burglary: 999 }, population: null },
      ],
      ['Burglary'],
    );
    assert.equal(avg.Burglary, 2);
    assert.deepEqual(pooledRates([{ counts: { Burglary: 1 }, population: null }], ['Burglary']), { Burglary: null });
  });
});
