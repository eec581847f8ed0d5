/**
 * Starts CSP Hub for a benchmark exactly as `npm start` does (src/main.ts): load the configuration, open the
 * database, migrate, seed the demo partnerships, build the app and listen, here on a free port of 127.0.0.1.
 *
 * Each engine gets a database of its own that is removed afterwards: a temporary DATA_DIR for SQLite, and a
 * throwaway database created on the given PostgreSQL server (the database named in the URL is not touched).
 * By default the app runs in a child process (bench/apphost-child.ts), so that its memory and CPU time are
 * measured apart from the load generator's and each engine starts from a fresh process; `inProcess` runs it
 * in the benchmark's own process instead (handy with --cpu-prof).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Engine } from '../src/adapters/database/database.ts';
import { migrateToLatest } from '../src/adapters/database/migrate.ts';
import type { Database } from '../src/adapters/database/schema.ts';
import { isEmpty, seedDemo } from '../src/demo/seed.ts';
import { purgeExpiredSessions } from '../src/services/identity/sessions.ts';
import { buildApp } from '../src/http/app.ts';
import { getImport, importFinished, startImport } from '../src/services/evidence/officialImport.ts';
import { SYSTEM_ACTOR } from '../src/services/platform/audit.ts';
import { processStats, type BenchOptions, type ProcessStats } from './lib.ts';

// ---------------------------------------------------------------------------------------------------------
// A database of its own for each run

export interface EngineDatabase {
  engine: Engine;
  /** Name of the throwaway PostgreSQL database (its server processes' titles contain it); null for SQLite. */
  postgresDatabase: string | null;
  /** The DATABASE_URL and DATA_DIR the app is given (a temporary folder for either engine). */
  databaseUrl: string;
  dataDir: string;
  drop(): Promise<void>;
}

export async function createDatabase(engine: Engine, postgresUrl: string): Promise<EngineDatabase> {
  if (engine === 'sqlite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-bench-'));
    return {
      engine,
      postgresDatabase: null,
      databaseUrl: '',
      dataDir,
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `csphub_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  // Other local data (DATA_DIR) still goes to a temporary folder of its own.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-bench-'));
  return {
    engine,
    postgresDatabase: name,
    databaseUrl: url.toString(),
    dataDir,
    drop: async () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: postgresUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Runs `fn` on a throwaway, migrated database of each engine asked for (PostgreSQL only when there is a server to
 * create it on), in turn; the database is closed and dropped afterwards, whether `fn` succeeded or not.
 */
export async function forEachBenchDatabase(
  options: Pick<BenchOptions, 'engines' | 'postgresUrl'>,
  fn: (engine: Engine, db: Kysely<Database>) => Promise<void>,
): Promise<void> {
  for (const engine of options.engines) {
    if (engine === 'postgres' && !options.postgresUrl) continue;
    const target = await createDatabase(engine, options.postgresUrl);
    const db = openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir });
    try {
      await migrateToLatest(db);
      await fn(engine, db.kysely);
    } finally {
      await db.close();
      await target.drop();
    }
  }
}

/** One import through the importer, from start to finish: how long it took and the rows it wrote. */
export async function timedImport(db: Kysely<Database>, kind: string, file: string): Promise<{ ms: number; rows: number }> {
  const t0 = performance.now();
  const id = await startImport(db, SYSTEM_ACTOR, { kind, filePath: file, fileName: path.basename(file) });
  await importFinished(id);
  const done = await getImport(db, id);
  if (done.status !== 'done') throw new Error(done.message);
  return { ms: performance.now() - t0, rows: done.rowsWritten };
}

// ---------------------------------------------------------------------------------------------------------
// Starting the app the way src/main.ts does

export interface AppInfo {
  engine: Engine;
  /** Database version, e.g. "SQLite 3.50.4" or "PostgreSQL 15.18". */
  engineVersion: string;
  baseUrl: string;
  adminEmail: string;
  adminPassword: string;
  /** Configuration, migration, demo seed, app build and listen. */
  startupMs: number;
  /** The app's process right after start-up. */
  startupStats: ProcessStats;
}

/** The environment the app is configured from: the caller's, with the database and address of this run. */
export function benchEnvironment(db: EngineDatabase): Record<string, string | undefined> {
  return {
    ...process.env,
    DATABASE_URL: db.databaseUrl,
    DATA_DIR: db.dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    SEED_DEMO: 'true',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
  };
}

/** Starts CSP Hub in this process. */
export async function startInThisProcess(env: Record<string, string | undefined>): Promise<{ info: AppInfo; close(): Promise<void> }> {
  const t0 = performance.now();
  const config = loadConfig(env);
  // A lost connection is one line (the soak's outage loses dozens at once), not a stack trace each, as in src/main.ts.
  const db = openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    pool: config.dbPool,
    log: (message, error) => console.error(`${message}: ${error instanceof Error ? error.message : String(error)}`),
  });
  await migrateToLatest(db);
  if (config.seedDemo && (await isEmpty(db.kysely)))
    await seedDemo(db.kysely, { email: config.demoAdminEmail, password: config.demoAdminPassword });
  await purgeExpiredSessions(db.kysely);
  const app = await buildApp({ db, config, oidc: null }, { logger: false });
  await app.listen({ port: config.port, host: config.host });
  const startupMs = performance.now() - t0;
  const { port } = app.server.address() as AddressInfo;
  const version =
    db.engine === 'sqlite'
      ? `SQLite ${(await sql<{ v: string }>`select sqlite_version() as v`.execute(db.kysely)).rows[0]!.v}`
      : `PostgreSQL ${(await sql<{ server_version: string }>`show server_version`.execute(db.kysely)).rows[0]!.server_version.split(' ')[0]}`;
  return {
    info: {
      engine: db.engine,
      engineVersion: version,
      baseUrl: `http://127.0.0.1:${port}`,
      adminEmail: config.demoAdminEmail,
      adminPassword: config.demoAdminPassword,
      startupMs,
      startupStats: processStats(),
    },
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// The app as seen by a benchmark, wherever it runs

