/**
 * Retiring an indicator through the pages and the API (issue 13 item 4), on each engine: the form names field and
 * value on a refusal, a retired indicator says so on its page and leaves the dashboard and the entry grid for later
 * years, viewers may not retire, the API retires and reinstates with the same checks, and the indicator form's
 * priority picker names each priority's plan and version.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { api, Browser, makePartnership, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { createPlan } from '../../src/services/plans/plans.ts';
import { createPart } from '../../src/services/plans/planParts.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { enterFigures } from '../../src/services/performance/figures.ts';

for (const engine of ENGINES) {
  describe(`retiring an indicator through the pages and the API on ${engine}`, () => {
    let t: TestApp;
    let p: { id: number };
    let editor: Browser;
    let viewer: Browser;
    let indicatorId: number;
    const url = () => `/partnerships/${p.id}/indicators/${indicatorId}`;

    before(async () => {
      t = await startTestApp(engine);
      p = await makePartnership(t.k, 'Rochford Community Safety Partnership');
      editor = new Browser(t.app);
      viewer = new Browser(t.app);
      await editor.signIn((await memberOf(t.k, p.id, 'editor')).email);
      await viewer.signIn((await memberOf(t.k, p.id, 'viewer')).email);
      const { version } = await createPlan(t.k, SYSTEM_ACTOR, p.id, {
        title: 'Rochford Community Safety Partnership Plan',
        startYear: 2010,
        endYear: 2011,
        label: '2010/11 review',
      });
      await createPart(t.k, SYSTEM_ACTOR, p.id, 'priority', version.id, { title: 'Reduce Robbery by 5% during 2010/2011' });
      indicatorId = (
        await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
          code: 'RCH 4',
          title: 'Theft from motor vehicle',
          unit: 'count',
          polarity: 'lower_is_better',
          frequency: 'annual',
          obaCategory: 'better_off',
        })
      ).id;
      await enterFigures(t.k, SYSTEM_ACTOR, p.id, [{ indicatorId, period: '2009/10', value: 264 }]);
    });
    after(() => t.close());

    it('names the plan and version of each priority in the indicator form', async () => {
      const form = await editor.get(`/partnerships/${p.id}/indicators/new`);
      assert.match(form.body, /Reduce Robbery by 5% during 2010\/2011 \(Rochford Community Safety Partnership Plan 2010\/11 review\)/);
    });

    it('refuses a bad period by field and value, and viewers may not retire', async () => {
      assert.equal((await viewer.get(`${url()}/retire`)).status, 403);
      const page = await editor.get(`${url()}/retire`);
      assert.equal(page.status, 200);
      assert.match(page.body, /Last period it is reported for/);
      const res = await editor.post(`${url()}/retire`, { endPeriod: '2009-10 Q4', reason: '' });
      assert.equal(res.status, 400);
      assert.match(res.body, /href="#endPeriod">Enter a annual period, like 2009\/10 \(got &quot;2009-10 Q4&quot;\)/);
      assert.match(res.body, /href="#reason">Enter why the indicator is being retired/);
    });

    it('retires it after 2009/10: its page says so, the dashboard and the 2010/11 entry grid leave it out', async () => {
      assert.match((await editor.get(`/partnerships/${p.id}/figures?year=2010/11`)).body, /RCH 4 Theft from motor vehicle/);
      const res = await editor.post(`${url()}/retire`, { endPeriod: '2009/10', reason: 'Counted within vehicle crime from 2010' });
      assert.equal(res.status, 303);
      const page = await editor.get(url());
      assert.match(page.body, /id="retired">Retired after 2009\/10: Counted within vehicle crime from 2010/);
      assert.doesNotMatch((await editor.get(`/partnerships/${p.id}/performance`)).body, /Theft from motor vehicle/);
      assert.doesNotMatch((await editor.get(`/partnerships/${p.id}/figures?year=2010/11`)).body, /RCH 4 Theft from motor vehicle/);
      assert.match(
        (await editor.get(`/partnerships/${p.id}/figures?year=2009/10`)).body,
        /RCH 4 Theft from motor vehicle/,
        'its own year keeps it',
      );
    });

    it('reinstates and retires again over the API, with the same checks', async () => {
      const token = (await createToken(t.k, await memberOf(t.k, p.id, 'editor'), 'retire')).token;
      const viewerToken = (await createToken(t.k, await memberOf(t.k, p.id, 'viewer'), 'read')).token;
      const path = `/api/v1/partnerships/${p.id}/indicators/${indicatorId}/retirement`;
      let res = await api(t.app, token, 'DELETE', path);
      assert.equal(res.status, 200);
      assert.equal(res.json<{ retiredAfter: string | null }>().retiredAfter, null);
      res = await api(t.app, viewerToken, 'PUT', path, { endPeriod: '2009/10', reason: 'x' });
      assert.equal(res.status, 403);
      res = await api(t.app, token, 'PUT', path, { endPeriod: '2009-04', reason: 'Replaced' });
      assert.equal(res.status, 400);
      assert.match(res.body, /endPeriod/);
      res = await api(t.app, token, 'PUT', path, { endPeriod: '2009/10', reason: 'Replaced' });
      assert.equal(res.status, 200);
      assert.equal(res.json<{ retiredAfter: string }>().retiredAfter, '2009/10');
      const openapi = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, unknown> }>();
      assert.ok(openapi.paths['/api/v1/partnerships/{partnershipId}/indicators/{indicatorId}/retirement'], 'in the OpenAPI document');
    });

    it('marks retired indicators and what replaces them in the list, filters them, and carries it all in the API', async () => {
      // Rochford's 2010/11 table counts vehicle crime as one line: the replacement of the retired theft-from count.
      const vehicle = await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
        code: 'RCH 5',
        title: 'Vehicle crime',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'annual',
        obaCategory: 'better_off',
      });
      const other = await makePartnership(t.k, 'Another Partnership');
      const outsider = await createIndicator(t.k, SYSTEM_ACTOR, other.id, {
        title: 'Not theirs',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'annual',
        obaCategory: 'better_off',
      });
      const form = await editor.get(`${url()}/retire`);
      assert.match(form.body, new RegExp(`<option value="${vehicle.id}">RCH 5 Vehicle crime</option>`), 'live indicators offered');
      let res = await editor.post(`${url()}/retire`, {
        endPeriod: '2009/10',
        reason: 'Counted within vehicle crime',
        supersededBy: String(outsider.id),
        expectedUpdatedAt: /name="expectedUpdatedAt" value="([^"]+)"/.exec(form.body)![1]!,
      });
      assert.equal(res.status, 400, "another partnership's indicator is refused");
      assert.match(
        res.body,
        new RegExp(
          `href="#supersededBy">Choose the indicator that replaces it from the partnership&#39;s indicators \\(got &quot;${outsider.id}&quot;\\)`,
        ),
      );
      res = await editor.post(`${url()}/retire`, {
        endPeriod: '2009/10',
        reason: 'Counted within vehicle crime',
        supersededBy: String(indicatorId),
      });
      assert.match(res.body, /An indicator cannot replace itself/);
      res = await editor.post(`${url()}/retire`, {
        endPeriod: '2009/10',
        reason: 'Counted within vehicle crime',
        supersededBy: String(vehicle.id),
      });
      assert.equal(res.status, 303, res.body.slice(0, 300));

      const rowOf = (body: string, id: number) =>
        new RegExp(`<tr class="govuk-table__row" data-indicator="${id}">([\\s\\S]*?)</tr>`).exec(body)?.[1] ?? '';
      const all = await viewer.get(`/partnerships/${p.id}/indicators`);
      assert.match(all.body, /<strong aria-current="page">All \(2\)<\/strong>/);
      assert.match(all.body, /Live \(1\)<\/a>/);
      assert.match(all.body, /Retired \(1\)<\/a>/);
      const retired = rowOf(all.body, indicatorId);
      assert.match(retired, /govuk-tag--grey">Retired</);
      assert.match(retired, /Retired after 2009\/10: Counted within vehicle crime/);
      assert.match(
        retired,
        new RegExp(`Replaced by <a class="govuk-link" href="/partnerships/${p.id}/indicators/${vehicle.id}">RCH 5 Vehicle crime</a>`),
      );
      assert.match(rowOf(all.body, vehicle.id), /govuk-tag--green">Live</);
      assert.match(rowOf(all.body, vehicle.id), /Replaces <a [^>]*>RCH 4 Theft from motor vehicle</);
      const live = await viewer.get(`/partnerships/${p.id}/indicators?status=live`);
      assert.ok(rowOf(live.body, vehicle.id) && !rowOf(live.body, indicatorId), 'the live filter leaves the retired one out');
      const onlyRetired = await viewer.get(`/partnerships/${p.id}/indicators?status=retired`);
      assert.ok(rowOf(onlyRetired.body, indicatorId) && !rowOf(onlyRetired.body, vehicle.id), 'the retired filter keeps only it');

      const token = (await createToken(t.k, await memberOf(t.k, p.id, 'viewer'), 'list')).token;
      const list = (await api(t.app, token, 'GET', `/api/v1/partnerships/${p.id}/indicators`)).json<
        { id: number; retirement: unknown }[]
      >();
      assert.deepEqual(list.find((x) => x.id === indicatorId)!.retirement, {
        retiredAfter: '2009/10',
        retiredFrom: '2010/11',
        reason: 'Counted within vehicle crime',
        retiredAt: (list.find((x) => x.id === indicatorId)!.retirement as { retiredAt: string }).retiredAt,
        supersededBy: vehicle.id,
      });
      assert.equal(list.find((x) => x.id === vehicle.id)!.retirement, null);
      const openapi = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ components?: unknown; paths: unknown }>();
      assert.match(
        JSON.stringify(openapi),
        /"retiredFrom":\{"type":"string","description":"The first period it is no longer reported for"\}/,
      );
    });
  });
}
