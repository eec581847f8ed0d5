/**
 * The English Indices of Deprivation 2019, File 7 ("all ranks, deciles and scores for the indices of deprivation,
 * and population denominators"), one row per LSOA (2011), as CSP Hub imports it (issue 17, ADR 0044): the columns it
 * reads, the checks on each row, and crime and anti-social behaviour by IMD decile for a partnership's LSOAs. Pure,
 * so the importer, the generator and the tests share it.
 */
import type { RowProblem } from './officialData.ts';

/** The File 7 columns read, each with the published header (the first words are enough to find it). */
export const DEPRIVATION_COLUMNS = {
  lsoaCode: 'LSOA code (2011)',
  lsoaName: 'LSOA name (2011)',
  laCode: 'Local Authority District code (2019)',
  laName: 'Local Authority District name (2019)',
  imdScore: 'Index of Multiple Deprivation (IMD) Score',
  imdRank: 'Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)',
  imdDecile: 'Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)',
  crimeScore: 'Crime Score',
  crimeRank: 'Crime Rank (where 1 is most deprived)',
  crimeDecile: 'Crime Decile (where 1 is most deprived 10% of LSOAs)',
  population: 'Total population: mid 2015 (excluding prisoners)',
} as const;

export type DeprivationColumn = keyof typeof DEPRIVATION_COLUMNS;

