import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkFingertipsRow,
  financialYearOfPeriod,
  fingertipsHeader,
  fingertipsSeries,
  FINGERTIPS_COLUMNS,
} from '../../src/domain/fingertips.ts';
import { checkRoadRow, ksiByYear, roadHeader } from '../../src/domain/roadCasualties.ts';
import { FINGERTIPS_HEADER, COLLISION_HEADER, collisionRows, fingertipsRows } from '../../src/adapters/officialData/sourcesGenerator.ts';

describe('Fingertips rows', () => {
  it('finds the published columns and names each one missing', () => {
    const h = fingertipsHeader(FINGERTIPS_HEADER);
    assert.ok(!('problems' in h));
    const missing = fingertipsHeader(FINGERTIPS_HEADER.filter((c) => c !== 'Time period'));
    assert.deepEqual('problems' in missing ? missing.problems.map((p) => p.message) : [], ['The header has no "Time period" column']);
  });

  it('checks each value and keeps blanks (suppressed) as null', () => {
    const h = fingertipsHeader(FINGERTIPS_HEADER) as Exclude<ReturnType<typeof fingertipsHeader>, { problems: unknown }>;
    const row = fingertipsRows({ indicatorId: 1, indicatorName: 'X', firstYear: 2020, periods: 1, pooled: 1 })[1]!;
    const ok = checkFingertipsRow(row, h, 3);
    assert.ok('row' in ok);
    const blank = [...row];
    blank[12] = '';
    assert.equal((checkFingertipsRow(blank, h, 3) as { row: { value: number | null } }).row.value, null);
    const bad = [...row];
    bad[13] = '50';
    bad[14] = '40';
    bad[0] = 'x1';
    const p = checkFingertipsRow(bad, h, 7);
    assert.deepEqual('problems' in p ? p.problems.map((x) => [x.row, x.column, x.value]) : [], [
      [7, FINGERTIPS_COLUMNS.indicatorId, 'x1'],
      [7, FINGERTIPS_COLUMNS.lower95, '50'],
    ]);
  });

  it('gives financial years of single and pooled periods only', () => {
    assert.deepEqual(financialYearOfPeriod('2022/23'), { year: '2022/23', pooled: false });
    assert.deepEqual(financialYearOfPeriod('2019/20 - 21/22'), { year: '2021/22', pooled: true });
    assert.deepEqual(financialYearOfPeriod('1998/99 - 00/01'), { year: '2000/01', pooled: true });
    assert.equal(financialYearOfPeriod('2022'), null);
    assert.equal(financialYearOfPeriod('2022/24'), null);
  });

  it("puts England's value of each period beside the area's headline series", () => {
    const base = {
      indicatorId: 5,
      indicatorName: 'I',
      areaName: 'A',
      age: 'All ages',
      categoryType: '',
      category: '',
      valueNote: '',
      comparedToEngland: '',
    };
    const point = { lower95: null, upper95: null, lower998: null, upper998: null, count: null, denominator: null };
    const rows = [
      { ...base, ...point, areaCode: 'E06000017', sex: 'Persons', timePeriod: '2021/22', value: 3 },
      { ...base, ...point, areaCode: 'E06000017', sex: 'Persons', timePeriod: '2020/21', value: 2 },
      { ...base, ...point, areaCode: 'E06000017', sex: 'Male', timePeriod: '2020/21', value: 9 },
      { ...base, ...point, areaCode: 'E92000001', sex: 'Persons', timePeriod: '2020/21', value: 4 },
      { ...base, ...point, areaCode: 'E06000017', sex: 'Persons', timePeriod: '2020/21', value: 8, categoryType: 'Decile', category: '1' },
    ];
    const s = fingertipsSeries(rows, 'E06000017')!;
    assert.deepEqual(
      s.points.map((p) => [p.timePeriod, p.value, p.england]),
      [
        ['2020/21', 2, 4],
        ['2021/22', 3, null],
      ],
    );
    assert.equal(fingertipsSeries(rows, 'E06000016'), null);
  });
});

describe('STATS19 collisions', () => {
  const h = roadHeader(COLLISION_HEADER) as Exclude<ReturnType<typeof roadHeader>, { problems: unknown }>;
  const row = [...collisionRows({ years: [2023] })][0]!;

  it('reads the newer collision_* names as well', () => {
    const newer = roadHeader(COLLISION_HEADER.map((c) => c.replace(/^accident_(index|year|severity)$/, 'collision_$1')));
    assert.ok(!('problems' in newer));
    const missing = roadHeader(['date']);
    assert.equal('problems' in missing ? missing.problems.length : 0, 5);
  });

  it('refuses a date outside the collision year, a severity of 4 and a bad local authority, naming each', () => {
    assert.ok('row' in checkRoadRow(row, h, 2));
    const bad = [...row];
    bad[11] = '01/01/2022';
    bad[8] = '4';
    bad[15] = 'Rutland';
    const p = checkRoadRow(bad, h, 9);
    assert.deepEqual('problems' in p ? p.problems.map((x) => x.column) : [], ['accident_severity', 'date', 'local_authority_ons_district']);
  });

  it('counts KSI collisions and their casualties by year, listing each year held', () => {
    const years = ksiByYear(
      [
        { year: 2021, severity: 1, casualties: 2 },
        { year: 2021, severity: 3, casualties: 1 },
        { year: 2023, severity: 2, casualties: 3 },
      ],
      [2021, 2022, 2023],
    );
    assert.deepEqual(
      years.map((y) => [y.year, y.fatal, y.serious, y.ksiCollisions, y.ksiCollisionCasualties, y.collisions, y.casualties]),
      [
        [2021, 1, 0, 1, 2, 2, 3],
        [2022, 0, 0, 0, 0, 0, 0],
        [2023, 0, 1, 1, 3, 1, 3],
      ],
    );
  });
});
