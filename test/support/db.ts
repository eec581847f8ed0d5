/**
 * Real databases for tests: a new SQLite file, or a new database in the throwaway PostgreSQL cluster that
 * scripts/test.sh starts. No mocks: every test database has been through the app's own migrations.
 *
 * SQLite test databases are copies of one migrated file (ADR 0025): `csphub-template-<hash>.sqlite` in the
 * temporary folder, named by a hash of the migration sources (so a changed migration makes a new one), built by the
 * first test process that needs it (under another name, then renamed into place, so no process copies a half-built
 * file). Copying takes a fifth of the time of migrating an empty file. PostgreSQL test databases are still created
 * empty and migrated: copying a migrated template with CREATE DATABASE … TEMPLATE was measured to cost the server
 * more than creating an empty database and migrating it (see docs/benchmarks.md, "Test suite time").
 * Set CSPHUB_TEST_NO_TEMPLATE=1 to migrate every SQLite test database from empty as well.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Db, type Engine } from '../../src/adapters/database/database.ts';
import { migrateToLatest } from '../../src/adapters/database/migrate.ts';

// Test accounts' passwords are hashed at argon2's lowest cost, here and in the app processes the tests start (they
// inherit this environment). src/adapters/passwordHashing.ts is the one place that reads the setting; production's
// cost is checked in test/services/passwords.test.ts.
process.env.CSPHUB_TEST_CHEAP_HASHES ??= '1';

const pgUrl = process.env.CSPHUB_TEST_PG_URL ?? '';
if (!pgUrl && process.env.CSPHUB_REQUIRE_PG === '1') throw new Error('CSPHUB_TEST_PG_URL is not set: run the tests with `npm test`');
if (!pgUrl) console.warn('CSPHUB_TEST_PG_URL is not set: PostgreSQL variants of the tests are skipped. Run `npm test` to include them.');

export const ENGINES: Engine[] = pgUrl ? ['sqlite', 'postgres'] : ['sqlite'];

const useTemplates = process.env.CSPHUB_TEST_NO_TEMPLATE !== '1';

export interface TestDb extends Db {
  /** How to open this database again, e.g. from another process acting as a second app instance. */
  openOptions: { databaseUrl: string; dataDir: string; sqliteFile?: string };
  drop(): Promise<void>;
}

const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../src/adapters/database');

/** A hash of everything that decides the migrated schema: migrate.ts (the list) and every migration's source. */
function migrationsHash(): string {
  const hash = createHash('sha256');
  const files = [
    path.join(MIGRATIONS_DIR, 'migrate.ts'),
    ...fs
      .readdirSync(path.join(MIGRATIONS_DIR, 'migrations'))
      .sort()
      .map((f) => path.join(MIGRATIONS_DIR, 'migrations', f)),
  ];
  for (const file of files) hash.update(path.basename(file)).update('\0').update(fs.readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

let sqliteTemplate: Promise<string> | null = null;

/** The migrated SQLite file every SQLite test database copies, built the first time any process asks for it. */
function sqliteTemplateFile(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const file = path.join(os.tmpdir(), `csphub-template-${migrationsHash()}.sqlite`);
    if (fs.existsSync(file)) return file;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-template-build-'));
    try {
      const building = path.join(dir, 'template.sqlite');
      const db = openDatabase({ databaseUrl: '', dataDir: dir, sqliteFile: building });
      await migrateToLatest(db);
      // Closing the last connection checkpoints the write-ahead log into the file and removes it.
      await db.close();
      // Another process may have finished first: renaming over its identical file is harmless.
      fs.renameSync(building, file);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return file;
  })();
  return sqliteTemplate;
}

export async function freshDb(engine: Engine): Promise<TestDb> {
  const name = `csphub_test_${randomBytes(6).toString('hex')}`;
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-test-'));
    const location = { databaseUrl: '', dataDir: dir, sqliteFile: path.join(dir, `${name}.sqlite`) };
    if (useTemplates) fs.copyFileSync(await sqliteTemplateFile(), location.sqliteFile);
    const db = openDatabase(location);
    // From the template this finds nothing to do, and checks that the copy has every migration.
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
