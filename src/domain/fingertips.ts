/**
 * OHID Fingertips indicator downloads as CSP Hub imports them (issue 17 item 6, ADR 0046): the columns read (found by
 * their published names; any others, such as "Time period Sortable" or "New data", are ignored), the checks on each
 * row, and an area's series of one indicator with England's beside it. Pure, so the importer, the generator, the
 * page and the tests share it.
 */
import type { RowProblem } from './officialData.ts';

/** The Fingertips columns read, with their published headers. */
export const FINGERTIPS_COLUMNS = {
  indicatorId: 'Indicator ID',
  indicatorName: 'Indicator Name',
  parentCode: 'Parent Code',
  parentName: 'Parent Name',
  areaCode: 'Area Code',
  areaName: 'Area Name',
  areaType: 'Area Type',
  sex: 'Sex',
  age: 'Age',
  categoryType: 'Category Type',
  category: 'Category',
  timePeriod: 'Time period',
  value: 'Value',
  lower95: 'Lower CI 95.0 limit',
  upper95: 'Upper CI 95.0 limit',
  lower998: 'Lower CI 99.8 limit',
  upper998: 'Upper CI 99.8 limit',
  count: 'Count',
  denominator: 'Denominator',
  valueNote: 'Value note',
  recentTrend: 'Recent Trend',
  comparedToEngland: 'Compared to England value or percentiles',
} as const;

export type FingertipsColumn = keyof typeof FINGERTIPS_COLUMNS;

/** Columns a file must have; the rest are read when present. */
const REQUIRED: readonly FingertipsColumn[] = [
  'indicatorId',
  'indicatorName',
  'areaCode',
  'areaName',
  'areaType',
  'sex',
  'age',
  'categoryType',
  'category',
  'timePeriod',
  'value',
  'lower95',
  'upper95',
  'count',
  'denominator',
];

/** England's area code in Fingertips. */
export const ENGLAND_CODE = 'E92000001';

export type FingertipsHeader = Partial<Record<FingertipsColumn, number>>;

/** A value with its confidence limits, count and denominator, as Fingertips gives them (null when blank). */
export interface FingertipsValues {
  value: number | null;
  lower95: number | null;
  upper95: number | null;
  lower998: number | null;
  upper998: number | null;
  count: number | null;
  denominator: number | null;
}

/** The values of a row or point, without the rest. */
export const fingertipsValues = (r: FingertipsValues): FingertipsValues => ({
  value: r.value,
  lower95: r.lower95,
  upper95: r.upper95,
  lower998: r.lower998,
  upper998: r.upper998,
  count: r.count,
  denominator: r.denominator,
});

export interface FingertipsRow extends FingertipsValues {
  indicatorId: number;
  indicatorName: string;
  areaCode: string;
  areaName: string;
  areaType: string;
  sex: string;
  age: string;
  categoryType: string;
  category: string;
  timePeriod: string;
  valueNote: string;
  comparedToEngland: string;
}

const norm = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');

/** Where each column is (by its exact published name, without case), or the problems with the header. */
export function fingertipsHeader(header: readonly string[]): FingertipsHeader | { problems: RowProblem[] } {
  const names = header.map(norm);
  const problems: RowProblem[] = [];
  const index: FingertipsHeader = {};
  for (const key of Object.keys(FINGERTIPS_COLUMNS) as FingertipsColumn[]) {
    const column = FINGERTIPS_COLUMNS[key];
    const i = names.indexOf(norm(column));
    if (i === -1) {
      if (REQUIRED.includes(key)) problems.push({ row: 1, column, value: '', message: `The header has no "${column}" column` });
    } else if (names.lastIndexOf(norm(column)) !== i)
      problems.push({ row: 1, column, value: column, message: `The header has the "${column}" column twice` });
    else index[key] = i;
  }
  return problems.length ? { problems } : index;
}

/** A number as Fingertips writes it (plain or with an exponent); blank is null. */
function readNumber(text: string): number | null | 'bad' {
  const t = text.trim();
  if (t === '') return null;
  if (!/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(t)) return 'bad';
  const n = Number(t);
  return Number.isFinite(n) ? n : 'bad';
}

const AREA_CODE = /^[A-Z0-9]{3,12}$/;
/** A time period starts with its first year: 2022, 2022/23, 2020/21 - 22/23, 2022 Q1. */
const TIME_PERIOD = /^(19|20)\d\d\b/;

