/**
 * The questions the strategic assessment asks of the police.uk store (store.ts), one named function each. Every
 * value travels as a bound parameter, never as text pasted into the SQL. DuckDB does the grouping, so a few
 * hundred rows come back; the figures are made from them by src/domain (crimeAssessment.ts, seasonality.ts,
 * areaComparison.ts).
 *
 * An area is its LSOA codes and the forces that report in them. Rows are stored file by file, that is by month
 * and force, so a filter on the forces lets DuckDB skip every other force's row groups without reading them (a
 * partnership's area is in one or two of the 44 forces).
 *
 * On PostgreSQL (decision 0038) the same questions are asked of the same tables with arrays bound as
 * `= ANY($codes)`; the index on (lsoa_code, month) finds an area's rows, which an import writes sorted by LSOA so
 * that they sit together on disk. The answers are identical on both engines (test/assessment/crimeData.test.ts).
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { listValue } from './duckdb.ts';
import { ANTI_SOCIAL_BEHAVIOUR } from '../../domain/policeUkLayout.ts';
import type { RecordGroups } from '../../domain/crimeAssessment.ts';
import type { CrimeStore } from './store.ts';

/** The records of an area: its LSOA codes and the forces covering them. */
export interface AreaRecords {
  codes: readonly string[];
  forces: readonly string[];
}

type Params = Record<string, DuckDBValue>;

/**
 * `force IN ($force0, $force1, …)` with each force bound. DuckDB plans bound values as constants, so this prunes
 * row groups exactly as a written-out list would. No forces: no records.
 */
function forceFilter(forces: readonly string[]): { sql: string; params: Params } {
  if (forces.length === 0) return { sql: 'FALSE', params: {} };
  return {
    sql: `force IN (${forces.map((_, i) => `$force${i}`).join(', ')})`,
    params: Object.fromEntries(forces.map((f, i) => [`force${i}`, f])),
  };
}

/** The area's records: its forces, its LSOAs. */
function inArea(store: CrimeStore, area: AreaRecords): { sql: string; params: Params } {
  // PostgreSQL: the LSOAs alone. Every record of an area's LSOAs is in one of the forces covering them (that is how
  // those forces are found), so the forces add nothing but a worse plan: the planner would scan each month's force
  // index and filter the whole force's rows against the LSOA list (2.5 times slower for Rotherham in South Yorkshire)
  // instead of probing the (lsoa_code, month) index.
  if (store.engine === 'postgres') return { sql: `lsoa_code = ANY($codes)`, params: { codes: [...area.codes] } as unknown as Params };
  const forces = forceFilter(area.forces);
  return { sql: `${forces.sql} AND lsoa_code IN (SELECT unnest($codes))`, params: { ...forces.params, codes: listValue([...area.codes]) } };
}

/** The LSOA codes whose names start with one of these local authorities ('Rotherham' for 'Rotherham 012A'). */
export async function lsoaCodesOfLocalAuthorities(store: CrimeStore, localAuthorities: readonly string[]): Promise<string[]> {
  if (localAuthorities.length === 0) return [];
  const rows =
    store.engine === 'postgres'
      ? await store.query<{ code: string }>(`SELECT code FROM lsoas WHERE local_authority = ANY($names)`, { names: [...localAuthorities] })
      : await store.query<{ code: string }>(`SELECT code FROM lsoas WHERE local_authority IN (SELECT unnest($names))`, {
          names: listValue([...localAuthorities]),
        });
  return rows.map((r) => r.code);
}

/** The forces covering these LSOAs (those whose files have records in them), by name. */
export async function forcesCovering(store: CrimeStore, codes: readonly string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows =
    store.engine === 'postgres'
      ? await store.query<{ force: string }>(
          `SELECT DISTINCT force COLLATE "C" AS force FROM lsoa_forces WHERE code = ANY($codes) ORDER BY 1`,
          {
            codes: [...codes],
          },
        )
      : await store.query<{ force: string }>(
          `SELECT DISTINCT force FROM lsoa_forces WHERE code IN (SELECT unnest($codes)) ORDER BY force`,
          {
            codes: listValue([...codes]),
          },
        );
  return rows.map((r) => r.force);
}

/**
 * The area's records from `from` to `to` (months, inclusive) in one pass (a materialised CTE), grouped three
 * ways: by month and crime type; and the crime (ASB excluded) from `currentFrom` by LSOA and by last outcome.
 */
