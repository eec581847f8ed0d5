/** Partnership plans on each engine: building a plan, validation, conflicts, approval and publication, refresh and comparison. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { makePartnership } from '../support/app.ts';
import { listAudit, SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../src/domain/errors.ts';
import { createOrganisation } from '../../src/services/partnerships/organisations.ts';
import {
  approveVersion,
  createPlan,
  listPlans,
  loadPlanDocument,
  publishedSummary,
  publishVersion,
  startRefresh,
  updateVersionText,
} from '../../src/services/plans/plans.ts';
import {
  createPart,
  deletePart,
  listParts,
  movePart,
  parseDate,
  parseMoney,
  updatePart,
  VersionLockedError,
  joinNames,
  splitNames,
} from '../../src/services/plans/planParts.ts';
import { compareVersions } from '../../src/services/plans/planComparison.ts';

const actor = { userId: null, label: 'officer@example.org' };

describe('plan field parsing', () => {
  it('reads dates in the forms officers type, and refuses impossible ones', () => {
    assert.equal(parseDate('2010-04-01'), '2010-04-01');
    assert.equal(parseDate('1/4/2010'), '2010-04-01');
    assert.equal(parseDate('27 April 2008'), '2008-04-27');
    assert.equal(parseDate('31/2/2010'), null);
    assert.equal(parseDate('tomorrow'), null);
  });
  it('reads money as pence', () => {
    assert.equal(parseMoney('£224,550'), 22_455_000);
    assert.equal(parseMoney('12.5'), 1250);
    assert.equal(parseMoney(2000), 200_000);
    assert.equal(parseMoney('-5'), null);
    assert.equal(parseMoney('ten pounds'), null);
  });
  it('joins the partners ticked and typed into one text, each name once (issue 15)', () => {
    assert.equal(
      joinNames(['Webtown Council', 'South Yorkshire Police'], 'Youth club; Webtown Council\nFire'),
      'Webtown Council, South Yorkshire Police, Youth club, Fire',
    );
    assert.equal(joinNames('Webtown Council', ''), 'Webtown Council', 'one box ticked arrives as a string');
    assert.equal(joinNames(undefined, '  '), '');
    assert.deepEqual(splitNames('Police,  Council ;\n'), ['Police', 'Council']);
  });
});

for (const engine of ENGINES) {
  describe(`plans on ${engine}`, () => {
    let db: TestDb;
    before(async () => {
      db = await freshDb(engine);
    });
    after(async () => db.drop());

    it('creates a plan with its first draft version, and refuses bad periods without writing', async () => {
      const p = await makePartnership(db.kysely, 'Plan Services CSP');
      await assert.rejects(createPlan(db.kysely, actor, p.id, { title: '', startYear: '2011', endYear: '2008' }), (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.deepEqual(e.errors.map((x) => x.field).sort(), ['endYear', 'title']);
        return true;
      });
      assert.equal((await listPlans(db.kysely, p.id)).length, 0);
      const { plan, version } = await createPlan(db.kysely, actor, p.id, { title: 'Partnership Plan', startYear: '2008', endYear: '2011' });
      assert.equal(version.label, '2008-11');
      assert.equal(version.status, 'draft');
      assert.equal((await listPlans(db.kysely, p.id))[0]!.versions.length, 1);
      assert.equal(plan.end_year, 2011);
    });

    it('builds a version: priorities in order, objectives, activities, risks, resources, themes, funding', async () => {
      const p = await makePartnership(db.kysely, 'Build CSP');
      const org = await createOrganisation(db.kysely, SYSTEM_ACTOR, p.id, { name: 'Build Borough Council', type: 'responsible_authority' });
      const { version } = await createPlan(db.kysely, actor, p.id, { title: 'Plan', startYear: 2016, endYear: 2019 });
      const asb = await createPart(db.kysely, actor, p.id, 'priority', version.id, {
        title: 'Anti-social behaviour',
        why: 'Most reported concern',
        leadOrganisationId: String(org.id),
      });
      const road = await createPart(db.kysely, actor, p.id, 'priority', version.id, { title: 'Road safety' });
      await movePart(db.kysely, actor, p.id, 'priority', road.id, 'up');
      assert.deepEqual(
        (await listParts(db.kysely, p.id, 'priority', version.id)).map((r) => r.title),
        ['Road safety', 'Anti-social behaviour'],
      );
      const obj = await createPart(db.kysely, actor, p.id, 'objective', asb.id, { title: 'Reduce repeat victimisation' });
      const act = await createPart(db.kysely, actor, p.id, 'activity', obj.id, {
        title: 'Street surgeries',
        status: 'in_progress',
        rag: 'amber',
        startDate: '1/4/2016',
        dueDate: '2017-03-31',
      });
      assert.equal(act.start_date, '2016-04-01');
      await createPart(db.kysely, actor, p.id, 'update', act.id, { updateDate: '2016-06-30', note: 'Four surgeries held', rag: 'green' });
      await createPart(db.kysely, actor, p.id, 'risk', asb.id, {
        risk: 'Reporting line withdrawn',
        severity: 'high',
        likelihood: 'medium',
      });
      await createPart(db.kysely, actor, p.id, 'resource', asb.id, { kind: 'money', description: 'Youth project', amount: '£21,700' });
      await createPart(db.kysely, actor, p.id, 'theme', version.id, {
        title: 'Alcohol misuse',
        priorityIds: [String(asb.id), String(road.id)],
      });
      const stream = await createPart(db.kysely, actor, p.id, 'stream', version.id, {
        name: 'Community Safety Fund',
        amount: '224,550',
        approvalThreshold: '2000',
      });
      await createPart(db.kysely, actor, p.id, 'allocation', stream.id, {
        project: 'Street surgeries',
        priorityId: String(asb.id),
        amount: '5000',
        spent: '1200.50',
      });
      const board = await createPart(db.kysely, actor, p.id, 'group', version.id, { name: 'Board' });
      await createPart(db.kysely, actor, p.id, 'group', version.id, { name: 'Joint Action Group', reportsToGroupId: String(board.id) });

      const doc = await loadPlanDocument(db.kysely, p.id, version.id);
      const asbDoc = doc.priorities.find((x) => x.title === 'Anti-social behaviour')!;
      assert.equal(asbDoc.leadOrganisation, 'Build Borough Council');
      assert.equal(asbDoc.objectives[0]!.activities[0]!.updates[0]!.note, 'Four surgeries held');
      assert.equal(asbDoc.risks[0]!.severity, 'high');
      assert.equal(asbDoc.resources[0]!.amount_pence, 2_170_000);
      assert.deepEqual(asbDoc.themes, ['Alcohol misuse']);
      assert.equal(doc.streams[0]!.amount_pence, 22_455_000);
      assert.equal(doc.streams[0]!.allocatedPence, 500_000);
      assert.equal(doc.streams[0]!.spentPence, 120_050);
      assert.equal(doc.groups[1]!.reports_to_group_id, board.id);
      const audit = await listAudit(db.kysely, { partnershipId: p.id, pageSize: 200 });
      assert.ok(audit.events.some((e) => e.entity_type === 'risk' && e.action === 'create' && e.actor === 'officer@example.org'));
    });

    it('validates each part with clear messages and writes nothing when invalid', async () => {
      const p = await makePartnership(db.kysely, 'Validate CSP');
      const other = await makePartnership(db.kysely, 'Other CSP');
      const otherOrg = await createOrganisation(db.kysely, SYSTEM_ACTOR, other.id, { name: 'Elsewhere Council', type: 'other' });
      const { version } = await createPlan(db.kysely, actor, p.id, { title: 'Plan', startYear: 2016, endYear: 2019 });
      await assert.rejects(
        createPart(db.kysely, actor, p.id, 'priority', version.id, { title: ' ', leadOrganisationId: String(otherOrg.id) }),
        (e: unknown) => {
          assert.ok(e instanceof ValidationError);
          assert.deepEqual(
            e.errors.map((x) => x.message),
            ['Enter the priority', 'Select the lead organisation from the list'],
          );
          return true;
        },
      );
      const pr = await createPart(db.kysely, actor, p.id, 'priority', version.id, { title: 'Violence' });
      await assert.rejects(
        createPart(db.kysely, actor, p.id, 'risk', pr.id, { risk: 'x', severity: 'extreme', likelihood: '' }),
        (e: unknown) => {
          assert.ok(e instanceof ValidationError);
          assert.deepEqual(
            e.errors.map((x) => x.field),
            ['severity', 'likelihood'],
          );
          return true;
        },
      );
      await assert.rejects(createPart(db.kysely, actor, p.id, 'stream', version.id, { name: 'Fund', amount: 'lots' }), /amount in pounds/);
      assert.equal((await listParts(db.kysely, p.id, 'risk', pr.id)).length, 0);
      // Another partnership's identifiers are not found.
      await assert.rejects(createPart(db.kysely, actor, other.id, 'objective', pr.id, { title: 'Sneaky' }), NotFoundError);
      // A group cannot report to itself through another group.
      const a = await createPart(db.kysely, actor, p.id, 'group', version.id, { name: 'A' });
      const b = await createPart(db.kysely, actor, p.id, 'group', version.id, { name: 'B', reportsToGroupId: String(a.id) });
      await assert.rejects(
        updatePart(db.kysely, actor, p.id, 'group', a.id, { name: 'A', reportsToGroupId: String(b.id) }),
        /cannot report to a group that reports to it/,
      );
    });

    it('tells the second of two editors that there is a conflict', async () => {
      const p = await makePartnership(db.kysely, 'Conflict CSP');
      const { version } = await createPlan(db.kysely, actor, p.id, { title: 'Plan', startYear: 2016, endYear: 2019 });
      const pr = await createPart(db.kysely, actor, p.id, 'priority', version.id, { title: 'Burglary' });
      const seen = pr.updated_at;
      await updatePart(db.kysely, actor, p.id, 'priority', pr.id, { title: 'Burglary dwelling', expectedUpdatedAt: seen });
      await assert.rejects(
        updatePart(db.kysely, actor, p.id, 'priority', pr.id, { title: 'Domestic burglary', expectedUpdatedAt: seen }),
        ConflictError,
      );
      assert.equal((await listParts(db.kysely, p.id, 'priority', version.id))[0]!.title, 'Burglary dwelling');
      const v1 = await updateVersionText(db.kysely, actor, p.id, version.id, {
        label: version.label,
        vision: 'A safer place',
        expectedUpdatedAt: version.updated_at,
      });
      await assert.rejects(
        updateVersionText(db.kysely, actor, p.id, version.id, {
          label: version.label,
          vision: 'Other',
          expectedUpdatedAt: version.updated_at,
        }),
        ConflictError,
      );
      assert.equal(v1.vision, 'A safer place');
    });

    it('approves (who, when, meeting), locks content, publishes, and the public summary shows it', async () => {
      const p = await makePartnership(db.kysely, 'Publish CSP');
      const { version } = await createPlan(db.kysely, actor, p.id, { title: 'Plan', startYear: 2016, endYear: 2019 });
      await assert.rejects(publishedSummary(db.kysely, p.slug), NotFoundError);
      await assert.rejects(
        approveVersion(db.kysely, actor, p.id, version.id, { approvedBy: 'Board', approvedOn: '2016-03-24', meeting: 'Board meeting' }),
        /at least one priority/,
      );
      const pr = await createPart(db.kysely, actor, p.id, 'priority', version.id, { title: 'Domestic abuse', why: 'High repeat rate' });
      await assert.rejects(publishVersion(db.kysely, actor, p.id, version.id), /must be approved/);
      await assert.rejects(
        approveVersion(db.kysely, actor, p.id, version.id, { approvedBy: '', approvedOn: '31/2/2016', meeting: '' }),
        (e: unknown) => {
          assert.ok(e instanceof ValidationError);
          assert.deepEqual(
            e.errors.map((x) => x.field),
            ['approvedBy', 'meeting', 'approvedOn'],
          );
          return true;
        },
      );
      const approved = await approveVersion(db.kysely, actor, p.id, version.id, {
        approvedBy: 'Partnership Board',
        approvedOn: '24/3/2016',
        meeting: 'Board, 24 March 2016',
      });
      assert.equal(approved.status, 'approved');
      assert.equal(approved.approved_at, '2016-03-24');
      await assert.rejects(updatePart(db.kysely, actor, p.id, 'priority', pr.id, { title: 'Changed' }), VersionLockedError);
      await assert.rejects(createPart(db.kysely, actor, p.id, 'priority', version.id, { title: 'Late' }), VersionLockedError);
      const obj = await assert.rejects(createPart(db.kysely, actor, p.id, 'objective', pr.id, { title: 'Late' }), VersionLockedError);
      assert.equal(obj, undefined);
      await assert.rejects(publishedSummary(db.kysely, p.slug), NotFoundError, 'approved is not yet published');
      const published = await publishVersion(db.kysely, actor, p.id, version.id);
      assert.equal(published.status, 'published');
      const summary = await publishedSummary(db.kysely, p.slug);
      assert.equal(summary.document.priorities[0]!.why, 'High repeat rate');
    });

    it('starts a refresh as a deep copy and compares the two versions', async () => {
      const p = await makePartnership(db.kysely, 'Refresh CSP');
      const { version } = await createPlan(db.kysely, actor, p.id, { title: 'Plan', startYear: 2009, endYear: 2012 });
      const asb = await createPart(db.kysely, actor, p.id, 'priority', version.id, { title: 'Anti-social behaviour' });
      await createPart(db.kysely, actor, p.id, 'priority', version.id, { title: 'Drugs' });
      await createPart(db.kysely, actor, p.id, 'objective', asb.id, { title: 'Tackle nuisance' });
      const risk = await createPart(db.kysely, actor, p.id, 'risk', asb.id, {
        risk: 'Funding ends',
        severity: 'medium',
        likelihood: 'low',
      });
      const board = await createPart(db.kysely, actor, p.id, 'group', version.id, { name: 'Board' });
      await createPart(db.kysely, actor, p.id, 'group', version.id, { name: 'JAG', reportsToGroupId: String(board.id) });
      await createPart(db.kysely, actor, p.id, 'theme', version.id, { title: 'Alcohol', priorityIds: [String(asb.id)] });
      const stream = await createPart(db.kysely, actor, p.id, 'stream', version.id, { name: 'Fund', amount: '1000' });
      await createPart(db.kysely, actor, p.id, 'allocation', stream.id, {
        project: 'P',
        priorityId: String(asb.id),
        amount: '500',
        spent: '500',
      });

      await assert.rejects(startRefresh(db.kysely, actor, p.id, version.id, { label: '2009-12', year: '2010' }), /already has this label/);
      await assert.rejects(startRefresh(db.kysely, actor, p.id, version.id, { label: '2013/14', year: '2013' }), /within the plan period/);
      const refresh = await startRefresh(db.kysely, actor, p.id, version.id, { label: '2010/11 refresh', year: '2010' });
      assert.equal(refresh.status, 'draft');
      assert.equal(refresh.copied_from_version_id, version.id);
      const copy = await loadPlanDocument(db.kysely, p.id, refresh.id);
      assert.deepEqual(
        copy.priorities.map((x) => x.title),
        ['Anti-social behaviour', 'Drugs'],
      );
      assert.equal(copy.priorities[0]!.copied_from_priority_id, asb.id);
      assert.equal(copy.priorities[0]!.objectives[0]!.title, 'Tackle nuisance');
      assert.equal(copy.priorities[0]!.risks[0]!.copied_from_risk_id, risk.id);
      assert.deepEqual(copy.themes[0]!.priorityIds, [copy.priorities[0]!.id]);
      const jag = copy.groups.find((g) => g.name === 'JAG')!;
      assert.equal(jag.reports_to_group_id, copy.groups.find((g) => g.name === 'Board')!.id, 'reporting lines point inside the copy');
      assert.equal(copy.streams[0]!.allocations[0]!.priority_id, copy.priorities[0]!.id);
      assert.equal(copy.streams[0]!.spentPence, 0, 'spend stays with its year');

      // Change the refresh: rename one priority, drop one, add one, raise a risk, add an objective.
      const [cAsb, cDrugs] = copy.priorities;
      await updatePart(db.kysely, actor, p.id, 'priority', cAsb!.id, { title: 'Anti-social behaviour and nuisance' });
      await deletePart(db.kysely, actor, p.id, 'priority', cDrugs!.id);
      await createPart(db.kysely, actor, p.id, 'priority', refresh.id, { title: 'Reducing re-offending' });
      await createPart(db.kysely, actor, p.id, 'objective', cAsb!.id, { title: 'Support victims' });
      await updatePart(db.kysely, actor, p.id, 'risk', cAsb!.risks[0]!.id, { risk: 'Funding ends', severity: 'high', likelihood: 'low' });
      // The original is untouched.
      const original = await loadPlanDocument(db.kysely, p.id, version.id);
      assert.deepEqual(
        original.priorities.map((x) => x.title),
        ['Anti-social behaviour', 'Drugs'],
      );

      const c = await compareVersions(db.kysely, p.id, version.id, refresh.id);
      const byKind = (k: string) => c.priorities.filter((x) => x.kind === k).map((x) => x.after ?? x.before);
      assert.deepEqual(byKind('renamed'), ['Anti-social behaviour and nuisance']);
      assert.deepEqual(byKind('added'), ['Reducing re-offending']);
      assert.deepEqual(byKind('dropped'), ['Drugs']);
      const renamed = c.priorities.find((x) => x.kind === 'renamed')!;
      assert.deepEqual(
        renamed.objectives.map((o) => `${o.kind}:${o.after ?? o.before}`),
        ['unchanged:Tackle nuisance', 'added:Support victims'],
      );
      assert.deepEqual(c.risks.map((r) => r.details).flat(), ['Severity Medium → High']);
      // Scored 1 to 5 (issue 15): the comparison gives the scores, with their bands, not the words derived from them.
      await db.kysely.updateTable('partnerships').set({ risk_scoring: 'five' }).where('id', '=', p.id).execute();
      await updatePart(db.kysely, actor, p.id, 'risk', cAsb!.risks[0]!.id, {
        risk: 'Funding ends',
        severityScore: '4',
        likelihoodScore: '2',
      });
      await updatePart(db.kysely, actor, p.id, 'risk', risk.id, { risk: 'Funding ends', severityScore: '3', likelihoodScore: '2' });
      const scored = await compareVersions(db.kysely, p.id, version.id, refresh.id);
      assert.deepEqual(scored.risks.map((r) => r.details).flat(), [
        'Score before mitigation 6, moderate (moderate, unlikely) → 8, high (major, unlikely)',
      ]);
      await assert.rejects(compareVersions(db.kysely, p.id, version.id, version.id), ValidationError);
    });
  });
}
