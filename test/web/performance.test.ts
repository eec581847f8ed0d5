/**
 * Performance pages through the real app on each engine: define an indicator with a baseline and a % target
 * (with form errors first), enter figures in the grid, upload a file with one bad row (400, the row, column and
 * value named, nothing written), fix it, and see the dashboard, scorecard, exceptions and RAG override change.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { api, Browser, makePartnership, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { listFigures } from '../../src/services/performance/figures.ts';
import { listIndicators } from '../../src/services/performance/indicators.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import ExcelJS from 'exceljs';

for (const engine of ENGINES) {
  describe(`performance pages on ${engine}`, () => {
    let t: TestApp;
    let p: { id: number };
    let editor: Browser;

    before(async () => {
      t = await startTestApp(engine);
      p = await makePartnership(t.k, 'Performance Partnership');
      const user = await memberOf(t.k, p.id, 'editor');
      editor = new Browser(t.app);
      await editor.signIn(user.email);
    });
    after(() => t.close());

    it('defines an indicator, enters and uploads figures all-or-nothing, and shows the RAG change', async () => {
      const base = `/partnerships/${p.id}`;
      assert.equal((await editor.get(`${base}/indicators/new`)).status, 200);
      let res = await editor.post(`${base}/indicators/new`, {
        title: '',
        unit: 'count',
        baselineValue: 'abc',
        targetKind: 'percentage_change',
        targetValue: '',
      });
      assert.equal(res.status, 400);
      assert.match(res.body, /govuk-error-summary/);
      assert.match(res.body, /href="#title">Enter the indicator title/);
      assert.match(res.body, /href="#baselineValue">The baseline value must be a number/);
      assert.match(res.body, /href="#targetValue">Enter the target value/);
      assert.equal((await listIndicators(t.k, p.id)).length, 0);

      res = await editor.post(`${base}/indicators/new`, {
        code: 'L1',
        title: 'Shed burglaries',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'quarterly',
        obaCategory: 'better_off',
        baselineValue: '100',
        baselinePeriod: '2018/19',
        targetKind: 'percentage_change',
        targetDirection: 'reduce',
        targetValue: '10',
        targetBy: '2019/20',
      });
      assert.equal(res.status, 303);
      const [ind] = await listIndicators(t.k, p.id);
      assert.ok(ind);

      // Entry grid: one bad cell means nothing is saved.
      const grid = await editor.get(`${base}/figures?year=2019/20`);
      assert.equal(grid.status, 200);
      assert.match(grid.body, /name="f-\d+-2019_20_Q1"/);
      res = await editor.post(`${base}/figures`, {
        year: '2019/20',
        [`f-${ind.id}-2019_20_Q1`]: '20',
        [`f-${ind.id}-2019_20_Q2`]: 'twenty',
      });
      assert.equal(res.status, 400);
      assert.match(
        res.body,
        new RegExp(`href="#f-${ind.id}-2019_20_Q2">L1 Shed burglaries, Q2 2019/20: &quot;twenty&quot; is not a number`),
      );
      assert.equal((await listFigures(t.k, p.id, ind.id)).length, 0);
      res = await editor.post(`${base}/figures`, { year: '2019/20', [`f-${ind.id}-2019_20_Q1`]: '20', [`f-${ind.id}-2019_20_Q2`]: '22' });
      assert.equal(res.status, 303);
      assert.deepEqual(
        (await listFigures(t.k, p.id, ind.id)).map((f) => f.value),
        [20, 22],
      );

      // Upload with one bad row: 400, the row, column and value named, nothing written.
      const bad = 'indicator,period,value,note\nL1,2019-20 Q3,25,\nL1,2019-20 Q5,26,typo\n';
      res = await editor.postFile(`${base}/figures/upload`, 'file', { filename: 'figures.csv', data: Buffer.from(bad), type: 'text/csv' });
      assert.equal(res.status, 400);
      assert.match(res.body, /Row 3, column &quot;period&quot;/);
      assert.match(res.body, /2019-20 Q5/);
      assert.equal((await listFigures(t.k, p.id, ind.id)).length, 2, 'nothing written');
      const good = 'indicator,period,value,note\nL1,2019-20 Q3,25,\nL1,2019-20 Q4,30,year end\n';
      res = await editor.postFile(`${base}/figures/upload`, 'file', { filename: 'figures.csv', data: Buffer.from(good), type: 'text/csv' });
      assert.equal(res.status, 303);
      assert.deepEqual(
        (await listFigures(t.k, p.id, ind.id)).map((f) => f.value),
        [20, 22, 25, 30],
      );

      // 97 for the year against a target of 90 (100 less 10%): red (beyond 5%).
      let dash = await editor.get(`${base}/performance`);
      assert.equal(dash.status, 200);
      assert.match(dash.body, /Red/);
      assert.match(dash.body, /<svg/);
      const page = await editor.get(`${base}/indicators/${ind.id}`);
      assert.equal(page.status, 200);
      assert.match(page.body, /97 \(projected year end\) against 90/);
      assert.match(page.body, /Statistical process control/);

      // Override with a reason (and refuse one without).
      res = await editor.post(`${base}/indicators/${ind.id}/rag`, { period: '2019-20 Q4', rag: 'amber', reason: '' });
      assert.equal(res.status, 400);
      assert.match(res.body, /Enter a reason for overriding the RAG status/);
      res = await editor.post(`${base}/indicators/${ind.id}/rag`, {
        period: '2019-20 Q4',
        rag: 'amber',
        reason: 'Q4 includes a one-off series',
      });
      assert.equal(res.status, 303);
      dash = await editor.get(`${base}/performance`);
      assert.match(dash.body, /Amber \(overridden\)/);
      const detail = await editor.get(`${base}/indicators/${ind.id}`);
      assert.match(detail.body, /Q4 includes a one-off series/);
      for (const path of ['performance/scorecard', 'performance/exceptions', 'indicators'])
        assert.equal((await editor.get(`${base}/${path}`)).status, 200, path);

      // The API returns the same computed figures.
      const user = await memberOf(t.k, p.id, 'viewer');
      const token = (await createToken(t.k, user, 'test')).token;
      const computed = await api(t.app, token, 'GET', `/api/v1/partnerships/${p.id}/indicators/${ind.id}/performance`);
      assert.equal(computed.status, 200);
      const body = computed.json<{ periods: { period: string; value: number; rag: string; overridden: boolean }[] }>();
      assert.deepEqual(
        body.periods.map((x) => x.value),
        [20, 22, 25, 30],
      );
      assert.equal(body.periods[3]!.rag, 'amber');
      assert.equal(body.periods[3]!.overridden, true);
    });

    it('uploads an Excel workbook: one bad row writes nothing and is named, the fixed workbook is saved', async () => {
      const base = `/partnerships/${p.id}`;
      const res0 = await editor.post(`${base}/indicators/new`, {
        code: 'X1',
        title: 'Cycle thefts',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'monthly',
        obaCategory: 'better_off',
        baselineValue: '240',
        baselinePeriod: '2018/19',
        targetKind: 'percentage_change',
        targetDirection: 'reduce',
        targetValue: '5',
        targetBy: '2019/20',
      });
      assert.equal(res0.status, 303);
      const ind = (await listIndicators(t.k, p.id)).find((i) => i.code === 'X1')!;
      const workbook = async (rows: (string | number)[][]) => {
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('Figures');
        ws.addRow(['indicator', 'period', 'value', 'note', 'source']);
        for (const r of rows) ws.addRow(r);
        return Buffer.from(await wb.xlsx.writeBuffer());
      };
      const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      const bad = await workbook([
        ['X1', '2019-04', 21, '', 'Police recorded crime'],
        ['Cycle thefts', '2019-05', 'n/a', 'not yet known', 'Police recorded crime'],
        ['X1', '2019-06', 18, '', 'Police recorded crime'],
      ]);
      let res = await editor.postFile(`${base}/figures/upload`, 'file', { filename: 'cycle-thefts.xlsx', data: bad, type });
      assert.equal(res.status, 400);
      assert.match(res.body, /Problems in cycle-thefts\.xlsx/);
      assert.match(res.body, /Row 3, column &quot;value&quot;: &quot;n\/a&quot; is not a number/);
      const problems = /<table class="govuk-table" id="upload-problems">([\s\S]*?)<\/table>/.exec(res.body)?.[1] ?? '';
      assert.match(problems.replace(/\s+/g, ' '), /<td[^>]*>3<\/td> <td[^>]*>value<\/td> <td[^>]*>n\/a<\/td>/);
      assert.equal((await listFigures(t.k, p.id, ind.id)).length, 0, 'nothing written');

      const good = await workbook([
        ['X1', '2019-04', 21, '', 'Police recorded crime'],
        ['Cycle thefts', '2019-05', 19, 'two late reports', 'Police recorded crime'],
        ['X1', '2019-06', 18, '', 'Police recorded crime'],
      ]);
      res = await editor.postFile(`${base}/figures/upload`, 'file', { filename: 'cycle-thefts.xlsx', data: good, type });
      assert.equal(res.status, 303);
      const saved = await listFigures(t.k, p.id, ind.id);
      assert.deepEqual(
        saved.map((f) => [f.period, f.value, f.note, f.source]),
        [
          ['2019-04', 21, '', 'Police recorded crime'],
          ['2019-05', 19, 'two late reports', 'Police recorded crime'],
          ['2019-06', 18, '', 'Police recorded crime'],
        ],
      );
      const page = await editor.get(`${base}/indicators/${ind.id}`);
      assert.match(page.body, /id="quarter-by-year"/, 'monthly figures get the quarter-by-year chart');
      assert.match(
        page.body,
        /<th scope="row" class="govuk-table__header">Q1<\/th><td class="govuk-table__cell govuk-table__cell--numeric">58<\/td>/,
        'April to June added up',
      );
    });

    it('shows why a figure cannot be worked out next to it, on the page, the dashboard and in the API', async () => {
      const base = `/partnerships/${p.id}`;
      // A change target with no baseline, and one year of figures: no RAG (the target needs a baseline) and no
      // change on last year (there is no figure for it).
      let res = await editor.post(`${base}/indicators/new`, {
        code: 'R1',
        title: 'Reasoned robberies',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'annual',
        obaCategory: 'how_much',
        targetKind: 'maintain',
      });
      assert.equal(res.status, 400, 'a maintain target without a baseline is refused by the form');
      res = await editor.post(`${base}/indicators/new`, {
        code: 'R1',
        title: 'Reasoned robberies',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'annual',
        obaCategory: 'how_much',
      });
      assert.equal(res.status, 303);
      const ind = (await listIndicators(t.k, p.id)).find((i) => i.code === 'R1')!;
      res = await editor.post(`${base}/figures`, { year: '2019/20', [`f-${ind.id}-2019_20`]: '40' });
      assert.equal(res.status, 303);

      const page = await editor.get(`${base}/indicators/${ind.id}`);
      assert.equal(page.status, 200);
      assert.match(page.body, /app-figure-reason">No figure for 2018\/19</);
      assert.match(page.body, /app-figure-reason">No target set</);
      assert.match(page.body, /id="xmr-reason">No XmR chart: an xmr chart needs at least two figures\./);
      const dash = await editor.get(`${base}/performance`);
      assert.match(dash.body, new RegExp(`data-indicator="${ind.id}"[\\s\\S]*?app-figure-reason">No target set<`));

      const user = await memberOf(t.k, p.id, 'viewer');
      const token = (await createToken(t.k, user, 'reasons')).token;
      const computed = await api(t.app, token, 'GET', `/api/v1/partnerships/${p.id}/indicators/${ind.id}/performance`);
      assert.equal(computed.status, 200);
      const body = computed.json<{ periods: { percentChange: number | null; reasons: Record<string, string> }[]; spcReason: string }>();
      assert.equal(body.periods[0]!.percentChange, null);
      assert.equal(body.periods[0]!.reasons.percentChange, 'No figure for 2018/19');
      assert.equal(body.periods[0]!.reasons.rag, 'No target set');
      assert.equal(body.spcReason, 'An XmR chart needs at least two figures');
    });

    it('shows each figure with its 95% and 99.8% intervals, and the year to date against last year, on the page and in the API', async () => {
      const base = `/partnerships/${p.id}`;
      let res = await editor.post(`${base}/indicators/new`, {
        code: 'Y1',
        title: 'Yearly burglaries',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'quarterly',
        obaCategory: 'how_much',
      });
      assert.equal(res.status, 303);
      const ind = (await listIndicators(t.k, p.id)).find((i) => i.code === 'Y1')!;
      // Rochford's domestic burglary, 170 in 2008/09 and 152 in 2009/10 (the seed), split into quarters by us.
      res = await editor.post(`${base}/figures`, {
        year: '2008/09',
        ...Object.fromEntries([40, 45, 50, 35].map((v, q) => [`f-${ind.id}-2008_09_Q${q + 1}`, String(v)])),
      });
      assert.equal(res.status, 303);
      res = await editor.post(`${base}/figures`, {
        year: '2009/10',
        ...Object.fromEntries([38, 41, 40, 33].map((v, q) => [`f-${ind.id}-2009_10_Q${q + 1}`, String(v)])),
      });
      assert.equal(res.status, 303);

      const page = await editor.get(`${base}/indicators/${ind.id}`);
      assert.equal(page.status, 200);
      // 33 burglaries: Byar's method (from 10 events), worked with SciPy: 22.7 to 46.3 at 95%, 18.0 to 54.9 at 99.8%.
      assert.match(page.body, /<th scope="col" class="govuk-table__header govuk-table__header--numeric">95% interval<\/th>/);
      assert.match(page.body, /Q4 2009\/10<\/th>[\s\S]*?>22\.7 to 46\.3<\/td>\s*<td[^>]*>18\.0 to 54\.9<\/td>/);
      assert.match(page.body, /id="intervals-note">Confidence intervals by the methods of OHID/);
      // The line chart draws each period's 95% interval as an error bar, named in its legend, and its table gives the
      // limits (both drawings, wide and narrow, have the eight bars).
      const q4bar = new RegExp('class="chart-interval" data-series="0" data-index="7" data-lower="22\\.7\\d*" data-upper="46\\.3\\d*"');
      assert.equal(page.body.match(new RegExp(q4bar.source, 'g'))?.length, 2);
      assert.equal(page.body.match(/class="chart-interval"/g)?.length, 16);
      assert.match(page.body, /class="chart-legend-item"[^>]*>[\s\S]{0,400}95% confidence interval/);
      const chartTable = page.body.slice(page.body.indexOf("The chart's numbers as a table"));
      assert.match(chartTable, /Lower limit \(95% confidence interval\)[\s\S]*Upper limit \(95% confidence interval\)/);
      assert.match(chartTable, /Q4 2009\/10<\/th>\s*<td[^>]*>33<\/td>\s*<td[^>]*>22\.7<\/td>\s*<td[^>]*>46\.3<\/td>/);
      const ytd = page.body.slice(
        page.body.indexOf('id="year-to-date"'),
        page.body.indexOf('</section>', page.body.indexOf('id="year-to-date"')),
      );
      assert.match(ytd, /This year: Q1 2009\/10 to Q4 2009\/10[\s\S]*?152/);
      assert.match(ytd, /Last year: Q1 2008\/09 to Q4 2008\/09[\s\S]*?170/);
      assert.match(ytd, /-18 \(-10\.6%\)/);
      assert.match(
        ytd,
        /Not statistically significant: exact conditional binomial test \(ratio of two Poisson counts\), two-sided, p = 0\.343/,
      );

      const user = await memberOf(t.k, p.id, 'viewer');
      const token = (await createToken(t.k, user, 'intervals')).token;
      const computed = await api(t.app, token, 'GET', `/api/v1/partnerships/${p.id}/indicators/${ind.id}/performance`);
      assert.equal(computed.status, 200);
      type Period = {
        period: string;
        intervals: { applicable: boolean; method: string; ci95: { lower: number; upper: number }; ci998: { lower: number; upper: number } };
        yearToDateComparison: {
          current: number;
          lastYear: number;
          change: number;
          percentChange: number;
          significance: { pValue: number; test: string; description: string };
        } | null;
        reasons: Record<string, string>;
      };
      const periods = computed.json<{ periods: Period[] }>().periods;
      const q4 = periods.find((x) => x.period === '2009-10 Q4')!;
      assert.equal(q4.intervals.method, "Byar's");
      assert.equal(q4.intervals.ci95.lower.toFixed(2), '22.71');
      assert.equal(q4.intervals.ci998.upper.toFixed(2), '54.93');
      assert.deepEqual(
        [
          q4.yearToDateComparison?.current,
          q4.yearToDateComparison?.lastYear,
          q4.yearToDateComparison?.change,
          q4.yearToDateComparison?.percentChange,
        ],
        [152, 170, -18, -10.6],
      );
      assert.equal(q4.yearToDateComparison!.significance.pValue.toFixed(3), '0.343');
      assert.equal(q4.yearToDateComparison!.significance.test, 'exact conditional binomial test (ratio of two Poisson counts)');
      assert.match(q4.yearToDateComparison!.significance.description, /two-sided, p = 0\.343$/);
      const first = periods.find((x) => x.period === '2008-09 Q1')!;
      assert.equal(first.yearToDateComparison, null);
      assert.equal(first.reasons.yearToDateComparison, 'No figure for Q1 2007/08, so no year to date for last year');
    });

    it('describes every performance API operation in the OpenAPI document', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      assert.equal(res.statusCode, 200);
      const doc = JSON.parse(res.body) as {
        paths: Record<
          string,
          Record<
            string,
            { tags?: string[]; summary?: string; responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }
          >
        >;
      };
      const expected = [
        'GET /api/v1/indicator-catalogue',
        'GET /api/v1/partnerships/{partnershipId}/indicators',
        'POST /api/v1/partnerships/{partnershipId}/indicators',
        'GET /api/v1/partnerships/{partnershipId}/indicators/{indicatorId}',
        'PUT /api/v1/partnerships/{partnershipId}/indicators/{indicatorId}',
        'DELETE /api/v1/partnerships/{partnershipId}/indicators/{indicatorId}',
        'GET /api/v1/partnerships/{partnershipId}/indicators/{indicatorId}/figures',
        'POST /api/v1/partnerships/{partnershipId}/figures',
        'GET /api/v1/partnerships/{partnershipId}/indicators/{indicatorId}/performance',
        'GET /api/v1/partnerships/{partnershipId}/performance',
        'POST /api/v1/partnerships/{partnershipId}/indicators/{indicatorId}/rag-overrides',
        'GET /api/v1/partnerships/{partnershipId}/performance/settings',
        'PUT /api/v1/partnerships/{partnershipId}/performance/settings/amber-tolerance',
        'PUT /api/v1/partnerships/{partnershipId}/performance/settings/suppression-threshold',
      ];
      // Every performance route the app registers is in the list, so a new one cannot go undocumented.
      const registered = t.app.routeRecords
        // (The commentary routes under an indicator are checked with the highlight reports in commentary.test.ts.)
        .filter(
          (r) =>
            r.url.startsWith('/api/v1/') &&
            /indicator|figures|performance|rag-overrides/.test(r.url) &&
            // (Retirement, the collection cycle, SPC and filling from Fingertips have their own tags and tests: retirement.test.ts,
            // cycle.test.ts, spc.test.ts, officialSources.test.ts.)
            !/\/(commentary|retirement|collection|my-figures|from-fingertips)$/.test(r.url) &&
            !/\/spc(\/|$)/.test(r.url),
        )
        .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
      assert.deepEqual([...new Set(registered)].sort(), [...expected].sort());
      for (const op of expected) {
        const [method, path] = op.split(' ') as [string, string];
        const operation = doc.paths[path]?.[method.toLowerCase()];
        assert.ok(operation, `${op} is in openapi.json`);
        assert.ok(operation.tags?.includes('Performance'), `${op} is tagged Performance`);
        assert.ok(operation.summary, `${op} has a summary`);
      }
      // The computed figures are described, not just returned.
      const computed = JSON.stringify(
        doc.paths['/api/v1/partnerships/{partnershipId}/indicators/{indicatorId}/performance']!.get!.responses!['200'],
      );
      for (const field of [
        'percentChange',
        'changeOnPrevious',
        'ratePer1000',
        'rag',
        'overridden',
        'projection',
        'significance',
        'quarterByYear',
        'spc',
      ])
        assert.match(computed, new RegExp(`"${field}"`), field);
    });

    it('refuses a viewer the entry grid and a contributor the indicator form', async () => {
      const viewer = new Browser(t.app);
      await viewer.signIn((await memberOf(t.k, p.id, 'viewer')).email);
      assert.equal((await viewer.get(`/partnerships/${p.id}/figures`)).status, 403);
      const contributor = new Browser(t.app);
      await contributor.signIn((await memberOf(t.k, p.id, 'contributor')).email);
      assert.equal((await contributor.get(`/partnerships/${p.id}/figures`)).status, 200);
      assert.equal((await contributor.get(`/partnerships/${p.id}/indicators/new`)).status, 403);
    });
  });
}
