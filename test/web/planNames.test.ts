/**
 * A plan whose title already carries its years ("Plan 2025-28", first version labelled "2025-28", the case issue 13
 * found as "Plan 2027-30 2027-30") is named once on every page and in every document that names it: the plans list,
 * the version, priority, governance, funding, approval and publishing pages, the priority picker, the public index
 * and summary, the plan DOCX (title page and running header), the Board pack and the exception report. On each engine.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { Browser, makePartnership, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { docxParagraphs, unzipEntry } from '../support/documents.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { approveVersion, createPlan, publishVersion } from '../../src/services/plans/plans.ts';
import { createPart } from '../../src/services/plans/planParts.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { planName, versionName } from '../../src/domain/planNames.ts';

/** The name said twice, however the years are joined: "2025-28 2025-28", "2025-28, 2025/28". */
const REPEATED = /2025[-/]28,? 2025[-/]28/;

/** The text of the page's first `<h1>` and of its caption, tags removed. */
function headingOf(body: string): string {
  const caption = /<span class="govuk-caption-[lmx]+">([\s\S]*?)<\/span>/.exec(body)?.[1] ?? '';
  const h1 = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(body)?.[1] ?? '';
  return `${caption} ${h1}`.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

const once = (text: string, what: string) => {
  assert.equal(text.split('Plan 2025-28').length - 1, 1, `${what} names the plan once: ${text}`);
  assert.doesNotMatch(text, REPEATED, what);
};

describe('plan names', () => {
  it('says the title, years and label once each', () => {
    assert.equal(versionName('Plan 2027-30', '2027-30'), 'Plan 2027-30');
    assert.equal(versionName('Plan 2027/30', '2027-30'), 'Plan 2027/30');
    assert.equal(versionName('Partnership Plan', '2017/18 refresh'), 'Partnership Plan 2017/18 refresh');
    assert.equal(planName('Plan 2027-30', '2027-30', ''), 'Plan 2027-30');
    assert.equal(planName('Plan', '2027-30', ''), 'Plan 2027-30');
  });
});

for (const engine of ENGINES) {
  describe(`plan names on pages and documents on ${engine}`, () => {
    let t: TestApp;
    let admin: Browser;
    let base: string;
    let versionUrl: string;
    let documentUrl: string;
    let priorityId: number;
    let slug: string;
    const get = (url: string) =>
      t.app.inject({ method: 'GET', url, headers: { cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });

    before(async () => {
      t = await startTestApp(engine);
      const p = await makePartnership(t.k, 'Safer Namesake Partnership');
      slug = p.slug;
      base = `/partnerships/${p.id}`;
      admin = new Browser(t.app);
      await admin.signIn((await memberOf(t.k, p.id, 'admin')).email);
      const { plan, version } = await createPlan(t.k, SYSTEM_ACTOR, p.id, { title: 'Plan 2025-28', startYear: 2025, endYear: 2028 });
      documentUrl = `${base}/plans/${plan.id}/versions/${version.id}/document.docx`;
      assert.equal(version.label, '2025-28', 'the first version is labelled with the years');
      versionUrl = `${base}/plan-versions/${version.id}`;
      const priority = await createPart(t.k, SYSTEM_ACTOR, p.id, 'priority', version.id, { title: 'Burglary' });
      priorityId = priority.id;
      await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
        code: 'B1',
        title: 'Burglary offences',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'quarterly',
        obaCategory: 'better_off',
        isPublic: 'yes',
        priorityIds: [String(priority.id)],
      });
    });
    after(() => t.close());

    it('names the plan once on the partnership pages', async () => {
      const list = await admin.get(`${base}/plans`);
      assert.equal(list.status, 200);
      once(/<h2 class="govuk-heading-m">([^<]*)<\/h2>/.exec(list.body)?.[1] ?? '', 'the plans list');
      for (const [url, what] of [
        [versionUrl, 'the version page'],
        [`${base}/priorities/${priorityId}`, 'the priority page'],
        [`${versionUrl}/governance`, 'the governance page'],
        [`${versionUrl}/funding`, 'the funding page'],
        [`${versionUrl}/approve`, 'the approval page'],
      ] as const) {
        const page = await admin.get(url);
        assert.equal(page.status, 200, `${what}: ${url}`);
        once(headingOf(page.body), what);
        assert.doesNotMatch(page.body, REPEATED, `${what} nowhere repeats the name`);
      }
      const indicatorForm = await admin.get(`${base}/indicators/new`);
      assert.match(indicatorForm.body, /Burglary \(Plan 2025-28\)/, 'the priority picker names the plan once');
    });

    it('names the plan once in the plan, the Board pack and the exception report', async () => {
      await approveVersion(t.k, SYSTEM_ACTOR, Number(base.split('/')[2]), Number(versionUrl.split('/').pop()), {
        approvedBy: 'Namesake Board',
        approvedOn: '2025-04-10',
        meeting: 'Board',
      });
      const plan = await get(documentUrl);
      assert.equal(plan.statusCode, 200, plan.body.slice(0, 300));
      const paragraphs = docxParagraphs(plan.rawPayload);
      once(paragraphs.find((x) => x.style === 'Title')?.text ?? '', 'the plan title page');
      assert.ok(!paragraphs.some((x) => REPEATED.test(x.text)), 'no paragraph of the plan repeats the name');
      once(unzipEntry(plan.rawPayload, 'word/header1.xml').toString('utf8'), 'the running header');

      const pack = await get(`${base}/reports/quarterly.docx?quarter=${encodeURIComponent('2025/26 Q2')}`);
      assert.equal(pack.statusCode, 200, pack.body.slice(0, 300));
      const packText = docxParagraphs(pack.rawPayload).map((x) => x.text);
      once(packText.find((x) => x.includes('The priorities are those of')) ?? '', 'the Board pack');
      assert.ok(!packText.some((x) => REPEATED.test(x)), 'no paragraph of the pack repeats the name');

      const exceptions = await get(`${base}/reports/exceptions.docx`);
      assert.equal(exceptions.statusCode, 200, exceptions.body.slice(0, 300));
      const exceptionText = docxParagraphs(exceptions.rawPayload).map((x) => x.text);
      once(exceptionText.find((x) => x.startsWith('From the')) ?? '', 'the exception report');
      assert.ok(!exceptionText.some((x) => REPEATED.test(x)), 'no paragraph of the exception report repeats the name');
    });

    it('names the plan once on the publishing page and the public site', async () => {
      const confirm = await admin.get(`${versionUrl}/publish`);
      assert.equal(confirm.status, 200);
      assert.doesNotMatch(confirm.body, REPEATED);
      await publishVersion(t.k, SYSTEM_ACTOR, Number(base.split('/')[2]), Number(versionUrl.split('/').pop()));
      const index = await new Browser(t.app).get('/public/partnerships');
      once(/Current plan: ([^<,]*)/.exec(index.body)?.[1] ?? '', 'the public index');
      const summary = await new Browser(t.app).get(`/public/partnerships/${slug}`);
      assert.equal(summary.status, 200);
      once(headingOf(summary.body), 'the public summary');
      once(/<title>([^<]*)<\/title>/.exec(summary.body)?.[1] ?? '', "the public summary's title");
      assert.doesNotMatch(summary.body, REPEATED);
    });
  });
}
