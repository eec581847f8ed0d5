/**
 * The authorisation walk, run on SQLite by test/web/authorisation.test.ts and on PostgreSQL by
 * test/web/authorisationPostgres.test.ts (two files, so `npm test`'s two workers can run the halves side by side).
 * Walks every route the app registers:
 * - as a user of partnership A against partnership B's identifiers, expecting refusal and nothing changed;
 * - as every role against every action, expecting exactly what `can(role, action)` allows;
 * - signed out, expecting sign-in to be required.
 * New routes are picked up automatically, so a route added without the right checks fails here.
 */
import { describe, it, before, after } from 'node:test';
import type { Engine } from '../../src/adapters/database/database.ts';
import assert from 'node:assert/strict';
import { api, Browser, makePartnership, makeUser, memberOf, startTestApp, type Response, type TestApp } from './app.ts';
import { ROLES, type Role, type User } from '../../src/adapters/database/schema.ts';
import { can, type Action } from '../../src/services/partnerships/authorisation.ts';
import { createOrganisation, listOrganisations } from '../../src/services/partnerships/organisations.ts';
import { createToken, userForToken } from '../../src/services/identity/apiTokens.ts';
import { listMembers } from '../../src/services/partnerships/members.ts';
import { getPartnership } from '../../src/services/partnerships/partnerships.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { createHighlightReport, listHighlightReports } from '../../src/services/performance/highlightReports.ts';
import { listCommentary, writeCommentary } from '../../src/services/performance/commentary.ts';
import { saveSpcMark } from '../../src/services/performance/spcMarks.ts';

const WALK_INDICATOR = {
  title: 'Walk indicator',
  unit: 'count',
  polarity: 'lower_is_better',
  frequency: 'annual',
  obaCategory: 'better_off',
};
import type { RouteRecord } from '../../src/http/app.ts';
import { buildPlanFixture, isDestructive, planApiBody, PLAN_PARAMS, type PlanIds } from './plans.ts';
import { listPlans, loadPlanDocument } from '../../src/services/plans/plans.ts';
import { buildReviewFixture, documentApiBody, REVIEW_PARAMS } from './reviews.ts';
import { listReviews, loadReview } from '../../src/services/plans/reviews.ts';
import { getMatrixSettings } from '../../src/services/assessment/assessmentMatrix.ts';
import { buildMeetingFixture, meetingApiBody, MEETING_PARAMS, type MeetingIds } from './meetings.ts';
import { createMeeting, loadMeeting } from '../../src/services/meetings/meetings.ts';
import { uploadPaper } from '../../src/services/meetings/papers.ts';
import { listActions } from '../../src/services/meetings/actions.ts';
import { listDuties } from '../../src/services/meetings/statutoryCalendar.ts';

type Ids = Record<string, string | number>;

function fill(url: string, ids: Ids): string {
  return url.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    if (!(name in ids)) throw new Error(`No test identifier for :${name} in ${url}`);
    return String(ids[name]);
  });
}

