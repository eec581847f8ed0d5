/** The demo data goes in through the services on an empty database, once, and is complete and audited. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { isEmpty, seedDemo } from '../../src/demo/seed.ts';
import { DEMO_PARTNERSHIPS } from '../../src/demo/partnerships.ts';
import { findPartnershipByName, getPartnership } from '../../src/services/partnerships.ts';
import { listOrganisations } from '../../src/services/organisations.ts';
import { signIn } from '../../src/services/signIn.ts';
import { listAudit } from '../../src/services/audit.ts';

for (const engine of ENGINES) {
  describe(`demo data on ${engine}`, () => {
    let db: TestDb;
    before(async () => {
      db = await freshDb(engine);
    });
    after(() => db.drop());

    it('creates the three seed partnerships with their organisations and a demo administrator', async () => {
      assert.equal(await isEmpty(db.kysely), true);
      await seedDemo(db.kysely, { email: 'admin@csphub.test', password: 'demo-password-2026' });
      assert.equal(await isEmpty(db.kysely), false);
      assert.deepEqual(
        DEMO_PARTNERSHIPS.map((d) => d.name),
        ['Safer Rotherham Partnership', 'Rochford Community Safety Partnership', 'Rutland Community Safety Partnership'],
      );
      for (const demo of DEMO_PARTNERSHIPS) {
        const found = await findPartnershipByName(db.kysely, demo.name);
        assert.ok(found, `${demo.name} exists`);
        const p = await getPartnership(db.kysely, found.id);
        assert.equal(p.populations.length, demo.populations.length);
        const orgs = await listOrganisations(db.kysely, p.id);
        assert.deepEqual(orgs.map((o) => o.name).sort(), demo.organisations.map((o) => o.name).sort());
        assert.ok(orgs.some((o) => o.type === 'responsible_authority'), `${demo.name} has responsible authorities`);
        const audit = await listAudit(db.kysely, { partnershipId: p.id, entityType: 'organisation', pageSize: 200 });
        assert.equal(audit.total, demo.organisations.length, 'every organisation created is in the audit trail');
      }
      const result = await signIn(db.kysely, 'admin@csphub.test', 'demo-password-2026', '127.0.0.1');
      assert.equal(result.ok, true);
      assert.equal(result.ok && result.user.is_platform_admin ? true : false, true);
    });
  });
}
