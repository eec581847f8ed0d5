/**
 * The targets of a plan version and approval withdrawal, on each engine, with Safer Rotherham's 2010/11 headline
 * indicators (baselines and targets as the demo data holds them). Later changes to the targets are made up for the
 * test, as a partnership would make them at its 2011/12 refresh.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { makePartnership } from '../support/app.ts';
import { listAudit } from '../../src/services/platform/audit.ts';
import { ConflictError, ValidationError } from '../../src/domain/errors.ts';
import {
  approveVersion,
  createPlan,
  getVersion,
  loadPlanDocument,
  publishedSummary,
  publishVersion,
  startRefresh,
  withdrawApproval,
} from '../../src/services/plans/plans.ts';
import { createPart, deletePart } from '../../src/services/plans/planParts.ts';
import { compareVersions } from '../../src/services/plans/planComparison.ts';
import { compareTargetSets, versionTargets, type VersionTarget } from '../../src/services/plans/planTargets.ts';
import { buildPlanReport } from '../../src/presentation/documents/planDocument.ts';
import {
  createIndicator,
  deleteIndicator,
  getIndicator,
  inputFromIndicator,
  updateIndicator,
  type IndicatorInput,
} from '../../src/services/performance/indicators.ts';

const actor = { userId: null, label: 'performance.officer@example.org' };
const approval = {
  approvedBy: 'Safer Rotherham Partnership',
  approvedOn: '2010-04-01',
  meeting: 'Safer Rotherham Partnership, April 2010',
};

describe('comparing two sets of targets', () => {
  const t = (over: Partial<VersionTarget>): VersionTarget => ({
    priorityId: 1,
    indicatorId: 7,
    indicatorLabel: 'NI 16 Serious acquisitive crime',
    kind: 'absolute',
    value: 4443,
    direction: null,
    rate_per: null,
    comparison: null,
    by_period: '2010/11',
    span_from: null,
    span_to: null,
    note: '',
    ...over,
  });
  const sets = (older: VersionTarget[], newer: VersionTarget[]) =>
    compareTargetSets(
      { source: 'recorded', recordedAt: '2010-04-01', targets: older },
      { source: 'current', recordedAt: null, targets: newer },
      [{ a: { id: 1, title: 'Serious Acquisitive Crime' }, b: { id: 2, title: 'Serious Acquisitive Crime' } }],
    );

  it('pairs targets of the same period, and a lone target on each side as one changed target', () => {
    const same = sets([t({})], [t({ priorityId: 2 })]);
    assert.deepEqual(same.priorities, []);
    assert.equal(same.counts.unchanged, 1);
    const moved = sets([t({})], [t({ priorityId: 2, value: 4200, by_period: '2011/12' })]);
    const change = moved.priorities[0]!.indicators[0]!.changes[0]!;
    assert.equal(change.kind, 'changed');
    assert.equal(change.before!.text, 'Reach 4,443 by 2010/11');
    assert.equal(change.after!.text, 'Reach 4,200 by 2011/12');
    assert.deepEqual(change.details, ['Value 4,443 → 4,200', 'Period 2010/11 → 2011/12']);
  });

  it('reports targets of other periods as added and removed when several are held', () => {
    const c = sets(
      [t({}), t({ by_period: '2011/12', value: 4300 })],
      [t({ priorityId: 2, by_period: '2011/12', value: 4300 }), t({ priorityId: 2, by_period: '2012/13', value: 4100 })],
    );
    assert.deepEqual(
      c.priorities[0]!.indicators[0]!.changes.map((x) => `${x.kind} ${x.period}`),
      ['added 2012/13', 'removed 2010/11'],
    );
    assert.deepEqual(c.counts, { added: 1, removed: 1, changed: 0, unchanged: 1 });
  });

  it('describes a kind change with both kinds', () => {
    const c = sets(
      [t({ kind: 'to_be_agreed', value: null, by_period: '2010/11' })],
      [t({ priorityId: 2, kind: 'percentage_change', direction: 'reduce', value: 5 })],
    );
    const change = c.priorities[0]!.indicators[0]!.changes[0]!;
    assert.equal(change.before!.kindLabel, 'Target to be agreed');
    assert.equal(change.after!.kindLabel, 'Change by a percentage of the baseline');
    assert.match(change.details[0]!, /^Kind Target to be agreed → Change by a percentage of the baseline$/);
  });
});

for (const engine of ENGINES) {
  describe(`plan version targets and withdrawal on ${engine}`, () => {
    let db: TestDb;
    before(async () => {
      db = await freshDb(engine);
    });
    after(async () => db.drop());

    /** Safer Rotherham's 2009-12 plan, 2010/11 refresh, with four of its headline indicators linked to priorities. */
    async function rotherham(name: string) {
      const k = db.kysely;
      const p = await makePartnership(k, name);
      const { version } = await createPlan(k, actor, p.id, {
        title: 'Safer Rotherham Partnership Plan',
        startYear: 2009,
        endYear: 2012,
        label: '2010/11 refresh',
        year: 2010,
      });
      const add = (kind: Parameters<typeof createPart>[3], parent: number, input: Record<string, unknown>) =>
        createPart(k, actor, p.id, kind, parent, input);
      const asb = await add('priority', version.id, { title: 'Anti-Social Behaviour' });
      const sac = await add('priority', version.id, { title: 'Serious Acquisitive Crime' });
      const violence = await add('priority', version.id, { title: 'Serious Violent Crime' });
      const drugs = await add('priority', version.id, { title: 'Improving lives by reducing the harm caused by substance misuse' });
      const alcohol = await add('objective', violence.id, { title: 'Reduce alcohol related violent crime across the borough' });
      const base = { frequency: 'annual', obaCategory: 'better_off', polarity: 'lower_is_better', unit: 'count' };
      const indicator = (input: IndicatorInput) => createIndicator(k, actor, p.id, { ...base, ...input });
      const ni17 = await indicator({
        code: 'NI 17',
        title: 'Residents who feel anti-social behaviour is a very or fairly big problem in their area',
        unit: 'percentage',
        baselineValue: '28',
        baselinePeriod: '2008/09',
        targetKind: 'absolute',
        targetValue: '25',
        targetBy: '2010/11',
        priorityIds: [asb.id],
      });
      const ni16 = await indicator({
        code: 'NI 16',
        title: 'Serious acquisitive crime',
        baselineValue: '4943',
        baselinePeriod: '2007/08',
        targetKind: 'absolute',
        targetValue: '4443',
        targetBy: '2010/11',
        priorityIds: [sac.id],
      });
      const ni20 = await indicator({
        code: 'NI 20',
        title: 'Assault with injury (less serious)',
        baselineValue: '2159',
        baselinePeriod: '2007/08',
        targetKind: 'absolute',
        targetValue: '2042',
        targetBy: '2010/11',
        objectiveIds: [alcohol.id],
      });
      const ni40 = await indicator({
        code: 'NI 40',
        title: 'Drug users in effective treatment',
        polarity: 'higher_is_better',
        obaCategory: 'how_much',
        baselineValue: '1256',
        baselinePeriod: '2007/08',
        targetKind: 'absolute',
        targetValue: '1320',
        targetBy: '2010/11',
        priorityIds: [drugs.id],
      });
      return { p, version, priorities: { asb, sac, violence, drugs }, indicators: { ni16, ni17, ni20, ni40 } };
    }
    const retarget = async (partnershipId: number, id: number, change: IndicatorInput) => {
      const i = await getIndicator(db.kysely, partnershipId, id);
      return updateIndicator(db.kysely, actor, partnershipId, id, { ...inputFromIndicator(i), ...change });
    };

    it('records the targets in force at approval, and compares them with the refresh: added, removed and changed, by priority', async () => {
      const k = db.kysely;
      const { p, version, indicators } = await rotherham('Safer Rotherham (targets)');
      const draft = await versionTargets(k, p.id, await loadPlanDocument(k, p.id, version.id));
      assert.equal(draft.source, 'current');
      assert.deepEqual(
        draft.targets.map((t) => `${t.indicatorLabel.slice(0, 5)} ${t.value}`),
        ['NI 17 25', 'NI 16 4443', 'NI 20 2042', 'NI 40 1320'],
      );

      await approveVersion(k, actor, p.id, version.id, approval);
      const approved = await getVersion(k, p.id, version.id);
      assert.ok(approved.targets_recorded_at, 'approval stamps the version');
      const audit = await listAudit(k, { partnershipId: p.id, entityType: 'plan_version', pageSize: 50 });
      assert.match(audit.events[0]!.summary, /with 4 indicator targets$/);

      // The refresh, and the year's changes: NI 17's target lowered, NI 16 moved on a year, substance misuse dropped,
      // a new priority measured by a new indicator. Then NI 17 changes again: the approved version keeps what it agreed.
      const refresh = await startRefresh(k, actor, p.id, version.id, { label: '2011/12 refresh', year: '2011' });
      const copy = await loadPlanDocument(k, p.id, refresh.id);
      await retarget(p.id, indicators.ni17.id, { targetValue: '24' });
      await retarget(p.id, indicators.ni16.id, { targetValue: '4200', targetBy: '2011/12' });
      await deletePart(k, actor, p.id, 'priority', copy.priorities.find((x) => x.title.startsWith('Improving lives'))!.id);
      const hate = await createPart(k, actor, p.id, 'priority', refresh.id, {
        title: 'Improving the quality of life of our most vulnerable communities',
      });
      await createIndicator(k, actor, p.id, {
        code: 'SRP H1',
        title: 'Hate incidents reported',
        unit: 'count',
        polarity: 'higher_is_better',
        frequency: 'quarterly',
        obaCategory: 'how_well',
        targetKind: 'percentage_change',
        targetDirection: 'increase',
        targetValue: '10',
        targetBy: '2011/12',
        baselineValue: '180',
        baselinePeriod: '2010/11',
        priorityIds: [hate.id],
      });

      const recorded = await versionTargets(k, p.id, await loadPlanDocument(k, p.id, version.id));
      assert.equal(recorded.source, 'recorded');
      assert.equal(
        recorded.targets.find((t) => t.indicatorLabel.startsWith('NI 17'))!.value,
        25,
        'the approved version keeps the target it was approved with',
      );

      const c = await compareVersions(k, p.id, version.id, refresh.id);
      assert.equal(c.targets.from.source, 'recorded');
      assert.equal(c.targets.to.source, 'current');
      const lines = c.targets.priorities.flatMap((pr) =>
        pr.indicators.flatMap((i) =>
          i.changes.map(
            (x) => `${pr.priority} | ${i.indicator.slice(0, 5)} | ${x.kind} | ${x.before?.text ?? '-'} | ${x.after?.text ?? '-'}`,
          ),
        ),
      );
      assert.deepEqual(lines, [
        'Anti-Social Behaviour | NI 17 | changed | Reach 25 by 2010/11 | Reach 24 by 2010/11',
        'Serious Acquisitive Crime | NI 16 | changed | Reach 4,443 by 2010/11 | Reach 4,200 by 2011/12',
        'Improving the quality of life of our most vulnerable communities | SRP H | added | - | Increase by 10% by 2011/12',
        'Improving lives by reducing the harm caused by substance misuse | NI 40 | removed | Reach 1,320 by 2010/11 | -',
      ]);
      assert.deepEqual(
        c.targets.counts,
        { added: 1, removed: 1, changed: 2, unchanged: 1 },
        'NI 20, through an objective copied at the refresh, is unchanged',
      );

      // Approve the refresh: it records 24; a later change to 23 alters neither recorded version.
      await approveVersion(k, actor, p.id, refresh.id, {
        ...approval,
        approvedOn: '2011-04-01',
        meeting: 'Safer Rotherham Partnership, April 2011',
      });
      await retarget(p.id, indicators.ni17.id, { targetValue: '23' });
      const after = await compareVersions(k, p.id, version.id, refresh.id);
      assert.equal(after.targets.to.source, 'recorded');
      assert.equal(after.targets.priorities[0]!.indicators[0]!.changes[0]!.after!.text, 'Reach 24 by 2010/11');

      // The plan document of the approved refresh prints the targets it was approved with, for the indicators serving
      // its priorities through the copies (NI 20 is linked to an objective of the 2010/11 version only).
      const report = await buildPlanReport(k, p.id, refresh.id);
      const performance = report.document.sections.find((x) => x.title === 'Performance management')!;
      const tables = performance.blocks.filter((b) => b.kind === 'table');
      const row = (code: string) => tables.flatMap((b) => b.rows).find((r) => r[0]!.startsWith(code));
      assert.equal(row('NI 17')![2], 'Reach 24 by 2010/11', 'as recorded, not the 23 held now');
      assert.equal(row('NI 20')![2], 'Reach 2,042 by 2010/11');
      assert.ok(
        performance.blocks.some((b) => b.kind === 'paragraph' && /recorded when this version of the plan was approved/.test(b.text)),
      );

      // A deleted indicator: its recorded targets keep their label.
      await deleteIndicator(k, actor, p.id, indicators.ni20.id);
      const kept = await versionTargets(k, p.id, await loadPlanDocument(k, p.id, version.id));
      const ni20 = kept.targets.find((t) => t.indicatorLabel.startsWith('NI 20'))!;
      assert.equal(ni20.indicatorId, null);
      assert.equal(ni20.value, 2042);
    });

    it('withdraws an approval with a reason, audited; the public summary falls back to the previous published version', async () => {
      const k = db.kysely;
      const { p, version } = await rotherham('Safer Rotherham (withdrawal)');
      await assert.rejects(withdrawApproval(k, actor, p.id, version.id, { reason: 'Not yet approved' }), ConflictError);
      await approveVersion(k, actor, p.id, version.id, approval);
      await publishVersion(k, actor, p.id, version.id);
      const refresh = await startRefresh(k, actor, p.id, version.id, { label: '2011/12 refresh', year: '2011' });
      await approveVersion(k, actor, p.id, refresh.id, { ...approval, approvedOn: '2011-04-01' });
      await publishVersion(k, actor, p.id, refresh.id);
      assert.equal((await publishedSummary(k, p.slug)).document.version.label, '2011/12 refresh');

      await assert.rejects(withdrawApproval(k, actor, p.id, refresh.id, { reason: '   ' }), (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.deepEqual(e.errors, [{ field: 'reason', message: 'Enter why the approval is being withdrawn' }]);
        return true;
      });
      await assert.rejects(withdrawApproval(k, actor, p.id, refresh.id, { reason: 'x'.repeat(2001) }), ValidationError);
      const stale = (await getVersion(k, p.id, refresh.id)).updated_at;
      await assert.rejects(
        withdrawApproval(k, actor, p.id, refresh.id, { reason: 'Figures wrong', expectedUpdatedAt: '2000-01-01T00:00:00.000Z' }),
        ConflictError,
      );
      assert.equal((await getVersion(k, p.id, refresh.id)).status, 'published', 'nothing written when refused');

      const reason = 'The Board found the burglary figures in section 3 were last year’s';
      const withdrawn = await withdrawApproval(k, actor, p.id, refresh.id, { reason, expectedUpdatedAt: stale });
      assert.equal(withdrawn.status, 'draft');
      assert.equal(withdrawn.withdrawal_reason, reason);
      assert.ok(withdrawn.withdrawn_at);
      assert.deepEqual(
        [withdrawn.approved_by, withdrawn.approved_at, withdrawn.approval_meeting, withdrawn.published_at, withdrawn.targets_recorded_at],
        [null, null, null, null, null],
      );
      const rows = await k.selectFrom('plan_version_targets').select('id').where('plan_version_id', '=', refresh.id).execute();
      assert.equal(rows.length, 0, 'the recorded targets are forgotten');

      const event = (await listAudit(k, { partnershipId: p.id, entityType: 'plan_version', pageSize: 50 })).events[0]!;
      assert.equal(event.summary, `Withdrew the approval of 2011/12 refresh (it was published) and returned it to draft: ${reason}`);
      assert.equal((JSON.parse(event.before_json!) as { status: string }).status, 'published');
      assert.equal(
        (await publishedSummary(k, p.slug)).document.version.label,
        '2010/11 refresh',
        'the previous published version is shown again',
      );

      // Withdrawn, it is a draft again: editable, approvable again; withdrawing the last published one empties the summary.
      await createPart(k, actor, p.id, 'priority', refresh.id, { title: 'Domestic abuse' });
      await approveVersion(k, actor, p.id, refresh.id, { ...approval, approvedOn: '2011-05-01' });
      assert.equal((await getVersion(k, p.id, refresh.id)).status, 'approved');
      await withdrawApproval(k, actor, p.id, refresh.id, { reason: 'Wrong meeting recorded' });
      await withdrawApproval(k, actor, p.id, version.id, { reason: 'Superseded' });
      await assert.rejects(publishedSummary(k, p.slug), /not found/);
      const other = await makePartnership(k, 'Another CSP');
      await assert.rejects(withdrawApproval(k, actor, other.id, version.id, { reason: 'x' }), /not found/);
    });
  });
}
