/**
 * Reports through the real app on each engine: a partnership with a plan priority, a linked indicator with two
 * years of quarterly figures, an overdue activity and a high risk, built through the services; the quarterly
 * report for Q4 2019/20 as a page, then downloaded as DOCX (unzipped and read back) and PDF (pdftotext), each
 * with the same figures; a quarter that does not exist refused clearly; the exception report; and the demo Safer
 * Rotherham Board pack for Q4 2019/20 with a figure from its 2018-21 review.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { api, Browser, makePartnership, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { docxParagraphs, openPdf, pdfAccessibility } from '../support/documents.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { approveVersion, createPlan } from '../../src/services/plans/plans.ts';
import { createPart } from '../../src/services/plans/planParts.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { enterFigures } from '../../src/services/performance/figures.ts';
import { parseReportQuarter } from '../../src/domain/reportQuarter.ts';
import { seedDemo } from '../../src/demo/seed.ts';

/** The text between one heading and the next section on the page. */
function section(body: string, title: string): string {
  const start = body.indexOf(`data-group="${title}"`);
  assert.ok(start > 0, `a section for ${title}`);
  return body.slice(start, body.indexOf('</section>', start));
}

async function download(t: TestApp, browser: Browser, url: string) {
  return t.app.inject({ method: 'GET', url, headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
}

describe('report quarters', () => {
  it('reads a quarter written the ways people write it, and ends it on its last day', () => {
    for (const q of ['2019/20 Q4', '2019-20 Q4', 'Q4 2019/20']) {
      const r = parseReportQuarter(q);
      assert.equal(r.key, '2019-20 Q4');
      assert.equal(r.label, 'Q4 2019/20');
      assert.equal(r.endDate, '2020-03-31');
    }
    assert.equal(parseReportQuarter('2019/20 Q3').endDate, '2019-12-31');
    assert.throws(() => parseReportQuarter('2019/20 Q5'), /not a quarter/);
    assert.throws(() => parseReportQuarter(''), /Enter the quarter/);
  });
});

for (const engine of ENGINES) {
  describe(`reports on ${engine}`, { timeout: 120_000 }, () => {
    let t: TestApp;
    let p: { id: number };
    let viewer: Browser;
    let base: string;

    before(async () => {
      t = await startTestApp(engine);
      p = await makePartnership(t.k, 'Safer Reportshire Partnership');
      base = `/partnerships/${p.id}`;
      viewer = new Browser(t.app);
      await viewer.signIn((await memberOf(t.k, p.id, 'viewer')).email);
      const { version } = await createPlan(t.k, SYSTEM_ACTOR, p.id, { title: 'Community Safety Plan', startYear: 2019, endYear: 2022 });
      const add = (kind: Parameters<typeof createPart>[3], parent: number, input: Record<string, unknown>) =>
        createPart(t.k, SYSTEM_ACTOR, p.id, kind, parent, input);
      const asb = await add('priority', version.id, { title: 'Reducing anti-social behaviour' });
      await add('priority', version.id, { title: 'Tackling domestic abuse' });
      const objective = await add('objective', asb.id, { title: 'Fewer repeat calls' });
      await add('activity', objective.id, {
        title: 'Alley-gating scheme in Eastwood',
        lead: 'Council',
        dueDate: '2020-02-28',
        status: 'in_progress',
        rag: 'green',
      });
      await add('activity', objective.id, { title: 'Finished leaflet drop', dueDate: '2020-01-10', status: 'complete', rag: 'green' });
      await add('activity', objective.id, {
        title: 'Youth diversion next year',
        dueDate: '2021-01-10',
        status: 'not_started',
        rag: 'green',
      });
      // Amber but not due until next year: not off track for this quarter's pack; a delayed one is, whenever due.
      await add('activity', objective.id, { title: 'CCTV upgrade for 2021', dueDate: '2021-03-31', status: 'in_progress', rag: 'amber' });
      await add('activity', objective.id, { title: 'Warden recruitment', dueDate: '2021-06-30', status: 'delayed', rag: 'red' });
      await add('risk', asb.id, {
        risk: 'Funding for wardens withdrawn',
        severity: 'high',
        likelihood: 'medium',
        mitigation: 'Seek PCC grant',
      });
      await add('risk', asb.id, { risk: 'Minor printing delay', severity: 'high', likelihood: 'low' });
      const asbIndicator = await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
        code: 'ASB1',
        title: 'Anti-social behaviour incidents',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'quarterly',
        obaCategory: 'better_off',
        priorityIds: [asb.id],
        baselineValue: '100',
        baselinePeriod: '2018/19',
        targetKind: 'percentage_change',
        targetDirection: 'reduce',
        targetValue: '10',
        targetBy: '2019/20',
      });
      const hate = await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
        title: 'Hate crimes reported',
        unit: 'count',
        polarity: 'monitor',
        frequency: 'quarterly',
        obaCategory: 'how_much',
      });
      const rows = [
        ...[30, 28, 25, 27].map((value, i) => ({ indicatorId: asbIndicator.id, period: `2018-19 Q${i + 1}`, value: String(value) })),
        ...[20, 22, 25, 3131].map((value, i) => ({ indicatorId: asbIndicator.id, period: `2019-20 Q${i + 1}`, value: String(value) })),
        { indicatorId: hate.id, period: '2019-20 Q4', value: '4242' },
      ];
      // A baseline but no figure a year earlier: the direction is judged on the baseline, never "Not known".
      const repeat = await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
        title: 'Repeat victims of anti-social behaviour',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'quarterly',
        obaCategory: 'better_off',
        priorityIds: [asb.id],
        baselineValue: '40',
        baselinePeriod: '2018-19 Q4',
      });
      rows.push({ indicatorId: repeat.id, period: '2019-20 Q4', value: '30' });
      // Linked to no priority and no figure in the quarter: left out of "Other indicators".
      const quiet = await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
        title: 'Street drinking reports',
        unit: 'count',
        polarity: 'monitor',
        frequency: 'quarterly',
        obaCategory: 'how_much',
      });
      rows.push({ indicatorId: quiet.id, period: '2018-19 Q1', value: '5' });
      await enterFigures(t.k, SYSTEM_ACTOR, p.id, rows);
      await approveVersion(t.k, SYSTEM_ACTOR, p.id, version.id, { approvedBy: 'Board', approvedOn: '2019-04-01', meeting: 'April 2019' });
      // A newer plan, still a draft, with its own priority and indicator: not in the Q4 2019/20 pack.
      const later = await createPlan(t.k, SYSTEM_ACTOR, p.id, { title: 'Community Safety Plan', startYear: 2020, endYear: 2023 });
      const laterPriority = await createPart(t.k, SYSTEM_ACTOR, p.id, 'priority', later.version.id, { title: 'Serious violence duty' });
      await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
        title: 'Knife crime offences',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'quarterly',
        obaCategory: 'how_much',
        priorityIds: [laterPriority.id],
      });
    });
    after(() => t.close());

    it('shows the quarter by priority: figure, target, RAG, direction, chart, overdue activity and high risk', async () => {
      const index = await viewer.get(`${base}/reports`);
      assert.equal(index.status, 200);
      assert.ok(
        index.body.includes(`class="govuk-service-navigation__link" href="${base}/reports" aria-current="true"`),
        'Reports in the navigation, as the current section',
      );
      assert.ok(index.body.includes(`href="${base}/reports/quarterly"`) && index.body.includes(`href="${base}/reports/exceptions"`));

      const chooser = await viewer.get(`${base}/reports/quarterly`);
      assert.equal(chooser.status, 200);
      assert.match(chooser.body, /<form method="get"/);
      assert.match(chooser.body, /name="quarter"[^>]*value="2019\/20 Q4"/, 'suggests the latest quarter with figures');

      const page = await viewer.get(`${base}/reports/quarterly?quarter=${encodeURIComponent('2019/20 Q4')}`);
      assert.equal(page.status, 200);
      assert.match(page.body, /Quarterly performance report <span class="govuk-caption-l">Q4 2019\/20<\/span>/);
      const asb = section(page.body, 'Reducing anti-social behaviour');
      assert.match(asb, /ASB1 Anti-social behaviour incidents/);
      assert.match(asb, />3,131</);
      assert.match(asb, /Reduce by 10%/i);
      assert.match(asb, /govuk-tag--red">Red</);
      assert.match(asb, />Worsening \(on last year\)</);
      assert.match(asb, /<svg[\s\S]*quarter by year/);
      assert.match(asb, /Alley-gating scheme in Eastwood[\s\S]*Overdue: due 28 February 2020/);
      assert.ok(
        !asb.includes('Finished leaflet drop') && !asb.includes('Youth diversion next year'),
        'complete and not yet due activities are left out',
      );
      assert.match(asb, /Funding for wardens withdrawn/);
      assert.ok(!asb.includes('Minor printing delay'), 'a high severity, low likelihood risk is not a high risk');
      assert.match(
        asb,
        /Projected year end \(3,198\) against the annual target/,
        'how a quarterly figure is set against the annual target',
      );
      assert.match(asb, /Repeat victims of anti-social behaviour[\s\S]*?Improving \(on the baseline\)/);
      assert.match(asb, /Warden recruitment[\s\S]*Delayed \(its status\)/, 'a delayed activity is listed whenever it is due');
      assert.ok(!asb.includes('CCTV upgrade for 2021'), 'an amber activity not yet due is not off track for the quarter');
      assert.ok(!page.body.includes('Not known'));
      assert.ok(!page.body.includes('Serious violence duty') && !page.body.includes('Knife crime offences'), 'nothing of the later plan');
      assert.ok(!page.body.includes('Street drinking reports'), 'no indicator without a figure in the quarter');
      assert.match(page.body, /the Community Safety Plan 2019-22, approved on 1 April 2019, the version in force in Q4 2019\/20/);
      // The summary: every indicator with a figure on one line, as the Rochford executive summary has it.
      const summary = page.body.slice(
        page.body.indexOf('data-summary>'),
        page.body.indexOf('</section>', page.body.indexOf('data-summary>')),
      );
      assert.match(
        summary,
        /Of 3 indicators, 3 have figures for the quarter: 1 red, 0 amber, 0 green and 2 without a RAG rating; 1 improving, 1 worsening and 0 unchanged\./,
      );
      const asbRow =
        /<tr class="govuk-table__row" data-summary-indicator="\d+">\s*<th[^>]*>ASB1 Anti-social behaviour incidents<\/th>([\s\S]*?)<\/tr>/.exec(
          summary,
        );
      assert.ok(asbRow, 'a summary row for ASB1');
      const cells = [...asbRow[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) =>
        m[1]!
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim(),
      );
      assert.deepEqual(cells.slice(0, 7), ['3,131', '3,198', '27', '110', '+3,088', '+2807.3%', '100 (2018/19)']);
      assert.match(cells[7]!, /Reduce by 10%.*Projected year end/i);
      assert.match(cells[8]!, /Red/);
      assert.equal(cells[9], 'Worsening (on last year)');
      assert.match(
        cells[10]!,
        /^Statistically significant: exact conditional binomial test \(ratio of two Poisson counts\), two-sided, p (<|&lt;) 0\.001$/,
      );
      const dv = section(page.body, 'Tackling domestic abuse');
      assert.match(dv, /No indicators are linked to this priority/);
      assert.match(dv, /No delivery activities are off track or overdue/);
      assert.match(dv, /No high risks/);
      const other = section(page.body, 'Other indicators');
      assert.match(other, /Hate crimes reported[\s\S]*>4,242</);
      assert.match(other, /Monitor only/);

      // Q3 shows Q3's figure, and the activity due in February is not yet overdue at the end of December.
      const q3 = await viewer.get(`${base}/reports/quarterly?quarter=${encodeURIComponent('Q3 2019/20')}`);
      const asbQ3 = section(q3.body, 'Reducing anti-social behaviour');
      assert.match(asbQ3, />25</);
      assert.ok(!asbQ3.includes('3,131'), 'nothing after the quarter, in the table or the chart');
      assert.ok(!asbQ3.includes('Alley-gating scheme in Eastwood'));
    });

    it('adds confidence intervals to the summary table when asked, on the page and in the DOCX', async () => {
      const q = encodeURIComponent('2019/20 Q4');
      const plain = await viewer.get(`${base}/reports/quarterly?quarter=${q}`);
      assert.ok(!plain.body.includes('data-ci95'), 'no interval columns unless asked for');
      const page = await viewer.get(`${base}/reports/quarterly?quarter=${q}&intervals=1`);
      assert.equal(page.status, 200);
      assert.match(page.body, /name="intervals" type="checkbox" value="1" checked/);
      // 3,131 incidents: Byar's method (Fingertips, from 10 events), worked with SciPy: 3,022.3 to 3,242.6 at 95%,
      // 2,960.9 to 3,307.8 at 99.8%.
      assert.match(
        page.body,
        /ASB1 Anti-social behaviour incidents<\/th>\s*<td[^>]*>3,131<\/td>\s*<td[^>]*data-ci95>3,022\.3 to 3,242\.6<\/td>\s*<td[^>]*data-ci998>2,960\.9 to 3,307\.8<\/td>/,
      );
      assert.match(page.body, /data-intervals-note>Confidence intervals by the methods of OHID&#39;s Fingertips/);
      assert.match(page.body, /href="[^"]*quarterly\.docx\?quarter=2019-20%20Q4&amp;intervals=1"/);
      const docx = await download(t, viewer, `${base}/reports/quarterly.docx?quarter=${q}&intervals=1`);
      assert.equal(docx.statusCode, 200);
      const words = docxParagraphs(docx.rawPayload).map((x) => x.text);
      for (const expected of ['95% interval', '99.8% interval', '3,022.3 to 3,242.6', '4,115.3 to 4,371.6'])
        assert.ok(words.includes(expected), `${expected} in the DOCX`);
      const without = docxParagraphs((await download(t, viewer, `${base}/reports/quarterly.docx?quarter=${q}`)).rawPayload).map(
        (x) => x.text,
      );
      assert.ok(!without.includes('95% interval'));
    });

    it('refuses a quarter that does not exist with a clear message', async () => {
      for (const url of [
        `${base}/reports/quarterly?quarter=2019%2F20%20Q5`,
        `${base}/reports/quarterly.docx?quarter=2019%2F20%20Q5`,
        `${base}/reports/quarterly.pdf?quarter=nonsense`,
      ]) {
        const res = await viewer.get(url);
        assert.equal(res.status, 400, url);
        assert.match(res.body, /is not a quarter: enter a financial year and quarter, like &#39;2019\/20 Q4&#39;/);
      }
      const missing = await viewer.get(`${base}/reports/quarterly.docx`);
      assert.equal(missing.status, 400);
      assert.match(missing.body, /Enter the quarter/);
    });

    it('downloads the same report as a Word document and a PDF with the same figures', async () => {
      const q = encodeURIComponent('2019/20 Q4');
      const docx = await download(t, viewer, `${base}/reports/quarterly.docx?quarter=${q}`);
      assert.equal(docx.statusCode, 200);
      assert.equal(docx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      assert.match(
        String(docx.headers['content-disposition']),
        /filename="Safer-Reportshire-Partnership-quarterly-performance-report-Q4-2019-20\.docx"/,
      );
      const paragraphs = docxParagraphs(docx.rawPayload);
      const headings = paragraphs.filter((x) => x.style === 'Heading1').map((x) => x.text);
      assert.ok(
        headings.includes('2. Priority: Reducing anti-social behaviour') && headings.includes('4. Other indicators'),
        headings.join(' | '),
      );
      const words = paragraphs.map((x) => x.text);
      for (const expected of [
        'ASB1 Anti-social behaviour incidents',
        '3,131',
        'Red',
        'Worsening (on last year)',
        'Alley-gating scheme in Eastwood',
        'Funding for wardens withdrawn',
        '4,242',
      ]) {
        assert.ok(words.includes(expected), `${expected} in the DOCX`);
      }
      assert.ok(!words.includes('Minor printing delay'));
      // The summary's verdict names its test and p-value in the DOCX and the PDF as on the page.
      const verdict = 'Statistically significant: exact conditional binomial test (ratio of two Poisson counts), two-sided, p < 0.001';
      assert.ok(words.includes(verdict), 'the named test in the DOCX');

      const pdfRes = await download(t, viewer, `${base}/reports/quarterly.pdf?quarter=${q}`);
      assert.equal(pdfRes.statusCode, 200);
      assert.equal(pdfRes.headers['content-type'], 'application/pdf');
      const pdf = openPdf(pdfRes.rawPayload);
      assert.ok(pdf.pages >= 2);
      // In reading order, so the test does not depend on where a font makes a table cell's lines break.
      const text = pdf.flowText;
      for (const expected of [
        'Quarterly performance report',
        'Q4 2019/20',
        'Anti-social behaviour incidents',
        '3,131',
        'Red',
        'Worsening',
        'Alley-gating scheme in Eastwood',
        'Funding for wardens withdrawn',
        '4,242',
      ]) {
        assert.ok(text.includes(expected), `${expected} in the PDF`);
      }
      assert.ok(!text.includes('Minor printing delay'));
      assert.ok(text.includes('Summary of every indicator, Q4 2019/20'));
      assert.ok(text.replace(/\s+/g, ' ').includes(verdict), 'the named test in the PDF');
      const a11y = pdfAccessibility(pdfRes.rawPayload);
      assert.ok(a11y.tagged, 'a tagged PDF');
      assert.equal(a11y.title, 'Quarterly performance report Q4 2019/20');
      assert.equal(a11y.lang, 'en-GB');
      assert.ok(
        a11y.outline.some((x) => x.includes('1. Summary')) &&
          a11y.outline.some((x) => x.includes('Priority: Reducing anti-social behaviour')),
        a11y.outline.join(' | '),
      );
      assert.ok(
        a11y.alt.some((x) => x.includes('Figures by quarter')),
        'the charts carry their text alternative',
      );
      assert.deepEqual(a11y.orientations.slice(0, 3), ['portrait', 'portrait', 'landscape'], 'the summary table on a landscape page');
    });

    it('shows only what is red, worsening, overdue or missing in the exception report', async () => {
      const res = await viewer.get(`${base}/reports/exceptions`);
      assert.equal(res.status, 200);
      assert.match(
        res.body,
        /ASB1 Anti-social behaviour incidents<\/a><\/th><td class="govuk-table__cell">Red; Worsening on the same period last year/,
      );
      // Above the collection section (which lists every indicator without its figures for the last quarter, by the calendar).
      const exceptions = res.body.split('id="collection-heading"')[0]!;
      assert.ok(!exceptions.includes('Hate crimes reported'), 'a monitored indicator with its latest figure is not an exception');
      assert.match(res.body, /id="collection-exceptions"[\s\S]*Hate crimes reported[\s\S]*Missing/);
      assert.match(res.body, /Alley-gating scheme in Eastwood[\s\S]*Overdue: due 28 February 2020/);
      assert.ok(!res.body.includes('Finished leaflet drop'));
      assert.ok(res.body.includes(`href="${base}/reports/exceptions.pdf"`) && res.body.includes(`href="${base}/reports/exceptions.docx"`));

      // The same report as PDF and DOCX, from the page's links and over the API.
      const pdfRes = await download(t, viewer, `${base}/reports/exceptions.pdf`);
      assert.equal(pdfRes.statusCode, 200);
      assert.match(
        String(pdfRes.headers['content-disposition']),
        /filename="Safer-Reportshire-Partnership-exception-report-\d{4}-\d{2}-\d{2}\.pdf"/,
      );
      const pdfText = openPdf(pdfRes.rawPayload).flowText;
      for (const expected of [
        'Exception report',
        'ASB1 Anti-social behaviour incidents',
        'Alley-gating scheme in Eastwood',
        'Warden recruitment',
      ])
        assert.ok(pdfText.includes(expected), `${expected} in the PDF`);
      // The indicators section itself: after the contents, before the section on late and missing figures.
      const pdfExceptions = pdfText.slice(
        pdfText.lastIndexOf('Indicators needing attention'),
        pdfText.lastIndexOf('Figures late or missing for'),
      );
      assert.ok(pdfExceptions.includes('ASB1 Anti-social behaviour incidents'));
      assert.ok(!pdfExceptions.includes('Hate crimes reported') && !pdfText.includes('Finished leaflet drop'));
      const a11y = pdfAccessibility(pdfRes.rawPayload);
      assert.ok(a11y.tagged && a11y.lang === 'en-GB' && a11y.title.startsWith('Exception report'), JSON.stringify(a11y));
      const { token } = await createToken(t.k, await memberOf(t.k, p.id, 'viewer'), 'Reports');
      const docx = await api(t.app, token, 'GET', `/api/v1/partnerships/${p.id}/reports/exceptions.docx`);
      assert.equal(docx.status, 200);
      assert.equal(docx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      const words = docxParagraphs(
        Buffer.from(
          (
            await t.app.inject({
              method: 'GET',
              url: `/api/v1/partnerships/${p.id}/reports/exceptions.docx`,
              headers: { authorization: `Bearer ${token}` },
            })
          ).rawPayload,
        ),
      ).map((x) => x.text);
      for (const expected of ['ASB1 Anti-social behaviour incidents', 'Alley-gating scheme in Eastwood'])
        assert.ok(words.includes(expected), `${expected} in the DOCX`);
    });
  });
}

describe('the demo Safer Rotherham Board pack', { timeout: 300_000 }, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('sqlite');
    await seedDemo(t.k, { email: 'admin@csphub.test', password: 'demo-password-2026' });
  });
  after(() => t.close());

  it('reports Q4 2019/20 with the figures of the 2018-21 review', async () => {
    const rotherham = await t.k
      .selectFrom('partnerships')
      .select('id')
      .where('name', '=', 'Safer Rotherham Partnership')
      .executeTakeFirstOrThrow();
    const viewer = new Browser(t.app);
    await viewer.signIn((await memberOf(t.k, rotherham.id, 'viewer')).email);
    const q = encodeURIComponent('2019/20 Q4');
    const page = await viewer.get(`/partnerships/${rotherham.id}/reports/quarterly?quarter=${q}`);
    assert.equal(page.status, 200);
    // SRP R3 knife or bladed article offences: 76, 95, 104, 77 in 2019/20 (the review's quarterly series).
    assert.match(
      page.body,
      /SRP R3 Knife or bladed article offences<\/a><\/th>\s*<td class="govuk-table__cell govuk-table__cell--numeric">77</,
    );
    assert.match(
      page.body,
      /SRP R1 Victims referred to the Community MARAC<\/a><\/th>\s*<td class="govuk-table__cell govuk-table__cell--numeric">22</,
    );
    const docx = await download(t, viewer, `/partnerships/${rotherham.id}/reports/quarterly.docx?quarter=${q}`);
    assert.equal(docx.statusCode, 200);
    const rows = docxParagraphs(docx.rawPayload).map((x) => x.text);
    const at = rows.indexOf('SRP R3 Knife or bladed article offences');
    assert.ok(at >= 0 && rows[at + 1] === '77', `the DOCX row for SRP R3: ${rows.slice(at, at + 3).join(' | ')}`);
  });
});
