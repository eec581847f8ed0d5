/**
 * Any page's GOV.UK table as CSV and XLSX through the page's own route (?download=table-N.csv|xlsx), on each
 * engine: the download line after each table, the same cells as the HTML table with numbers as numbers, the page's
 * authorisation (outsiders 404, signed out to sign-in), the public summary's "<5" kept, bad choices 400 and 404.
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
import { approveVersion, createPlan, publishVersion } from '../../src/services/plans/plans.ts';
import { createPart } from '../../src/services/plans/planParts.ts';
import { findGovukTables, htmlTableToExport } from '../../src/presentation/tables/htmlTable.ts';
import { validPartInput } from '../support/plans.ts';

async function download(t: TestApp, browser: Browser, url: string) {
  return t.app.inject({ method: 'GET', url, headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
}

function readCsv(payload: Buffer): string[][] {
  const text = payload.toString('utf8');
  assert.equal(text.charCodeAt(0), 0xfeff);
  const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true });
  assert.deepEqual(parsed.errors, []);
  return parsed.data;
}

async function readXlsx(payload: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(payload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  assert.equal((ws.views[0] as { state?: string }).state, 'frozen');
  const out: unknown[][] = [];
  for (let r = 1; r <= ws.rowCount; r++)
    out.push(Array.from({ length: ws.columnCount }, (_, i) => ws.getRow(r).getCell(i + 1).value ?? null));
  return out;
}

/** The Nth table of a page read with the converter (what the download must hold). */
function nthTable(body: string, n: number) {
  const span = findGovukTables(body)[n - 1]!;
  return htmlTableToExport(body.slice(span.start, span.end), 'x')!;
}

