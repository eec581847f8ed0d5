/**
 * `npm run backup` and `npm run restore` of the embedded deployment (issue 19), as processes: the demo partnerships
 * with their plans, figures and reviews, a generated document's file and an imported police.uk crime store are backed
 * up while the database is open and being written, restored into an empty data folder, and every row of every table
 * is found there (and the document's bytes and the crime records are the same). A restore over an existing database
 * is refused without --force; on PostgreSQL the scripts leave it to pg_dump and pg_restore and say how.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openDatabase, type Db } from '../../src/adapters/database/database.ts';
import { migrateToLatest } from '../../src/adapters/database/migrate.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { openCrimeStore } from '../../src/adapters/crimeStore/store.ts';
import { importStreetFiles } from '../../src/adapters/crimeStore/importer.ts';
import { duckdbRowCounts, sqliteRowCounts } from '../../src/adapters/backup/embeddedBackup.ts';
import { loadConfig } from '../../src/config.ts';
import { embeddedDatabaseFile, PG_BACKUP_ADVICE } from '../../scripts/backupSettings.ts';
import { nodeEntry } from '../support/nodeEntry.ts';
import { insertFinishedDocument } from '../support/app.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/police-uk/street');

async function script(name: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [...nodeEntry(`scripts/${name}.ts`), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

describe('backup and restore of the embedded database and crime store', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-backup-'));
  const live = path.join(tmp, 'live');
  const restored = path.join(tmp, 'restored');
  const backups = path.join(tmp, 'backups');
  let db: Db;

  before(async () => {
    db = openDatabase({ databaseUrl: '', dataDir: live });
    await migrateToLatest(db);
    await seedDemo(db.kysely, { email: 'admin@csphub.test', password: 'demo-password-2026' });
    const partnership = await db.kysely.selectFrom('partnerships').select('id').orderBy('id').executeTakeFirstOrThrow();
    await insertFinishedDocument(db.kysely, partnership.id, { content: Buffer.from('PK\u0003\u0004 a generated document, byte for byte') });
    const store = await openCrimeStore(path.join(live, 'crime.duckdb'));
    try {
      const summary = await importStreetFiles(store, FIXTURES);
      assert.ok(summary.rowsAccepted > 0);
    } finally {
      store.close();
    }
  });
  after(async () => {
    await db.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('backs up while the database is open, restores into an empty folder and finds every row of every table', async () => {
    // The app is "running": a write goes on during the backup.
    const writing = db.kysely.updateTable('partnerships').set({ updated_at: new Date().toISOString() }).execute();
    const backup = await script('backup', ['--out', backups], { DATA_DIR: live, DATABASE_URL: '' });
    await writing;
    assert.equal(backup.code, 0, backup.out);
    const folder = fs.readdirSync(backups)[0] ?? '';
    assert.ok(folder.startsWith('csphub-'), backup.out);

    const restore = await script('restore', [path.join(backups, folder)], { DATA_DIR: restored, DATABASE_URL: '' });
    assert.equal(restore.code, 0, restore.out);
    assert.match(restore.out, /every table's rows match the backup/);

    const before = sqliteRowCounts(path.join(live, 'csphub.sqlite'));
    const after = sqliteRowCounts(path.join(restored, 'csphub.sqlite'));
    assert.deepEqual(after, before);
    for (const table of ['partnerships', 'users', 'plans', 'indicators', 'figures', 'audit_events', 'document_jobs', 'reviews'])
      assert.ok((after[table] ?? 0) > 0, `${table} has rows`);

    const copy = openDatabase({ databaseUrl: '', dataDir: restored });
    try {
      const doc = await copy.kysely.selectFrom('document_jobs').select('content').where('status', '=', 'done').executeTakeFirstOrThrow();
      assert.equal(Buffer.from(doc.content!).toString(), 'PK\u0003\u0004 a generated document, byte for byte');
    } finally {
      await copy.close();
    }
    const crimeBefore = await duckdbRowCounts(path.join(live, 'crime.duckdb'));
    const crimeAfter = await duckdbRowCounts(path.join(restored, 'crime.duckdb'));
    assert.deepEqual(crimeAfter, crimeBefore);
    assert.ok((crimeAfter.street_records ?? 0) > 0);

    const again = await script('restore', [path.join(backups, folder)], { DATA_DIR: restored, DATABASE_URL: '' });
    assert.equal(again.code, 1);
    assert.match(again.out, /exists: stop the app and pass --force/);
    const forced = await script('restore', [path.join(backups, folder), '--force'], { DATA_DIR: restored, DATABASE_URL: '' });
    assert.equal(forced.code, 0, forced.out);
  });

  it('leaves PostgreSQL to pg_dump and pg_restore, and explains them', () => {
    assert.equal(embeddedDatabaseFile(loadConfig({ DATABASE_URL: 'postgres://csphub@db.example.org/csphub' })), null);
    assert.equal(embeddedDatabaseFile(loadConfig({ DATA_DIR: live })), path.join(live, 'csphub.sqlite'));
    assert.match(PG_BACKUP_ADVICE, /pg_dump --format=custom/);
    assert.match(PG_BACKUP_ADVICE, /pg_restore --clean/);
  });
});
