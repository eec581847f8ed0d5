/**
 * The layouts of the official tables CSP Hub imports for the evidence base (ADR 0028), and the checks on each row,
 * pure so the importer, the generator and the tests share them:
 * - the Home Office's "Police recorded crime by Community Safety Partnership" open data table: one row per
 *   financial year, quarter, force, CSP and offence (CSV, or XLSX with one sheet per year);
 * - ONS mid-year population estimates (the MYE4 time series layout): Code, Name, Geography, then one column per
 *   year, "Mid-2022", "Mid-2021"…, and optionally "Area (sq km)" for density.
 */
import { percentageChange } from './change.ts';

export const CRIME_COLUMNS = [
  'Financial Year',
  'Financial Quarter',
  'Force Name',
  'CSP Name',
  'Offence Description',
  'Offence Group',
  'Offence Subgroup',
  'Offence Code',
  'Offence Count',
] as const;

/** A problem with one cell (or the header) of an imported file: where it is and what was there. */
export interface RowProblem {
  /** 1-based row number in the file (or sheet); 1 is the header. */
  row: number;
  sheet?: string;
  /** 'feature' when `row` counts the features of a GeoJSON file (from 1; 0 is the file as a whole). */
  unit?: 'feature';
  column: string;
  value: string;
  message: string;
}

export interface CrimeRow {
  financialYear: number;
  quarter: number;
  forceName: string;
  cspName: string;
  offenceDescription: string;
  offenceGroup: string;
  offenceSubgroup: string;
  offenceCode: string;
  count: number;
}

/** The largest count one row may hold: more than any CSP records of one offence in a quarter. */
export const MAX_OFFENCE_COUNT = 10_000_000;

/** "2022/23" (also "2022-23", "2022/2023") → 2022; null when it is not a financial year. */
export function parseFinancialYear(text: string): number | null {
  const m = /^\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$/.exec(text);
  if (!m) return null;
  const start = Number(m[1]);
  const end = m[2]!.length === 2 ? Number(m[2]) : Number(m[2]) % 100;
  if (end !== (start + 1) % 100 || start < 1990 || start > 2100) return null;
  return start;
}

/** 2022 → "2022/23". */
export function financialYearLabel(start: number): string {
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

/** "1" or "Q1" → 1; null otherwise. */
export function parseQuarter(text: string): number | null {
  const m = /^\s*Q?([1-4])\s*$/i.exec(text);
  return m ? Number(m[1]) : null;
}

/** Whole non-negative counts; "1,234" accepted. */
export function parseCount(text: string, max = MAX_OFFENCE_COUNT): number | null {
  const t = text.trim();
  if (!/^\d{1,3}(,\d{3})*$|^\d+$/.test(t)) return null;
  const n = Number(t.replace(/,/g, ''));
  return Number.isSafeInteger(n) && n <= max ? n : null;
}

/**
 * Where each Home Office column is in a header row (names compared without case or surrounding spaces), or the
 * problems: a column missing, or given twice.
 */
export function crimeHeader(
  header: readonly string[],
): { index: Record<(typeof CRIME_COLUMNS)[number], number> } | { problems: RowProblem[] } {
  const names = header.map((h) => h.trim().toLowerCase());
  const problems: RowProblem[] = [];
  const index = {} as Record<(typeof CRIME_COLUMNS)[number], number>;
  for (const c of CRIME_COLUMNS) {
    const i = names.indexOf(c.toLowerCase());
    if (i === -1) problems.push({ row: 1, column: c, value: '', message: `The header has no "${c}" column` });
    else if (names.lastIndexOf(c.toLowerCase()) !== i)
      problems.push({ row: 1, column: c, value: c, message: `The header has the "${c}" column twice` });
    else index[c] = i;
  }
  return problems.length ? { problems } : { index };
}

const TEXT_LIMIT = 200;

/** One data row checked: the row, or every problem in it (each naming its row, column and value). */
export function checkCrimeRow(
  cells: readonly string[],
  index: Record<(typeof CRIME_COLUMNS)[number], number>,
  row: number,
  sheet?: string,
): { row: CrimeRow } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const cell = (c: (typeof CRIME_COLUMNS)[number]) => (cells[index[c]] ?? '').trim();
  const problem = (column: string, message: string) =>
    problems.push({
      row,
      ...(sheet ? { sheet } : {}),
      column,
      value: cell(column as (typeof CRIME_COLUMNS)[number]).slice(0, 60),
      message,
    });
  const financialYear = parseFinancialYear(cell('Financial Year'));
  if (financialYear === null) problem('Financial Year', 'must be a financial year such as 2022/23');
  const quarter = parseQuarter(cell('Financial Quarter'));
  if (quarter === null) problem('Financial Quarter', 'must be a quarter from 1 to 4');
  for (const c of ['Force Name', 'CSP Name', 'Offence Description', 'Offence Group', 'Offence Code'] as const) {
    if (cell(c) === '') problem(c, 'must not be empty');
    else if (cell(c).length > TEXT_LIMIT) problem(c, `must be ${TEXT_LIMIT} characters or fewer`);
  }
  if (cell('Offence Code').length > 20) problem('Offence Code', 'must be 20 characters or fewer');
  if (cell('Offence Subgroup').length > TEXT_LIMIT) problem('Offence Subgroup', `must be ${TEXT_LIMIT} characters or fewer`);
  const count = parseCount(cell('Offence Count'));
  if (count === null) problem('Offence Count', `must be a whole number from 0 to ${MAX_OFFENCE_COUNT.toLocaleString('en-GB')}`);
  if (problems.length) return { problems };
  return {
    row: {
      financialYear: financialYear!,
      quarter: quarter!,
      forceName: cell('Force Name'),
      cspName: cell('CSP Name'),
      offenceDescription: cell('Offence Description'),
      offenceGroup: cell('Offence Group'),
      offenceSubgroup: cell('Offence Subgroup'),
      offenceCode: cell('Offence Code'),
      count: count!,
    },
  };
}

