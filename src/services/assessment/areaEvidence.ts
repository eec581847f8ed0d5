/**
 * Deprivation and the map of the strategic assessment (issue 17, ADR 0044): the area's crime and anti-social
 * behaviour by IMD 2019 decile (deciles and residents from the imported indices in the app database, counts by LSOA
 * from the police.uk store) and the hexagon density of its records. The store groups the records
 * (src/adapters/crimeStore/queries.ts); the figures are made by src/domain/deprivation.ts and hexBins.ts.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import type { CrimeStore } from '../../adapters/crimeStore/store.ts';
import { crimeAndAsbByLsoa, recordsByPoint, type AreaRecords } from '../../adapters/crimeStore/queries.ts';
import { deprivationProfile, type DeprivationProfile } from '../../domain/deprivation.ts';
import { hexBin, type HexGrid } from '../../domain/hexBins.ts';
import { lsoaChoropleth, type Choropleth, type MultiPolygonCoordinates } from '../../domain/lsoaBoundaries.ts';
import { areaRecords, type PartnershipArea } from './strategicAssessment.ts';

/** Rows per IN (…) list when reading the indices of an area's LSOAs. */
const CODES_PER_QUERY = 900;

export interface AreaDeprivation {
  /** Null when the indices have not been imported. */
  profile: DeprivationProfile | null;
  /** LSOAs held in the imported indices (0: not imported). */
  lsoasHeld: number;
}

/** The IMD deciles and residents of these LSOAs, from the imported indices. */
export async function deprivationOf(db: Kysely<Database>, codes: readonly string[]) {
  const out: { code: string; imdDecile: number; population: number }[] = [];
  for (let i = 0; i < codes.length; i += CODES_PER_QUERY) {
    const rows = await db
      .selectFrom('official_deprivation')
      .select(['lsoa_code', 'imd_decile', 'population'])
      .where('lsoa_code', 'in', codes.slice(i, i + CODES_PER_QUERY))
      .execute();
    out.push(...rows.map((r) => ({ code: r.lsoa_code, imdDecile: Number(r.imd_decile), population: Number(r.population) })));
  }
  return out;
}

/** The area's crime and ASB by LSOA over the window, when already counted (the analysis page's single read). */
export type LsoaRecords = { code: string; crime: number; asb: number }[];
/** The area's records by map point over the window, when already counted (the analysis page's single read). */
export type PointRecords = { longitude: number; latitude: number; crime: number; asb: number }[];

/** The area's crime and ASB by IMD decile over the months `from` to `to` (`counted`: by LSOA, when already counted). */
export async function areaDeprivation(
  db: Kysely<Database>,
  store: CrimeStore,
  area: PartnershipArea,
  window: { from: string; to: string },
  resolved?: AreaRecords,
  counted?: LsoaRecords,
): Promise<AreaDeprivation> {
  const held = await db
    .selectFrom('official_deprivation')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  const lsoasHeld = Number(held?.n ?? 0);
  if (lsoasHeld === 0) return { profile: null, lsoasHeld };
  const records = resolved ?? (await areaRecords(store, area));
  const [lsoas, counts] = await Promise.all([
    deprivationOf(db, records.codes),
    counted ?? crimeAndAsbByLsoa(store, records, window.from, window.to),
  ]);
  return { profile: deprivationProfile(records.codes, lsoas, counts), lsoasHeld };
}

export type MapKind = 'crime' | 'asb';
export const MAP_KINDS: readonly MapKind[] = ['crime', 'asb'];

/** 'asb' when asked for, else crime. */
export function mapKindOf(value: unknown): MapKind {
  return value === 'asb' ? 'asb' : 'crime';
}

/** The hexagon density of the area's crime or ASB over the months `from` to `to` (`counted`: by point, when already counted). */
export async function areaHexMap(
  store: CrimeStore,
  area: PartnershipArea,
  window: { from: string; to: string },
  kind: MapKind,
  resolved?: AreaRecords,
  counted?: PointRecords,
): Promise<HexGrid> {
  const points = counted ?? (await recordsByPoint(store, resolved ?? (await areaRecords(store, area)), window.from, window.to));
  return hexBin(points.map((p) => ({ longitude: p.longitude, latitude: p.latitude, count: kind === 'asb' ? p.asb : p.crime })));
}

