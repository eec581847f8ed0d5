/**
 * The analytical store for police.uk street-level records, on one of two engines (decision 0038):
 * - DuckDB (the embedded default, decisions 0008 and 0018): a file (by default data/crime.duckdb) beside the app's
 *   own database, written by one process.
 * - PostgreSQL (deployments whose DATABASE_URL is PostgreSQL, unless CRIME_STORE=duckdb): the same four tables in
 *   the app's own database (migration 130), shared by every instance. DuckDB still reads and checks the untrusted
 *   files, in memory, and the accepted rows are written to PostgreSQL in one transaction (importer.ts).
 * The questions the strategic assessment asks of the store are the named queries of queries.ts, written for
 * each engine behind one set of functions; the services never look at which engine answers them.
 */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { loadDuckDb } from './duckdb.ts';
import { monthPartition } from '../database/migrations/165_crime_records_by_month.ts';

/** The embedded store: a DuckDB file (or ':memory:'). */
export interface DuckCrimeStore {
  engine: 'duckdb';
  /** The DuckDB file, or ':memory:'. */
  location: string;
  connection: DuckDBConnection;
  /** Rows of a query as plain JavaScript objects (BIGINT counts become numbers). */
  query<T = Record<string, unknown>>(sql: string, params?: Record<string, DuckDBValue>): Promise<T[]>;
  /** Another session on the same database (its own transactions and temporary tables); close it when done. */
  session(): Promise<DuckCrimeStore>;
  close: () => void;
}

/** The shared store: tables in the app's PostgreSQL database, through a small pool of its own. */
export interface PgCrimeStore {
  engine: 'postgres';
  /** The database, without credentials. */
  location: string;
  pool: pg.Pool;
  /**
   * Rows of a query; parameters are named `$name` in the SQL, as for DuckDB, and bound in order (arrays travel as
   * PostgreSQL arrays). Counts come back as numbers (the app's pg type parsers).
   */
  query<T = Record<string, unknown>>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  /** The same store (PostgreSQL sessions are taken from the pool per statement or transaction). */
  session(): Promise<PgCrimeStore>;
  close: () => void;
}

export type CrimeStore = DuckCrimeStore | PgCrimeStore;

/** `$name` placeholders as PostgreSQL's `$1, $2, …`, with the values in that order. */
export function positional(sqlText: string, params: Record<string, unknown> = {}): { text: string; values: unknown[] } {
  const order: string[] = [];
  const text = sqlText.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
    if (!(name in params)) throw new Error(`No value for $${name}`);
    let i = order.indexOf(name);
    if (i === -1) i = order.push(name) - 1;
    return `$${i + 1}`;
  });
  return { text, values: order.map((n) => params[n]) };
}

/** Opens the shared store on the app's PostgreSQL database (its tables are made by migration 130). */
export function openPgCrimeStore(databaseUrl: string, options: { poolSize?: number } = {}): PgCrimeStore {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 4, keepAlive: true });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const safe = new URL(databaseUrl);
  safe.password = '';
  const store: PgCrimeStore = {
    engine: 'postgres',
    location: safe.toString(),
    pool,
    async query<T>(sqlText: string, params?: Record<string, unknown>): Promise<T[]> {
      const { text, values } = positional(sqlText, params);
      return (await pool.query(text, values)).rows as T[];
    },
    async session() {
      return store;
    },
    close() {
      void pool.end().catch(() => undefined);
    },
  };
  return store;
}

/**
 * Makes the month partitions of street_records that these months lack (migration 165, decision 0047), each in a
 * short transaction of its own before an import's long one: creating a partition locks the whole table for a
 * moment, which must not last while an import writes. The store's write lock is taken first, so that this never
 * waits behind another import's transaction (nor makes analyses queue behind it) and two instances never make the
 * same partition at once.
 */
export async function ensureMonthPartitions(store: PgCrimeStore, months: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(months)].sort();
  if (wanted.length === 0) return [];
  const existing = await store.pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass('street_records')`,
  );
  const have = new Set(existing.rows.map((r) => r.name));
  const missing = wanted.filter((m) => !have.has(monthPartition(m)));
  if (missing.length === 0) return [];
  const client = await store.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('csphub:crime-store:write'))`);
    for (const month of missing)
      await client.query(`CREATE TABLE IF NOT EXISTS ${monthPartition(month)} PARTITION OF street_records FOR VALUES IN ('${month}')`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return missing;
}

/** The newest month with records in the store (its files' record), or null when it holds none. */
export async function newestMonthHeld(store: CrimeStore): Promise<string | null> {
  const [row] = await store.query<{ month: string | null }>(`SELECT max(month) AS month FROM street_files`);
  return row?.month ?? null;
}

/** What {@link dropMonthsBefore} removed: the months (oldest first) and how many records they held. */
export interface DroppedMonths {
  months: string[];
  records: number;
}

