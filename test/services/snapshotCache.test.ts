/**
 * The per-partnership cache recomputes exactly when the partnership's data changes (an audited change raises its
 * data version), including when changes commit in a different order from the one they started in.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { makePartnership } from '../support/app.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { cachedForPartnership, clearSnapshotCache, dataVersion } from '../../src/services/platform/snapshotCache.ts';
import { createOrganisation } from '../../src/services/partnerships/organisations.ts';
import { recordAudit, SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { enterFigures } from '../../src/services/performance/figures.ts';

for (const engine of ENGINES) {
  describe(`snapshot cache on ${engine}`, () => {
    let db: TestDb;
    before(async () => {
      db = await freshDb(engine);
      clearSnapshotCache();
    });
    after(() => db.drop());

    it('serves the cached value until something in that partnership changes', async () => {
      const a = await makePartnership(db.kysely, 'Cache A');
      const b = await makePartnership(db.kysely, 'Cache B');
      let computed = 0;
      const count = () =>
        cachedForPartnership(db.kysely, a.id, 'orgs', async () => {
          computed += 1;
          return (await db.kysely.selectFrom('organisations').select('id').where('partnership_id', '=', a.id).execute()).length;
        });
      assert.equal(await count(), 0);
      assert.equal(await count(), 0);
      assert.equal(computed, 1, 'second read is served from the cache');

      await createOrganisation(db.kysely, SYSTEM_ACTOR, b.id, { name: 'Elsewhere', type: 'other' });
      assert.equal(await count(), 0);
      assert.equal(computed, 1, 'a change in another partnership does not invalidate it');

      await createOrganisation(db.kysely, SYSTEM_ACTOR, a.id, { name: 'Here', type: 'other' });
      assert.equal(await count(), 1, 'a change in this partnership is seen at once');
      assert.equal(computed, 2);
    });

    it('sees a change that commits after a later-started one (versions rise in commit order)', async () => {
      const p = await makePartnership(db.kysely, 'Cache Order');
      const count = () =>
        cachedForPartnership(
          db.kysely,
          p.id,
          'orgs',
          async () => (await db.kysely.selectFrom('organisations').select('id').where('partnership_id', '=', p.id).execute()).length,
        );
      assert.equal(await count(), 0);
      // T1 adds an organisation and records its audit event, then holds its transaction open for a while.
      const t1 = db.kysely.transaction().execute(async (trx) => {
        const now = new Date().toISOString();
        const org = await trx
          .insertInto('organisations')
          .values({ partnership_id: p.id, name: 'First', type: 'other', description: '', created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await recordAudit(trx, SYSTEM_ACTOR, {
          partnershipId: p.id,
          action: 'create',
          entityType: 'organisation',
          entityId: org.id,
          summary: 'Added First',
        });
        await sleep(600);
      });
      await sleep(100);
      // T2 starts later (its audit event gets a higher id) and would commit first if nothing made it wait.
      const t2 = createOrganisation(db.kysely, SYSTEM_ACTOR, p.id, { name: 'Second', type: 'other' });
      await sleep(200);
      // Read (and cache) while T1 is still open: on PostgreSQL this sees neither change, as T2 waits for T1.
      const during = await count();
      assert.ok(during === 0 || during === 2, `a read in between sees all or nothing (saw ${during})`);
      await Promise.all([t1, t2]);
      assert.equal(await count(), 2, 'both organisations once both have committed');
    });

    it('raises the version once for a batch of figures, and not at all for a rejected batch', async () => {
      const p = await makePartnership(db.kysely, 'Cache Batch');
      const ind = await createIndicator(db.kysely, SYSTEM_ACTOR, p.id, {
        code: 'B1',
        title: 'Batch',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'monthly',
        obaCategory: 'how_much',
      });
      const v0 = await dataVersion(db.kysely, p.id);
      await enterFigures(db.kysely, SYSTEM_ACTOR, p.id, [
        { indicatorId: ind.id, period: '2020-04', value: '1' },
        { indicatorId: ind.id, period: '2020-05', value: '2' },
        { indicatorId: ind.id, period: '2020-06', value: '3' },
      ]);
      assert.equal(await dataVersion(db.kysely, p.id), v0 + 1);
      await assert.rejects(enterFigures(db.kysely, SYSTEM_ACTOR, p.id, [{ indicatorId: ind.id, period: '2020-07', value: 'x' }]));
      assert.equal(await dataVersion(db.kysely, p.id), v0 + 1);
    });
  });
}
