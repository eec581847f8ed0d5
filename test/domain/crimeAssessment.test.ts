import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_CRIME, assessmentFigures, assessmentGap, chooseWindowEnd } from '../../src/domain/crimeAssessment.ts';

describe('the window shown', () => {
  const held = ['2024-12', '2024-11', '2023-06'];
  it('is the month asked for when it is held', () => {
    assert.equal(chooseWindowEnd('2024-11', held), '2024-11');
    assert.equal(chooseWindowEnd('2023-06', held), '2023-06');
  });
  it('is the latest month held for a month not held, not a month, or nothing asked', () => {
    for (const asked of ['2031-01', '2024-13', 'nonsense', '', undefined, 202411, ['2024-11']])
      assert.equal(chooseWindowEnd(asked, held), '2024-12', String(asked));
  });
  it('is undefined when nothing is held', () => {
    assert.equal(chooseWindowEnd('2024-11', []), undefined);
  });
});

describe('why there is no assessment', () => {
  const area = { localAuthorities: ['Rotherham'], lsoaCodes: [] };
  const base = { area, monthsHeld: ['2024-12', '2024-01'], areaInData: true, windowEnd: '2024-12', thisMonth: '2026-03' };
  it('is nothing with an area in the data held', () => {
    assert.equal(assessmentGap(base), null);
  });
  it('is the area first, before anything else', () => {
    assert.deepEqual(assessmentGap({ ...base, area: null, monthsHeld: [], windowEnd: undefined }), {
      reason: 'no-area',
      message: "Define the partnership's area first.",
      months: null,
    });
  });
  it('with no data at all, suggests the 24 months to two months ago (January 2026 from March 2026)', () => {
    const gap = assessmentGap({ ...base, monthsHeld: [], windowEnd: undefined })!;
    assert.equal(gap.reason, 'no-police-data');
    assert.deepEqual(gap.months, { from: '2024-02', to: '2026-01' });
    assert.match(gap.message, /such as February 2024 to January 2026 /);
  });
  it('with data held but none of the area, names the area, the months held and the window needed', () => {
    const gap = assessmentGap({ ...base, areaInData: false })!;
    assert.equal(gap.reason, 'no-records-for-area');
    assert.deepEqual(gap.months, { from: '2023-01', to: '2024-12' });
    assert.match(gap.message, /this area \(Rotherham\) and window: none of the police\.uk data imported \(January 2024 to December 2024\)/);
    assert.match(gap.message, /the 12 before them, January 2023 to December 2024\.$/);
  });
});

describe('strategic assessment figures from grouped records', () => {
  const a = assessmentFigures(
    {
      byMonthAndType: [
        { month: '2023-03', crimeType: 'Burglary', count: 10 },
        { month: '2024-03', crimeType: 'Burglary', count: 4 },
        { month: '2024-03', crimeType: 'Anti-social behaviour', count: 7 },
        { month: '2024-04', crimeType: 'Robbery', count: 1 },
      ],
      byLsoa: [
        { code: 'E01000002', name: 'B 001B', count: 2 },
        { code: 'E01000001', name: 'B 001A', count: 2 },
        { code: 'E01000003', name: 'B 001C', count: 1 },
      ],
      byOutcome: [
        { outcome: null, count: 1 },
        { outcome: 'Under investigation', count: 1 },
        { outcome: 'Unable to prosecute suspect', count: 3 },
      ],
    },
    { windowEnd: '2024-06', lsoaCount: 20, populations: [{ year: 2024, population: 1000 }] },
  );
  it('counts each window, ASB apart, with rates from the population of the year the window ends in', () => {
    assert.deepEqual([a.current.from, a.current.to, a.previous.from, a.previous.to], ['2023-07', '2024-06', '2022-07', '2023-06']);
    const all = a.totals.find((t) => t.label === ALL_CRIME)!;
    assert.deepEqual([all.previous, all.current, all.currentRate], [10, 5, 5]);
    assert.equal(a.totals[1]!.current, 7);
    assert.deepEqual(
      a.byCrimeType.slice(0, 2).map((f) => [f.label, f.current]),
      [
        ['Burglary', 4],
        ['Robbery', 1],
      ],
    );
    assert.equal(a.monthly.length, 24);
    assert.equal(a.missingMonths.length, 21);
  });
  it('ranks hotspots by count then code, and outcomes with none recorded last among equals', () => {
    assert.deepEqual(
      a.hotspots.top.map((h) => h.code),
      ['E01000001', 'E01000002', 'E01000003'],
    );
    assert.equal(a.hotspots.topDecileCount, 2);
    assert.equal(a.hotspots.topDecileShare, 4 / 5);
    assert.deepEqual(
      a.outcomes.map((o) => o.outcome),
      ['Unable to prosecute suspect', 'Under investigation', 'No outcome recorded'],
    );
  });
});
