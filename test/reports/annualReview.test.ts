/**
 * Issue 5's "done when" for the demo Safer Rotherham Partnership, through the real app and the job flow: the
 * 2018-21 annual review and the Q4 2019/20 Board pack generated as PDF (read back with pdftotext, pages rendered
 * to PNG with pdftoppm) and as DOCX (unzipped, its XML read back), each carrying the same figures as the app's
 * pages, which are worked out from the review's quarterly series.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Browser, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { docxParagraphs, openPdf } from '../support/documents.ts';
import { seedDemo } from '../../src/demo/seed.ts';

async function download(t: TestApp, browser: Browser, url: string) {
  return t.app.inject({ method: 'GET', url, headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
}

/** Generates a document through the page form and returns its bytes once the job is done. */
async function generate(t: TestApp, browser: Browser, base: string, form: Record<string, string>): Promise<Buffer> {
  const res = await browser.post(`${base}/documents`, form);
  assert.equal(res.status, 303, res.body.slice(0, 500));
  await t.app.documentRunner.idle();
  const page = await browser.get(res.location!);
  assert.match(page.body, /Your document is ready/, page.body.replace(/[\s\S]*<main/, '').slice(0, 800));
  const file = await download(t, browser, `${res.location}/download`);
  assert.equal(file.statusCode, 200);
  return file.rawPayload;
}

/** The figures of the year-by-year indicator tables on the review page: indicator → the text of each year's cell. */
function pageFigures(html: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of html.matchAll(
    /<tr class="govuk-table__row" data-indicator="\d+">\s*<th[^>]*><a[^>]*>([^<]+)<\/a><\/th>([\s\S]*?)<\/tr>/g,
  )) {
    out.set(
      m[1]!.replace(/&#39;/g, "'"),
      [...m[2]!.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => c[1]!),
    );
  }
  return out;
}