/** How each column is recognised: its header up to the first bracket that only explains it ("(where 1 is …"). */
const HEADER_KEYS: Record<DeprivationColumn, string> = Object.fromEntries(
  Object.entries(DEPRIVATION_COLUMNS).map(([k, v]) => [k, normaliseHeader(v.replace(/\s*\(where .*$/i, '').replace(/:.*$/, ''))]),
) as Record<DeprivationColumn, string>;

function normaliseHeader(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');
}

/** The number of LSOAs in England in the 2019 indices: ranks run from 1 to this. */
export const LSOAS_IN_ENGLAND = 32_844;

export interface DeprivationRow {
  lsoaCode: string;
  lsoaName: string;
  laCode: string;
  laName: string;
  imdScore: number;
  imdRank: number;
  imdDecile: number;
  crimeScore: number;
  crimeRank: number;
  crimeDecile: number;
  population: number;
}

/** Where each column is in the header (found by the start of its published name, without case), or the problems. */
export function deprivationHeader(header: readonly string[]): Record<DeprivationColumn, number> | { problems: RowProblem[] } {
  const names = header.map(normaliseHeader);
  const problems: RowProblem[] = [];
  const index = {} as Record<DeprivationColumn, number>;
  for (const key of Object.keys(DEPRIVATION_COLUMNS) as DeprivationColumn[]) {
    const found = names.flatMap((n, i) => (n.startsWith(HEADER_KEYS[key]) ? [i] : []));
    const column = DEPRIVATION_COLUMNS[key];
    if (found.length === 0) problems.push({ row: 1, column, value: '', message: `The header has no "${column}" column` });
    else if (found.length > 1) problems.push({ row: 1, column, value: column, message: `The header has the "${column}" column twice` });
    else index[key] = found[0]!;
  }
  return problems.length ? { problems } : index;
}

const LSOA_CODE = /^E01\d{6}$/;
const LA_CODE = /^E0[6-9]\d{6}$/;

function parseNumber(text: string): number | null {
  const t = text.trim().replace(/,/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

function parseWhole(text: string, min: number, max: number): number | null {
  const n = parseNumber(text);
  return n !== null && Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/** One data row checked: the row, or every problem in it (each naming its row, column and value). */
export function checkDeprivationRow(
  cells: readonly string[],
  index: Record<DeprivationColumn, number>,
  row: number,
  sheet?: string,
): { row: DeprivationRow } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const cell = (k: DeprivationColumn) => (cells[index[k]] ?? '').trim();
  const problem = (k: DeprivationColumn, message: string) =>
    problems.push({ row, ...(sheet ? { sheet } : {}), column: DEPRIVATION_COLUMNS[k], value: cell(k).slice(0, 60), message });
  const lsoaCode = cell('lsoaCode').toUpperCase();
  if (!LSOA_CODE.test(lsoaCode)) problem('lsoaCode', 'must be an English LSOA code such as E01000001');
  const laCode = cell('laCode').toUpperCase();
  if (!LA_CODE.test(laCode)) problem('laCode', 'must be a local authority district code such as E08000018');
  for (const k of ['lsoaName', 'laName'] as const) if (cell(k) === '' || cell(k).length > 200) problem(k, 'must be 1 to 200 characters');
  const imdScore = parseNumber(cell('imdScore'));
  if (imdScore === null || imdScore < 0 || imdScore > 100) problem('imdScore', 'must be a score from 0 to 100');
  const crimeScore = parseNumber(cell('crimeScore'));
  if (crimeScore === null || crimeScore < -10 || crimeScore > 10) problem('crimeScore', 'must be a score from -10 to 10');
  const ranks = { imdRank: 0, crimeRank: 0, imdDecile: 0, crimeDecile: 0 };
  for (const k of ['imdRank', 'crimeRank'] as const) {
    const n = parseWhole(cell(k), 1, LSOAS_IN_ENGLAND);
    if (n === null) problem(k, `must be a whole number from 1 to ${LSOAS_IN_ENGLAND.toLocaleString('en-GB')}`);
    else ranks[k] = n;
  }
  for (const k of ['imdDecile', 'crimeDecile'] as const) {
    const n = parseWhole(cell(k), 1, 10);
    if (n === null) problem(k, 'must be a whole number from 1 to 10');
    else ranks[k] = n;
  }
  const population = parseWhole(cell('population'), 0, 100_000);
  if (population === null) problem('population', 'must be a whole number of people from 0 to 100,000');
  if (problems.length) return { problems };
  return {
    row: {
      lsoaCode,
      lsoaName: cell('lsoaName'),
      laCode,
      laName: cell('laName'),
      imdScore: imdScore!,
      imdRank: ranks.imdRank,
      imdDecile: ranks.imdDecile,
      crimeScore: crimeScore!,
      crimeRank: ranks.crimeRank,
      crimeDecile: ranks.crimeDecile,
      population: population!,
    },
  };
}

/** The decile of a rank among `total` LSOAs (1 = the most deprived 10%), as the indices define it. */
export function decileOfRank(rank: number, total = LSOAS_IN_ENGLAND): number {
  return Math.min(10, Math.max(1, Math.ceil((rank * 10) / total)));
}

export interface LsoaDeprivation {
  code: string;
  imdDecile: number;
  population: number;
}

export interface DecileFigures {
  /** 1 = the most deprived 10% of LSOAs in England. */
  decile: number;
  lsoas: number;
  /** The decile's share of the partnership's LSOAs with a decile (0-1); null with none. */
  lsoaShare: number | null;
  /** Residents (IMD population denominator, mid-2015). */
  population: number;
  crime: number;
  asb: number;
  /** Per 1,000 residents; null when the decile has no residents. */
  crimeRate: number | null;
  asbRate: number | null;
  /** The decile's share of the area's crime and of its ASB (0-1); null when there was none. */
  crimeShare: number | null;
  asbShare: number | null;
}

export interface DeprivationProfile {
  /** Every decile 1-10, those with no LSOA of the area included (zeros). */
  deciles: DecileFigures[];
  /** The area's LSOAs with a decile, and those not in the imported indices (Welsh codes, 2021 codes, mistakes). */
  lsoasWithDecile: number;
  lsoasWithout: string[];
  /** Crime and ASB in LSOAs without a decile, not in any decile's figures. */
  crimeWithout: number;
  asbWithout: number;
  /** Crime in the two most deprived deciles over their share of residents: above 1 means more than their share. */
  mostDeprivedCrimeRatio: number | null;
}

/**
 * Crime and anti-social behaviour by IMD decile for an area: its LSOAs' deciles and residents, and the counts by
 * LSOA (from police.uk). An LSOA's counts go to its decile; counts in LSOAs of the area without a decile are kept
 * apart; counts in LSOAs outside the area are ignored.
 */
export function deprivationProfile(
  areaCodes: readonly string[],
  lsoas: readonly LsoaDeprivation[],
  counts: readonly { code: string; crime: number; asb: number }[],
): DeprivationProfile {
  const inArea = new Set(areaCodes);
  const byCode = new Map(lsoas.filter((l) => inArea.has(l.code)).map((l) => [l.code, l]));
  const d = Array.from({ length: 10 }, (_, i) => ({ decile: i + 1, lsoas: 0, population: 0, crime: 0, asb: 0 }));
  for (const l of byCode.values()) {
    const x = d[l.imdDecile - 1];
    if (!x) throw new RangeError(`IMD decile ${l.imdDecile} of ${l.code} is not 1 to 10`);
    x.lsoas += 1;
    x.population += l.population;
  }
  let crimeWithout = 0;
  let asbWithout = 0;
  for (const c of counts) {
    if (!inArea.has(c.code)) continue;
    const l = byCode.get(c.code);
    if (!l) {
      crimeWithout += c.crime;
      asbWithout += c.asb;
      continue;
    }
    d[l.imdDecile - 1]!.crime += c.crime;
    d[l.imdDecile - 1]!.asb += c.asb;
  }
  const lsoasWithDecile = byCode.size;
  const totalCrime = d.reduce((s, x) => s + x.crime, 0);
  const totalAsb = d.reduce((s, x) => s + x.asb, 0);
  const totalPopulation = d.reduce((s, x) => s + x.population, 0);
  const rate = (n: number, p: number) => (p > 0 ? (n / p) * 1000 : null);
  const share = (n: number, total: number) => (total > 0 ? n / total : null);
  const deciles = d.map((x) => ({
    ...x,
    lsoaShare: share(x.lsoas, lsoasWithDecile),
    crimeRate: rate(x.crime, x.population),
    asbRate: rate(x.asb, x.population),
    crimeShare: share(x.crime, totalCrime),
    asbShare: share(x.asb, totalAsb),
  }));
  const top = d[0]!.population + d[1]!.population;
  const topCrime = d[0]!.crime + d[1]!.crime;
  const mostDeprivedCrimeRatio = top > 0 && totalCrime > 0 && totalPopulation > 0 ? topCrime / totalCrime / (top / totalPopulation) : null;
  return {
    deciles,
    lsoasWithDecile,
    lsoasWithout: [...inArea].filter((c) => !byCode.has(c)).sort(),
    crimeWithout,
    asbWithout,
    mostDeprivedCrimeRatio,
  };
}
