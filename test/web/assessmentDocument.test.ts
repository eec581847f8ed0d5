/**
 * The strategic assessment document through the real app, on each engine: two years of generated police.uk files
 * imported through the import page, the area and population set, then the analysis page read as a person would.
 * The document page, the DOCX (unzipped and read back) and the PDF (pdftotext) must carry the very figures the
 * analysis page shows, and those must match a count of the files made without the code under test. Bad
 * comparators, a partnership without an area and another partnership's id are refused.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ENGINES } from '../support/db.ts';
import { Browser, importOfficialFile, makePartnership, makeUser, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { readStreetRows, tempDir } from '../support/policeUk.ts';
import { docxParagraphs, openPdf } from '../support/documents.ts';
import { DEFAULT_FORCES, writeStreetFiles } from '../../src/adapters/crimeStore/generator.ts';
import { updatePartnership } from '../../src/services/partnerships/partnerships.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { saveAssessmentArea } from '../../src/services/assessment/assessmentAreas.ts';

const ASB = 'Anti-social behaviour';
const OFFICIAL = path.join(import.meta.dirname, '..', 'fixtures', 'official');

const unescape = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
const cellText = (html: string) =>
  unescape(html.replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();

/** The body rows of the table with this id (or caption), each as its cells' text. */
function tableRows(html: string, marker: RegExp): string[][] {
  const table = [...html.matchAll(/<table[\s\S]*?<\/table>/g)].map((m) => m[0]).find((t) => marker.test(t));
  assert.ok(table, `no table matching ${marker}`);
  const body = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(table)![1]!;
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => cellText(c[1]!)),
  );
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

