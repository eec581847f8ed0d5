/**
 * The database adapter: opens the one query layer (Kysely) over either engine, the embedded SQLite file (default)
 * or PostgreSQL when a postgres:// URL is given, and hands the rest of the app a `Db`. It isolates the engine:
 * nothing outside src/adapters/database needs to know which one is in use (the few statements written differently
 * ask `engineOf`), and the errors of an unreachable database or a lost write race are recognised here.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import type { Database } from './schema.ts';

export type Engine = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  engine: Engine;
  /** Human-readable location, without credentials, for logs and /health. */
  location: string;
  /** The PostgreSQL pool's connections (open, idle, and requests waiting for one), for metrics; SQLite has none. */
  poolStats?: () => { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

/** How the PostgreSQL pool behaves (src/config.ts reads these from the environment). */
export interface PoolSettings {
  /** Most connections this process opens. */
  size: number;
  /** How long getting a connection may take (opening one, or waiting for a free one) before the request fails. */
  connectTimeoutMs: number;
  /** Longest a single statement may run; the server cancels it after that. */
  statementTimeoutMs: number;
}

export const DEFAULT_POOL: PoolSettings = { size: 10, connectTimeoutMs: 5_000, statementTimeoutMs: 30_000 };

/** Where problems of the pool's connections are reported; they never stop the process. */
export type DbLog = (message: string, error: unknown) => void;

// PostgreSQL returns int8 (count) and numeric as strings; read them as numbers like SQLite does.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(1700, (v) => Number.parseFloat(v));

export function openDatabase(options: {
  databaseUrl: string;
  dataDir: string;
  sqliteFile?: string;
  pool?: Partial<PoolSettings>;
  log?: DbLog;
}): Db {
  const url = options.databaseUrl;
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = openPool(url, { ...DEFAULT_POOL, ...options.pool }, options.log ?? ((message, error) => console.error(message, error)));
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const safe = new URL(url);
    safe.password = '';
    return {
      kysely,
      engine: 'postgres',
      location: safe.toString(),
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: () => kysely.destroy(),
    };
  }
  if (url !== '' && !url.startsWith('sqlite:')) {
    throw new Error(`DATABASE_URL must start with postgres:// or sqlite: (got "${url.split(':')[0]}:...")`);
  }
  const file = url.startsWith('sqlite:')
    ? url.slice('sqlite:'.length)
    : (options.sqliteFile ?? path.join(options.dataDir, 'csphub.sqlite'));
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('synchronous = NORMAL');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return { kysely, engine: 'sqlite', location: file, close: () => kysely.destroy() };
}

/**
 * The PostgreSQL pool, made to ride out an outage. When the server goes away (stopped, restarted, the network
 * cut), pg reports it as an 'error' event on each connection, and an 'error' event nobody listens to stops the
 * process: the pool listens for its idle connections and every connection listens for itself, even while a request
 * holds it. Requests fail fast instead of hanging (a connection must be had within connectTimeoutMs, a statement
 * ends after statementTimeoutMs, and a reply that never comes is given up a little later), the error handler
 * answers them 503 (isDatabaseUnavailable), and the pool opens new connections by itself once the server is back.
 */
function openPool(url: string, settings: PoolSettings, log: DbLog): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: settings.size,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    query_timeout: settings.statementTimeoutMs + 5_000,
    keepAlive: true,
  });
  pool.on('error', (error) => log('A PostgreSQL connection failed while idle', error));
  pool.on('connect', (client) => client.on('error', (error) => log('A PostgreSQL connection failed', error)));
  return pool;
}

/** Which engine a query layer (or a transaction of it) runs on, for the few statements written differently. */
export function engineOf(db: Kysely<Database>): Engine {
  // The dialects number parameters differently: PostgreSQL as $1, SQLite as ?.
  return sql`${0}`.compile(db).sql === '$1' ? 'postgres' : 'sqlite';
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  '57P01', // admin_shutdown: the server is stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the server is starting up
  '57014', // query_canceled: statement_timeout
  '53300', // too_many_connections
  'SQLITE_BUSY', // another process held the SQLite file for longer than busy_timeout
]);

/**
 * True when an error means the database cannot be used just now (unreachable, stopping or starting, a statement
 * that ran out of time, every connection busy for too long) rather than that the request or the code is wrong:
 * the app answers 503 "service unavailable" and the same request can succeed later.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true; // class 08: connection exception
    if (
      /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Connection terminated due to connection timeout)/.test(
        e.message,
      )
    )
      return true;
    if (e instanceof AggregateError && e.errors.some((x) => isDatabaseUnavailable(x))) return true;
  }
  return false;
}

/**
 * True when the database refused a write because another one got there at the same moment: a unique index it
 * would break (two first saves of the same thing), a deadlock or a serialisation failure. Saving again after
 * reading the latest version is the remedy, so the app answers it as a conflict (409), not a server error.
 */
export function isWriteConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === '23505' ||
    code === '40001' ||
    code === '40P01' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** The largest id (and whole number in an integer column) PostgreSQL stores: ids are 32-bit there. */
export const MAX_STORED_ID = 2_147_483_647;

/** True when `n` is a whole number a row can have as its id (1 to {@link MAX_STORED_ID}); anything else is not found. */
export const isStorableId = (n: number): boolean => Number.isSafeInteger(n) && n > 0 && n <= MAX_STORED_ID;

/**
 * True when PostgreSQL refused a number too large for its column (22003), such as an id past {@link MAX_STORED_ID}
 * in an address or a form: nothing can have that id, so the app answers it as not found or a bad request, not as
 * a fault. SQLite stores 64-bit integers and simply finds nothing.
 */
export function isNumberOutOfRange(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '22003';
}

/**
 * Runs `work` in one transaction: the caller's, when `db` is a transaction already (a service called by another
 * inside its transaction), or a new one. Services use it to write a change and its audit record together.
 */
export async function inTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** True when the database answers a trivial query. */
export async function isReachable(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db.kysely);
    return true;
  } catch {
    return false;
  }
}

/**
 * Kysely prepares every SQLite statement afresh; preparing was the largest single cost of a cached dashboard
 * request. Prepared statements are reusable (better-sqlite3 is synchronous, and SQLite re-prepares them itself
 * after a schema change), so keep the most recent ones by SQL text. Not safe with `.stream()` (an iterating
 * statement is busy), which the app does not use.
 */
function withStatementCache(database: SQLite.Database, size = 500): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare: (sql: string) => {
      let statement = statements.get(sql);
      if (statement) {
        statements.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (statements.size >= size) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}
