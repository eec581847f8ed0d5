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

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/police-uk/street');
const DOCUMENT = Buffer.from('PK\u0003\u0004 a generated document, byte for byte');

/** PostgreSQL's own client programs, of the newest server installed (the one scripts/test.sh runs). */
function pgProgram(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, 'bin', name)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return versions.length ? path.join(root, versions[0]!, 'bin', name) : name;
}

async function run(program: string, args: string[]): Promise<void> {
  await promisify(execFile)(pgProgram(program), args, { timeout: 120_000 });
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
    const now = new Date().toISOString();
    await db.kysely
      .insertInto('document_jobs')
      .values({
        partnership_id: partnership.id,
        kind: 'board_pack',
        format: 'docx',
        title: 'Board pack',
        params_json: '{}',
        status: 'done',
        progress: 100,
        stage: 'Finished',
        error: null,
        requested_by_user_id: null,
        requested_by: 'test',
        requested_by_name: 'Test',
        created_at: now,
        heartbeat_at: now,
        finished_at: now,
        file_name: 'board-pack.docx',
        content_type: 'application/octet-stream',
        content: DOCUMENT,
        size_bytes: DOCUMENT.length,
      })
      .execute();
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
    const client = new pg.Client({ connectionString: emptyUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: number; name: string }>('SELECT id, name FROM partnerships ORDER BY id LIMIT 1');
      const first = rows[0]!;
      await client.query('UPDATE partnerships SET name = $1 WHERE id = $2', ['Changed after the dump', first.id]);
      await client.query('DELETE FROM audit_events');
      await client.end();
      await run('pg_restore', ['--clean', '--if-exists', '--no-owner', `--dbname=${emptyUrl}`, dump]);
      const again = new pg.Client({ connectionString: emptyUrl });
      await again.connect();
      try {
        const name = await again.query<{ name: string }>('SELECT name FROM partnerships WHERE id = $1', [first.id]);
        assert.equal(name.rows[0]?.name, first.name);
      } finally {
        await again.end();
      }
      assert.deepEqual(await rowCounts(emptyUrl), await rowCounts(db.openOptions.databaseUrl));
    } finally {
      await client.end().catch(() => undefined);
    }
  });
});