/**
 * A retention run recorded in the DuckDB store in the transaction that dropped its months, until the audit trail
 * (in the app's database, another engine) has it: a run whose audit record could not be written is found again by
 * the next run ({@link unauditedRetentionRuns}) and audited then (decision 0053).
 */
export interface RetentionRun extends DroppedMonths {
  id: string;
  cutoff: string;
  keepMonths: number;
  droppedAt: string;
}

/** Runs one statement on the connection of the caller's transaction (values bound as $1, $2, …). */
export type PgTransactionQuery = <T>(text: string, values?: unknown[]) => Promise<T[]>;

/**
 * Removes every month before `cutoff` from the PostgreSQL store, inside the caller's transaction (which must be on
 * the database holding the store): takes the store's write lock so that it never runs inside an import, waits at
 * most 10 s for the table's lock, detaches and drops each old month's partition (no row-by-row delete, no dead rows
 * left to vacuum), deletes any rows of those months left in a table not partitioned, and the files' record of them.
 * Committing is the caller's: retention commits it with its audit record (decision 0053).
 */
export async function dropPgMonthsBefore(query: PgTransactionQuery, cutoff: string): Promise<DroppedMonths> {
  if (!/^\d{4}-\d{2}$/.test(cutoff)) throw new Error(`Not a month (YYYY-MM): "${cutoff}"`);
  // Detaching locks the whole table: wait a short while for running analyses, never queue them for long.
  await query(`SET LOCAL lock_timeout = '10s'`);
  await query(`SELECT pg_advisory_xact_lock(hashtext('csphub:crime-store:write'))`);
  const partitions = await query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass('street_records')`,
  );
  const old = partitions
    .map((r) => /^street_records_y(\d{4})m(\d{2})$/.exec(r.name))
    .filter((m): m is RegExpExecArray => m !== null && `${m[1]}-${m[2]}` < cutoff)
    .map((m) => ({ name: m[0], month: `${m[1]}-${m[2]}` }));
  const held = await query<{ month: string; records: number | string }>(
    `SELECT month, count(*) AS records FROM street_records WHERE month < $1 GROUP BY month`,
    [cutoff],
  );
  const filed = await query<{ month: string }>(`SELECT DISTINCT month FROM street_files WHERE month < $1`, [cutoff]);
  for (const p of old) {
    await query(`ALTER TABLE street_records DETACH PARTITION ${p.name}`);
    await query(`DROP TABLE ${p.name}`);
  }
  // A store not (yet) partitioned, or rows of a month without a partition of its own: deleted.
  await query(`DELETE FROM street_records WHERE month < $1`, [cutoff]);
  await query(`DELETE FROM street_files WHERE month < $1`, [cutoff]);
  const months = [...new Set([...old.map((p) => p.month), ...held.map((r) => r.month), ...filed.map((r) => r.month)])].sort();
  return { months, records: held.reduce((n, r) => n + Number(r.records), 0) };
}

/**
 * Removes every month before `cutoff` (YYYY-MM) from the store, records and files' record together, in one
 * transaction (retention, decision 0053): on PostgreSQL by {@link dropPgMonthsBefore}, in a transaction of its own
 * (retention runs it in the app's transaction instead, with the audit record, when the store is in the app's
 * database); on DuckDB the rows are deleted, and a run that dropped something is recorded in the same transaction
 * (`retention_runs`, returned as `run`) for the audit trail to take up ({@link unauditedRetentionRuns}). Months not
 * held are not touched, so a second run with the same cutoff does nothing. The LSOA names and the forces reporting
 * in them stay (they describe areas, not months).
 */
export async function dropMonthsBefore(
  store: CrimeStore,
  cutoff: string,
  options: { keepMonths?: number } = {},
): Promise<DroppedMonths & { run?: RetentionRun }> {
  if (!/^\d{4}-\d{2}$/.test(cutoff)) throw new Error(`Not a month (YYYY-MM): "${cutoff}"`);
  if (store.engine === 'postgres') {
    const client = await store.pool.connect();
    try {
      await client.query('BEGIN');
      const query: PgTransactionQuery = async <T>(text: string, values?: unknown[]) => (await client.query(text, values)).rows as T[];
      const dropped = await dropPgMonthsBefore(query, cutoff);
      await client.query('COMMIT');
      return dropped;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
  const session = await store.session();
  try {
    await session.query('BEGIN TRANSACTION');
    try {
      const held = await session.query<{ month: string; records: number }>(
        `SELECT month, count(*) AS records FROM street_records WHERE month < $cutoff GROUP BY month`,
        { cutoff },
      );
      const filed = await session.query<{ month: string }>(`SELECT DISTINCT month FROM street_files WHERE month < $cutoff`, { cutoff });
      await session.query(`DELETE FROM street_records WHERE month < $cutoff`, { cutoff });
      await session.query(`DELETE FROM street_files WHERE month < $cutoff`, { cutoff });
      const months = [...new Set([...held.map((r) => r.month), ...filed.map((r) => r.month)])].sort();
      const dropped: DroppedMonths = { months, records: held.reduce((n, r) => n + Number(r.records), 0) };
      let run: RetentionRun | undefined;
      if (months.length > 0) {
        run = { id: randomUUID(), cutoff, keepMonths: options.keepMonths ?? 0, droppedAt: new Date().toISOString(), ...dropped };
        await session.query(
          `INSERT INTO retention_runs (id, cutoff, keep_months, months, records, dropped_at) VALUES ($id, $cutoff, $keep, $months, $records, $at)`,
          { id: run.id, cutoff, keep: run.keepMonths, months: JSON.stringify(months), records: run.records, at: run.droppedAt },
        );
      }
      await session.query('COMMIT');
      return run ? { ...dropped, run } : dropped;
    } catch (error) {
      await session.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    if (session !== store) session.close();
  }
}

/** Retention runs of the DuckDB store whose audit record has not been written yet, oldest first (none on PostgreSQL). */
export async function unauditedRetentionRuns(store: CrimeStore): Promise<RetentionRun[]> {
  if (store.engine === 'postgres') return [];
  const rows = await store.query<{ id: string; cutoff: string; keep_months: number; months: string; records: number; dropped_at: string }>(
    `SELECT id, cutoff, keep_months, months, records, dropped_at FROM retention_runs WHERE audited_at IS NULL ORDER BY dropped_at, id`,
  );
  return rows.map((r) => ({
    id: r.id,
    cutoff: r.cutoff,
    keepMonths: Number(r.keep_months),
    months: JSON.parse(r.months) as string[],
    records: Number(r.records),
    droppedAt: r.dropped_at,
  }));
}

/** Marks a DuckDB retention run as audited (its audit record is written). */
export async function markRetentionRunAudited(store: CrimeStore, id: string): Promise<void> {
  if (store.engine === 'postgres') return;
  await store.query(`UPDATE retention_runs SET audited_at = $at WHERE id = $id`, { at: new Date().toISOString(), id });
}

export interface CrimeStoreOptions {
  /** Where DuckDB spills to disk when a query needs more than its memory (an in-memory store has none by default). */
  tempDirectory?: string;
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
CREATE TABLE IF NOT EXISTS retention_runs (
  id VARCHAR PRIMARY KEY,
  cutoff VARCHAR NOT NULL,
  keep_months INTEGER NOT NULL,
  months VARCHAR NOT NULL,
  records BIGINT NOT NULL,
  dropped_at VARCHAR NOT NULL,
  audited_at VARCHAR
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

// PostgreSQL returns int8 (count) as text; read it as a number, as the app's database adapter does.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  return value;
}

export async function openCrimeStore(location: string, options: CrimeStoreOptions = {}): Promise<DuckCrimeStore> {
  if (location !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(location)), { recursive: true });
  const settings: Record<string, string> = { memory_limit: options.memoryLimit ?? '512MB' };
  if (options.threads !== undefined) settings.threads = String(options.threads);
  if (options.tempDirectory !== undefined) settings.temp_directory = options.tempDirectory;
  const { DuckDBInstance } = await loadDuckDb();
  const instance = await DuckDBInstance.create(location, settings);
  const first = await instance.connect();
  await first.run(SCHEMA);
  const wrap = (connection: DuckDBConnection, closeAll: boolean): DuckCrimeStore => ({
    engine: 'duckdb',
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
  // Byte order on both engines (PostgreSQL's default collation would sort differently from DuckDB's).
  const order = store.engine === 'postgres' ? 'local_authority COLLATE "C"' : 'local_authority';
  return store.query(`SELECT local_authority AS name, count(*) AS lsoas FROM lsoas GROUP BY local_authority ORDER BY ${order}`);
}

/** Rows of each table of the store (for tests, backups and benchmarks). */
export async function storeRowCounts(store: CrimeStore): Promise<{ records: number; files: number; lsoas: number; lsoa_forces: number }> {
  const [row] = await store.query<{ records: number; files: number; lsoas: number; lsoa_forces: number }>(
    `SELECT (SELECT count(*) FROM street_records) AS records, (SELECT count(*) FROM street_files) AS files,
            (SELECT count(*) FROM lsoas) AS lsoas, (SELECT count(*) FROM lsoa_forces) AS lsoa_forces`,
  );
  return { ...row! };
}

/** The (month, force) pairs in the store with their row counts, newest first. */
export async function listImportedFiles(
  store: CrimeStore,
): Promise<{ month: string; force: string; fileName: string; rowsAccepted: number; rowsRejected: number; importedAt: string }[]> {
  return store.query(
    `SELECT month, force, file_name AS "fileName", rows_accepted AS "rowsAccepted", rows_rejected AS "rowsRejected", imported_at AS "importedAt"
       FROM street_files ORDER BY month DESC, force${store.engine === 'postgres' ? ' COLLATE "C"' : ''}`,
  );
}