/** Population table: required identifying columns, year columns "Mid-YYYY", optional area. */
export const POPULATION_ID_COLUMNS = ['Code', 'Name', 'Geography'] as const;
export const AREA_COLUMN = 'Area (sq km)';

export interface PopulationHeader {
  code: number;
  name: number;
  geography: number;
  area: number | null;
  years: { year: number; index: number }[];
}

export function populationHeader(header: readonly string[]): PopulationHeader | { problems: RowProblem[] } {
  const names = header.map((h) => h.trim().toLowerCase());
  const problems: RowProblem[] = [];
  const find = (c: string) => names.indexOf(c.toLowerCase());
  for (const c of POPULATION_ID_COLUMNS)
    if (find(c) === -1) problems.push({ row: 1, column: c, value: '', message: `The header has no "${c}" column` });
  const years: { year: number; index: number }[] = [];
  header.forEach((h, index) => {
    const m = /^\s*mid-?\s*(\d{4})\s*$/i.exec(h);
    if (m) {
      const year = Number(m[1]);
      if (years.some((y) => y.year === year)) problems.push({ row: 1, column: h, value: h, message: `The year ${year} is given twice` });
      else years.push({ year, index });
    }
  });
  if (years.length === 0)
    problems.push({ row: 1, column: 'Mid-YYYY', value: '', message: 'The header has no year column such as "Mid-2022"' });
  if (problems.length) return { problems };
  const area = find(AREA_COLUMN);
  return { code: find('Code'), name: find('Name'), geography: find('Geography'), area: area === -1 ? null : area, years };
}

export interface PopulationRow {
  code: string;
  name: string;
  geography: string;
  areaSqKm: number | null;
  populations: { year: number; population: number }[];
}

/** ONS area codes: a letter, two digits, six digits (E06000018, E01000001, W06000015). */
export const AREA_CODE = /^[EWSNK]\d{8}$/;

export function checkPopulationRow(
  cells: readonly string[],
  h: PopulationHeader,
  row: number,
  sheet?: string,
): { row: PopulationRow } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const at = (i: number) => (cells[i] ?? '').trim();
  const problem = (column: string, value: string, message: string) =>
    problems.push({ row, ...(sheet ? { sheet } : {}), column, value: value.slice(0, 60), message });
  const code = at(h.code).toUpperCase();
  if (!AREA_CODE.test(code)) problem('Code', at(h.code), 'must be an ONS area code such as E08000018');
  const name = at(h.name);
  if (name === '' || name.length > TEXT_LIMIT) problem('Name', name, `must be 1 to ${TEXT_LIMIT} characters`);
  const geography = at(h.geography);
  if (geography === '' || geography.length > 50) problem('Geography', geography, 'must be 1 to 50 characters');
  let areaSqKm: number | null = null;
  if (h.area !== null && at(h.area) !== '') {
    const a = Number(at(h.area).replace(/,/g, ''));
    if (!Number.isFinite(a) || a <= 0 || a > 1_000_000) problem(AREA_COLUMN, at(h.area), 'must be a number of square kilometres above 0');
    else areaSqKm = a;
  }
  const populations: { year: number; population: number }[] = [];
  for (const y of h.years) {
    const text = at(y.index);
    if (text === '') continue;
    const p = parseCount(text, 100_000_000);
    if (p === null || p === 0) problem(`Mid-${y.year}`, text, 'must be a whole number of people above 0');
    else populations.push({ year: y.year, population: p });
  }
  if (problems.length) return { problems };
  return { row: { code, name, geography, areaSqKm, populations } };
}

/** CSP and local authority names compared: case, "&"/"and", punctuation and spaces ignored. */
export function areaNameKey(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export interface GroupYearCounts {
  group: string;
  /** Count by financial year (start year). */
  counts: Record<number, number>;
}

export interface GroupChangeRow {
  group: string;
  counts: number[];
  /** Change from the year before the last to the last, one decimal place; null without two years or from 0. */
  change: number | null;
}

/**
 * Counts by offence group and year, the groups alphabetically with "All offences" first, and the % change
 * between the last two years shown.
 */
export function groupChangeTable(rows: readonly { group: string; year: number; count: number }[]): {
  years: number[];
  rows: GroupChangeRow[];
} {
  const years = [...new Set(rows.map((r) => r.year))].sort((a, b) => a - b);
  const byGroup = new Map<string, Map<number, number>>();
  const total = new Map<number, number>();
  for (const r of rows) {
    const g = byGroup.get(r.group) ?? new Map<number, number>();
    g.set(r.year, (g.get(r.year) ?? 0) + r.count);
    byGroup.set(r.group, g);
    total.set(r.year, (total.get(r.year) ?? 0) + r.count);
  }
  const line = (group: string, m: Map<number, number>): GroupChangeRow => {
    const counts = years.map((y) => m.get(y) ?? 0);
    const change = counts.length >= 2 ? percentageChange(counts.at(-2)!, counts.at(-1)!) : null;
    return { group, counts, change };
  };
  return {
    years,
    rows: [
      ...(rows.length ? [line(ALL_OFFENCES, total)] : []),
      ...[...byGroup.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((g) => line(g, byGroup.get(g)!)),
    ],
  };
}

export const ALL_OFFENCES = 'All offences';
