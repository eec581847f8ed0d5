/**
 * Annual reviews and generated documents on each engine: writing a review (validation naming the field, conflict
 * checks, tenancy, audit), starting one from a plan version, the figures each year of the review shows, and
 * document jobs from request to file: progress, failure with a reason, a job asked for while a runner stops, the
 * list and the download. Jobs taken up again after their instance stopped: test/services/documentLease.test.ts.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { makePartnership } from '../support/app.ts';
import { docxParagraphs } from '../support/documents.ts';
import { listAudit } from '../../src/services/platform/audit.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../src/domain/errors.ts';
import { createPlan } from '../../src/services/plans/plans.ts';
import { createPart } from '../../src/services/plans/planParts.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { enterFigures } from '../../src/services/performance/figures.ts';
import {
  createReview,
  createReviewArea,
  createReviewPriority,
  deleteReview,
  deleteReviewPriority,
  getReview,
  getReviewArea,
  listReviews,
  loadReview,
  parseKeyOutputs,
  updateReview,
  updateReviewArea,
  updateReviewPriority,
} from '../../src/services/plans/reviews.ts';
import { getDocumentFile, getDocumentJob, listDocumentJobs, requestDocument } from '../../src/services/documents/documentJobs.ts';
import { loadAnnualReview } from '../../src/presentation/documents/annualReview.ts';
import { DocumentRunner } from '../../src/services/documents/documentRunner.ts';
import { documentGenerator } from '../../src/presentation/documents/generateDocument.ts';
import { PdfPrinter } from '../../src/adapters/chromium/pdfPrinter.ts';

const actor = { userId: null, label: 'officer@example.org' };
const requester = { ...actor, name: 'Olive Officer' };

function fieldsOf(e: unknown): string[] {
  assert.ok(e instanceof ValidationError, `a ValidationError, not ${String(e)}`);
  return e.errors.map((x) => x.field).sort();
}

describe('key outputs', () => {
  it('reads one a line, dropping bullets and blank lines', () => {
    assert.deepEqual(parseKeyOutputs('- 45 referrals\n\n• 12 officers trained \r\n* £1.7m secured\nplain'), [
      '45 referrals',
      '12 officers trained',
      '£1.7m secured',
      'plain',
    ]);
    assert.deepEqual(parseKeyOutputs(['a', '', ' b ']), ['a', 'b']);
    assert.deepEqual(parseKeyOutputs(undefined), []);
  });
});

for (const engine of ENGINES) {
  describe(`annual reviews on ${engine}`, () => {
    let db: TestDb;
    before(async () => {
      db = await freshDb(engine);
    });
    after(async () => db.drop());

    it('refuses a review with bad input, naming each field, and writes nothing', async () => {
      const p = await makePartnership(db.kysely, 'Review Validation CSP');
      await assert.rejects(createReview(db.kysely, actor, p.id, { title: '', startYear: '2021', endYear: '2018' }), (e) => {
        assert.deepEqual(fieldsOf(e), ['endYear', 'title']);
        return true;
      });
      await assert.rejects(createReview(db.kysely, actor, p.id, { title: 'R', startYear: 'twenty', endYear: '' }), (e) => {
        assert.deepEqual(fieldsOf(e), ['endYear', 'startYear']);
        return true;
      });
      await assert.rejects(createReview(db.kysely, actor, p.id, { title: 'R', startYear: '2010', endYear: '2019' }), /cover 1 to 5 years/);
      assert.equal((await listReviews(db.kysely, p.id)).length, 0);
    });

    it('starts a review from a plan version: its priorities, objectives and the indicators linked to them', async () => {
      const p = await makePartnership(db.kysely, 'Review From Plan CSP');
      const other = await makePartnership(db.kysely, 'Other CSP');
      const { version } = await createPlan(db.kysely, actor, p.id, { title: 'Community Safety Plan', startYear: 2018, endYear: 2021 });
      const children = await createPart(db.kysely, actor, p.id, 'priority', version.id, { title: 'Protecting vulnerable children' });
      await createPart(db.kysely, actor, p.id, 'priority', version.id, { title: 'Serious and organised crime' });
      const cce = await createPart(db.kysely, actor, p.id, 'objective', children.id, { title: 'Tackling child criminal exploitation' });
      await createPart(db.kysely, actor, p.id, 'objective', children.id, { title: 'Preventing online offending' });
      const linked = await createIndicator(db.kysely, actor, p.id, {
        title: 'CCE intelligence reports',
        unit: 'count',
        polarity: 'higher_is_better',
        frequency: 'quarterly',
        obaCategory: 'how_much',
        objectiveIds: [cce.id],
      });

      const { version: otherVersion } = await createPlan(db.kysely, actor, other.id, { title: 'Theirs', startYear: 2018, endYear: 2021 });
      await assert.rejects(
        createReview(db.kysely, actor, p.id, { title: 'R', startYear: '2018', endYear: '2021', planVersionId: String(otherVersion.id) }),
        (e) => {
          assert.deepEqual(fieldsOf(e), ['planVersionId']);
          return true;
        },
      );

      const review = await createReview(db.kysely, actor, p.id, {
        title: 'Review of the plan',
        startYear: '2018',
        endYear: '2021',
        planVersionId: String(version.id),
      });
      const content = await loadReview(db.kysely, p.id, review.id);
      assert.equal(content.periodText, '2018-21');
      assert.equal(content.planText, 'Community Safety Plan 2018-21', 'the plan named once (issue 13)');
      assert.deepEqual(
        content.priorities.map((x) => x.title),
        ['Protecting vulnerable children', 'Serious and organised crime'],
      );
      assert.deepEqual(
        content.priorities[0]!.areas.map((a) => [a.title, a.indicatorIds]),
        [
          ['Tackling child criminal exploitation', [linked.id]],
          ['Preventing online offending', []],
        ],
      );
      const audit = await listAudit(db.kysely, { partnershipId: p.id, entityType: 'review' });
      assert.match(audit.events[0]!.summary, /Created review Review of the plan \(2018-21\) with the 2 priorities of the plan/);
    });

    it('writes priorities and objective areas, checks indicators belong to the partnership, and refuses stale saves', async () => {
      const p = await makePartnership(db.kysely, 'Review Writing CSP');
      const other = await makePartnership(db.kysely, 'Elsewhere CSP');
      const mine = await createIndicator(db.kysely, actor, p.id, {
        title: 'Mine',
        unit: 'count',
        polarity: 'monitor',
        frequency: 'quarterly',
        obaCategory: 'how_much',
      });
      const theirs = await createIndicator(db.kysely, actor, other.id, {
        title: 'Theirs',
        unit: 'count',
        polarity: 'monitor',
        frequency: 'quarterly',
        obaCategory: 'how_much',
      });
      const review = await createReview(db.kysely, actor, p.id, { title: 'Review', startYear: 2018, endYear: 2021 });
      await assert.rejects(createReviewPriority(db.kysely, actor, p.id, review.id, { title: '  ' }), (e) => {
        assert.deepEqual(fieldsOf(e), ['title']);
        return true;
      });
      const priority = await createReviewPriority(db.kysely, actor, p.id, review.id, {
        title: 'Domestic abuse',
        narrative: 'We did things.',
        keyOutputs: '2,913 referrals\n248 completions',
      });
      for (const bad of [[String(theirs.id)], ['abc'], '0']) {
        await assert.rejects(createReviewArea(db.kysely, actor, p.id, priority.id, { title: 'Area', indicatorIds: bad }), (e) => {
          assert.deepEqual(fieldsOf(e), ['indicatorIds']);
          return true;
        });
      }
      const area = await createReviewArea(db.kysely, actor, p.id, priority.id, {
        title: 'Domestic violence and abuse',
        indicatorIds: String(mine.id),
      });
      assert.deepEqual((await getReviewArea(db.kysely, p.id, area.id)).indicatorIds, [mine.id]);

      // Two editors open the same area; the second save is refused and nothing of it lands.
      const opened = area.updated_at;
      await updateReviewArea(db.kysely, actor, p.id, area.id, {
        title: 'Domestic abuse',
        narrative: 'First',
        indicatorIds: [],
        expectedUpdatedAt: opened,
      });
      await assert.rejects(
        updateReviewArea(db.kysely, actor, p.id, area.id, { title: 'Second', expectedUpdatedAt: opened }),
        ConflictError,
      );
      assert.equal((await getReviewArea(db.kysely, p.id, area.id)).title, 'Domestic abuse');
      await assert.rejects(
        updateReviewPriority(db.kysely, actor, p.id, priority.id, { title: 'X', expectedUpdatedAt: '2000-01-01T00:00:00.000Z' }),
        ConflictError,
      );
      await assert.rejects(
        updateReview(db.kysely, actor, p.id, review.id, {
          title: 'X',
          startYear: 2018,
          endYear: 2021,
          expectedUpdatedAt: '2000-01-01T00:00:00.000Z',
        }),
        ConflictError,
      );
      const updated = await updateReview(db.kysely, actor, p.id, review.id, {
        title: 'Review 2018-21',
        startYear: 2018,
        endYear: 2021,
        expectedUpdatedAt: review.updated_at,
      });
      assert.ok(updated.updated_at > review.updated_at);

      // Another partnership sees none of it.
      await assert.rejects(getReview(db.kysely, other.id, review.id), NotFoundError);
      await assert.rejects(updateReviewPriority(db.kysely, actor, other.id, priority.id, { title: 'Hijack' }), NotFoundError);
      await assert.rejects(deleteReview(db.kysely, actor, other.id, review.id), NotFoundError);

      // Every change is in the audit trail, and deleting a priority takes its areas with it.
      await deleteReviewPriority(db.kysely, actor, p.id, priority.id);
      assert.equal((await loadReview(db.kysely, p.id, review.id)).priorities.length, 0);
      await assert.rejects(getReviewArea(db.kysely, p.id, area.id), NotFoundError);
      const audit = await listAudit(db.kysely, { partnershipId: p.id, pageSize: 50 });
      const kinds = audit.events.map((e) => `${e.action} ${e.entity_type}`);
      for (const expected of [
        'create review',
        'update review',
        'create review_priority',
        'delete review_priority',
        'create review_area',
        'update review_area',
      ])
        assert.ok(kinds.includes(expected), expected);
    });

    it('shows each indicator by financial year: totals of counts, means of percentages, and part years said as such', async () => {
      const p = await makePartnership(db.kysely, 'Review Figures CSP');
      const asb = await createIndicator(db.kysely, actor, p.id, {
        code: 'ASB',
        title: 'ASB incidents',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'quarterly',
        obaCategory: 'better_off',
      });
      const concern = await createIndicator(db.kysely, actor, p.id, {
        code: 'PCT',
        title: 'Residents concerned',
        unit: 'percentage',
        polarity: 'lower_is_better',
        frequency: 'quarterly',
        obaCategory: 'better_off',
      });
      const annual = await createIndicator(db.kysely, actor, p.id, {
        code: 'ANN',
        title: 'Yearly count',
        unit: 'count',
        polarity: 'monitor',
        frequency: 'annual',
        obaCategory: 'how_much',
      });
      const rows = [
        ...[2064, 1832, 1461, 1264].map((v, i) => ({ indicatorId: asb.id, period: `2018-19 Q${i + 1}`, value: String(v) })),
        ...[1654, 1500, 1311, 1275].map((v, i) => ({ indicatorId: asb.id, period: `2019-20 Q${i + 1}`, value: String(v) })),
        { indicatorId: asb.id, period: '2020-21 Q1', value: '2303' },
        ...[34, 48, 43, 44].map((v, i) => ({ indicatorId: concern.id, period: `2018-19 Q${i + 1}`, value: String(v) })),
        ...[39, 39, 38].map((v, i) => ({ indicatorId: concern.id, period: `2019-20 Q${i + 1}`, value: String(v) })),
        { indicatorId: annual.id, period: '2019/20', value: '505' },
        // Outside the review: not shown.
        { indicatorId: asb.id, period: '2017-18 Q4', value: '9999' },
      ];
      await enterFigures(db.kysely, actor, p.id, rows);
      const review = await createReview(db.kysely, actor, p.id, { title: 'Review', startYear: 2018, endYear: 2021 });
      const pr = await createReviewPriority(db.kysely, actor, p.id, review.id, { title: 'Communities' });
      await createReviewArea(db.kysely, actor, p.id, pr.id, {
        title: 'ASB',
        indicatorIds: [String(asb.id), String(concern.id), String(annual.id)],
      });
      const r = await loadAnnualReview(db.kysely, p.id, review.id);
      assert.deepEqual(r.years, ['2018/19', '2019/20', '2020/21']);
      const [count, pct, yearly] = r.priorities[0]!.areas[0]!.indicators;
      assert.deepEqual(count!.yearTexts, ['6,621', '5,740', '2,303 (1 of 4 quarters)']);
      assert.deepEqual(count!.yearValues, [6621, 5740, 2303]);
      assert.equal(pct!.yearTexts[0], '42.3%');
      assert.equal(pct!.yearTexts[1], '38.7% (mean of 3 quarters)');
      assert.equal(pct!.yearTexts[2], 'No figures');
      assert.deepEqual(yearly!.yearTexts, ['No figures', '505', 'No figures']);
      assert.equal(yearly!.chart, null, 'no quarter-by-year chart for an annual indicator');
      assert.deepEqual(
        count!.chart!.series.map((s) => s.name),
        ['2018/19', '2019/20', '2020/21'],
      );
      assert.deepEqual(count!.chart!.series[2]!.values, [2303, null, null, null]);
      assert.ok(!JSON.stringify(count!.chart).includes('9999'), 'nothing from before the review');
    });
  });

  describe(`generated documents on ${engine}`, { timeout: 120_000 }, () => {
    let db: TestDb;
    let printer: PdfPrinter;
    before(async () => {
      db = await freshDb(engine);
      printer = new PdfPrinter('/nonexistent/chromium');
    });
    after(async () => {
      await printer.close();
      await db.drop();
    });

    it('refuses a bad request naming the field, including another partnership’s review', async () => {
      const p = await makePartnership(db.kysely, 'Docs Validation CSP');
      const other = await makePartnership(db.kysely, 'Docs Other CSP');
      const theirs = await createReview(db.kysely, actor, other.id, { title: 'Theirs', startYear: 2018, endYear: 2021 });
      const cases: [Record<string, unknown>, string][] = [
        [{ kind: 'poster', format: 'pdf' }, 'kind'],
        [{ kind: 'board_pack', format: 'pptx', quarter: '2019/20 Q4' }, 'format'],
        [{ kind: 'board_pack', format: 'pdf', quarter: '2019/20 Q5' }, 'quarter'],
        [{ kind: 'annual_review', format: 'pdf', reviewId: theirs.id }, 'reviewId'],
        [{ kind: 'annual_review', format: 'pdf', reviewId: 'x' }, 'reviewId'],
        [{ kind: 'plan_document', format: 'docx' }, 'versionId'],
      ];
      for (const [input, field] of cases) {
        await assert.rejects(requestDocument(db.kysely, requester, p.id, input), (e) => {
          assert.deepEqual(fieldsOf(e), [field], JSON.stringify(input));
          return true;
        });
      }
      assert.equal((await listDocumentJobs(db.kysely, p.id)).total, 0);
    });

    it('generates a requested document in the background, with progress, and keeps the file with who asked', async () => {
      const p = await makePartnership(db.kysely, 'Docs Generation CSP');
      const ind = await createIndicator(db.kysely, actor, p.id, {
        code: 'DA1',
        title: 'Referrals to support services',
        unit: 'count',
        polarity: 'higher_is_better',
        frequency: 'quarterly',
        obaCategory: 'how_much',
      });
      await enterFigures(
        db.kysely,
        actor,
        p.id,
        [710, 737, 713, 753].map((v, i) => ({ indicatorId: ind.id, period: `2019-20 Q${i + 1}`, value: String(v) })),
      );
      const review = await createReview(db.kysely, actor, p.id, { title: 'Review of the plan', startYear: 2018, endYear: 2021 });
      const pr = await createReviewPriority(db.kysely, actor, p.id, review.id, {
        title: 'Domestic abuse and sexual offences',
        keyOutputs: '248 people completed the perpetrator programme',
      });
      await createReviewArea(db.kysely, actor, p.id, pr.id, {
        title: 'Domestic violence and abuse',
        narrative: 'MARAC strengthened.',
        indicatorIds: [ind.id],
      });

      const runner = new DocumentRunner(db.kysely, documentGenerator(db.kysely, printer));
      const job = await requestDocument(db.kysely, requester, p.id, { kind: 'annual_review', format: 'docx', reviewId: String(review.id) });
      assert.equal(job.status, 'queued');
      assert.equal(job.requested_by_name, 'Olive Officer');
      await assert.rejects(getDocumentFile(db.kysely, p.id, job.id), ConflictError);
      runner.enqueue(job.id);
      await runner.idle();
      const done = await getDocumentJob(db.kysely, p.id, job.id);
      assert.equal(done.status, 'done', done.error ?? '');
      assert.equal(done.progress, 100);
      assert.equal(done.file_name, 'Docs-Generation-CSP-Review-of-the-plan-2018-21.docx');
      const file = await getDocumentFile(db.kysely, p.id, job.id);
      assert.equal(file.content.length, done.size_bytes);
      const text = docxParagraphs(file.content).map((x) => x.text);
      for (const expected of [
        'Domestic violence and abuse',
        'DA1 Referrals to support services',
        '2,913',
        '248 people completed the perpetrator programme',
      ])
        assert.ok(text.includes(expected), `${expected} in the DOCX`);

      // A PDF on a server without Chromium fails with a reason, and the runner carries on.
      const pdf = await requestDocument(db.kysely, requester, p.id, { kind: 'annual_review', format: 'pdf', reviewId: review.id });
      runner.enqueue(pdf.id);
      await runner.idle();
      const failed = await getDocumentJob(db.kysely, p.id, pdf.id);
      assert.equal(failed.status, 'failed');
      assert.match(failed.error ?? '', /PDF documents are not available on this server[\s\S]*Generate the Word \(DOCX\) version instead/);
      await assert.rejects(getDocumentFile(db.kysely, p.id, pdf.id), /could not be generated/);

      // A review deleted between asking and generating: failed, saying so.
      const gone = await requestDocument(db.kysely, requester, p.id, { kind: 'annual_review', format: 'docx', reviewId: review.id });
      await deleteReview(db.kysely, actor, p.id, review.id);
      runner.enqueue(gone.id);
      await runner.idle();
      assert.match((await getDocumentJob(db.kysely, p.id, gone.id)).error ?? '', /Review not found: it may have been deleted/);

      // Newest first, a page at a time; asking is audited; another partnership sees nothing.
      const list = await listDocumentJobs(db.kysely, p.id, { pageSize: 2 });
      assert.equal(list.total, 3);
      assert.equal(list.pageCount, 2);
      assert.deepEqual(
        list.jobs.map((j) => j.id),
        [gone.id, pdf.id],
      );
      assert.deepEqual(
        (await listDocumentJobs(db.kysely, p.id, { pageSize: 2, page: '2' })).jobs.map((j) => j.id),
        [job.id],
      );
      assert.equal((await listDocumentJobs(db.kysely, p.id, { pageSize: 2, page: '99' })).page, 2);
      const audit = await listAudit(db.kysely, { partnershipId: p.id, entityType: 'document' });
      assert.equal(audit.total, 3);
      assert.match(audit.events[2]!.summary, /Asked for Review of the plan 2018-21 \(Word \(DOCX\)\)/);
      assert.ok(!audit.events.some((e) => (e.after_json ?? '').includes('"content"')), 'no file bytes in the audit trail');
      const other = await makePartnership(db.kysely, 'Docs Nosy CSP');
      await assert.rejects(getDocumentJob(db.kysely, other.id, job.id), NotFoundError);
      await assert.rejects(getDocumentFile(db.kysely, other.id, job.id), NotFoundError);
      await runner.stop();
    });

    it('leaves a job asked for while the runner stops queued, for another instance (or the restarted one) to generate', async () => {
      const p = await makePartnership(db.kysely, 'Docs Stopping CSP');
      const stopped = new DocumentRunner(db.kysely, documentGenerator(db.kysely, printer), { concurrency: 1 });
      await stopped.stop();
      const job = await requestDocument(db.kysely, requester, p.id, { kind: 'board_pack', format: 'docx', quarter: '2019/20 Q3' });
      stopped.enqueue(job.id);
      await stopped.idle();
      const waiting = await getDocumentJob(db.kysely, p.id, job.id);
      assert.equal(waiting.status, 'queued', 'not failed: it waits for an instance that is running');
      assert.equal(waiting.attempts, 0);
      const next = new DocumentRunner(db.kysely, documentGenerator(db.kysely, printer));
      next.enqueue();
      await next.idle();
      const done = await getDocumentJob(db.kysely, p.id, job.id);
      assert.equal(done.status, 'done', done.error ?? '');
      assert.equal(done.attempts, 1);
      await next.stop();
    });
  });
}