for (const engine of ENGINES) {
  describe(`table downloads on ${engine}`, { timeout: 120_000 }, () => {
    let t: TestApp;
    let p: { id: number; slug: string };
    let viewer: Browser;
    let outsider: Browser;
    let indicatorUrl: string;

    before(async () => {
      t = await startTestApp(engine);
      p = await makePartnership(t.k, 'Safer Tableshire Partnership');
      viewer = new Browser(t.app);
      await viewer.signIn((await memberOf(t.k, p.id, 'viewer')).email);
      const other = await makePartnership(t.k, 'Safer Elsewhere Partnership');
      outsider = new Browser(t.app);
      await outsider.signIn((await memberOf(t.k, other.id, 'admin')).email);
      const { version } = await createPlan(t.k, SYSTEM_ACTOR, p.id, { title: 'Community Safety Plan', startYear: 2019, endYear: 2022 });
      await createPart(t.k, SYSTEM_ACTOR, p.id, 'priority', version.id, validPartInput('priority'));
      await approveVersion(t.k, SYSTEM_ACTOR, p.id, version.id, {
        approvedBy: 'Partnership Board',
        approvedOn: '2019-03-28',
        meeting: 'Board',
      });
      await publishVersion(t.k, SYSTEM_ACTOR, p.id, version.id);
      const fires = await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
        code: 'TB 1',
        title: 'Deliberate fires',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'quarterly',
        obaCategory: 'better_off',
        isPublic: 'yes',
      });
      const asb = await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
        code: 'TB 2',
        title: 'Anti-social behaviour incidents',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'quarterly',
        obaCategory: 'better_off',
        isPublic: 'yes',
      });
      await enterFigures(t.k, SYSTEM_ACTOR, p.id, [
        ...[1200, 1180, 1250, 1310].map((value, i) => ({ indicatorId: asb.id, period: `2019-20 Q${i + 1}`, value: String(value) })),
        { indicatorId: fires.id, period: '2019-20 Q1', value: '12' },
        { indicatorId: fires.id, period: '2019-20 Q2', value: '3' },
      ]);
      indicatorUrl = `/partnerships/${p.id}/indicators/${asb.id}`;
    });
    after(() => t.close());

    it('offers each table of a partnership page as CSV and XLSX with the same cells, numbers as numbers', async () => {
      const page = await viewer.get(indicatorUrl);
      assert.equal(page.status, 200);
      const m =
        /<\/table>(?:<\/div>)?<p class="govuk-body app-table-download app-no-print">Download this table: <a class="govuk-link" href="\?download=table-(\d+)\.csv" download>CSV<span class="govuk-visually-hidden"> of TB 2 Anti-social behaviour incidents: statistical process control \(XmR\)<\/span><\/a> · <a class="govuk-link" href="\?download=table-\1\.xlsx" download>Excel \(XLSX\)/.exec(
          page.body,
        );
      assert.ok(m, 'a download line after the XmR table');
      const n = Number(m[1]);
      // The figures table (the one followed by its own "Download these figures" line) gets no generic line.
      const figuresTable = findGovukTables(page.body).findIndex((span) =>
        /^\s*(?:<\/div>\s*)*<p\b[^>]*\bid="figures-downloads"/.test(page.body.slice(span.end, span.end + 400)),
      );
      assert.ok(figuresTable >= 0, 'the figures table is on the page');
      assert.doesNotMatch(
        page.body,
        new RegExp(`href="\\?download=table-${figuresTable + 1}\\.csv"`),
        'the figures table keeps its dedicated download line only',
      );
      const expected = nthTable(page.body, n);
      assert.deepEqual(expected.rows[0], ['Q1 2019/20', 1200, 1235, 1102, 1368, 'Common cause']);

      const csv = await download(t, viewer, `${indicatorUrl}?download=table-${n}.csv`);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.match(
        String(csv.headers['content-disposition']),
        /^attachment; filename="TB-2-Anti-social-behaviour-incidents.*statistical-process-control-XmR\.csv"/,
      );
      const rows = readCsv(csv.rawPayload);
      assert.deepEqual(
        rows[0],
        expected.columns.map((c) => c.header),
      );
      assert.deepEqual(
        rows.slice(1),
        expected.rows.map((r) => r.map((c) => (c === null ? '' : String(c)))),
      );

      const xlsx = await download(t, viewer, `${indicatorUrl}?download=table-${n}.xlsx`);
      assert.equal(xlsx.statusCode, 200);
      assert.match(String(xlsx.headers['content-disposition']), /\.xlsx"/);
      const sheet = await readXlsx(xlsx.rawPayload);
      assert.deepEqual(
        sheet[0],
        expected.columns.map((c) => c.header),
      );
      assert.deepEqual(sheet.slice(1), expected.rows);
      assert.equal(typeof sheet[1]![1], 'number');
    });

    it('keeps the page authorisation: outsiders get 404, signed out the sign-in page', async () => {
      const url = `${indicatorUrl}?download=table-2.csv`;
      const outside = await download(t, outsider, url);
      assert.equal(outside.statusCode, 404);
      assert.doesNotMatch(outside.body, /Anti-social/);
      const anonymous = await download(t, new Browser(t.app), url);
      assert.equal(anonymous.statusCode, 303);
      assert.equal(anonymous.headers.location, `/sign-in?next=${encodeURIComponent(url)}`);
      assert.equal((await download(t, new Browser(t.app), `${indicatorUrl}?download=nope`)).statusCode, 303, 'sign-in before any 400');
    });

    it('refuses a malformed choice with 400 and a table that is not on the page with 404', async () => {
      for (const bad of ['table-0.csv', 'table-1.pdf', 'table-x.xlsx', '1.csv']) {
        const res = await download(t, viewer, `${indicatorUrl}?download=${bad}`);
        assert.equal(res.statusCode, 400, bad);
        assert.match(res.body, /There is a problem/);
      }
      const twice = await download(t, viewer, `${indicatorUrl}?download=table-1.csv&download=table-2.csv`);
      assert.equal(twice.statusCode, 400);
      const missing = await download(t, viewer, `${indicatorUrl}?download=table-99.csv`);
      assert.equal(missing.statusCode, 404);
      assert.match(String(missing.headers['content-type']), /^text\/html/);
      assert.match(missing.body, /Page not found/);
    });

    it('keeps the tables of a form shown again with its errors in their scrolling regions, without downloads', async () => {
      const admin = new Browser(t.app);
      await admin.signIn((await memberOf(t.k, p.id, 'admin')).email);
      await admin.get(indicatorUrl);
      const res = await admin.post(`${indicatorUrl}/spc`, { kind: 'phase', period: 'not a period' });
      assert.equal(res.status, 400);
      const tables = res.body.match(/<table class="govuk-table[^>]*>/g) ?? [];
      const regions = res.body.match(/<div class="app-table-scroll" role="region" aria-label="[^"]+" tabindex="0"><table/g) ?? [];
      assert.ok(tables.length >= 2, `tables on the page: ${tables.length}`);
      assert.equal(regions.length, tables.filter((tag) => !tag.includes('data-no-region')).length);
      assert.doesNotMatch(res.body, /download=table-/);
    });

    it('downloads the public summary with the suppressed "<5" as it is shown', async () => {
      const anonymous = new Browser(t.app);
      const page = await anonymous.get(`/public/partnerships/${p.slug}`);
      assert.equal(page.status, 200);
      const m = /href="\?download=table-(\d+)\.csv" download>CSV<span class="govuk-visually-hidden"> of Latest figures</.exec(page.body);
      assert.ok(m, 'a download line after the latest figures');
      const csv = readCsv((await download(t, anonymous, `/public/partnerships/${p.slug}?download=table-${m[1]}.csv`)).rawPayload);
      const fires = csv.find((r) => r[0] === 'TB 1 Deliberate fires')!;
      assert.equal(fires.at(-1), '<5');
      assert.ok(!csv.flat().includes('3'), 'the real count is nowhere');
      const sheet = await readXlsx((await download(t, anonymous, `/public/partnerships/${p.slug}?download=table-${m[1]}.xlsx`)).rawPayload);
      assert.equal(sheet.find((r) => r[0] === 'TB 1 Deliberate fires')!.at(-1), '<5');
    });
  });
}
