/**
 * Deprivation and the map of the strategic assessment (issue 17, ADR 0044): the area's crime and anti-social
 * behaviour by IMD 2019 decile (deciles and residents from the imported indices in the app database, counts by LSOA
 * from the police.uk store) and the hexagon density of its records. The store groups the records
 * (src/adapters/crimeStore/queries.ts); the figures are made by src/domain/deprivation.ts and hexBins.ts.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import type { CrimeStore } from '../../adapters/crimeStore/store.ts';
import { crimeAndAsbByLsoa, recordsByPoint } from '../../adapters/crimeStore/queries.ts';
import { deprivationProfile, type DeprivationProfile } from '../../domain/deprivation.ts';
import { hexBin, type HexGrid } from '../../domain/hexBins.ts';
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

/** The area's crime and ASB by IMD decile over the months `from` to `to`. */
export async function areaDeprivation(
  db: Kysely<Database>,
  store: CrimeStore,
  area: PartnershipArea,
  window: { from: string; to: string },
): Promise<AreaDeprivation> {
  const held = await db
    .selectFrom('official_deprivation')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  const lsoasHeld = Number(held?.n ?? 0);
  if (lsoasHeld === 0) return { profile: null, lsoasHeld };
  const records = await areaRecords(store, area);
  const [lsoas, counts] = await Promise.all([deprivationOf(db, records.codes), crimeAndAsbByLsoa(store, records, window.from, window.to)]);
  return { profile: deprivationProfile(records.codes, lsoas, counts), lsoasHeld };
}

export type MapKind = 'crime' | 'asb';
export const MAP_KINDS: readonly MapKind[] = ['crime', 'asb'];

/** 'asb' when asked for, else crime. */
export function mapKindOf(value: unknown): MapKind {
  return value === 'asb' ? 'asb' : 'crime';
}

/** The hexagon density of the area's crime or ASB over the months `from` to `to`. */
export async function areaHexMap(
  store: CrimeStore,
  area: PartnershipArea,
  window: { from: string; to: string },
  kind: MapKind,
): Promise<HexGrid> {
  const records = await areaRecords(store, area);
  const points = await recordsByPoint(store, records, window.from, window.to);
  return hexBin(points.map((p) => ({ longitude: p.longitude, latitude: p.latitude, count: kind === 'asb' ? p.asb : p.crime })));
}
