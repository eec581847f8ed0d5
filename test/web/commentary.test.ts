/**
 * The lead's commentary and the monthly highlight reports through the real app on each engine: the forms with
 * their GOV.UK error summaries, conflicts between two people editing at once, roles and tenancy, the history, the
 * quarterly report (page, DOCX unzipped and read back, PDF through pdftotext), the exception report, and the API.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { api, Browser, makePartnership, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { docxParagraphs, openPdf } from '../support/documents.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { approveVersion, createPlan } from '../../src/services/plans/plans.ts';
import { createPart } from '../../src/services/plans/planParts.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { enterFigures } from '../../src/services/performance/figures.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { commentaryHistory, currentCommentary } from '../../src/services/performance/commentary.ts';
import { createHighlightReport, listHighlightReports } from '../../src/services/performance/highlightReports.ts';

const hidden = (body: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1] ?? '';

async function download(t: TestApp, browser: Browser, url: string) {
  return t.app.inject({ method: 'GET', url, headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
}

for (const engine of ENGINES) {
  describe(`commentary and highlight reports in the app on ${engine}`, { timeout: 120_000 }, () => {
    let t: TestApp;
    let p: { id: number };
    let base: string;
    let indicatorId: number;
    let priorityId: number;
    let otherIndicatorId: number;
    let otherPriorityId: number;
    let lead: Browser;
    let colleague: Browser;
    let viewer: Browser;
    let outsider: Browser;
    let leadToken: string;
    let viewerToken: string;

    before(async () => {
      t = await startTestApp(engine);
      p = await makePartnership(t.k, 'Safer Commentshire Partnership');
      const other = await makePartnership(t.k, 'Elsewhere Partnership');
      base = `/partnerships/${p.id}`;
      const { version } = await createPlan(t.k, SYSTEM_ACTOR, p.id, { title: 'Community Safety Plan', startYear: 2019, endYear: 2022 });
      priorityId = (
        await createPart(t.k, SYSTEM_ACTOR, p.id, 'priority', version.id, {
          title: 'Reducing anti-social behaviour',
          leadOfficer: 'ASB priority group chair',
        })
      ).id;
      indicatorId = (
        await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
          code: 'ASB1',
          title: 'Anti-social behaviour incidents',
          unit: 'count',
          polarity: 'lower_is_better',
          frequency: 'quarterly',
          obaCategory: 'better_off',
          priorityIds: [priorityId],
        })
      ).id;
      // The Board pack reports on the plan in force in its quarter: an approved one (issue 13).
      await approveVersion(t.k, SYSTEM_ACTOR, p.id, version.id, {
        approvedBy: 'Partnership Board',
        approvedOn: '2019-03-28',
        meeting: 'Board',
      });
      await enterFigures(t.k, SYSTEM_ACTOR, p.id, [
        { indicatorId, period: '2018-19 Q4', value: 1264 },
        { indicatorId, period: '2019-20 Q3', value: 1311 },
        { indicatorId, period: '2019-20 Q4', value: 1400 },
      ]);
      const otherPlan = await createPlan(t.k, SYSTEM_ACTOR, other.id, { title: 'Other plan', startYear: 2019, endYear: 2022 });
      otherPriorityId = (await createPart(t.k, SYSTEM_ACTOR, other.id, 'priority', otherPlan.version.id, { title: 'Elsewhere priority' }))
        .id;
      otherIndicatorId = (
        await createIndicator(t.k, SYSTEM_ACTOR, other.id, {
          title: 'Elsewhere indicator',
          unit: 'count',
          polarity: 'lower_is_better',
          frequency: 'quarterly',
          obaCategory: 'better_off',
        })
      ).id;
      const leadUser = await memberOf(t.k, p.id, 'contributor');
      lead = new Browser(t.app);
      await lead.signIn(leadUser.email);
      leadToken = (await createToken(t.k, leadUser, 'lead')).token;
      colleague = new Browser(t.app);
      await colleague.signIn((await memberOf(t.k, p.id, 'editor')).email);
      const viewerUser = await memberOf(t.k, p.id, 'viewer');
      viewer = new Browser(t.app);
      await viewer.signIn(viewerUser.email);
      viewerToken = (await createToken(t.k, viewerUser, 'viewer')).token;
      outsider = new Browser(t.app);
      await outsider.signIn((await memberOf(t.k, other.id, 'admin')).email);
    });
    after(() => t.close());

    it('writes commentary from the indicator page, with a GOV.UK error summary first, and shows it by its period', async () => {
      const page = await lead.get(`${base}/indicators/${indicatorId}`);
      assert.equal(page.status, 200);
      assert.match(page.body, /No commentary has been written on this indicator yet/);
      assert.match(
        page.body,
        /<form method="get" action="[^"]+\/commentary"[\s\S]*?name="period"[^>]*value="2019\/20 Q4"/,
        'the chooser suggests the latest period with a figure',
      );

      const bad = await lead.get(`${base}/indicators/${indicatorId}/commentary?period=${encodeURIComponent('2020-03')}`);
      assert.equal(bad.status, 400);
      assert.match(bad.body, /govuk-error-summary[\s\S]*href="#period"[\s\S]*Enter a quarterly period/);

      const form = await lead.get(`${base}/indicators/${indicatorId}/commentary?period=${encodeURIComponent('2019/20 Q4')}`);
      assert.equal(form.status, 200);
      assert.match(form.body, /Lead's commentary: Q4 2019\/20/);
      assert.equal(hidden(form.body, 'expectedUpdatedAt'), '');

      const empty = await lead.post(`${base}/indicators/${indicatorId}/commentary`, {
        period: '2019/20 Q4',
        text: '  ',
        expectedUpdatedAt: '',
      });
      assert.equal(empty.status, 400);
      assert.match(empty.body, /govuk-error-summary[\s\S]*<a href="#text">Enter the commentary<\/a>/);
      assert.match(empty.body, /id="text-error"/);
      assert.equal(await currentCommentary(t.k, p.id, indicatorId, '2019-20 Q4'), null, 'nothing written');

      const saved = await lead.post(`${base}/indicators/${indicatorId}/commentary`, {
        period: '2019/20 Q4',
        text: 'Incidents rose on last year.\n\nThe <b>locality</b> teams start in April.',
        expectedUpdatedAt: '',
      });
      assert.equal(saved.status, 303);
      assert.equal(saved.location, `${base}/indicators/${indicatorId}#commentary`);
      const after = await viewer.get(`${base}/indicators/${indicatorId}`);
      assert.match(
        after.body,
        /data-period="2019-20 Q4">\s*<dt class="govuk-summary-list__key">Q4 2019\/20<\/dt>\s*<dd class="govuk-summary-list__value">Incidents rose on last year\.<br \/>\s*<br \/>\s*The &lt;b&gt;locality&lt;\/b&gt; teams start in April\./,
      );
      assert.match(after.body, /Written by Test User \d+/);
      assert.ok(!after.body.includes('Write commentary'), 'a viewer is not offered the form');
    });

    it('refuses the second of two people editing the same commentary, keeping both texts in view', async () => {
      const url = `${base}/indicators/${indicatorId}/commentary?period=${encodeURIComponent('2019/20 Q4')}`;
      const mine = await lead.get(url);
      const theirs = await colleague.get(url);
      const opened = hidden(mine.body, 'expectedUpdatedAt');
      assert.ok(opened !== '' && opened === hidden(theirs.body, 'expectedUpdatedAt'));
      assert.equal(
        (
          await colleague.post(`${base}/indicators/${indicatorId}/commentary`, {
            period: '2019/20 Q4',
            text: 'Colleague: wardens return in April.',
            expectedUpdatedAt: opened,
          })
        ).status,
        303,
      );
      const refused = await lead.post(`${base}/indicators/${indicatorId}/commentary`, {
        period: '2019/20 Q4',
        text: 'Lead: my late edit.',
        expectedUpdatedAt: opened,
      });
      assert.equal(refused.status, 409);
      assert.match(refused.body, /govuk-error-summary[\s\S]*was changed by [^ ]+@example\.org after you opened it/);
      assert.match(refused.body, /id="their-text">Lead: my late edit\./, 'the refused text is still there to copy');
      assert.match(refused.body, /<textarea[^>]*name="text"[^>]*>Colleague: wardens return in April\.<\/textarea>/);
      assert.equal((await currentCommentary(t.k, p.id, indicatorId, '2019-20 Q4'))?.text, 'Colleague: wardens return in April.');
      const history = await lead.get(url);
      assert.match(
        history.body,
        /id="commentary-history"[\s\S]*Colleague: wardens return in April\.[\s\S]*Current[\s\S]*Incidents rose on last year\.[\s\S]*Revised/,
      );
      assert.equal((await commentaryHistory(t.k, p.id, indicatorId)).length, 2);
    });

    it('keeps commentary to those who may write figures, inside their partnership', async () => {
      assert.equal((await viewer.get(`${base}/indicators/${indicatorId}/commentary`)).status, 403);
      assert.equal(
        (await viewer.post(`${base}/indicators/${indicatorId}/commentary`, { period: '2019/20 Q4', text: 'Viewer text' })).status,
        403,
      );
      assert.equal((await outsider.get(`${base}/indicators/${indicatorId}/commentary`)).status, 404);
      assert.equal((await lead.get(`${base}/indicators/${otherIndicatorId}/commentary`)).status, 404);
      assert.equal(
        (await lead.post(`${base}/indicators/${otherIndicatorId}/commentary`, { period: '2019/20 Q4', text: 'Across the boundary' }))
          .status,
        404,
      );
      assert.equal((await commentaryHistory(t.k, p.id, indicatorId)).length, 2);
    });

    it('writes a monthly highlight report with a GOV.UK error summary first, once per month, and shows it', async () => {
      const index = await lead.get(`${base}/highlight-reports`);
      assert.equal(index.status, 200);
      assert.match(index.body, /Reducing anti-social behaviour<\/a><span[^>]*>Lead: ASB priority group chair/);
      assert.match(index.body, /None yet/);
      const newUrl = `${base}/priorities/${priorityId}/highlight-reports/new`;
      assert.equal((await lead.get(newUrl)).status, 200);

      const bad = await lead.post(newUrl, { month: 'Smarch 2020', progress: '', rag: 'purple' });
      assert.equal(bad.status, 400);
      assert.match(bad.body, /govuk-error-summary[\s\S]*href="#month"[\s\S]*href="#progress"[\s\S]*href="#rag"/);
      assert.match(bad.body, /name="month"[^>]*value="Smarch 2020"/, 'what was typed is kept');
      assert.equal((await listHighlightReports(t.k, p.id)).total, 0);

      const saved = await lead.post(newUrl, {
        month: 'March 2020',
        progress: 'Police and council officers now share three locality teams.',
        milestonesAchieved: 'Locality teams in place.',
        milestonesNext: 'Review repeat callers in May.',
        issuesRisks: 'Lockdown may change demand.',
        boardRequests: 'Approve funding for two more wardens.',
        rag: 'amber',
      });
      assert.equal(saved.status, 303);
      const id = Number(/\/highlight-reports\/(\d+)$/.exec(saved.location ?? '')?.[1]);
      assert.ok(id > 0, saved.location);
      const page = await viewer.get(`${base}/highlight-reports/${id}`);
      assert.equal(page.status, 200);
      assert.match(page.body, /Highlight report: March 2020/);
      assert.match(page.body, /govuk-tag--yellow">Amber</);
      assert.match(page.body, /Approve funding for two more wardens\./);
      assert.ok(!page.body.includes('Change this report'), 'a viewer is not offered the change link');

      const again = await lead.post(newUrl, { month: '2020-03', progress: 'Second go' });
      assert.equal(again.status, 400);
      assert.match(again.body, /There is already a highlight report for March 2020 for this priority/);
    });

    it('refuses the second of two people changing the same highlight report', async () => {
      const report = (await listHighlightReports(t.k, p.id)).reports[0]!;
      const editUrl = `${base}/highlight-reports/${report.id}/edit`;
      const mine = await lead.get(editUrl);
      const theirs = await colleague.get(editUrl);
      assert.match(mine.body, /name="month"[^>]*value="March 2020"/);
      const fields = {
        month: 'March 2020',
        milestonesAchieved: '',
        milestonesNext: '',
        issuesRisks: '',
        boardRequests: 'Approve funding for two more wardens.',
        rag: 'green',
      };
      assert.equal(
        (
          await colleague.post(editUrl, {
            ...fields,
            progress: 'Colleague edit.',
            expectedUpdatedAt: hidden(theirs.body, 'expectedUpdatedAt'),
          })
        ).status,
        303,
      );
      const refused = await lead.post(editUrl, {
        ...fields,
        progress: 'Lead edit.',
        expectedUpdatedAt: hidden(mine.body, 'expectedUpdatedAt'),
      });
      assert.equal(refused.status, 409);
      assert.match(refused.body, /govuk-error-summary[\s\S]*changed by [^ ]+ after you opened it/);
      assert.match(refused.body, /Colleague edit\./, 'the current version is shown');
      const stored = (await listHighlightReports(t.k, p.id)).reports[0]!;
      assert.equal(stored.progress, 'Colleague edit.');
      assert.equal(stored.rag, 'green');
    });

    it('lists the history of a priority newest first, a page at a time, and keeps writing to contributors of the partnership', async () => {
      for (let m = 4; m <= 12; m++)
        await createHighlightReport(t.k, SYSTEM_ACTOR, p.id, priorityId, {
          month: `2018-${String(m).padStart(2, '0')}`,
          progress: `Progress ${m}`,
        });
      for (let m = 1; m <= 4; m++)
        await createHighlightReport(t.k, SYSTEM_ACTOR, p.id, priorityId, {
          month: `2019-${String(m).padStart(2, '0')}`,
          progress: `Progress ${m}`,
        });
      const url = `${base}/priorities/${priorityId}/highlight-reports`;
      const first = await viewer.get(url);
      assert.equal(first.status, 200);
      assert.match(first.body, /14 reports, newest first \(page 1 of 2\)/);
      assert.ok(first.body.indexOf('March 2020') < first.body.indexOf('April 2019'), 'newest first');
      assert.match(first.body, new RegExp(`href="${url}\\?page=2"`));
      const second = await viewer.get(`${url}?page=2`);
      assert.match(second.body, /April 2018/);
      assert.ok(!second.body.includes('March 2020'));
      assert.equal((await viewer.get(`${url}?page=nonsense`)).status, 200);

      assert.equal((await viewer.get(`${url}/new`)).status, 403);
      assert.equal((await viewer.post(`${url}/new`, { month: '2019-05', progress: 'Viewer' })).status, 403);
      assert.equal((await outsider.get(url)).status, 404);
      assert.equal((await lead.get(`${base}/priorities/${otherPriorityId}/highlight-reports`)).status, 404);
      assert.equal(
        (await lead.post(`${base}/priorities/${otherPriorityId}/highlight-reports/new`, { month: '2019-05', progress: 'Across' })).status,
        404,
      );
      assert.equal((await listHighlightReports(t.k, p.id)).total, 14);
    });

    it('puts the commentary and the highlight report in the Board pack page, DOCX and PDF, and the commentary in the exception report', async () => {
      const q = encodeURIComponent('2019/20 Q4');
      const page = await viewer.get(`${base}/reports/quarterly?quarter=${q}`);
      assert.equal(page.status, 200);
      const section = page.body.slice(page.body.indexOf('data-group="Reducing anti-social behaviour"'));
      assert.match(
        section,
        /Lead's commentary[\s\S]*ASB1 Anti-social behaviour incidents<span[^>]*>Q4 2019\/20<\/span>[\s\S]*Colleague: wardens return in April\./,
      );
      assert.match(
        section,
        /Highlight report: March 2020[\s\S]*govuk-tag--green">Green<[\s\S]*Colleague edit\.[\s\S]*Approve funding for two more wardens\./,
      );
      const q3 = await viewer.get(`${base}/reports/quarterly?quarter=${encodeURIComponent('2019/20 Q3')}`);
      assert.ok(!q3.body.includes('Colleague: wardens return') && !q3.body.includes('Colleague edit.'), 'Q3 shows neither');
      assert.match(q3.body, /The priority group has written no highlight report for the months of this quarter/);

      const docx = await download(t, viewer, `${base}/reports/quarterly.docx?quarter=${q}`);
      assert.equal(docx.statusCode, 200);
      const paragraphs = docxParagraphs(docx.rawPayload);
      const texts = paragraphs.map((x) => x.text);
      for (const expected of [
        "Lead's commentary",
        'Commentary: ASB1 Anti-social behaviour incidents',
        'Colleague: wardens return in April.',
        'Highlight reports',
        'Highlight report: March 2020',
        'Progress: Colleague edit.',
        'Requests to the Board: Approve funding for two more wardens.',
        'Overall RAG: Green',
      ]) {
        assert.ok(texts.includes(expected), `"${expected}" in the DOCX`);
      }
      assert.equal(paragraphs.find((x) => x.text === 'Highlight report: March 2020')?.style, 'Heading3');

      const pdfRes = await download(t, viewer, `${base}/reports/quarterly.pdf?quarter=${q}`);
      assert.equal(pdfRes.statusCode, 200);
      const text = openPdf(pdfRes.rawPayload).text.replace(/\s+/g, ' ');
      for (const expected of [
        "Lead's commentary",
        'Colleague: wardens return in April.',
        'Highlight report: March 2020',
        'Colleague edit.',
        'Approve funding for two more wardens.',
      ]) {
        assert.ok(text.includes(expected), `"${expected}" in the PDF`);
      }

      const exceptions = await viewer.get(`${base}/reports/exceptions`);
      assert.match(
        exceptions.body,
        /ASB1 Anti-social behaviour incidents<\/a>[\s\S]*?data-commentary>Colleague: wardens return in April\.<span[^>]*>Q4 2019\/20: Test User \d+/,
      );
    });

    it('reads and writes both through the API, with the same checks, and documents them in OpenAPI', async () => {
      const path = `/api/v1/partnerships/${p.id}/indicators/${indicatorId}/commentary`;
      const bad = await api(t.app, leadToken, 'POST', path, { period: '2019/20', text: 'Wrong frequency' });
      assert.equal(bad.status, 400);
      assert.equal(bad.json<{ problems: { field: string }[] }>().problems[0]!.field, 'period');
      const written = await api(t.app, leadToken, 'POST', path, { period: '2019/20 Q3', text: 'Q3 by API', expectedUpdatedAt: '' });
      assert.equal(written.status, 200);
      const body = written.json<{ changed: boolean; commentary: { period: string; writtenAt: string } }>();
      assert.equal(body.changed, true);
      assert.equal(body.commentary.period, '2019-20 Q3');
      const stale = await api(t.app, leadToken, 'POST', path, { period: '2019-20 Q3', text: 'Overwrite', expectedUpdatedAt: '' });
      assert.equal(stale.status, 409);
      const list = (await api(t.app, viewerToken, 'GET', path)).json<{ period: string; text: string }[]>();
      assert.deepEqual(
        list.map((c) => [c.period, c.text]),
        [
          ['2019-20 Q4', 'Colleague: wardens return in April.'],
          ['2019-20 Q3', 'Q3 by API'],
        ],
      );
      const history = (await api(t.app, viewerToken, 'GET', `${path}?history=true&period=${encodeURIComponent('2019/20 Q4')}`)).json<
        { supersededAt: string | null }[]
      >();
      assert.equal(history.length, 2);
      assert.equal(history.filter((h) => h.supersededAt === null).length, 1);
      assert.equal((await api(t.app, viewerToken, 'POST', path, { period: '2019/20 Q3', text: 'Viewer' })).status, 403);

      const create = await api(t.app, leadToken, 'POST', `/api/v1/partnerships/${p.id}/priorities/${priorityId}/highlight-reports`, {
        month: '2020-02',
        progress: 'February by API',
        boardRequests: 'Note the figures.',
        rag: 'red',
      });
      assert.equal(create.status, 201);
      const report = create.json<{ id: number; month: string; rag: string; updatedAt: string; priorityTitle: string }>();
      assert.deepEqual([report.month, report.rag, report.priorityTitle], ['2020-02', 'red', 'Reducing anti-social behaviour']);
      const one = `/api/v1/partnerships/${p.id}/highlight-reports/${report.id}`;
      const changed = await api(t.app, leadToken, 'PUT', one, {
        month: '2020-02',
        progress: 'February, corrected',
        rag: null,
        expectedUpdatedAt: report.updatedAt,
      });
      assert.equal(changed.status, 200);
      assert.equal(changed.json<{ rag: string | null }>().rag, null);
      assert.equal(
        (await api(t.app, leadToken, 'PUT', one, { month: '2020-02', progress: 'Stale', expectedUpdatedAt: report.updatedAt })).status,
        409,
      );
      const range = (
        await api(
          t.app,
          viewerToken,
          'GET',
          `/api/v1/partnerships/${p.id}/highlight-reports?priorityId=${priorityId}&from=2020-01&to=2020-03`,
        )
      ).json<{ total: number; reports: { month: string }[] }>();
      assert.deepEqual(
        range.reports.map((r) => r.month),
        ['2020-03', '2020-02'],
      );
      assert.equal((await api(t.app, viewerToken, 'GET', `/api/v1/partnerships/${p.id}/highlight-reports?from=soon`)).status, 400);
      assert.equal(
        (
          await api(t.app, leadToken, 'POST', `/api/v1/partnerships/${p.id}/priorities/${otherPriorityId}/highlight-reports`, {
            month: '2020-02',
            progress: 'Across',
          })
        ).status,
        404,
      );

      const openapi = (await api(t.app, viewerToken, 'GET', '/api/v1/openapi.json')).json<{
        paths: Record<string, Record<string, { tags?: string[]; summary?: string }>>;
      }>();
      const expected = [
        'GET /api/v1/partnerships/{partnershipId}/indicators/{indicatorId}/commentary',
        'POST /api/v1/partnerships/{partnershipId}/indicators/{indicatorId}/commentary',
        'GET /api/v1/partnerships/{partnershipId}/highlight-reports',
        'POST /api/v1/partnerships/{partnershipId}/priorities/{priorityId}/highlight-reports',
        'GET /api/v1/partnerships/{partnershipId}/highlight-reports/{highlightReportId}',
        'PUT /api/v1/partnerships/{partnershipId}/highlight-reports/{highlightReportId}',
      ];
      // Every commentary and highlight report operation the app registers is in the list, so none goes undocumented.
      const registered = t.app.routeRecords
        .filter((r) => r.url.startsWith('/api/v1/') && /commentary|highlight-reports/.test(r.url))
        .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
      assert.deepEqual([...new Set(registered)].sort(), [...expected].sort());
      for (const op of expected) {
        const [method, path] = op.split(' ') as [string, string];
        const operation = openapi.paths[path]?.[method.toLowerCase()];
        assert.ok(operation?.summary, `${op} is in openapi.json with a summary`);
        assert.ok(
          operation.tags?.some((tag) => tag === 'Commentary' || tag === 'Highlight reports'),
          `${op} is tagged`,
        );
      }
    });
  });
}
