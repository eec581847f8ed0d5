/**
 * What the pages set, through the JSON API on each engine (issue 16, item 7): an indicator's public flag, the
 * amber tolerance and the small-number suppression threshold, the strategic assessment area, and annual reviews
 * with their priorities and objective areas. Same services and roles as the pages: validation naming the field,
 * audit rows, conflicts (409) where the pages check them, another partnership's ids 404, and the OpenAPI document.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { api, makePartnership, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { listAudit } from '../../src/services/platform/audit.ts';
import { getIndicator } from '../../src/services/performance/indicators.ts';
import { getAssessmentArea } from '../../src/services/assessment/assessmentAreas.ts';
import { validateDocumentRequest } from '../../src/services/documents/documentJobs.ts';

type Json = Record<string, unknown>;

for (const engine of ENGINES) {
  describe(`API for the settings and reviews the pages write, on ${engine}`, () => {
    let t: TestApp;
    let p: { id: number };
    let other: { id: number };
    let admin: string;
    let editor: string;
    let viewer: string;
    let url: (path: string) => string;

    before(async () => {
      t = await startTestApp(engine);
      p = await makePartnership(t.k, 'API Parity Partnership');
      other = await makePartnership(t.k, 'Other Partnership');
      admin = (await createToken(t.k, await memberOf(t.k, p.id, 'admin'), 'admin')).token;
      editor = (await createToken(t.k, await memberOf(t.k, p.id, 'editor'), 'editor')).token;
      viewer = (await createToken(t.k, await memberOf(t.k, p.id, 'viewer'), 'viewer')).token;
      url = (path) => `/api/v1/partnerships/${p.id}${path}`;
    });
    after(() => t.close());

    it("reads and writes an indicator's public flag; an update without it leaves it as it was", async () => {
      const created = await api(t.app, editor, 'POST', url('/indicators'), {
        title: 'Public burglaries',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'quarterly',
        obaCategory: 'how_much',
        isPublic: true,
      });
      assert.equal(created.status, 201, created.body);
      const ind = created.json<{ id: number; isPublic: boolean; updatedAt: string }>();
      assert.equal(ind.isPublic, true);
      assert.equal((await getIndicator(t.k, p.id, ind.id)).is_public, 1);
      const base = {
        title: 'Public burglaries',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'quarterly',
        obaCategory: 'how_much',
      };
      let res = await api(t.app, editor, 'PUT', url(`/indicators/${ind.id}`), { ...base, definition: 'Dwellings' });
      assert.equal(res.json<Json>().isPublic, true, 'left out: unchanged');
      res = await api(t.app, editor, 'PUT', url(`/indicators/${ind.id}`), { ...base, isPublic: false });
      assert.equal(res.json<Json>().isPublic, false);
      assert.equal((await api(t.app, viewer, 'GET', url(`/indicators/${ind.id}`))).json<Json>().isPublic, false);
      assert.equal((await api(t.app, editor, 'PUT', url(`/indicators/${ind.id}`), { ...base, isPublic: 'yes' })).status, 400);
    });

    it('reads and sets the amber tolerance (administrators) and suppression threshold (editors), with audit', async () => {
      let res = await api(t.app, viewer, 'GET', url('/performance/settings'));
      assert.equal(res.status, 200);
      assert.deepEqual(res.json(), { amberTolerancePercent: 5, suppressionThreshold: 5 });
      res = await api(t.app, editor, 'PUT', url('/performance/settings/amber-tolerance'), { amberTolerancePercent: 7.5 });
      assert.equal(res.status, 403, 'the dashboard form is for administrators');
      res = await api(t.app, admin, 'PUT', url('/performance/settings/amber-tolerance'), { amberTolerancePercent: 150 });
      assert.equal(res.status, 400);
      assert.match(res.body, /amber tolerance as a percentage from 0 to 100/);
      res = await api(t.app, admin, 'PUT', url('/performance/settings/amber-tolerance'), { amberTolerancePercent: 7.5 });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(res.json(), { amberTolerancePercent: 7.5, suppressionThreshold: 5 });
      res = await api(t.app, viewer, 'PUT', url('/performance/settings/suppression-threshold'), { suppressionThreshold: 10 });
      assert.equal(res.status, 403);
      res = await api(t.app, editor, 'PUT', url('/performance/settings/suppression-threshold'), { suppressionThreshold: 2 });
      assert.equal(res.status, 400);
      assert.match(res.body, /suppression threshold as a whole number from 3 to 100/);
      res = await api(t.app, editor, 'PUT', url('/performance/settings/suppression-threshold'), { suppressionThreshold: 10 });
      assert.deepEqual(res.json(), { amberTolerancePercent: 7.5, suppressionThreshold: 10 });
      const audit = await listAudit(t.k, { partnershipId: p.id });
      assert.ok(audit.events.some((e) => e.summary === 'Set the amber tolerance to 7.5%'));
      assert.ok(audit.events.some((e) => e.summary === 'Set the small-number suppression threshold to 10'));
      // Another partnership's settings are not this one's.
      assert.equal((await api(t.app, viewer, 'GET', `/api/v1/partnerships/${other.id}/performance/settings`)).status, 404);
    });

    it('reads and defines the assessment area, naming a bad LSOA code', async () => {
      let res = await api(t.app, viewer, 'GET', url('/assessment/area'));
      assert.deepEqual(res.json(), { localAuthorities: [], lsoaCodes: [], updatedAt: null });
      res = await api(t.app, viewer, 'PUT', url('/assessment/area'), { localAuthorities: ['Rochford'] });
      assert.equal(res.status, 403);
      res = await api(t.app, editor, 'PUT', url('/assessment/area'), { lsoaCodes: ['E01021955', 'nonsense'] });
      assert.equal(res.status, 400);
      assert.match(res.body, /Line 2: \\"nonsense\\" is not an LSOA code/);
      assert.equal(await getAssessmentArea(t.k, p.id), null, 'nothing written');
      res = await api(t.app, editor, 'PUT', url('/assessment/area'), {
        localAuthorities: ['Rochford', 'Rochford'],
        lsoaCodes: ['e01021955'],
      });
      assert.equal(res.status, 200, res.body);
      const area = res.json<{ localAuthorities: string[]; lsoaCodes: string[] }>();
      assert.deepEqual([area.localAuthorities, area.lsoaCodes], [['Rochford'], ['E01021955']]);
      assert.deepEqual((await api(t.app, viewer, 'GET', url('/assessment/area'))).json<Json>().lsoaCodes, ['E01021955']);
      const audit = await listAudit(t.k, { partnershipId: p.id });
      assert.ok(audit.events.some((e) => e.entity_type === 'assessment_area'));
    });

    it('writes an annual review, its priorities and objective areas, with conflict checks and tenancy', async () => {
      let res = await api(t.app, editor, 'POST', url('/reviews'), { title: '', startYear: 2018, endYear: 2030 });
      assert.equal(res.status, 400);
      assert.match(res.body, /Enter the title of the review/);
      assert.match(res.body, /The review must cover 1 to 5 years/);
      assert.equal((await api(t.app, viewer, 'POST', url('/reviews'), { title: 'No', startYear: 2018, endYear: 2021 })).status, 403);
      res = await api(t.app, editor, 'POST', url('/reviews'), {
        title: 'Annual review 2018-21',
        startYear: 2018,
        endYear: 2021,
        introduction: 'Three years.',
      });
      assert.equal(res.status, 201, res.body);
      const review = res.json<{ id: number; updatedAt: string }>();

      res = await api(t.app, editor, 'POST', url(`/reviews/${review.id}/priorities`), {
        title: 'Reducing anti-social behaviour',
        narrative: 'Wardens in the town centre.',
        keyOutputs: ['120 patrols', '4 dispersal orders'],
      });
      assert.equal(res.status, 201, res.body);
      const priority = res.json<{ id: number; keyOutputs: string[]; updatedAt: string }>();
      assert.deepEqual(priority.keyOutputs, ['120 patrols', '4 dispersal orders']);
      const ind = (await api(t.app, viewer, 'GET', url('/indicators'))).json<{ id: number }[]>()[0]!;
      res = await api(t.app, editor, 'POST', url(`/review-priorities/${priority.id}/areas`), {
        title: 'Fewer repeat calls',
        indicatorIds: [ind.id],
      });
      assert.equal(res.status, 201, res.body);
      const area = res.json<{ id: number; indicatorIds: number[]; updatedAt: string }>();
      assert.deepEqual(area.indicatorIds, [ind.id]);
      res = await api(t.app, editor, 'POST', url(`/review-priorities/${priority.id}/areas`), { title: 'Bad', indicatorIds: [999999] });
      assert.equal(res.status, 400);
      assert.match(res.body, /Choose indicators of this partnership/);

      const whole = (await api(t.app, viewer, 'GET', url(`/reviews/${review.id}`))).json<{
        periodText: string;
        priorities: { title: string; areas: { title: string }[] }[];
      }>();
      assert.equal(whole.periodText, '2018-21');
      assert.deepEqual(
        whole.priorities.map((x) => [x.title, x.areas.map((a) => a.title)]),
        [['Reducing anti-social behaviour', ['Fewer repeat calls']]],
      );
      assert.deepEqual(
        (await api(t.app, viewer, 'GET', url('/reviews'))).json<{ id: number }[]>().map((r) => r.id),
        [review.id],
      );

      // Two editors open the same review; the second save is refused, as on the page.
      const edit = { title: 'Annual review 2018-21 (final)', startYear: 2018, endYear: 2021, expectedUpdatedAt: review.updatedAt };
      assert.equal((await api(t.app, editor, 'PUT', url(`/reviews/${review.id}`), edit)).status, 200);
      res = await api(t.app, editor, 'PUT', url(`/reviews/${review.id}`), { ...edit, title: 'Stale' });
      assert.equal(res.status, 409);
      assert.match(res.body, /changed by someone else/);
      const pEdit = { title: 'Tackling anti-social behaviour', expectedUpdatedAt: priority.updatedAt };
      assert.equal((await api(t.app, editor, 'PUT', url(`/review-priorities/${priority.id}`), pEdit)).status, 200);
      assert.equal((await api(t.app, editor, 'PUT', url(`/review-priorities/${priority.id}`), pEdit)).status, 409);
      const aEdit = { title: 'Fewer repeat callers', indicatorIds: [], expectedUpdatedAt: area.updatedAt };
      assert.equal((await api(t.app, editor, 'PUT', url(`/review-areas/${area.id}`), aEdit)).status, 200);
      assert.equal((await api(t.app, editor, 'PUT', url(`/review-areas/${area.id}`), aEdit)).status, 409);

      // Another partnership's ids are not found, and its reviews are not listed.
      const elsewhere = `/api/v1/partnerships/${other.id}`;
      const otherEditor = (await createToken(t.k, await memberOf(t.k, other.id, 'editor'), 'other')).token;
      assert.equal((await api(t.app, otherEditor, 'GET', `${elsewhere}/reviews/${review.id}`)).status, 404);
      assert.equal((await api(t.app, otherEditor, 'PUT', `${elsewhere}/review-areas/${area.id}`, { title: 'Mine' })).status, 404);
      assert.deepEqual((await api(t.app, otherEditor, 'GET', `${elsewhere}/reviews`)).json(), []);

      assert.equal((await api(t.app, editor, 'DELETE', url(`/review-areas/${area.id}`))).status, 204);
      assert.equal((await api(t.app, editor, 'DELETE', url(`/review-priorities/${priority.id}`))).status, 204);
      assert.equal((await api(t.app, editor, 'DELETE', url(`/reviews/${review.id}`))).status, 204);
      assert.equal((await api(t.app, viewer, 'GET', url(`/reviews/${review.id}`))).status, 404);
      const audit = await listAudit(t.k, { partnershipId: p.id });
      for (const entity of ['review', 'review_priority', 'review_area'])
        assert.ok(
          ['create', 'update', 'delete'].every((action) => audit.events.some((e) => e.entity_type === entity && e.action === action)),
          `${entity} created, updated and deleted in the audit trail`,
        );
    });

    it('takes figures below zero for a score or money indicator and refuses them for a count, naming the row', async () => {
      const make = async (title: string, unit: string) =>
        await api(t.app, editor, 'POST', url('/indicators'), {
          title,
          unit,
          polarity: 'higher_is_better',
          frequency: 'annual',
          obaCategory: 'how_much',
          baselineValue: -2,
          baselinePeriod: '2018/19',
        });
      const score = await make('Net perception of safety', 'score');
      assert.equal(score.status, 201, score.body);
      assert.equal(score.json<{ baseline: { value: number } }>().baseline.value, -2);
      const count = await make('Thefts counted', 'count');
      assert.equal(count.status, 400);
      assert.match(count.body, /The baseline value must be a number of 0 or more.*is below zero/);
      const scoreId = score.json<{ id: number }>().id;
      const countId = (
        await api(t.app, editor, 'POST', url('/indicators'), {
          title: 'Thefts',
          unit: 'count',
          polarity: 'lower_is_better',
          frequency: 'annual',
          obaCategory: 'how_much',
        })
      ).json<{ id: number }>().id;
      let res = await api(t.app, editor, 'POST', url('/figures'), {
        figures: [
          { indicatorId: scoreId, period: '2019/20', value: -4.5 },
          { indicatorId: countId, period: '2019/20', value: -3 },
        ],
      });
      assert.equal(res.status, 400);
      assert.match(res.body, /row 2/i);
      assert.match(res.body, /only scores and money may be below zero/);
      assert.equal((await api(t.app, viewer, 'GET', url(`/indicators/${scoreId}/figures`))).json<unknown[]>().length, 0, 'all or nothing');
      res = await api(t.app, editor, 'POST', url('/figures'), { figures: [{ indicatorId: scoreId, period: '2019/20', value: -4.5 }] });
      assert.equal(res.status, 200, res.body);
      const figures = (await api(t.app, viewer, 'GET', url(`/indicators/${scoreId}/figures`))).json<
        { value: number; problem: string | null }[]
      >();
      assert.deepEqual(
        figures.map((f) => [f.value, f.problem]),
        [[-4.5, null]],
      );
      const perf = (await api(t.app, viewer, 'GET', url(`/indicators/${scoreId}/performance`))).json<{
        latest: { value: number; changeFromBaseline: number };
      }>();
      assert.deepEqual([perf.latest.value, perf.latest.changeFromBaseline], [-4.5, -2.5]);
    });

    it('asks for a kept Board pack with confidence intervals (issue 16), and without them by default', async () => {
      const withIntervals = await validateDocumentRequest(t.k, p.id, {
        kind: 'board_pack',
        format: 'pdf',
        quarter: '2019/20 Q4',
        intervals: true,
      });
      assert.deepEqual(withIntervals.params, { quarter: '2019-20 Q4', intervals: true });
      assert.equal(withIntervals.title, 'Quarterly performance report Q4 2019/20 with confidence intervals');
      const plain = await validateDocumentRequest(t.k, p.id, { kind: 'board_pack', format: 'pdf', quarter: '2019/20 Q4', intervals: 'no' });
      assert.deepEqual(plain.params, { quarter: '2019-20 Q4' });
    });

    it('lists each new operation in the OpenAPI document', async () => {
      const doc = JSON.parse((await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).body) as {
        paths: Record<string, Record<string, { summary?: string }>>;
      };
      const base = '/api/v1/partnerships/{partnershipId}';
      for (const [method, path] of [
        ['get', '/performance/settings'],
        ['put', '/performance/settings/amber-tolerance'],
        ['put', '/performance/settings/suppression-threshold'],
        ['get', '/assessment/area'],
        ['put', '/assessment/area'],
        ['get', '/reviews'],
        ['post', '/reviews'],
        ['get', '/reviews/{reviewId}'],
        ['put', '/reviews/{reviewId}'],
        ['delete', '/reviews/{reviewId}'],
        ['post', '/reviews/{reviewId}/priorities'],
        ['put', '/review-priorities/{reviewPriorityId}'],
        ['delete', '/review-priorities/{reviewPriorityId}'],
        ['post', '/review-priorities/{reviewPriorityId}/areas'],
        ['put', '/review-areas/{reviewAreaId}'],
        ['delete', '/review-areas/{reviewAreaId}'],
      ] as const)
        assert.ok(doc.paths[`${base}${path}`]?.[method]?.summary, `${method.toUpperCase()} ${path} in openapi.json`);
      assert.match(JSON.stringify(doc.paths[`${base}/indicators/{indicatorId}`]), /"isPublic"/);
    });
  });
}
