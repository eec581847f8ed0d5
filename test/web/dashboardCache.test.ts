/**
 * The performance dashboard's cached table (src/services/platform/snapshotCache.ts, keyed on the partnership's data
 * version) on each engine: a figure entered by another app instance (a separate process on the same database)
 * shows on the very next request; the cached table is the same for every role while the links around it follow
 * the viewer's role; outsiders still get 404 with the cache warm.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { Browser, makePartnership, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { runInOtherInstance } from '../support/otherInstance.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { dataVersion } from '../../src/services/platform/snapshotCache.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';

function row(body: string, indicatorId: number): string {
  // A row of the table, or the item of the list of indicators with no figures yet.
  const m = new RegExp(`<(tr|li) data-indicator="${indicatorId}">([\\s\\S]*?)</\\1>`).exec(body);
  assert.ok(m, `row of indicator ${indicatorId}`);
  return m[2]!;
}

const table = (body: string) => /<table class="govuk-table app-performance-table">[\s\S]*?<\/table>/.exec(body)?.[0];
const counts = (body: string) => /id="rag-counts">([^<]*)</.exec(body)?.[1];

for (const engine of ENGINES) {
  describe(`dashboard cache on ${engine}`, () => {
    let t: TestApp;
    let p: { id: number };
    let indicatorId: number;
    let viewer: Browser;
    let editor: Browser;
    let editorId: number;

    before(async () => {
      t = await startTestApp(engine);
      p = await makePartnership(t.k, 'Cache Partnership');
      const ind = await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
        code: 'C1',
        title: 'Repeat victims of domestic abuse',
        unit: 'percentage',
        polarity: 'lower_is_better',
        frequency: 'quarterly',
        obaCategory: 'better_off',
        baselineValue: '60',
        baselinePeriod: '2018/19',
        targetKind: 'absolute',
        targetValue: '50',
        targetComparison: 'at_most',
      });
      indicatorId = ind.id;
      viewer = new Browser(t.app);
      await viewer.signIn((await memberOf(t.k, p.id, 'viewer')).email);
      const e = await memberOf(t.k, p.id, 'editor');
      editorId = e.id;
      editor = new Browser(t.app);
      await editor.signIn(e.email);
    });
    after(() => t.close());

    it('shows a figure entered on another instance on the next request', async () => {
      const url = `/partnerships/${p.id}/performance`;
      let res = await viewer.get(url);
      assert.equal(res.status, 200);
      assert.match(
        res.body,
        new RegExp(`id="no-figures-yet">No figures yet[^<]*</h2>\\s*<ul[^>]*>\\s*<li data-indicator="${indicatorId}">`),
      );
      assert.match(row(res.body, indicatorId), /<a href="indicators\/\d+">/);
      assert.equal(counts(res.body), '0 red, 0 amber, 0 green.');
      assert.equal((await viewer.get(url)).body.includes('No figures'), true, 'served again (now from the cache)');
      const before = await dataVersion(t.k, p.id);

      const actor = { userId: editorId, label: 'editor on the other instance' };
      await runInOtherInstance(t.db.openOptions, {
        partnershipId: p.id,
        actor,
        figures: [{ indicatorId, period: '2019/20 Q1', value: '70' }],
      });
      assert.ok((await dataVersion(t.k, p.id)) > before, 'the other instance raised the data version');
      res = await viewer.get(url);
      assert.match(row(res.body, indicatorId), /70%/);
      assert.match(row(res.body, indicatorId), /Red/);
      assert.equal(counts(res.body), '1 red, 0 amber, 0 green.');

      // A revision on the other instance: the next request has it too.
      await runInOtherInstance(t.db.openOptions, {
        partnershipId: p.id,
        actor,
        figures: [{ indicatorId, period: '2019/20 Q1', value: '40' }],
      });
      res = await viewer.get(url);
      assert.match(row(res.body, indicatorId), /40%/);
      assert.doesNotMatch(row(res.body, indicatorId), /70%/);
      assert.equal(counts(res.body), '0 red, 0 amber, 1 green.');
    });

    it('shares the table between roles but not the links and forms the role decides', async () => {
      const url = `/partnerships/${p.id}/performance`;
      const asViewer = await viewer.get(url);
      const asEditor = await editor.get(url);
      assert.ok(table(asViewer.body));
      assert.equal(table(asEditor.body), table(asViewer.body));
      assert.match(asEditor.body, new RegExp(`href="/partnerships/${p.id}/figures">Enter figures`));
      assert.doesNotMatch(asViewer.body, /Enter figures/);
      assert.match(asEditor.body, new RegExp(`href="/partnerships/${p.id}/performance/settings">Performance settings`));
      assert.doesNotMatch(asViewer.body, /Performance settings/);
      assert.equal((await viewer.get(`${url}/settings`)).status, 403);
    });

    it('still answers 404 to outsiders and sends them to sign in when signed out, with the cache warm', async () => {
      const other = await makePartnership(t.k, 'Other Partnership');
      const outsider = new Browser(t.app);
      await outsider.signIn((await memberOf(t.k, other.id, 'admin')).email);
      assert.equal((await outsider.get(`/partnerships/${p.id}/performance`)).status, 404);
      const anonymous = await new Browser(t.app).get(`/partnerships/${p.id}/performance`);
      assert.equal(anonymous.status, 303);
      assert.match(anonymous.location ?? '', /^\/sign-in/);
    });
  });
}