export interface RunningApp extends AppInfo {
  /** True when the app has a process of its own, so its stats exclude the load generator. */
  separateProcess: boolean;
  stats(): Promise<ProcessStats>;
  stop(): Promise<void>;
}

/** Messages between the benchmark and bench/apphost-child.ts. */
export type ToChild = { type: 'stats' } | { type: 'stop' };
export type FromChild =
  { type: 'ready'; info: AppInfo } | { type: 'failed'; message: string } | { type: 'stats'; stats: ProcessStats } | { type: 'stopped' };

export async function startApp(db: EngineDatabase, options: { inProcess: boolean; env?: Record<string, string> }): Promise<RunningApp> {
  const env = { ...benchEnvironment(db), ...options.env };
  if (options.inProcess) {
    const started = await startInThisProcess(env);
    return { ...started.info, separateProcess: false, stats: async () => processStats(), stop: () => started.close() };
  }

  const childFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'apphost-child.ts');
  const child = fork(childFile, [], { env, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const info = await new Promise<AppInfo>((resolve, reject) => {
    child.once('message', (m: FromChild) =>
      m.type === 'ready' ? resolve(m.info) : reject(new Error(m.type === 'failed' ? m.message : `unexpected ${m.type}`)),
    );
    void exited.then((code) => reject(new Error(`The app process exited with code ${code} while starting`)));
  });
  return {
    ...info,
    separateProcess: true,
    stats: () => ask<ProcessStats>(child, { type: 'stats' }, (m) => (m.type === 'stats' ? m.stats : undefined)),
    stop: async () => {
      if (child.exitCode === null) {
        await ask(child, { type: 'stop' }, (m) => (m.type === 'stopped' ? true : undefined)).catch(() => child.kill());
      }
      await exited;
    },
  };
}

function ask<T>(child: ChildProcess, message: ToChild, pick: (m: FromChild) => T | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (m: FromChild) => {
      const value = pick(m);
      if (value === undefined) return;
      child.off('message', onMessage);
      resolve(value);
    };
    child.on('message', onMessage);
    if (!child.send(message)) reject(new Error('The app process is not listening'));
  });
}
