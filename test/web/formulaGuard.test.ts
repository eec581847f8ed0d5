/**
 * Formula injection in downloads, on each engine: indicators, a priority, a risk and a funding allocation named
 * like spreadsheet formulas (=HYPERLINK(…), +cmd, -1+1, @SUM(A1)) are downloaded through every CSV and XLSX route
 * — the dedicated exports and any page's table (?download=table-N), where an indicator's name is a column header and
 * the sheet's name — and no cell, header or sheet name of any file starts like a formula, while figures stay numbers.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { ENGINES } from '../support/db.ts';
import { Browser, makePartnership, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { enterFigures } from '../../src/services/performance/figures.ts';
import { createPlan } from '../../src/services/plans/plans.ts';
import { createPart } from '../../src/services/plans/planParts.ts';
import { findGovukTables, htmlTableToExport } from '../../src/presentation/tables/htmlTable.ts';

const PAYLOADS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", '-1+1', '@SUM(A1)'];
/** What a spreadsheet would run: a cell starting with = + - @, a tab or a line break, unless it is a plain number. */
const FORMULA_START = /^\s*[=+\-@]|^[\t\r\n]/;
const PLAIN_NUMBER = /^[+-]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)%?$/;

function assertNoFormula(where: string, text: string): void {
  assert.ok(!FORMULA_START.test(text) || PLAIN_NUMBER.test(text), `${where}: ${JSON.stringify(text)} starts like a formula`);
}

