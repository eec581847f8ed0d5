/**
 * Table downloads through the real app on each engine: the performance dashboard and an indicator's figures as
 * CSV and XLSX, read back and compared with the figures the performance service computes; the year-end table of
 * a financial year, with a year that is not one refused clearly; and the demo Rochford 2009/10 year-end table as
 * XLSX with domestic burglary 170 to 152, -10.6%, Green.
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
import { indicatorPerformance, partnershipPerformance } from '../../src/services/performance/performance.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { createPlan } from '../../src/services/plans/plans.ts';
import { createPart } from '../../src/services/plans/planParts.ts';
import { writeCommentary } from '../../src/services/performance/commentary.ts';

async function download(t: TestApp, browser: Browser, url: string) {
  return t.app.inject({ method: 'GET', url, headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
}

function readCsv(payload: Buffer): string[][] {
  const text = payload.toString('utf8');
  assert.equal(text.charCodeAt(0), 0xfeff, 'a UTF-8 byte-order mark for Excel');
  const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true });
  assert.deepEqual(parsed.errors, []);
  return parsed.data;
}

async function readXlsx(payload: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(payload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  assert.equal((ws.views[0] as { state?: string }).state, 'frozen');
  assert.equal(ws.getRow(1).getCell(1).font?.bold, true);
  return ws;
}

const headers = (ws: ExcelJS.Worksheet) => (ws.getRow(1).values as unknown[]).slice(1);
/** The sheet's rows below the header as objects keyed by header. */
function records(ws: ExcelJS.Worksheet): Record<string, ExcelJS.Cell>[] {
  const names = headers(ws) as string[];
  const out: Record<string, ExcelJS.Cell>[] = [];
  for (let r = 2; r <= ws.rowCount; r++) out.push(Object.fromEntries(names.map((n, i) => [n, ws.getRow(r).getCell(i + 1)])));
  return out;
}
const near = (a: unknown, b: number) => assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-9, `${String(a)} is ${b}`);

