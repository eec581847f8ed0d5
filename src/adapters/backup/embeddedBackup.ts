/**
 * Backup and restore of the embedded deployment (`npm run backup`, `npm run restore`; issue 19): the SQLite
 * database, copied with SQLite's online backup (consistent while the app keeps running and writing), which holds
 * everything the app stores including the generated documents' files (decision 0011); and the DuckDB crime store
 * file with its write-ahead log. One timestamped folder per backup, with a manifest counting the rows of every
 * table, which a restore checks after copying. PostgreSQL deployments use pg_dump and pg_restore instead (README).
 *
 * The crime store is copied as files: DuckDB lets one process open it, the running app. A police.uk import running
 * during the backup may leave the copy without it; the store can always be rebuilt by importing the files again.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { loadDuckDb } from '../crimeStore/duckdb.ts';

export interface BackupManifest {
  format: 'csphub-embedded-backup-1';
  createdAt: string;
  /** Rows of every table of the SQLite database, by table. */
  tables: Record<string, number>;
  /** Rows of every table of the crime store, by table; null when there was no crime store file. */
  crimeStore: Record<string, number> | null;
}

const DATABASE_FILE = 'csphub.sqlite';
const CRIME_FILE = 'crime.duckdb';

/** Rows of every table of an SQLite file (Kysely's bookkeeping included). */
export function sqliteRowCounts(file: string): Record<string, number> {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const names = db.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`).all() as {
      name: string;
    }[];
    return Object.fromEntries(
      names.map(({ name }) => [name, (db.prepare(`select count(*) as n from "${name.replace(/"/g, '""')}"`).get() as { n: number }).n]),
    );
  } finally {
    db.close();
  }
}

/** Rows of every table of a DuckDB file (opened read-only: no other process may hold it). */
export async function duckdbRowCounts(file: string): Promise<Record<string, number>> {
  const { DuckDBInstance } = await loadDuckDb();
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const tables = (
      await connection.runAndReadAll(`select table_name from information_schema.tables where table_schema = 'main' order by 1`)
    )
      .getRowObjects()
      .map((r) => String(r.table_name));
    const counts: Record<string, number> = {};
    for (const table of tables) {
      const rows = (await connection.runAndReadAll(`select count(*) as n from "${table.replace(/"/g, '""')}"`)).getRowObjects();
      counts[table] = Number(rows[0]!.n);
    }
    return counts;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function copyDuckdb(from: string, to: string): boolean {
  if (!fs.existsSync(from)) return false;
  fs.copyFileSync(from, to);
  if (fs.existsSync(`${from}.wal`)) fs.copyFileSync(`${from}.wal`, `${to}.wal`);
  return true;
}

/** Backs up the embedded database and crime store into a new folder `csphub-<timestamp>` of `outDir`; returns its path. */
export async function backupEmbedded(options: {
  sqliteFile: string;
  crimeStorePath: string;
  outDir: string;
  now?: Date;
}): Promise<{ folder: string; manifest: BackupManifest }> {
  if (!fs.existsSync(options.sqliteFile)) throw new Error(`No database at ${options.sqliteFile}: nothing to back up`);
  const createdAt = (options.now ?? new Date()).toISOString();
  const folder = path.join(options.outDir, `csphub-${createdAt.replace(/[:.]/g, '-')}`);
  fs.mkdirSync(folder, { recursive: true });
  const source = new SQLite(options.sqliteFile, { fileMustExist: true });
  try {
    // SQLite's online backup: pages copied in steps, writers of the running app carry on meanwhile.
    await source.backup(path.join(folder, DATABASE_FILE));
  } finally {
    source.close();
  }
  const crimeCopy = path.join(folder, CRIME_FILE);
  const hasCrime = options.crimeStorePath !== ':memory:' && copyDuckdb(options.crimeStorePath, crimeCopy);
  const manifest: BackupManifest = {
    format: 'csphub-embedded-backup-1',
    createdAt,
    tables: sqliteRowCounts(path.join(folder, DATABASE_FILE)),
    crimeStore: hasCrime ? await duckdbRowCounts(crimeCopy) : null,
  };
  fs.writeFileSync(path.join(folder, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { folder, manifest };
}

/** A table whose row count after restoring differs from the backup's manifest. */
export interface CountMismatch {
  store: 'database' | 'crime store';
  table: string;
  expected: number;
  found: number | null;
}

/**
 * Restores a backup folder into the embedded database file and crime store path. Refuses to overwrite an existing
 * database unless `force` (the app must be stopped); checks every table's rows against the manifest afterwards.
 */
export async function restoreEmbedded(options: {
  folder: string;
  sqliteFile: string;
  crimeStorePath: string;
  force?: boolean;
}): Promise<{ manifest: BackupManifest; mismatches: CountMismatch[] }> {
  const manifestFile = path.join(options.folder, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${options.folder} is not a CSP Hub backup: it has no manifest.json`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as BackupManifest;
  if (manifest.format !== 'csphub-embedded-backup-1') throw new Error(`Unknown backup format "${String(manifest.format)}"`);
  if (fs.existsSync(options.sqliteFile) && !options.force)
    throw new Error(`${options.sqliteFile} exists: stop the app and pass --force to replace it, or restore into an empty DATA_DIR`);
  fs.mkdirSync(path.dirname(options.sqliteFile), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${options.sqliteFile}${suffix}`, { force: true });
  fs.copyFileSync(path.join(options.folder, DATABASE_FILE), options.sqliteFile);
  const mismatches: CountMismatch[] = [];
  const compare = (store: CountMismatch['store'], expected: Record<string, number>, found: Record<string, number>) => {
    for (const [table, n] of Object.entries(expected))
      if (found[table] !== n) mismatches.push({ store, table, expected: n, found: found[table] ?? null });
  };
  compare('database', manifest.tables, sqliteRowCounts(options.sqliteFile));
  if (manifest.crimeStore && options.crimeStorePath !== ':memory:') {
    fs.mkdirSync(path.dirname(options.crimeStorePath), { recursive: true });
    for (const suffix of ['', '.wal']) fs.rmSync(`${options.crimeStorePath}${suffix}`, { force: true });
    copyDuckdb(path.join(options.folder, CRIME_FILE), options.crimeStorePath);
    compare('crime store', manifest.crimeStore, await duckdbRowCounts(options.crimeStorePath));
  }
  return { manifest, mismatches };
}
