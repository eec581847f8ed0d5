/**
 * Retiring and archiving (issue 13 item 4, decision 0021), on each engine: an indicator retired after a period leaves
 * the latest-only views (dashboard, scorecard, exceptions), figure entry for later periods and the pickers, keeps its
 * history, and is audited; a plan version is superseded when a newer version of the plan is approved (and comes back
 * when that approval is withdrawn); priority pickers name the plan and version and leave superseded ones out.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { makePartnership } from '../support/app.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../src/domain/errors.ts';
import { isLiveIn } from '../../src/domain/index.ts';
import { approveVersion, createPlan, getVersion, startRefresh, withdrawApproval } from '../../src/services/plans/plans.ts';
import { createPart } from '../../src/services/plans/planParts.ts';
import { priorityChoices } from '../../src/services/plans/priorityChoices.ts';
import { createIndicator, getIndicator } from '../../src/services/performance/indicators.ts';
import { enterFigures, listFigures } from '../../src/services/performance/figures.ts';
import { exceptions, indicatorPerformance, partnershipPerformance } from '../../src/services/performance/performance.ts';
import { listLiveIndicators, reinstateIndicator, retireIndicator } from '../../src/services/performance/retirement.ts';
import { scorecardSections } from '../../src/services/performance/scorecard.ts';
import { loadQuarterlyReport } from '../../src/presentation/documents/quarterlyReport.ts';
import { parseReportQuarter } from '../../src/domain/reportQuarter.ts';

const actor = { userId: null, label: 'community.safety@example.org' };
const approval = { approvedBy: 'Safer Rotherham Partnership', approvedOn: '2016-04-01', meeting: 'Board, April 2016' };

describe('isLiveIn', () => {
  it('keeps the last period and those before it, and leaves out later ones, whatever their kind', () => {
    assert.equal(isLiveIn(null, '2030-04'), true);
    assert.equal(isLiveIn('2017-18 Q1', '2017-18 Q1'), true);
    assert.equal(isLiveIn('2017-18 Q1', '2017-06'), true, 'June 2017 is in Q1 2017/18');
    assert.equal(isLiveIn('2017-18 Q1', '2017-07'), false);
    assert.equal(isLiveIn('2017-18 Q1', '2017/18'), true, 'the year it was retired in still starts before the end');
    assert.equal(isLiveIn('2017-18 Q1', '2017-18 Q2'), false);
    assert.equal(isLiveIn('2016/17', '2017-18 Q1'), false);
  });
});

for (const engine of ENGINES) {
  describe(`retiring indicators and superseding plan versions on ${engine}`, () => {
    let db: TestDb;
    let p: { id: number };
    let other: { id: number };
    let firstVersion: number;
    let priorityId: number;
    let retiredId: number;
    let liveId: number;

    before(async () => {
      db = await freshDb(engine);
      p = await makePartnership(db.kysely, 'Safer Rotherham Partnership');
      other = await makePartnership(db.kysely, 'Rochford Community Safety Partnership');
      const { version } = await createPlan(db.kysely, actor, p.id, {
        title: 'Safer Rotherham Partnership Plan',
        startYear: 2016,
        endYear: 2019,
      });
      firstVersion = version.id;
      priorityId = (await createPart(db.kysely, actor, p.id, 'priority', version.id, { title: 'Anti-Social Behaviour' })).id;
      const indicator = (code: string, title: string) =>
        createIndicator(db.kysely, actor, p.id, {
          code,
          title,
          unit: 'count',
          polarity: 'lower_is_better',
          frequency: 'quarterly',
          obaCategory: 'better_off',
          priorityIds: [String(priorityId)],
        });
      retiredId = (await indicator('SRP 17', 'Criminal damage offences')).id;
      liveId = (await indicator('SRP 22', 'Anti-social behaviour incidents')).id;
      await enterFigures(db.kysely, actor, p.id, [
        { indicatorId: retiredId, period: '2016-17 Q4', value: 812 },
        { indicatorId: retiredId, period: '2017-18 Q1', value: 790 },
        { indicatorId: liveId, period: '2017-18 Q1', value: 3100 },
      ]);
    });
    after(() => db.drop());

    it('refuses a retirement without a period in the indicator frequency or a reason, naming field and value', async () => {
      await assert.rejects(retireIndicator(db.kysely, actor, p.id, retiredId, { endPeriod: '2017-06', reason: '' }), (e: unknown) => {
        assert.ok(e instanceof ValidationError, 'a validation error');
        const fields = Object.fromEntries(e.errors.map((x) => [x.field, x.message]));
        assert.match(fields.endPeriod!, /quarterly period.*2017-06/);
        assert.match(fields.reason!, /Enter why the indicator is being retired/);
        return true;
      });
      await assert.rejects(
        retireIndicator(db.kysely, actor, p.id, retiredId, { endPeriod: '2016-17 Q4', reason: 'Replaced' }),
        (e: unknown) =>
          e instanceof ValidationError && /has figures after Q4 2016\/17 \(Q1 2017\/18\).*2016-17 Q4/.test(e.errors[0]!.message),
        'a figure after the last period is named',
      );
      await assert.rejects(
        retireIndicator(db.kysely, actor, other.id, retiredId, { endPeriod: '2017-18 Q1', reason: 'Replaced' }),
        NotFoundError,
        "another partnership's indicator",
      );
    });

    it('retires after Q1 2017/18 with an audit event; later figures are refused, earlier history kept', async () => {
      const before = await getIndicator(db.kysely, p.id, retiredId);
      await assert.rejects(
        retireIndicator(db.kysely, actor, p.id, retiredId, {
          endPeriod: '2017-18 Q1',
          reason: 'x',
          expectedUpdatedAt: '2000-01-01T00:00:00.000Z',
        }),
        ConflictError,
      );
      const i = await retireIndicator(db.kysely, actor, p.id, retiredId, {
        endPeriod: ' 2017-18 Q1 ',
        reason: 'Replaced by the new police recorded crime measure',
        expectedUpdatedAt: before.updated_at,
      });
      assert.equal(i.retired_after, '2017-18 Q1');
      const audit = await db.kysely
        .selectFrom('audit_events')
        .selectAll()
        .where('entity_type', '=', 'indicator')
        .where('entity_id', '=', String(retiredId))
        .execute();
      assert.ok(
        audit.some(
          (a) =>
            a.summary ===
            'Retired indicator SRP 17 Criminal damage offences after Q1 2017/18: Replaced by the new police recorded crime measure',
        ),
        `audited: ${audit.map((a) => a.summary).join(' | ')}`,
      );

      await assert.rejects(
        enterFigures(db.kysely, actor, p.id, [{ indicatorId: retiredId, period: '2017-18 Q2', value: 700 }]),
        (e: unknown) =>
          e instanceof ValidationError &&
          /retired after Q1 2017\/18: figures for later periods cannot be entered/.test(JSON.stringify(e.errors)),
      );
      // A correction within its own time is still allowed.
      await enterFigures(db.kysely, actor, p.id, [{ indicatorId: retiredId, period: '2017-18 Q1', value: 791 }]);
      assert.equal((await listFigures(db.kysely, p.id, retiredId)).length, 2, 'history kept');
      assert.equal((await indicatorPerformance(db.kysely, p.id, retiredId)).periods.length, 2);
    });

    it('leaves the dashboard, scorecard, exceptions and pickers now, and stays in the full history and its own periods', async () => {
      const latest = await partnershipPerformance(db.kysely, p.id, { latestOnly: true });
      assert.deepEqual(
        latest.map((x) => x.indicator.code),
        ['SRP 22'],
      );
      assert.ok(!exceptions(latest).some((e) => e.performance.indicator.id === retiredId), 'not an exception');
      const sections = await scorecardSections(db.kysely, p.id, latest);
      assert.ok(!JSON.stringify(sections).includes('SRP 17'), 'not on the scorecard');
      assert.deepEqual(
        (await listLiveIndicators(db.kysely, p.id)).map((x) => x.code),
        ['SRP 22'],
      );
      const full = await partnershipPerformance(db.kysely, p.id);
      assert.deepEqual(full.map((x) => x.indicator.code).sort(), ['SRP 17', 'SRP 22'], 'the full history keeps it');
      assert.deepEqual(
        (await partnershipPerformance(db.kysely, p.id, { liveIn: '2017-18 Q1' })).map((x) => x.indicator.code).sort(),
        ['SRP 17', 'SRP 22'],
        'a pack for its last quarter still has it',
      );
      assert.deepEqual(
        (await partnershipPerformance(db.kysely, p.id, { liveIn: '2017-18 Q2' })).map((x) => x.indicator.code),
        ['SRP 22'],
        'a pack for a later quarter does not',
      );
    });

    it('keeps it in the Board pack of its last quarter and leaves it out of later packs', async () => {
      const codes = async (q: string) =>
        JSON.stringify(await loadQuarterlyReport(db.kysely, p.id, parseReportQuarter(q))).includes('Criminal damage offences');
      assert.equal(await codes('2017-18 Q1'), true, 'its own quarter');
      assert.equal(await codes('2017-18 Q2'), false, 'a later quarter');
    });

    it('reinstates a retired indicator, audited; reinstating a live one is a conflict', async () => {
      const i = await reinstateIndicator(db.kysely, actor, p.id, retiredId);
      assert.equal(i.retired_after, null);
      assert.equal((await partnershipPerformance(db.kysely, p.id, { latestOnly: true })).length, 2);
      await assert.rejects(reinstateIndicator(db.kysely, actor, p.id, retiredId), ConflictError);
      const audit = await db.kysely.selectFrom('audit_events').select('summary').where('entity_id', '=', String(retiredId)).execute();
      assert.ok(
        audit.some((a) => a.summary.startsWith('Reinstated indicator SRP 17')),
        'reinstatement audited',
      );
    });

    it('supersedes the 2016-19 version when the 2017/18 refresh is approved, and brings it back when that approval is withdrawn', async () => {
      await approveVersion(db.kysely, actor, p.id, firstVersion, approval);
      assert.equal((await getVersion(db.kysely, p.id, firstVersion)).superseded_at, null);
      const refresh = await startRefresh(db.kysely, actor, p.id, firstVersion, { label: '2017/18 refresh', year: 2017 });
      assert.equal((await getVersion(db.kysely, p.id, firstVersion)).superseded_at, null, 'a draft refresh supersedes nothing');
      let choices = await priorityChoices(db.kysely, p.id);
      assert.deepEqual(
        choices.map((c) => c.text),
        [
          'Anti-Social Behaviour (Safer Rotherham Partnership Plan 2017/18 refresh)',
          'Anti-Social Behaviour (Safer Rotherham Partnership Plan 2016-19)',
        ],
        'every picker names the plan and version',
      );
      await approveVersion(db.kysely, actor, p.id, refresh.id, { ...approval, approvedOn: '2017-04-03' });
      assert.ok((await getVersion(db.kysely, p.id, firstVersion)).superseded_at, 'superseded');
      assert.equal((await getVersion(db.kysely, p.id, refresh.id)).superseded_at, null);
      const audit = await db.kysely.selectFrom('audit_events').select('summary').where('entity_id', '=', String(refresh.id)).execute();
      assert.ok(
        audit.some((a) => /it supersedes 2016-19$/.test(a.summary)),
        `approval audit names what it supersedes: ${audit.map((a) => a.summary).join(' | ')}`,
      );

      choices = await priorityChoices(db.kysely, p.id);
      assert.deepEqual(
        choices.map((c) => c.text),
        ['Anti-Social Behaviour (Safer Rotherham Partnership Plan 2017/18 refresh)'],
        'the superseded version leaves the pickers',
      );
      choices = await priorityChoices(db.kysely, p.id, { keepIds: [priorityId] });
      assert.ok(
        choices.some((c) => c.value === String(priorityId) && c.text.endsWith('2016-19, superseded)')),
        'a link already made stays offered, marked superseded',
      );
      // The scorecard shows the refresh's priority, with the indicator linked in 2016 through its copy.
      const sections = await scorecardSections(db.kysely, p.id, await partnershipPerformance(db.kysely, p.id, { latestOnly: true }));
      assert.deepEqual(
        sections.map((s) => `${s.title} | ${s.plan ?? ''}`),
        ['Anti-Social Behaviour | Safer Rotherham Partnership Plan 2017/18 refresh'],
      );

      const refreshed = await getVersion(db.kysely, p.id, refresh.id);
      await withdrawApproval(db.kysely, actor, p.id, refresh.id, {
        reason: 'Figures out of date',
        expectedUpdatedAt: refreshed.updated_at,
      });
      assert.equal((await getVersion(db.kysely, p.id, firstVersion)).superseded_at, null, 'back in force');
    });
  });
}
