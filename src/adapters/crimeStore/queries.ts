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

/** Everything the analysis page counts of an area's records, from one read of them ({@link areaAnalysisGroups}). */
export interface AreaAnalysisGroups {
  /** The strategic assessment's groups: both windows by month and type, the current window's crime by LSOA and outcome. */
  groups: RecordGroups;
  /** Every month's records (not only the windows'), as crime or ASB, for seasonality; months without records left out. */
  byMonth: { month: string; asb: boolean; count: number }[];
  /** The current window's crime and ASB by LSOA (deprivation and the choropleth). */
  byLsoa: { code: string; crime: number; asb: number }[];
  /** The current window's records at each map point (records without a point left out). */
  byPoint: { longitude: number; latitude: number; crime: number; asb: number }[];
}

/**
 * The analysis page's counts of an area in one statement (issue 19): the area's records are read once, every month
 * held, and grouped four ways: by month and crime type (every month: the windows' figures and seasonality), and for
 * the current window (`currentFrom` to `to`) by LSOA, by last outcome and by map point, each record counted as crime
 * or anti-social behaviour in the same pass (`FILTER`). The answers are those of {@link recordGroups},
 * {@link crimeAndAsbByMonth}, {@link crimeAndAsbByLsoa} and {@link recordsByPoint} (test/assessment/crimeData.test.ts),
 * which read the records three or four times over. Each engine is asked the way it answers fastest (measured,
 * docs/benchmarks.md):
 * - PostgreSQL: one aggregate over GROUPING SETS (one hash table per set, fed by one scan). Rows outside the current
 *   window fall into the LSOA and point sets' NULL group (their keys are made NULL), dropped here; the outcome set
 *   keeps the window flag in its key, as a NULL outcome is a real group.
 * - DuckDB: the records read once into a materialised CTE, grouped four times (its GROUPING SETS took twice as long).
 */
export async function areaAnalysisGroups(
  store: CrimeStore,
  area: AreaRecords,
  months: { from: string; currentFrom: string; to: string },
): Promise<AreaAnalysisGroups> {
  const where = inArea(store, area);
  const current = `month BETWEEN $currentFrom AND $to`;
  // Every row: the set it belongs to (0 month and type, 1 LSOA, 2 outcome, 3 point), its keys, and its counts.
  const text =
    store.engine === 'postgres'
      ? `SELECT CASE WHEN GROUPING(month) = 0 THEN 0 WHEN GROUPING(lsoa) = 0 THEN 1 WHEN GROUPING(outcome) = 0 THEN 2 ELSE 3 END AS g,
                COALESCE(month, lsoa, outcome) AS k1,
                CASE WHEN GROUPING(month) = 0 THEN crime_type WHEN GROUPING(lsoa) = 0 THEN max(lsoa_name) FILTER (WHERE NOT asb) END AS k2,
                cur, longitude AS x, latitude AS y, count(*) AS n, count(*) FILTER (WHERE asb) AS n_asb
           FROM (SELECT month, crime_type, lsoa_name, outcome, crime_type = $asb AS asb, ${current} AS cur,
                        CASE WHEN ${current} THEN lsoa_code END AS lsoa,
                        CASE WHEN ${current} THEN longitude END AS longitude,
                        CASE WHEN ${current} THEN latitude END AS latitude
                   FROM street_records WHERE ${where.sql}) r
          GROUP BY GROUPING SETS ((month, crime_type), (lsoa), (cur, outcome), (longitude, latitude))`
      : `WITH area AS MATERIALIZED (
              SELECT month, crime_type, crime_type = $asb AS asb, lsoa_code, lsoa_name, outcome, longitude, latitude, ${current} AS cur
                FROM street_records WHERE ${where.sql})
         SELECT 0 AS g, month AS k1, crime_type AS k2, NULL::BOOLEAN AS cur, NULL::DOUBLE AS x, NULL::DOUBLE AS y, count(*) AS n, 0::BIGINT AS n_asb
           FROM area GROUP BY month, crime_type
         UNION ALL
         SELECT 1, lsoa_code, max(lsoa_name) FILTER (WHERE NOT asb), TRUE, NULL, NULL, count(*), count(*) FILTER (WHERE asb)
           FROM area WHERE cur GROUP BY lsoa_code
         UNION ALL
         SELECT 2, outcome, NULL, TRUE, NULL, NULL, count(*), count(*) FILTER (WHERE asb) FROM area WHERE cur GROUP BY outcome
         UNION ALL
         SELECT 3, NULL, NULL, TRUE, longitude, latitude, count(*), count(*) FILTER (WHERE asb)
           FROM area WHERE cur AND longitude IS NOT NULL AND latitude IS NOT NULL GROUP BY longitude, latitude`;
  const rows = await store.query<{
    g: number;
    k1: string | null;
    k2: string | null;
    cur: boolean | null;
    x: number | null;
    y: number | null;
    n: number;
    n_asb: number;
  }>(text, { ...where.params, currentFrom: months.currentFrom, to: months.to, asb: ANTI_SOCIAL_BEHAVIOUR });
  const out: AreaAnalysisGroups = { groups: { byMonthAndType: [], byLsoa: [], byOutcome: [] }, byMonth: [], byLsoa: [], byPoint: [] };
  const monthly = new Map<string, { month: string; asb: boolean; count: number }>();
  for (const r of rows) {
    const n = Number(r.n);
    const asb = Number(r.n_asb);
    const set = Number(r.g);
    if (set === 0) {
      const month = r.k1!;
      if (month >= months.from && month <= months.to) out.groups.byMonthAndType.push({ month, crimeType: r.k2!, count: n });
      const isAsb = r.k2 === ANTI_SOCIAL_BEHAVIOUR;
      const key = `${month} ${isAsb}`;
      const m = monthly.get(key) ?? { month, asb: isAsb, count: 0 };
      m.count += n;
      monthly.set(key, m);
    } else if (set === 1) {
      if (r.k1 === null) continue;
      out.byLsoa.push({ code: r.k1, crime: n - asb, asb });
      if (n - asb > 0) out.groups.byLsoa.push({ code: r.k1, name: r.k2!, count: n - asb });
    } else if (set === 2) {
      if (r.cur === true && n - asb > 0) out.groups.byOutcome.push({ outcome: r.k1, count: n - asb });
    } else if (r.x !== null && r.y !== null) {
      out.byPoint.push({ longitude: Number(r.x), latitude: Number(r.y), crime: n - asb, asb });
    }
  }
  out.byMonth = [...monthly.values()];
  return out;
}
