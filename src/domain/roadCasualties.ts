/**
 * The DfT road casualty statistics collision file (STATS19, "dft-road-casualty-statistics-collision-YYYY.csv") as
 * CSP Hub imports it (issue 17 item 6, ADR 0046): the columns read (the older accident_* names or the newer
 * collision_* ones; the rest are ignored), the checks on each row, and killed or seriously injured (KSI) collisions
 * by year. Pure, so the importer, the generator, the page and the tests share it.
 */
import type { RowProblem } from './officialData.ts';

/** Each column read, with the names it is published under (the first is the one the generator writes). */
export const ROAD_COLUMNS = {
  index: ['accident_index', 'collision_index'],
  year: ['accident_year', 'collision_year'],
  longitude: ['longitude'],
  latitude: ['latitude'],
  policeForce: ['police_force'],
  severity: ['accident_severity', 'collision_severity'],
  casualties: ['number_of_casualties'],
  date: ['date'],
  laCode: ['local_authority_ons_district', 'local_authority_district'],
  lsoa: ['lsoa_of_accident_location', 'lsoa_of_collision_location'],
} as const;

export type RoadColumn = keyof typeof ROAD_COLUMNS;
const OPTIONAL: readonly RoadColumn[] = ['longitude', 'latitude', 'policeForce', 'lsoa'];

export type RoadHeader = Partial<Record<RoadColumn, number>> & { names: Partial<Record<RoadColumn, string>> };

export const SEVERITY_TEXT: Record<number, string> = { 1: 'Fatal', 2: 'Serious', 3: 'Slight' };

export interface RoadCollisionRow {
  index: string;
  year: number;
  /** YYYY-MM-DD. */
  date: string;
  severity: 1 | 2 | 3;
  casualties: number;
  laCode: string;
  lsoaCode: string;
  policeForce: number | null;
  longitude: number | null;
  latitude: number | null;
}

/**
 * Where each column is. The local authority is read from local_authority_ons_district, or from
 * local_authority_district when the file has no ONS column (its values must then be ONS codes).
 */
export function roadHeader(header: readonly string[]): RoadHeader | { problems: RowProblem[] } {
  const names = header.map((h) =>
    h
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase(),
  );
  const problems: RowProblem[] = [];
  const index: RoadHeader = { names: {} };
  for (const key of Object.keys(ROAD_COLUMNS) as RoadColumn[]) {
    const found = ROAD_COLUMNS[key].find((n) => names.includes(n));
    if (found === undefined) {
      if (!OPTIONAL.includes(key))
        problems.push({
          row: 1,
          column: ROAD_COLUMNS[key].join(' or '),
          value: '',
          message: `The header has no "${ROAD_COLUMNS[key].join('" or "')}" column`,
        });
    } else if (names.lastIndexOf(found) !== names.indexOf(found))
      problems.push({ row: 1, column: found, value: found, message: `The header has the "${found}" column twice` });
    else {
      index[key] = names.indexOf(found);
      index.names[key] = found;
    }
  }
  return problems.length ? { problems } : index;
}

/** Markers the file uses for "not known". */
const UNKNOWN = new Set(['', '-1', 'null', 'na']);
const ONS_LA = /^[EWS]\d{8}$/;
const LSOA = /^[EW]01\d{6}$/;

