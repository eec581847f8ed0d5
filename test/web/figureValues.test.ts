/**
 * Figure values through the real app on each engine (issue 11). A value that is not a finite number, or is
 * absurdly large, is refused with its row, column and value wherever a figure enters: the CSV and XLSX upload,
 * the entry grid, the indicator form's baseline and target, the API's batch write and the whole-partnership
 * import; nothing is written. And a bad figure already in the database (an old row, another tool) never takes a
 * page down: every page, download, the Board pack and the public summary answer 200, and the indicator says
 * what is wrong while the other indicators show as usual.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { ENGINES } from '../support/db.ts';
import { api, Browser, makeUser, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { allCounts } from '../support/transfer.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { createIndicator, listIndicators } from '../../src/services/performance/indicators.ts';
import { enterFigures } from '../../src/services/performance/figures.ts';
import { createPartnership } from '../../src/services/partnerships/partnerships.ts';
import { createPlan, approveVersion, publishVersion } from '../../src/services/plans/plans.ts';
import { createPart } from '../../src/services/plans/planParts.ts';
import { exportPartnership } from '../../src/services/transfer/partnershipExport.ts';
import { bumpDataVersion } from '../../src/services/platform/snapshotCache.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { validPartInput } from '../support/plans.ts';
import { EventLoopWatch } from '../support/fuzz.ts';

const NINES = '9'.repeat(309);

/**
 * The longest stall since the watch started. The watch's timer must fire once more to record a stall that is still
 * going on (on SQLite a request can run from start to end without giving the timer a turn), so wait for it first.
 */
async function stopWatch(watch: EventLoopWatch): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 25));
  return watch.stop();
}

