import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { makeUser } from '../support/app.ts';
import {
  createPartnership,
  getPartnership,
  parsePopulations,
  partnershipsForUser,
  roleIn,
  updatePartnership,
} from '../../src/services/partnerships/partnerships.ts';
import {
  createOrganisation,
  deleteOrganisation,
  listOrganisations,
  updateOrganisation,
} from '../../src/services/partnerships/organisations.ts';
import { addMembership } from '../../src/services/partnerships/members.ts';
import { ConflictError, ForbiddenError, ValidationError, Validator } from '../../src/domain/errors.ts';
import { listAudit, SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';

describe('parsePopulations', () => {
  it('reads "year: population" lines with thousands separators, sorted by year', () => {
    const v = new Validator();
    assert.deepEqual(parsePopulations('2020: 265,800\n\n2019 : 264700', v), [
      { year: 2019, population: 264_700 },
      { year: 2020, population: 265_800 },
    ]);
    assert.equal(v.errors.length, 0);
  });
  it('names the line and value of each problem', () => {
    const v = new Validator();
    parsePopulations('2019: 100\n2019: 200\nabc\n1800: 5\n2021: -4', v);
    const messages = v.errors.map((e) => e.message);
    assert.ok(
      messages.some((m) => m.startsWith('Line 2:') && m.includes('2019 is given twice')),
      messages.join('|'),
    );
    assert.ok(messages.some((m) => m.startsWith('Line 3:') && m.includes('"abc"')));
    assert.ok(messages.some((m) => m.startsWith('Line 4:') && m.includes('1800')));
    assert.ok(messages.some((m) => m.startsWith('Line 5:') && m.includes('-4')));
  });
});

for (const engine of ENGINES) {
  describe(`partnerships and organisations on ${engine}`, () => {
    let db: TestDb;
    before(async () => {
      db = await freshDb(engine);
    });
    after(async () => db.drop());

    it('only a platform administrator creates partnerships; slugs stay unique', async () => {
      const admin = await makeUser(db.kysely, { platformAdmin: true });
      const plain = await makeUser(db.kysely);
      await assert.rejects(createPartnership(db.kysely, SYSTEM_ACTOR, plain, { name: 'Nope CSP' }), ForbiddenError);
      const a = await createPartnership(db.kysely, SYSTEM_ACTOR, admin, { name: 'Safer Testshire', populations: '2019: 1,000' });
      const b = await createPartnership(db.kysely, SYSTEM_ACTOR, admin, { name: 'Safer Testshire' });
      assert.equal(a.slug, 'safer-testshire');
      assert.equal(b.slug, 'safer-testshire-2');
      assert.deepEqual((await getPartnership(db.kysely, a.id)).populations, [{ year: 2019, population: 1000 }]);
      assert.equal(a.fy_start_month, 4);
    });

    it('rejects a partnership without a name and writes nothing', async () => {
      const admin = await makeUser(db.kysely, { platformAdmin: true });
      const before = (await partnershipsForUser(db.kysely, admin)).length;
      await assert.rejects(createPartnership(db.kysely, SYSTEM_ACTOR, admin, { name: '  ', populations: '2019: x' }), (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.deepEqual(e.errors.map((x) => x.field).sort(), ['name', 'populations']);
        return true;
      });
      assert.equal((await partnershipsForUser(db.kysely, admin)).length, before);
    });

    it('updates a partnership and records before and after in the audit trail', async () => {
      const p = await createPartnership(db.kysely, SYSTEM_ACTOR, null, { name: 'Audit CSP', populations: '2019: 500' });
      await updatePartnership(db.kysely, { userId: null, label: 'tester@example.org' }, p.id, {
        name: 'Audit CSP renamed',
        populations: '2019: 600\n2020: 700',
      });
      const audit = await listAudit(db.kysely, { partnershipId: p.id, entityType: 'partnership', action: 'update' });
      assert.equal(audit.total, 1);
      const e = audit.events[0]!;
      assert.equal(e.actor, 'tester@example.org');
      assert.equal((JSON.parse(e.before_json!) as { name: string }).name, 'Audit CSP');
      assert.equal((JSON.parse(e.after_json!) as { name: string }).name, 'Audit CSP renamed');
      assert.ok(e.changes.some((c) => c.field === 'name' && c.before === 'Audit CSP' && c.after === 'Audit CSP renamed'));
    });

    it('roles: members have their role, platform administrators act as admin, others have none', async () => {
      const p = await createPartnership(db.kysely, SYSTEM_ACTOR, null, { name: 'Roles CSP' });
      const editor = await makeUser(db.kysely);
      const outsider = await makeUser(db.kysely);
      const platform = await makeUser(db.kysely, { platformAdmin: true });
      await addMembership(db.kysely, SYSTEM_ACTOR, p.id, editor, 'editor');
      assert.equal(await roleIn(db.kysely, editor, p.id), 'editor');
      assert.equal(await roleIn(db.kysely, outsider, p.id), null);
      assert.equal(await roleIn(db.kysely, platform, p.id), 'admin');
      assert.equal(await roleIn(db.kysely, platform, 999_999), null);
      assert.deepEqual(
        (await partnershipsForUser(db.kysely, editor)).map((x) => [x.name, x.role]),
        [['Roles CSP', 'editor']],
      );
    });

    it('organisations: create, update, conflict on a stale edit, delete, each audited', async () => {
      const p = await createPartnership(db.kysely, SYSTEM_ACTOR, null, { name: 'Orgs CSP' });
      const actor = { userId: null, label: 'officer@example.org' };
      await assert.rejects(createOrganisation(db.kysely, actor, p.id, { name: '', type: 'police' }), (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.deepEqual(
          e.errors.map((x) => x.message),
          ['Enter the organisation name', 'Select the type of organisation'],
        );
        return true;
      });
      const o = await createOrganisation(db.kysely, actor, p.id, { name: 'Testshire Police', type: 'responsible_authority' });
      await assert.rejects(createOrganisation(db.kysely, actor, p.id, { name: 'Testshire Police', type: 'other' }), ValidationError);
      const seen = o.updated_at;
      const u = await updateOrganisation(db.kysely, actor, p.id, o.id, {
        name: 'Testshire Constabulary',
        type: 'responsible_authority',
        expectedUpdatedAt: seen,
      });
      assert.equal(u.name, 'Testshire Constabulary');
      assert.notEqual(u.updated_at, seen);
      // A second editor who opened the form before the first save is told about the conflict.
      await assert.rejects(
        updateOrganisation(db.kysely, actor, p.id, o.id, { name: 'Other name', type: 'other', expectedUpdatedAt: seen }),
        ConflictError,
      );
      assert.equal((await listOrganisations(db.kysely, p.id))[0]!.name, 'Testshire Constabulary');
      await deleteOrganisation(db.kysely, actor, p.id, o.id);
      assert.equal((await listOrganisations(db.kysely, p.id)).length, 0);
      const audit = await listAudit(db.kysely, { partnershipId: p.id, entityType: 'organisation' });
      assert.deepEqual(
        audit.events.map((e) => e.action),
        ['delete', 'update', 'create'],
      );
      assert.equal((JSON.parse(audit.events[0]!.before_json!) as { name: string }).name, 'Testshire Constabulary');
    });

    it('an organisation of one partnership cannot be reached through another', async () => {
      const a = await createPartnership(db.kysely, SYSTEM_ACTOR, null, { name: 'Tenant A' });
      const b = await createPartnership(db.kysely, SYSTEM_ACTOR, null, { name: 'Tenant B' });
      const ob = await createOrganisation(db.kysely, SYSTEM_ACTOR, b.id, { name: 'B Council', type: 'responsible_authority' });
      await assert.rejects(updateOrganisation(db.kysely, SYSTEM_ACTOR, a.id, ob.id, { name: 'Hijacked', type: 'other' }), /not found/);
      await assert.rejects(deleteOrganisation(db.kysely, SYSTEM_ACTOR, a.id, ob.id), /not found/);
      assert.equal((await listOrganisations(db.kysely, b.id))[0]!.name, 'B Council');
    });

    it('audit filters by type, action, actor, date and pages the results', async () => {
      const p = await createPartnership(db.kysely, SYSTEM_ACTOR, null, { name: 'Paging CSP' });
      for (let i = 0; i < 30; i++)
        await createOrganisation(db.kysely, { userId: null, label: i % 2 ? 'odd@example.org' : 'even@example.org' }, p.id, {
          name: `Org ${i}`,
          type: 'other',
        });
      const page1 = await listAudit(db.kysely, { partnershipId: p.id, entityType: 'organisation', pageSize: 10 });
      assert.equal(page1.total, 30);
      assert.equal(page1.pageCount, 3);
      assert.equal(page1.events[0]!.summary, 'Added partner organisation Org 29');
      const page3 = await listAudit(db.kysely, { partnershipId: p.id, entityType: 'organisation', pageSize: 10, page: 3 });
      assert.equal(page3.events.at(-1)!.summary, 'Added partner organisation Org 0');
      assert.equal((await listAudit(db.kysely, { partnershipId: p.id, actor: 'ODD@' })).total, 15);
      const today = new Date().toISOString().slice(0, 10);
      assert.equal((await listAudit(db.kysely, { partnershipId: p.id, entityType: 'organisation', from: today, to: today })).total, 30);
      assert.equal((await listAudit(db.kysely, { partnershipId: p.id, to: '2000-01-01' })).total, 0);
      assert.deepEqual(page1.entityTypes, ['organisation', 'partnership']);
    });
  });
}
