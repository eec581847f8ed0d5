/**
 * Small-number suppression on the public summary, through the real app on each engine: an editor marks indicators
 * public and enters figures, the signed-out public page shows small counts as "<5" (and never adds different measures up),
 * the partnership's threshold changes the cut-off, non-public indicators never appear, and the threshold is
 * validated, restricted to editors and admins, and audited.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { Browser, makePartnership, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { approveVersion, createPlan, publishVersion } from '../../src/services/plans/plans.ts';
import { listIndicators, suppressionThreshold } from '../../src/services/performance/indicators.ts';
import { createPart } from '../../src/services/plans/planParts.ts';
import { validPartInput } from '../support/plans.ts';

/** The table row of the public page whose header cell is `title`. */
function rowOf(body: string, title: string): string {
  const rows = body.match(/<tr class="govuk-table__row"[^>]*>[\s\S]*?<\/tr>/g) ?? [];
  const row = rows.find((r) => r.includes(`>${title}</th>`));
  assert.ok(row, `a row for ${title}`);
  return row;
}

/** The text of the last (figure) cell of a row. */
function figureOf(row: string): string {
  const cells = [...row.matchAll(/<td class="govuk-table__cell[^"]*">([^<]*)<\/td>/g)].map((m) => m[1]!);
  return cells[cells.length - 1]!;
}

for (const engine of ENGINES) {
  describe(`small-number suppression on the public summary on ${engine}`, () => {
    let t: TestApp;
    let p: { id: number; slug: string };
    let editor: Browser;
    let contributor: Browser;
    const anonymous = () => new Browser(t.app);
    const base = () => `/partnerships/${p.id}`;

    const indicator = async (code: string, title: string, unit: string, isPublic: boolean): Promise<number> => {
      const res = await editor.post(`${base()}/indicators/new`, {
        code,
        title,
        unit,
        polarity: 'lower_is_better',
        frequency: 'quarterly',
        obaCategory: 'better_off',
        ...(isPublic ? { isPublic: 'yes' } : {}),
      });
      assert.equal(res.status, 303, `created ${title}`);
      return (await listIndicators(t.k, p.id)).find((i) => i.code === code)!.id;
    };

    before(async () => {
      t = await startTestApp(engine);
      p = await makePartnership(t.k, 'Safer Smalltown Partnership');
      editor = new Browser(t.app);
      contributor = new Browser(t.app);
      await editor.signIn((await memberOf(t.k, p.id, 'editor')).email);
      await contributor.signIn((await memberOf(t.k, p.id, 'contributor')).email);
      const { version } = await createPlan(t.k, SYSTEM_ACTOR, p.id, { title: 'Community Safety Plan', startYear: 2019, endYear: 2022 });
      await createPart(t.k, SYSTEM_ACTOR, p.id, 'priority', version.id, validPartInput('priority'));
      await approveVersion(t.k, SYSTEM_ACTOR, p.id, version.id, {
        approvedBy: 'Partnership Board',
        approvedOn: '2019-03-28',
        meeting: 'Board',
      });
      await publishVersion(t.k, SYSTEM_ACTOR, p.id, version.id);
    });
    after(() => t.close());

    it('shows a public count of 3 as <5, adds no measures up, and never shows a non-public indicator', async () => {
      assert.doesNotMatch(
        (await anonymous().get(`/public/partnerships/${p.slug}`)).body,
        /How we are doing/,
        'no section until something is public',
      );
      const arson = await indicator('SM 1', 'Deliberate fires', 'count', true);
      const asb = await indicator('SM 2', 'Anti-social behaviour incidents', 'count', true);
      const feel = await indicator('SM 3', 'Residents who feel safe after dark', 'percentage', true);
      const secret = await indicator('SM 4', 'Hidden operational count', 'count', false);
      assert.equal((await listIndicators(t.k, p.id)).find((i) => i.id === arson)!.is_public, 1);
      assert.equal((await listIndicators(t.k, p.id)).find((i) => i.id === secret)!.is_public, 0);
      const res = await editor.post(`${base()}/figures`, {
        year: '2019/20',
        [`f-${arson}-2019_20_Q1`]: '12',
        [`f-${arson}-2019_20_Q2`]: '3',
        [`f-${asb}-2019_20_Q2`]: '47',
        [`f-${feel}-2019_20_Q2`]: '3',
        [`f-${secret}-2019_20_Q2`]: '2',
      });
      assert.equal(res.status, 303);

      const page = await anonymous().get(`/public/partnerships/${p.slug}`);
      assert.equal(page.status, 200);
      // A published page is a page like any other: its own Content Security Policy, its script allowed by nonce.
      assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
      const nonce = /<script type="module" nonce="([^"]+)">/.exec(page.body)?.[1];
      assert.ok(nonce && String(page.headers['content-security-policy']).includes(`'nonce-${nonce}'`), 'the script carries the nonce');
      assert.match(page.body, /How we are doing/);
      const row = rowOf(page.body, 'SM 1 Deliberate fires');
      assert.equal(figureOf(row), '&lt;5');
      assert.doesNotMatch(row, /\b3\b/, 'the real count is nowhere in its row');
      assert.match(row, /Q2 2019\/20/);
      assert.equal(figureOf(rowOf(page.body, 'SM 2 Anti-social behaviour incidents')), '47');
      // Different measures are never added up (issue 13): no total, so nothing to work the 3 out from.
      assert.doesNotMatch(page.body, /Total of the counts|data-total-row/);
      assert.doesNotMatch(page.body, /\b50\b/);
      // Percentages are not counts: shown as they are.
      assert.equal(figureOf(rowOf(page.body, 'SM 3 Residents who feel safe after dark')), '3%');
      assert.doesNotMatch(page.body, /Hidden operational count|SM 4/);
    });

    it('uses the partnership threshold: 10 shows the 3 as <10', async () => {
      await editor.get(`${base()}/performance`);
      const res = await editor.post(`${base()}/performance/disclosure`, { suppressionThreshold: '10' });
      assert.equal(res.status, 303);
      assert.equal(res.location, `${base()}/performance/settings`, 'the settings have their own page, off the dashboard');
      assert.equal(await suppressionThreshold(t.k, p.id), 10);
      const settings = await editor.get(`${base()}/performance/settings`);
      assert.match(settings.body, /name="suppressionThreshold"[^>]*value="10"/);
      assert.doesNotMatch((await editor.get(`${base()}/performance`)).body, /name="suppressionThreshold"/);
      const page = await anonymous().get(`/public/partnerships/${p.slug}`);
      assert.equal(figureOf(rowOf(page.body, 'SM 1 Deliberate fires')), '&lt;10');
      assert.doesNotMatch(page.body, /&lt;5/);
      assert.equal(figureOf(rowOf(page.body, 'SM 2 Anti-social behaviour incidents')), '47');
      const audit = await t.k.selectFrom('audit_events').selectAll().where('entity_type', '=', 'performance_settings').execute();
      assert.ok(
        audit.some((a) => a.summary === 'Set the small-number suppression threshold to 10'),
        'audited',
      );
    });

    it('unticking public takes an indicator off the public page', async () => {
      const arson = (await listIndicators(t.k, p.id)).find((i) => i.code === 'SM 1')!;
      const form = await editor.get(`${base()}/indicators/${arson.id}/edit`);
      assert.match(form.body, /name="isPublic" type="checkbox" value="yes" checked/);
      const res = await editor.post(`${base()}/indicators/${arson.id}/edit`, {
        code: 'SM 1',
        title: 'Deliberate fires',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'quarterly',
        obaCategory: 'better_off',
        expectedUpdatedAt: arson.updated_at,
      });
      assert.equal(res.status, 303);
      const page = await anonymous().get(`/public/partnerships/${p.slug}`);
      assert.doesNotMatch(page.body, /Deliberate fires/);
      assert.match(page.body, /Anti-social behaviour incidents/);
    });

    it('validates the threshold, and only editors and admins may change it', async () => {
      for (const bad of ['', '2', '4.5', 'five', '101', '-5']) {
        await editor.get(`${base()}/performance`);
        const res = await editor.post(`${base()}/performance/disclosure`, { suppressionThreshold: bad });
        assert.equal(res.status, 400, `"${bad}" refused`);
        assert.match(res.body, /govuk-error-summary/);
        assert.match(res.body, /href="#suppressionThreshold">Enter the suppression threshold as a whole number from 3 to 100, like 5/);
      }
      assert.equal(await suppressionThreshold(t.k, p.id), 10, 'unchanged');
      await contributor.get(`${base()}/performance`);
      const res = await contributor.post(`${base()}/performance/disclosure`, { suppressionThreshold: '3' });
      assert.equal(res.status, 403);
      assert.equal(await suppressionThreshold(t.k, p.id), 10);
      const signedOut = await anonymous().post(`${base()}/performance/disclosure`, { suppressionThreshold: '3' }, { csrf: false });
      assert.notEqual(signedOut.status, 200);
      assert.equal(await suppressionThreshold(t.k, p.id), 10, 'signed out cannot change it');
    });
  });
}
