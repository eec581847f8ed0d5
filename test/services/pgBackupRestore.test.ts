/**
 * Backup and restore of a PostgreSQL deployment (issue 19) with exactly the commands the README gives: `pg_dump
 * --format=custom` of a database holding the demo partnerships, a generated document and police.uk records in the
 * shared store (month partitions), taken while the app writes; `pg_restore --clean --if-exists --no-owner` into an
 * empty database, where every row of every table (each partition too) is found and the app's migrations find nothing
 * to do; and the same restore again over a database that has changed since, which puts it back as it was.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../../src/adapters/database/database.ts';
import { migrateToLatest } from '../../src/adapters/database/migrate.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { openPgCrimeStore } from '../../src/adapters/crimeStore/store.ts';
import { importStreetFiles } from '../../src/adapters/crimeStore/importer.ts';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { insertFinishedDocument } from '../support/app.ts';
import { pgBin } from '../support/throwawayPg.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/police-uk/street');
const DOCUMENT = Buffer.from('PK\u0003\u0004 a generated document, byte for byte');

async function run(program: string, args: string[]): Promise<void> {
  // PostgreSQL's own client programs, of the newest server installed (the one scripts/test.sh runs).
  await promisify(execFile)(path.join(pgBin() ?? '', program), args, { timeout: 120_000 });
}

/** Every table of the public schema (partitions included, partitioned parents left out) with its number of rows. */
async function rowCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname`,
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables.rows) {
      const r = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`);
      counts[name] = r.rows[0]!.n;
    }
    return counts;
  } finally {
    await client.end();
  }
}

const pgOnly = ENGINES.includes('postgres') ? describe : describe.skip;

pgOnly('backup and restore of a PostgreSQL deployment with pg_dump and pg_restore', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-pgbackup-'));
  const dump = path.join(tmp, 'csphub.dump');
  const emptyName = `csphub_restore_${randomBytes(6).toString('hex')}`;
  let db: TestDb;
  let emptyUrl = '';

  before(async () => {
    db = await freshDb('postgres');
    await seedDemo(db.kysely, { email: 'admin@csphub.test', password: 'demo-password-2026' });
    const partnership = await db.kysely.selectFrom('partnerships').select('id').orderBy('id').executeTakeFirstOrThrow();
    await insertFinishedDocument(db.kysely, partnership.id, { content: DOCUMENT });
    const store = openPgCrimeStore(db.openOptions.databaseUrl);
    try {
      const summary = await importStreetFiles(store, FIXTURES);
      assert.ok(summary.rowsAccepted > 0);
    } finally {
      store.close();
    }
    const admin = new pg.Client({ connectionString: process.env.CSPHUB_TEST_PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${emptyName}`);
    await admin.end();
    const url = new URL(db.openOptions.databaseUrl);
    url.pathname = `/${emptyName}`;
    emptyUrl = url.toString();
  });
  after(async () => {
    await db?.drop();
    const admin = new pg.Client({ connectionString: process.env.CSPHUB_TEST_PG_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${emptyName} WITH (FORCE)`);
    await admin.end();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('dumps while the app writes, restores into an empty database and finds every row of every table', async () => {
    const writing = db.kysely.updateTable('partnerships').set({ updated_at: new Date().toISOString() }).execute();
    await run('pg_dump', ['--format=custom', `--file=${dump}`, db.openOptions.databaseUrl]);
    await writing;
    await run('pg_restore', ['--clean', '--if-exists', '--no-owner', `--dbname=${emptyUrl}`, dump]);

    const before = await rowCounts(db.openOptions.databaseUrl);
    const after = await rowCounts(emptyUrl);
    assert.deepEqual(after, before);
    for (const table of ['partnerships', 'users', 'plans', 'indicators', 'figures', 'audit_events', 'document_jobs', 'reviews'])
      assert.ok((after[table] ?? 0) > 0, `${table} has rows`);
    const partitions = Object.keys(after).filter((t) => t.startsWith('street_records_'));
    assert.ok(partitions.length > 0, 'the month partitions of the police.uk store are restored');
    assert.ok(partitions.reduce((n, t) => n + after[t]!, 0) > 0, 'with their records');

    const copy = openDatabase({ databaseUrl: emptyUrl, dataDir: '' });
    try {
      const doc = await copy.kysely.selectFrom('document_jobs').select('content').where('status', '=', 'done').executeTakeFirstOrThrow();
      assert.deepEqual(Buffer.from(doc.content!), DOCUMENT);
      const migrations = (await rowCounts(emptyUrl)).kysely_migration;
      await migrateToLatest(copy);
      assert.equal((await rowCounts(emptyUrl)).kysely_migration, migrations, 'the restored schema is at the latest migration');
    } finally {
      await copy.close();
    }
  });

  it('restores over a database that has changed since the dump and puts it back as it was', async () => {
    // Changed through the app's own query layer: a partnership renamed and the audit trail emptied.
    const copy = openDatabase({ databaseUrl: emptyUrl, dataDir: '' });
    let first: { id: number; name: string };
    try {
      first = await copy.kysely.selectFrom('partnerships').select(['id', 'name']).orderBy('id').executeTakeFirstOrThrow();
      await copy.kysely.updateTable('partnerships').set({ name: 'Changed after the dump' }).where('id', '=', first.id).execute();
      await copy.kysely.deleteFrom('audit_events').execute();
    } finally {
      await copy.close();
    }
    await run('pg_restore', ['--clean', '--if-exists', '--no-owner', `--dbname=${emptyUrl}`, dump]);
    const restored = openDatabase({ databaseUrl: emptyUrl, dataDir: '' });
    try {
      const row = await restored.kysely.selectFrom('partnerships').select('name').where('id', '=', first.id).executeTakeFirst();
      assert.equal(row?.name, first.name);
    } finally {
      await restored.close();
    }
    assert.deepEqual(await rowCounts(emptyUrl), await rowCounts(db.openOptions.databaseUrl));
  });
});