/** A valid request body for each API operation, so refusals come from authorisation, not validation. */
function apiBody(route: RouteRecord): unknown {
  if (route.method === 'GET' || route.method === 'DELETE') return undefined;
  if (route.url.endsWith('/organisations') || route.url.endsWith('/organisations/:organisationId'))
    return { name: `Org ${Math.random()}`, type: 'other' };
  if (route.url.endsWith('/users')) return { email: `invitee${Math.random()}@example.org`, name: 'Invitee', role: 'viewer' };
  if (route.url.endsWith('/users/:userId')) return { role: 'viewer' };
  if (route.url.endsWith('/tokens')) return { name: 'walk' };
  if (route.url.endsWith('/indicators') || route.url.endsWith('/indicators/:indicatorId'))
    return { ...WALK_INDICATOR, title: `Walk ${Math.random()}` };
  if (route.url.endsWith('/indicators/:indicatorId/collection')) return { dueWorkingDays: 5 };
  if (route.url.endsWith('/retirement')) return { endPeriod: '2030/31', reason: 'Walk: replaced' };
  if (route.url.endsWith('/figures/from-fingertips')) return { fingertipsIndicatorId: 11201 };
  if (route.url.endsWith('/figures')) return { figures: [{ indicatorId: 1, period: '2019/20', value: 1 }] };
  if (route.url.endsWith('/rag-overrides')) return { period: '2019/20', rag: 'green', reason: 'walk' };
  if (route.url.endsWith('/spc')) return { kind: 'point', period: '2019/20', note: `Walk note ${Math.random()}` };
  if (route.url.endsWith('/commentary')) return { period: '2019/20', text: `Walk commentary ${Math.random()}` };
  if (route.url.endsWith('/highlight-reports') || route.url.endsWith('/highlight-reports/:highlightReportId'))
    return { month: '2020-03', progress: `Walk progress ${Math.random()}` };
  if (route.url.endsWith('/assessment/matrix/settings'))
    return { weights: { volume: 1, trend: 2, harm: 3, concern: 4 }, concern: { Burglary: 50 } };
  if (route.url.endsWith('/performance/settings/amber-tolerance')) return { amberTolerancePercent: 5 };
  if (route.url.endsWith('/performance/settings/suppression-threshold')) return { suppressionThreshold: 5 };
  if (route.url.endsWith('/assessment/area')) return { localAuthorities: ['Walk authority'] };
  if (route.url.endsWith('/reviews') || route.url.endsWith('/reviews/:reviewId'))
    return { title: `Walk review ${Math.random()}`, startYear: 2018, endYear: 2021 };
  if (/\/(reviews\/:reviewId\/priorities|review-priorities\/:reviewPriorityId(\/areas)?|review-areas\/:reviewAreaId)$/.test(route.url))
    return { title: `Walk ${Math.random()}` };
  if (route.url === '/api/v1/partnerships/:partnershipId') return { name: 'Partnership A' };
  if (route.url === '/api/v1/partnerships') return { name: 'Walk partnership' };
  // The file is the body as it is; a platform administrator's upload is tested in test/web/officialSources.test.ts.
  if (route.url === '/api/v1/official-data/imports') return { kind: 'roads' };
  if (route.url === '/api/v1/partnership-imports') return { format: 'csphub-partnership', formatVersion: 1, tables: {} };
  const plan = planApiBody(route);
  if (plan) return plan.body;
  const document = documentApiBody(route);
  if (document) return document.body;
  const meeting = meetingApiBody(route);
  if (meeting) return meeting.body;
  throw new Error(`No API body for ${route.method} ${route.url}`);
}

async function call(t: TestApp, route: RouteRecord, url: string, as: { browser: Browser; token: string }): Promise<Response> {
  if (route.url.startsWith('/api/')) return api(t.app, as.token, route.method as 'GET', url, apiBody(route));
  return route.method === 'GET' ? as.browser.get(url) : as.browser.post(url, {});
}

