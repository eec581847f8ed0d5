/**
 * The priority-setting matrix, carrying an issue into the plan, the comparison with similar partnerships and
 * the seasonality profile, through the pages, on generated police.uk files. Every figure checked is worked out
 * again here from the files' rows, without the code under test.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ENGINES } from '../support/db.ts';
import { Browser, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { readStreetRows, tempDir, type FixtureRow } from '../support/policeUk.ts';
import { DEFAULT_FORCES, writeStreetFiles } from '../../src/adapters/crimeStore/generator.ts';
import { CRIME_TYPES } from '../../src/domain/policeUkLayout.ts';
import { ILLUSTRATIVE_HARM_WEIGHTS } from '../../src/domain/priorityMatrix.ts';
import { createPartnership } from '../../src/services/partnerships/partnerships.ts';
import { saveAssessmentArea } from '../../src/services/assessment/assessmentAreas.ts';
import { approveVersion, createPlan, loadPlanDocument } from '../../src/services/plans/plans.ts';
import { SYSTEM_ACTOR, listAudit } from '../../src/services/platform/audit.ts';

const ASB = 'Anti-social behaviour';

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
}

/** The issue names in the ranked matrix table, in the order shown. */
function rankedNames(html: string): string[] {
  const table = /<table class="govuk-table" id="matrix">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<th scope="row" class="govuk-table__header">([^<]+)<\/th>/g)].map((m) => m[1]!);
}

/** As pages show figures: rounded, without trailing zeros (7.2, 147). */
const shown = (n: number, dp: number) => (Math.round(n * 10 ** dp) / 10 ** dp).toLocaleString('en-GB', { maximumFractionDigits: dp });
const shown2 = (n: number) => shown(n, 2);
const shown1 = (n: number) => shown(n, 1);
/** As the evidence in a priority's 'why' gives them: fixed decimals (7.20). */
const fixed = (n: number, dp: number) =>
  (Math.round(n * 10 ** dp) / 10 ** dp).toLocaleString('en-GB', { minimumFractionDigits: dp, maximumFractionDigits: dp });

function settingsForm(over: Record<string, string>): Record<string, string> {
  const form: Record<string, string> = {
    weightVolume: '25',
    weightTrend: '25',
    weightHarm: '25',
    weightConcern: '25',
    volumeBasis: 'count',
    otherIssues: '',
  };
  CRIME_TYPES.forEach((t, i) => {
    form[`issue_${i}`] = t;
    form[`harm_${i}`] = String(ILLUSTRATIVE_HARM_WEIGHTS[t]);
    form[`concern_${i}`] = '';
  });
  return { ...form, ...over };
}

