import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ENGINES } from '../support/db.ts';
import { Browser, importOfficialFile, api, makePartnership, makeUser, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { MALFORMED_FIXTURE, STREET_FIXTURES, readStreetRows, tempDir } from '../support/policeUk.ts';
import { getAssessmentArea, saveAssessmentArea } from '../../src/services/assessment/assessmentAreas.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';

const ASB = 'Anti-social behaviour';
const IMD_FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'official', 'imd2019-file7.csv');
const BOUNDARY_FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'official', 'lsoa-boundaries.geojson');

/** Text of a page without tags, for reading figures as a person would. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

for (const engine of ENGINES) {
  describe(`strategic assessment pages on ${engine}`, () => {
    let t: TestApp;
    let dir: string;
    let partnershipId: number;
    let admin: Browser;
    let viewer: Browser;
    /** A second partnership, its area defined before any police.uk data is imported. */
    let gapshire: { id: number; browser: Browser; token: string };

    before(async () => {
      dir = tempDir();
      const police = path.join(dir, 'police-uk');
      fs.cpSync(STREET_FIXTURES, path.join(police, 'two-forces-2024'), { recursive: true });
      fs.mkdirSync(path.join(police, 'april'), { recursive: true });
      fs.copyFileSync(MALFORMED_FIXTURE, path.join(police, 'april', path.basename(MALFORMED_FIXTURE)));
      t = await startTestApp(engine, { CRIME_STORE_PATH: path.join(dir, 'crime.duckdb'), POLICE_DATA_DIR: police });
      const p = await makePartnership(t.k, 'Rotherham Safer');
      partnershipId = p.id;
      admin = new Browser(t.app);
      await admin.signIn((await memberOf(t.k, p.id, 'admin')).email);
      viewer = new Browser(t.app);
      await viewer.signIn((await memberOf(t.k, p.id, 'viewer')).email);
    });
    after(async () => {
      await t.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    async function importAndWait(source: string): Promise<string> {
      const base = `/partnerships/${partnershipId}/assessment/import`;
      const started = await admin.post(base, { source });
      assert.equal(started.status, 303);
      for (let i = 0; i < 200; i++) {
        const page = await admin.get(base);
        assert.equal(page.status, 200);
        assert.ok(!page.body.includes('http-equiv="refresh"'), 'no timed page refresh (WCAG 2.2.1)');
        if (!page.body.includes('id="import-progress"')) return page.body;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('The import did not finish');
    }

    /** The inset saying why there is no assessment, as text, and the address it links to (or null). */
    function gapOf(html: string): { text: string; href: string | null } {
      const inset = /<div class="govuk-inset-text" id="assessment-gap">([\s\S]*?)<\/div>/.exec(html);
      assert.ok(inset, 'the page says why there is no assessment');
      return { text: text(inset[1]!).replace(/&#39;/g, "'").trim(), href: /href="([^"]+)"/.exec(inset[1]!)?.[1] ?? null };
    }

    it('says why there is no assessment before any police.uk data, with the months needed and a link to put it right', async () => {
      // No area yet: a viewer is told who defines it; an administrator gets the link.
      const noArea = gapOf((await viewer.get(`/partnerships/${partnershipId}/assessment/document`)).body);
      assert.match(noArea.text, /Define the partnership's area first\. An editor or administrator of the partnership defines its area\./);
      assert.equal(noArea.href, null);
      assert.equal(
        gapOf((await admin.get(`/partnerships/${partnershipId}/assessment`)).body).href,
        `/partnerships/${partnershipId}/assessment/area`,
      );

      // An area but no police.uk data at all: every assessment page, and the downloads (409), name the reason and the import page.
      const other = await makePartnership(t.k, 'Gapshire Safer');
      await saveAssessmentArea(t.k, SYSTEM_ACTOR, other.id, { localAuthorities: 'Rotherham', lsoaCodes: '' });
      const otherAdmin = new Browser(t.app);
      const adminUser = await memberOf(t.k, other.id, 'admin');
      await otherAdmin.signIn(adminUser.email);
      const now = new Date();
      const month = (back: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
      const label = (d: Date) => d.toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
      const needed = `${label(month(25))} to ${label(month(2))}`;
      const base = `/partnerships/${other.id}/assessment`;
      for (const [page, status] of [
        ['', 200],
        ['/document', 200],
        ['/document.pdf', 409],
        ['/document.docx', 409],
        ['/compare', 200],
        ['/matrix', 200],
      ] as const) {
        const res = await otherAdmin.get(`${base}${page}`);
        assert.equal(res.status, status, page);
        const gap = gapOf(res.body);
        assert.match(gap.text, /^No police\.uk records are held for this area: no police\.uk data has been imported yet\./, page);
        assert.ok(gap.text.includes(`the 12 months to assess and the 12 before them, such as ${needed}`), `${page}: ${gap.text}`);
        assert.equal(gap.href, `${base}/import`, page);
        assert.ok(!res.body.includes('document.pdf'), `${page} offers no PDF link that would fail`);
      }
      // The API's problem body names the reason and the months.
      const token = (await createToken(t.k, adminUser, 'gap')).token;
      const iso = (d: Date) => d.toISOString().slice(0, 7);
      for (const rest of ['', '/matrix', '/map', '/lsoa-map', '/seasonality']) {
        const res = await api(t.app, token, 'GET', `/api/v1${base}${rest}`);
        assert.equal(res.status, 409, rest);
        const body = res.json<{ message: string; reason: string; months: { from: string; to: string } }>();
        assert.equal(body.reason, 'no-police-data', rest);
        assert.deepEqual(body.months, { from: iso(month(25)), to: iso(month(2)) }, rest);
        assert.match(body.message, /No police\.uk records are held for this area/, rest);
      }
      gapshire = { id: other.id, browser: otherAdmin, token };
    });

    it('imports police.uk folders from the server, reporting accepted rows and each rejected row', async () => {
      const page = await admin.get(`/partnerships/${partnershipId}/assessment/import`);
      assert.match(page.body, /two-forces-2024/);
      const done = await importAndWait('two-forces-2024');
      const rows = readStreetRows(STREET_FIXTURES);
      assert.match(text(done), new RegExp(`Rows accepted ${rows.length.toLocaleString('en-GB')} Rows rejected 0`));
      const april = text(await importAndWait('april'));
      assert.match(april, /Rows accepted 4 Rows rejected 6/);
      assert.match(april, /2024-04-essex-street\.csv 7 Longitude east Longitude must be a number/);
      assert.match(april, /2024-04-essex-street\.csv 5 Month 2024-03 Month does not match the file name \(2024-04\)/);
    });

    it('streams an uploaded file into the police.uk folder, and refuses other files', async () => {
      const page = await admin.get(`/partnerships/${partnershipId}/assessment/import`);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const upload = (name: string, payload: Buffer, type = 'text/csv', token = csrf) =>
        t.app.inject({
          method: 'POST',
          url: `/partnerships/${partnershipId}/assessment/upload?batch=abcdef123456&name=${encodeURIComponent(name)}`,
          payload,
          headers: { cookie, 'content-type': type, 'x-csrf-token': token },
        });
      const data = fs.readFileSync(MALFORMED_FIXTURE);
      const ok = await upload('2024-04-essex-street.csv', data);
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual(ok.json(), { source: 'upload-abcdef123456', bytes: data.length });
      assert.deepEqual(fs.readFileSync(path.join(t.config.policeDataDir, 'upload-abcdef123456', '2024-04-essex-street.csv')), data);
      assert.equal((await upload('../../evil-street.csv', data)).statusCode, 400);
      assert.equal((await upload('notes.txt', data)).statusCode, 400);
      assert.equal((await upload('2024-04-essex-street.csv', data, 'text/csv', 'forged')).statusCode, 403);
      const page2 = await admin.get(`/partnerships/${partnershipId}/assessment/import`);
      assert.match(page2.body, /upload-abcdef123456/);
      fs.rmSync(path.join(t.config.policeDataDir, 'upload-abcdef123456'), { recursive: true });
    });

    it('refuses an import source that is not offered', async () => {
      const res = await admin.post(`/partnerships/${partnershipId}/assessment/import`, { source: '../../etc' });
      assert.equal(res.status, 400);
      assert.match(res.body, /Choose the police.uk files to import/);
    });

    it('only partnership administrators import; viewers read the assessment', async () => {
      assert.equal((await viewer.get(`/partnerships/${partnershipId}/assessment/import`)).status, 403);
      assert.equal((await viewer.post(`/partnerships/${partnershipId}/assessment/area`, { localAuthorities: 'Rotherham' })).status, 403);
    });

    it('saves the area and shows the assessment with figures that match the files', async () => {
      const bad = await admin.post(`/partnerships/${partnershipId}/assessment/area`, {
        localAuthorities: '',
        lsoaCodes: 'E01000001, nonsense',
      });
      assert.equal(bad.status, 400);
      assert.match(bad.body, /Line 1: &quot;nonsense&quot; is not an LSOA code/);
      const saved = await admin.post(`/partnerships/${partnershipId}/assessment/area`, { localAuthorities: 'Rotherham\n', lsoaCodes: '' });
      assert.equal(saved.status, 303);
      assert.deepEqual((await getAssessmentArea(t.k, partnershipId))?.localAuthorities, ['Rotherham']);

      const page = await viewer.get(`/partnerships/${partnershipId}/assessment?end=2024-03`);
      assert.equal(page.status, 200);
      const body = text(page.body);
      const rotherham = readStreetRows(STREET_FIXTURES).filter((r) => r.lsoaName.startsWith('Rotherham '));
      const crime = rotherham.filter((r) => r.crimeType !== ASB).length;
      const asb = rotherham.filter((r) => r.crimeType === ASB).length;
      // No records in the previous year: counts 0, percentage n/a, and the missing months are named.
      assert.match(body, new RegExp(`All crime \\(excluding anti-social behaviour\\) 0 ${crime} `));
      assert.match(body, new RegExp(`Anti-social behaviour 0 ${asb} `));
      assert.match(body, /No records for April 2022/);
      assert.match(body, /The \d+ LSOAs with the most crime \(the top 10% of \d+\) had [\d.]+% of the area's crime/);
      assert.match(page.body, /<svg[^>]+role="img"/);
    });

    it('imports the indices of deprivation (all or nothing, again the same) and shows crime and ASB by decile', async () => {
      const platform = new Browser(t.app);
      await platform.signIn((await makeUser(t.k, { platformAdmin: true })).email);
      const file = fs.readFileSync(path.join(IMD_FIXTURE));
      const deprivationRows = async () =>
        Number(
          (
            await t.k
              .selectFrom('official_deprivation')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      async function importImd(name: string, data: Buffer): Promise<string> {
        const res = await platform.postFile(
          '/admin/official-data',
          'file',
          { filename: name, data, type: 'text/csv' },
          { kind: 'deprivation' },
        );
        assert.equal(res.status, 303, res.body.slice(0, 300));
        for (let i = 0; i < 200; i++) {
          const page = await platform.get(res.location!);
          if (!page.body.includes('id="import-running"')) return text(page.body);
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error('the import did not finish');
      }
      const lines = file.toString('utf8').trim().split(/\r?\n/);
      const bad = Buffer.from([lines[0], lines[1]!.replace(/^E01\d+/, 'X123'), ...lines.slice(2)].join('\r\n'));
      assert.match(
        await importImd('bad.csv', bad),
        /Nothing was imported: the file has 1 problem.*row 2 LSOA code \(2011\) X123 must be an English LSOA code/,
      );
      assert.equal(await deprivationRows(), 0);
      for (let i = 0; i < 2; i++)
        assert.match(await importImd('imd2019-file7.csv', file), /Imported the indices for 33 LSOAs in 2 local authorities/);
      assert.equal(await deprivationRows(), 33);

      // Worked out again from the two fixtures' text: each Rotherham LSOA's decile and residents, its crime and ASB.
      const imd = new Map(
        lines
          .slice(1)
          .map((l) => l.split(','))
          .map((c) => [c[0]!, { decile: Number(c[6]), population: Number(c[52]) }]),
      );
      const rotherham = readStreetRows(STREET_FIXTURES).filter((r) => r.lsoaName.startsWith('Rotherham ') && r.month <= '2024-03');
      const page = text((await viewer.get(`/partnerships/${partnershipId}/assessment?end=2024-03`)).body);
      const lsoaCodes = new Set(rotherham.map((r) => r.lsoaCode));
      for (let d = 1; d <= 10; d++) {
        const ours = [...imd].filter(([code, x]) => x.decile === d && lines.some((l) => l.startsWith(code) && l.includes(',Rotherham,')));
        const population = ours.reduce((s, [, x]) => s + x.population, 0);
        const crime = rotherham.filter((r) => imd.get(r.lsoaCode)?.decile === d && r.crimeType !== ASB).length;
        const asb = rotherham.filter((r) => imd.get(r.lsoaCode)?.decile === d && r.crimeType === ASB).length;
        const rate = population ? (Math.round((crime / population) * 10_000) / 10).toFixed(1) : 'No residents';
        assert.match(
          page,
          new RegExp(
            `Decile ${d}${d === 1 ? ' \\(most deprived\\)' : d === 10 ? ' \\(least deprived\\)' : ''} ${ours.length} [\\d.n/a%]+ ${population.toLocaleString('en-GB')} ${crime} ${rate} [\\d.n/a%]+ ${asb} `,
          ),
          `decile ${d}`,
        );
      }
      const missing = [...lsoaCodes].filter((c) => !imd.has(c));
      assert.ok(missing.length >= 1);
      assert.match(page, new RegExp(`${missing.length} LSOAs? (is|are) not in the indices`));
      assert.match(page, /Crime and anti-social behaviour by deprivation decile/);
      // The API gives the same figures.
      const token = (await createToken(t.k, await memberOf(t.k, partnershipId, 'viewer'), 'api')).token;
      const res = await api(t.app, token, 'GET', `/api/v1/partnerships/${partnershipId}/assessment/deprivation?end=2024-03`);
      assert.equal(res.status, 200, res.body);
      const json = res.json<{ lsoasHeld: number; profile: { deciles: { crime: number; asb: number }[]; lsoasWithout: string[] } }>();
      assert.equal(json.lsoasHeld, 33);
      assert.equal(
        json.profile.deciles.reduce((n, d) => n + d.crime + d.asb, 0),
        rotherham.filter((r) => imd.has(r.lsoaCode)).length,
      );
      assert.deepEqual(json.profile.lsoasWithout, missing.sort());
    });

    it('draws the density map of crime or ASB with its key, text alternative and table', async () => {
      const rotherham = readStreetRows(STREET_FIXTURES).filter((r) => r.lsoaName.startsWith('Rotherham ') && r.month <= '2024-03');
      for (const [kind, rows] of [
        ['crime', rotherham.filter((r) => r.crimeType !== ASB)],
        ['asb', rotherham.filter((r) => r.crimeType === ASB)],
      ] as const) {
        const res = await viewer.get(`/partnerships/${partnershipId}/assessment?end=2024-03&map=${kind}`);
        const body = text(res.body);
        assert.match(res.body, /<svg[^>]+app-chart--hexmap[^>]+role="img" aria-labelledby="density-map-title density-map-desc"/);
        assert.match(body, new RegExp(`${rows.length} records with a map point in \\d+ hexagons`));
        const polygons = res.body.match(/<polygon /g)?.length ?? 0;
        const hexagons = Number(/The \d+ busiest of (\d+) hexagons/.exec(body)![1]);
        assert.equal(polygons, hexagons);
        // The table's counts add up to every record when all hexagons are listed.
        const table = /<table class="govuk-table" id="density-table">([\s\S]*?)<\/table>/.exec(res.body)![1]!;
        const counts = [...table.matchAll(/govuk-table__cell--numeric">(\d+)</g)].map((m) => Number(m[1]));
        if (hexagons <= 15)
          assert.equal(
            counts.reduce((s, n) => s + n, 0),
            rows.length,
          );
        assert.match(res.body, /id="density-legend"/);
        assert.match(res.body, new RegExp(`value="${kind}" checked`));
      }
      const token = (await createToken(t.k, await memberOf(t.k, partnershipId, 'viewer'), 'api map')).token;
      const map = await api(t.app, token, 'GET', `/api/v1/partnerships/${partnershipId}/assessment/map?end=2024-03&kind=asb`);
      assert.equal(map.status, 200, map.body);
      const grid = map.json<{ kind: string; total: number; hexagons: { count: number }[] }>();
      assert.equal(grid.kind, 'asb');
      assert.equal(grid.total, rotherham.filter((r) => r.crimeType === ASB).length);
      assert.equal(
        grid.hexagons.reduce((n, h) => n + h.count, 0),
        grid.total,
      );
    });

    it('imports LSOA boundaries (feature-level problems, all or nothing, again the same) and shades the LSOAs', async () => {
      const platform = new Browser(t.app);
      await platform.signIn((await makeUser(t.k, { platformAdmin: true })).email);
      const assessment = `/partnerships/${partnershipId}/assessment?end=2024-03`;
      assert.match(text((await viewer.get(assessment)).body), /No LSOA boundaries are imported, so there is no map by LSOA/);
      const importFile = async (kind: string, name: string, data: Buffer): Promise<string> =>
        text(await importOfficialFile(platform, kind, { filename: name, data, type: 'application/json' }));
      const held = async () =>
        (await t.k.selectFrom('official_lsoa_boundaries').select(['lsoa_code', 'coordinates_json']).orderBy('lsoa_code').execute()).map(
          (r) => `${r.lsoa_code}:${r.coordinates_json}`,
        );
      const good = fs.readFileSync(BOUNDARY_FIXTURE, 'utf8');
      const lines = good.split('\n');
      lines[3] = lines[3]!.replace(/"LSOA11CD":"E01\d+"/, '"LSOA11CD":"X123"');
      assert.match(
        await importFile('boundaries', 'bad.geojson', Buffer.from(lines.join('\n'))),
        /Nothing was imported: the file has 1 problem\. First: feature 3, properties\.LSOA11CD: must be an LSOA code such as E01000001 \(got &quot;X123&quot;\).*Feature 3 properties\.LSOA11CD X123 must be an LSOA code/,
      );
      assert.deepEqual(await held(), []);
      const features = (JSON.parse(good) as { features: unknown[] }).features.length;
      const imported: string[][] = [];
      for (let i = 0; i < 2; i++) {
        assert.match(
          await importFile('boundaries', 'lsoa-boundaries.geojson', Buffer.from(good)),
          new RegExp(`Imported the boundaries of ${features} LSOAs \\(2011 codes\\)`),
        );
        imported.push(await held());
      }
      assert.equal(imported[0]!.length, features);
      assert.deepEqual(imported[1], imported[0]);

      // Worked out again from the police.uk fixtures: every Rotherham LSOA drawn, its records in the window.
      const rotherham = readStreetRows(STREET_FIXTURES).filter((r) => r.lsoaName.startsWith('Rotherham ') && r.month <= '2024-03');
      const crime = new Map<string, number>();
      for (const r of rotherham) if (r.crimeType !== ASB) crime.set(r.lsoaCode, (crime.get(r.lsoaCode) ?? 0) + 1);
      const area = [
        ...new Set(
          readStreetRows(STREET_FIXTURES)
            .filter((r) => r.lsoaName.startsWith('Rotherham '))
            .map((r) => r.lsoaCode),
        ),
      ];
      const rowsOf = (html: string) =>
        [
          .../<table class="govuk-table" id="lsoa-table">([\s\S]*?)<\/table>/
            .exec(html)![1]!
            .matchAll(/<tr class="govuk-table__row"><th scope="row"[^>]*>(E01\d+)[^<]*<\/th>(.*?)<\/tr>/g),
        ].map((m) => ({ code: m[1]!, cells: [...m[2]!.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => c[1]!) }));
      const before = (await viewer.get(assessment)).body;
      const svg = /<svg[^>]+app-chart--choropleth[^>]+role="img" aria-labelledby="lsoa-map-title lsoa-map-desc"[\s\S]*?<\/svg>/.exec(
        before,
      )![0];
      const rows = rowsOf(before);
      assert.equal(svg.match(/<path /g)?.length, area.length);
      assert.deepEqual(rows.map((r) => r.code).sort(), [...area].sort());
      for (const r of rows) assert.equal(r.cells[0], String(crime.get(r.code) ?? 0), r.code);
      // Two LSOAs of the area are not in the indices, so counts are shaded.
      assert.match(text(before), /Not every LSOA drawn has residents held, so counts are shaded, not rates/);
      assert.match(before, /id="lsoa-legend"/);

      // LSOA populations imported: rates per 1,000 are shaded, each worked out again.
      const population = (code: string) => 1000 + Number(code.slice(-3)) * 7;
      const csv = [
        'Code,Name,Geography,Mid-2023',
        ...area.map((c) => `${c},LSOA ${c},LSOA`).map((l) => `${l},${population(l.slice(0, 9))}`),
      ].join('\n');
      assert.match(await importFile('population', 'lsoa-population.csv', Buffer.from(csv)), /Imported \d+ population figures/);
      const after = (await viewer.get(assessment)).body;
      assert.match(text(after), /LSOAs shaded by records per 1,000 residents .* Residents: ONS mid-2023\./);
      for (const r of rowsOf(after)) {
        const count = crime.get(r.code) ?? 0;
        assert.deepEqual(
          r.cells.slice(0, 3),
          [String(count), population(r.code).toLocaleString('en-GB'), (Math.round((count / population(r.code)) * 10_000) / 10).toFixed(1)],
          r.code,
        );
      }
      const token = (await createToken(t.k, await memberOf(t.k, partnershipId, 'viewer'), 'api lsoa map')).token;
      const res = await api(t.app, token, 'GET', `/api/v1/partnerships/${partnershipId}/assessment/lsoa-map?end=2024-03&kind=asb`);
      assert.equal(res.status, 200, res.body);
      const json = res.json<{
        kind: string;
        measure: string;
        total: number;
        classes: unknown[];
        lsoas: { count: number; class: number }[];
      }>();
      assert.equal(json.kind, 'asb');
      assert.equal(json.measure, 'rate');
      assert.equal(json.total, rotherham.filter((r) => r.crimeType === ASB).length);
      assert.equal(
        json.lsoas.reduce((n, l) => n + l.count, 0),
        json.total,
      );
      assert.ok(json.lsoas.every((l) => l.class >= 0 && l.class < json.classes.length));
    });

    it('shows the window the API shows: a month not held gives the latest month held', async () => {
      const page = text((await viewer.get(`/partnerships/${partnershipId}/assessment?end=2031-01`)).body);
      assert.match(page, /May 2023 to April 2024 compared with May 2022 to April 2023/);
    });

    it('says when the data held has none of the area, naming the months the window needs', async () => {
      const base = `/partnerships/${gapshire.id}/assessment`;
      await saveAssessmentArea(t.k, SYSTEM_ACTOR, gapshire.id, { localAuthorities: 'Norwich', lsoaCodes: '' });
      for (const [page, status] of [
        ['', 200],
        ['/document', 200],
        ['/document.pdf', 409],
        ['/compare', 200],
        ['/matrix', 200],
      ] as const) {
        const res = await gapshire.browser.get(`${base}${page}`);
        assert.equal(res.status, status, page);
        const gap = gapOf(res.body);
        assert.match(
          gap.text,
          /^No police\.uk records are held for this area \(Norwich\) and window: none of the police\.uk data imported \(January 2024 to April 2024\) is of its LSOAs\..* the 12 months to assess and the 12 before them, May 2022 to April 2024\./,
          page,
        );
        assert.equal(gap.href, `${base}/import`, page);
      }
      for (const rest of ['', '/seasonality', '/comparison?authorities=Sheffield%2C%20556000']) {
        const res = await api(t.app, gapshire.token, 'GET', `/api/v1${base}${rest}`);
        assert.equal(res.status, 409, rest);
        assert.deepEqual(res.json<{ reason: string; months: unknown }>(), {
          ...res.json<object>(),
          reason: 'no-records-for-area',
          months: { from: '2022-05', to: '2024-04' },
        });
      }
    });
  });
}