for (const engine of ENGINES) {
  describe(`strategic assessment document on ${engine}`, { timeout: 120_000 }, () => {
    let t: TestApp;
    let dir: string;
    let partnershipId: number;
    let admin: Browser;
    let viewer: Browser;
    let rows: ReturnType<typeof readStreetRows>;
    const base = () => `/partnerships/${partnershipId}/assessment`;

    before(async () => {
      dir = tempDir();
      const police = path.join(dir, 'police-uk');
      const forces = DEFAULT_FORCES.filter((f) => f.slug === 'south-yorkshire');
      await writeStreetFiles(path.join(police, 'two-years'), { seed: 11, firstMonth: '2023-01', months: 24, rowsPerMonth: 900, forces });
      rows = readStreetRows(path.join(police, 'two-years'));
      t = await startTestApp(engine, { CRIME_STORE_PATH: path.join(dir, 'crime.duckdb'), POLICE_DATA_DIR: police });
      const p = await makePartnership(t.k, 'Safer Docshire');
      partnershipId = p.id;
      await updatePartnership(t.k, SYSTEM_ACTOR, p.id, { name: 'Safer Docshire', populations: [{ year: 2024, population: 265_000 }] });
      admin = new Browser(t.app);
      await admin.signIn((await memberOf(t.k, p.id, 'admin')).email);
      viewer = new Browser(t.app);
      await viewer.signIn((await memberOf(t.k, p.id, 'viewer')).email);
      assert.equal((await admin.post(`${base()}/import`, { source: 'two-years' })).status, 303);
      for (let i = 0; i < 400; i++) {
        const page = await admin.get(`${base()}/import`);
        if (!page.body.includes('id="import-progress"')) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal((await admin.post(`${base()}/area`, { localAuthorities: 'Rotherham', lsoaCodes: '' })).status, 303);
    });
    after(async () => {
      await t.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('puts the figures of the analysis page into the page, the DOCX and the PDF', async () => {
      // Without boundaries, Fingertips or collisions, the document says so; then the fixtures are imported as an administrator does.
      const empty = cellText((await viewer.get(`${base()}/document?end=2024-12`)).body);
      assert.match(empty, /No LSOA boundaries are imported, so there is no map by LSOA/);
      assert.match(empty, /No Fingertips indicator has been imported/);
      assert.match(empty, /No road casualty collisions have been imported/);
      const platform = new Browser(t.app);
      await platform.signIn((await makeUser(t.k, { platformAdmin: true })).email);
      for (const [kind, file, type] of [
        ['boundaries', 'lsoa-boundaries.geojson', 'application/json'],
        ['fingertips', 'fingertips-11201.csv', 'text/csv'],
        ['roads', 'road-collisions.csv', 'text/csv'],
      ] as const)
        assert.match(
          cellText(await importOfficialFile(platform, kind, { filename: file, data: fs.readFileSync(path.join(OFFICIAL, file)), type })),
          /Imported /,
        );

      const analysis = await viewer.get(`${base()}?end=2024-12`);
      assert.equal(analysis.status, 200);
      const totals = tableRows(analysis.body, /id="totals"/);
      const byType = tableRows(analysis.body, /id="by-type"/);
      assert.equal(byType.length, 13);
      // The analysis page itself agrees with the files, counted without the code under test.
      const rotherham = rows.filter((r) => r.lsoaName.startsWith('Rotherham '));
      const count = (from: string, to: string, asb: boolean) =>
        rotherham.filter((r) => r.month >= from && r.month <= to && (r.crimeType === ASB) === asb).length;
      assert.deepEqual(totals[0]!.slice(0, 3), [
        'All crime (excluding anti-social behaviour)',
        count('2023-01', '2023-12', false).toLocaleString('en-GB'),
        count('2024-01', '2024-12', false).toLocaleString('en-GB'),
      ]);
      assert.deepEqual(totals[1]!.slice(0, 3), [
        ASB,
        count('2023-01', '2023-12', true).toLocaleString('en-GB'),
        count('2024-01', '2024-12', true).toLocaleString('en-GB'),
      ]);
      assert.equal(
        totals[0]![3],
        ((count('2024-01', '2024-12', false) / 265_000) * 1000).toLocaleString('en-GB', {
          minimumFractionDigits: 1,
          maximumFractionDigits: 1,
        }),
      );
      const expected = [...totals, ...byType];
      // The new sections as the analysis page shows them; the LSOA map's records add up to the area's crimes drawn.
      const lsoaRows = tableRows(analysis.body, /id="lsoa-table"/);
      const fingertipsRows = tableRows(analysis.body, /id="fingertips-table-11201-E08000018"/);
      const roadRows = tableRows(analysis.body, /id="roads"/);
      const drawn = new Set(lsoaRows.map((r) => r[0]!.split(' ')[0]!));
      assert.ok(drawn.size > 100, `${drawn.size} LSOAs drawn`);
      assert.equal(
        lsoaRows.reduce((n, r) => n + Number(r[1]!.replace(/,/g, '')), 0),
        rotherham.filter((r) => r.month >= '2024-01' && r.crimeType !== ASB && drawn.has(r.lsoaCode)).length,
      );
      assert.ok(
        fingertipsRows.length >= 3 && roadRows.length >= 1,
        `${fingertipsRows.length} Fingertips rows, ${roadRows.length} road rows`,
      );
      const newRows = [...lsoaRows, ...fingertipsRows, ...roadRows];

      const authorities = encodeURIComponent('Sheffield, 556000');
      const page = await viewer.get(`${base()}/document?end=2024-12&authorities=${authorities}`);
      assert.equal(page.status, 200);
      assert.match(page.body, /Strategic assessment document <span class="govuk-caption-l">January 2024 to December 2024<\/span>/);
      assert.deepEqual(
        [...tableRows(page.body, /<caption[^>]*>Totals</), ...tableRows(page.body, /<caption[^>]*>By crime type, largest first</)],
        expected,
      );
      const sheffield = rows.filter((r) => r.lsoaName.startsWith('Sheffield ') && r.month >= '2024-01' && r.crimeType !== ASB).length;
      const lsoas = (la: string) => new Set(rows.filter((r) => r.lsoaName.startsWith(`${la} `)).map((r) => r.lsoaCode)).size;
      assert.deepEqual(tableRows(page.body, /<caption[^>]*>Areas compared</)[1], [
        'Sheffield',
        '556,000',
        lsoas('Sheffield').toLocaleString('en-GB'),
        sheffield.toLocaleString('en-GB'),
      ]);
      assert.deepEqual(
        tableRows(page.body, /<caption[^>]*>Crime \(excluding anti-social behaviour\) by LSOA, .*: every LSOA drawn</),
        lsoaRows,
      );
      assert.deepEqual(tableRows(page.body, /<caption[^>]*>Hospital admissions for violence[^<]*, Rotherham and England</), fingertipsRows);
      assert.deepEqual(tableRows(page.body, /<caption[^>]*>Road collisions by year</), roadRows);
      assert.ok((page.body.match(/<svg[^>]+role="img"/g) ?? []).length >= 10, 'every chart is drawn');
      const pdfHref = unescape(/href="([^"]+document\.pdf[^"]*)"/.exec(page.body)![1]!);
      const docxHref = unescape(/href="([^"]+document\.docx[^"]*)"/.exec(page.body)![1]!);
      assert.match(docxHref, /authorities=Sheffield/);

      const docx = await t.app.inject({
        method: 'GET',
        url: docxHref,
        headers: { cookie: [...viewer.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      assert.equal(docx.statusCode, 200);
      assert.match(
        String(docx.headers['content-disposition']),
        /filename="Safer-Docshire-strategic-assessment-January-2024-to-December-2024\.docx"/,
      );
      const paragraphs = docxParagraphs(docx.rawPayload);
      assert.ok(paragraphs.some((x) => x.style === 'Heading1' && x.text === '1. Key findings'));
      const cells = paragraphs.map((x) => x.text);
      for (const row of expected) {
        const at = cells.findIndex((c, i) => row.every((v, j) => cells[i + j] === v) && c === row[0]);
        assert.ok(at >= 0, `DOCX has the row ${row.join(' | ')}`);
      }
      assert.ok(cells.includes('Sheffield') && cells.includes(sheffield.toLocaleString('en-GB')));
      for (const row of newRows)
        assert.ok(
          cells.some((c, i) => row.every((v, j) => cells[i + j] === v)),
          `DOCX has the row ${row.join(' | ')}`,
        );

      const pdfRes = await t.app.inject({
        method: 'GET',
        url: pdfHref,
        headers: { cookie: [...viewer.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      assert.equal(pdfRes.statusCode, 200, pdfRes.body.slice(0, 300));
      const pdf = openPdf(pdfRes.rawPayload);
      assert.ok(pdf.pages >= 8, `${pdf.pages} pages`);
      const lines = pdf.text.split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
      for (const row of expected) {
        // The type may wrap in its cell: its first word starts the line that has every figure of the row.
        const figures = row.slice(1, 6).map(escapeRe).join(' ');
        assert.ok(
          lines.some((l) => l.startsWith(row[0]!.split(' ')[0]!) && new RegExp(` ${figures} `).test(`${l} `)),
          `PDF has the row ${row.join(' | ')}`,
        );
      }
      assert.match(pdf.text.replace(/\s+/g, ' '), /Percentage change by crime type/);
      // The new sections' rows in reading order (cells stay together however they wrap).
      for (const row of newRows)
        assert.ok(pdf.flowText.includes(row.filter((v) => v !== '').join(' ')), `PDF has the row ${row.join(' | ')}`);
      assert.match(pdf.flowText, /Map by LSOA .*Public health indicators \(OHID Fingertips\) .*Road safety: killed or seriously injured/);
    });

    it('has crime by deprivation decile and the density map, each with its table', async () => {
      const first = await viewer.get(`${base()}/document?end=2024-12`);
      assert.match(first.body, /The English Indices of Deprivation 2019 have not been imported/);
      // Indices written straight into the table: each Rotherham LSOA a decile by its place in code order, 1,500 residents.
      const codes = [...new Set(rows.filter((r) => r.lsoaName.startsWith('Rotherham ')).map((r) => r.lsoaCode))].sort();
      const decile = new Map(codes.map((c, i) => [c, (i % 10) + 1]));
      await t.k
        .insertInto('official_deprivation')
        .values(
          codes.map((c) => ({
            lsoa_code: c,
            lsoa_name: c,
            la_code: 'E08000018',
            la_name: 'Rotherham',
            imd_score: 10,
            imd_rank: 1,
            imd_decile: decile.get(c)!,
            crime_score: 0,
            crime_rank: 1,
            crime_decile: 1,
            population: 1500,
          })),
        )
        .execute();
      const page = await viewer.get(`${base()}/document?end=2024-12`);
      const table = tableRows(page.body, /<caption[^>]*>Crime and anti-social behaviour by deprivation decile/);
      const current = rows.filter((r) => r.lsoaName.startsWith('Rotherham ') && r.month >= '2024-01' && r.month <= '2024-12');
      for (let d = 1; d <= 10; d++) {
        const n = codes.filter((c) => decile.get(c) === d).length;
        const crime = current.filter((r) => decile.get(r.lsoaCode) === d && r.crimeType !== ASB).length;
        const asb = current.filter((r) => decile.get(r.lsoaCode) === d && r.crimeType === ASB).length;
        const row = table[d - 1]!;
        assert.deepEqual(
          [row[1], row[3], row[4], row[7]],
          [String(n), (n * 1500).toLocaleString('en-GB'), crime.toLocaleString('en-GB'), asb.toLocaleString('en-GB')],
        );
        assert.equal(row[5], ((crime / (n * 1500)) * 1000).toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
      }
      assert.match(page.body, /<svg[^>]+app-chart--hexmap/);
      const hexes = tableRows(page.body, /<caption[^>]*>The busiest hexagons/);
      assert.ok(hexes.length >= 1 && hexes.length <= 15);
      const counts = hexes.map((h) => Number(h[2]!.replace(/,/g, '')));
      assert.deepEqual(
        [...counts].sort((a, b) => b - a),
        counts,
        'busiest first',
      );
      await t.k.deleteFrom('official_deprivation').execute();
    });

    it('refuses bad comparators and explains a missing area', async () => {
      const bad = await viewer.get(`${base()}/document?end=2024-12&authorities=${encodeURIComponent('Sheffield, lots')}`);
      assert.equal(bad.status, 400);
      assert.match(bad.body, /govuk-error-summary/);
      assert.match(bad.body, /href="#authorities"/);
      assert.equal((await viewer.get(`${base()}/document.docx?end=2024-12&authorities=nonsense`)).status, 400);
      assert.equal((await viewer.get(`${base()}/document.docx?partnerships=999999`)).status, 400);

      const other = await makePartnership(t.k, 'No Area Partnership');
      const member = new Browser(t.app);
      await member.signIn((await memberOf(t.k, other.id, 'viewer')).email);
      const page = await member.get(`/partnerships/${other.id}/assessment/document`);
      assert.equal(page.status, 200);
      assert.match(page.body, /Define the partnership&#39;s area first/);
      assert.equal((await member.get(`/partnerships/${other.id}/assessment/document.docx`)).status, 409);
      // And another partnership's document is not there for this member.
      assert.equal((await member.get(`${base()}/document.docx?end=2024-12`)).status, 404);
    });

    it('compares with another partnership chosen by id', async () => {
      const other = await makePartnership(t.k, 'Barnsley Safer');
      await saveAssessmentArea(t.k, SYSTEM_ACTOR, other.id, { localAuthorities: 'Barnsley', lsoaCodes: '' });
      const page = await viewer.get(`${base()}/document?end=2024-12&partnerships=${other.id}`);
      assert.equal(page.status, 200);
      const barnsley = rows.filter((r) => r.lsoaName.startsWith('Barnsley ') && r.month >= '2024-01' && r.crimeType !== ASB).length;
      const [name, , lsoaCount, crimes] = tableRows(page.body, /<caption[^>]*>Areas compared</)[1]!;
      assert.deepEqual(
        [name, lsoaCount, crimes],
        [
          'Barnsley Safer',
          new Set(rows.filter((r) => r.lsoaName.startsWith('Barnsley ')).map((r) => r.lsoaCode)).size.toLocaleString('en-GB'),
          barnsley.toLocaleString('en-GB'),
        ],
      );
    });
  });
}