for (const engine of ENGINES) {
  describe(`priority-setting matrix, comparison and seasonality pages on ${engine}`, { timeout: 120_000 }, () => {
    let t: TestApp;
    let dir: string;
    let rows: FixtureRow[];
    let rotherham: { id: number };
    let sheffield: { id: number };
    let admin: Browser;
    let editor: Browser;
    let viewer: Browser;

    const inLa = (la: string, from: string, to: string) =>
      rows.filter((r) => r.lsoaName.startsWith(`${la} `) && r.month >= from && r.month <= to);

    before(async () => {
      dir = tempDir();
      const police = path.join(dir, 'police-uk');
      const forces = DEFAULT_FORCES.filter((f) => f.slug === 'south-yorkshire' || f.slug === 'essex');
      await writeStreetFiles(path.join(police, 'generated'), { seed: 21, firstMonth: '2023-01', months: 24, rowsPerMonth: 1500, forces });
      rows = readStreetRows(path.join(police, 'generated'));
      t = await startTestApp(engine, { CRIME_STORE_PATH: path.join(dir, 'crime.duckdb'), POLICE_DATA_DIR: police });
      rotherham = await createPartnership(t.k, SYSTEM_ACTOR, null, {
        name: 'Safer Rotherham',
        areaDescription: 'Rotherham',
        populations: [{ year: 2024, population: 268_000 }],
      });
      sheffield = await createPartnership(t.k, SYSTEM_ACTOR, null, {
        name: 'Safer Sheffield',
        areaDescription: 'Sheffield',
        populations: [{ year: 2024, population: 556_000 }],
      });
      await createPartnership(t.k, SYSTEM_ACTOR, null, { name: 'No area yet', areaDescription: 'x', populations: [] });
      await saveAssessmentArea(t.k, SYSTEM_ACTOR, rotherham.id, { localAuthorities: 'Rotherham' });
      await saveAssessmentArea(t.k, SYSTEM_ACTOR, sheffield.id, { localAuthorities: 'Sheffield' });
      admin = new Browser(t.app);
      await admin.signIn((await memberOf(t.k, rotherham.id, 'admin')).email);
      editor = new Browser(t.app);
      await editor.signIn((await memberOf(t.k, rotherham.id, 'editor')).email);
      viewer = new Browser(t.app);
      await viewer.signIn((await memberOf(t.k, rotherham.id, 'viewer')).email);
      const base = `/partnerships/${rotherham.id}/assessment/import`;
      assert.equal((await admin.post(base, { source: 'generated' })).status, 303);
      for (let i = 0; i < 400; i++) {
        if (!(await admin.get(base)).body.includes('id="import-progress"')) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
    after(async () => {
      await t.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('refuses invalid matrix settings with an error summary, and only editors may change them', async () => {
      const url = `/partnerships/${rotherham.id}/assessment/matrix/settings`;
      assert.equal((await viewer.get(url)).status, 403);
      const form = await editor.get(url);
      assert.equal(form.status, 200);
      assert.match(form.body, /name="harm_2" type="text" value="50"|name="harm_2"[^>]*value="50"/);
      const bad = await editor.post(url, settingsForm({ weightTrend: '150', harm_2: 'lots', concern_0: '101' }));
      assert.equal(bad.status, 400);
      assert.match(bad.body, /govuk-error-summary/);
      assert.match(bad.body, /<a href="#weightTrend">The weight for trend must be a whole number from 0 to 100<\/a>/);
      assert.match(bad.body, /<a href="#harm_2">The harm weight for Burglary must be a number from 0 to 1,000<\/a>/);
      assert.match(bad.body, /<a href="#concern_0">Public concern about Anti-social behaviour must be a percentage from 0 to 100<\/a>/);
      const none = await editor.post(url, settingsForm({ weightVolume: '0', weightTrend: '0', weightHarm: '0', weightConcern: '0' }));
      assert.equal(none.status, 400);
      assert.match(none.body, /Give at least one criterion a weight above 0/);
    });

    it('ranks the issues in the order the weights give, from counts worked out from the files', async () => {
      const url = `/partnerships/${rotherham.id}/assessment/matrix/settings`;
      // Volume only: the issues in order of their 2024 counts in Rotherham.
      assert.equal(
        (await editor.post(url, settingsForm({ weightVolume: '1', weightTrend: '0', weightHarm: '0', weightConcern: '0' }))).status,
        303,
      );
      const current = inLa('Rotherham', '2024-01', '2024-12');
      const expected = [...CRIME_TYPES]
        .map((type) => ({ type, n: current.filter((r) => r.crimeType === type).length }))
        .sort((a, b) => b.n - a.n || a.type.localeCompare(b.type));
      const page = await viewer.get(`/partnerships/${rotherham.id}/assessment/matrix?end=2024-12`);
      assert.equal(page.status, 200);
      // Equal counts share a rank and are listed by name, as the expected order is.
      assert.deepEqual(
        rankedNames(page.body),
        expected.map((e) => e.type),
      );
      const body = text(page.body);
      const top = expected[0]!;
      assert.match(body, new RegExp(`1 ${top.type} ${top.n.toLocaleString('en-GB')} `));
      assert.match(page.body, /<svg[^>]+role="img"/);

      // Harm and public concern only, with an issue added by name that the public worry about most.
      const harmConcern = settingsForm({
        weightVolume: '0',
        weightTrend: '0',
        weightHarm: '1',
        weightConcern: '1',
        otherIssues: 'Domestic abuse',
        issue_14: 'Domestic abuse',
        harm_14: '100',
        concern_14: '80',
        concern_2: '60',
      });
      assert.equal((await editor.post(url, harmConcern)).status, 303);
      const ranked = rankedNames((await viewer.get(`/partnerships/${rotherham.id}/assessment/matrix?end=2024-12`)).body);
      // Domestic abuse: harm 100 (score 100) and concern 80 (100) -> 100. Violence: harm 100, no concern -> 50.
      // Burglary: harm 50 (score 50), concern 60 (75) -> 62.5. Robbery: harm 80 -> 40.
      assert.deepEqual(ranked.slice(0, 4), ['Domestic abuse', 'Burglary', 'Violence and sexual offences', 'Robbery']);
      const audit = await listAudit(t.k, { partnershipId: rotherham.id });
      assert.ok(audit.events.some((e) => e.entity_type === 'assessment_matrix' && e.action === 'update'));
      // The form carries the settings' updatedAt: a save from a form opened before someone else's change is refused.
      const opened = await editor.get(url);
      const seen = /name="expectedUpdatedAt" value="([^"]+)"/.exec(opened.body)?.[1];
      assert.ok(seen);
      assert.equal((await editor.post(url, { ...harmConcern, expectedUpdatedAt: seen })).status, 303);
      const stale = await editor.post(url, { ...harmConcern, weightVolume: '5', expectedUpdatedAt: seen });
      assert.equal(stale.status, 409);
      assert.match(stale.body, /changed by someone else/);
      assert.deepEqual(ranked, rankedNames((await viewer.get(`/partnerships/${rotherham.id}/assessment/matrix?end=2024-12`)).body));
    });

    it('carries a ranked issue into a draft plan as a priority, with its evidence, and refuses an approved version', async () => {
      const { version } = await createPlan(t.k, SYSTEM_ACTOR, rotherham.id, {
        title: 'Safer Rotherham plan',
        startYear: 2025,
        endYear: 2028,
      });
      const matrix = await editor.get(`/partnerships/${rotherham.id}/assessment/matrix?end=2024-12`);
      assert.match(matrix.body, new RegExp(`<option value="${version.id}">Safer Rotherham plan 2025-28 \\(draft\\)</option>`));
      assert.equal(
        (
          await viewer.post(`/partnerships/${rotherham.id}/assessment/matrix/priorities`, {
            issue: 'Burglary',
            versionId: String(version.id),
            end: '2024-12',
          })
        ).status,
        403,
      );
      const done = await editor.post(`/partnerships/${rotherham.id}/assessment/matrix/priorities`, {
        issue: 'Burglary',
        versionId: String(version.id),
        end: '2024-12',
      });
      assert.equal(done.status, 200, done.body.slice(0, 500));
      const doc = await loadPlanDocument(t.k, rotherham.id, version.id);
      assert.equal(doc.priorities.length, 1);
      const priority = doc.priorities[0]!;
      assert.equal(priority.title, 'Burglary');
      const current = inLa('Rotherham', '2024-01', '2024-12').filter((r) => r.crimeType === 'Burglary').length;
      const previous = inLa('Rotherham', '2023-01', '2023-12').filter((r) => r.crimeType === 'Burglary').length;
      assert.match(priority.why, /ranks Burglary 2 of 15 issues/);
      assert.match(
        priority.why,
        new RegExp(
          `recorded ${current.toLocaleString('en-GB')} in the partnership's area from January 2024 to December 2024 \\(${fixed((current / 268_000) * 1000, 2)} per 1,000 people\\)`,
        ),
      );
      const pct = ((current - previous) / previous) * 100;
      assert.match(
        priority.why,
        new RegExp(`a ${fixed(Math.abs(pct), 1).replace('.', '\\.')}% ${pct > 0 ? 'increase' : 'decrease'} on the previous 12 months`),
      );
      assert.match(done.body, new RegExp(`href="/partnerships/${rotherham.id}/priorities/${priority.id}"`));
      assert.match(text(done.body), /Burglary is now a priority of 2025-28/);
      const priorityPage = await viewer.get(`/partnerships/${rotherham.id}/priorities/${priority.id}`);
      assert.equal(priorityPage.status, 200);

      await approveVersion(t.k, SYSTEM_ACTOR, rotherham.id, version.id, {
        approvedBy: 'Board',
        approvedOn: '2025-03-01',
        meeting: 'March board',
      });
      const refused = await editor.post(`/partnerships/${rotherham.id}/assessment/matrix/priorities`, {
        issue: 'Robbery',
        versionId: String(version.id),
        end: '2024-12',
      });
      assert.equal(refused.status, 400);
      assert.match(refused.body, /2025-28 is approved: priorities can only be added to a draft version/);
      assert.equal((await loadPlanDocument(t.k, rotherham.id, version.id)).priorities.length, 1);
      const unknown = await editor.post(`/partnerships/${rotherham.id}/assessment/matrix/priorities`, {
        issue: 'Not an issue',
        versionId: String(version.id),
        end: '2024-12',
      });
      assert.equal(unknown.status, 400);
      assert.match(unknown.body, /Choose an issue from the matrix/);
    });

    it('compares rates per 1,000 with chosen partnerships and local authorities, and their group average', async () => {
      const asked = await viewer.get(`/partnerships/${rotherham.id}/assessment/compare?compare=1&end=2024-12`);
      assert.equal(asked.status, 400);
      assert.match(asked.body, /Choose partnerships to compare with, or enter local authorities/);
      const bad = await viewer.get(
        `/partnerships/${rotherham.id}/assessment/compare?compare=1&end=2024-12&authorities=${encodeURIComponent('Barnsley')}`,
      );
      assert.match(bad.body, /Line 1: give a local authority name and its population/);

      const page = await viewer.get(
        `/partnerships/${rotherham.id}/assessment/compare?compare=1&end=2024-12&partnerships=${sheffield.id}&authorities=${encodeURIComponent('Barnsley, 246,000')}&type=Burglary`,
      );
      assert.equal(page.status, 200);
      assert.match(page.body, /Safer Sheffield/);
      assert.doesNotMatch(page.body, /No area yet/);
      const table = text(/<table[^>]*id="comparison-table"[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? '');
      const count = (la: string, type: string) =>
        inLa(la, '2024-01', '2024-12').filter((r) => (type === 'all' ? r.crimeType !== ASB : r.crimeType === type)).length;
      for (const type of ['Burglary', 'Vehicle crime', ASB]) {
        const r = (count('Rotherham', type) / 268_000) * 1000;
        const s = (count('Sheffield', type) / 556_000) * 1000;
        const b = (count('Barnsley', type) / 246_000) * 1000;
        const avg = ((count('Sheffield', type) + count('Barnsley', type)) / (556_000 + 246_000)) * 1000;
        assert.match(table, new RegExp(`${type} ${shown2(r)} ${shown2(s)} ${shown2(b)} ${shown2(avg)}`), type);
      }
      const all = (la: string) => count(la, 'all');
      assert.match(table, new RegExp(`All crime \\(excluding anti-social behaviour\\) ${shown2((all('Rotherham') / 268_000) * 1000)} `));
      assert.match(page.body, /<svg[^>]+role="img"/);
      assert.match(page.body, /Burglary: rate per 1,000 people/);
    });

    it('shows the month-of-year profile on the analysis page, averaged over the months held', async () => {
      const page = await viewer.get(`/partnerships/${rotherham.id}/assessment?end=2024-12`);
      assert.equal(page.status, 200);
      const table = text(/<table class="govuk-table" id="seasonality">[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? '');
      for (const [name, mm] of [
        ['January', '01'],
        ['July', '07'],
        ['December', '12'],
      ] as const) {
        const crime = (y: string) => inLa('Rotherham', `${y}-${mm}`, `${y}-${mm}`).filter((r) => r.crimeType !== ASB).length;
        const asb = (y: string) => inLa('Rotherham', `${y}-${mm}`, `${y}-${mm}`).filter((r) => r.crimeType === ASB).length;
        assert.match(
          table,
          new RegExp(`${name} 2 ${shown1((crime('2023') + crime('2024')) / 2)} [\\d.,]+ ${shown1((asb('2023') + asb('2024')) / 2)} `),
          name,
        );
      }
      assert.match(page.body, /href="\/partnerships\/\d+\/assessment\/matrix"/);
    });
  });
}
