/** The per-partnership cache recomputes exactly when the partnership's data changes (a new audit event). */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { makePartnership } from '../support/app.ts';
import { cachedForPartnership, clearSnapshotCache } from '../../src/services/snapshotCache.ts';
import { createOrganisation } from '../../src/services/organisations.ts';
import { SYSTEM_ACTOR } from '../../src/services/audit.ts';

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
      const count = () => cachedForPartnership(db.kysely, a.id, 'orgs', async () => {
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
  });
}
