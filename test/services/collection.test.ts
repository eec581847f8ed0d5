/**
 * Owners and collection schedules on both engines (decision 0022): owners chosen among members and organisations,
 * the calendar's due/overdue/received status of each expected figure, a contributor limited to their own indicators
 * when the partnership says so, "my figures" and the completeness score per owner, organisation and partnership.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { makePartnership, memberOf } from '../support/app.ts';
import { listAudit, SYSTEM_ACTOR, type Actor } from '../../src/services/platform/audit.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { enterFigures } from '../../src/services/performance/figures.ts';
import { createOrganisation } from '../../src/services/partnerships/organisations.ts';
import { setCollectionSettings, setIndicatorCollection } from '../../src/services/cycle/owners.ts';
import { completenessReport, myWork, partnershipCollection } from '../../src/services/cycle/collection.ts';
import { ForbiddenError, ValidationError } from '../../src/domain/errors.ts';
import { dueDate } from '../../src/domain/collection.ts';
import { todayIso } from '../../src/adapters/clock.ts';

for (const engine of ENGINES) {
  describe(`collection calendar on ${engine}`, () => {
    let db: TestDb;
    let pid: number;
    let otherPid: number;
    let owner: { id: number; email: string };
    let colleague: { id: number; email: string };
    let stranger: { id: number; email: string };
    let asb: number;
    let burglary: number;
    let orgId: number;
    const admin: Actor = SYSTEM_ACTOR;
    const as = (u: { id: number; email: string }): Actor => ({ userId: u.id, label: u.email });

    before(async () => {
      db = await freshDb(engine);
      const k = db.kysely;
      pid = (await makePartnership(k, 'Rutland')).id;
      otherPid = (await makePartnership(k, 'Elsewhere')).id;
      owner = await memberOf(k, pid, 'contributor');
      colleague = await memberOf(k, pid, 'contributor');
      stranger = await memberOf(k, pid, 'contributor');
      orgId = (await createOrganisation(k, admin, pid, { name: 'Rutland County Council', type: 'responsible_authority' })).id;
      const base = { unit: 'count', polarity: 'lower_is_better', frequency: 'monthly', obaCategory: 'better_off' };
      asb = (await createIndicator(k, admin, pid, { ...base, code: 'ASB1', title: 'ASB incidents' })).id;
      burglary = (await createIndicator(k, admin, pid, { ...base, code: 'BUR1', title: 'Burglary', owner: 'Sgt Smith (no account)' })).id;
      // The colleague works for the council.
      await setCollectionSettings(k, admin, pid, { dueWorkingDays: '10', organisations: { [String(colleague.id)]: String(orgId) } });
    });
    after(async () => db.drop());

    it('sets an owner among members, with their organisation, and refuses outsiders naming the field and value', async () => {
      const k = db.kysely;
      const i = await setIndicatorCollection(k, admin, pid, asb, { ownerUserId: String(owner.id), collectFrom: '2026-04' });
      assert.equal(i.owner_user_id, owner.id);
      assert.equal(i.collect_from, '2026-04');
      const byColleague = await setIndicatorCollection(k, admin, pid, burglary, {
        ownerUserId: String(colleague.id),
        dueWorkingDays: '5',
        collectFrom: '2026-04',
      });
      assert.equal(byColleague.owner_organisation_id, orgId, "the owner's organisation by default");
      assert.equal(byColleague.due_working_days, 5);
      const outsider = await memberOf(k, otherPid, 'editor');
      await assert.rejects(
        setIndicatorCollection(k, admin, pid, asb, { ownerUserId: String(outsider.id), dueWorkingDays: '99', collectFrom: 'soon' }),
        (e: unknown) => {
          assert.ok(e instanceof ValidationError);
          assert.deepEqual(
            e.errors.map((x) => x.field),
            ['ownerUserId', 'dueWorkingDays', 'collectFrom'],
          );
          assert.match(e.errors[1]!.message, /"99"/);
          return true;
        },
      );
      await assert.rejects(setIndicatorCollection(k, admin, otherPid, asb, {}), /not found/);
      const audit = await listAudit(k, { partnershipId: pid });
      assert.ok(audit.events.some((a) => a.summary === 'Set the owner and collection schedule of ASB1 ASB incidents'));
    });

    it('judges each expected figure by the calendar: nothing entered from April to November is overdue each month', async () => {
      const c = await partnershipCollection(db.kysely, pid, '2026-12-20');
      const i = c.indicators.find((x) => x.indicatorId === asb)!;
      assert.deepEqual(
        i.expected.map((f) => f.period),
        ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'],
      );
      assert.equal(i.overdue, 8);
      assert.equal(i.ownerEmail, owner.email);
      // On 2 December, November is due (14 December), not overdue.
      const early = (await partnershipCollection(db.kysely, pid, '2026-12-02')).indicators.find((x) => x.indicatorId === asb)!;
      assert.deepEqual([early.overdue, early.due, early.next?.period], [7, 1, '2026-04']);
      assert.equal(dueDate('2026-11', 10), '2026-12-14');
    });

    it('limits contributors to what they or their organisation own when the partnership says so', async () => {
      const k = db.kysely;
      // Without the limit, anyone may enter.
      await enterFigures(k, as(stranger), pid, [{ indicatorId: asb, period: '2026-04', value: '10' }]);
      await setCollectionSettings(k, admin, pid, { dueWorkingDays: '10', contributorsOwnOnly: 'yes' });
      await assert.rejects(
        enterFigures(k, as(stranger), pid, [{ indicatorId: asb, period: '2026-05', value: '11' }]),
        (e: unknown) => e instanceof ForbiddenError && /ASB1 ASB incidents/.test(e.message),
      );
      await enterFigures(k, as(owner), pid, [{ indicatorId: asb, period: '2026-05', value: '11' }]);
      // Someone else of the council may enter the council's indicator.
      const councilMate = await memberOf(k, pid, 'contributor');
      await setCollectionSettings(k, admin, pid, {
        dueWorkingDays: '10',
        contributorsOwnOnly: 'yes',
        organisations: { [String(councilMate.id)]: String(orgId) },
      });
      await enterFigures(k, as(councilMate), pid, [{ indicatorId: burglary, period: '2026-04', value: '3' }]);
      await assert.rejects(enterFigures(k, as(councilMate), pid, [{ indicatorId: asb, period: '2026-06', value: '3' }]), ForbiddenError);
      // An editor enters anything.
      const editor = await memberOf(k, pid, 'editor');
      await enterFigures(k, as(editor), pid, [{ indicatorId: asb, period: '2026-06', value: '12' }]);
    });

    it("lists a person's figures to do and scores completeness per owner, organisation and partnership", async () => {
      const today = todayIso();
      const mine = await myWork(db.kysely, pid, owner.id, today);
      assert.ok(mine.indicators.every((i) => i.indicatorId === asb));
      assert.ok(!mine.figures.some((f) => ['2026-04', '2026-05', '2026-06'].includes(f.period)), 'entered figures are not listed');
      const theirs = await myWork(db.kysely, pid, colleague.id, today);
      assert.ok(theirs.indicators.every((i) => i.indicatorId === burglary));
      // Figures for April to June were entered today, after their due dates (unless today is before them).
      const report = await completenessReport(db.kysely, pid, { from: '2026-01-01', to: '2099-12-31' }, '2026-12-20');
      const ownerRow = report.owners.find((r) => r.key === `user-${owner.id}`)!;
      assert.equal(ownerRow.completeness.expected, 8);
      assert.equal(report.partnership.expected, 16);
      assert.ok(report.organisations.some((r) => r.name === 'Rutland County Council' && r.completeness.expected === 8));
      assert.equal(report.indicators.length, 2);
    });
  });
}
