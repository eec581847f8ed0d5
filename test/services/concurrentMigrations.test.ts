/**
 * Upgrades with several instances (issue 19): instances starting at once on one empty PostgreSQL database each run
 * migrateToLatest, and every migration is applied exactly once. Kysely's migrator holds a PostgreSQL advisory lock
 * (pg_advisory_lock) on one connection while it reads which migrations ran and applies the rest in one transaction,
 * so the others wait, then find nothing left to do. (SQLite deployments are one instance by design.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ENGINES } from '../support/db.ts';
import { openDatabase } from '../../src/adapters/database/database.ts';
import { migrateToLatest, migrationState } from '../../src/adapters/database/migrate.ts';

for (const engine of ENGINES.filter((e) => e === 'postgres')) {
  describe(`migrations started by several instances at once on ${engine}`, () => {
    it('applies each migration exactly once while four instances migrate together', async () => {
      const adminUrl = process.env.CSPHUB_TEST_PG_URL!;
      const name = `csphub_migrate_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const instances = Array.from({ length: 4 }, () => openDatabase({ databaseUrl: url.toString(), dataDir: '' }));
      try {
        const applied = await Promise.all(instances.map((db) => migrateToLatest(db)));
        const all = applied.flat();
        const state = await migrationState(instances[0]!);
        assert.equal(state.pending.length, 0);
        assert.deepEqual([...all].sort(), [...state.applied].sort(), 'every migration applied by exactly one instance');
        assert.equal(new Set(all).size, all.length);
        const check = new pg.Client({ connectionString: url.toString() });
        await check.connect();
        const { rows } = await check.query<{ n: number }>('select count(*)::int as n from kysely_migration');
        await check.end();
        assert.equal(rows[0]!.n, state.applied.length);
        // A later start (an upgrade with nothing new) applies nothing and does not wait long.
        const started = Date.now();
        assert.deepEqual(await migrateToLatest(instances[1]!), []);
        assert.ok(Date.now() - started < 5_000);
      } finally {
        await Promise.all(instances.map((db) => db.close()));
        // pg's pool.end() resolves before its sockets have closed: wait for them, as test/support/db.ts does.
        for (let i = 0; i < 50; i++) {
          const r = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
          if (r.rows[0]!.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    });
  });
}
