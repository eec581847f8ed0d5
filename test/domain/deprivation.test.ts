import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEPRIVATION_COLUMNS,
  checkDeprivationRow,
  decileOfRank,
  deprivationHeader,
  deprivationProfile,
} from '../../src/domain/deprivation.ts';

const HEADER = [
  'LSOA code (2011)',
  'LSOA name (2011)',
  'Local Authority District code (2019)',
  'Local Authority District name (2019)',
  'Index of Multiple Deprivation (IMD) Score',
  'Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)',
  'Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)',
  'Income Score (rate)',
  'Crime Score',
  'Crime Rank (where 1 is most deprived)',
  'Crime Decile (where 1 is most deprived 10% of LSOAs)',
  'Total population: mid 2015 (excluding prisoners)',
  'Dependent Children aged 0-15: mid 2015 (excluding prisoners)',
];
const ROW = [
  'E01000001',
  'City of London 001A',
  'E09000001',
  'City of London',
  '6.208',
  '29199',
  '9',
  '0.007',
  '-2.012',
  '32662',
  '10',
  '1296',
  '175',
];

describe('IMD 2019 File 7 layout', () => {
  it('finds each column by its published name, whatever else the file holds, and names missing or doubled columns', () => {
    const h = deprivationHeader(HEADER);
    assert.ok(!('problems' in h));
    assert.equal(h.crimeScore, 8);
    assert.equal(h.population, 11);
    const missing = deprivationHeader(HEADER.filter((c) => !c.startsWith('Crime Rank')));
    assert.ok('problems' in missing);
    assert.deepEqual(
      missing.problems.map((p) => p.column),
      [DEPRIVATION_COLUMNS.crimeRank],
    );
    const twice = deprivationHeader([...HEADER, ' crime score ']);
    assert.ok('problems' in twice && /twice/.test(twice.problems[0]!.message));
  });

  it('reads a row, and names every bad cell with its row, column and value', () => {
    const h = deprivationHeader(HEADER) as Exclude<ReturnType<typeof deprivationHeader>, { problems: unknown }>;
    const ok = checkDeprivationRow(ROW, h, 2);
    assert.ok('row' in ok);
    assert.deepEqual(ok.row, {
      lsoaCode: 'E01000001',
      lsoaName: 'City of London 001A',
      laCode: 'E09000001',
      laName: 'City of London',
      imdScore: 6.208,
      imdRank: 29199,
      imdDecile: 9,
      crimeScore: -2.012,
      crimeRank: 32662,
      crimeDecile: 10,
      population: 1296,
    });
    const bad = [...ROW];
    bad[0] = 'W01000001';
    bad[6] = '11';
    bad[9] = '40000';
    bad[11] = '12.5';
    const c = checkDeprivationRow(bad, h, 7, 'IoD2019');
    assert.ok('problems' in c);
    assert.deepEqual(
      c.problems.map((p) => [p.row, p.sheet, p.column, p.value]),
      [
        [7, 'IoD2019', 'LSOA code (2011)', 'W01000001'],
        [7, 'IoD2019', DEPRIVATION_COLUMNS.crimeRank, '40000'],
        [7, 'IoD2019', DEPRIVATION_COLUMNS.imdDecile, '11'],
        [7, 'IoD2019', DEPRIVATION_COLUMNS.population, '12.5'],
      ],
    );
  });

  it('gives the decile of a rank as the indices do', () => {
    assert.equal(decileOfRank(1), 1);
    assert.equal(decileOfRank(3284), 1);
    assert.equal(decileOfRank(3285), 2);
    assert.equal(decileOfRank(32844), 10);
  });
});

describe('crime and ASB by deprivation decile', () => {
  const lsoas = [
    { code: 'A', imdDecile: 1, population: 1000 },
    { code: 'B', imdDecile: 1, population: 1500 },
    { code: 'C', imdDecile: 5, population: 2000 },
    { code: 'D', imdDecile: 10, population: 500 },
    { code: 'OUT', imdDecile: 2, population: 9999 },
  ];
  const counts = [
    { code: 'A', crime: 50, asb: 10 },
    { code: 'B', crime: 25, asb: 5 },
    { code: 'C', crime: 20, asb: 4 },
    { code: 'E', crime: 7, asb: 3 },
    { code: 'OUT', crime: 1000, asb: 1000 },
  ];
  const p = deprivationProfile(['A', 'B', 'C', 'D', 'E'], lsoas, counts);

  it('adds up each decile: LSOAs, residents, counts, rates per 1,000 and shares', () => {
    const d1 = p.deciles[0]!;
    assert.deepEqual([d1.lsoas, d1.population, d1.crime, d1.asb], [2, 2500, 75, 15]);
    assert.equal(d1.crimeRate, 30);
    assert.equal(d1.asbRate, 6);
    assert.equal(d1.lsoaShare, 0.5);
    assert.equal(d1.crimeShare, 75 / 95);
    const d10 = p.deciles[9]!;
    assert.deepEqual([d10.lsoas, d10.crime, d10.crimeRate], [1, 0, 0]);
    const d3 = p.deciles[2]!;
    assert.deepEqual([d3.lsoas, d3.population, d3.crimeRate, d3.lsoaShare], [0, 0, null, 0]);
    assert.equal(p.deciles.length, 10);
  });

  it('keeps LSOAs of the area not in the indices apart, and ignores LSOAs outside the area', () => {
    assert.deepEqual(p.lsoasWithout, ['E']);
    assert.equal(p.crimeWithout, 7);
    assert.equal(p.asbWithout, 3);
    assert.equal(p.lsoasWithDecile, 4);
    assert.equal(p.deciles[1]!.lsoas, 0, 'OUT is not in the area');
  });

  it("compares the two most deprived deciles' share of crime with their share of residents", () => {
    // 75 of 95 crimes, 2,500 of 5,000 residents
    assert.equal(p.mostDeprivedCrimeRatio, 75 / 95 / 0.5);
    assert.equal(deprivationProfile(['A'], lsoas, []).mostDeprivedCrimeRatio, null);
  });
});