export async function recordGroups(
  store: CrimeStore,
  area: AreaRecords,
  months: { from: string; to: string; currentFrom: string },
): Promise<RecordGroups> {
  const where = inArea(store, area);
  const rows = await store.query<{ kind: 'month' | 'lsoa' | 'outcome'; k1: string | null; k2: string | null; n: number }>(
    `WITH area AS MATERIALIZED (SELECT month, crime_type, lsoa_code, lsoa_name, outcome FROM street_records WHERE ${where.sql} AND month BETWEEN $from AND $to)
     SELECT 'month' AS kind, month AS k1, crime_type AS k2, count(*) AS n FROM area GROUP BY month, crime_type
     UNION ALL
     SELECT 'lsoa', lsoa_code, max(lsoa_name), count(*) FROM area WHERE month >= $currentFrom AND crime_type <> $asb GROUP BY lsoa_code
     UNION ALL
     SELECT 'outcome', outcome, NULL, count(*) FROM area WHERE month >= $currentFrom AND crime_type <> $asb GROUP BY outcome`,
    { ...where.params, from: months.from, to: months.to, currentFrom: months.currentFrom, asb: ANTI_SOCIAL_BEHAVIOUR },
  );
  return {
    byMonthAndType: rows.filter((r) => r.kind === 'month').map((r) => ({ month: r.k1 as string, crimeType: r.k2 as string, count: r.n })),
    byLsoa: rows.filter((r) => r.kind === 'lsoa').map((r) => ({ code: r.k1 as string, name: r.k2 as string, count: r.n })),
    byOutcome: rows.filter((r) => r.kind === 'outcome').map((r) => ({ outcome: r.k1, count: r.n })),
  };
}

/** The area's records from `from` to `to` (months, inclusive) by crime type. */
export async function recordsByCrimeType(
  store: CrimeStore,
  area: AreaRecords,
  from: string,
  to: string,
): Promise<{ crimeType: string; count: number }[]> {
  const where = inArea(store, area);
  const rows = await store.query<{ crime_type: string; n: number }>(
    `SELECT crime_type, count(*) AS n FROM street_records WHERE ${where.sql} AND month BETWEEN $from AND $to GROUP BY crime_type`,
    { ...where.params, from, to },
  );
  return rows.map((r) => ({ crimeType: r.crime_type, count: r.n }));
}

/** The months held for any of these forces, oldest first. */
export async function monthsHeldFor(store: CrimeStore, forces: readonly string[]): Promise<string[]> {
  const filter =
    store.engine === 'postgres'
      ? { sql: 'force = ANY($forces)', params: { forces: [...forces] } as unknown as Params }
      : forceFilter(forces);
  const rows = await store.query<{ month: string }>(
    `SELECT DISTINCT month FROM street_files WHERE ${filter.sql} ORDER BY month`,
    filter.params,
  );
  return rows.map((r) => r.month);
}

/** The area's records of every month, counted as crime or anti-social behaviour (months without records left out). */
export async function crimeAndAsbByMonth(store: CrimeStore, area: AreaRecords): Promise<{ month: string; asb: boolean; count: number }[]> {
  const where = inArea(store, area);
  const rows = await store.query<{ month: string; asb: boolean; n: number }>(
    `SELECT month, crime_type = $asb AS asb, count(*) AS n FROM street_records WHERE ${where.sql} GROUP BY 1, 2`,
    { ...where.params, asb: ANTI_SOCIAL_BEHAVIOUR },
  );
  return rows.map((r) => ({ month: r.month, asb: r.asb, count: r.n }));
}

/**
 * The area's crime and anti-social behaviour by LSOA from `from` to `to` (months, inclusive), for the deprivation
 * profile. Plain SQL (CASE, SUM, GROUP BY by name) that DuckDB and PostgreSQL both run.
 */
export async function crimeAndAsbByLsoa(
  store: CrimeStore,
  area: AreaRecords,
  from: string,
  to: string,
): Promise<{ code: string; crime: number; asb: number }[]> {
  const where = inArea(store, area);
  const rows = await store.query<{ lsoa_code: string; crime: number | bigint; asb: number | bigint }>(
    `SELECT lsoa_code,
            SUM(CASE WHEN crime_type = $asb THEN 0 ELSE 1 END) AS crime,
            SUM(CASE WHEN crime_type = $asb THEN 1 ELSE 0 END) AS asb
       FROM street_records
      WHERE ${where.sql} AND month BETWEEN $from AND $to
      GROUP BY lsoa_code`,
    { ...where.params, from, to, asb: ANTI_SOCIAL_BEHAVIOUR },
  );
  return rows.map((r) => ({ code: r.lsoa_code, crime: Number(r.crime), asb: Number(r.asb) }));
}

/**
 * The area's records from `from` to `to` at each map point police.uk gives (its anonymised points, so a few thousand
 * rows for a partnership's year), counted as crime or anti-social behaviour; records without a point left out.
 * Plain SQL that DuckDB and PostgreSQL both run.
 */
export async function recordsByPoint(
  store: CrimeStore,
  area: AreaRecords,
  from: string,
  to: string,
): Promise<{ longitude: number; latitude: number; crime: number; asb: number }[]> {
  const where = inArea(store, area);
  const rows = await store.query<{ longitude: number; latitude: number; crime: number | bigint; asb: number | bigint }>(
    `SELECT longitude, latitude,
            SUM(CASE WHEN crime_type = $asb THEN 0 ELSE 1 END) AS crime,
            SUM(CASE WHEN crime_type = $asb THEN 1 ELSE 0 END) AS asb
       FROM street_records
      WHERE ${where.sql} AND month BETWEEN $from AND $to AND longitude IS NOT NULL AND latitude IS NOT NULL
      GROUP BY longitude, latitude`,
    { ...where.params, from, to, asb: ANTI_SOCIAL_BEHAVIOUR },
  );
  return rows.map((r) => ({ longitude: Number(r.longitude), latitude: Number(r.latitude), crime: Number(r.crime), asb: Number(r.asb) }));
}
