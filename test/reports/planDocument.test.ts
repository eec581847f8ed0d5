/**
 * The plan document, opened as a reader would: the DOCX unzipped and its paragraphs and heading styles read back,
 * the PDF through poppler (text, page count, the first pages rendered to PNG). On each engine, through the real
 * app: downloads for the partnership (the DOCX with its table of contents field and governance diagram), the
 * published plan's PDF signed out, the same over the API, wrong identifiers refused, and a clear 503 when Chromium
 * is missing.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ENGINES } from '../support/db.ts';
import { api, Browser, makePartnership, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { clearSnapshotCache } from '../../src/services/platform/snapshotCache.ts';
import { docxParagraphs, openPdf, pdfAccessibility, unzipEntry } from '../support/documents.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { approveVersion, createPlan, publishVersion } from '../../src/services/plans/plans.ts';
import { createPart } from '../../src/services/plans/planParts.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { fileNameFor } from '../../src/presentation/documents/document.ts';
import { money, ukDate } from '../../src/presentation/formats.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

describe('document formatting', () => {
  it('writes UK dates, pounds with thousands separators and file names from titles', () => {
    assert.equal(ukDate('2008-04-01'), '1 April 2008');
    assert.equal(ukDate('2020-03-20T10:00:00.000Z'), '20 March 2020');
    assert.equal(ukDate(null), '');
    assert.equal(money(22_455_000), '£224,550');
    assert.equal(money(1250), '£12.50');
    assert.equal(
      fileNameFor('Rutland Community Safety Partnership', 'plan', '2008-11'),
      'Rutland-Community-Safety-Partnership-plan-2008-11',
    );
    assert.equal(fileNameFor('Safer Rotherham', 'plan', '2010/11 refresh'), 'Safer-Rotherham-plan-2010-11-refresh');
  });
});

for (const engine of ENGINES) {
  describe(`the plan document on ${engine}`, { timeout: 120_000 }, () => {
    let t: TestApp;
    let p: { id: number; name: string; slug: string };
    let viewer: Browser;
    let planId: number;
    let versionId: number;
    let url: (format: 'docx' | 'pdf') => string;

    before(async () => {
      t = await startTestApp(engine);
      p = await makePartnership(t.k, 'Safer Docborough Partnership');
      viewer = new Browser(t.app);
      await viewer.signIn((await memberOf(t.k, p.id, 'viewer')).email);
      const { plan, version } = await createPlan(t.k, SYSTEM_ACTOR, p.id, {
        title: 'Community Safety Plan',
        startYear: 2020,
        endYear: 2023,
      });
      planId = plan.id;
      versionId = version.id;
      url = (format) => `/partnerships/${p.id}/plans/${planId}/versions/${versionId}/document.${format}`;
      const add = (kind: Parameters<typeof createPart>[3], parent: number, input: Record<string, unknown>) =>
        createPart(t.k, SYSTEM_ACTOR, p.id, kind, parent, input);
      const asb = await add('priority', versionId, {
        title: 'Reducing anti-social behaviour',
        why: 'Residents told us it is their main concern.',
        whatWeWillDo: 'Respond within a day.',
        leadOfficer: 'Jo Bloggs',
      });
      const dv = await add('priority', versionId, { title: 'Tackling domestic abuse', why: 'Reports have risen for three years.' });
      const objective = await add('objective', asb.id, { title: 'Fewer repeat calls from the same streets' });
      await add('activity', objective.id, {
        title: 'Monthly street surgeries',
        lead: 'Community Safety Team',
        dueDate: '2021-03-31',
        status: 'in_progress',
        rag: 'amber',
      });
      await add('activity', objective.id, { title: 'Alley-gating in **Eastwood**', dueDate: '2021-06-30', status: 'not_started' });
      await add('risk', asb.id, {
        risk: 'Reporting line withdrawn',
        severity: 'high',
        likelihood: 'medium',
        mitigation: 'Agree a new reporting route',
        reviewDate: '2020-09-30',
      });
      await add('resource', dv.id, {
        kind: 'money',
        description: 'Independent domestic violence adviser',
        amount: '21700',
        fundingSource: 'Home Office',
      });
      await add('group', versionId, { name: 'Partnership Board', purpose: 'Sets the priorities', chair: 'Council leader' });
      await add('theme', versionId, { title: 'Alcohol and substance misuse', priorityIds: [String(asb.id), String(dv.id)] });
      await add('event', versionId, { eventDate: '2020-05-04', event: 'May Fayre stall', attendees: 'Police and council' });
      const stream = await add('stream', versionId, { name: 'Community Safety Fund', amount: '224550', approvalThreshold: '2000' });
      await add('allocation', stream.id, { project: 'Street surgeries', priorityId: String(asb.id), amount: '5000' });
      await createIndicator(t.k, SYSTEM_ACTOR, p.id, {
        title: 'Anti-social behaviour incidents',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'quarterly',
        obaCategory: 'better_off',
        priorityIds: [asb.id],
        baselineValue: '1234',
        baselinePeriod: '2019-20 Q4',
      });
    });
    after(() => t.close());

    it('downloads the whole plan as a Word document with real headings, tables and the figures', async () => {
      const res = await viewer.get(url('docx'));
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      assert.match(String(res.headers['content-disposition']), /attachment; filename="Safer-Docborough-Partnership-plan-2020-23\.docx"/);
      const raw = await t.app.inject({
        method: 'GET',
        url: url('docx'),
        headers: { cookie: [...viewer.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      const paragraphs = docxParagraphs(raw.rawPayload);
      const headings1 = paragraphs.filter((x) => x.style === 'Heading1').map((x) => x.text);
      assert.deepEqual(headings1.slice(0, 4), [
        '1. Introduction',
        '2. Partnership structure',
        '3. Priority 1: Reducing anti-social behaviour',
        '4. Priority 2: Tackling domestic abuse',
      ]);
      for (const h of [
        'Cross-cutting themes',
        'Performance management',
        'Funding',
        'Community engagement and communications',
        'Links to other plans and strategies',
        'Approval and contacts',
      ]) {
        assert.ok(
          headings1.some((x) => x.endsWith(`. ${h}`)),
          `Heading 1 "${h}" in ${headings1.join(' | ')}`,
        );
      }
      const headings2 = paragraphs.filter((x) => x.style === 'Heading2').map((x) => x.text);
      assert.ok(headings2.includes('Why this is a priority') && headings2.includes('Risk register') && headings2.includes('Resources'));
      assert.equal(paragraphs.find((x) => x.style === 'Title')?.text, 'Community Safety Plan');
      const text = paragraphs.map((x) => x.text).join('\n');
      assert.match(text, /Reporting line withdrawn/);
      assert.match(text, /Agree a new reporting route/);
      assert.match(text, /30 September 2020/, 'UK dates');
      assert.match(text, /Community Safety Fund: £224,550/);
      assert.match(text, /Projects over £2,000 must be approved by the Board/);
      assert.match(text, /Street surgeries/);
      assert.match(text, /Needed, not yet/, 'the £5,000 allocation is over the threshold and not approved');
      assert.match(text, /£21,700/);
      assert.match(text, /Anti-social behaviour incidents/);
      assert.match(text, /1,234 \(2019-20 Q4\)/);
      assert.match(text, /May Fayre stall/);
      const xml = unzipEntry(raw.rawPayload, 'word/document.xml').toString('utf8');
      assert.match(xml, /<w:tblHeader\/>|<w:tblHeader w:val="(true|1)"\/>/, 'tables repeat their header row');
      const styles = unzipEntry(raw.rawPayload, 'word/styles.xml').toString('utf8');
      // The PDFs' typeface (Noto Sans, from npm) is the DOCX default too, and its four faces are embedded in the file.
      assert.match(
        styles,
        /<w:docDefaults>[\s\S]*<w:rFonts w:ascii="Noto Sans" w:cs="Noto Sans" w:eastAsia="Noto Sans" w:hAnsi="Noto Sans"\/>/,
      );
      assert.ok(!styles.includes('Arial'), 'no Arial left in the styles');
      const fontTable = unzipEntry(raw.rawPayload, 'word/fontTable.xml').toString('utf8');
      const notoFont = /<w:font w:name="Noto Sans">[\s\S]*?<\/w:font>/.exec(fontTable)?.[0] ?? '';
      for (const face of ['embedRegular', 'embedBold', 'embedItalic', 'embedBoldItalic'])
        assert.match(notoFont, new RegExp(`<w:${face} [^>]*w:fontKey="\\{[0-9A-F-]+\\}"`), `the font table embeds ${face}`);
      assert.match(unzipEntry(raw.rawPayload, 'word/settings.xml').toString('utf8'), /<w:embedTrueTypeFonts\/>/);
      const fontFile = unzipEntry(raw.rawPayload, 'word/fonts/font1.odttf');
      assert.ok(fontFile.length > 20_000, `the regular face is embedded (${fontFile.length} bytes)`);

      // The contents are a real Word table of contents: a TOC field over the Heading 1 sections, an entry per
      // section linked to it, with its page number (title page 1, contents 2, sections from page 3, in order).
      assert.match(xml, /<w:instrText[^>]*>TOC \\h \\o &quot;1-1&quot;<\/w:instrText>/);
      assert.match(xml, /<w:docPartGallery w:val="Table of Contents"\/>/);
      const entries = paragraphs.filter((x) => x.style === 'TOC1').map((x) => /^(.*?)(\d+)$/.exec(x.text)!);
      assert.deepEqual(
        entries.map((m) => m[1]),
        headings1,
        'one entry per section, in order',
      );
      const pages = entries.map((m) => Number(m[2]));
      assert.equal(pages[0], 3);
      // A section with a table or much text starts a new page; an empty or short one follows on the same page.
      for (let i = 1; i < pages.length; i++) assert.ok(pages[i]! >= pages[i - 1]!, `sections in order: ${pages.join(', ')}`);
      assert.ok(new Set(pages).size < pages.length, `the short and empty sections do not take a page each: ${pages.join(', ')}`);
      assert.equal((xml.match(/<w:instrText[^>]*>PAGEREF _Toc\d+ \\h<\/w:instrText>/g) ?? []).length, headings1.length);

      // The governance diagram is a picture with its alternative text, before the table with the same groups.
      const png = unzipEntry(raw.rawPayload, 'word/media/image1.png');
      assert.ok(png.subarray(0, 4).equals(PNG) && png.length > 1000, 'the diagram is a PNG');
      const picture = /<wp:docPr [^>]*descr="([^"]+)"[^>]*\/>/.exec(xml);
      assert.ok(picture, 'the picture has alternative text');
      assert.match(picture[1]!, /^Diagram of the governance structure: who reports to whom, shown in full in the table/);
      assert.ok(xml.indexOf('<w:drawing>') < xml.indexOf('Governance groups</w:t>'), 'the diagram comes before its table');
      assert.match(unzipEntry(raw.rawPayload, 'word/_rels/document.xml.rels').toString('utf8'), /Target="media\/image1\.png"/);
    });

    it('downloads the whole plan as a PDF that reads back, page by page', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: url('pdf'),
        headers: { cookie: [...viewer.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      assert.equal(res.statusCode, 200, res.body.slice(0, 500));
      assert.equal(res.headers['content-type'], 'application/pdf');
      assert.match(String(res.headers['content-disposition']), /filename="Safer-Docborough-Partnership-plan-2020-23\.pdf"/);
      const pdf = openPdf(res.rawPayload);
      assert.ok(pdf.pages > 5, `${pdf.pages} pages: title, contents and a page per section`);
      const text = pdf.flowText;
      // Activities numbered within their objective; typed **bold** without its asterisks.
      assert.match(text, /1\.1\.1 Monthly street surgeries/);
      assert.match(text, /1\.1\.2 Alley-gating in Eastwood/);
      assert.ok(!text.includes('**'));
      // Every font in the file is the embedded Noto Sans, the running header and footer's too (none from the host).
      const fonts = new Set([...res.rawPayload.toString('latin1').matchAll(/\/BaseFont\s*\/(?:[A-Z]{6}\+)?([\w-]+)/g)].map((m) => m[1]));
      assert.deepEqual([...fonts].sort(), ['NotoSans-Bold', 'NotoSans-Regular']);
      const a11y = pdfAccessibility(res.rawPayload);
      assert.ok(a11y.tagged, 'a tagged PDF');
      assert.equal(a11y.lang, 'en-GB');
      assert.match(a11y.title, /^Community Safety Plan/);
      assert.ok(
        a11y.outline.some((x) => x.includes('Priority 1: Reducing anti-social behaviour')),
        a11y.outline.join(' | '),
      );
      assert.ok(
        a11y.alt.some((x) => x.includes('governance')),
        'the governance diagram carries its text alternative',
      );
      for (const s of [
        'Community Safety Plan',
        'Contents',
        'Priority 1: Reducing anti-social behaviour',
        'Reporting line withdrawn',
        '£224,550',
        'Projects over £2,000',
        'Page 2 of',
        'Safer Docborough Partnership',
      ])
        assert.ok(text.includes(s), `PDF text has "${s}"`);
      assert.equal(pdf.pngs.length, 2);
      for (const png of pdf.pngs) {
        const data = fs.readFileSync(png);
        assert.ok(data.subarray(0, 4).equals(PNG) && data.length > 2000, `${png} is a rendered page`);
      }
    });

    it("refuses a version that is not the plan's or the partnership's", async () => {
      const other = await makePartnership(t.k, 'Other Partnership');
      const { plan: otherPlan, version: otherVersion } = await createPlan(t.k, SYSTEM_ACTOR, other.id, {
        title: 'Other plan',
        startYear: 2020,
        endYear: 2023,
      });
      const { plan: secondPlan } = await createPlan(t.k, SYSTEM_ACTOR, p.id, { title: 'Second plan', startYear: 2017, endYear: 2020 });
      for (const format of ['docx', 'pdf']) {
        assert.equal(
          (await viewer.get(`/partnerships/${p.id}/plans/${secondPlan.id}/versions/${versionId}/document.${format}`)).status,
          404,
          'version of another plan',
        );
        assert.equal(
          (await viewer.get(`/partnerships/${p.id}/plans/${otherPlan.id}/versions/${otherVersion.id}/document.${format}`)).status,
          404,
          "another partnership's version",
        );
        assert.equal(
          (await viewer.get(`/partnerships/${other.id}/plans/${otherPlan.id}/versions/${otherVersion.id}/document.${format}`)).status,
          404,
          'not a member',
        );
      }
      const anonymous = new Browser(t.app);
      const res = await anonymous.get(url('docx'));
      assert.equal(res.status, 303);
      assert.match(res.location ?? '', /^\/sign-in/);
    });

    it('links the downloads from the version page, and the published PDF from the public summary', async () => {
      const page = await viewer.get(`/partnerships/${p.id}/plan-versions/${versionId}`);
      assert.ok(page.body.includes(`href="${url('docx')}"`));
      assert.ok(page.body.includes(`href="${url('pdf')}"`));
      const anonymous = new Browser(t.app);
      assert.equal((await anonymous.get(`/public/partnerships/${p.slug}/plan.pdf`)).status, 404, 'nothing is published yet');
      await approveVersion(t.k, SYSTEM_ACTOR, p.id, versionId, {
        approvedBy: 'Partnership Board',
        approvedOn: '2020-03-20',
        meeting: 'Board, 20 March 2020',
      });
      await publishVersion(t.k, SYSTEM_ACTOR, p.id, versionId);
      const summary = await anonymous.get(`/public/partnerships/${p.slug}`);
      assert.ok(summary.body.includes(`href="/public/partnerships/${p.slug}/plan.pdf"`));
      const res = await t.app.inject({ method: 'GET', url: `/public/partnerships/${p.slug}/plan.pdf` });
      assert.equal(res.statusCode, 200);
      const text = openPdf(res.rawPayload).text.replace(/\s+/g, ' ');
      assert.ok(text.includes('Approved by Partnership Board on 20 March 2020'));
      assert.ok(text.includes('Reducing anti-social behaviour'));
    });

    it('serves the same documents over the API, and the published PDF without a token, all in the OpenAPI document', async () => {
      const token = (await createToken(t.k, await memberOf(t.k, p.id, 'viewer'), 'documents')).token;
      const apiUrl = (format: string) => `/api/v1/partnerships/${p.id}/plans/${planId}/versions/${versionId}/document.${format}`;
      const bearer = { authorization: `Bearer ${token}` };
      const docx = await t.app.inject({ method: 'GET', url: apiUrl('docx'), headers: bearer });
      assert.equal(docx.statusCode, 200);
      assert.equal(docx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      assert.deepEqual(
        docxParagraphs(docx.rawPayload)
          .filter((x) => x.style === 'Heading1')
          .map((x) => x.text)[0],
        '1. Introduction',
      );
      const pdf = await t.app.inject({ method: 'GET', url: apiUrl('pdf'), headers: bearer });
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.match(String(pdf.headers['content-disposition']), /filename="Safer-Docborough-Partnership-plan-2020-23\.pdf"/);
      assert.ok(openPdf(pdf.rawPayload).text.includes('Reporting line withdrawn'));
      assert.equal((await t.app.inject({ method: 'GET', url: apiUrl('pdf') })).statusCode, 401, 'a token is needed');
      const other = await makePartnership(t.k, 'Other API Partnership');
      const { plan: otherPlan, version: otherVersion } = await createPlan(t.k, SYSTEM_ACTOR, other.id, {
        title: 'Other plan',
        startYear: 2020,
        endYear: 2023,
      });
      assert.equal(
        (await api(t.app, token, 'GET', `/api/v1/partnerships/${p.id}/plans/${otherPlan.id}/versions/${otherVersion.id}/document.docx`))
          .status,
        404,
      );

      const published = await t.app.inject({ method: 'GET', url: `/api/v1/public/partnerships/${p.slug}/plan.pdf` });
      assert.equal(published.statusCode, 200, 'published in the test before');
      assert.ok(openPdf(published.rawPayload).text.replace(/\s+/g, ' ').includes('Approved by Partnership Board on 20 March 2020'));
      assert.equal(
        (await t.app.inject({ method: 'GET', url: `/api/v1/public/partnerships/${other.slug}/plan.pdf` })).statusCode,
        404,
        'nothing published',
      );
      assert.equal(
        (await t.app.inject({ method: 'GET', url: '/api/v1/public/partnerships/no-such-partnership/plan.pdf' })).statusCode,
        404,
      );

      const openapi = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
        paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }>; security?: unknown[] }>>;
      }>();
      const path = (format: string) =>
        openapi.paths[`/api/v1/partnerships/{partnershipId}/plans/{planId}/versions/{versionId}/document.${format}`]!.get!;
      assert.ok(path('pdf').responses['200']!.content!['application/pdf']);
      assert.ok(path('docx').responses['200']!.content!['application/vnd.openxmlformats-officedocument.wordprocessingml.document']);
      const publicPdf = openapi.paths['/api/v1/public/partnerships/{slug}/plan.pdf']!.get!;
      assert.deepEqual(publicPdf.security, [], 'no token needed');
      assert.ok(openapi.paths['/api/v1/partnerships/{partnershipId}/plan-versions/{versionId}/withdraw']!.post);
    });
  });
}

describe('the plan PDF without Chromium', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('sqlite', { CHROMIUM_PATH: '/nowhere/chromium' });
    clearSnapshotCache(); // documents made by the apps above, with the same ids in other databases, are not this one's
  });
  after(() => t.close());

  it('explains that PDFs cannot be made, offers the DOCX, and keeps working', async () => {
    const p = await makePartnership(t.k, 'Safer Nochrome Partnership');
    const viewer = new Browser(t.app);
    await viewer.signIn((await memberOf(t.k, p.id, 'viewer')).email);
    const { plan, version } = await createPlan(t.k, SYSTEM_ACTOR, p.id, { title: 'Plan', startYear: 2020, endYear: 2023 });
    await createPart(t.k, SYSTEM_ACTOR, p.id, 'group', version.id, { name: 'Partnership Board' });
    const base = `/partnerships/${p.id}/plans/${plan.id}/versions/${version.id}/document`;
    const res = await viewer.get(`${base}.pdf`);
    assert.equal(res.status, 503);
    assert.match(res.body, /<h1 class="govuk-heading-l">The PDF of this plan cannot be made at the moment<\/h1>/);
    assert.match(res.body, /Chromium is not installed at \/nowhere\/chromium/);
    assert.ok(res.body.includes(`href="${base}.docx"`));
    const docx = await t.app.inject({
      method: 'GET',
      url: `${base}.docx`,
      headers: { cookie: [...viewer.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    assert.equal(docx.statusCode, 200, 'the DOCX does not need Chromium');
    const text = docxParagraphs(docx.rawPayload)
      .map((x) => x.text)
      .join('\n');
    assert.match(text, /The diagram could not be drawn in this copy; the table below gives the same information/);
    assert.throws(() => unzipEntry(docx.rawPayload, 'word/media/image1.png'), /not in the archive/);
    assert.equal((await viewer.get(`${base}.pdf`)).status, 503, 'asking again is still answered');
    const token = (await createToken(t.k, await memberOf(t.k, p.id, 'viewer'), 'nochrome')).token;
    const res2 = await api(t.app, token, 'GET', `/api/v1/partnerships/${p.id}/plans/${plan.id}/versions/${version.id}/document.pdf`);
    assert.equal(res2.status, 503);
    assert.match(res2.json<{ message: string }>().message, /Chromium is not installed/);
  });
});