describe('the demo Safer Rotherham annual review and Board pack as generated documents', { timeout: 300_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let reviewId: number;

  before(async () => {
    t = await startTestApp('sqlite');
    await seedDemo(t.k, { email: 'admin@csphub.test', password: 'demo-password-2026' });
    const rotherham = await t.k
      .selectFrom('partnerships')
      .select('id')
      .where('name', '=', 'Safer Rotherham Partnership')
      .executeTakeFirstOrThrow();
    base = `/partnerships/${rotherham.id}`;
    reviewId = (await t.k.selectFrom('reviews').select('id').where('partnership_id', '=', rotherham.id).executeTakeFirstOrThrow()).id;
    browser = new Browser(t.app);
    await browser.signIn((await memberOf(t.k, rotherham.id, 'contributor')).email);
  });
  after(async () => {
    await t.app.documentRunner.idle();
    await t.close();
  });

  it('shows the 2018-21 review with year figures worked out from the quarterly series', async () => {
    const page = await browser.get(`${base}/reviews/${reviewId}`);
    assert.equal(page.status, 200);
    const figures = pageFigures(page.body);
    // Sums of the review's quarters: 710+737+713+753, 2064+1832+1461+1264, 1654+1500+1311+1275, 696+747+692+561, 76+95+104+77, 4+25+45+38.
    assert.deepEqual(figures.get('SRP 14 Increase in referrals of victims of domestic violence to the appropriate agencies'), [
      'No figures',
      '2,913',
      '826 (1 of 4 quarters)',
    ]);
    assert.deepEqual(figures.get('SRP 17 Reduction in the number of anti-social behaviour incidents reported to the Police'), [
      '6,621',
      '5,740',
      '2,303 (1 of 4 quarters)',
    ]);
    assert.deepEqual(figures.get('SRP 34 Reduction in offences of violence with injury'), ['No figures', '2,696', '507 (1 of 4 quarters)']);
    assert.deepEqual(figures.get('SRP R3 Knife or bladed article offences'), ['No figures', '352', 'No figures']);
    assert.deepEqual(figures.get('SRP R4 Actions to disrupt or dismantle organised crime groups'), ['112', 'No figures', 'No figures']);
    assert.equal(
      figures.get('SRP 22 Reduction in the number of people who think that antisocial behaviour is a problem in their area.')?.[0],
      '42.3%',
    );
    assert.match(page.body, /881 incidents \(13%\)/);
  });

  it('generates the review as a PDF with the figures of the page, and its pages render', async () => {
    const page = await browser.get(`${base}/reviews/${reviewId}`);
    const figures = pageFigures(page.body);
    const pdf = openPdf(await generate(t, browser, base, { kind: 'annual_review', reviewId: String(reviewId), format: 'pdf' }));
    assert.ok(pdf.pages >= 8, `${pdf.pages} pages`);
    const text = pdf.text.replace(/\s+/g, ' ');
    for (const expected of [
      'Review of the Safer Rotherham Partnership Plan',
      '2018-21',
      'Protecting vulnerable children',
      'Serious and organised crime',
      'Key outputs',
      'quarter by year',
      '£1.7m',
    ])
      assert.ok(text.includes(expected), `${expected} in the PDF`);
    for (const [indicator, years] of figures) {
      // The figure itself; a long note after it may wrap onto the next line of its cell.
      for (const y of years.filter((x) => x !== 'No figures')) assert.ok(text.includes(y.split(' (')[0]!), `${indicator}: ${y} in the PDF`);
    }
    assert.equal(pdf.pngs.length, 2, 'the first two pages rendered to PNG');
    for (const png of pdf.pngs) {
      const head = fs.readFileSync(png).subarray(0, 8);
      assert.deepEqual([...head], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
      assert.ok(fs.statSync(png).size > 2000, 'with something drawn on it');
    }
  });

  it('generates the review as a DOCX with the same figures, headings and key outputs', async () => {
    const page = await browser.get(`${base}/reviews/${reviewId}`);
    const figures = pageFigures(page.body);
    const paragraphs = docxParagraphs(
      await generate(t, browser, base, { kind: 'annual_review', reviewId: String(reviewId), format: 'docx' }),
    );
    const headings = paragraphs.filter((x) => x.style === 'Heading1').map((x) => x.text);
    assert.deepEqual(
      headings.filter((h) => h !== 'Contents'),
      [
        '1. Introduction',
        '2. Protecting vulnerable children',
        '3. Protecting vulnerable adults',
        '4. Building confident and cohesive communities',
        '5. Domestic abuse and sexual offences',
        '6. Serious and organised crime',
      ],
    );
    const words = paragraphs.map((x) => x.text);
    for (const [indicator, years] of figures) {
      const at = words.indexOf(indicator);
      assert.ok(at >= 0, `${indicator} in the DOCX`);
      assert.deepEqual(words.slice(at + 1, at + 1 + years.length), years, `${indicator}: its row`);
    }
    assert.ok(words.includes('Recorded anti-social behaviour fell by 881 incidents (13%) in 2019/20 compared with 2018/19.'));
    // The quarter-by-year tables under the charts: ASB Q1 by year.
    const q1 = words.findIndex((w, i) => w === 'Q1' && words[i + 1] === '2,064');
    assert.ok(q1 >= 0 && words[q1 + 2] === '1,654' && words[q1 + 3] === '2,303', 'Q1 of each year for SRP 17');
  });

  it('generates the Q4 2019/20 Board pack through the same job flow, with the figures of its page', async () => {
    const q = encodeURIComponent('2019/20 Q4');
    const page = await browser.get(`${base}/reports/quarterly?quarter=${q}`);
    assert.match(page.body, /name="kind" value="board_pack"/, 'the page offers to generate and keep it');
    assert.match(
      page.body,
      /SRP R3 Knife or bladed article offences<\/a><\/th>\s*<td class="govuk-table__cell govuk-table__cell--numeric">77</,
    );
    const pdf = openPdf(await generate(t, browser, base, { kind: 'board_pack', quarter: '2019-20 Q4', format: 'pdf' }));
    const text = pdf.text.replace(/\s+/g, ' ');
    assert.ok(text.includes('Quarterly performance report') && text.includes('Q4 2019/20'));
    // In reading order (pdftotext -raw), whatever the line breaks: the indicator's row with its figure for the quarter.
    assert.match(pdf.flowText, /SRP R3 Knife or bladed article offences 77\b/, "the indicator's row with its figure");
    const rows = docxParagraphs(await generate(t, browser, base, { kind: 'board_pack', quarter: '2019/20 Q4', format: 'docx' })).map(
      (x) => x.text,
    );
    const at = rows.indexOf('SRP R3 Knife or bladed article offences');
    assert.ok(at >= 0 && rows[at + 1] === '77');
    const list = await browser.get(`${base}/documents`);
    assert.equal((list.body.match(/data-document="/g) ?? []).length, 4, 'all four kept, newest first');
    assert.match(list.body, /Quarterly performance report Q4 2019\/20[\s\S]*Review of the Safer Rotherham Partnership Plan 2018-21/);
  });
});
