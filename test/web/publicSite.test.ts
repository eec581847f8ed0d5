/**
 * The public site (issue 13 item 5, decision 0021), signed out, on each engine:
 * - the demo data: the index of partnerships with a published plan, linked from the home page; Safer Rotherham's
 *   current 2016-19 plan and its 2010/11 plan in the archive, both reachable; "How we are doing" with periods named
 *   and no total across different measures; the accessibility statement;
 * - a partnership of the test's own: publishing asks for confirmation on a page showing what will become public; a
 *   public count indicator with a baseline of 3 and a figure of 3 shows neither "3" in any public output (the page,
 *   its table downloads, the public PDF and DOCX); the internal risk register, the funding and non-public
 *   indicators stay out of the public documents until the partnership chooses; contact details from the settings.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { Browser, makePartnership, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { docxParagraphs, openPdf } from '../support/documents.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { approveVersion, createPlan, withdrawApproval } from '../../src/services/plans/plans.ts';
import { createPart } from '../../src/services/plans/planParts.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { enterFigures } from '../../src/services/performance/figures.ts';
import { validPartInput } from '../support/plans.ts';

/** The table row of a page whose header cell is `title`. */
function rowOf(body: string, title: string): string {
  const rows = body.match(/<tr class="govuk-table__row"[^>]*>[\s\S]*?<\/tr>/g) ?? [];
  const row = rows.find((r) => r.includes(`>${title}</th>`));
  assert.ok(row, `a row for ${title}`);
  return row;
}

/** A "3" standing as a number of its own (not part of 2013, 3.5, 13 or a date like 3 March). */
const LONE_THREE_BEFORE_BASELINE = /(?<![\d.,])3\s*\(2017\/18\)/;

