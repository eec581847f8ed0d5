import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * The shared crime store's street records partitioned by month (issue 19, decision 0047): `street_records` becomes a
 * table partitioned by LIST (month), one partition per month (`street_records_y2024m01`), made by the importer when
 * it first imports that month (src/adapters/crimeStore/importer.ts). An analysis of 24 months then reads 24
 * partitions' indexes, whatever the years held; a month is reloaded or dropped without touching the others.
 * Indexed by (lsoa_code, month) (an area's LSOAs over the months asked) and by force (an import replacing one
 * force's month inside its partition).
 *
 * On an existing database the rows already held are moved into their months' partitions, in one transaction.
 * On SQLite nothing is done: the embedded deployment keeps its DuckDB file, untouched.
 */
export function crimeRecordsByMonth(engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      if (engine !== 'postgres') return;
      const kind = await sql<{ relkind: string }>`SELECT relkind FROM pg_class WHERE oid = to_regclass('street_records')`.execute(db);
      if (kind.rows[0]?.relkind === 'p') return;
      await sql`ALTER TABLE street_records RENAME TO street_records_unpartitioned`.execute(db);
      await sql`DROP INDEX IF EXISTS street_records_lsoa_month`.execute(db);
      await sql`DROP INDEX IF EXISTS street_records_month_force`.execute(db);
      await sql`CREATE TABLE street_records (
        month text NOT NULL,
        force text NOT NULL,
        crime_id text,
        reported_by text,
        falls_within text,
        longitude double precision,
        latitude double precision,
        location text,
        lsoa_code text,
        lsoa_name text,
        crime_type text NOT NULL,
        outcome text,
        context text
      ) PARTITION BY LIST (month)`.execute(db);
      const months = await sql<{ month: string }>`SELECT DISTINCT month FROM street_records_unpartitioned ORDER BY month`.execute(db);
      for (const { month } of months.rows) {
        if (!/^\d{4}-\d{2}$/.test(month)) throw new Error(`street_records holds a month "${month}" that is not YYYY-MM`);
        await sql.raw(`CREATE TABLE ${monthPartition(month)} PARTITION OF street_records FOR VALUES IN ('${month}')`).execute(db);
      }
      // An area's rows together on disk, as the importer writes them.
      await sql`INSERT INTO street_records SELECT * FROM street_records_unpartitioned ORDER BY force, month, lsoa_code`.execute(db);
      await sql`DROP TABLE street_records_unpartitioned`.execute(db);
      await sql`CREATE INDEX street_records_lsoa_month ON street_records (lsoa_code, month)`.execute(db);
      await sql`CREATE INDEX street_records_force ON street_records (force)`.execute(db);
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      if (engine !== 'postgres') return;
      await sql`CREATE TABLE street_records_unpartitioned (LIKE street_records)`.execute(db);
      await sql`INSERT INTO street_records_unpartitioned SELECT * FROM street_records ORDER BY force, month, lsoa_code`.execute(db);
      await sql`DROP TABLE street_records`.execute(db);
      await sql`ALTER TABLE street_records_unpartitioned RENAME TO street_records`.execute(db);
      await sql`CREATE INDEX street_records_lsoa_month ON street_records (lsoa_code, month)`.execute(db);
      await sql`CREATE INDEX street_records_month_force ON street_records (month, force)`.execute(db);
    },
  };
}

/** The partition holding one month's street records ('2024-01' -> street_records_y2024m01). */
export function monthPartition(month: string): string {
  if (!/^\d{4}-\d{2}$/.test(month)) throw new Error(`Not a month (YYYY-MM): "${month}"`);
  return `street_records_y${month.slice(0, 4)}m${month.slice(5, 7)}`;
}
