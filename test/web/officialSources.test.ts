import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ENGINES } from '../support/db.ts';
import { Browser, importOfficialFile, api, makePartnership, makeUser, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { retireIndicator } from '../../src/services/performance/retirement.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import type { Database } from '../../src/adapters/database/schema.ts';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'official');
const FINGERTIPS = path.join(FIXTURES, 'fingertips-11201.csv');
const ANNUAL = path.join(FIXTURES, 'fingertips-annual.csv');
const ROADS = path.join(FIXTURES, 'road-collisions.csv');
const RUTLAND = 'E06000017';
const BOUNDARIES = path.join(FIXTURES, 'lsoa-boundaries.geojson');

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
/** The fixture's lines split into cells (lines with a quoted cell, England's deprivation deciles, are left out). */
const cellsOf = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .trim()
    .split(/\r?\n/)
    .filter((l) => !l.includes('"'))
    .map((l) => l.split(','));
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const one = (s: string) => (s === '' ? '' : Number(s).toLocaleString('en-GB', { maximumFractionDigits: 1 }));

for (const engine of ENGINES) {
  describe(`Fingertips and road casualty imports on ${engine}`, () => {
    let t: TestApp;
    let partnershipId: number;
    let platform: Browser;
    let admin: Browser;
    let token: string;

    before(async () => {
      t = await startTestApp(engine);
      partnershipId = (await makePartnership(t.k, 'Safer Rutland')).id;
      platform = new Browser(t.app);
      await platform.signIn((await makeUser(t.k, { platformAdmin: true })).email);
      const member = await memberOf(t.k, partnershipId, 'admin');
      admin = new Browser(t.app);
      await admin.signIn(member.email);
      token = (await createToken(t.k, member, 'api')).token;
    });
    after(async () => t.close());

    const count = async (table: keyof Database) =>
      Number(
        (
          await t.k
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    const importFile = async (kind: string, name: string, data: Buffer): Promise<string> =>
      text(await importOfficialFile(platform, kind, { filename: name, data, type: 'text/csv' }));

    it('imports a Fingertips download all or nothing, and the same file again gives the same table', async () => {
      const lines = fs.readFileSync(FINGERTIPS, 'utf8').trim().split(/\r?\n/);
      const cells = lines[2]!.split(',');
      cells[12] = 'abc';
      const bad = Buffer.from([lines[0], lines[1], cells.join(','), ...lines.slice(3)].join('\r\n'));
      assert.match(
        await importFile('fingertips', 'bad.csv', bad),
        /Nothing was imported: the file has 1 problem.*row 3 Value abc must be a number or blank/,
      );
      // A line given twice is refused at the repeat: its row, the time period column and its value.
      assert.match(
        await importFile('fingertips', 'twice.csv', Buffer.from([...lines, lines[2]].join('\r\n'))),
        new RegExp(
          `Nothing was imported: the file has 1 problem.*row ${lines.length + 1} Time period ${esc(lines[2]!.split(',')[11]!)} the same indicator, area, sex, age, category and time period are given twice`,
        ),
      );
      assert.equal(await count('official_fingertips'), 0);
      for (let i = 0; i < 2; i++)
        assert.match(
          await importFile('fingertips', 'fingertips-11201.csv', fs.readFileSync(FINGERTIPS)),
          new RegExp(`Imported ${lines.length - 1} values of indicator 11201 for 4 areas`),
        );
      assert.equal(await count('official_fingertips'), lines.length - 1);
    });

    it('imports a STATS19 collision file all or nothing, and the same file again gives the same table', async () => {
      const lines = fs.readFileSync(ROADS, 'utf8').trim().split(/\r?\n/);
      const cells = lines[1]!.split(',');
      cells[8] = '4';
      const bad = Buffer.from([lines[0], cells.join(','), ...lines.slice(2)].join('\r\n'));
      assert.match(
        await importFile('roads', 'bad.csv', bad),
        /Nothing was imported: the file has 1 problem.*row 2 accident_severity 4 must be 1 \(fatal\), 2 \(serious\) or 3 \(slight\)/,
      );
      assert.match(
        await importFile('roads', 'twice.csv', Buffer.from([...lines, lines[1]].join('\r\n'))),
        new RegExp(
          `Nothing was imported: the file has 1 problem.*row ${lines.length + 1} accident_index ${lines[1]!.split(',')[0]} the same collision is given twice`,
        ),
      );
      assert.equal(await count('official_road_collisions'), 0);
      for (let i = 0; i < 2; i++)
        assert.match(
          await importFile('roads', 'road-collisions.csv', fs.readFileSync(ROADS)),
          new RegExp(`Imported ${lines.length - 1} collisions`),
        );
      assert.equal(await count('official_road_collisions'), lines.length - 1);
    });

    it("shows the area's Fingertips series with England and its KSI collisions by year, and the API agrees", async () => {
      assert.equal(
        (await admin.post(`/partnerships/${partnershipId}/assessment/area`, { localAuthorities: 'Rutland', lsoaCodes: '' })).status,
        303,
      );
      const page = text((await admin.get(`/partnerships/${partnershipId}/assessment`)).body);
      assert.match(page, /Figures of the area's local authorities: Rutland \(E06000017\)/);
      // Each Rutland Persons period of the fixture, with England's value of the period.
      const rows = cellsOf(FINGERTIPS).slice(1);
      const persons = (code: string) => rows.filter((c) => c[4] === code && c[7] === 'Persons' && c[9] === '');
      const england = new Map(persons('E92000001').map((c) => [c[11]!, c[12]!]));
      const ours = persons(RUTLAND);
      assert.equal(ours.length, 7);
      for (const c of ours) {
        const value = c[12] === '' ? c[19]! : one(c[12]!);
        const i95 = c[13] ? `${one(c[13])} to ${one(c[14]!)} ` : '';
        const i998 = c[15] ? `${one(c[15])} to ${one(c[16]!)} ` : '';
        const n = c[17] ? `${Number(c[17]).toLocaleString('en-GB')} ` : '';
        const expected = `${c[11]} ${value} ${i95}${i998}${n}${Number(c[18]).toLocaleString('en-GB')} ${one(england.get(c[11]!)!)} ${c[21]}`;
        assert.match(page, new RegExp(esc(expected.trim())), c[11]);
      }
      // KSI collisions and their casualties per year, worked out again from the file.
      const collisions = cellsOf(ROADS)
        .slice(1)
        .filter((c) => c[15] === RUTLAND);
      const years = [
        ...new Set(
          cellsOf(ROADS)
            .slice(1)
            .map((c) => Number(c[1])),
        ),
      ].sort();
      const expectedYears = years.map((year) => {
        const y = collisions.filter((c) => Number(c[1]) === year);
        const ksi = y.filter((c) => c[8] === '1' || c[8] === '2');
        const sum = (xs: string[][]) => xs.reduce((s, c) => s + Number(c[10]), 0);
        return {
          year,
          collisions: y.length,
          fatal: y.filter((c) => c[8] === '1').length,
          serious: y.filter((c) => c[8] === '2').length,
          ksiCollisions: ksi.length,
          ksiCollisionCasualties: sum(ksi),
          casualties: sum(y),
        };
      });
      for (const y of expectedYears)
        assert.match(
          page,
          new RegExp(`${y.year} ${y.fatal} ${y.serious} ${y.ksiCollisions} ${y.ksiCollisionCasualties} ${y.collisions} ${y.casualties} `),
          String(y.year),
        );
      assert.ok(expectedYears.some((y) => y.ksiCollisions > 0));

      const f = await api(t.app, token, 'GET', `/api/v1/partnerships/${partnershipId}/assessment/fingertips`);
      assert.equal(f.status, 200, f.body);
      const fj = f.json<{
        series: { indicatorId: number; points: { timePeriod: string; value: number | null; england: number | null }[] }[];
      }>();
      assert.deepEqual(
        fj.series[0]!.points.map((p) => [p.timePeriod, p.value, p.england]),
        ours.map((c) => [c[11], c[12] === '' ? null : Number(c[12]), Number(england.get(c[11]!))]),
      );
      const r = await api(t.app, token, 'GET', `/api/v1/partnerships/${partnershipId}/assessment/road-casualties`);
      assert.equal(r.status, 200, r.body);
      assert.deepEqual(r.json<{ years: unknown[] }>().years, expectedYears);
    });

    it("fills an annual indicator's figures from a Fingertips series, audited, and again changes nothing", async () => {
      await importFile('fingertips', 'fingertips-annual.csv', fs.readFileSync(ANNUAL));
      const indicatorId = (
        await createIndicator(t.k, SYSTEM_ACTOR, partnershipId, {
          code: 'H1',
          title: 'Hospital admissions for violence',
          unit: 'rate_per_100000',
          polarity: 'lower_is_better',
          frequency: 'annual',
          obaCategory: 'how_well',
          priorityIds: [],
        })
      ).id;
      const quarterly = (
        await createIndicator(t.k, SYSTEM_ACTOR, partnershipId, {
          code: 'Q1',
          title: 'A quarterly indicator',
          unit: 'count',
          polarity: 'lower_is_better',
          frequency: 'quarterly',
          obaCategory: 'how_much',
          priorityIds: [],
        })
      ).id;
      const refused = await admin.post(`/partnerships/${partnershipId}/assessment/fingertips/fill`, {
        indicatorId: String(quarterly),
        fingertipsIndicatorId: '90000',
        areaCode: RUTLAND,
      });
      assert.equal(refused.status, 400);
      assert.match(text(refused.body), /Q1 A quarterly indicator is quarterly: Fingertips values are yearly/);

      const annual = cellsOf(ANNUAL)
        .slice(1)
        .filter((c) => c[4] === RUTLAND && c[7] === 'Persons' && c[9] === '');
      const withValues = annual.filter((c) => c[12] !== '');
      const done = await admin.post(`/partnerships/${partnershipId}/assessment/fingertips/fill`, {
        indicatorId: String(indicatorId),
        fingertipsIndicatorId: '90000',
        areaCode: RUTLAND,
      });
      assert.equal(done.status, 303, done.body.slice(0, 500));
      const figures = async () =>
        t.k
          .selectFrom('figures')
          .select(['period', 'value', 'source'])
          .where('indicator_id', '=', indicatorId)
          .where('superseded_at', 'is', null)
          .orderBy('period')
          .execute();
      assert.deepEqual(
        (await figures()).map((f) => [f.period, Number(f.value)]),
        withValues.map((c) => [c[11], Number(c[12])]),
      );
      assert.match((await figures())[0]!.source, /OHID Fingertips indicator 90000, Rutland \(E06000017\)/);

      // The API fills the same indicator from the three-year pooled 11201 series: each under its last year.
      const pooled = cellsOf(FINGERTIPS)
        .slice(1)
        .filter((c) => c[4] === RUTLAND && c[7] === 'Persons' && c[9] === '' && c[12] !== '');
      const url = `/api/v1/partnerships/${partnershipId}/indicators/${indicatorId}/figures/from-fingertips`;
      const first = await api(t.app, token, 'POST', url, { fingertipsIndicatorId: 11201 });
      assert.equal(first.status, 200, first.body);
      const again = await api(t.app, token, 'POST', url, { fingertipsIndicatorId: 11201 });
      assert.equal(again.json<{ unchanged: number }>().unchanged, pooled.length);
      const byPeriod = new Map((await figures()).map((f) => [f.period, Number(f.value)]));
      for (const c of pooled) assert.equal(byPeriod.get(`20${c[11]!.slice(-5)}`), Number(c[12]), c[11]);
      const missing = await api(t.app, token, 'POST', url, { fingertipsIndicatorId: 999 });
      assert.equal(missing.status, 400);
      assert.match(missing.body, /No Fingertips indicator 999 is imported for E06000017/);
      const audits = await t.k
        .selectFrom('audit_events')
        .select('summary')
        .where('partnership_id', '=', partnershipId)
        .where('summary', 'like', 'Filled H1%')
        .execute();
      assert.equal(audits.length, 3);
    });

    it('offers only the indicators still reported, and answers an id too large for any indicator as a wrong choice or not found', async () => {
      const annual = (code: string) =>
        createIndicator(t.k, SYSTEM_ACTOR, partnershipId, {
          code,
          title: `Annual ${code}`,
          unit: 'count',
          polarity: 'lower_is_better',
          frequency: 'annual',
          obaCategory: 'how_much',
          priorityIds: [],
        });
      const retired = await annual('RET1');
      const later = await annual('RET2');
      await retireIndicator(t.k, SYSTEM_ACTOR, partnershipId, retired.id, { endPeriod: '2018-19', reason: 'Replaced' });
      // Retired after a year that has not ended yet: still reported, so still offered.
      const year = new Date().getUTCFullYear() + 1;
      await retireIndicator(t.k, SYSTEM_ACTOR, partnershipId, later.id, {
        endPeriod: `${year}-${String(year + 1).slice(2)}`,
        reason: 'Ends later',
      });
      const page = await admin.get(`/partnerships/${partnershipId}/assessment`);
      const offered = new Set([...page.body.matchAll(/<option value="(\d+)"[^>]*>/g)].map((m) => Number(m[1])));
      assert.ok(!offered.has(retired.id), 'a retired indicator is not offered');
      assert.ok(offered.has(later.id), 'an indicator retired after a later year is offered');

      // Past the largest id PostgreSQL stores: the form's own message on both engines, not a server error.
      const huge = '99999999999';
      const form = await admin.post(`/partnerships/${partnershipId}/assessment/fingertips/fill`, {
        indicatorId: huge,
        fingertipsIndicatorId: '11201',
        areaCode: RUTLAND,
      });
      assert.equal(form.status, 400);
      assert.match(text(form.body), /Choose one of the partnership’s indicators/);
      const viaApi = await api(t.app, token, 'POST', `/api/v1/partnerships/${partnershipId}/indicators/${huge}/figures/from-fingertips`, {
        fingertipsIndicatorId: 11201,
      });
      assert.equal(viaApi.status, 404, viaApi.body);
      assert.equal((await admin.get(`/partnerships/${partnershipId}/indicators/${huge}`)).status, 404);
      assert.equal((await admin.get(`/partnerships/${huge}`)).status, 404);
      // A write addressed to it: not found, as on SQLite.
      assert.equal((await admin.post(`/partnerships/${partnershipId}/indicators/${huge}/edit`, { title: 'x' })).status, 404);
    });

    it('imports an official data file through the API as the page does: platform administrators only, problems by feature, nothing written', async () => {
      const platformToken = (await createToken(t.k, await makeUser(t.k, { platformAdmin: true }), 'official data')).token;
      const imports = () => count('official_data_imports');
      const post = (as: string, query: string, data: Buffer, type = 'application/geo+json') =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/official-data/imports?${query}`,
          headers: { authorization: `Bearer ${as}`, 'content-type': type },
          payload: data,
        });
      const finished = async (location: string) => {
        for (let i = 0; i < 200; i++) {
          const r = await api(t.app, platformToken, 'GET', location);
          assert.equal(r.status, 200, r.body);
          const body = r.json<{ status: string; rowsWritten: number; problems: Record<string, unknown>[]; message: string }>();
          if (body.status !== 'running') return body;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error('the import did not finish');
      };
      const good = fs.readFileSync(BOUNDARIES);
      const features = (JSON.parse(good.toString('utf8')) as { features: unknown[] }).features.length;
      const held = await imports();

      // A partnership administrator is not a platform administrator.
      assert.equal((await post(token, 'kind=boundaries&fileName=b.geojson', good)).statusCode, 403);
      // The page's checks: what the file holds, and a name of that kind of file.
      const refused = await post(platformToken, 'kind=maps&fileName=b.txt', good);
      assert.equal(refused.statusCode, 400, refused.body);
      assert.deepEqual(
        refused.json<{ problems: { field: string; message: string }[] }>().problems.map((p) => [p.field, p.message]),
        [
          ['kind', 'Choose what the file holds'],
          ['file', 'b.txt is not a CSV or Excel (.xlsx) file'],
        ],
      );
      assert.equal(await imports(), held, 'no import is recorded from a refused upload');

      // A feature with a bad code: the import is refused with its feature, property and value, and writes nothing.
      const lines = good.toString('utf8').split('\n');
      lines[3] = lines[3]!.replace(/"LSOA11CD":"E01\d+"/, '"LSOA11CD":"X123"');
      const bad = await post(platformToken, 'kind=boundaries&fileName=bad.geojson', Buffer.from(lines.join('\n')));
      assert.equal(bad.statusCode, 202, bad.body);
      const badResult = await finished(bad.headers.location as string);
      assert.equal(badResult.status, 'failed');
      assert.deepEqual(badResult.problems[0], {
        row: 3,
        unit: 'feature',
        column: 'properties.LSOA11CD',
        value: 'X123',
        message: 'must be an LSOA code such as E01000001',
      });
      assert.equal(await count('official_lsoa_boundaries'), 0);

      // The good file is imported, listed, and shown on the official data page as the page's own uploads are.
      const ok = await post(platformToken, 'kind=boundaries&fileName=lsoa-boundaries.geojson', good, 'application/json');
      assert.equal(ok.statusCode, 202, ok.body);
      const done = await finished(ok.headers.location as string);
      assert.equal(done.status, 'done', done.message);
      assert.equal(done.rowsWritten, features);
      assert.equal(await count('official_lsoa_boundaries'), features);
      const list = await api(t.app, platformToken, 'GET', '/api/v1/official-data/imports');
      assert.deepEqual(
        list
          .json<{ id: number; fileName: string; status: string }[]>()
          .slice(0, 2)
          .map((i) => [i.fileName, i.status]),
        [
          ['lsoa-boundaries.geojson', 'done'],
          ['bad.geojson', 'failed'],
        ],
      );
      assert.match(text((await platform.get('/admin/official-data')).body), /lsoa-boundaries\.geojson/);
      assert.equal((await api(t.app, token, 'GET', '/api/v1/official-data/imports')).status, 403);
    });
  });
}
