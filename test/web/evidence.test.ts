/**
 * The evidence base through the pages and the API, on both engines: a platform administrator imports the Home
 * Office table and ONS populations (the fixture files) and sees a refused file's problems; the partnership chooses
 * its CSP and peers; its official counts and the funnel plot with its table are shown, and the API gives the same
 * figures. Counts are worked out again here from the fixture's text.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ENGINES } from '../support/db.ts';
import { Browser, api, makeUser, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { createPartnership } from '../../src/services/partnerships/partnerships.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { enterFigures } from '../../src/services/performance/figures.ts';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'official');

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
}

/** Uploads a file and follows its import page until the import has finished. */
async function importFile(admin: Browser, kind: string, filename: string, data: Buffer): Promise<string> {
  const res = await admin.postFile('/admin/official-data', 'file', { filename, data, type: 'text/csv' }, { kind });
  assert.equal(res.status, 303, res.body.slice(0, 500));
  for (let i = 0; i < 200; i++) {
    const page = await admin.get(res.location!);
    assert.equal(page.status, 200);
    if (!page.body.includes('id="import-running"')) return page.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the import did not finish');
}

for (const engine of ENGINES) {
  describe(`evidence base pages and API on ${engine}`, { timeout: 120_000 }, () => {
    let t: TestApp;
    let rotherham: { id: number };
    let admin: Browser;
    let editor: Browser;
    let viewer: Browser;
    let token: string;
    const csv = fs.readFileSync(path.join(FIXTURES, 'crime-by-csp.csv'));
    const rows = csv
      .toString('utf8')
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l) => l.split(','));

    before(async () => {
      t = await startTestApp(engine);
      rotherham = await createPartnership(t.k, SYSTEM_ACTOR, null, {
        name: 'Safer Rotherham',
        areaDescription: 'Rotherham',
        populations: [],
      });
      admin = new Browser(t.app);
      await admin.signIn((await makeUser(t.k, { platformAdmin: true })).email);
      editor = new Browser(t.app);
      await editor.signIn((await memberOf(t.k, rotherham.id, 'editor')).email);
      viewer = new Browser(t.app);
      const v = await memberOf(t.k, rotherham.id, 'viewer');
      await viewer.signIn(v.email);
      token = (await createToken(t.k, v, 'v')).token;
    });
    after(async () => t.close());

    it('only a platform administrator may import; a file with problems is refused with each row, column and value', async () => {
      assert.notEqual((await editor.get('/admin/official-data')).status, 200);
      const bad = Buffer.from(
        csv.toString('utf8').replace('2021/22,1,South Yorkshire,Rotherham,Murder', '2021/22,5,South Yorkshire,Rotherham,Murder'),
      );
      const page = await importFile(admin, 'crime', 'bad.csv', bad);
      assert.match(text(page), /Nothing was imported: the file has 1 problem/);
      assert.match(text(page), /row 2 Financial Quarter 5 must be a quarter from 1 to 4/);
      const none = await admin.post('/admin/official-data', { kind: 'crime' });
      assert.equal(none.status, 400);
      assert.match(none.body, /Choose a CSV or Excel \(\.xlsx\) file/);
    });

    it('imports the Home Office table and ONS populations, showing what was imported', async () => {
      const page = await importFile(admin, 'crime', 'crime-by-csp.csv', csv);
      assert.match(text(page), /Imported 768 rows for 12 CSPs and 8 offences: financial years 2021\/22, 2022\/23/);
      const pop = await importFile(admin, 'population', 'population-mye4.csv', fs.readFileSync(path.join(FIXTURES, 'population-mye4.csv')));
      assert.match(text(pop), /Imported 24 population figures for 12 areas: mid-2021, mid-2022/);
      const list = await admin.get('/admin/official-data');
      assert.match(list.body, /crime-by-csp\.csv/);
    });

    it('an editor chooses the CSP (suggested from the name) and peers; mistakes are named', async () => {
      assert.equal((await viewer.get(`/partnerships/${rotherham.id}/assessment/official/settings`)).status, 403);
      const form = await editor.get(`/partnerships/${rotherham.id}/assessment/official/settings`);
      assert.match(form.body, /<option value="Rotherham" selected>/);
      const bad = await editor.post(`/partnerships/${rotherham.id}/assessment/official/settings`, {
        cspName: 'Rotherham',
        peerMethod: 'chosen',
        peers: 'Barnsley\nGotham',
      });
      assert.equal(bad.status, 400);
      assert.match(
        bad.body,
        /Line 2: &quot;Gotham&quot; is not a CSP in the Home Office table|Line 2: "Gotham" is not a CSP in the Home Office table/,
      );
      const ok = await editor.post(`/partnerships/${rotherham.id}/assessment/official/settings`, {
        cspName: 'Rotherham',
        peerMethod: 'computed',
        peers: '',
      });
      assert.equal(ok.status, 303);
    });

    it('shows the official counts by offence group and year, and the rate with the population estimate named', async () => {
      const page = await viewer.get(`/partnerships/${rotherham.id}/assessment/official`);
      assert.equal(page.status, 200);
      const mine = rows.filter((r) => r[3] === 'Rotherham');
      const total = (y: string) => mine.filter((r) => r[0] === y).reduce((s, r) => s + Number(r[8]), 0);
      const shown = (n: number) => n.toLocaleString('en-GB');
      assert.match(text(page.body), new RegExp(`All offences ${shown(total('2021/22'))} ${shown(total('2022/23'))}`));
      assert.match(text(page.body), /2022\/23 [\d,]+ 268,000 ONS mid-2022 estimate/);
    });

    it("works out an indicator's rates per 1,000 from the imported ONS estimates, naming each, and from a typed figure before them", async () => {
      // A population typed in for 2019 (before the ONS years of the fixture) and ONS mid-2021 and mid-2022 estimates
      // (266,660 and 268,000 in population-mye4.csv), which take the place of anything typed for those years.
      await t.k
        .insertInto('partnership_populations')
        .values([
          { partnership_id: rotherham.id, year: 2019, population: 250_000 },
          { partnership_id: rotherham.id, year: 2022, population: 999_999 },
        ])
        .execute();
      const indicator = await createIndicator(t.k, SYSTEM_ACTOR, rotherham.id, {
        code: 'SR 1',
        title: 'Violence against the person',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'annual',
        obaCategory: 'better_off',
      });
      await enterFigures(t.k, SYSTEM_ACTOR, rotherham.id, [
        { indicatorId: indicator.id, period: '2019/20', value: 500 },
        { indicatorId: indicator.id, period: '2021/22', value: 1333 },
        { indicatorId: indicator.id, period: '2022/23', value: 2680 },
      ]);
      const page = text((await viewer.get(`/partnerships/${rotherham.id}/indicators/${indicator.id}`)).body);
      // 2,680 / 268,000 × 1,000 = 10; 1,333 / 266,660 × 1,000 = 4.999, shown to 2 places as 5; 500 / 250,000 × 1,000 = 2.
      assert.match(page, /2022\/23 2,680 .*? 10 ONS mid-2022 estimate, 268,000/);
      assert.match(page, /2021\/22 1,333 .*? 5 ONS mid-2021 estimate, 266,660/);
      assert.match(page, /2019\/20 500 .*? 2 population entered for 2019, 250,000/);
      assert.doesNotMatch(page, /999,999/, 'the ONS estimate takes the place of the typed figure for 2022');
    });

    it('shows the peer funnel of the offence group an indicator names on its page, with its table, and none for others', async () => {
      const violence = (await t.k.selectFrom('indicators').select('id').where('code', '=', 'SR 1').executeTakeFirstOrThrow()).id;
      const page = await viewer.get(`/partnerships/${rotherham.id}/indicators/${violence}`);
      assert.match(
        page.body,
        /<h2 class="govuk-heading-m" id="peer-comparison-heading">Violence against the person compared with peer partnerships, 2022\/23<\/h2>/,
      );
      assert.match(page.body, /<svg[^>]+role="img"[^>]+aria-labelledby="peer-funnel-title/);
      assert.match(page.body, /id="peer-funnel-table"/);
      // The same figures as the peers page for the group and year, worked out from the fixture's Rotherham rows.
      const count = rows
        .filter((r) => r[3] === 'Rotherham' && r[0] === '2022/23' && r[5] === 'Violence against the person')
        .reduce((s, r) => s + Number(r[8]), 0);
      const rate = ((count / 268_000) * 1000).toLocaleString('en-GB', { maximumFractionDigits: 2 });
      assert.match(
        text(page.body),
        new RegExp(`Rotherham: ${rate.replace('.', '\\.')} per 1,000 against a group average of [\\d.]+; .*?; ranked \\d+ of \\d+`),
      );
      const peersPage = await viewer.get(`/partnerships/${rotherham.id}/assessment/peers?group=Violence+against+the+person&year=2022`);
      assert.equal(/id="peer-summary">([^<]*)</.exec(page.body)?.[1], /id="peer-summary">([^<]*)</.exec(peersPage.body)?.[1]);
      const other = await createIndicator(t.k, SYSTEM_ACTOR, rotherham.id, {
        title: 'Repeat victims of domestic abuse',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'annual',
        obaCategory: 'better_off',
      });
      assert.doesNotMatch((await viewer.get(`/partnerships/${rotherham.id}/indicators/${other.id}`)).body, /peer-comparison/);
    });

    it('shows the funnel plot with its table and legend, and the API gives the same figures', async () => {
      const page = await viewer.get(`/partnerships/${rotherham.id}/assessment/peers?group=All+offences&year=2022`);
      assert.equal(page.status, 200);
      assert.match(page.body, /<svg[^>]+role="img"/);
      assert.match(page.body, /id="funnel-table"/);
      assert.match(text(page.body), /Dotted red lines: 99\.8% limits/);
      const json = await api(t.app, token, 'GET', `/api/v1/partnerships/${rotherham.id}/peers?year=2022`);
      assert.equal(json.status, 200);
      const body = json.json<{
        funnel: { average: number; points: { name: string; count: number; rank: number; isSubject: boolean; significance: string }[] };
      }>();
      const me = body.funnel.points.find((p) => p.isSubject)!;
      const count = rows.filter((r) => r[3] === 'Rotherham' && r[0] === '2022/23').reduce((s, r) => s + Number(r[8]), 0);
      assert.equal(me.count, count);
      assert.match(
        text(page.body),
        new RegExp(
          `Rotherham: [\\d.]+ per 1,000 against a group average of [\\d.]+; ${me.significance.replace(/[().]/g, '\\$&')}; ranked ${me.rank} of 12`,
        ),
      );
      const counts = await api(t.app, token, 'GET', `/api/v1/partnerships/${rotherham.id}/official-crime`);
      assert.equal(counts.status, 200);
      assert.equal(counts.json<{ cspName: string }>().cspName, 'Rotherham');
    });
  });
}