/** One data row checked: the row, or every problem in it (each naming its row, column and value). */
export function checkFingertipsRow(
  cells: readonly string[],
  index: FingertipsHeader,
  row: number,
  sheet?: string,
): { row: FingertipsRow } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const cell = (k: FingertipsColumn) => (index[k] === undefined ? '' : (cells[index[k]] ?? '').trim());
  const problem = (k: FingertipsColumn, message: string) =>
    problems.push({ row, ...(sheet ? { sheet } : {}), column: FINGERTIPS_COLUMNS[k], value: cell(k).slice(0, 60), message });
  const id = Number(cell('indicatorId'));
  if (!/^\d{1,9}$/.test(cell('indicatorId')) || id < 1) problem('indicatorId', 'must be a whole number, such as 11201');
  const text = (k: FingertipsColumn, max: number, required = true) => {
    const v = cell(k);
    if ((required && v === '') || v.length > max)
      problem(k, required ? `must be 1 to ${max} characters` : `must be at most ${max} characters`);
    return v.slice(0, max);
  };
  const indicatorName = text('indicatorName', 300);
  const areaCode = cell('areaCode').toUpperCase();
  if (!AREA_CODE.test(areaCode)) problem('areaCode', 'must be an area code such as E06000017');
  const areaName = text('areaName', 200);
  const areaType = text('areaType', 100);
  const sex = text('sex', 50);
  const age = text('age', 50);
  const categoryType = text('categoryType', 200, false);
  const category = text('category', 200, false);
  const timePeriod = cell('timePeriod');
  if (!TIME_PERIOD.test(timePeriod) || timePeriod.length > 40) problem('timePeriod', 'must be a time period such as 2022/23');
  const numbers: Partial<Record<FingertipsColumn, number | null>> = {};
  for (const k of ['value', 'lower95', 'upper95', 'lower998', 'upper998', 'count', 'denominator'] as const) {
    const n = readNumber(cell(k));
    if (n === 'bad') problem(k, 'must be a number or blank');
    else if (n !== null && (k === 'count' || k === 'denominator') && n < 0) problem(k, 'must not be negative');
    else numbers[k] = n;
  }
  for (const [lo, hi] of [
    ['lower95', 'upper95'],
    ['lower998', 'upper998'],
  ] as const) {
    const a = numbers[lo];
    const b = numbers[hi];
    if (a !== undefined && a !== null && b !== undefined && b !== null && a > b)
      problem(lo, `must not be above the ${FINGERTIPS_COLUMNS[hi]} (${b})`);
  }
  const valueNote = text('valueNote', 300, false);
  const comparedToEngland = text('comparedToEngland', 200, false);
  if (problems.length) return { problems };
  const n = (k: FingertipsColumn) => numbers[k] ?? null;
  return {
    row: {
      indicatorId: id,
      indicatorName,
      areaCode,
      areaName,
      areaType,
      sex,
      age,
      categoryType,
      category,
      timePeriod,
      value: n('value'),
      lower95: n('lower95'),
      upper95: n('upper95'),
      lower998: n('lower998'),
      upper998: n('upper998'),
      count: n('count'),
      denominator: n('denominator'),
      valueNote,
      comparedToEngland,
    },
  };
}

/** What makes a row one of its own: the same key twice in a file is a problem. */
export function fingertipsRowKey(
  r: Pick<FingertipsRow, 'indicatorId' | 'areaCode' | 'areaType' | 'sex' | 'age' | 'categoryType' | 'category' | 'timePeriod'>,
): string {
  return [r.indicatorId, r.areaCode, r.areaType, r.sex, r.age, r.categoryType, r.category, r.timePeriod].join('\u0000');
}

export interface FingertipsPoint extends FingertipsValues {
  timePeriod: string;
  valueNote: string;
  comparedToEngland: string;
  england: number | null;
}

export interface FingertipsSeries {
  indicatorId: number;
  indicatorName: string;
  areaCode: string;
  areaName: string;
  sex: string;
  age: string;
  points: FingertipsPoint[];
}

type StoredRow = Omit<FingertipsRow, 'areaType'>;

/**
 * An area's headline series of one indicator (no breakdown category; "Persons" when the indicator has it, else the
 * first sex; the age most rows of that sex give), oldest period first, each with England's value of the same period.
 * Time periods sort as text, which orders Fingertips' forms (2019, 2019/20, 2019/20 - 21/22) by their first year.
 */
export function fingertipsSeries(rows: readonly StoredRow[], areaCode: string): FingertipsSeries | null {
  const headline = rows.filter((r) => r.categoryType === '');
  const ours = headline.filter((r) => r.areaCode === areaCode);
  if (ours.length === 0) return null;
  const sexes = [...new Set(ours.map((r) => r.sex))].sort();
  const sex = sexes.includes('Persons') ? 'Persons' : sexes[0]!;
  const ages = new Map<string, number>();
  for (const r of ours) if (r.sex === sex) ages.set(r.age, (ages.get(r.age) ?? 0) + 1);
  const age = [...ages].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
  const pick = (r: StoredRow) => r.sex === sex && r.age === age;
  const england = new Map(headline.filter((r) => r.areaCode === ENGLAND_CODE && pick(r)).map((r) => [r.timePeriod, r.value]));
  const points = ours
    .filter(pick)
    .sort((a, b) => a.timePeriod.localeCompare(b.timePeriod))
    .map((r) => ({
      timePeriod: r.timePeriod,
      ...fingertipsValues(r),
      valueNote: r.valueNote,
      comparedToEngland: r.comparedToEngland,
      england: england.get(r.timePeriod) ?? null,
    }));
  const first = ours[0]!;
  return { indicatorId: first.indicatorId, indicatorName: first.indicatorName, areaCode, areaName: first.areaName, sex, age, points };
}

/**
 * The financial year an annual indicator's figure takes from a Fingertips time period: a single financial year
 * (2022/23) is itself; a pooled one (2020/21 - 22/23) is its last year, and `pooled` says so; anything else (a
 * calendar year, a quarter) has none.
 */
export function financialYearOfPeriod(timePeriod: string): { year: string; pooled: boolean } | null {
  const t = timePeriod.trim();
  const single = /^(\d{4})\/(\d{2})$/.exec(t);
  if (single && (Number(single[1]) + 1) % 100 === Number(single[2])) return { year: t, pooled: false };
  const range = /^(\d{4})\/(\d{2})\s*-\s*(\d{2})\/(\d{2})$/.exec(t);
  if (range) {
    const startYear = Number(range[1]);
    const century = Math.floor(startYear / 100) * 100;
    let endStart = century + Number(range[3]);
    if (endStart < startYear) endStart += 100;
    if ((endStart + 1) % 100 !== Number(range[4])) return null;
    return { year: `${endStart}/${range[4]}`, pooled: true };
  }
  return null;
}
