/**
 * Targets as partnerships set them (issue 16 item 4) through the real app on each engine: a second target and a
 * trajectory set on the indicator form (a bad custom profile refused with its field named, nothing written), judged
 * on the indicator page, in the API and in the Board pack, kept by an API update that leaves the trajectory out,
 * refused on a stale edit, and audited.
 *
 * Figures: Rochford's published burglary baseline of 170 (2008/09) with "reduce by 5%" (161.5) as the first target
 * and a stretch of 10% (153) as the second; 2009/10 Q1 45 and Q2 40, so the year to date at Q2 is 85 against an
 * even trajectory of 161.5 / 2 = 80.75 (red: beyond the 5% amber band, 84.79) and 153 / 2 = 76.5 for the stretch.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { api, Browser, makePartnership, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { getIndicator, listIndicators } from '../../src/services/performance/indicators.ts';
import { enterFigures } from '../../src/services/performance/figures.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { listAudit } from '../../src/services/platform/audit.ts';
import { loadQuarterlyReport, quarterlyReportDocument } from '../../src/presentation/documents/quarterlyReport.ts';
import { parseReportQuarter } from '../../src/domain/reportQuarter.ts';

const FORM = {
  code: 'B1',
  title: 'Domestic burglary',
  unit: 'count',
  polarity: 'lower_is_better',
  frequency: 'quarterly',
  obaCategory: 'better_off',
  baselineValue: '170',
  baselinePeriod: '2008/09',
  targetLabel: 'Local',
  targetKind: 'percentage_change',
  targetDirection: 'reduce',
  targetValue: '5',
  targetBy: '2009/10',
  secondTargetLabel: 'Stretch',
  secondTargetKind: 'percentage_change',
  secondTargetDirection: 'reduce',
  secondTargetValue: '10',
  secondTargetBy: '2009/10',
};

for (const engine of ENGINES) {
  describe(`targets and trajectories on ${engine}`, () => {
    let t: TestApp;
    let p: { id: number };
    let editor: Browser;

    before(async () => {
      t = await startTestApp(engine);
      p = await makePartnership(t.k, 'Targets Partnership');
      const user = await memberOf(t.k, p.id, 'editor');
      editor = new Browser(t.app);
      await editor.signIn(user.email);
    });
    after(() => t.close());

    it('sets, judges, shows and keeps a second target and a trajectory', async () => {
      const base = `/partnerships/${p.id}`;
      let res = await editor.post(`${base}/indicators/new`, {
        ...FORM,
        secondTargetValue: 'lots',
        trajectory: 'custom',
        trajectoryShares: '20, 25, 30',
      });
      assert.equal(res.status, 400);
      assert.match(
        res.body,
        /href="#trajectoryShares">Enter 4 percentages of the year, one for each quarter from Q1.*the list needs 4 percentages/,
      );
      assert.match(res.body, /href="#secondTargetValue">Second target: The target value must be a number/);
      assert.match(res.body, /id="secondTargetValue-error"/); // the message beside the field too
      assert.match(res.body, /id="trajectoryShares-error"/);
      assert.equal((await listIndicators(t.k, p.id)).length, 0);

      res = await editor.post(`${base}/indicators/new`, { ...FORM, trajectory: 'even' });
      assert.equal(res.status, 303);
      const [ind] = await listIndicators(t.k, p.id);
      assert.ok(ind);
      const actor = { userId: null, label: 'figures@example.org' };
      await enterFigures(t.k, actor, p.id, [
        { indicatorId: ind.id, period: '2009-10 Q1', value: '45' },
        { indicatorId: ind.id, period: '2009-10 Q2', value: '40' },
      ]);

      const page = await editor.get(`${base}/indicators/${ind.id}`);
      assert.equal(page.status, 200);
      assert.match(page.body, /id="targets-judged"/);
      assert.match(page.body, /First target \(Local\): Reduce by 5% by 2009\/10/);
      assert.match(
        page.body,
        /Off trajectory: 85 to date against at most 80\.75 due by now \(50% of the year, even through the year\), red/,
      );
      assert.match(page.body, /Second target \(Stretch\): Reduce by 10% by 2009\/10/);
      assert.match(page.body, /against at most 76\.5 due by now/);
      const form = await editor.get(`${base}/indicators/${ind.id}/edit`);
      assert.match(form.body, /name="secondTargetLabel"[^>]*value="Stretch"/);
      assert.match(form.body, /name="trajectory"[^>]*value="even"[^>]*checked|value="even"[^>]*checked/);

      const token = (await createToken(t.k, await memberOf(t.k, p.id, 'editor'), 'targets')).token;
      const perf = (await api(t.app, token, 'GET', `/api/v1/partnerships/${p.id}/indicators/${ind.id}/performance`)).json<{
        latest: {
          targetLabel: string;
          targetMet: boolean | null;
          trajectory: { toDate: number; yearToDate: number; rag: string };
          secondTarget: { label: string; threshold: number; trajectory: { toDate: number; rag: string } };
        };
      }>();
      assert.equal(perf.latest.targetLabel, 'Local');
      assert.deepEqual([perf.latest.trajectory.toDate, perf.latest.trajectory.yearToDate, perf.latest.trajectory.rag], [80.75, 85, 'red']);
      assert.equal(perf.latest.secondTarget.label, 'Stretch');
      assert.equal(perf.latest.secondTarget.threshold, 153);
      assert.deepEqual([perf.latest.secondTarget.trajectory.toDate, perf.latest.secondTarget.trajectory.rag], [76.5, 'red']);

      // The API checks a custom profile as the form does, naming the field; nothing is written.
      res = await api(t.app, token, 'POST', `/api/v1/partnerships/${p.id}/indicators`, {
        title: 'Robbery',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'monthly',
        obaCategory: 'better_off',
        trajectory: 'custom',
        trajectoryShares: [50, 50],
      });
      assert.equal(res.status, 400);
      assert.match(res.body, /trajectoryShares/);
      assert.match(res.body, /Enter 12 percentages of the year, one for each month from April/);
      assert.equal((await listIndicators(t.k, p.id)).length, 1);

      // An API update that leaves the trajectory out keeps it; 'none' removes the second target.
      const url = `/api/v1/partnerships/${p.id}/indicators/${ind.id}`;
      const before = await getIndicator(t.k, p.id, ind.id);
      res = await api(t.app, token, 'PUT', url, {
        title: 'Domestic burglary',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'quarterly',
        obaCategory: 'better_off',
        baselineValue: 170,
        baselinePeriod: '2008/09',
        targetKind: 'percentage_change',
        targetDirection: 'reduce',
        targetValue: 5,
        targetBy: '2009/10',
        secondTargetKind: 'none',
        expectedUpdatedAt: before.updated_at,
      });
      assert.equal(res.status, 200, res.body);
      const updated = res.json<{ trajectory: { profile: string } | null; targets: { tier: string }[] }>();
      assert.deepEqual(updated.trajectory, { profile: 'even', shares: null });
      assert.deepEqual(
        updated.targets.map((x) => x.tier),
        ['first'],
      );

      // A stale edit is refused; a fresh one sets a custom profile, audited with it.
      const stale = await editor.post(`${base}/indicators/${ind.id}/edit`, {
        ...FORM,
        trajectory: 'seasonal',
        expectedUpdatedAt: before.updated_at,
      });
      assert.equal(stale.status, 409);
      const fresh = await getIndicator(t.k, p.id, ind.id);
      res = await editor.post(`${base}/indicators/${ind.id}/edit`, {
        ...FORM,
        trajectory: 'custom',
        trajectoryShares: '20, 30, 25, 25',
        expectedUpdatedAt: fresh.updated_at,
      });
      assert.equal(res.status, 303);
      const after = await getIndicator(t.k, p.id, ind.id);
      assert.equal(after.trajectory, 'custom');
      assert.equal(after.trajectory_shares, '20,30,25,25');
      const audit = await listAudit(t.k, { partnershipId: p.id, entityType: 'indicator', action: 'update' });
      assert.ok(audit.events.some((e) => String(e.after_json).includes('20,30,25,25')));

      // The Board pack for Q2 2009/10: 85 against 161.5 x 50% = 80.75 due, and the stretch beside it.
      const pack = JSON.stringify(quarterlyReportDocument(await loadQuarterlyReport(t.k, p.id, parseReportQuarter('2009/10 Q2'))));
      assert.match(
        pack,
        /Off trajectory: 85 to date against at most 80\.75 due by now \(50% of the year, our own share for each period\), red/,
      );
      assert.match(pack, /Second target \(Stretch\), Reduce by 10% by 2009\/10: /);
    });

    it('accepts a target below zero for a score (not for a count) and judges it on the page and in the API', async () => {
      const base = `/partnerships/${p.id}`;
      const score = {
        ...FORM,
        code: 'S1',
        title: 'Net feeling of safety',
        unit: 'score',
        polarity: 'higher_is_better',
        frequency: 'annual',
        baselineValue: '-6',
        targetKind: 'absolute',
        targetValue: '-2',
        secondTargetKind: 'none',
      };
      let res = await editor.post(`${base}/indicators/new`, { ...score, unit: 'count' });
      assert.equal(res.status, 400);
      assert.match(res.body, /href="#targetValue">The target value must be a number of 0 or more: &quot;-2&quot; is below zero/);
      res = await editor.post(`${base}/indicators/new`, {
        ...score,
        secondTargetKind: 'percentage_change',
        secondTargetDirection: 'increase',
        secondTargetValue: '10',
      });
      assert.equal(res.status, 400);
      assert.match(res.body, /A percentage change cannot be measured from a baseline below zero/);
      res = await editor.post(`${base}/indicators/new`, score);
      assert.equal(res.status, 303, res.body.slice(0, 300));
      const ind = (await listIndicators(t.k, p.id)).find((i) => i.code === 'S1')!;
      await enterFigures(t.k, { userId: null, label: 'figures@example.org' }, p.id, [
        { indicatorId: ind.id, period: '2009/10', value: '-2.05' },
      ]);
      // Reach -2 (at least): -2.05 misses it by less than 5% of 2 (0.1), so amber.
      const token = (await createToken(t.k, await memberOf(t.k, p.id, 'editor'), 'signed')).token;
      const perf = await t.app.inject({
        url: `/api/v1/partnerships/${p.id}/indicators/${ind.id}/performance`,
        headers: { authorization: `Bearer ${token}` },
      });
      const latest = perf.json<{ periods: { target: { threshold: number }; rag: string }[] }>().periods.at(-1)!;
      assert.equal(latest.target.threshold, -2);
      assert.equal(latest.rag, 'amber');
      const page = await editor.get(`${base}/indicators/${ind.id}`);
      assert.match(page.body, /Reach -2/);
    });
  });
}
