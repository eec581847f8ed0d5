import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { writeStreetFiles } from '../../src/adapters/crimeStore/generator.ts';
import { importStreetFiles } from '../../src/adapters/crimeStore/importer.ts';
import { openCrimeStore, listLocalAuthorities, type CrimeStore } from '../../src/adapters/crimeStore/store.ts';
import { strategicAssessment } from '../../src/services/assessment/strategicAssessment.ts';
import { ALL_CRIME, populationFor, windows } from '../../src/domain/crimeAssessment.ts';
import { CRIME_TYPES } from '../../src/domain/policeUkLayout.ts';
import { ValidationError } from '../../src/domain/errors.ts';
import { readStreetRows, tempDir, type FixtureRow } from '../support/policeUk.ts';

const ASB = 'Anti-social behaviour';

describe('strategic assessment figures', () => {
  let dir: string;
  let store: CrimeStore;
  let rows: FixtureRow[];

  before(async () => {
    dir = tempDir();
    const files = path.join(dir, 'files');
    await writeStreetFiles(files, { seed: 11, firstMonth: '2023-01', months: 24, rowsPerMonth: 4000 });
    rows = readStreetRows(files);
    store = await openCrimeStore(path.join(dir, 'crime.duckdb'));
    await importStreetFiles(store, files);
  });
  after(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const inWindow = (r: FixtureRow, from: string, to: string) => r.month >= from && r.month <= to;

  it('counts, rates per 1,000 and change by crime type for a local authority, matching the files', async () => {
    const populations = [
      { year: 2023, population: 265_000 },
      { year: 2024, population: 268_000 },
    ];
    const a = await strategicAssessment(store, { area: { localAuthorities: ['Rotherham'] }, windowEnd: '2024-12', populations });
    const rotherham = rows.filter((r) => r.lsoaName.startsWith('Rotherham '));
    const current = rotherham.filter((r) => inWindow(r, '2024-01', '2024-12'));
    const previous = rotherham.filter((r) => inWindow(r, '2023-01', '2023-12'));
    assert.equal(a.lsoaCount, new Set(rotherham.map((r) => r.lsoaCode)).size);
    assert.equal(a.currentPopulation, 268_000);
    assert.equal(a.previousPopulation, 265_000);
    for (const type of CRIME_TYPES.filter((t) => t !== ASB)) {
      const f = a.byCrimeType.find((x) => x.label === type);
      assert.ok(f, type);
      const c = current.filter((r) => r.crimeType === type).length;
      const p = previous.filter((r) => r.crimeType === type).length;
      assert.equal(f.current, c, type);
      assert.equal(f.previous, p, type);
      assert.ok(Math.abs((f.currentRate ?? NaN) - (c / 268_000) * 1000) < 1e-9);
      assert.ok(Math.abs((f.previousRate ?? NaN) - (p / 265_000) * 1000) < 1e-9);
      assert.equal(f.absoluteChange, c - p);
      assert.equal(f.percentageChange, p === 0 ? null : Math.round(((c - p) / p) * 1000) / 10);
    }
    const all = a.totals.find((t) => t.label === ALL_CRIME);
    assert.equal(all?.current, current.filter((r) => r.crimeType !== ASB).length);
    assert.equal(all?.previous, previous.filter((r) => r.crimeType !== ASB).length);
    const asb = a.totals.find((t) => t.label === ASB);
    assert.equal(asb?.current, current.filter((r) => r.crimeType === ASB).length);
    // Sorted by volume, largest first.
    assert.deepEqual(
      a.byCrimeType.map((f) => f.current),
      [...a.byCrimeType.map((f) => f.current)].sort((x, y) => y - x),
    );
    assert.equal(a.missingMonths.length, 0);
  });

  it('labels significance with the exact test: a large steady count is not significant, a doubling is', async () => {
    const a = await strategicAssessment(store, { area: { localAuthorities: ['Sheffield'] }, windowEnd: '2024-12' });
    for (const f of a.byCrimeType) {
      assert.equal(f.significance.before, f.previous);
      assert.equal(f.significance.after, f.current);
      assert.equal(f.significance.label, f.significance.pValue < 0.05 ? 'statistically significant' : 'not statistically significant');
      assert.equal(f.currentRate, null, 'no population, no rate');
    }
    // The generator has the same underlying rate in both years: most types should not change significantly.
    assert.ok(a.byCrimeType.filter((f) => !f.significance.significant).length >= 9);
  });

  it('monthly trend, hotspots and outcomes for a list of LSOA codes', async () => {
    const sheffieldCodes = [...new Set(rows.filter((r) => r.lsoaName.startsWith('Sheffield ')).map((r) => r.lsoaCode))].sort().slice(0, 40);
    const codes = new Set(sheffieldCodes);
    const a = await strategicAssessment(store, { area: { lsoaCodes: sheffieldCodes }, windowEnd: '2024-06', topLsoas: 5 });
    assert.equal(a.lsoaCount, 40);
    const w = windows('2024-06');
    assert.equal(a.current.from, '2023-07');
    assert.equal(a.previous.from, '2022-07');
    assert.deepEqual(
      a.monthly.map((m) => m.month),
      [...w.previous.months, ...w.current.months],
    );
    // Months before the data starts have no records and are flagged.
    assert.deepEqual(a.missingMonths, ['2022-07', '2022-08', '2022-09', '2022-10', '2022-11', '2022-12']);
    const area = rows.filter((r) => codes.has(r.lsoaCode));
    for (const m of a.monthly) {
      assert.equal(m.crime, area.filter((r) => r.month === m.month && r.crimeType !== ASB).length, m.month);
      assert.equal(m.asb, area.filter((r) => r.month === m.month && r.crimeType === ASB).length, m.month);
    }
    const currentCrime = area.filter((r) => inWindow(r, '2023-07', '2024-06') && r.crimeType !== ASB);
    const perLsoa = new Map<string, number>();
    for (const r of currentCrime) perLsoa.set(r.lsoaCode, (perLsoa.get(r.lsoaCode) ?? 0) + 1);
    const ranked = [...perLsoa.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    assert.deepEqual(
      a.hotspots.top.map((h) => [h.code, h.count]),
      ranked.slice(0, 5),
    );
    assert.equal(a.hotspots.topDecileCount, 4);
    const top4 = ranked.slice(0, 4).reduce((s, [, n]) => s + n, 0);
    assert.ok(Math.abs((a.hotspots.topDecileShare ?? 0) - top4 / currentCrime.length) < 1e-12);
    const byOutcome = new Map<string, number>();
    for (const r of currentCrime) byOutcome.set(r.outcome, (byOutcome.get(r.outcome) ?? 0) + 1);
    assert.deepEqual(a.outcomes.map((o) => [o.outcome, o.count]).sort(), [...byOutcome.entries()].sort());
    assert.ok(Math.abs(a.outcomes.reduce((s, o) => s + o.share, 0) - 1) < 1e-9);
  });

  it('lists the local authorities found in LSOA names, and refuses an unknown area or month', async () => {
    const las = await listLocalAuthorities(store);
    assert.ok(las.some((l) => l.name === 'Southend-on-Sea'));
    assert.equal(
      las.find((l) => l.name === 'Rotherham')?.lsoas,
      new Set(rows.filter((r) => r.lsoaName.startsWith('Rotherham ')).map((r) => r.lsoaCode)).size,
    );
    await assert.rejects(strategicAssessment(store, { area: { localAuthorities: ['Atlantis'] }, windowEnd: '2024-12' }), ValidationError);
    await assert.rejects(strategicAssessment(store, { area: { localAuthorities: ['Rotherham'] }, windowEnd: '2024-13' }), ValidationError);
  });

  it('takes the population of the latest year not after the window end', () => {
    const pops = [
      { year: 2022, population: 100 },
      { year: 2024, population: 300 },
    ];
    assert.equal(populationFor(pops, '2023-12'), 100);
    assert.equal(populationFor(pops, '2025-03'), 300);
    assert.equal(populationFor(pops, '2020-03'), 100);
    assert.equal(populationFor([], '2020-03'), null);
  });
});
