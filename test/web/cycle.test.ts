/**
 * The monthly and quarterly cycle through the real app on each engine: collection settings and members'
 * organisations, an indicator's owner and schedule (errors naming field and value), the calendar's status on the
 * indicator page, the dashboard and the collection page, "my figures" with one form for all the owner's figures,
 * the contributor limited to their own indicators, and the completeness page and API.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { api, Browser, makePartnership, makeUser, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { addMembership } from '../../src/services/partnerships/members.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { createOrganisation } from '../../src/services/partnerships/organisations.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { defaultCollectFrom, expectedPeriods, type Completeness } from '../../src/domain/collection.ts';
import { todayIso } from '../../src/adapters/clock.ts';
import { addDays } from '../../src/domain/workingDays.ts';
import { createRecommendation } from '../../src/services/meetings/scrutiny.ts';
import { raiseScrutinyAction } from '../../src/services/meetings/actions.ts';
import { lastEndedQuarter } from '../../src/presentation/documents/exceptionReport.ts';
import { enterFigures } from '../../src/services/performance/figures.ts';
import { unzipEntry } from '../support/documents.ts';
import { approveVersion, createPlan } from '../../src/services/plans/plans.ts';
import { createMeeting } from '../../src/services/meetings/meetings.ts';
import { setIndicatorCollection } from '../../src/services/cycle/owners.ts';
import { createPart } from '../../src/services/plans/planParts.ts';
import { setActivityOwner } from '../../src/services/cycle/owners.ts';
import { periodContaining } from '../../src/domain/collection.ts';
import { scheduleDigests } from '../../src/services/cycle/reminders.ts';
import { clearSnapshotCache } from '../../src/services/platform/snapshotCache.ts';

const hidden = (body: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1] ?? '';

for (const engine of ENGINES) {
  describe(`the collection cycle in the app on ${engine}`, { timeout: 120_000 }, () => {
    let t: TestApp;
    let base: string;
    let pid: number;
    let indicatorId: number;
    let otherIndicatorId: number;
    let admin: Browser;
    let owner: Browser;
    let other: Browser;
    let ownerId: number;
    let ownerToken: string;
    let adminToken: string;
    let ownerName: string;
    let otherId: number;
    let orgId: number;
    // Two years back, so the calendar expects at least a year of monthly figures whatever the date.
    const collectFrom = `${Number(todayIso().slice(0, 4)) - 2}-04`;
    const expectedCount = expectedPeriods(collectFrom, todayIso()).length;

    before(async () => {
      clearSnapshotCache(); // the other engine's database has the same ids and data versions
      t = await startTestApp(engine);
      const p = await makePartnership(t.k, 'Safer Cycleshire');
      pid = p.id;
      base = `/partnerships/${pid}`;
      const a = await memberOf(t.k, pid, 'admin');
      const o = await memberOf(t.k, pid, 'contributor');
      const x = await memberOf(t.k, pid, 'contributor');
      ownerId = o.id;
      ownerName = o.name;
      otherId = x.id;
      orgId = (await createOrganisation(t.k, SYSTEM_ACTOR, pid, { name: 'Cycleshire Police', type: 'responsible_authority' })).id;
      const common = { unit: 'count', polarity: 'lower_is_better', frequency: 'monthly', obaCategory: 'better_off' };
      indicatorId = (await createIndicator(t.k, SYSTEM_ACTOR, pid, { ...common, code: 'ASB1', title: 'ASB incidents' })).id;
      otherIndicatorId = (await createIndicator(t.k, SYSTEM_ACTOR, pid, { ...common, code: 'BUR1', title: 'Burglary' })).id;
      admin = new Browser(t.app);
      owner = new Browser(t.app);
      other = new Browser(t.app);
      await admin.signIn(a.email);
      await owner.signIn(o.email);
      await other.signIn(x.email);
      ownerToken = (await createToken(t.k, o, 'cycle')).token;
      adminToken = (await createToken(t.k, a, 'cycle')).token;
    });
    after(async () => t.close());

    it('saves collection settings and members organisations, refusing a bad number with its value', async () => {
      let page = await admin.get(`${base}/collection/settings`);
      assert.equal(page.status, 200);
      const bad = await admin.post(`${base}/collection/settings`, { dueWorkingDays: 'ten' });
      assert.equal(bad.status, 400);
      assert.match(bad.body, /whole number from 0 to 65 \(got &quot;ten&quot;\)/);
      const ok = await admin.post(`${base}/collection/settings`, {
        dueWorkingDays: '8',
        contributorsOwnOnly: 'yes',
        [`organisation-${ownerId}`]: String(orgId),
      });
      assert.equal(ok.status, 303);
      page = await admin.get(`${base}/collection/settings`);
      assert.match(page.body, new RegExp(`<option value="${orgId}" selected>Cycleshire Police`));
      assert.equal((await owner.get(`${base}/collection/settings`)).status, 403);
    });

    it("sets an indicator's owner and schedule; the page shows every missing period overdue", async () => {
      const form = await admin.get(`${base}/indicators/${indicatorId}/collection`);
      assert.equal(form.status, 200);
      const bad = await admin.post(`${base}/indicators/${indicatorId}/collection`, {
        ownerUserId: String(ownerId),
        collectFrom: 'last spring',
        expectedUpdatedAt: hidden(form.body, 'expectedUpdatedAt'),
      });
      assert.equal(bad.status, 400);
      assert.match(bad.body, /last spring/);
      const saved = await admin.post(`${base}/indicators/${indicatorId}/collection`, {
        ownerUserId: String(ownerId),
        collectFrom,
        expectedUpdatedAt: hidden(form.body, 'expectedUpdatedAt'),
      });
      assert.equal(saved.status, 303);
      const page = await admin.get(`${base}/indicators/${indicatorId}`);
      assert.match(page.body, /id="collection-summary">Owner: Test User \d+ \(Cycleshire Police\)/);
      const overdue = (page.body.match(/govuk-tag--red">Overdue/g) ?? []).length;
      assert.ok(overdue >= expectedCount - 1 && overdue <= expectedCount, `${overdue} overdue of ${expectedCount}`);
      const dashboard = await admin.get(`${base}/performance`);
      assert.match(dashboard.body, /id="collection-counts">Figures by the calendar: <strong>\d+<\/strong> overdue/);
      const list = await admin.get(`${base}/collection`);
      assert.match(list.body, /ASB1 ASB incidents/);
      // The other indicator, with no schedule, is expected from the start of this financial year.
      const json = (await api(t.app, ownerToken, 'GET', `/api/v1${base}/collection`)).json<{
        indicators: { indicatorId: number; collectFrom: string }[];
      }>();
      assert.equal(json.indicators.find((i) => i.indicatorId === otherIndicatorId)!.collectFrom, defaultCollectFrom(todayIso(), 'monthly'));
    });

    it('lists what needs each person’s attention on the partnership home page, each linking to where to act', async () => {
      const rec = await createRecommendation(t.k, SYSTEM_ACTOR, pid, {
        committee: 'Cycleshire scrutiny committee',
        receivedOn: '2026-01-15',
        recommendation: 'Publish the ASB figures every quarter',
      });
      const lastWeek = addDays(todayIso(), -7);
      await raiseScrutinyAction(t.k, SYSTEM_ACTOR, pid, rec.id, {
        title: 'Draft the ASB summary',
        ownerUserId: String(ownerId),
        dueDate: lastWeek,
      });
      await raiseScrutinyAction(t.k, SYSTEM_ACTOR, pid, rec.id, {
        title: 'A task for next year',
        ownerUserId: String(ownerId),
        dueDate: addDays(todayIso(), 200),
      });
      const mine = await owner.get(base);
      assert.equal(mine.status, 200);
      const list = /<ul[^>]*id="attention"[^>]*>([\s\S]*?)<\/ul>/.exec(mine.body)?.[1] ?? '';
      const figures = (list.match(/data-kind="figure"/g) ?? []).length;
      assert.ok(figures >= expectedCount - 1 && figures <= expectedCount, `${figures} figures of ${expectedCount}`);
      assert.match(list, new RegExp(`href="${base}/my-figures\\?period=\\d{4}-\\d{2}"`));
      assert.match(
        list,
        new RegExp(`Overdue</strong>\\s*<a class="govuk-link" href="${base}/actions/\\d+">Action: Draft the ASB summary</a>`),
      );
      assert.doesNotMatch(list, /A task for next year/, 'an action due in 200 days is not yet pressing');
      assert.doesNotMatch(list, /scrutiny/, 'a contributor does not answer scrutiny');
      // The admin has nothing of their own to enter, but the recommendation waits on their response.
      const admins = await admin.get(base);
      assert.match(
        admins.body,
        new RegExp(
          `Waiting on you</strong>\\s*<a class="govuk-link" href="${base}/scrutiny/${rec.id}">Respond to the Cycleshire scrutiny committee`,
        ),
      );
      assert.doesNotMatch(admins.body, /data-kind="figure"/);
      // A draft plan waits on the admin's approval, named once (years not repeated by the version label).
      const { version } = await createPlan(t.k, SYSTEM_ACTOR, pid, { title: 'Cycleshire Plan 2026-29', startYear: 2026, endYear: 2029 });
      assert.match(
        (await admin.get(base)).body,
        new RegExp(`href="${base}/plan-versions/${version.id}">Approve the draft Cycleshire Plan 2026-29 when it is ready</a>`),
      );
      // Someone with nothing to do is told so.
      const others = await other.get(base);
      assert.match(others.body, /id="attention-empty">Nothing needs your attention/);
    });

    it('lists the owner’s figures and enters them all from one form; the overdue flag changes', async () => {
      const page = await owner.get(`${base}/my-figures`);
      assert.equal(page.status, 200);
      const fields = [...page.body.matchAll(/name="(value-\d+-[^"]+)"/g)].map((m) => m[1]!);
      assert.equal(fields.length, expectedCount);
      assert.ok(
        fields.every((f) => f.startsWith(`value-${indicatorId}-`)),
        'only their own indicator',
      );
      const [first, second] = fields;
      const bad = await owner.post(`${base}/my-figures`, { [first!]: '12', [second!]: 'lots' });
      assert.equal(bad.status, 400);
      assert.match(bad.body, new RegExp(`href="#${second}"`));
      const ok = await owner.post(`${base}/my-figures`, { [first!]: '12', [second!]: '14' });
      assert.equal(ok.status, 303);
      const after = await owner.get(`${base}/my-figures`);
      assert.equal([...after.body.matchAll(/name="(value-\d+-[^"]+)"/g)].length, expectedCount - 2);
      const mine = (await api(t.app, ownerToken, 'GET', `/api/v1${base}/my-figures`)).json<{ figures: unknown[] }>();
      assert.equal(mine.figures.length, expectedCount - 2);
      const status = (await api(t.app, ownerToken, 'GET', `/api/v1${base}/indicators/${indicatorId}/collection`)).json<{
        received: number;
        expected: { status: string }[];
      }>();
      assert.equal(status.received, 2);
    });

    it('keeps a contributor to their own indicators when the partnership says so', async () => {
      await other.get(`${base}/figures`);
      const y = Number(collectFrom.slice(0, 4));
      const refused = await other.post(`${base}/figures`, {
        year: `${y}/${String((y + 1) % 100).padStart(2, '0')}`,
        [`f-${indicatorId}-${collectFrom.replace('-', '_')}`]: '3',
      });
      assert.equal(refused.status, 403);
      const byApi = await api(t.app, ownerToken, 'POST', `/api/v1${base}/figures`, {
        figures: [{ indicatorId: otherIndicatorId, period: collectFrom, value: 1 }],
      });
      assert.equal(byApi.status, 403);
    });

    it('keeps a contributor to their own delivery activities and progress updates, on the pages and in the API', async () => {
      const { version } = await createPlan(t.k, SYSTEM_ACTOR, pid, { title: 'Cycleshire delivery plan', startYear: 2025, endYear: 2028 });
      const priority = await createPart(t.k, SYSTEM_ACTOR, pid, 'priority', version.id, { title: 'Anti-social behaviour' });
      const objective = await createPart(t.k, SYSTEM_ACTOR, pid, 'objective', priority.id, { title: 'Fewer repeat callers' });
      const activity = (title: string) => createPart(t.k, SYSTEM_ACTOR, pid, 'activity', objective.id, { title, status: 'in_progress' });
      const mine = await activity('Street surgeries');
      const theirs = await activity('CCTV review');
      await setActivityOwner(t.k, SYSTEM_ACTOR, pid, mine.id, { ownerUserId: String(ownerId) });
      const update = { updateDate: '2026-06-30', note: 'Two held', rag: 'green' };
      assert.equal((await owner.post(`${base}/activities/${mine.id}/progress-updates/new`, update)).status, 303);
      const refused = await owner.post(`${base}/activities/${theirs.id}/progress-updates/new`, update);
      assert.equal(refused.status, 403);
      assert.match(refused.body, /Not yours: CCTV review/);
      assert.equal((await owner.post(`${base}/activities/${theirs.id}/edit`, { title: 'Renamed', status: 'complete' })).status, 403);
      assert.equal(
        (await owner.post(`${base}/objectives/${objective.id}/activities/new`, { title: 'New', status: 'not_started' })).status,
        403,
      );
      const byApi = await api(t.app, ownerToken, 'POST', `/api/v1${base}/activities/${theirs.id}/progress-updates`, update);
      assert.equal(byApi.status, 403);
      assert.equal((await api(t.app, ownerToken, 'POST', `/api/v1${base}/activities/${mine.id}/progress-updates`, update)).status, 201);
      // The pages offer the owner changes only where they may make them; an admin may change both.
      const page = await owner.get(`${base}/priorities/${priority.id}`);
      assert.match(page.body, new RegExp(`href="${base}/activities/${mine.id}/progress-updates/new"`));
      assert.doesNotMatch(page.body, new RegExp(`href="${base}/activities/${theirs.id}/(progress-updates/new|edit)"`));
      assert.doesNotMatch(page.body, /activities\/new"/);
      assert.doesNotMatch((await owner.get(`${base}/activities/${theirs.id}`)).body, /Add a progress update/);
      assert.match((await owner.get(`${base}/activities/${mine.id}`)).body, /Add a progress update/);
      assert.match((await admin.get(`${base}/priorities/${priority.id}`)).body, new RegExp(`href="${base}/activities/${theirs.id}/edit"`));
      assert.equal((await admin.post(`${base}/activities/${theirs.id}/progress-updates/new`, update)).status, 303);
    });

    it('keeps a contributor to commentary on their own indicators, on the pages and in the API', async () => {
      const mineUrl = `${base}/indicators/${indicatorId}/commentary`;
      const theirsUrl = `${base}/indicators/${otherIndicatorId}/commentary`;
      const text = { period: collectFrom, text: 'Fewer calls after the summer surgeries' };
      assert.equal((await owner.get(mineUrl)).status, 200);
      assert.equal((await owner.post(mineUrl, text)).status, 303);
      assert.match((await owner.get(`${base}/indicators/${indicatorId}`)).body, /Write commentary/);
      const form = await owner.get(theirsUrl);
      assert.equal(form.status, 403);
      const refused = await owner.post(theirsUrl, text);
      assert.equal(refused.status, 403);
      assert.match(refused.body, /Not yours: BUR1 Burglary/);
      assert.doesNotMatch((await owner.get(`${base}/indicators/${otherIndicatorId}`)).body, /Write commentary|\/commentary\?period=/);
      assert.equal((await api(t.app, ownerToken, 'POST', `/api/v1${theirsUrl}`, text)).status, 403);
      assert.equal((await api(t.app, ownerToken, 'POST', `/api/v1${mineUrl}`, { ...text, text: 'Revised' })).status, 200);
      const written = await t.k.selectFrom('indicator_commentary').select('indicator_id').where('partnership_id', '=', pid).execute();
      assert.deepEqual(
        written.map((w) => w.indicator_id),
        [indicatorId, indicatorId],
        'nothing written on the other indicator',
      );
      // An admin writes on any indicator.
      assert.equal((await admin.post(theirsUrl, text)).status, 303);
      assert.match((await admin.get(`${base}/indicators/${otherIndicatorId}`)).body, /Write commentary/);
    });

    it('scores completeness on a page and in the API', async () => {
      const page = await admin.get(`${base}/completeness?from=2000-01-01`);
      assert.equal(page.status, 200);
      assert.match(page.body, /id="partnership-score">Partnership: <strong>0%<\/strong>/);
      assert.match(page.body, /Cycleshire Police/);
      const bad = await admin.get(`${base}/completeness?from=yesterday`);
      assert.equal(bad.status, 400);
      assert.match(bad.body, /yesterday/);
      // The window is two GOV.UK date inputs; a wrong box is named and linked, and the dates must be in order.
      assert.match(page.body, /name="from-day"[^>]*value="1"[\s\S]*name="from-year"[^>]*value="2000"[\s\S]*name="to-day"/);
      const noYear = await admin.get(`${base}/completeness?from-day=1&from-month=4&from-year=&to-day=&to-month=&to-year=`);
      assert.equal(noYear.status, 400);
      assert.match(noYear.body, /href="#from-year">The first due date must include a year/);
      const backwards = await admin.get(`${base}/completeness?from-day=2&from-month=4&from-year=2026&to-day=1&to-month=4&to-year=2026`);
      assert.match(backwards.body, /href="#to-day">The last due date must be on or after the first \(2 April 2026\)/);
      // The API's counts have the domain's shape; the values below are still read from the API and checked one by one.
      type Counts = Completeness;
      type Report = {
        partnership: Counts;
        owners: { key: string; completeness: Counts }[];
        organisations: { key: string; completeness: Counts }[];
      };
      const report = async () => (await api(t.app, ownerToken, 'GET', `/api/v1${base}/completeness?from=2000-01-01`)).json<Report>();
      const json = await report();
      assert.equal(json.partnership.late, 2, 'two figures entered after their due dates');
      assert.equal(json.partnership.received, 2);
      const mine = (r: Report) => r.owners.find((o) => o.key === `user-${ownerId}`)!.completeness;
      const police = (r: Report) => r.organisations.find((o) => o.key === String(orgId))!.completeness;
      assert.equal(mine(json).late, 2);
      const share = (c: Counts) => Math.round((c.received / c.expected) * 1000) / 10;
      assert.equal(json.partnership.receivedShare, share(json.partnership));
      assert.match(
        page.body,
        new RegExp(
          `id="partnership-received">Received at all \\(on time or late\\): <strong>${String(json.partnership.receivedShare)}%</strong> \\(2 of ${json.partnership.expected}: 0 on time, 2 late, ${json.partnership.missing} missing\\)`,
        ),
      );
      // One more figure entered late: the score (on time) stays 0%, but the share received, the late count and the
      // missing count move for the owner, their organisation and the partnership, on the page and in the API.
      const form = await owner.get(`${base}/my-figures`);
      // A month two years back, long overdue, after the first quarter (which a later test needs still missing).
      const field = [...form.body.matchAll(/name="(value-\d+-[^"]+)"/g)][3]![1]!;
      assert.equal((await owner.post(`${base}/my-figures`, { [field]: '9' })).status, 303);
      const after = await report();
      for (const [before, now] of [
        [json.partnership, after.partnership],
        [mine(json), mine(after)],
        [police(json), police(after)],
      ] as const) {
        assert.equal(now.late, before.late + 1);
        assert.equal(now.received, before.received + 1);
        assert.equal(now.missing, before.missing - 1);
        assert.equal(now.score, before.score);
        assert.ok(now.receivedShare! > before.receivedShare!, `${now.receivedShare} > ${before.receivedShare}`);
      }
      const pageAfter = await admin.get(`${base}/completeness?from=2000-01-01`);
      assert.match(pageAfter.body, /id="partnership-score">Partnership: <strong>0%<\/strong>/);
      assert.match(
        pageAfter.body,
        new RegExp(
          `id="partnership-received">Received at all \\(on time or late\\): <strong>${String(after.partnership.receivedShare)}%</strong> \\(3 of`,
        ),
      );
      const ownerRow = new RegExp(
        `<td class="govuk-table__cell">Test User \\d+</td><td[^>]*>${mine(after).expected}</td><td[^>]*>0</td><td[^>]*>3</td><td[^>]*>${mine(after).missing}</td><td[^>]*>0%</td><td[^>]*>${String(mine(after).receivedShare)}%</td>`,
      );
      assert.match(pageAfter.body.replace(/>\s+</g, '><'), ownerRow);
    });

    it('reports each indicator on time, late or missing for the quarter in the exception report and the Board pack', async () => {
      // The quarter before the one holding the date: 2 December 2026 is in Q3 2026/27, so Q2 (July to September).
      assert.deepEqual(lastEndedQuarter('2026-12-02'), { end: '2026-09-30', label: 'Q2 2026/27' });
      assert.deepEqual(lastEndedQuarter('2026-04-01'), { end: '2026-03-31', label: 'Q4 2025/26' });
      const quarter = lastEndedQuarter(todayIso());
      const report = await admin.get(`${base}/reports/exceptions`);
      assert.equal(report.status, 200);
      const table = /<table class="govuk-table" id="collection-exceptions">([\s\S]*?)<\/table>/.exec(report.body)?.[1] ?? '';
      // ASB1 has been collected for two years and nothing for the last quarter has been entered: missing, with its owner.
      assert.match(
        table,
        /ASB1 ASB incidents<\/a><\/th><td class="govuk-table__cell">Test User \d+, Cycleshire Police<\/td><td[^>]*><strong[^>]*>Missing<\/strong><\/td><td class="govuk-table__cell">3 expected: 3 missing/,
      );
      assert.match(report.body, new RegExp(`Figures for ${quarter.label.replace('/', '\\/')} by the collection calendar`));
      const cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const docx = await t.app.inject({ method: 'GET', url: `${base}/reports/exceptions.docx`, headers: { cookie } });
      assert.equal(docx.statusCode, 200);
      const xml = unzipEntry(docx.rawPayload, 'word/document.xml').toString('utf8');
      assert.match(xml, new RegExp(`Figures late or missing for ${quarter.label.replace('/', '\\/')}`));
      assert.match(xml, /3 expected: 3 missing/);
      // The quarter's three months entered now, after their due dates: late, and the quarter has its figure.
      const [y, m] = quarter.end.split('-').map(Number) as [number, number];
      const months = [m - 2, m - 1, m].map((x) => `${y}-${String(x).padStart(2, '0')}`);
      await enterFigures(
        t.k,
        SYSTEM_ACTOR,
        pid,
        months.map((period, i) => ({ row: i + 1, indicatorId: String(indicatorId), period, value: '40' })),
      );
      const pack = await admin.get(`${base}/reports/quarterly?quarter=${encodeURIComponent(quarter.label)}`);
      assert.equal(pack.status, 200);
      assert.match(
        pack.body,
        new RegExp(
          `data-collection-indicator="${indicatorId}"><th[^>]*>ASB1 ASB incidents</th><td[^>]*>Test User \\d+, Cycleshire Police</td><td[^>]*>Late</td><td[^>]*>3 expected: 3 late</td>`,
        ),
      );
      assert.match(
        pack.body,
        /data-collection-summary>Figures for Q\d \d{4}\/\d{2} by the collection calendar, as at [^:]+: 0 indicators on time, 1 late, 0 with a figure missing/,
      );
      const packDocx = await t.app.inject({
        method: 'GET',
        url: `${base}/reports/quarterly.docx?quarter=${encodeURIComponent(quarter.label)}`,
        headers: { cookie },
      });
      assert.match(unzipEntry(packDocx.rawPayload, 'word/document.xml').toString('utf8'), /3 expected: 3 late/);
    });

    it('judges an earlier quarter in its Board pack as at the end of the quarter after it, not as at today', async () => {
      // The first quarter collected (April to June two years back), its figures all entered today, long after.
      const fy = Number(collectFrom.slice(0, 4));
      const months = ['04', '05', '06'].map((m) => `${fy}-${m}`);
      const have = new Set(
        (await t.k.selectFrom('figures').select('period').where('indicator_id', '=', indicatorId).execute()).map((f) => f.period),
      );
      const missing = months.filter((m) => !have.has(m));
      await enterFigures(
        t.k,
        SYSTEM_ACTOR,
        pid,
        missing.map((period, i) => ({ row: i + 1, indicatorId: String(indicatorId), period, value: '30' })),
      );
      const label = `Q1 ${fy}/${String((fy + 1) % 100).padStart(2, '0')}`;
      const pack = await admin.get(`${base}/reports/quarterly?quarter=${encodeURIComponent(label)}`);
      assert.equal(pack.status, 200);
      // As at 30 September of that year none had come in: missing, not "late" as judged today.
      assert.match(
        pack.body,
        new RegExp(
          `data-collection-indicator="${indicatorId}"><th[^>]*>ASB1 ASB incidents</th><td[^>]*>[^<]*</td><td[^>]*>Missing</td><td[^>]*>3 expected: 3 missing</td>`,
        ),
      );
      assert.match(
        pack.body,
        new RegExp(
          `data-collection-summary>Figures for ${label.replace('/', '\\/')} by the collection calendar, as at 30 September ${fy}, the end of the quarter after it, when its Board pack was due \\(figures entered later are not counted\\): 0 indicators on time, 0 late, 1 with a figure missing`,
        ),
      );
    });

    it('round-trips a CSV template of the owner’s missing figures: download, fill, upload, all or nothing', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: `${base}/my-figures/template.csv`,
        headers: { cookie: [...owner.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /text\/csv/);
      const lines = res.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      assert.equal(lines[0], 'indicator,title,period,due,value,numerator,denominator,note,source');
      const rows = lines.slice(1).map((l) => l.split(','));
      assert.ok(rows.length >= 2 && rows.every((r) => r[0] === 'ASB1'), 'only the owner’s indicator');
      const [first, second] = rows as [string[], string[]];
      const fill = (r: string[], value: string) => [r[0], r[1], r[2], r[3], value, '', '', '', ''].join(',');
      const bad = [lines[0], fill(first, '17'), fill(second, 'a dozen'), ...rows.slice(2).map((r) => r.join(','))].join('\r\n');
      const before = (await t.k.selectFrom('figures').select('id').where('indicator_id', '=', indicatorId).execute()).length;
      const refused = await owner.postFile(`${base}/my-figures/upload`, 'file', { filename: 'my-figures.csv', data: Buffer.from(bad) });
      assert.equal(refused.status, 400);
      assert.match(
        refused.body,
        /id="upload-problems"[\s\S]*<td class="govuk-table__cell govuk-table__cell--numeric">3<\/td><td class="govuk-table__cell">value<\/td><td class="govuk-table__cell">a dozen<\/td>/,
      );
      assert.equal(
        (await t.k.selectFrom('figures').select('id').where('indicator_id', '=', indicatorId).execute()).length,
        before,
        'nothing saved',
      );
      const good = [lines[0], fill(first, '17'), fill(second, '12'), ...rows.slice(2).map((r) => r.join(','))].join('\r\n');
      const saved = await owner.postFile(`${base}/my-figures/upload`, 'file', { filename: 'my-figures.csv', data: Buffer.from(good) });
      assert.equal(saved.status, 303);
      const periods = (
        await t.k.selectFrom('figures').select(['period', 'value']).where('indicator_id', '=', indicatorId).execute()
      ).filter((f) => [first[2], second[2]].includes(f.period));
      assert.deepEqual(
        periods.map((f) => Number(f.value)).sort((a, b) => a - b),
        [12, 17],
      );
    });

    it('lists activities due an update, red indicators awaiting commentary, risks due a review and the next meeting', async () => {
      const today = todayIso();
      const { version } = await createPlan(t.k, SYSTEM_ACTOR, pid, { title: 'Cycleshire agreed plan', startYear: 2025, endYear: 2028 });
      const priority = await createPart(t.k, SYSTEM_ACTOR, pid, 'priority', version.id, { title: 'Night-time economy' });
      const objective = await createPart(t.k, SYSTEM_ACTOR, pid, 'objective', priority.id, { title: 'Safer evenings' });
      const activity = await createPart(t.k, SYSTEM_ACTOR, pid, 'activity', objective.id, {
        title: 'Taxi marshals',
        status: 'in_progress',
      });
      await setActivityOwner(t.k, SYSTEM_ACTOR, pid, activity.id, { ownerUserId: String(ownerId) });
      await createPart(t.k, SYSTEM_ACTOR, pid, 'risk', priority.id, {
        risk: 'Marshal funding ends',
        severity: 'high',
        likelihood: 'medium',
        reviewDate: addDays(today, -3),
      });
      const group = await createPart(t.k, SYSTEM_ACTOR, pid, 'group', version.id, { name: 'Partnership Board' });
      await approveVersion(t.k, SYSTEM_ACTOR, pid, version.id, { approvedBy: 'Partnership Board', approvedOn: today, meeting: 'Board' });
      const deadline = addDays(today, 10);
      const meeting = await createMeeting(t.k, SYSTEM_ACTOR, pid, {
        groupId: group.id,
        title: 'Board, quarterly',
        date: addDays(today, 20),
        time: '14:00',
        paperDeadline: deadline,
      });
      // A red indicator of the owner's: its latest figure far above a lower-is-better target, no commentary yet.
      const red = await createIndicator(t.k, SYSTEM_ACTOR, pid, {
        code: 'NTE1',
        title: 'Night-time violence',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'monthly',
        obaCategory: 'better_off',
        targetKind: 'absolute',
        targetValue: '10',
      });
      await setIndicatorCollection(t.k, SYSTEM_ACTOR, pid, red.id, { ownerUserId: ownerId });
      const period = periodContaining(addDays(today, -40), 'monthly');
      await enterFigures(t.k, SYSTEM_ACTOR, pid, [{ row: 1, indicatorId: String(red.id), period, value: '90' }]);

      type Item = { kind: string; title: string; status: string; dueDate: string | null; href: string };
      const attention = async (token: string) =>
        (await api(t.app, token, 'GET', `/api/v1${base}/attention`)).json<{ todo: number; items: Item[] }>();
      const mine = await attention(ownerToken);
      const kind = (items: Item[], k: string) => items.filter((i) => i.kind === k);
      assert.deepEqual(
        kind(mine.items, 'activity').map((i) => [i.title, i.href]),
        [['Give a progress update on the activity: Taxi marshals (none yet)', `${base}/activities/${activity.id}`]],
      );
      const [commentary] = kind(mine.items, 'commentary');
      assert.ok(commentary, JSON.stringify(mine.items.map((i) => i.kind)));
      assert.equal(commentary.href, `${base}/indicators/${red.id}/commentary?period=${period}`);
      assert.equal(commentary.dueDate, deadline, 'due by the next paper deadline');
      assert.match(commentary.title, /NTE1 Night-time violence, red for .*, for the papers of Partnership Board/);
      const [next] = kind(mine.items, 'meeting');
      assert.deepEqual([next?.href, next?.status, next?.dueDate], [`${base}/meetings/${meeting.id}`, 'upcoming', addDays(today, 20)]);
      assert.equal(mine.todo, mine.items.length - 1, 'the meeting is not a thing to do');
      assert.equal(kind(mine.items, 'risk-review').length, 0, 'a contributor does not keep the plan');
      // The home page shows the same list; the admin, who keeps the plan, sees the risk's review overdue.
      const home = (await owner.get(base)).body;
      assert.match(
        home,
        new RegExp(`Due</strong>\\s*<a class="govuk-link" href="${base}/indicators/${red.id}/commentary\\?period=${period}">`),
      );
      assert.match(
        home,
        new RegExp(`Coming up</strong>\\s*<a class="govuk-link" href="${base}/meetings/${meeting.id}">Next meeting: Board, quarterly`),
      );
      assert.match(
        (await admin.get(base)).body,
        new RegExp(
          `Overdue</strong>\\s*<a class="govuk-link" href="${base}/priorities/${priority.id}">Review the risk: Marshal funding ends`,
        ),
      );
      // The red list is kept per data version (snapshotCache): a figure written after the views above is seen at once.
      const commentaryFor = async () => kind((await attention(ownerToken)).items, 'commentary').map((i) => i.href);
      assert.deepEqual(await commentaryFor(), [commentary.href], 'the same answer from the cache');
      // (judged on the projected year end, so only none at all brings it under 10)
      await enterFigures(t.k, SYSTEM_ACTOR, pid, [{ row: 1, indicatorId: String(red.id), period, value: '0' }]);
      assert.deepEqual(await commentaryFor(), [], 'back under its target: no longer red');
      assert.doesNotMatch((await owner.get(base)).body, /Write the commentary on NTE1/);
      await enterFigures(t.k, SYSTEM_ACTOR, pid, [{ row: 1, indicatorId: String(red.id), period, value: '90' }]);
      assert.deepEqual(await commentaryFor(), [commentary.href], 'red again');
      // Writing the commentary and giving the update take them off the list.
      assert.equal((await owner.post(`${base}/indicators/${red.id}/commentary`, { period, text: 'A one-off event' })).status, 303);
      assert.equal(
        (
          await owner.post(`${base}/activities/${activity.id}/progress-updates/new`, {
            updateDate: today,
            note: 'Out every Friday',
            rag: 'green',
          })
        ).status,
        303,
      );
      const after = await attention(ownerToken);
      assert.equal(kind(after.items, 'commentary').length, 0);
      assert.equal(kind(after.items, 'activity').length, 0);
    });
    it('gives a risk an owner who is a member (form, API, audit) and puts its review in their attention and digest', async () => {
      const today = todayIso();
      const { version } = await createPlan(t.k, SYSTEM_ACTOR, pid, { title: 'Cycleshire risk plan', startYear: 2026, endYear: 2029 });
      const priority = await createPart(t.k, SYSTEM_ACTOR, pid, 'priority', version.id, { title: 'Road safety' });
      await approveVersion(t.k, SYSTEM_ACTOR, pid, version.id, { approvedBy: 'Partnership Board', approvedOn: today, meeting: 'Board' });
      const form = await admin.get(`${base}/priorities/${priority.id}/risks/new`);
      assert.equal(form.status, 200);
      assert.match(
        form.body,
        new RegExp(
          `<select class="govuk-select" id="ownerUserId" name="ownerUserId"[^>]*>[\\s\\S]*<option value="${ownerId}">${ownerName}</option>`,
        ),
      );
      const fields = { risk: 'Speed camera van withdrawn', severity: 'high', likelihood: 'medium', reviewDate: addDays(today, -2) };
      const count = async () => (await t.k.selectFrom('risks').select('id').where('priority_id', '=', priority.id).execute()).length;
      const refused = await admin.post(`${base}/priorities/${priority.id}/risks/new`, { ...fields, ownerUserId: '99999' });
      assert.equal(refused.status, 400);
      assert.match(refused.body, /href="#ownerUserId">Select the owner from the list/);
      assert.equal(await count(), 0, 'nothing saved');
      assert.equal(
        (await admin.post(`${base}/priorities/${priority.id}/risks/new`, { ...fields, ownerUserId: String(ownerId) })).status,
        303,
      );
      const risk = await t.k.selectFrom('risks').selectAll().where('priority_id', '=', priority.id).executeTakeFirstOrThrow();
      assert.deepEqual([risk.owner_user_id, risk.owner_organisation_id], [ownerId, orgId], "the owner's organisation by default");
      const audit = await t.k
        .selectFrom('audit_events')
        .select('after_json')
        .where('entity_type', '=', 'risk')
        .where('entity_id', '=', String(risk.id))
        .executeTakeFirstOrThrow();
      assert.equal((JSON.parse(audit.after_json!) as { owner_user_id: number }).owner_user_id, ownerId);
      // The API reads and writes the owner by user id; a second risk owned by another contributor.
      const got = (await api(t.app, ownerToken, 'GET', `/api/v1${base}/risks/${risk.id}`)).json<Record<string, unknown>>();
      assert.deepEqual([got.ownerUserId, got.ownerOrganisationId], [ownerId, orgId]);
      const theirs = await api(t.app, adminToken, 'POST', `/api/v1${base}/priorities/${priority.id}/risks`, {
        risk: 'Volunteer speed watch ends',
        severity: 'low',
        likelihood: 'low',
        reviewDate: addDays(today, 5),
        ownerUserId: otherId,
      });
      assert.equal(theirs.status, 201, theirs.body);
      assert.equal(theirs.json<{ ownerUserId: number }>().ownerUserId, otherId);
      // Each owner (contributors) sees their own risk's review; the administrator, who keeps the plan, sees neither.
      type Item = { kind: string; title: string; status: string; href: string };
      const reviews = async (token: string) =>
        (await api(t.app, token, 'GET', `/api/v1${base}/attention`))
          .json<{ items: Item[] }>()
          .items.filter((i) => i.kind === 'risk-review' && /Speed|speed/.test(i.title))
          .map((i) => [i.title, i.status, i.href]);
      const href = `${base}/priorities/${priority.id}`;
      assert.deepEqual(await reviews(ownerToken), [['Review the risk: Speed camera van withdrawn', 'overdue', href]]);
      assert.deepEqual(await reviews(adminToken), []);
      assert.match(
        (await owner.get(base)).body,
        new RegExp(`Overdue</strong>\\s*<a class="govuk-link" href="${href}">Review the risk: Speed camera van withdrawn`),
      );
      assert.match((await other.get(base)).body, /Review the risk: Volunteer speed watch ends/);
      assert.match((await owner.get(href)).body, new RegExp(`Owner: ${ownerName}`));
      // The owner's weekly digest lists it with a link straight to the priority.
      await t.k.updateTable('users').set({ weekly_digest: 1 }).where('id', '=', ownerId).execute();
      await scheduleDigests(t.k, { baseUrl: 'https://hub.example', secret: 'test-secret', today });
      const digest = await t.k
        .selectFrom('jobs')
        .select('payload_json')
        .where('dedupe_key', 'like', `digest:${ownerId}:%`)
        .executeTakeFirstOrThrow();
      assert.match(
        (JSON.parse(digest.payload_json) as { text: string }).text,
        new RegExp(`- OVERDUE: Review the risk: Speed camera van withdrawn \\(due .*\\)\\n  https://hub.example${href}`),
      );
    });
    it("lists on the person's own page what needs them in each of their partnerships, and nothing of others", async () => {
      // The owner also edits a second partnership, where a recommendation waits on them; a third is not theirs.
      const second = await makePartnership(t.k, 'Safer Twoshire');
      const third = await makePartnership(t.k, 'Safer Threeshire');
      const ownerUser = await t.k.selectFrom('users').selectAll().where('id', '=', ownerId).executeTakeFirstOrThrow();
      await addMembership(t.k, SYSTEM_ACTOR, second.id, ownerUser, 'editor');
      const rec = await createRecommendation(t.k, SYSTEM_ACTOR, second.id, {
        committee: 'Twoshire scrutiny panel',
        receivedOn: '2026-02-01',
        recommendation: 'Light the underpass',
      });
      await createRecommendation(t.k, SYSTEM_ACTOR, third.id, {
        committee: 'Threeshire scrutiny panel',
        receivedOn: '2026-02-01',
        recommendation: 'Not for the owner',
      });
      await memberOf(t.k, third.id, 'editor');
      const outsider = await makeUser(t.k, { platformAdmin: true });
      const outsiderToken = (await createToken(t.k, outsider, 'outsider')).token;

      type Item = { kind: string; title: string; href: string };
      type Mine = {
        todo: number;
        overdue: number;
        partnerships: {
          partnership: { id: number; name: string; role: string };
          attention: { todo: number; overdue: number; items: Item[] };
        }[];
      };
      const mine = (await api(t.app, ownerToken, 'GET', '/api/v1/me/attention')).json<Mine>();
      assert.deepEqual(
        mine.partnerships.map((p) => [p.partnership.name, p.partnership.role]),
        [
          ['Safer Cycleshire', 'contributor'],
          ['Safer Twoshire', 'editor'],
        ],
      );
      // The same lists as each partnership's own attention endpoint: one service, no second copy.
      const here = (await api(t.app, ownerToken, 'GET', `/api/v1${base}/attention`)).json<{ todo: number; items: Item[] }>();
      assert.deepEqual(mine.partnerships[0]!.attention.items, here.items);
      const twoshire = mine.partnerships[1]!.attention;
      assert.deepEqual(
        twoshire.items.map((i) => [i.kind, i.href]),
        [['scrutiny-response', `/partnerships/${second.id}/scrutiny/${rec.id}`]],
      );
      assert.equal(mine.todo, here.todo + 1);
      assert.doesNotMatch(JSON.stringify(mine), /Threeshire|Not for the owner/);
      // The page: a link in the header, counts per partnership, each item linked, no other partnership.
      const page = await owner.get('/my-work');
      assert.equal(page.status, 200);
      assert.match((await owner.get(base)).body, /<a class="govuk-link" href="\/my-work">Your work<\/a>/);
      assert.match(page.body, new RegExp(`id="my-work-summary">${mine.todo} things to do in 2 partnerships`));
      assert.match(
        page.body,
        new RegExp(`href="#partnership-${second.id}">Safer Twoshire</a></dt>\\s*<dd class="govuk-summary-list__value">1 to do</dd>`),
      );
      assert.match(
        page.body,
        new RegExp(
          `Waiting on you</strong></td>\\s*<td class="govuk-table__cell"><a class="govuk-link" href="/partnerships/${second.id}/scrutiny/${rec.id}">Respond to the Twoshire scrutiny panel`,
        ),
      );
      for (const item of here.items) assert.ok(page.body.includes(`href="${item.href.replace(/&/g, '&amp;')}"`), item.href);
      assert.doesNotMatch(page.body, /Threeshire|Not for the owner/);
      // At 320 px each partnership's table scrolls in its own labelled region rather than widening the page.
      assert.match(
        page.body,
        /<div class="app-table-scroll" role="region" aria-label="1 thing to do in Safer Twoshire" tabindex="0">\s*<table class="govuk-table" data-partnership/,
      );
      // An outsider, even a platform administrator, belongs to none: the empty state, nothing of theirs.
      const empty = (await api(t.app, outsiderToken, 'GET', '/api/v1/me/attention')).json<Mine>();
      assert.deepEqual([empty.todo, empty.partnerships], [0, []]);
      const stranger = new Browser(t.app);
      await stranger.signIn(outsider.email);
      // (A platform administrator's header offers every partnership to switch to; the page's content names none.)
      const strangerPage = /<main[\s\S]*<\/main>/.exec((await stranger.get('/my-work')).body)![0];
      assert.match(strangerPage, /id="my-work-empty">You are not a member of any partnership yet/);
      assert.doesNotMatch(strangerPage, /Cycleshire|Twoshire|Threeshire/);
      const openapi = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, unknown> }>();
      assert.ok(
        openapi.paths['/api/v1/me/attention'],
        Object.keys(openapi.paths)
          .filter((k) => k.includes('/me'))
          .join(', '),
      );
    });
  });
}
