/**
 * The lead's commentary and the monthly highlight reports on both engines: validation naming the field, revisions
 * kept as history, conflict checks, one report per priority and month, audit records, tenant boundaries, and the
 * quarterly report (the Board pack) picking up exactly the quarter's commentary and highlight reports.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { createPartnership } from '../../src/services/partnerships/partnerships.ts';
import { listAudit, type Actor } from '../../src/services/platform/audit.ts';
import { createIndicator, normalisePeriod } from '../../src/services/performance/indicators.ts';
import { enterFigures } from '../../src/services/performance/figures.ts';
import { approveVersion, createPlan } from '../../src/services/plans/plans.ts';
import { createPart } from '../../src/services/plans/planParts.ts';
import { commentaryHistory, currentCommentary, listCommentary, writeCommentary } from '../../src/services/performance/commentary.ts';
import {
  createHighlightReport,
  getHighlightReport,
  listHighlightReports,
  parseReportMonth,
  updateHighlightReport,
} from '../../src/services/performance/highlightReports.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../src/domain/errors.ts';
import { loadQuarterlyReport } from '../../src/presentation/documents/quarterlyReport.ts';
import { parseReportQuarter } from '../../src/domain/reportQuarter.ts';
import { createUser } from '../../src/services/identity/users.ts';

/** The fields a ValidationError names. */
async function fieldsOf(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ValidationError) return e.errors.map((x) => x.field);
    throw e;
  }
  assert.fail('expected a ValidationError');
}

describe('reading the month of a highlight report', () => {
  it('reads the ways people write a month, and nothing else', () => {
    for (const text of ['2020-03', 'March 2020', 'march 2020', 'Mar 2020', 'MAR. 2020', '03/2020', '3/2020', ' 2020-3 '])
      assert.equal(parseReportMonth(text), '2020-03', text);
    assert.equal(parseReportMonth('Sept 2019'), '2019-09');
    for (const text of ['', '2020-13', 'Ma 2020', 'Smarch 2020', '2020', 'March', '13/2020', 42, null])
      assert.equal(parseReportMonth(text), null, String(text));
  });
  it('commentary reads a period as the app writes it (issue 15: "March 2026" was refused)', () => {
    assert.deepEqual(normalisePeriod('March 2026', 'monthly'), { key: '2026-03' });
    assert.deepEqual(normalisePeriod('Q4 2019/20', 'quarterly'), { key: '2019-20 Q4' });
    assert.deepEqual(normalisePeriod('2019-20', 'annual'), { key: '2019/20' });
    assert.deepEqual(normalisePeriod('March 2026', 'quarterly'), { error: 'Enter a quarterly period, like 2009-10 Q1 (got "March 2026")' });
  });
});

