import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { criterionValue, ILLUSTRATIVE_HARM_WEIGHTS, normalise, rankIssues, type MatrixIssue } from '../../src/domain/priorityMatrix.ts';
import { CRIME_TYPES } from '../../src/domain/policeUkLayout.ts';
import { monthOfYearProfile } from '../../src/domain/seasonality.ts';
import { pooledRates } from '../../src/domain/areaComparison.ts';

const issue = (name: string, over: Partial<MatrixIssue> = {}): MatrixIssue => ({
  name,
  count: 100,
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

describe('criterion values', () => {
  it('counts a change only when it is statistically significant', () => {
    assert.equal(criterionValue(issue('A', { percentageChange: 40, significant: false }), 'trend', 'count'), 0);
    assert.equal(criterionValue(issue('A', { percentageChange: 40, significant: true }), 'trend', 'count'), 40);
    assert.equal(criterionValue(issue('A', { percentageChange: -12.5, significant: true }), 'trend', 'count'), -12.5);
    assert.equal(criterionValue(issue('A', { percentageChange: null, significant: true }), 'trend', 'count'), 0);
  });
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
    issue('Burglary', { count: 300, percentageChange: 20, significant: true, harmWeight: 50, concern: 40 }),
    issue('Shoplifting', { count: 500, percentageChange: 5, significant: false, harmWeight: 5, concern: 10 }),
    issue('Robbery', { count: 100, percentageChange: -10, significant: true, harmWeight: 80, concern: 20 }),
  ];

  it('works out each score by hand: weighted mean of min-max scores', () => {
    const ranked = rankIssues(issues, { volume: 1, trend: 1, harm: 1, concern: 1 });
    // Volume 300, 500, 100 -> 50, 100, 0. Trend 20, 0 (not significant), -10 -> 100, 33.3, 0.
    // Harm 50, 5, 80 -> 60, 0, 100. Concern 40, 10, 20 -> 100, 0, 33.3.
    const burglary = ranked.find((r) => r.name === 'Burglary')!;
    assert.deepEqual(burglary.scores, { volume: 50, trend: 100, harm: 60, concern: 100 });
    assert.equal(burglary.score, 77.5);
    const shoplifting = ranked.find((r) => r.name === 'Shoplifting')!;
    assert.ok(Math.abs(shoplifting.score - (100 + 100 / 3 + 0 + 0) / 4) < 1e-9);
    const robbery = ranked.find((r) => r.name === 'Robbery')!;
    assert.ok(Math.abs(robbery.score - (0 + 0 + 100 + 100 / 3) / 4) < 1e-9);
    // Shoplifting and Robbery both score 133.3 / 4: they share rank 2, listed by name.
    assert.deepEqual(
      ranked.map((r) => [r.rank, r.name]),
      [
        [1, 'Burglary'],
        [2, 'Robbery'],
        [2, 'Shoplifting'],
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
      [...issues, issue('Domestic abuse', { count: null, rate: null, percentageChange: null, harmWeight: 90, concern: 70 })],
      { volume: 1, trend: 1, harm: 1, concern: 1 },
    );
    const da = ranked.find((r) => r.name === 'Domestic abuse')!;
    assert.equal(da.scores.volume, 0);
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