async function workbook(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Figures');
  ws.addRow(['indicator', 'period', 'value', 'note', 'source']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

for (const engine of ENGINES) {
  describe(`figure values on ${engine}`, { timeout: 120_000 }, () => {
    let t: TestApp;
    let p: { id: number; slug: string };
    let editor: Browser;
    let editorToken: string;
    let platform: Browser;
    let shed: number;
    let repeat: number;
    const base = () => `/partnerships/${p.id}`;
    const figureCount = async () =>
      Number(
        (
          await t.k
            .selectFrom('figures')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      t = await startTestApp(engine);
      const created = await createPartnership(t.k, SYSTEM_ACTOR, null, {
        name: 'Safer Valueshire Partnership',
        areaDescription: 'Valueshire',
        populations: [{ year: 2019, population: 100_000 }],
      });
      p = { id: created.id, slug: created.slug };
      const editorUser = await memberOf(t.k, p.id, 'editor');
      editor = new Browser(t.app);
      await editor.signIn(editorUser.email);
      editorToken = (await createToken(t.k, editorUser, 'figures')).token;
      platform = new Browser(t.app);
      await platform.signIn((await makeUser(t.k, { platformAdmin: true })).email);
      const { version } = await createPlan(t.k, SYSTEM_ACTOR, p.id, { title: 'Community Safety Plan', startYear: 2019, endYear: 2022 });
      await createPart(t.k, SYSTEM_ACTOR, p.id, 'priority', version.id, validPartInput('priority'));
      await approveVersion(t.k, SYSTEM_ACTOR, p.id, version.id, {
        approvedBy: 'Partnership Board',
        approvedOn: '2019-03-28',
        meeting: 'Board',
      });
      await publishVersion(t.k, SYSTEM_ACTOR, p.id, version.id);
      const common = { unit: 'count', polarity: 'lower_is_better', frequency: 'monthly', obaCategory: 'better_off', isPublic: 'yes' };
      shed = (
        await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
          ...common,
          code: 'V1',
          title: 'Shed burglaries',
          baselineValue: '100',
          baselinePeriod: '2018/19',
          targetKind: 'percentage_change',
          targetDirection: 'reduce',
          targetValue: '10',
          targetBy: '2019/20',
        })
      ).id;
      repeat = (await createIndicator(t.k, SYSTEM_ACTOR, p.id, { ...common, code: 'V2', title: 'Repeat victims' })).id;
      const months = ['2018-04', '2018-05', '2018-06', '2019-04', '2019-05', '2019-06'];
      await enterFigures(t.k, SYSTEM_ACTOR, p.id, [
        ...months.map((period, i) => ({ indicatorId: shed, period, value: String(10 + i) })),
        ...months.map((period, i) => ({ indicatorId: repeat, period, value: String(20 + i) })),
      ]);
    });
    after(() => t.close());

    it('refuses a value that is not a finite number, or is too large, wherever a figure enters, and writes nothing', async () => {
      const before = await figureCount();
      // CSV upload: 309 nines (Infinity when read as a number) and an absurd value, each named with row, column and value.
      let res = await editor.postFile(`${base()}/figures/upload`, 'file', {
        filename: 'figures.csv',
        data: Buffer.from(`indicator,period,value\nV1,2019-07,${NINES}\nV1,2019-08,5000000000000\nV1,2019-09,12\n`),
      });
      assert.equal(res.status, 400);
      assert.match(res.body, /Row 2, column &quot;value&quot;: &quot;9{20}[^&]*&quot; is too large/);
      assert.match(res.body, /Row 3, column &quot;value&quot;: &quot;5000000000000&quot; is too large/);
      assert.match(res.body, /the largest figure CSP Hub accepts is 1,000,000,000,000/);
      // XLSX upload: a number cell far too large, and a text cell of nines.
      res = await editor.postFile(`${base()}/figures/upload`, 'file', {
        filename: 'figures.xlsx',
        data: await workbook([
          ['V1', '2019-07', 1e300],
          ['V1', '2019-08', NINES],
        ]),
      });
      assert.equal(res.status, 400);
      assert.match(res.body, /Row 2, column &quot;value&quot;: &quot;1e\+300&quot; is too large/);
      assert.match(res.body, /Row 3, column &quot;value&quot;/);
      // The entry grid.
      res = await editor.post(`${base()}/figures`, { year: '2019/20', [`f-${shed}-2019_07`]: NINES });
      assert.equal(res.status, 400);
      assert.match(res.body, /V1 Shed burglaries, July 2019: &quot;9{20}[^&]*&quot; is too large/);
      // The API's batch write: JSON's 1e309 is Infinity once parsed; 1e13 is a finite but absurd figure.
      for (const value of ['1e309', '-1e309', '1e13']) {
        const r = await t.app.inject({
          method: 'POST',
          url: `/api/v1/partnerships/${p.id}/figures`,
          headers: { authorization: `Bearer ${editorToken}`, 'content-type': 'application/json' },
          payload: `{"figures":[{"indicatorId":${shed},"period":"2019-07","value":${value}}]}`,
        });
        assert.equal(r.statusCode, 400, `${value}: ${r.body}`);
        assert.match(r.body, /value/);
      }
      // A note with a null character (which PostgreSQL cannot store) is refused on both engines.
      res = await editor.postFile(`${base()}/figures/upload`, 'file', {
        filename: 'figures.csv',
        data: Buffer.from('indicator,period,value,note\nV1,2019-07,5,bad\u0000note\n'),
      });
      assert.equal(res.status, 400);
      assert.match(res.body, /Row 2, column &quot;note&quot;: the note contains a null character/);
      assert.equal(await figureCount(), before, 'no figure written');

      // The indicator form: baseline and target values.
      res = await editor.post(`${base()}/indicators/${repeat}/edit`, {
        code: 'V2',
        title: 'Repeat victims',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'monthly',
        obaCategory: 'better_off',
        baselineValue: NINES,
        baselinePeriod: '2018/19',
        targetKind: 'absolute',
        targetValue: '1e13',
      });
      assert.equal(res.status, 400);
      assert.match(res.body, /href="#baselineValue">[^<]*too large/);
      assert.match(res.body, /href="#targetValue">[^<]*/);
      assert.equal((await listIndicators(t.k, p.id)).length, 2);

      // The whole-partnership import: a figure of 1e13, and one written as 1e309 in the file.
      const file = JSON.parse((await exportPartnership(t.k, SYSTEM_ACTOR, p.id)).chunks.join('')) as {
        tables: Record<string, Record<string, unknown>[]>;
      };
      const counts = await allCounts(t.k);
      file.tables.partnerships![0]!.name = 'Imported Valueshire';
      file.tables.partnerships![0]!.slug = 'imported-valueshire';
      file.tables.figures![1]!.value = 1e13;
      const text = JSON.stringify(file).replace('"value":12', '"value":1e309');
      res = await platform.postFile('/admin/partnerships/import', 'file', { filename: 'valueshire.json', data: Buffer.from(text) });
      assert.equal(res.status, 400);
      assert.match(res.body, /tables\.figures\[1\]\.value/);
      assert.match(res.body, /tables\.figures\[2\]\.value/);
      assert.match(res.body, /at most 1,000,000,000,000/);
      const after = await allCounts(t.k);
      delete after.sessions;
      delete counts.sessions;
      assert.deepEqual(
        { ...after, audit_events: 0, partnership_versions: 0 },
        { ...counts, audit_events: 0, partnership_versions: 0 },
        'nothing imported',
      );
    });

    it('enters one period of several indicators, or several periods of one, all or nothing, naming the cell', async () => {
      // One period of every monthly indicator: the figures already entered are in their boxes.
      let res = await editor.get(`${base()}/figures?period=June%202019`);
      assert.equal(res.status, 200);
      assert.match(res.body, /Figures for June 2019/);
      assert.match(res.body, new RegExp(`name="f-${shed}-2019_06" type="text" value="15"`));
      assert.match(res.body, new RegExp(`name="f-${repeat}-2019_06" type="text" value="25"`));
      const before = await figureCount();
      const cells = `${shed}|2019-07;${repeat}|2019-07`;
      res = await editor.post(`${base()}/figures`, {
        year: '2019/20',
        period: '2019-07',
        cells,
        [`f-${shed}-2019_07`]: '7',
        [`f-${repeat}-2019_07`]: 'x',
      });
      assert.equal(res.status, 400);
      assert.match(res.body, new RegExp(`href="#f-${repeat}-2019_07">V2 Repeat victims, July 2019: &quot;x&quot; is not a number`));
      assert.match(res.body, /Figures for July 2019/, 'the same grid comes back');
      assert.equal(await figureCount(), before, 'nothing written');
      res = await editor.post(`${base()}/figures`, {
        year: '2019/20',
        period: '2019-07',
        cells,
        [`f-${shed}-2019_07`]: '7',
        [`f-${repeat}-2019_07`]: '8',
      });
      assert.equal(res.status, 303);
      assert.equal(await figureCount(), before + 2);
      // Several periods of one indicator: its latest eight, the latest first.
      res = await editor.get(`${base()}/figures?indicator=${shed}`);
      const listed = /name="cells" value="([^"]*)"/.exec(res.body)![1]!;
      const periods = listed.split(';').map((c) => c.split('|')[1]!);
      assert.equal(periods.length, 8);
      assert.deepEqual([...periods].sort().reverse(), periods, 'the latest period first');
      await t.k.deleteFrom('figures').where('period', '=', '2019-07').execute();
      await bumpDataVersion(t.k, p.id);
    });

    it('reads thousands separators only where they are well placed, and says what is wrong with the others', async () => {
      const before = await figureCount();
      const csv = 'indicator,period,value\nV2,2019-07,"1,234"\nV2,2019-08,5 5\nV2,2019-09,"1,2,3"\nV2,2019-10,"12,34"\n';
      let res = await editor.postFile(`${base()}/figures/upload`, 'file', { filename: 'figures.csv', data: Buffer.from(csv) });
      assert.equal(res.status, 400);
      assert.match(res.body, /Row 3, column &quot;value&quot;: &quot;5 5&quot; has a space inside the number/);
      assert.match(res.body, /Row 4, column &quot;value&quot;: &quot;1,2,3&quot; has commas in the wrong places/);
      assert.match(res.body, /Row 5, column &quot;value&quot;: &quot;12,34&quot; has commas in the wrong places/);
      assert.doesNotMatch(res.body, /Row 2, column/);
      res = await editor.post(`${base()}/figures`, { year: '2019/20', [`f-${repeat}-2019_07`]: '5 5' });
      assert.equal(res.status, 400);
      assert.match(res.body, /V2 Repeat victims, July 2019: &quot;5 5&quot; has a space inside the number/);
      assert.equal(await figureCount(), before, 'nothing written');
      res = await editor.postFile(`${base()}/figures/upload`, 'file', {
        filename: 'figures.csv',
        data: Buffer.from('indicator,period,value\nV2,2019-07,"1,234"\nV2,2019-08,"12,345,678"\n'),
      });
      assert.equal(res.status, 303);
      const saved = await t.k
        .selectFrom('figures')
        .select(['period', 'value'])
        .where('indicator_id', '=', repeat)
        .where('period', 'in', ['2019-07', '2019-08'])
        .orderBy('period')
        .execute();
      assert.deepEqual(
        saved.map((f) => f.value),
        [1234, 12345678],
      );
      await t.k.deleteFrom('figures').where('indicator_id', '=', repeat).where('period', 'in', ['2019-07', '2019-08']).execute();
      await bumpDataVersion(t.k, p.id);
    });

    it('works out and draws the largest figures it accepts without holding up the server', { timeout: 60_000 }, async () => {
      // Counts of a million million: the significance test once summed one term per unit of count (days of work).
      const csv = 'indicator,period,value\nV1,2018-07,"999,999,999,999"\nV1,2019-07,"1,000,000,000,000"\nV1,2019-08,0\n';
      let res = await editor.postFile(`${base()}/figures/upload`, 'file', { filename: 'large.csv', data: Buffer.from(csv) });
      assert.equal(res.status, 303);
      const watch = new EventLoopWatch().start();
      for (const url of [
        `${base()}/performance`,
        `${base()}/indicators/${shed}`,
        `${base()}/performance/exceptions`,
        `${base()}/reports/quarterly?quarter=${encodeURIComponent('2019/20 Q2')}`,
        `/public/partnerships/${p.slug}`,
      ]) {
        res = await editor.get(url);
        assert.equal(res.status, 200, url);
      }
      // A loose bound (page renders vary on a busy machine): the point is seconds or days, which an O(count) sum takes.
      const stall = await stopWatch(watch);
      assert.ok(stall < 1_000, `the event loop stalled for ${stall} ms`);
      await t.k.deleteFrom('figures').where('indicator_id', '=', shed).where('period', 'in', ['2018-07', '2019-07', '2019-08']).execute();
      await bumpDataVersion(t.k, p.id);
    });

    it('keeps every page up when a stored figure is not usable, and says what is wrong with that indicator', async () => {
      const target = await t.k
        .selectFrom('figures')
        .select(['id', 'value', 'period'])
        .where('indicator_id', '=', shed)
        .where('period', '=', '2019-06')
        .where('superseded_at', 'is', null)
        .executeTakeFirstOrThrow();
      const bad: { value?: number; period?: string; what: RegExp }[] = [
        { value: Infinity, what: /Infinity/ },
        { value: -Infinity, what: /-Infinity/ },
        { value: 1e300, what: /too large/ },
        { value: -5, what: /below zero/ },
        { period: '2019-13', what: /2019-13/ },
      ];
      // SQLite stores NaN as NULL, which the column refuses; PostgreSQL keeps it.
      if (engine === 'postgres') bad.push({ value: Number.NaN, what: /NaN/ });
      const q = encodeURIComponent('2019/20 Q1');
      const urls = [
        `${base()}/performance`,
        `${base()}/performance.csv`,
        `${base()}/performance.xlsx`,
        `${base()}/performance/scorecard`,
        `${base()}/performance/scorecard.csv`,
        `${base()}/performance/scorecard.xlsx`,
        `${base()}/performance/exceptions`,
        `${base()}/indicators/${shed}`,
        `${base()}/indicators/${shed}/figures.csv`,
        `${base()}/indicators/${shed}/figures.xlsx`,
        `${base()}/figures?year=2019/20`,
        `${base()}/reports/quarterly`,
        `${base()}/reports/quarterly?quarter=${q}`,
        `${base()}/reports/exceptions`,
        `${base()}/reports/exceptions.csv`,
        `${base()}/reports/exceptions.xlsx`,
        `${base()}/reports/year-end.csv?year=2019/20`,
        `${base()}/reports/year-end.xlsx?year=2019/20`,
      ];
      for (const b of bad) {
        await t.k
          .updateTable('figures')
          .set({ value: b.value ?? target.value, period: b.period ?? target.period })
          .where('id', '=', target.id)
          .execute();
        await bumpDataVersion(t.k, p.id);
        const label = `${b.value ?? b.period}`;
        // Every page and download for a value and a period; the calculations' other cases on the pages that show them.
        // The Board pack's Word document is built from the same report as its page: checked once (it takes a second).
        const sweep =
          b === bad[0]
            ? [...urls, `${base()}/reports/quarterly.docx?quarter=${q}`]
            : b.period
              ? urls
              : urls.filter((u) => !/\.(csv|xlsx)/.test(u));
        for (const url of sweep) {
          const res = await editor.get(url);
          assert.equal(res.status, 200, `${label}: ${url} answered ${res.status}: ${res.body.slice(0, 300)}`);
        }
        const dashboard = await editor.get(`${base()}/performance`);
        const shedRow = new RegExp(`data-indicator="${shed}"[\\s\\S]*?</tr>`).exec(dashboard.body)?.[0] ?? '';
        assert.match(shedRow, /cannot be used/, label);
        assert.match(shedRow, b.what, label);
        const repeatRow = new RegExp(`data-indicator="${repeat}"[\\s\\S]*?</tr>`).exec(dashboard.body)?.[0] ?? '';
        assert.match(repeatRow, /June 2019[\s\S]*>25</, `${label}: the other indicator shows as usual`);
        const page = await editor.get(`${base()}/indicators/${shed}`);
        assert.match(page.body, /cannot be used/, label);
        assert.match(page.body, b.what, label);
        const exceptionsPage = await editor.get(`${base()}/performance/exceptions`);
        assert.match(exceptionsPage.body, /cannot be used/, label);
        const pub = await new Browser(t.app).get(`/public/partnerships/${p.slug}`);
        assert.equal(pub.status, 200, `${label}: public summary`);
        assert.match(pub.body, /Repeat victims/);
        assert.doesNotMatch(pub.body, /Infinity|NaN|e\+300/, `${label}: no unusable figure on the public page`);
        for (const url of [
          `/api/v1/partnerships/${p.id}/performance`,
          `/api/v1/partnerships/${p.id}/indicators/${shed}/performance`,
          `/api/v1/partnerships/${p.id}/indicators/${shed}/figures`,
        ]) {
          const r = await api(t.app, editorToken, 'GET', url);
          assert.equal(r.status, 200, `${label}: ${url}: ${r.body.slice(0, 300)}`);
        }
        const perf = (await api(t.app, editorToken, 'GET', `/api/v1/partnerships/${p.id}/indicators/${shed}/performance`)).json<{
          problems: string[];
        }>();
        assert.ok(
          perf.problems.some((x) => /cannot be used/.test(x)),
          label,
        );
      }
      await t.k.updateTable('figures').set({ value: target.value, period: target.period }).where('id', '=', target.id).execute();
      await bumpDataVersion(t.k, p.id);
    });

    it("records a percentage's numerator and denominator in the API, grid and upload, checks them, and shows its Wilson interval", async () => {
      const pct = (
        await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
          code: 'V3',
          title: 'Victims satisfied',
          unit: 'percentage',
          polarity: 'higher_is_better',
          frequency: 'monthly',
          obaCategory: 'how_well',
        })
      ).id;
      const post = (figures: Record<string, unknown>[]) =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/partnerships/${p.id}/figures`,
          headers: { authorization: `Bearer ${editorToken}` },
          payload: { figures },
        });
      // Newcombe (1998) table II: 81 of 263 has the Wilson 95% interval 25.53% to 36.62%; the value is worked out.
      let r = await post([{ indicatorId: pct, period: '2019-04', numerator: 81, denominator: 263 }]);
      assert.equal(r.statusCode, 200, r.body);
      r = await post([
        { indicatorId: pct, period: '2019-05', numerator: 300, denominator: 263 },
        { indicatorId: pct, period: '2019-06', value: 32, numerator: 81, denominator: 263 },
        { indicatorId: shed, period: '2019-06', value: 5, numerator: 5, denominator: 10 },
      ]);
      assert.equal(r.statusCode, 400);
      assert.match(r.body, /Row 1, column \\"numerator\\": the numerator \(300\) cannot be more than the denominator \(263\)/);
      assert.match(r.body, /Row 2, column \\"value\\": the value 32 does not agree with 81 of 263, which gives 30.8/);
      assert.match(r.body, /Row 3, column \\"numerator\\": only a percentage or a rate records a numerator and denominator/);
      const auth = { authorization: `Bearer ${editorToken}` };
      const figures = (await t.app.inject({ url: `/api/v1/partnerships/${p.id}/indicators/${pct}/figures`, headers: auth })).json<
        { period: string; value: number; numerator: number; denominator: number }[]
      >();
      assert.deepEqual(
        figures.map((f) => [f.period, f.value, f.numerator, f.denominator]),
        [['2019-04', 30.8, 81, 263]],
      );
      const perf = (await t.app.inject({ url: `/api/v1/partnerships/${p.id}/indicators/${pct}/performance`, headers: auth })).json<{
        periods: { period: string; numerator: number; intervals: { method: string; ci95: { lower: number; upper: number } } }[];
      }>();
      const april = perf.periods.find((x) => x.period === '2019-04')!;
      assert.equal(april.numerator, 81);
      assert.equal(april.intervals.method, 'Wilson score');
      assert.ok(Math.abs(april.intervals.ci95.lower - 25.53) < 0.01 && Math.abs(april.intervals.ci95.upper - 36.62) < 0.01);
      // The grid: the boxes of the numerator and denominator, a problem named on its own box, and a good save.
      const grid = await editor.get(`${base()}/figures?period=2019-04`);
      assert.match(grid.body, /id="f-\d+-2019_04-n"[^>]*value="81"/);
      let res = await editor.post(`${base()}/figures`, {
        year: '2019/20',
        indicator: String(pct),
        cells: `${pct}|2019-05`,
        [`f-${pct}-2019_05`]: '',
        [`f-${pct}-2019_05-n`]: '15',
        [`f-${pct}-2019_05-d`]: '0',
      });
      assert.equal(res.status, 400);
      assert.match(
        res.body,
        new RegExp(`href="#f-${pct}-2019_05-d">V3 Victims satisfied, May 2019: the denominator must be a whole number above 0`),
      );
      res = await editor.post(`${base()}/figures`, {
        year: '2019/20',
        indicator: String(pct),
        cells: `${pct}|2019-05`,
        [`f-${pct}-2019_05`]: '',
        [`f-${pct}-2019_05-n`]: '15',
        [`f-${pct}-2019_05-d`]: '148',
      });
      assert.equal(res.status, 303, res.body.slice(0, 400));
      // The upload: a value that disagrees is named with its row, column and value; nothing is saved.
      const before = await figureCount();
      res = await editor.postFile(`${base()}/figures/upload`, 'file', {
        filename: 'figures.csv',
        data: Buffer.from('indicator,period,value,numerator,denominator\nV3,2019-06,32,81,263\nV3,2019-07,,1,29\n'),
      });
      assert.equal(res.status, 400);
      assert.match(res.body, /Row 2, column &quot;value&quot;: the value 32 does not agree/);
      assert.equal(await figureCount(), before);
      const may = await t.k
        .selectFrom('figures')
        .selectAll()
        .where('indicator_id', '=', pct)
        .where('period', '=', '2019-05')
        .executeTakeFirstOrThrow();
      assert.deepEqual([Number(may.value), Number(may.numerator), Number(may.denominator)], [10.14, 15, 148]);
      // The indicator page shows the Wilson interval of 15 of 148: 6.2 to 16.1 (Newcombe 1998).
      let page = await editor.get(`${base()}/indicators/${pct}`);
      assert.match(page.body, /Wilson/);

      // A year on, 60 of 250 against April 2019's 81 of 263: the change is tested as two proportions and the test is
      // named with its p-value (pooled z = -1.724; SciPy chi2_contingency(correction=False) gives p = 0.0847).
      // A figure without its fraction is not tested, and the API says why.
      r = await post([
        { indicatorId: pct, period: '2020-04', numerator: 60, denominator: 250 },
        { indicatorId: pct, period: '2020-05', value: 12 },
      ]);
      assert.equal(r.statusCode, 200, r.body);
      const later = (await t.app.inject({ url: `/api/v1/partnerships/${p.id}/indicators/${pct}/performance`, headers: auth })).json<{
        periods: {
          period: string;
          significance: { test: string; pValue: number; description: string } | null;
          reasons: Record<string, string>;
        }[];
      }>();
      const april2020 = later.periods.find((x) => x.period === '2020-04')!;
      assert.equal(april2020.significance?.test, 'two-sample z-test for proportions (pooled variance)');
      assert.ok(Math.abs(april2020.significance.pValue - 0.08470781496388027) < 1e-9);
      const words = 'Not statistically significant: two-sample z-test for proportions (pooled variance), two-sided, p = 0.085';
      assert.equal(april2020.significance.description, words);
      const may2020 = later.periods.find((x) => x.period === '2020-05')!;
      assert.equal(may2020.significance, null);
      assert.match(may2020.reasons.significance ?? '', /numerator and denominator; this figure has none/);
      page = await editor.get(`${base()}/indicators/${pct}`);
      assert.ok(page.body.includes(words), 'the indicator page names the test and its p-value');
    });
  });
}