async function download(t: TestApp, browser: Browser, url: string) {
  const res = await t.app.inject({ method: 'GET', url, headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
  assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
  return res.rawPayload;
}

/** Every cell of a CSV file (header included), checked; returns the cells. */
function checkCsv(url: string, payload: Buffer): string[][] {
  const parsed = Papa.parse<string[]>(payload.toString('utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true });
  assert.deepEqual(parsed.errors, []);
  parsed.data.forEach((row, r) => row.forEach((cell, c) => assertNoFormula(`${url} row ${r + 1} column ${c + 1}`, cell)));
  return parsed.data;
}

/** Every cell of the workbook's sheet and its name, checked; returns the count of number and date cells. */
async function checkXlsx(url: string, payload: Buffer): Promise<{ name: string; numbers: number; texts: string[] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(payload as unknown as ArrayBuffer);
  assert.equal(wb.worksheets.length, 1);
  const ws = wb.worksheets[0]!;
  assert.ok(!/^[=+\-@'\s]/.test(ws.name), `${url}: sheet name ${JSON.stringify(ws.name)}`);
  let numbers = 0;
  const texts: string[] = [];
  ws.eachRow({ includeEmpty: false }, (row, r) =>
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      assert.notEqual(cell.type, ExcelJS.ValueType.Formula, `${url} ${r}:${c} is a formula`);
      if (cell.type === ExcelJS.ValueType.Number || cell.type === ExcelJS.ValueType.Date) numbers += 1;
      if (typeof cell.value === 'string') {
        texts.push(cell.value);
        assertNoFormula(`${url} row ${r} column ${c}`, cell.value);
      }
    }),
  );
  return { name: ws.name, numbers, texts };
}

for (const engine of ENGINES) {
  describe(`formula injection in downloads on ${engine}`, { timeout: 120_000 }, () => {
    let t: TestApp;
    let viewer: Browser;
    let base: string;
    let versionId: number;
    const indicatorIds: number[] = [];

    before(async () => {
      t = await startTestApp(engine);
      const p = await makePartnership(t.k, 'Safer Formulashire Partnership');
      base = `/partnerships/${p.id}`;
      viewer = new Browser(t.app);
      await viewer.signIn((await memberOf(t.k, p.id, 'viewer')).email);
      const { version } = await createPlan(t.k, SYSTEM_ACTOR, p.id, { title: 'Community Safety Plan', startYear: 2019, endYear: 2022 });
      versionId = version.id;
      const priority = await createPart(t.k, SYSTEM_ACTOR, p.id, 'priority', version.id, { title: PAYLOADS[0] });
      await createPart(t.k, SYSTEM_ACTOR, p.id, 'risk', priority.id, {
        risk: PAYLOADS[1],
        severity: 'high',
        likelihood: 'medium',
        mitigation: PAYLOADS[3],
        responsiblePartner: PAYLOADS[2],
        reviewDate: '2020-09-30',
      });
      const stream = await createPart(t.k, SYSTEM_ACTOR, p.id, 'stream', version.id, {
        name: PAYLOADS[0],
        funder: PAYLOADS[3],
        amount: '10000',
      });
      await createPart(t.k, SYSTEM_ACTOR, p.id, 'allocation', stream.id, {
        project: PAYLOADS[2],
        priorityId: String(priority.id),
        amount: '2500',
        spent: '100',
        boardApproved: 'no',
      });
      for (const title of PAYLOADS) {
        // Rising figures against a target to reduce: Red, so each is in the exception report too.
        const i = await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
          title,
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
          priorityIds: [String(priority.id)],
        });
        indicatorIds.push(i.id);
        await enterFigures(t.k, SYSTEM_ACTOR, p.id, [
          ...[30, 28, 25, 27].map((value, q) => ({ indicatorId: i.id, period: `2018-19 Q${q + 1}`, value: String(value) })),
          ...[20, 22, 25, 31].map((value, q) => ({ indicatorId: i.id, period: `2019-20 Q${q + 1}`, value: String(value) })),
        ]);
      }
    });
    after(() => t.close());

    it('guards every cell, header and sheet name of every dedicated CSV and XLSX export, figures still numbers', async () => {
      const routes = [
        `${base}/performance`,
        `${base}/indicators/${indicatorIds[0]}/figures`,
        `${base}/reports/year-end`,
        `${base}/performance/scorecard`,
        `${base}/reports/exceptions`,
        `${base}/plan-versions/${versionId}/risks`,
        `${base}/plan-versions/${versionId}/funding`,
      ];
      const seen = new Set<string>();
      for (const route of routes) {
        const query = route.endsWith('year-end') ? '?year=2019%2F20' : '';
        const csv = checkCsv(`${route}.csv`, await download(t, viewer, `${route}.csv${query}`));
        const xlsx = await checkXlsx(`${route}.xlsx`, await download(t, viewer, `${route}.xlsx${query}`));
        assert.ok(xlsx.numbers > 0, `${route}.xlsx keeps its figures and dates as numbers and dates`);
        for (const payload of PAYLOADS) {
          if (csv.flat().some((cell) => cell.includes(payload))) {
            seen.add(payload);
            assert.ok(
              csv.flat().some((cell) => cell.startsWith(`'${payload}`)),
              `${route}.csv holds ${payload} with the guard`,
            );
            assert.ok(
              xlsx.texts.some((cell) => cell.startsWith(`'${payload}`)),
              `${route}.xlsx holds ${payload} with the guard`,
            );
          }
        }
      }
      assert.deepEqual([...seen].sort(), [...PAYLOADS].sort(), 'every payload reached some download');
    });

    it("guards a page table's headers and sheet name (an indicator's name heading its chart's table)", async () => {
      const url = `${base}/indicators/${indicatorIds[0]}`;
      const page = await viewer.get(url);
      assert.equal(page.status, 200);
      const tables = findGovukTables(page.body).map((span) => htmlTableToExport(page.body.slice(span.start, span.end), 'x'));
      const n = tables.findIndex((table) => table?.columns.some((c) => c.header === PAYLOADS[0])) + 1;
      assert.ok(n > 0, 'a table on the indicator page has the indicator as a column header');
      const csv = checkCsv(`${url} table ${n}`, await download(t, viewer, `${url}?download=table-${n}.csv`));
      assert.ok(csv[0]!.includes(`'${PAYLOADS[0]}`), `the header is guarded: ${JSON.stringify(csv[0])}`);
      assert.ok(
        csv.slice(1).some((row) => row.some((cell) => cell === '31')),
        'figures stay plain numbers',
      );
      const xlsx = await checkXlsx(`${url} table ${n}`, await download(t, viewer, `${url}?download=table-${n}.xlsx`));
      assert.ok(xlsx.texts.includes(`'${PAYLOADS[0]}`));
      assert.ok(xlsx.numbers > 0);
      // Every other table on the page, and on the scorecard and the plan version's pages, the same.
      for (const pageUrl of [
        url,
        `${base}/performance/scorecard`,
        `${base}/plan-versions/${versionId}`,
        `${base}/plan-versions/${versionId}/funding`,
      ]) {
        const body = (await viewer.get(pageUrl)).body;
        const count = findGovukTables(body).length;
        for (let i = 1; i <= count; i++) {
          const tableUrl = `${pageUrl}?download=table-${i}`;
          const res = await t.app.inject({
            method: 'GET',
            url: `${tableUrl}.csv`,
            headers: { cookie: [...viewer.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
          });
          if (res.statusCode === 404) continue; // a table the converter cannot read (a form, an empty table)
          checkCsv(`${tableUrl}.csv`, res.rawPayload);
          await checkXlsx(`${tableUrl}.xlsx`, await download(t, viewer, `${tableUrl}.xlsx`));
        }
      }
    });
  });
}