for (const engine of ENGINES) {
  describe(`table exports on ${engine}`, { timeout: 120_000 }, () => {
    let t: TestApp;
    let p: { id: number };
    let viewer: Browser;
    let base: string;
    let asbId: number;
    let versionId: number;
    let other: { id: number };
    let otherVersionId: number;

    before(async () => {
      t = await startTestApp(engine);
      p = await makePartnership(t.k, 'Safer Exportshire Partnership');
      base = `/partnerships/${p.id}`;
      viewer = new Browser(t.app);
      await viewer.signIn((await memberOf(t.k, p.id, 'viewer')).email);
      // A plan with a priority, two risks and a funding stream with two allocations.
      const { version } = await createPlan(t.k, SYSTEM_ACTOR, p.id, { title: 'Community Safety Plan', startYear: 2019, endYear: 2022 });
      versionId = version.id;
      const priority = await createPart(t.k, SYSTEM_ACTOR, p.id, 'priority', version.id, { title: 'Tackling anti-social behaviour' });
      await createPart(t.k, SYSTEM_ACTOR, p.id, 'risk', priority.id, {
        risk: 'Youth service funding ends',
        severity: 'high',
        likelihood: 'medium',
        mitigation: '=Bid to the PCC, fund, "detached" work',
        responsiblePartner: 'Exportshire Council',
        reviewDate: '2020-09-30',
      });
      await createPart(t.k, SYSTEM_ACTOR, p.id, 'risk', priority.id, { risk: 'Reporting falls', severity: 'low', likelihood: 'low' });
      const stream = await createPart(t.k, SYSTEM_ACTOR, p.id, 'stream', version.id, {
        name: 'Community Safety Fund',
        funder: 'Police and Crime Commissioner',
        amount: '10000',
        approvalThreshold: '5000',
      });
      await createPart(t.k, SYSTEM_ACTOR, p.id, 'allocation', stream.id, {
        project: 'Target hardening',
        priorityId: String(priority.id),
        amount: '6250.50',
        spent: '1200',
        boardApproved: 'no',
      });
      await createPart(t.k, SYSTEM_ACTOR, p.id, 'allocation', stream.id, {
        project: 'Street pastors',
        amount: '800',
        spent: '800',
        boardApproved: 'no',
      });
      other = await makePartnership(t.k, 'Safer Elsewhere Partnership');
      otherVersionId = (await createPlan(t.k, SYSTEM_ACTOR, other.id, { title: 'Elsewhere Plan', startYear: 2019, endYear: 2022 })).version
        .id;
      const asb = await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
        code: 'ASB1',
        title: 'Anti-social behaviour incidents',
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
      asbId = asb.id;
      const formula = await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
        title: '=SUM(A1:A9) hate crimes',
        unit: 'count',
        polarity: 'monitor',
        frequency: 'annual',
        obaCategory: 'how_much',
      });
      await enterFigures(t.k, SYSTEM_ACTOR, p.id, [
        ...[30, 28, 25, 27].map((value, i) => ({ indicatorId: asb.id, period: `2018-19 Q${i + 1}`, value: String(value) })),
        ...[20, 22, 25, 31].map((value, i) => ({ indicatorId: asb.id, period: `2019-20 Q${i + 1}`, value: String(value) })),
        { indicatorId: formula.id, period: '2018/19', value: '40' },
        { indicatorId: formula.id, period: '2019/20', value: '44' },
      ]);
      const lead = await memberOf(t.k, p.id, 'editor');
      await writeCommentary(t.k, { userId: lead.id, label: lead.email }, p.id, asb.id, {
        period: '2019-20 Q4',
        text: 'Up in the last quarter; patrols moved to the town centre.',
      });
    });
    after(() => t.close());

    it('links to the downloads from the dashboard, the indicator page and the reports index', async () => {
      assert.match(
        (await viewer.get(`${base}/performance`)).body,
        new RegExp(`href="${base}/performance\\.xlsx"[\\s\\S]*href="${base}/performance\\.csv"`),
      );
      assert.match((await viewer.get(`${base}/indicators/${asbId}`)).body, new RegExp(`href="${base}/indicators/${asbId}/figures\\.xlsx"`));
      const index = await viewer.get(`${base}/reports`);
      assert.match(index.body, new RegExp(`<form method="get" action="${base}/reports/year-end\\.xlsx"`));
      assert.match(index.body, new RegExp(`formaction="${base}/reports/year-end\\.csv"`));
    });

    it('downloads the dashboard as CSV and XLSX with the figures the service computes', async () => {
      const all = await partnershipPerformance(t.k, p.id, { latestOnly: true });
      const asb = all.find((x) => x.indicator.id === asbId)!.latest!;
      assert.equal(asb.value, 31);

      const csv = await download(t, viewer, `${base}/performance.csv`);
      assert.equal(csv.statusCode, 200);
      assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
      assert.match(
        String(csv.headers['content-disposition']),
        /attachment; filename="Safer-Exportshire-Partnership-performance-dashboard\.csv"/,
      );
      const rows = readCsv(csv.rawPayload);
      assert.deepEqual(rows[0], [
        'Indicator',
        'Unit',
        'Latest period',
        'Value',
        'Target',
        'Target figure',
        'RAG',
        'RAG overridden',
        'Direction (on last year)',
        '% change on last year',
        'Lower 95% limit',
        'Upper 95% limit',
        'Lower 99.8% limit',
        'Upper 99.8% limit',
        'Interval method',
      ]);
      // 31 incidents: Byar's method (Fingertips, from 10 events up), limits as the indicator page and API give them.
      assert.ok(asb.intervals.applicable);
      const ci = asb.intervals;
      const row = rows.find((r) => r[0] === 'ASB1 Anti-social behaviour incidents')!;
      assert.deepEqual(row, [
        'ASB1 Anti-social behaviour incidents',
        'Count',
        asb.label,
        '31',
        asb.targetText,
        String(asb.target!.threshold),
        'Red',
        '',
        'Worsening',
        `${asb.percentChange!.toFixed(1)}%`,
        ci.ci95.lower.toFixed(2),
        ci.ci95.upper.toFixed(2),
        ci.ci998.lower.toFixed(2),
        ci.ci998.upper.toFixed(2),
        "Byar's (the count)",
      ]);
      assert.ok(
        rows.some((r) => r[0] === "'=SUM(A1:A9) hate crimes" && r[6] === 'Monitor only'),
        'formula-looking text is made safe in the CSV',
      );

      const xlsx = await download(t, viewer, `${base}/performance.xlsx`);
      assert.equal(xlsx.statusCode, 200);
      assert.equal(xlsx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      assert.match(String(xlsx.headers['content-disposition']), /filename="Safer-Exportshire-Partnership-performance-dashboard\.xlsx"/);
      const sheet = records(await readXlsx(xlsx.rawPayload));
      const x = sheet.find((r) => r.Indicator!.value === 'ASB1 Anti-social behaviour incidents')!;
      assert.equal(x.Value!.value, 31);
      assert.equal(x['Target figure']!.value, asb.target!.threshold);
      assert.equal(x.RAG!.value, 'Red');
      assert.equal(x['% change on last year']!.type, ExcelJS.ValueType.Number);
      near(x['% change on last year']!.value, Math.round(asb.percentChange! * 10) / 1000);
      assert.equal(
        sheet.find((r) => r.RAG!.value === 'Monitor only')!.Indicator!.value,
        "'=SUM(A1:A9) hate crimes",
        'guarded in the workbook too',
      );
    });

    it("downloads an indicator's figures, every period, as computed", async () => {
      const perf = await indicatorPerformance(t.k, p.id, asbId);
      const csv = await download(t, viewer, `${base}/indicators/${asbId}/figures.csv`);
      assert.equal(csv.statusCode, 200);
      assert.match(
        String(csv.headers['content-disposition']),
        /filename="Safer-Exportshire-Partnership-ASB1-Anti-social-behaviour-incidents-figures\.csv"/,
      );
      const rows = readCsv(csv.rawPayload);
      assert.equal(rows.length, 1 + perf.periods.length);
      for (const period of perf.periods) {
        const r = rows.find((x) => x[0] === period.label);
        assert.ok(r, period.label);
        assert.equal(r[1], String(period.value));
        assert.equal(r[9], period.yearToDate === null ? '' : String(period.yearToDate));
        assert.equal(r[10], period.lastYear === null ? '' : String(period.lastYear));
        assert.equal(r[18], period.rag ? period.rag[0]!.toUpperCase() + period.rag.slice(1) : '');
        // The period's intervals (issue 16): its 95% lower limit, or why there is none, and the method.
        const iv = period.intervals;
        assert.equal(r[4], iv.applicable ? iv.ci95.lower.toFixed(2) : '');
        assert.equal(r[8], iv.applicable ? `${iv.method} (${iv.basis})` : `None: ${iv.reason}`);
      }

      const ws = await readXlsx((await download(t, viewer, `${base}/indicators/${asbId}/figures.xlsx`)).rawPayload);
      const sheet = records(ws);
      assert.equal(sheet[0]!.Period!.value, 'Q4 2019/20', 'newest first');
      const q4 = perf.periods.find((x) => x.label === 'Q4 2019/20')!;
      assert.equal(sheet[0]!.Value!.value, 31);
      assert.equal(sheet[0]!['Year to date']!.value, 98);
      assert.equal(sheet[0]!['Same period last year']!.value, 27);
      assert.equal(sheet[0]!.Change!.value, 4);
      near(sheet[0]!['% change']!.value, Math.round(q4.percentChange! * 10) / 1000);
      near(sheet[0]!['Per 1,000 population']!.value, Math.round(q4.ratePer1000! * 100) / 100);
      near(sheet[0]!['Figure against the target']!.value, q4.assessed!);
      assert.ok(q4.intervals.applicable);
      near(sheet[0]!['Upper 99.8% limit']!.value, Math.round(q4.intervals.ci998.upper * 100) / 100);
    });

    it('downloads the year-end table of a financial year against the year before', async () => {
      const csv = await download(t, viewer, `${base}/reports/year-end.csv?year=2019%2F20`);
      assert.equal(csv.statusCode, 200);
      assert.match(
        String(csv.headers['content-disposition']),
        /filename="Safer-Exportshire-Partnership-year-end-performance-2019-20\.csv"/,
      );
      const rows = readCsv(csv.rawPayload);
      assert.deepEqual(rows[0], ['Indicator', '2018/19', '2019/20', 'Change', '% change', 'Target', 'RAG']);
      // Quarterly counts: the year's total, 110 then 98, down 12 (-10.9%).
      const q4 = (await indicatorPerformance(t.k, p.id, asbId)).periods.find((x) => x.period === '2019-20 Q4')!;
      assert.ok(q4.rag && q4.targetText);
      const rag = { red: 'Red', amber: 'Amber', green: 'Green' }[q4.rag];
      assert.deepEqual(
        rows.find((r) => r[0] === 'ASB1 Anti-social behaviour incidents'),
        ['ASB1 Anti-social behaviour incidents', '110', '98', '-12', '-10.9%', q4.targetText, rag],
      );
      assert.deepEqual(rows.find((r) => r[0]!.includes('hate crimes'))!.slice(1, 5), ['40', '44', '4', '10.0%']);

      const ws = await readXlsx((await download(t, viewer, `${base}/reports/year-end.xlsx?year=2019-20`)).rawPayload);
      const asb = records(ws).find((r) => r.Indicator!.value === 'ASB1 Anti-social behaviour incidents')!;
      assert.equal(asb['2018/19']!.value, 110);
      assert.equal(asb['2019/20']!.value, 98);
      near(asb['% change']!.value, -0.109);
    });

    it('downloads the scorecard with the figures the page shows', async () => {
      const page = await viewer.get(`${base}/performance/scorecard`);
      assert.match(page.body, new RegExp(`href="${base}/performance/scorecard\\.xlsx"[\\s\\S]*href="${base}/performance/scorecard\\.csv"`));
      assert.match(page.body, /Tackling anti-social behaviour/);
      const asb = (await partnershipPerformance(t.k, p.id, { latestOnly: true })).find((x) => x.indicator.id === asbId)!.latest!;
      const csv = await download(t, viewer, `${base}/performance/scorecard.csv`);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-disposition']), /filename="Safer-Exportshire-Partnership-scorecard\.csv"/);
      const rows = readCsv(csv.rawPayload);
      assert.deepEqual(rows[0], [
        'Priority',
        'Plan',
        'Question',
        'Indicator',
        'Unit',
        'Latest period',
        'Value',
        'Target',
        'RAG',
        'RAG overridden',
        'Direction',
      ]);
      const row = rows.find((r) => r[0] === 'Tackling anti-social behaviour')!;
      assert.deepEqual(row, [
        'Tackling anti-social behaviour',
        'Community Safety Plan 2019-22',
        'Is anyone better off?',
        'ASB1 Anti-social behaviour incidents',
        'Count',
        asb.label,
        '31',
        asb.targetText,
        'Red',
        '',
        'Worsening',
      ]);
      assert.ok(page.body.includes(`>${asb.label}<`) && page.body.includes('>31<'), 'the page shows the same period and value');
      assert.ok(rows.some((r) => r[0] === 'Indicators not linked to a priority' && r[3] === "'=SUM(A1:A9) hate crimes"));

      const sheet = records(await readXlsx((await download(t, viewer, `${base}/performance/scorecard.xlsx`)).rawPayload));
      const x = sheet.find((r) => r.Priority!.value === 'Tackling anti-social behaviour')!;
      assert.equal(x.Value!.value, 31);
      assert.equal(x.Value!.type, ExcelJS.ValueType.Number);
      assert.equal(x.RAG!.value, 'Red');
    });

    it("downloads the exception report's indicators with the lead's commentary", async () => {
      const page = await viewer.get(`${base}/reports/exceptions`);
      assert.match(page.body, new RegExp(`href="${base}/reports/exceptions\\.xlsx"[\\s\\S]*href="${base}/reports/exceptions\\.csv"`));
      assert.match(page.body, /31 \(Q4 2019\/20\)/);
      const csv = await download(t, viewer, `${base}/reports/exceptions.csv`);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-disposition']), /filename="Safer-Exportshire-Partnership-exception-report\.csv"/);
      const rows = readCsv(csv.rawPayload);
      assert.deepEqual(rows[0], [
        'Indicator',
        'Why',
        'Latest period',
        'Unit',
        'Latest figure',
        'Target',
        'RAG',
        "Lead's commentary",
        'Commentary by',
        'Commentary written',
      ]);
      const row = rows.find((r) => r[0] === 'ASB1 Anti-social behaviour incidents')!;
      assert.equal(row[1], 'Red; Worsening on the same period last year');
      assert.deepEqual(row.slice(2, 5), ['Q4 2019/20', 'Count', '31']);
      assert.equal(row[6], 'Red');
      assert.equal(row[7], 'Up in the last quarter; patrols moved to the town centre.');
      assert.match(row[9]!, /^\d{4}-\d{2}-\d{2}$/);

      const sheet = records(await readXlsx((await download(t, viewer, `${base}/reports/exceptions.xlsx`)).rawPayload));
      const x = sheet.find((r) => r.Indicator!.value === 'ASB1 Anti-social behaviour incidents')!;
      assert.equal(x['Latest figure']!.value, 31);
      assert.equal(x['Commentary written']!.type, ExcelJS.ValueType.Date);
      assert.equal((x['Commentary written']!.value as Date).toISOString().slice(0, 10), row[9]);
    });

    it("downloads a plan version's risk register", async () => {
      const vbase = `${base}/plan-versions/${versionId}`;
      assert.match((await viewer.get(vbase)).body, new RegExp(`href="${vbase}/risks\\.xlsx"[\\s\\S]*href="${vbase}/risks\\.csv"`));
      const csv = await download(t, viewer, `${vbase}/risks.csv`);
      assert.equal(csv.statusCode, 200);
      assert.match(
        String(csv.headers['content-disposition']),
        /filename="Safer-Exportshire-Partnership-Community-Safety-Plan-2019-22-risk-register\.csv"/,
      );
      const rows = readCsv(csv.rawPayload);
      assert.deepEqual(rows, [
        ['Priority', 'Risk', 'Severity', 'Likelihood', 'Actions to mitigate', 'Partner responsible', 'Review date'],
        [
          'Tackling anti-social behaviour',
          'Youth service funding ends',
          'High',
          'Medium',
          `'=Bid to the PCC, fund, "detached" work`,
          'Exportshire Council',
          '2020-09-30',
        ],
        ['Tackling anti-social behaviour', 'Reporting falls', 'Low', 'Low', '', '', ''],
      ]);
      const ws = await readXlsx((await download(t, viewer, `${vbase}/risks.xlsx`)).rawPayload);
      const first = records(ws)[0]!;
      assert.equal(first.Severity!.value, 'High');
      assert.equal(first['Actions to mitigate']!.value, `'=Bid to the PCC, fund, "detached" work`);
      assert.equal(first['Review date']!.type, ExcelJS.ValueType.Date);
      assert.equal((first['Review date']!.value as Date).toISOString().slice(0, 10), '2020-09-30');
    });

    it("downloads a plan version's funding allocations in pounds", async () => {
      const vbase = `${base}/plan-versions/${versionId}`;
      const page = await viewer.get(`${vbase}/funding`);
      assert.match(page.body, new RegExp(`href="${vbase}/funding\\.xlsx"[\\s\\S]*href="${vbase}/funding\\.csv"`));
      assert.match(page.body, /£6,250\.50/);
      const csv = await download(t, viewer, `${vbase}/funding.csv`);
      assert.equal(csv.statusCode, 200);
      assert.match(
        String(csv.headers['content-disposition']),
        /filename="Safer-Exportshire-Partnership-Community-Safety-Plan-2019-22-funding-allocations\.csv"/,
      );
      assert.deepEqual(readCsv(csv.rawPayload), [
        ['Funding stream', 'Funder', 'Project', 'Priority', 'Allocated', 'Spent', 'Remaining', 'Board approval'],
        [
          'Community Safety Fund',
          'Police and Crime Commissioner',
          'Target hardening',
          'Tackling anti-social behaviour',
          '6250.50',
          '1200.00',
          '5050.50',
          'Needs Board approval',
        ],
        ['Community Safety Fund', 'Police and Crime Commissioner', 'Street pastors', '', '800.00', '800.00', '0.00', 'Not needed'],
      ]);
      const sheet = records(await readXlsx((await download(t, viewer, `${vbase}/funding.xlsx`)).rawPayload));
      assert.equal(sheet[0]!.Allocated!.value, 6250.5);
      assert.equal(sheet[0]!.Allocated!.type, ExcelJS.ValueType.Number);
      assert.match(String(sheet[0]!.Allocated!.numFmt), /£/);
      assert.equal(sheet[0]!.Remaining!.value, 5050.5);
    });

    it("gives 404 for another partnership's plan version, and for a partnership the reader is not in", async () => {
      for (const format of ['csv', 'xlsx']) {
        for (const url of [
          `${base}/plan-versions/${otherVersionId}/risks.${format}`,
          `${base}/plan-versions/${otherVersionId}/funding.${format}`,
          `/partnerships/${other.id}/performance/scorecard.${format}`,
          `/partnerships/${other.id}/reports/exceptions.${format}`,
          `/partnerships/${other.id}/plan-versions/${otherVersionId}/risks.${format}`,
          `/partnerships/${other.id}/plan-versions/${otherVersionId}/funding.${format}`,
        ]) {
          assert.equal((await download(t, viewer, url)).statusCode, 404, url);
        }
      }
    });

    it('refuses a year that is not a financial year with a clear message', async () => {
      for (const url of [`${base}/reports/year-end.xlsx?year=2009%2F11`, `${base}/reports/year-end.csv?year=nonsense`]) {
        const res = await viewer.get(url);
        assert.equal(res.status, 400, url);
        assert.match(res.body, /is not a financial year: enter one like &#39;2009\/10&#39;/);
      }
      const missing = await viewer.get(`${base}/reports/year-end.xlsx`);
      assert.equal(missing.status, 400);
      assert.match(missing.body, /Enter the financial year, like &#39;2009\/10&#39;/);
    });
  });
}

describe('the demo Rochford 2009/10 year-end table', { timeout: 300_000 }, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('sqlite');
    await seedDemo(t.k, { email: 'admin@csphub.test', password: 'demo-password-2026' });
  });
  after(() => t.close());

  it('downloads as XLSX with domestic burglary 170 to 152, -10.6%, Green', async () => {
    const rochford = await t.k
      .selectFrom('partnerships')
      .select(['id', 'name'])
      .where('name', 'like', 'Rochford%')
      .executeTakeFirstOrThrow();
    const viewer = new Browser(t.app);
    await viewer.signIn((await memberOf(t.k, rochford.id, 'viewer')).email);
    const res = await download(t, viewer, `/partnerships/${rochford.id}/reports/year-end.xlsx?year=2009/10`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-disposition']), /filename="Rochford-[A-Za-z-]*year-end-performance-2009-10\.xlsx"/);
    const ws = await readXlsx(res.rawPayload);
    assert.deepEqual(headers(ws), ['Indicator', '2008/09', '2009/10', 'Change', '% change', 'Target', 'RAG']);
    const sheet = records(ws);
    const burglary = sheet.find((r) => r.Indicator!.value === 'RCH 1 Domestic burglary')!;
    assert.ok(burglary, 'a row for domestic burglary');
    assert.equal(burglary['2008/09']!.value, 170);
    assert.equal(burglary['2009/10']!.value, 152);
    assert.equal(burglary.Change!.value, -18);
    assert.equal(burglary['% change']!.type, ExcelJS.ValueType.Number);
    near(burglary['% change']!.value, -0.106);
    assert.equal(burglary['% change']!.numFmt, '0.0%');
    assert.equal(burglary.RAG!.value, 'Green');
    // The overridden RAG of the published plan, and every one of the six priorities' indicators.
    assert.equal(sheet.find((r) => r.Indicator!.text.startsWith('RCH 5'))!.RAG!.value, 'Amber');
    assert.equal(sheet.filter((r) => r.Indicator!.text.startsWith('RCH ')).length, 6);
  });
});