export function describeAuthorisationWalk(engine: Engine): void {
  describe(`authorisation of every route on ${engine}`, () => {
    let t: TestApp;
    const as: Partial<Record<Role, { user: User; browser: Browser; token: string }>> = {};
    let a: { id: number };
    let b: { id: number; name: string };
    let bIds: Ids;
    let aPlan: PlanIds;
    let aReview: Record<string, number>;
    let aMeetings: MeetingIds;
    let bMeetings: MeetingIds;
    let aPaperId: number;

    before(async () => {
      t = await startTestApp(engine);
      // The walk asks for documents (Board packs) on every role that may; this file checks who may ask, not the
      // documents, which the document tests generate and check. Stopping this app's runner (as shutdown does)
      // leaves those jobs queued instead of generating them in the background while the walk runs and then
      // waiting minutes for them before the database can be dropped; the requests are answered the same way.
      await t.app.documentRunner.stop(0);
      a = await makePartnership(t.k, 'Partnership A');
      b = await makePartnership(t.k, 'Partnership B');
      for (const role of ROLES) {
        const user = await memberOf(t.k, a.id, role);
        const browser = new Browser(t.app);
        assert.equal((await browser.signIn(user.email)).status, 303);
        as[role] = { user, browser, token: (await createToken(t.k, user, 'walk')).token };
      }
      const bOrg = await createOrganisation(t.k, SYSTEM_ACTOR, b.id, { name: 'B Borough Council', type: 'responsible_authority' });
      const bMember = await memberOf(t.k, b.id, 'admin');
      const bToken = await createToken(t.k, bMember, 'B token');
      const bIndicator = await createIndicator(t.k, SYSTEM_ACTOR, b.id, WALK_INDICATOR);
      aPlan = await buildPlanFixture(t.k, a.id);
      aPlan.highlightReportId = (
        await createHighlightReport(t.k, SYSTEM_ACTOR, a.id, aPlan.priorityId!, { month: '2020-03', progress: 'A progress' })
      ).id;
      const bPlan = await buildPlanFixture(t.k, b.id);
      const bReport = await createHighlightReport(t.k, SYSTEM_ACTOR, b.id, bPlan.priorityId!, { month: '2020-03', progress: 'B progress' });
      await writeCommentary(t.k, SYSTEM_ACTOR, b.id, bIndicator.id, { period: '2019/20', text: 'B commentary' });
      aReview = await buildReviewFixture(t.k, a.id);
      aMeetings = await buildMeetingFixture(t.k, a.id);
      bMeetings = await buildMeetingFixture(t.k, b.id);
      aPaperId = await walkPaper(a.id, aMeetings.meetingId);
      bIds = {
        meetingId: bMeetings.meetingId,
        paperId: await walkPaper(b.id, bMeetings.meetingId),
        actionId: bMeetings.actionId,
        dutyId: bMeetings.dutyId,
        recommendationId: bMeetings.recommendationId,
        ...bPlan,
        ...(await buildReviewFixture(t.k, b.id)),
        highlightReportId: bReport.id,
        partnershipId: b.id,
        organisationId: bOrg.id,
        userId: bMember.id,
        tokenId: bToken.summary.id,
        token: 'x',
        indicatorId: bIndicator.id,
        markId: (await saveSpcMark(t.k, SYSTEM_ACTOR, b.id, bIndicator.id, { kind: 'point', period: '2019/20', note: 'B note' })).id,
      };
    });
    after(async () => {
      await t.close();
    });

    it('registers pages and API operations, each with a declared authorisation', () => {
      assert.ok(t.app.routeRecords.length > 30, `only ${t.app.routeRecords.length} routes`);
      assert.ok(t.app.routeRecords.some((r) => r.url.startsWith('/api/v1/partnerships/:partnershipId')));
      for (const r of t.app.routeRecords) assert.ok(r.auth, `${r.method} ${r.url}`);
    });

    it("refuses a user of partnership A every route with partnership B's identifiers, and changes nothing in B", async () => {
      const admin = as.admin!;
      const before = {
        p: await getPartnership(t.k, b.id),
        orgs: await listOrganisations(t.k, b.id),
        members: await listMembers(t.k, b.id),
      };
      const bMatrixBefore = await getMatrixSettings(t.k, b.id);
      const bPlansBefore = { plans: await listPlans(t.k, b.id), doc: await loadPlanDocument(t.k, b.id, Number(bIds.versionId)) };
      const bReportsBefore = {
        highlights: await listHighlightReports(t.k, b.id),
        commentary: await listCommentary(t.k, b.id, Number(bIds.indicatorId)),
      };
      const bReviewsBefore = {
        reviews: await listReviews(t.k, b.id),
        review: await loadReview(t.k, b.id, Number(bIds.reviewId)),
        jobs: await t.k.selectFrom('document_jobs').select(['id', 'status']).where('partnership_id', '=', b.id).execute(),
      };
      const bMeetingsBefore = {
        meeting: await loadMeeting(t.k, b.id, bMeetings.meetingId),
        actions: await listActions(t.k, b.id, { status: 'all' }),
        duties: await listDuties(t.k, b.id),
      };
      const routes = t.app.routeRecords.filter((r) => r.url.includes(':partnershipId'));
      assert.ok(routes.length > 20);
      for (const route of routes) {
        const res = await call(t, route, fill(route.url, bIds), admin);
        assert.equal(res.status, 404, `${route.method} ${route.url} with B's ids answered ${res.status}`);
        // A's partnership id with B's child identifiers is refused too.
        if (
          /:(organisationId|userId|indicatorId|highlightReportId|paperId)/.test(route.url) ||
          [...PLAN_PARAMS, ...REVIEW_PARAMS, ...MEETING_PARAMS].some((n) => route.url.includes(`:${n}`))
        ) {
          const mixed = await call(t, route, fill(route.url, { ...bIds, partnershipId: a.id }), admin);
          assert.equal(mixed.status, 404, `${route.method} ${route.url} with A's partnership and B's child ids answered ${mixed.status}`);
        }
      }
      assert.deepEqual(await getPartnership(t.k, b.id), before.p);
      assert.deepEqual(
        {
          meeting: await loadMeeting(t.k, b.id, bMeetings.meetingId),
          actions: await listActions(t.k, b.id, { status: 'all' }),
          duties: await listDuties(t.k, b.id),
        },
        bMeetingsBefore,
      );
      assert.deepEqual(await listOrganisations(t.k, b.id), before.orgs);
      assert.deepEqual(await listMembers(t.k, b.id), before.members);
      assert.deepEqual(await getMatrixSettings(t.k, b.id), bMatrixBefore);
      assert.deepEqual({ plans: await listPlans(t.k, b.id), doc: await loadPlanDocument(t.k, b.id, Number(bIds.versionId)) }, bPlansBefore);
      assert.deepEqual(
        { highlights: await listHighlightReports(t.k, b.id), commentary: await listCommentary(t.k, b.id, Number(bIds.indicatorId)) },
        bReportsBefore,
      );
      assert.deepEqual(
        {
          reviews: await listReviews(t.k, b.id),
          review: await loadReview(t.k, b.id, Number(bIds.reviewId)),
          jobs: await t.k.selectFrom('document_jobs').select(['id', 'status']).where('partnership_id', '=', b.id).execute(),
        },
        bReviewsBefore,
      );
    });

    it("refuses anyone revoking another person's API token", async () => {
      for (const route of t.app.routeRecords.filter((r) => r.url.includes(':tokenId'))) {
        const res = await call(t, route, fill(route.url, bIds), as.admin!);
        assert.equal(res.status, 404, `${route.method} ${route.url}`);
      }
      const still = await t.k
        .selectFrom('api_tokens')
        .select('revoked_at')
        .where('id', '=', Number(bIds.tokenId))
        .executeTakeFirstOrThrow();
      assert.equal(still.revoked_at, null);
    });

    /**
     * A new organisation, member and indicator of A for each of those the URL names. Only those: a member costs a
     * password hash, and the walk makes hundreds of calls.
     */
    /** An uploaded paper (a small CSV) of a meeting. */
    async function walkPaper(partnershipId: number, meetingId: number): Promise<number> {
      const file = { filename: 'walk.csv', data: Buffer.from('area,count\nOakham,3\n') };
      return (await uploadPaper(t.k, SYSTEM_ACTOR, partnershipId, meetingId, { file })).id;
    }

    /** A meeting (with a paper) of its own for each deletion, so that deleting either cannot affect the next check. */
    async function meetingTargets(route: RouteRecord): Promise<Ids> {
      if (!isDestructive(route) || !route.url.includes(':meetingId')) return { meetingId: aMeetings.meetingId, paperId: aPaperId };
      const meetingId = (await createMeeting(t.k, SYSTEM_ACTOR, a.id, { groupId: aMeetings.jagId, date: '2026-03-05', time: '10:00' })).id;
      return { meetingId, paperId: route.url.includes(':paperId') ? await walkPaper(a.id, meetingId) : aPaperId };
    }

    async function freshTargets(url: string): Promise<Ids> {
      const ids: Ids = {};
      if (url.includes(':organisationId'))
        ids.organisationId = (await createOrganisation(t.k, SYSTEM_ACTOR, a.id, { name: `Target ${Math.random()}`, type: 'other' })).id;
      if (url.includes(':userId')) ids.userId = (await memberOf(t.k, a.id, 'viewer')).id;
      if (url.includes(':indicatorId'))
        ids.indicatorId = (await createIndicator(t.k, SYSTEM_ACTOR, a.id, { ...WALK_INDICATOR, title: `Target ${Math.random()}` })).id;
      if (url.includes(':markId'))
        ids.markId = (
          await saveSpcMark(t.k, SYSTEM_ACTOR, a.id, Number(ids.indicatorId), { kind: 'point', period: '2019/20', note: 'Target' })
        ).id;
      return ids;
    }

    it('allows each role exactly the actions its role permits', async () => {
      // Documents (Word and PDF downloads) first: they are generated in full for every role allowed them, and the
      // walk adds indicators, plan parts and more to partnership A as it goes, each making later documents longer
      // to draw (last in the walk, the exception report's Word document took 10-15 s per role on a busy machine; first,
      // the SQLite walk took a third of the time: docs/benchmarks.md, "Test suite time").
      const isDocument = (r: RouteRecord) => /\.(docx|pdf)$/.test(r.url);
      const routes = t.app.routeRecords
        .filter((r) => !['public', 'signed-in', 'platform-admin'].includes(r.auth))
        .sort((x, y) => Number(isDocument(y)) - Number(isDocument(x)));
      for (const route of routes) {
        // A document is drawn in full for the least-privileged role allowed it (roles are walked from viewer up), and
        // its higher roles are not asked again: the role check runs before any handler, in one hook that knows only
        // the route's declared action and the role (src/http/setup/authorisation.ts), so the same document would be
        // drawn again for the same verdict. Every role refused a document is still asked.
        let documentDrawn = false;
        // The targets the route's URL names, made for it (fresh), and kept for the requests that cannot change them.
        const targets = async (): Promise<string> =>
          fill(route.url, {
            partnershipId: a.id,
            ...(await freshTargets(route.url)),
            ...(isDestructive(route) && PLAN_PARAMS.some((n) => route.url.includes(`:${n}`)) ? await buildPlanFixture(t.k, a.id) : aPlan),
            ...(isDestructive(route) && REVIEW_PARAMS.some((n) => route.url.includes(`:${n}`))
              ? await buildReviewFixture(t.k, a.id)
              : aReview),
            ...(await meetingTargets(route)),
            actionId: aMeetings.actionId,
            dutyId: aMeetings.dutyId,
            recommendationId: aMeetings.recommendationId,
          });
        let standing: string | undefined;
        for (const role of [...ROLES].reverse()) {
          const allowed = can(role, route.auth as Action);
          if (isDocument(route) && documentDrawn && allowed) continue;
          // Fresh targets for each request that may change them (an allowed POST, PUT, PATCH or DELETE), so a
          // destructive action cannot affect the next check. A refused request and a GET change nothing, so they share
          // one set made for this route: if a refused request did change it, its own check fails (it was not refused).
          const changes = allowed && route.method !== 'GET' && route.method !== 'HEAD';
          const url = changes ? await targets() : (standing ??= await targets());
          const res = await call(t, route, url, as[role]!);
          if (allowed) {
            assert.ok(
              ![401, 403, 404].includes(res.status) && res.status < 500,
              `${role} should be allowed ${route.method} ${route.url}, got ${res.status}`,
            );
            documentDrawn = isDocument(route);
          } else assert.equal(res.status, 403, `${role} should be refused ${route.method} ${route.url}, got ${res.status}`);
        }
      }
    });

    it('keeps platform administration to platform administrators', async () => {
      for (const route of t.app.routeRecords.filter((r) => r.auth === 'platform-admin')) {
        const res = await call(t, route, route.url, as.admin!);
        assert.equal(res.status, 403, `${route.method} ${route.url}`);
      }
      const platform = await makeUser(t.k, { platformAdmin: true });
      const token = (await createToken(t.k, platform, 'p')).token;
      const res = await api(t.app, token, 'POST', '/api/v1/partnerships', { name: 'Created by API' });
      assert.equal(res.status, 201);
    });

    it('requires sign-in for every route that is not public', async () => {
      const anonymous = new Browser(t.app);
      for (const route of t.app.routeRecords.filter((r) => r.auth !== 'public')) {
        const url = fill(route.url, {
          partnershipId: a.id,
          organisationId: 1,
          userId: 1,
          tokenId: 1,
          token: 'x',
          importId: 1,
          indicatorId: 1,
          markId: 1,
          highlightReportId: 1,
          paperId: 1,
          ...Object.fromEntries([...PLAN_PARAMS, ...REVIEW_PARAMS, ...MEETING_PARAMS].map((n) => [n, 1])),
        });
        const res = await call(t, route, url, { browser: anonymous, token: 'csphub_not-a-real-token' });
        if (route.url.startsWith('/api/')) assert.equal(res.status, 401, `${route.method} ${route.url}`);
        else {
          assert.equal(res.status, 303, `${route.method} ${route.url}`);
          assert.match(res.location ?? '', /^\/sign-in/);
        }
      }
      assert.equal(await userForToken(t.k, 'csphub_not-a-real-token'), null);
    });

    it('refuses a form posted without a valid CSRF token', async () => {
      const editor = as.editor!.browser;
      const res = await editor.post(`/partnerships/${a.id}/organisations/new`, { name: 'Forged', type: 'other', _csrf: 'forged' });
      assert.equal(res.status, 403);
      const res2 = await editor.post(`/partnerships/${a.id}/organisations/new`, { name: 'Forged', type: 'other' }, { csrf: false });
      assert.equal(res2.status, 403);
      assert.ok(!(await listOrganisations(t.k, a.id)).some((o) => o.name === 'Forged'));
    });
  });
}
