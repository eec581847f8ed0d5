/**
 * Opens the one query layer (Kysely) over either engine: the embedded SQLite file (default) or PostgreSQL
 * when a postgres:// URL is given. Nothing outside src/db needs to know which engine is in use.
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
  close(): Promise<void>;
}

// PostgreSQL returns int8 (count) and numeric as strings; read them as numbers like SQLite does.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(1700, (v) => Number.parseFloat(v));

export function openDatabase(options: { databaseUrl: string; dataDir: string; sqliteFile?: string }): Db {
  const url = options.databaseUrl;
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DB_POOL_SIZE ?? 10) });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const safe = new URL(url);
    safe.password = '';
    return { kysely, engine: 'postgres', location: safe.toString(), close: () => kysely.destroy() };
  }
  if (url !== '' && !url.startsWith('sqlite:')) {
    throw new Error(`DATABASE_URL must start with postgres:// or sqlite: (got "${url.split(':')[0]}:...")`);
  }
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : (options.sqliteFile ?? path.join(options.dataDir, 'csphub.sqlite'));
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('synchronous = NORMAL');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return { kysely, engine: 'sqlite', location: file, close: () => kysely.destroy() };
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