export interface AreaChoropleth {
  /** Null when no boundaries are imported, or none is of the area's LSOAs. */
  map: Choropleth | null;
  /** LSOA boundaries held (0: not imported). */
  boundariesHeld: number;
  /** Where the residents come from: ONS estimates of a year ('ONS mid-2022'), the indices' mid-2015 population. */
  populationSources: string[];
}

/**
 * The residents of these LSOAs: the ONS estimate of the latest year up to `year` (else the earliest held) where an
 * LSOA's estimates are imported, else the mid-2015 population of the imported indices of deprivation.
 */
async function lsoaPopulations(
  db: Kysely<Database>,
  codes: readonly string[],
  year: number,
): Promise<{ populations: Map<string, number>; sources: string[] }> {
  const ons = new Map<string, { year: number; population: number }>();
  const better = (held: { year: number } | undefined, y: number) =>
    !held || (y <= year ? held.year > year || y > held.year : held.year > year && y < held.year);
  const populations = new Map<string, number>();
  const sources = new Set<string>();
  for (let i = 0; i < codes.length; i += CODES_PER_QUERY) {
    const part = codes.slice(i, i + CODES_PER_QUERY);
    const rows = await db
      .selectFrom('official_populations')
      .select(['area_code', 'year', 'population'])
      .where('area_code', 'in', part)
      .execute();
    for (const r of rows)
      if (better(ons.get(r.area_code), Number(r.year))) ons.set(r.area_code, { year: Number(r.year), population: Number(r.population) });
  }
  for (const [code, p] of ons) {
    populations.set(code, p.population);
    sources.add(`ONS mid-${p.year}`);
  }
  const rest = codes.filter((c) => !ons.has(c));
  for (const d of await deprivationOf(db, rest)) {
    populations.set(d.code, d.population);
    sources.add('Indices of Deprivation 2019 (mid-2015)');
  }
  return { populations, sources: [...sources].sort() };
}

/**
 * The area's LSOAs shaded by crime or ASB over the months `from` to `to` (rates per 1,000 where residents are held;
 * `counted`: by LSOA, when already counted).
 */
export async function areaChoropleth(
  db: Kysely<Database>,
  store: CrimeStore,
  area: PartnershipArea,
  window: { from: string; to: string },
  kind: MapKind,
  resolved?: AreaRecords,
  counted?: LsoaRecords,
): Promise<AreaChoropleth> {
  const held = await db
    .selectFrom('official_lsoa_boundaries')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  const boundariesHeld = Number(held?.n ?? 0);
  if (boundariesHeld === 0) return { map: null, boundariesHeld, populationSources: [] };
  const records = resolved ?? (await areaRecords(store, area));
  const boundaries: { code: string; name: string; polygons: MultiPolygonCoordinates }[] = [];
  for (let i = 0; i < records.codes.length; i += CODES_PER_QUERY) {
    const rows = await db
      .selectFrom('official_lsoa_boundaries')
      .select(['lsoa_code', 'lsoa_name', 'coordinates_json'])
      .where('lsoa_code', 'in', records.codes.slice(i, i + CODES_PER_QUERY))
      .execute();
    boundaries.push(
      ...rows.map((r) => ({ code: r.lsoa_code, name: r.lsoa_name, polygons: JSON.parse(r.coordinates_json) as MultiPolygonCoordinates })),
    );
  }
  if (boundaries.length === 0) return { map: null, boundariesHeld, populationSources: [] };
  const [counts, { populations, sources }] = await Promise.all([
    counted ?? crimeAndAsbByLsoa(store, records, window.from, window.to),
    lsoaPopulations(
      db,
      boundaries.map((b) => b.code),
      Number(window.to.slice(0, 4)),
    ),
  ]);
  const map = lsoaChoropleth({
    areaCodes: records.codes,
    boundaries,
    counts: new Map(counts.map((c) => [c.code, kind === 'asb' ? c.asb : c.crime])),
    populations,
  });
  return { map, boundariesHeld, populationSources: map.measure === 'rate' ? sources : [] };
}