for (const engine of ENGINES) {
  describe(`the public site on ${engine}`, () => {
    let t: TestApp;
    const anonymous = () => new Browser(t.app);

    before(async () => {
      t = await startTestApp(engine);
      await seedDemo(t.k, { email: 'demo.admin@example.org', password: 'correct horse battery staple' });
    });
    after(() => t.close());

    it('links the index of published plans from the home page, and lists the demo partnerships', async () => {
      const home = await anonymous().get('/');
      assert.match(home.body, /href="\/public\/partnerships" id="public-index-link"/);
      const index = await anonymous().get('/public/partnerships');
      assert.equal(index.status, 200);
      assert.match(index.body, /href="\/public\/partnerships\/safer-rotherham-partnership">Safer Rotherham Partnership</);
      assert.match(index.body, /Current plan: Safer Rotherham Partnership Plan 2016-19/);
      assert.match(index.body, /1 earlier published plan in its archive/);
      assert.match(index.body, /Rochford Community Safety Partnership/);
    });

    it("reaches Rotherham's current 2016-19 plan and its 2010/11 plan in the archive, signed out", async () => {
      const current = await anonymous().get('/public/partnerships/safer-rotherham-partnership');
      assert.equal(current.status, 200);
      assert.match(current.body, /<h1[^>]*>Safer Rotherham Partnership Plan 2016-19: summary/);
      const m =
        /href="(\/public\/partnerships\/safer-rotherham-partnership\/plans\/(\d+))">Safer Rotherham Partnership Plan 2010\/11 refresh</.exec(
          current.body,
        );
      assert.ok(m, 'the 2010/11 plan is in the archive list');
      const archived = await anonymous().get(m[1]!);
      assert.equal(archived.status, 200);
      assert.match(archived.body, /<h1[^>]*>Safer Rotherham Partnership Plan 2010\/11 refresh: summary/);
      assert.match(archived.body, /id="archived-notice"/);
      assert.match(archived.body, /href="\/public\/partnerships\/safer-rotherham-partnership\/plans\/\d+\/plan\.pdf"/);
      const docx = await t.app.inject({ method: 'GET', url: `${m[1]}/plan.docx` });
      assert.equal(docx.statusCode, 200);
      assert.ok(
        docxParagraphs(docx.rawPayload).some((p) => p.text.includes('2010/11 refresh')),
        'the archived plan as DOCX',
      );
      assert.equal((await anonymous().get('/public/partnerships/safer-rotherham-partnership/plans/999999')).status, 404);

      // "How we are doing": periods named, the illustrative firearms count of 3 suppressed, nothing added up.
      assert.match(current.body, /How we are doing/);
      const firearms = rowOf(current.body, 'SRP D1 Firearms discharges (illustrative demo figures)');
      assert.match(firearms, /Q1 2020\/21/);
      assert.match(firearms, />&lt;5</);
      assert.doesNotMatch(firearms, /\b3\b/);
      assert.doesNotMatch(current.body, /Total of the counts|data-total-row/, 'ASB, violence and firearms are never added up');
      assert.match(current.body, /href="\/public\/accessibility"/);
      const statement = await anonymous().get('/public/accessibility');
      assert.equal(statement.status, 200);
      assert.match(statement.body, /Accessibility Regulations 2018/);
    });

    describe('publishing a plan of its own', () => {
      let p: { id: number; slug: string; name: string };
      let admin: Browser;
      let versionUrl: string;

      before(async () => {
        p = await makePartnership(t.k, 'Safer Smalltown Partnership');
        admin = new Browser(t.app);
        await admin.signIn((await memberOf(t.k, p.id, 'admin')).email);
        const { version } = await createPlan(t.k, SYSTEM_ACTOR, p.id, { title: 'Community Safety Plan', startYear: 2018, endYear: 2021 });
        const priority = await createPart(t.k, SYSTEM_ACTOR, p.id, 'priority', version.id, { title: 'Knife crime' });
        await createPart(t.k, SYSTEM_ACTOR, p.id, 'risk', priority.id, {
          ...validPartInput('risk'),
          risk: 'Staff shortage in the knife crime team',
        });
        await createPart(t.k, SYSTEM_ACTOR, p.id, 'stream', version.id, {
          ...validPartInput('stream'),
          name: 'Serious Violence Duty grant',
        });
        const knives = await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
          code: 'KC 1',
          title: 'Knife crime offences',
          unit: 'count',
          polarity: 'lower_is_better',
          frequency: 'quarterly',
          obaCategory: 'better_off',
          isPublic: 'yes',
          baselineValue: '3',
          baselinePeriod: '2017/18',
          priorityIds: [String(priority.id)],
        });
        const hidden = await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
          code: 'KC 2',
          title: 'Hidden operational count',
          unit: 'count',
          polarity: 'lower_is_better',
          frequency: 'quarterly',
          obaCategory: 'better_off',
          priorityIds: [String(priority.id)],
        });
        await enterFigures(t.k, SYSTEM_ACTOR, p.id, [
          { indicatorId: knives.id, period: '2018-19 Q2', value: 3 },
          { indicatorId: hidden.id, period: '2018-19 Q2', value: 40 },
        ]);
        await approveVersion(t.k, SYSTEM_ACTOR, p.id, version.id, {
          approvedBy: 'Smalltown Board',
          approvedOn: '2018-04-10',
          meeting: 'Board',
        });
        versionUrl = `/partnerships/${p.id}/plan-versions/${version.id}`;
      });

      it('keeps contact details in the settings, refusing a bad email by field and value', async () => {
        await admin.get(`/partnerships/${p.id}/settings`);
        const form = {
          name: p.name,
          areaDescription: '',
          populations: '',
          publicPartsShown: '1',
          contactPhone: '01709 336080',
          contactAddress: 'Town Hall\nSmalltown',
        };
        let res = await admin.post(`/partnerships/${p.id}/settings`, { ...form, contactEmail: 'not an email' });
        assert.equal(res.status, 400);
        assert.match(res.body, /href="#contactEmail">Enter an email address in the correct format/);
        res = await admin.post(`/partnerships/${p.id}/settings`, { ...form, contactEmail: 'community.safety@smalltown.example.org' });
        assert.equal(res.status, 303);
        const audit = await t.k
          .selectFrom('audit_events')
          .select('after_json')
          .where('entity_type', '=', 'partnership')
          .where('partnership_id', '=', p.id)
          .execute();
        assert.ok(
          audit.some((a) => (a.after_json ?? '').includes('community.safety@smalltown.example.org')),
          'audited',
        );
      });

      it('asks for confirmation on a page showing what will become public, with small counts suppressed', async () => {
        assert.equal((await anonymous().get(`/public/partnerships/${p.slug}`)).status, 404, 'nothing public yet');
        const version = await admin.get(versionUrl);
        assert.match(version.body, new RegExp(`<form method="get" action="${versionUrl}/publish"`));
        const confirm = await admin.get(`${versionUrl}/publish`);
        assert.equal(confirm.status, 200);
        assert.match(confirm.body, /What will become public/);
        assert.match(confirm.body, /<strong>not<\/strong> the risk registers/);
        assert.match(confirm.body, /<strong>not<\/strong> the funding/);
        assert.match(rowOf(confirm.body, 'KC 1 Knife crime offences'), />&lt;5</);
        assert.doesNotMatch(confirm.body, /Hidden operational count/);
        let res = await admin.post(`${versionUrl}/publish`, {});
        assert.equal(res.status, 400);
        assert.match(res.body, /Confirm that you want to make this plan public/);
        assert.equal((await anonymous().get(`/public/partnerships/${p.slug}`)).status, 404, 'still not public');
        res = await admin.post(`${versionUrl}/publish`, { confirm: 'yes' });
        assert.equal(res.status, 303);
      });

      it('shows no "3" of the baseline or the figure anywhere public, nor the internal parts, until chosen', async () => {
        const page = await anonymous().get(`/public/partnerships/${p.slug}`);
        assert.equal(page.status, 200);
        assert.match(page.body, /community\.safety@smalltown\.example\.org/);
        assert.match(page.body, /Town Hall, Smalltown/);
        const row = rowOf(page.body, 'KC 1 Knife crime offences');
        assert.match(row, /Q2 2018\/19/);
        assert.match(row, />&lt;5</);
        assert.doesNotMatch(row, /\b3\b/);
        const tableNo = /download=table-(\d+)\.csv/.exec(page.body)?.[1] ?? '1';
        const csv = (await t.app.inject({ method: 'GET', url: `/public/partnerships/${p.slug}?download=table-${tableNo}.csv` })).body;
        assert.match(csv, /<5/);
        const pdf = await t.app.inject({ method: 'GET', url: `/public/partnerships/${p.slug}/plan.pdf` });
        assert.equal(pdf.statusCode, 200);
        const pdfText = openPdf(pdf.rawPayload).text.replace(/\s+/g, ' ');
        const docx = await t.app.inject({ method: 'GET', url: `/public/partnerships/${p.slug}/plan.docx` });
        assert.equal(docx.statusCode, 200);
        const docxText = docxParagraphs(docx.rawPayload)
          .map((x) => x.text)
          .join('\n');
        for (const [name, text] of [
          ['page', page.body],
          ['CSV', csv],
          ['PDF', pdfText],
          ['DOCX', docxText],
        ] as const) {
          assert.doesNotMatch(text, LONE_THREE_BEFORE_BASELINE, `${name}: no baseline of 3`);
          assert.doesNotMatch(text, /Hidden operational count/, `${name}: no indicator not marked public`);
          assert.doesNotMatch(text, /Staff shortage in the knife crime team/, `${name}: no risk register`);
          assert.doesNotMatch(text, /Serious Violence Duty grant/, `${name}: no funding`);
        }
        assert.match(pdfText, /<5 \(2017\/18\)/, 'the PDF shows the baseline suppressed');
        assert.match(docxText, /<5 \(2017\/18\)/, 'the DOCX shows the baseline suppressed');
        assert.match(pdfText, /Knife crime offences/);

        // Chosen in the settings: kept with each version when it is published, so the plan already public stays as it
        // was; published again, the risk register (not the funding) joins its public document.
        await admin.get(`/partnerships/${p.id}/settings`);
        const res = await admin.post(`/partnerships/${p.id}/settings`, {
          name: p.name,
          publicPartsShown: '1',
          publicParts: 'risks',
        });
        assert.equal(res.status, 303);
        const publicDocx = async () =>
          docxParagraphs((await t.app.inject({ method: 'GET', url: `/public/partnerships/${p.slug}/plan.docx` })).rawPayload)
            .map((x) => x.text)
            .join('\n');
        assert.doesNotMatch(await publicDocx(), /Staff shortage in the knife crime team/, 'the published plan keeps its choice');
        const versionId = Number(versionUrl.split('/').pop());
        await withdrawApproval(t.k, SYSTEM_ACTOR, p.id, versionId, { reason: 'Publish again with the risk register' });
        await approveVersion(t.k, SYSTEM_ACTOR, p.id, versionId, {
          approvedBy: 'Smalltown Board',
          approvedOn: '2018-04-10',
          meeting: 'Board',
        });
        const confirm = await admin.get(`${versionUrl}/publish`);
        assert.match(confirm.body, /id="public-risks">the risk register of each priority/);
        assert.match(confirm.body, /id="public-parts-kept">/);
        assert.equal((await admin.post(`${versionUrl}/publish`, { confirm: 'yes' })).status, 303);
        const api = await t.k
          .selectFrom('plan_versions')
          .select(['public_risks', 'public_funding'])
          .where('id', '=', versionId)
          .executeTakeFirstOrThrow();
        assert.deepEqual(api, { public_risks: 1, public_funding: 0 });
        const chosen = await publicDocx();
        assert.match(chosen, /Staff shortage in the knife crime team/);
        assert.doesNotMatch(chosen, /Serious Violence Duty grant/);
        assert.doesNotMatch(chosen, LONE_THREE_BEFORE_BASELINE);
      });
    });
  });
}
