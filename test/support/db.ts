/**
 * Real databases for tests: a new SQLite file, or a new database in the throwaway PostgreSQL cluster that
 * scripts/test.sh starts. No mocks: every test runs the app's own migrations and queries.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Db, type Engine } from '../../src/adapters/database/database.ts';
import { migrateToLatest } from '../../src/adapters/database/migrate.ts';

const pgUrl = process.env.CSPHUB_TEST_PG_URL ?? '';
if (!pgUrl && process.env.CSPHUB_REQUIRE_PG === '1') throw new Error('CSPHUB_TEST_PG_URL is not set: run the tests with `npm test`');
if (!pgUrl) console.warn('CSPHUB_TEST_PG_URL is not set: PostgreSQL variants of the tests are skipped. Run `npm test` to include them.');

export const ENGINES: Engine[] = pgUrl ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDb extends Db {
  /** How to open this database again, e.g. from another process acting as a second app instance. */
  openOptions: { databaseUrl: string; dataDir: string; sqliteFile?: string };
  drop(): Promise<void>;
}

export async function freshDb(engine: Engine): Promise<TestDb> {
  const name = `csphub_test_${randomBytes(6).toString('hex')}`;
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-test-'));
    const location = { databaseUrl: '', dataDir: dir, sqliteFile: path.join(dir, `${name}.sqlite`) };
    const db = openDatabase(location);
    await migrateToLatest(db);
    return {
      ...db,
      openOptions: location,
      drop: async () => {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const location = { databaseUrl: url.toString(), dataDir: '' };
  const db = openDatabase(location);
  await migrateToLatest(db);
  return {
    ...db,
    openOptions: location,
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      // pg's pool.end() resolves before its sockets have closed: wait for them to go, so FORCE does not kill a
      // connection that is still saying goodbye (which surfaces as an uncaught 'terminating connection' error).
      for (let i = 0; i < 50; i++) {
        const r = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if (r.rows[0]!.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
