import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * The police.uk crime store shared by every instance (issue 19, decision 0038): on PostgreSQL the four tables of the
 * DuckDB store (src/adapters/crimeStore/store.ts) live in the app's own database. Street records are found by LSOA
 * and month (the analysis) and replaced by month and force (an import). On SQLite nothing is made: the embedded
 * deployment keeps its DuckDB file.
 */
export function sharedCrimeStore(engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      if (engine !== 'postgres') return;
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
      )`.execute(db);
      await sql`CREATE INDEX street_records_lsoa_month ON street_records (lsoa_code, month)`.execute(db);
      await sql`CREATE INDEX street_records_month_force ON street_records (month, force)`.execute(db);
      await sql`CREATE TABLE lsoas (code text PRIMARY KEY, name text NOT NULL, local_authority text NOT NULL)`.execute(db);
      await sql`CREATE INDEX lsoas_local_authority ON lsoas (local_authority)`.execute(db);
      await sql`CREATE TABLE lsoa_forces (code text NOT NULL, force text NOT NULL, PRIMARY KEY (code, force))`.execute(db);
      await sql`CREATE TABLE street_files (
        month text NOT NULL,
        force text NOT NULL,
        file_name text NOT NULL,
        rows_accepted bigint NOT NULL,
        rows_rejected bigint NOT NULL,
        imported_at text NOT NULL,
        PRIMARY KEY (month, force)
      )`.execute(db);
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      if (engine !== 'postgres') return;
      for (const table of ['street_files', 'lsoa_forces', 'lsoas', 'street_records']) await db.schema.dropTable(table).execute();
    },
  };
}
