/**
 * Annual reviews and generated documents through the real app on each engine, as officers use them: an editor
 * writes a review (error summary naming the field, two editors and a conflict), a viewer reads it but cannot
 * edit or generate, a contributor generates it as a kept document, watches the job page (refreshing itself
 * until done), finds it in the list with their name and downloads it; another partnership gets 404; and the API
 * starts, polls, lists and downloads a Board pack.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { api, Browser, makePartnership, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { docxParagraphs } from '../support/documents.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { listAudit, SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { enterFigures } from '../../src/services/performance/figures.ts';
import { listReviews, loadReview } from '../../src/services/plans/reviews.ts';

function idFrom(location: string | undefined, pattern: RegExp): number {
  const m = pattern.exec(location ?? '');
  assert.ok(m, `redirected to ${location}`);
  return Number(m[1]);
}

async function download(t: TestApp, browser: Browser, url: string) {
  return t.app.inject({ method: 'GET', url, headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
}

for (const engine of ENGINES) {
  describe(`annual reviews and generated documents in the app on ${engine}`, { timeout: 120_000 }, () => {
    let t: TestApp;
    let p: { id: number; name: string };
    let editor: Browser;
    let secondEditor: Browser;
    let contributor: Browser;
    let viewer: Browser;
    let base: string;
    let reviewId: number;
    let indicatorId: number;

    before(async () => {
      t = await startTestApp(engine, { CHROMIUM_PATH: '/nonexistent/chromium' });
      p = await makePartnership(t.k, 'Safer Reviewshire Partnership');
      base = `/partnerships/${p.id}`;
      editor = new Browser(t.app);
      secondEditor = new Browser(t.app);
      contributor = new Browser(t.app);
      viewer = new Browser(t.app);
      await editor.signIn((await memberOf(t.k, p.id, 'editor')).email);
      await secondEditor.signIn((await memberOf(t.k, p.id, 'editor')).email);
      await contributor.signIn((await memberOf(t.k, p.id, 'contributor')).email);
      await viewer.signIn((await memberOf(t.k, p.id, 'viewer')).email);
      const ind = await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
        code: 'VWI',
        title: 'Violence with injury',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'quarterly',
        obaCategory: 'better_off',
      });
      indicatorId = ind.id;
      await enterFigures(t.k, SYSTEM_ACTOR, p.id, [
        ...[696, 747, 692, 561].map((v, i) => ({ indicatorId: ind.id, period: `2019-20 Q${i + 1}`, value: String(v) })),
        { indicatorId: ind.id, period: '2020-21 Q1', value: '507' },
      ]);
    });
    after(async () => {
      await t.app.documentRunner.idle();
      await t.close();
    });

    it('lets an editor write a review, showing what is wrong with each form', async () => {
      const list = await viewer.get(`${base}/reviews`);
      assert.equal(list.status, 200);
      assert.match(list.body, /There are no annual reviews yet/);
      assert.ok(!list.body.includes('Create an annual review'), 'viewers are not offered to create one');
      assert.match((await editor.get(`${base}/reviews`)).body, /Create an annual review/);

      await editor.get(`${base}/reviews/new`);
      let res = await editor.post(`${base}/reviews/new`, { title: '', startYear: '2021', endYear: '2018', planVersionId: '' });
      assert.equal(res.status, 400);
      assert.match(res.body, /govuk-error-summary/);
      assert.match(res.body, /href="#title">Enter the title of the review/);
      assert.match(res.body, /href="#endYear">The review must cover 1 to 5 years/);
      assert.equal((await listReviews(t.k, p.id)).length, 0, 'nothing written');
      res = await editor.post(`${base}/reviews/new`, {
        title: 'Review of the Reviewshire Plan',
        startYear: '2019',
        endYear: '2021',
        planVersionId: '',
      });
      assert.equal(res.status, 303);
      reviewId = idFrom(res.location, /reviews\/(\d+)$/);

      await editor.get(`${base}/reviews/${reviewId}/priorities/new`);
      res = await editor.post(`${base}/reviews/${reviewId}/priorities/new`, { title: '', narrative: 'x', keyOutputs: '' });
      assert.equal(res.status, 400);
      assert.match(res.body, /href="#title">Enter the priority/);
      res = await editor.post(`${base}/reviews/${reviewId}/priorities/new`, {
        title: 'Serious and organised crime',
        narrative: 'Disruption became the focus.',
        keyOutputs: '- 352 knife offences recorded in 2019/20\n- 505 drug offences',
      });
      assert.equal(res.status, 303);
      const priorityId = (await loadReview(t.k, p.id, reviewId)).priorities[0]!.id;

      const form = await editor.get(`${base}/review-priorities/${priorityId}/areas/new`);
      assert.match(form.body, new RegExp(`name="indicatorIds" type="checkbox" value="${indicatorId}"`));
      res = await editor.post(`${base}/review-priorities/${priorityId}/areas/new`, {
        title: 'Violent crime',
        narrative: 'Violence fell from December.',
        indicatorIds: '99999999',
      });
      assert.equal(res.status, 400);
      assert.match(res.body, /href="#indicatorIds">Choose indicators of this partnership from the list/);
      res = await editor.post(`${base}/review-priorities/${priorityId}/areas/new`, {
        title: 'Violent crime',
        narrative: 'Violence fell from December.',
        indicatorIds: String(indicatorId),
      });
      assert.equal(res.status, 303);

      const page = await viewer.get(`${base}/reviews/${reviewId}`);
      assert.equal(page.status, 200);
      assert.match(page.body, /Review of the Reviewshire Plan <span class="govuk-caption-l">2019-21<\/span>/);
      assert.match(page.body, /<li>352 knife offences recorded in 2019\/20<\/li>/);
      assert.match(
        page.body,
        /VWI Violence with injury<\/a><\/th>\s*<td class="govuk-table__cell govuk-table__cell--numeric">2,696<\/td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">507 \(1 of 4 quarters\)<\/td>/,
      );
      assert.match(page.body, /<svg[\s\S]*VWI Violence with injury: quarter by year/);
      assert.ok(!page.body.includes('/review-areas/'), 'viewers see no edit links');
      assert.ok(!page.body.includes('Generate PDF'), 'viewers cannot generate');
      assert.match((await viewer.get(`${base}/review-priorities/${priorityId}/edit`)).body, /You do not have permission/);
    });

    it('refuses the second of two editors saving the same priority, keeping the first', async () => {
      const priorityId = (await loadReview(t.k, p.id, reviewId)).priorities[0]!.id;
      const url = `${base}/review-priorities/${priorityId}/edit`;
      const first = await editor.get(url);
      const second = await secondEditor.get(url);
      const stamp = (html: string) => /name="expectedUpdatedAt" value="([^"]+)"/.exec(html)![1]!;
      assert.equal(stamp(first.body), stamp(second.body));
      let res = await editor.post(url, {
        title: 'Serious and organised crime',
        narrative: 'First editor’s words.',
        keyOutputs: '112 disruption actions',
        expectedUpdatedAt: stamp(first.body),
      });
      assert.equal(res.status, 303);
      res = await secondEditor.post(url, {
        title: 'Second title',
        narrative: 'Second editor’s words.',
        keyOutputs: '',
        expectedUpdatedAt: stamp(second.body),
      });
      assert.equal(res.status, 409);
      assert.match(res.body, /was changed by someone else after you opened it/);
      assert.match(res.body, /First editor’s words\./, 'the latest saved version is shown');
      const saved = (await loadReview(t.k, p.id, reviewId)).priorities[0]!;
      assert.equal(saved.narrative, 'First editor’s words.');
      assert.deepEqual(saved.keyOutputs, ['112 disruption actions']);
      const audit = await listAudit(t.k, { partnershipId: p.id, entityType: 'review_priority' });
      assert.equal(audit.events.filter((e) => e.action === 'update').length, 1);
    });

    it('generates the review as a kept document: job page checking itself, the list with who and when, the download', async () => {
      assert.match((await viewer.get(`${base}/documents`)).body, /No documents have been generated yet/);
      const refused = await viewer.post(`${base}/documents`, { kind: 'annual_review', reviewId: String(reviewId), format: 'docx' });
      assert.equal(refused.status, 403);

      const review = await contributor.get(`${base}/reviews/${reviewId}`);
      assert.match(review.body, /Generate PDF/);
      const bad = await contributor.post(`${base}/documents`, { kind: 'annual_review', reviewId: '0', format: 'docx' });
      assert.equal(bad.status, 400);
      assert.match(bad.body, /href="#reviewId">Choose a review of this partnership/);

      const res = await contributor.post(`${base}/documents`, { kind: 'annual_review', reviewId: String(reviewId), format: 'docx' });
      assert.equal(res.status, 303);
      const jobId = idFrom(res.location, /documents\/(\d+)$/);
      // Just asked for: queued, running or (a small Word document) already done.
      const waiting = await t.k
        .selectFrom('document_jobs')
        .select(['status', 'requested_by_name'])
        .where('id', '=', jobId)
        .executeTakeFirstOrThrow();
      assert.ok(['queued', 'running', 'done'].includes(waiting.status));
      await t.app.documentRunner.idle();
      const done = await viewer.get(res.location!);
      assert.equal(done.status, 200);
      assert.ok(!done.body.includes('http-equiv="refresh"') && !done.body.includes('fetch(location.pathname'), 'no checking once done');
      assert.match(done.body, /Your document is ready/);
      assert.match(done.body, new RegExp(`href="${base}/documents/${jobId}/download"`));

      const list = await viewer.get(`${base}/documents`);
      const row = new RegExp(
        `data-document="${jobId}"[\\s\\S]*?Review of the Reviewshire Plan 2019-21[\\s\\S]*?Word \\(DOCX\\)[\\s\\S]*?Ready[\\s\\S]*?${waiting.requested_by_name}[\\s\\S]*?KB[\\s\\S]*?Download`,
      );
      assert.match(list.body, row);
      assert.match(waiting.requested_by_name, /^Test User/);

      const file = await download(t, viewer, `${base}/documents/${jobId}/download`);
      assert.equal(file.statusCode, 200);
      assert.equal(file.headers['content-type'], 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      assert.match(
        String(file.headers['content-disposition']),
        /filename="Safer-Reviewshire-Partnership-Review-of-the-Reviewshire-Plan-2019-21\.docx"/,
      );
      const words = docxParagraphs(file.rawPayload).map((x) => x.text);
      for (const expected of [
        '2. Serious and organised crime',
        '112 disruption actions',
        'Violent crime',
        'VWI Violence with injury',
        '2,696',
        '507 (1 of 4 quarters)',
      ])
        assert.ok(words.includes(expected), `${expected} in the DOCX`);
    });

    it('shows a running job with a status page that updates itself, and one that failed with its reason', async () => {
      // A job queued by a process that is still alive: the status updates itself by script, and a link checks again without script.
      const queued = await t.k
        .insertInto('document_jobs')
        .values({
          partnership_id: p.id,
          kind: 'board_pack',
          format: 'pdf',
          title: 'Quarterly performance report Q4 2019/20',
          params_json: '{"quarter":"2019-20 Q4"}',
          status: 'running',
          progress: 40,
          stage: 'Laying out the document',
          requested_by: 'x@example.org',
          requested_by_name: 'Someone',
          created_at: new Date().toISOString(),
          heartbeat_at: new Date().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const running = await viewer.get(`${base}/documents/${queued.id}`);
      assert.ok(!running.body.includes('http-equiv="refresh"'), 'no timed page refresh (WCAG 2.2.1)');
      assert.match(
        running.body,
        /const every = 3000;[\s\S]*fetch\(location\.pathname \+ '\?refresh=off'/,
        'the status updates itself by script',
      );
      assert.match(running.body, /<title>Generating Quarterly performance report Q4 2019\/20: 40% – CSP Hub<\/title>/);
      assert.match(running.body, /role="status">Generating: 40% done\. Laying out the document\./);
      assert.match(running.body, new RegExp(`href="${base}/documents/${queued.id}" data-check-progress>Check progress again`));
      const quiet = await viewer.get(`${base}/documents/${queued.id}?refresh=off`);
      assert.ok(!quiet.body.includes('fetch(location.pathname'), 'the page the script reads does not check again itself');
      const notYet = await viewer.get(`${base}/documents/${queued.id}/download`);
      assert.equal(notYet.status, 303, 'not ready: back to the job page');

      // No Chromium on this app: the PDF fails and says what to do instead.
      const res = await contributor.post(`${base}/documents`, { kind: 'board_pack', quarter: '2019/20 Q4', format: 'pdf' });
      await t.app.documentRunner.idle();
      const failed = await contributor.get(res.location!);
      assert.match(failed.body, /The document could not be generated/);
      assert.match(failed.body, /Generate the Word \(DOCX\) version instead/);

      // Another partnership's member gets nothing.
      const q = await makePartnership(t.k, 'Nosy Partnership');
      const outsider = new Browser(t.app);
      await outsider.signIn((await memberOf(t.k, q.id, 'admin')).email);
      for (const url of [
        `${base}/documents/${queued.id}`,
        `${base}/documents/${queued.id}/download`,
        `${base}/reviews/${reviewId}`,
        `/partnerships/${q.id}/documents/${queued.id}`,
        `/partnerships/${q.id}/reviews/${reviewId}`,
      ]) {
        assert.equal((await outsider.get(url)).status, 404, url);
      }
    });

    it('starts, polls, lists and downloads a Board pack through the API', async () => {
      const user = await memberOf(t.k, p.id, 'contributor');
      const token = (await createToken(t.k, user, 'docs')).token;
      const bad = await api(t.app, token, 'POST', `/api/v1/partnerships/${p.id}/documents`, {
        kind: 'board_pack',
        format: 'docx',
        quarter: 'nonsense',
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.json<{ problems: { field: string }[] }>().problems[0]!.field, 'quarter');
      const started = await api(t.app, token, 'POST', `/api/v1/partnerships/${p.id}/documents`, {
        kind: 'board_pack',
        format: 'docx',
        quarter: '2019/20 Q4',
      });
      assert.equal(started.status, 202);
      const job = started.json<{ id: number; status: string; title: string; links: { self: string } }>();
      assert.equal(started.headers.location, job.links.self);
      assert.equal(job.title, 'Quarterly performance report Q4 2019/20');
      await t.app.documentRunner.idle();
      const status = await api(t.app, token, 'GET', job.links.self);
      const body = status.json<{
        status: string;
        progress: number;
        requestedBy: { name: string };
        links: { download: string };
        parameters: { quarter: string };
      }>();
      assert.equal(body.status, 'done');
      assert.equal(body.progress, 100);
      assert.equal(body.requestedBy.name, user.name);
      assert.deepEqual(body.parameters, { quarter: '2019-20 Q4' });
      const file = await api(t.app, token, 'GET', body.links.download);
      assert.equal(file.status, 200);
      assert.equal(file.headers['content-type'], 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      const list = await api(t.app, token, 'GET', `/api/v1/partnerships/${p.id}/documents?pageSize=1`);
      const page = list.json<{ total: number; pageCount: number; documents: { id: number }[] }>();
      assert.ok(page.total >= 3);
      assert.deepEqual(
        page.documents.map((d) => d.id),
        [job.id],
        'newest first',
      );
      const failed = (await api(t.app, token, 'GET', `/api/v1/partnerships/${p.id}/documents?pageSize=100`))
        .json<{ documents: { id: number; status: string }[] }>()
        .documents.find((d) => d.status === 'failed')!;
      assert.equal((await api(t.app, token, 'GET', `/api/v1/partnerships/${p.id}/documents/${failed.id}/file`)).status, 409);
      const openapi = JSON.parse((await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).body) as {
        paths: Record<string, unknown>;
      };
      for (const path of [
        '/partnerships/{partnershipId}/documents',
        '/partnerships/{partnershipId}/documents/{documentId}',
        '/partnerships/{partnershipId}/documents/{documentId}/file',
      ]) {
        assert.ok(
          Object.keys(openapi.paths).some((k) => k.endsWith(path)),
          `${path} in the OpenAPI document`,
        );
      }
    });
  });
}