for (const engine of ENGINES) {
  describe(`commentary and highlight reports on ${engine}`, () => {
    let db: TestDb;
    let p: { id: number };
    let other: { id: number };
    let actor: Actor;
    let quarterlyId: number;
    let monthlyId: number;
    let priorityId: number;
    let otherPriorityId: number;

    before(async () => {
      db = await freshDb(engine);
      const user = await createUser(
        db.kysely,
        { userId: null, label: 'test' },
        { email: `lead-${engine}@example.org`, name: 'Pat Lead', password: 'correct horse battery staple' },
      );
      actor = { userId: user.id, label: user.email };
      p = await createPartnership(db.kysely, actor, null, { name: `Commentshire ${engine}` });
      other = await createPartnership(db.kysely, actor, null, { name: `Elsewhere ${engine}` });
      const { version } = await createPlan(db.kysely, actor, p.id, { title: 'Community Safety Plan', startYear: 2019, endYear: 2022 });
      const asb = await createPart(db.kysely, actor, p.id, 'priority', version.id, { title: 'Reducing anti-social behaviour' });
      priorityId = asb.id;
      // The Board pack reports on the plan in force in its quarter: an approved one (issue 13).
      await approveVersion(db.kysely, actor, p.id, version.id, {
        approvedBy: 'Partnership Board',
        approvedOn: '2019-03-28',
        meeting: 'Board',
      });
      const otherPlan = await createPlan(db.kysely, actor, other.id, { title: 'Other plan', startYear: 2019, endYear: 2022 });
      otherPriorityId = (await createPart(db.kysely, actor, other.id, 'priority', otherPlan.version.id, { title: 'Elsewhere priority' }))
        .id;
      quarterlyId = (
        await createIndicator(db.kysely, actor, p.id, {
          code: 'ASB1',
          title: 'ASB incidents',
          unit: 'count',
          polarity: 'lower_is_better',
          frequency: 'quarterly',
          obaCategory: 'better_off',
          priorityIds: [asb.id],
        })
      ).id;
      monthlyId = (
        await createIndicator(db.kysely, actor, p.id, {
          code: 'DA1',
          title: 'Domestic abuse referrals',
          unit: 'count',
          polarity: 'higher_is_better',
          frequency: 'monthly',
          obaCategory: 'how_much',
        })
      ).id;
      await enterFigures(db.kysely, actor, p.id, [
        { indicatorId: quarterlyId, period: '2019-20 Q4', value: 1275 },
        // The quarter's three months, so the indicator has a figure for Q4 and is among the pack's other indicators.
        { indicatorId: monthlyId, period: '2020-01', value: 210 },
        { indicatorId: monthlyId, period: '2020-02', value: 225 },
        { indicatorId: monthlyId, period: '2020-03', value: 240 },
      ]);
    });
    after(() => db.drop());

    it('refuses commentary without text, too long, or for a period the indicator does not have, naming the field', async () => {
      assert.deepEqual(await fieldsOf(writeCommentary(db.kysely, actor, p.id, quarterlyId, { period: '2019/20 Q4', text: '   ' })), [
        'text',
      ]);
      assert.deepEqual(
        await fieldsOf(writeCommentary(db.kysely, actor, p.id, quarterlyId, { period: '2019/20 Q4', text: 'x'.repeat(5001) })),
        ['text'],
      );
      assert.deepEqual(
        await fieldsOf(
          writeCommentary(db.kysely, actor, p.id, quarterlyId, { period: '2020-03', text: 'A month on a quarterly indicator' }),
        ),
        ['period'],
      );
      assert.deepEqual(await fieldsOf(writeCommentary(db.kysely, actor, p.id, quarterlyId, { period: 'last quarter', text: '' })), [
        'period',
        'text',
      ]);
      assert.deepEqual(await listCommentary(db.kysely, p.id, quarterlyId), [], 'nothing written');
    });

    it('writes commentary with who and when, keeps the previous text as history when revised, and audits both', async () => {
      const first = await writeCommentary(db.kysely, actor, p.id, quarterlyId, {
        period: '2019/20 Q4',
        text: 'Incidents fell for the fourth quarter running.',
        expectedUpdatedAt: '',
      });
      assert.equal(first.changed, true);
      assert.equal(first.commentary.period, '2019-20 Q4', 'the period is stored in its canonical form');
      assert.equal(first.commentary.author, 'Pat Lead');
      assert.equal(first.commentary.written_by_user_id, actor.userId);
      const same = await writeCommentary(db.kysely, actor, p.id, quarterlyId, {
        period: '2019-20 Q4',
        text: '  Incidents fell for the fourth quarter running.  ',
      });
      assert.equal(same.changed, false, 'the same text writes nothing');
      const second = await writeCommentary(db.kysely, actor, p.id, quarterlyId, {
        period: 'Q4 2019/20',
        text: 'Incidents fell again; the locality teams are now co-located.',
        expectedUpdatedAt: first.commentary.written_at,
      });
      assert.equal(second.changed, true);
      assert.ok(second.commentary.written_at > first.commentary.written_at);
      const current = await currentCommentary(db.kysely, p.id, quarterlyId, '2019-20 Q4');
      assert.equal(current?.text, 'Incidents fell again; the locality teams are now co-located.');
      const history = await commentaryHistory(db.kysely, p.id, quarterlyId, '2019-20 Q4');
      assert.deepEqual(
        history.map((h) => h.text),
        ['Incidents fell again; the locality teams are now co-located.', 'Incidents fell for the fourth quarter running.'],
      );
      assert.equal(history[1]!.superseded_at, second.commentary.written_at);
      const audit = await listAudit(db.kysely, { partnershipId: p.id, entityType: 'indicator_commentary' });
      assert.deepEqual(audit.events.map((e) => e.action).sort(), ['create', 'update']);
      assert.ok(audit.events.some((e) => e.summary === 'Revised the commentary on ASB1 ASB incidents for Q4 2019/20'));
    });

    it('refuses to overwrite commentary changed since the form was opened', async () => {
      const stale = (await commentaryHistory(db.kysely, p.id, quarterlyId, '2019-20 Q4'))[1]!.written_at;
      await assert.rejects(
        writeCommentary(db.kysely, actor, p.id, quarterlyId, { period: '2019-20 Q4', text: 'Overwrite', expectedUpdatedAt: stale }),
        ConflictError,
      );
      await assert.rejects(
        writeCommentary(db.kysely, actor, p.id, quarterlyId, { period: '2019-20 Q4', text: 'Overwrite', expectedUpdatedAt: '' }),
        /changed by/,
        'someone wrote one after a blank form was opened',
      );
      assert.equal(
        (await currentCommentary(db.kysely, p.id, quarterlyId, '2019-20 Q4'))?.text,
        'Incidents fell again; the locality teams are now co-located.',
      );
    });

    it("keeps commentary inside the partnership: another partnership's indicator is not found", async () => {
      await assert.rejects(
        writeCommentary(db.kysely, actor, other.id, quarterlyId, { period: '2019-20 Q4', text: 'Sneaky' }),
        NotFoundError,
      );
      assert.deepEqual(await listCommentary(db.kysely, other.id, quarterlyId), []);
    });

    it('refuses a highlight report with missing or impossible values, naming each field', async () => {
      assert.deepEqual((await fieldsOf(createHighlightReport(db.kysely, actor, p.id, priorityId, {}))).sort(), ['month', 'progress']);
      assert.deepEqual(await fieldsOf(createHighlightReport(db.kysely, actor, p.id, priorityId, { month: 'Smarch 2020', progress: 'x' })), [
        'month',
      ]);
      assert.deepEqual(await fieldsOf(createHighlightReport(db.kysely, actor, p.id, priorityId, { month: '2099-01', progress: 'x' })), [
        'month',
      ]);
      assert.deepEqual(
        await fieldsOf(createHighlightReport(db.kysely, actor, p.id, priorityId, { month: '2020-03', progress: 'x', rag: 'purple' })),
        ['rag'],
      );
      assert.deepEqual(
        await fieldsOf(
          createHighlightReport(db.kysely, actor, p.id, priorityId, { month: '2020-03', progress: 'x', boardRequests: 'y'.repeat(5001) }),
        ),
        ['boardRequests'],
      );
      assert.equal((await listHighlightReports(db.kysely, p.id)).total, 0);
    });

    it('writes one highlight report per priority and month, audits changes and refuses a stale edit', async () => {
      const march = await createHighlightReport(db.kysely, actor, p.id, priorityId, {
        month: 'March 2020',
        progress: 'Locality teams co-located.',
        boardRequests: 'Approve the extra warden post.',
        rag: 'amber',
      });
      assert.equal(march.month, '2020-03');
      assert.equal(march.monthLabel, 'March 2020');
      assert.equal(march.priorityTitle, 'Reducing anti-social behaviour');
      assert.equal(march.author, 'Pat Lead');
      assert.deepEqual(
        await fieldsOf(createHighlightReport(db.kysely, actor, p.id, priorityId, { month: '2020-03', progress: 'Again' })),
        ['month'],
        'a second March report is refused',
      );
      const feb = await createHighlightReport(db.kysely, actor, p.id, priorityId, {
        month: '2020-02',
        progress: 'February progress',
        rag: '',
      });
      assert.equal(feb.rag, null);
      assert.deepEqual(
        await fieldsOf(updateHighlightReport(db.kysely, actor, p.id, feb.id, { month: '2020-03', progress: 'Moved' })),
        ['month'],
        'cannot move onto a month already reported',
      );
      const changed = await updateHighlightReport(db.kysely, actor, p.id, march.id, {
        month: '2020-03',
        progress: 'Locality teams co-located in all three areas.',
        boardRequests: 'Approve the extra warden post.',
        rag: 'green',
        expectedUpdatedAt: march.updated_at,
      });
      assert.equal(changed.rag, 'green');
      assert.ok(changed.updated_at > march.updated_at);
      await assert.rejects(
        updateHighlightReport(db.kysely, actor, p.id, march.id, {
          month: '2020-03',
          progress: 'Stale',
          expectedUpdatedAt: march.updated_at,
        }),
        ConflictError,
      );
      assert.equal((await getHighlightReport(db.kysely, p.id, march.id)).progress, 'Locality teams co-located in all three areas.');
      const audit = await listAudit(db.kysely, { partnershipId: p.id, entityType: 'highlight_report' });
      assert.equal(audit.total, 3);
      const update = audit.events.find((e) => e.action === 'update')!;
      assert.match(update.before_json ?? '', /"rag":"amber"/);
      assert.match(update.after_json ?? '', /"rag":"green"/);
    });

    it('lists a priority’s reports newest first, a page at a time', async () => {
      for (const month of ['2019-04', '2019-05', '2019-06', '2019-07', '2019-08'])
        await createHighlightReport(db.kysely, actor, p.id, priorityId, { month, progress: `Progress in ${month}` });
      const first = await listHighlightReports(db.kysely, p.id, { priorityId, pageSize: 3 });
      assert.equal(first.total, 7);
      assert.equal(first.pageCount, 3);
      assert.deepEqual(
        first.reports.map((r) => r.month),
        ['2020-03', '2020-02', '2019-08'],
      );
      const last = await listHighlightReports(db.kysely, p.id, { priorityId, pageSize: 3, page: 9 });
      assert.equal(last.page, 3, 'a page past the end shows the last page');
      assert.deepEqual(
        last.reports.map((r) => r.month),
        ['2019-04'],
      );
      const range = await listHighlightReports(db.kysely, p.id, { from: '2019-06', to: '2019-07' });
      assert.deepEqual(
        range.reports.map((r) => r.month),
        ['2019-07', '2019-06'],
      );
    });

    it("keeps highlight reports inside the partnership: another partnership's priority or report is not found", async () => {
      await assert.rejects(
        createHighlightReport(db.kysely, actor, p.id, otherPriorityId, { month: '2020-03', progress: 'x' }),
        NotFoundError,
      );
      const mine = (await listHighlightReports(db.kysely, p.id)).reports[0]!;
      await assert.rejects(getHighlightReport(db.kysely, other.id, mine.id), NotFoundError);
      await assert.rejects(updateHighlightReport(db.kysely, actor, other.id, mine.id, { month: '2020-01', progress: 'x' }), NotFoundError);
    });

    it("puts the quarter's commentary and its three months' highlight reports in the Board pack, and nothing else", async () => {
      await writeCommentary(db.kysely, actor, p.id, quarterlyId, { period: '2019-20 Q3', text: 'Q3 commentary, not for Q4.' });
      await writeCommentary(db.kysely, actor, p.id, monthlyId, { period: '2020-03', text: 'March referrals rose as lockdown began.' });
      await writeCommentary(db.kysely, actor, p.id, monthlyId, { period: '2020-01', text: 'January was quiet.' });
      const report = await loadQuarterlyReport(db.kysely, p.id, parseReportQuarter('2019/20 Q4'));
      const asb = report.groups.find((g) => g.title === 'Reducing anti-social behaviour')!;
      assert.deepEqual(
        asb.indicators[0]!.commentary.map((c) => [c.periodText, c.text]),
        [['Q4 2019/20', 'Incidents fell again; the locality teams are now co-located.']],
      );
      assert.match(asb.indicators[0]!.commentary[0]!.byText, /^Pat Lead, \d+ \w+ \d{4}$/);
      assert.deepEqual(
        asb.highlights.map((h) => [h.monthText, h.ragText, h.boardRequests]),
        [
          ['March 2020', 'Green', 'Approve the extra warden post.'],
          ['February 2020', 'Not given', ''],
        ],
      );
      const others = report.groups.find((g) => g.other)!;
      assert.deepEqual(
        others.indicators[0]!.commentary.map((c) => c.periodText),
        ['March 2020', 'January 2020'],
        'a monthly indicator: each month of the quarter, newest first',
      );
      const q3 = await loadQuarterlyReport(db.kysely, p.id, parseReportQuarter('2019/20 Q3'));
      const asbQ3 = q3.groups.find((g) => g.title === 'Reducing anti-social behaviour')!;
      assert.deepEqual(
        asbQ3.indicators[0]!.commentary.map((c) => c.text),
        ['Q3 commentary, not for Q4.'],
      );
      assert.deepEqual(asbQ3.highlights, [], 'no report for October to December');
    });
  });
}
