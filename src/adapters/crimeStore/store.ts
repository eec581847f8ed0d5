/**
 * The analytical store for police.uk street-level records: an embedded DuckDB file (by default
 * data/crime.duckdb) beside the app's own database. Millions of rows are loaded with DuckDB's own CSV reader
 * and grouped in milliseconds; the app database keeps partnerships, areas and plans. The questions the
 * strategic assessment asks of the store are the named queries of queries.ts; the importer is importer.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';

export interface CrimeStore {
  /** The DuckDB file, or ':memory:'. */
  location: string;
  connection: DuckDBConnection;
  /** Rows of a query as plain JavaScript objects (BIGINT counts become numbers). */
  query<T = Record<string, unknown>>(sql: string, params?: Record<string, DuckDBValue>): Promise<T[]>;
  /** Another session on the same database (its own transactions and temporary tables); close it when done. */
  session(): Promise<CrimeStore>;
  close: () => void;
}

export interface CrimeStoreOptions {
  /** DuckDB memory limit, e.g. '512MB'; default 512MB so that a national import stays well under 1 GiB. */
  memoryLimit?: string;
  /** Worker threads; default DuckDB's own (one per core). */
  threads?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS street_records (
  month VARCHAR NOT NULL,
  force VARCHAR NOT NULL,
  crime_id VARCHAR,
  reported_by VARCHAR,
  falls_within VARCHAR,
  longitude DOUBLE,
  latitude DOUBLE,
  location VARCHAR,
  lsoa_code VARCHAR,
  lsoa_name VARCHAR,
  crime_type VARCHAR NOT NULL,
  outcome VARCHAR,
  context VARCHAR
);
CREATE TABLE IF NOT EXISTS lsoas (
  code VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  local_authority VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS lsoa_forces (
  code VARCHAR NOT NULL,
  force VARCHAR NOT NULL,
  PRIMARY KEY (code, force)
);
CREATE TABLE IF NOT EXISTS street_files (
  month VARCHAR NOT NULL,
  force VARCHAR NOT NULL,
  file_name VARCHAR NOT NULL,
  rows_accepted BIGINT NOT NULL,
  rows_rejected BIGINT NOT NULL,
  imported_at VARCHAR NOT NULL,
  PRIMARY KEY (month, force)
);
`;

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  return value;
}

export async function openCrimeStore(location: string, options: CrimeStoreOptions = {}): Promise<CrimeStore> {
  if (location !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(location)), { recursive: true });
  const settings: Record<string, string> = { memory_limit: options.memoryLimit ?? '512MB' };
  if (options.threads !== undefined) settings.threads = String(options.threads);
  const instance = await DuckDBInstance.create(location, settings);
  const first = await instance.connect();
  await first.run(SCHEMA);
  const wrap = (connection: DuckDBConnection, closeAll: boolean): CrimeStore => ({
    location,
    connection,
    async query<T>(sqlText: string, params?: Record<string, DuckDBValue>): Promise<T[]> {
      const reader = await connection.runAndReadAll(sqlText, params);
      return reader.getRowObjectsJS().map((row) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(row)) out[k] = plain(v);
        return out as T;
      });
    },
    async session() {
      return wrap(await instance.connect(), false);
    },
    close() {
      connection.closeSync();
      if (closeAll) instance.closeSync();
    },
  });
  return wrap(first, true);
}

/** Local authority names found at the start of LSOA names in the store ('Rotherham' from 'Rotherham 012A'). */
export async function listLocalAuthorities(store: CrimeStore): Promise<{ name: string; lsoas: number }[]> {
  return store.query(`SELECT local_authority AS name, count(*) AS lsoas FROM lsoas GROUP BY ALL ORDER BY name`);
}

/** The (month, force) pairs in the store with their row counts, newest first. */
export async function listImportedFiles(
  store: CrimeStore,
): Promise<{ month: string; force: string; fileName: string; rowsAccepted: number; rowsRejected: number; importedAt: string }[]> {
  return store.query(
    `SELECT month, force, file_name AS "fileName", rows_accepted AS "rowsAccepted", rows_rejected AS "rowsRejected", imported_at AS "importedAt"
       FROM street_files ORDER BY month DESC, force`,
  );
}