/** One data row checked: the row, or every problem in it (each naming its row, column and value). */
export function checkRoadRow(
  cells: readonly string[],
  index: RoadHeader,
  row: number,
  sheet?: string,
): { row: RoadCollisionRow } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const cell = (k: RoadColumn) => (index[k] === undefined ? '' : (cells[index[k]] ?? '').trim());
  const problem = (k: RoadColumn, message: string) =>
    problems.push({ row, ...(sheet ? { sheet } : {}), column: index.names[k] ?? ROAD_COLUMNS[k][0], value: cell(k).slice(0, 60), message });
  const id = cell('index');
  if (!/^[0-9A-Za-z]{5,30}$/.test(id)) problem('index', 'must be the collision index, letters and digits such as 2023010419171');
  const yearText = cell('year');
  const year = Number(yearText);
  if (!/^\d{4}$/.test(yearText) || year < 1979 || year > 2100) problem('year', 'must be a year such as 2023');
  const severity = Number(cell('severity'));
  if (!['1', '2', '3'].includes(cell('severity'))) problem('severity', 'must be 1 (fatal), 2 (serious) or 3 (slight)');
  const casualties = Number(cell('casualties'));
  if (!/^\d{1,4}$/.test(cell('casualties')) || casualties < 1) problem('casualties', 'must be a whole number of casualties, at least 1');
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(cell('date')) ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(cell('date'));
  let date = '';
  if (m) {
    const [y, mo, d] = m[1]!.length === 4 ? [m[1]!, m[2]!, m[3]!] : [m[3]!, m[2]!, m[1]!];
    date = `${y}-${mo}-${d}`;
    const t = new Date(`${date}T00:00:00Z`);
    if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== date) date = '';
  }
  if (date === '') problem('date', 'must be a date such as 31/01/2023');
  else if (/^\d{4}$/.test(yearText) && date.slice(0, 4) !== yearText) problem('date', `is not in ${yearText}, the collision's year`);
  const la = cell('laCode').toUpperCase();
  if (!UNKNOWN.has(la.toLowerCase()) && !ONS_LA.test(la)) problem('laCode', 'must be an ONS local authority code such as E06000017, or -1');
  const lsoa = cell('lsoa').toUpperCase();
  if (!UNKNOWN.has(lsoa.toLowerCase()) && !LSOA.test(lsoa)) problem('lsoa', 'must be an LSOA code such as E01000001, or -1');
  const coordinate = (k: 'longitude' | 'latitude', limit: number) => {
    const t = cell(k);
    if (UNKNOWN.has(t.toLowerCase())) return null;
    const n = Number(t);
    if (!/^-?\d+(\.\d+)?$/.test(t) || Math.abs(n) > limit) {
      problem(k, `must be a number from -${limit} to ${limit}, or blank`);
      return null;
    }
    return n;
  };
  const longitude = coordinate('longitude', 180);
  const latitude = coordinate('latitude', 90);
  const forceText = cell('policeForce');
  const policeForce = /^\d{1,3}$/.test(forceText) ? Number(forceText) : null;
  if (policeForce === null && !UNKNOWN.has(forceText.toLowerCase())) problem('policeForce', 'must be the police force number, such as 1');
  if (problems.length) return { problems };
  return {
    row: {
      index: id,
      year,
      date,
      severity: severity as 1 | 2 | 3,
      casualties,
      laCode: UNKNOWN.has(la.toLowerCase()) ? '' : la,
      lsoaCode: UNKNOWN.has(lsoa.toLowerCase()) ? '' : lsoa,
      policeForce,
      longitude,
      latitude,
    },
  };
}

export interface KsiYear {
  year: number;
  collisions: number;
  fatal: number;
  serious: number;
  /** Fatal plus serious collisions. */
  ksiCollisions: number;
  /** Casualties of every severity in the fatal and serious collisions (the collision file does not split them). */
  ksiCollisionCasualties: number;
  casualties: number;
}

/**
 * Collisions by year, oldest first: all, fatal, serious, KSI and the casualties in them. Each year held (imported,
 * even with none in the area) is listed, and each year of the rows.
 */
export function ksiByYear(
  rows: readonly Pick<RoadCollisionRow, 'year' | 'severity' | 'casualties'>[],
  yearsHeld: readonly number[] = [],
): KsiYear[] {
  const years = [...new Set([...yearsHeld, ...rows.map((r) => r.year)])].sort((a, b) => a - b);
  const out = new Map<number, KsiYear>();
  for (const y of years)
    out.set(y, { year: y, collisions: 0, fatal: 0, serious: 0, ksiCollisions: 0, ksiCollisionCasualties: 0, casualties: 0 });
  for (const r of rows) {
    const y = out.get(r.year)!;
    y.collisions += 1;
    y.casualties += r.casualties;
    if (r.severity === 1) y.fatal += 1;
    if (r.severity === 2) y.serious += 1;
    if (r.severity <= 2) {
      y.ksiCollisions += 1;
      y.ksiCollisionCasualties += r.casualties;
    }
  }
  return [...out.values()];
}
