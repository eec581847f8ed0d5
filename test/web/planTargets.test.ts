/**
 * Targets in the plan comparison and the withdrawal of an approval, through the real app on each engine, with
 * Rochford's figures: its 2009/10 priorities aimed for 5% reductions (domestic burglary from 170, anti-social
 * behaviour from 2,167 incidents); its 2010/11 review aimed for 10% less anti-social behaviour (from 2,080) and 5%
 * less robbery, and no longer had a domestic burglary priority. The robbery baseline is made up for the test.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { api, Browser, makePartnership, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { createPlan, getVersion, loadPlanDocument } from '../../src/services/plans/plans.ts';
import { createPart } from '../../src/services/plans/planParts.ts';
import { createIndicator, getIndicator, inputFromIndicator } from '../../src/services/performance/indicators.ts';

const rochford = {
  unit: 'count',
  polarity: 'lower_is_better',
  frequency: 'annual',
  obaCategory: 'better_off',
  baselinePeriod: '2008/09',
  targetKind: 'percentage_change',
  targetDirection: 'reduce',
  targetValue: '5',
  targetBy: '2009/10',
};

/** The rows of the targets tables on the comparison page, as "indicator | period | change | before | after" text. */
function targetRows(html: string): string[] {
  return [...html.matchAll(/<tr class="govuk-table__row" data-target-change="[a-z]+">([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)]
      .map((c) =>
        c[1]!
          .replace(/<br>/g, ' / ')
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim(),
      )
      .join(' | '),
  );
}

for (const engine of ENGINES) {
  describe(`plan targets and approval withdrawal in the app on ${engine}`, () => {
    let t: TestApp;
    let p: { id: number; name: string; slug: string };
    let admin: Browser;
    let editor: Browser;
    let contributor: Browser;
    let viewer: Browser;
    let firstId: number;
    let reviewId: number;

    before(async () => {
      t = await startTestApp(engine);
      p = await makePartnership(t.k, 'Rochford Community Safety Partnership');
      admin = new Browser(t.app);
      editor = new Browser(t.app);
      contributor = new Browser(t.app);
      viewer = new Browser(t.app);
      await admin.signIn((await memberOf(t.k, p.id, 'admin')).email);
      await editor.signIn((await memberOf(t.k, p.id, 'editor')).email);
      await contributor.signIn((await memberOf(t.k, p.id, 'contributor')).email);
      await viewer.signIn((await memberOf(t.k, p.id, 'viewer')).email);
      const { version } = await createPlan(t.k, SYSTEM_ACTOR, p.id, {
        title: 'Rochford Community Safety Partnership Plan',
        startYear: 2008,
        endYear: 2011,
        label: '2009/10',
        year: 2009,
      });
      firstId = version.id;
      const burglary = await createPart(t.k, SYSTEM_ACTOR, p.id, 'priority', version.id, { title: 'Reduce domestic burglary' });
      const asb = await createPart(t.k, SYSTEM_ACTOR, p.id, 'priority', version.id, { title: 'Reduce anti-social behaviour' });
      await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
        ...rochford,
        code: 'RCH 1',
        title: 'Domestic burglary',
        baselineValue: '170',
        priorityIds: [burglary.id],
      });
      await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
        ...rochford,
        code: 'RCH 2',
        title: 'Anti-social behaviour incidents',
        baselineValue: '2167',
        priorityIds: [asb.id],
      });
    });
    after(() => t.close());

    it('approves and publishes the 2009/10 plan, and starts the 2010/11 review from it', async () => {
      const v = `/partnerships/${p.id}/plan-versions/${firstId}`;
      assert.match((await admin.get(`${v}/approve`)).body, /the targets of the indicators measuring its priorities are recorded with it/);
      assert.equal(
        (
          await admin.post(`${v}/approve`, {
            approvedBy: 'Steering Group',
            approvedOn: '2009-04-01',
            meeting: 'Steering Group, April 2009',
          })
        ).status,
        303,
      );
      assert.equal((await admin.post(`${v}/publish`, { confirm: 'yes' })).status, 303);
      const res = await editor.post(`${v}/refresh`, { label: '2010/11 review', year: '2010' });
      assert.equal(res.status, 303);
      reviewId = Number(/plan-versions\/(\d+)$/.exec(res.location ?? '')![1]);
    });

    it('shows in the comparison which targets were added, removed and changed, by priority', async () => {
      const review = await loadPlanDocument(t.k, p.id, reviewId);
      const burglary = review.priorities.find((x) => x.title === 'Reduce domestic burglary')!;
      assert.equal((await editor.post(`/partnerships/${p.id}/priorities/${burglary.id}/delete`)).status, 303);
      let res = await editor.post(`/partnerships/${p.id}/plan-versions/${reviewId}/priorities/new`, {
        title: 'Reduce Robbery by 5% during 2010/2011',
      });
      assert.equal(res.status, 303);
      const robbery = (await loadPlanDocument(t.k, p.id, reviewId)).priorities.find((x) => x.title.startsWith('Reduce Robbery'))!;
      res = await editor.post(`/partnerships/${p.id}/indicators/new`, {
        ...rochford,
        code: 'RCH 7',
        title: 'Robbery',
        baselineValue: '40',
        baselinePeriod: '2009/10',
        targetBy: '2010/11',
        priorityIds: String(robbery.id),
      });
      assert.equal(res.status, 303, res.body.slice(0, 300));
      // The anti-social behaviour target for 2010/11: 10% below 2009/10's 2,080 incidents, through the indicator form.
      const rch2 = (
        await t.k
          .selectFrom('indicators')
          .select('id')
          .where('partnership_id', '=', p.id)
          .where('code', '=', 'RCH 2')
          .executeTakeFirstOrThrow()
      ).id;
      const form = inputFromIndicator(await getIndicator(t.k, p.id, rch2));
      res = await editor.post(`/partnerships/${p.id}/indicators/${rch2}/edit`, {
        ...form,
        baselineValue: '2080',
        baselinePeriod: '2009/10',
        targetValue: '10',
        targetBy: '2010/11',
      });
      assert.equal(res.status, 303, res.body.slice(0, 300));

      const page = await viewer.get(`/partnerships/${p.id}/plan-versions/${reviewId}/compare`);
      assert.equal(page.status, 200);
      assert.match(page.body, /2009\/10: the targets recorded when it was approved/);
      assert.match(page.body, /2010\/11 review: the targets held now \(it is a draft\)/);
      assert.match(page.body, /1 added, 1 removed, 1 changed and 0 unchanged/);
      assert.deepEqual(targetRows(page.body), [
        'RCH 2 Anti-social behaviour incidents | 2010/11 | Target changed | Reduce by 5% by 2009/10 / Change by a percentage of the baseline | Reduce by 10% by 2010/11 / Change by a percentage of the baseline Value 5 → 10; Period 2009/10 → 2010/11',
        'RCH 7 Robbery | 2010/11 | Target added | None | Reduce by 5% by 2010/11 / Change by a percentage of the baseline',
        'RCH 1 Domestic burglary | 2009/10 | Target removed | Reduce by 5% by 2009/10 / Change by a percentage of the baseline | None',
      ]);
      assert.match(
        page.body,
        /<caption class="govuk-table__caption govuk-table__caption--s">Targets: Reduce anti-social behaviour<\/caption>/,
      );
      assert.match(page.body, /<caption class="govuk-table__caption govuk-table__caption--s">Targets: Reduce domestic burglary<\/caption>/);

      // The same over the API.
      const token = (await createToken(t.k, await memberOf(t.k, p.id, 'viewer'), 'compare')).token;
      const apiRes = await api(t.app, token, 'GET', `/api/v1/partnerships/${p.id}/plan-versions/${reviewId}/compare`);
      assert.equal(apiRes.status, 200);
      const json = apiRes.json<{
        targets: {
          counts: Record<string, number>;
          from: { source: string };
          priorities: {
            priority: string;
            indicators: {
              indicator: string;
              changes: { kind: string; before: { text: string } | null; after: { text: string } | null }[];
            }[];
          }[];
        };
      }>();
      assert.deepEqual(json.targets.counts, { added: 1, removed: 1, changed: 1, unchanged: 0 });
      assert.equal(json.targets.from.source, 'recorded');
      assert.equal(json.targets.priorities[0]!.indicators[0]!.changes[0]!.after!.text, 'Reduce by 10% by 2010/11');
    });

    it('lets editors and administrators withdraw an approval with a reason; the public summary falls back', async () => {
      // Approve and publish the review: it becomes the public summary.
      const r = `/partnerships/${p.id}/plan-versions/${reviewId}`;
      assert.equal(
        (
          await admin.post(`${r}/approve`, {
            approvedBy: 'Steering Group',
            approvedOn: '2010-04-01',
            meeting: 'Steering Group, April 2010',
          })
        ).status,
        303,
      );
      assert.equal((await admin.post(`${r}/publish`, { confirm: 'yes' })).status, 303);
      const anonymous = new Browser(t.app);
      assert.match((await anonymous.get(`/public/partnerships/${p.slug}`)).body, /2010\/11 review/);

      assert.match((await editor.get(r)).body, /href="[^"]*\/withdraw">Withdraw approval<\/a>/);
      assert.doesNotMatch((await viewer.get(r)).body, /Withdraw approval/);
      assert.equal((await viewer.get(`${r}/withdraw`)).status, 403);
      assert.equal((await contributor.post(`${r}/withdraw`, { reason: 'No' })).status, 403);
      const form = await editor.get(`${r}/withdraw`);
      assert.match(form.body, /The public summary will stop showing this version/);
      const stale = /name="expectedUpdatedAt" value="([^"]+)"/.exec(form.body)![1]!;

      let res = await editor.post(`${r}/withdraw`, { reason: '', expectedUpdatedAt: stale });
      assert.equal(res.status, 400);
      assert.match(res.body, /govuk-error-summary[\s\S]*href="#reason"[^>]*>Enter why the approval is being withdrawn/);
      assert.equal((await getVersion(t.k, p.id, reviewId)).status, 'published', 'nothing changed');
      res = await editor.post(`${r}/withdraw`, {
        reason: 'Robbery target set before the strategic assessment was finished',
        expectedUpdatedAt: '2001-01-01T00:00:00.000Z',
      });
      assert.equal(res.status, 409);
      assert.match(res.body, /changed by someone else/);

      res = await editor.post(`${r}/withdraw`, {
        reason: 'Robbery target set before the strategic assessment was finished',
        expectedUpdatedAt: stale,
      });
      assert.equal(res.status, 303);
      const page = await editor.get(r);
      assert.match(page.body, /The approval of 2010\/11 review has been withdrawn\. It is a draft again\./);
      assert.match(
        page.body,
        /<div class="govuk-inset-text" id="withdrawal">Approval withdrawn on \d{1,2} \w+ \d{4}: Robbery target set before the strategic assessment was finished<\/div>/,
      );
      assert.match(page.body, /Not yet approved/);
      assert.match(page.body, /Add a priority/, 'a draft again, it can be edited');
      const pub = await anonymous.get(`/public/partnerships/${p.slug}`);
      assert.match(pub.body, /Rochford Community Safety Partnership Plan 2009\/10/, 'the previous published version');
      assert.doesNotMatch(pub.body, /2010\/11 review/);
      const audit = await admin.get(`/partnerships/${p.id}/audit`);
      assert.match(
        audit.body,
        /Withdrew the approval of 2010\/11 review \(it was published\) and returned it to draft: Robbery target set before the strategic assessment was finished/,
      );

      // The withdrawal form of a draft says there is nothing to withdraw; the API refuses it with 409.
      assert.match((await editor.get(`${r}/withdraw`)).body, /is a draft: there is no approval to withdraw/);
      const token = (await createToken(t.k, await memberOf(t.k, p.id, 'editor'), 'withdraw')).token;
      assert.equal(
        (await api(t.app, token, 'POST', `/api/v1/partnerships/${p.id}/plan-versions/${reviewId}/withdraw`, { reason: 'Again' })).status,
        409,
      );
      assert.equal(
        (await api(t.app, token, 'POST', `/api/v1/partnerships/${p.id}/plan-versions/${firstId}/withdraw`, {})).status,
        400,
        'a reason is required',
      );
      const apiRes = await api(t.app, token, 'POST', `/api/v1/partnerships/${p.id}/plan-versions/${firstId}/withdraw`, {
        reason: 'Superseded by the review',
      });
      assert.equal(apiRes.status, 200);
      const withdrawn = apiRes.json<{ status: string; withdrawalReason: string; approvedBy: string | null }>();
      assert.deepEqual([withdrawn.status, withdrawn.withdrawalReason, withdrawn.approvedBy], ['draft', 'Superseded by the review', null]);
      assert.equal((await anonymous.get(`/public/partnerships/${p.slug}`)).status, 404, 'nothing published any more');
    });
  });
}
