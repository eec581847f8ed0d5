/**
 * SPC the way Making Data Count reads it (issue 16), through the real app on each engine: the SPC summary page with
 * both icons and their meaning for each indicator, linking to the indicator page's chart, and the same reading there.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { api, Browser, makePartnership, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { enterFigures } from '../../src/services/performance/figures.ts';
import { SYSTEM_ACTOR, listAudit } from '../../src/services/platform/audit.ts';
import { listSpcMarks, saveSpcMark } from '../../src/services/performance/spcMarks.ts';
import { docxParagraphs } from '../support/documents.ts';
import { spcSummary } from '../../src/services/performance/spcSummary.ts';

/** Monthly periods from April 2019. */
const months = (n: number) =>
  Array.from({ length: n }, (_, i) => `${2019 + Math.floor((3 + i) / 12)}-${String(((3 + i) % 12) + 1).padStart(2, '0')}`);

for (const engine of ENGINES) {
  describe(`SPC pages on ${engine}`, () => {
    let t: TestApp;
    let p: { id: number };
    let viewer: Browser;
    let editor: Browser;
    let satisfaction: { id: number };
    let burglary: { id: number };

    before(async () => {
      t = await startTestApp(engine);
      p = await makePartnership(t.k, 'SPC Partnership');
      viewer = new Browser(t.app);
      await viewer.signIn((await memberOf(t.k, p.id, 'viewer')).email);
      editor = new Browser(t.app);
      await editor.signIn((await memberOf(t.k, p.id, 'editor')).email);
      // A percentage where higher is better, judged figure by figure against 30%: ten figures of 11 and 9, then a
      // run of seven at 12 and 13, all above the mean (a shift, so special cause improving) and all far below 30.
      satisfaction = await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
        code: 'S1',
        title: 'Victims satisfied',
        unit: 'percentage',
        polarity: 'higher_is_better',
        frequency: 'monthly',
        obaCategory: 'better_off',
        targetKind: 'absolute',
        targetValue: '30',
      });
      const sValues = [11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 12, 13, 12, 13, 12, 13, 12];
      // A count where lower is better with an annual reduction target: judged on the projected year end, so no
      // assurance icon; steady figures are common cause.
      burglary = await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
        code: 'B1',
        title: 'Burglaries',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'monthly',
        obaCategory: 'better_off',
        baselineValue: '200',
        baselinePeriod: '2018/19',
        targetKind: 'percentage_change',
        targetDirection: 'reduce',
        targetValue: '5',
        targetBy: '2019/20',
      });
      const bValues = [15, 17, 16, 18, 15, 17, 16, 18, 16];
      await enterFigures(t.k, SYSTEM_ACTOR, p.id, [
        ...months(sValues.length).map((period, i) => ({ indicatorId: satisfaction.id, period, value: sValues[i] })),
        ...months(bValues.length).map((period, i) => ({ indicatorId: burglary.id, period, value: bValues[i] })),
      ]);
    });
    after(() => t.close());

    it('lists every indicator with its two icons, their labels and meaning, each opening its chart', async () => {
      const res = await viewer.get(`/partnerships/${p.id}/performance/spc`);
      assert.equal(res.status, 200);
      assert.match(res.body, new RegExp(`href="/partnerships/${p.id}/performance/spc"`));
      const row = (id: number) =>
        res.body.match(new RegExp(`<tr class="govuk-table__row" data-indicator="${id}">([\\s\\S]*?)</tr>`))?.[1] ?? '';
      const s = row(satisfaction.id);
      assert.match(s, new RegExp(`href="/partnerships/${p.id}/indicators/${satisfaction.id}#spc"`));
      assert.match(s, /data-variation="special_cause_improvement_high"/);
      assert.match(s, /role="img" aria-label="Variation: Special cause: improving \(high\)"/);
      assert.match(s, /data-assurance="consistently_fail"/);
      assert.match(s, />F<\/text>/);
      assert.match(s, /a run of 7 or more above the mean, and for this indicator higher is better/);
      assert.match(s, /The target \(30%\) lies outside the process limits \([\d.]+% to [\d.]+%\) on the wrong side/);
      assert.match(s, /12% \(August 2020\)/);
      const b = row(burglary.id);
      assert.match(b, /data-variation="common_cause"/);
      assert.match(b, /data-assurance="none"/);
      assert.match(b, /No assurance icon: its target is for the year&#39;s total, judged on the projected year end/);
      assert.match(res.body, /1 improving, 0 concerning, 1 consistently failing the target/);
    });

    it('works the summary out once per change to the data, and again after a figure changes (decision 0015)', async () => {
      const first = await spcSummary(t.k, p.id);
      assert.equal(await spcSummary(t.k, p.id), first, 'shared while nothing changes');
      const last = months(9)[8]!;
      await enterFigures(t.k, SYSTEM_ACTOR, p.id, [{ indicatorId: burglary.id, period: last, value: 40 }]);
      const changed = await spcSummary(t.k, p.id);
      assert.notEqual(changed, first);
      assert.equal(changed.find((x) => x.indicator.id === burglary.id)!.latest!.value, 40);
      await enterFigures(t.k, SYSTEM_ACTOR, p.id, [{ indicatorId: burglary.id, period: last, value: 16 }]);
      assert.equal((await spcSummary(t.k, p.id)).find((x) => x.indicator.id === burglary.id)!.latest!.value, 16);
    });

    it('shows the same icons on the exceptions list and the exception report, and names them in its document', async () => {
      // S1 (12 against 30) is red, so an exception; its run of seven above the mean is special cause improving (high).
      const list = await viewer.get(`/partnerships/${p.id}/performance/exceptions`);
      const row = /S1 Victims satisfied[\s\S]*?<\/tr>/.exec(list.body)![0];
      assert.match(row, /data-variation="special_cause_improvement_high"/);
      assert.match(row, /Special cause: improving \(high\)/);
      assert.match(row, /data-assurance="consistently_fail"[\s\S]*Consistently failing the target/);
      const report = await viewer.get(`/partnerships/${p.id}/reports/exceptions`);
      assert.match(
        /S1 Victims satisfied[\s\S]*?<\/tr>/.exec(report.body)![0],
        /<svg[\s\S]*Special cause: improving \(high\)[\s\S]*Consistently failing/,
      );
      const docx = await t.app.inject({
        method: 'GET',
        url: `/partnerships/${p.id}/reports/exceptions.docx`,
        headers: { cookie: [...viewer.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      assert.equal(docx.statusCode, 200);
      const words = docxParagraphs(docx.rawPayload).map((x) => x.text);
      assert.ok(
        words.some((w) => w.includes('Special cause: improving (high); Consistently failing the target')),
        words.join('\n'),
      );
    });

    it("shows the same reading on the indicator page's SPC section", async () => {
      const res = await viewer.get(`/partnerships/${p.id}/indicators/${satisfaction.id}`);
      assert.equal(res.status, 200);
      assert.match(res.body, /<section id="spc"/);
      assert.match(res.body, /id="spc-description">Special cause variation, improving/);
      assert.match(res.body, /data-assurance="consistently_fail"/);
      // A count judged on its projected year end shows the chance of meeting the target.
      const b = await viewer.get(`/partnerships/${p.id}/indicators/${burglary.id}`);
      assert.match(
        b.body,
        /Chance of meeting the year-end target\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*(Very unlikely|Unlikely|About as likely as not|Likely|Very likely) \(\d+%\)/,
      );
    });

    it('reads each indicator as at the end of the quarter in the Board pack, page and DOCX, with the chance of meeting the year-end target', async () => {
      const q = encodeURIComponent('2019/20 Q3');
      const page = await viewer.get(`/partnerships/${p.id}/reports/quarterly?quarter=${q}`);
      assert.equal(page.status, 200);
      const section = page.body.slice(page.body.indexOf('data-spc>'));
      const row = (id: number) => section.match(new RegExp(`data-spc-indicator="${id}">([\\s\\S]*?)</tr>`))?.[1] ?? '';
      // Up to December 2019 the satisfaction figures are nine of 11 and 9: the later run is not yet there.
      assert.match(row(satisfaction.id), /data-variation="common_cause"/);
      assert.match(row(satisfaction.id), /11% \(December 2019\)/);
      assert.match(row(satisfaction.id), /Not worked out/);
      // Burglaries: 148 in nine months projects past the 190 allowed (200 less 5%).
      assert.match(row(burglary.id), /(Very unlikely|Unlikely|About as likely as not) \(\d+%\)/);
      const docx = await t.app.inject({
        method: 'GET',
        url: `/partnerships/${p.id}/reports/quarterly.docx?quarter=${q}`,
        headers: { cookie: [...viewer.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      assert.equal(docx.statusCode, 200);
      const words = docxParagraphs(docx.rawPayload).map((x) => x.text);
      assert.ok(
        words.some((w) => /Statistical process control$/.test(w)),
        words.join(' | '),
      );
      assert.ok(words.includes('Common cause'));
      assert.ok(words.some((w) => w.startsWith('Common cause variation: the latest figure is within what the process usually produces')));
      assert.ok(words.some((w) => /^(Very unlikely|Unlikely|About as likely as not) \(\d+%\)$/.test(w)));
    });

    it('lets an editor set a change date and exclude or annotate points, refusing bad input and stale saves', async () => {
      const page = `/partnerships/${p.id}/indicators/${satisfaction.id}`;
      // Viewers see no form and may not post.
      assert.doesNotMatch((await viewer.get(page)).body, /id="spc-form"/);
      assert.equal((await viewer.post(`${page}/spc`, { kind: 'phase', period: '2020-02', reason: 'x' })).status, 403);
      await editor.get(page);
      let res = await editor.post(`${page}/spc`, { kind: 'phase', period: '2020-13', baselineTo: '2019-01', reason: '' });
      assert.equal(res.status, 400);
      assert.match(res.body, /href="#spc-period">Enter the period like 2009-04/);
      assert.match(res.body, /href="#spc-reason">Enter the reason/);
      res = await editor.post(`${page}/spc`, { kind: 'point', period: '2019-08', excluded: '', reason: '', note: '' });
      assert.equal(res.status, 400);
      assert.match(res.body, /href="#spc-note">Enter a note, or leave the point out of the limits with a reason/);
      assert.deepEqual(await listSpcMarks(t.k, p.id, satisfaction.id), []);

      // The run of 12s and 13s from February 2020 follows a new scheme: a change date there, and a one-off excluded.
      res = await editor.post(`${page}/spc`, { kind: 'phase', period: '2020-02', reason: 'New victim contact scheme' });
      assert.equal(res.status, 303);
      res = await editor.post(`${page}/spc`, {
        kind: 'point',
        period: '2019-08',
        excluded: 'yes',
        reason: 'Survey half done',
        note: 'Summer break',
      });
      assert.equal(res.status, 303);
      res = await editor.get(page);
      assert.match(
        res.body,
        /class="chart-phase-break" data-index="10"><title>Limits recalculated from February 2020: New victim contact scheme/,
      );
      assert.match(
        res.body,
        /class="chart-annotation" data-index="4"><title>Left out of the limits: Survey half done\. Note 1: Summer break/,
      );
      assert.match(res.body, /Change dates, exclusions and notes/);
      // With its own phase the run is the new process, not a shift: common cause now.
      assert.match(res.body, /id="spc-description">Common cause variation/);
      const marks = await listSpcMarks(t.k, p.id, satisfaction.id);
      assert.deepEqual(
        marks.map((m) => [m.kind, m.period, m.excluded]),
        [
          ['point', '2019-08', 1],
          ['phase', '2020-02', 0],
        ],
      );
      const audit = (await listAudit(t.k, { partnershipId: p.id, entityType: 'indicator_spc_mark' })).events;
      assert.ok(audit.some((a) => a.summary === 'Added the change date February 2020 on the XmR chart of S1 Victims satisfied'));

      // Change it with the form as opened; a second save from the same stale form is refused with the current values.
      const phase = marks.find((m) => m.kind === 'phase')!;
      const form = (await editor.get(`${page}?spcMark=${phase.id}`)).body;
      assert.match(form, new RegExp(`name="expectedUpdatedAt" value="${phase.updated_at}"`));
      const change = { kind: 'phase', period: '2020-02', baselineTo: '2020-05', reason: 'New scheme', expectedUpdatedAt: phase.updated_at };
      assert.equal((await editor.post(`${page}/spc`, change)).status, 303);
      res = await editor.post(`${page}/spc`, { ...change, reason: 'Stale' });
      assert.equal(res.status, 409);
      assert.match(res.body, /was changed by someone else after you opened it/);
      assert.match(res.body, /New scheme<\/textarea>/);
      assert.equal((await listSpcMarks(t.k, p.id, satisfaction.id)).find((m) => m.kind === 'phase')?.reason, 'New scheme');

      // Remove the excluded point, then the change date: the chart is one process again.
      for (const m of await listSpcMarks(t.k, p.id, satisfaction.id)) {
        res = await editor.post(`${page}/spc/remove`, { id: String(m.id), expectedUpdatedAt: m.updated_at });
        assert.equal(res.status, 303);
      }
      assert.deepEqual(await listSpcMarks(t.k, p.id, satisfaction.id), []);
      assert.match((await editor.get(page)).body, /id="spc-description">Special cause variation, improving/);
      // Another partnership's indicator is not found.
      const other = await makePartnership(t.k, 'Other SPC Partnership');
      assert.equal((await editor.post(`/partnerships/${other.id}/indicators/${satisfaction.id}/spc`, { kind: 'phase' })).status, 404);
    });

    it('reads and writes the same through the API', async () => {
      const token = (await createToken(t.k, await memberOf(t.k, p.id, 'editor'), 'spc')).token;
      const base = `/api/v1/partnerships/${p.id}`;
      const summary = await api(t.app, token, 'GET', `${base}/performance/spc`);
      assert.equal(summary.status, 200);
      const rows = JSON.parse(summary.body) as { indicatorId: number; variation: string; assurance: string | null }[];
      assert.deepEqual(
        rows.map((r) => [r.indicatorId, r.variation, r.assurance]),
        [
          [burglary.id, 'common_cause', null],
          [satisfaction.id, 'special_cause_improvement_high', 'consistently_fail'],
        ],
      );
      let res = await api(t.app, token, 'POST', `${base}/indicators/${satisfaction.id}/spc`, {
        kind: 'phase',
        period: '2020-02',
        reason: 'New scheme',
      });
      assert.equal(res.status, 200, res.body);
      const mark = JSON.parse(res.body) as { id: number; updatedAt: string };
      res = await api(t.app, token, 'POST', `${base}/indicators/${satisfaction.id}/spc`, {
        kind: 'phase',
        period: '2020-02',
        reason: 'Stale',
      });
      assert.equal(res.status, 409);
      res = await api(t.app, token, 'GET', `${base}/indicators/${satisfaction.id}/spc`);
      const chart = JSON.parse(res.body) as { variation: string; phases: { startPeriod: string; mean: number }[]; settings: unknown[] };
      assert.equal(chart.variation, 'common_cause');
      assert.deepEqual(
        chart.phases.map((x) => [x.startPeriod, x.mean]),
        [
          ['2019-04', 10],
          ['2020-02', 87 / 7],
        ],
      );
      const other = await makePartnership(t.k, 'API other SPC');
      res = await api(
        t.app,
        token,
        'DELETE',
        `${base}/indicators/${burglary.id}/spc/${mark.id}?expectedUpdatedAt=${encodeURIComponent(mark.updatedAt)}`,
      );
      assert.equal(res.status, 404);
      res = await api(t.app, token, 'DELETE', `/api/v1/partnerships/${other.id}/indicators/${satisfaction.id}/spc/${mark.id}`);
      assert.equal(res.status, 404);
      // Another partnership's indicator and setting under this partnership's address.
      const otherIndicator = await createIndicator(t.k, SYSTEM_ACTOR, other.id, {
        title: 'Other',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'annual',
        obaCategory: 'better_off',
      });
      const otherMark = await saveSpcMark(t.k, SYSTEM_ACTOR, other.id, otherIndicator.id, {
        kind: 'point',
        period: '2019/20',
        note: 'Theirs',
      });
      res = await api(t.app, token, 'DELETE', `${base}/indicators/${otherIndicator.id}/spc/${otherMark.id}`);
      assert.equal(res.status, 404, res.body);
      res = await api(
        t.app,
        token,
        'DELETE',
        `${base}/indicators/${satisfaction.id}/spc/${mark.id}?expectedUpdatedAt=${encodeURIComponent(mark.updatedAt)}`,
      );
      assert.equal(res.status, 204);
      assert.deepEqual(await listSpcMarks(t.k, p.id, satisfaction.id), []);
    });
  });
}
