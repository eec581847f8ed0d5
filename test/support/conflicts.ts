/**
 * Everything CSP Hub saves with a conflict check (an `expectedUpdatedAt`, or a status that only one save may move
 * on), and the blind saves that must be serialised instead, one row each: how to open it as every racing writer
 * sees it, and how each writer saves it through the services, the JSON API and, for some, the form.
 * test/services/concurrentSaves.test.ts and test/web/concurrentSaves.test.ts race several writers on each row.
 * A new entity with a conflict check gets a row here.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/adapters/database/schema.ts';
import type { Actor } from '../../src/services/platform/audit.ts';
import { createOrganisation, getOrganisation, updateOrganisation } from '../../src/services/partnerships/organisations.ts';
import {
  approveVersion,
  createPlan,
  getVersion,
  publishVersion,
  updateVersionText,
  withdrawApproval,
} from '../../src/services/plans/plans.ts';
import { createPart, getPart, PART_KINDS, PART_PARAM, PART_SPECS, updatePart, type PartKind } from '../../src/services/plans/planParts.ts';
import { createIndicator, getIndicator, setAmberTolerance, updateIndicator } from '../../src/services/performance/indicators.ts';
import { createHighlightReport, getHighlightReport, updateHighlightReport } from '../../src/services/performance/highlightReports.ts';
import { currentCommentary, writeCommentary } from '../../src/services/performance/commentary.ts';
import { listSpcMarks, saveSpcMark } from '../../src/services/performance/spcMarks.ts';
import {
  createReview,
  createReviewArea,
  createReviewPriority,
  getReview,
  getReviewArea,
  getReviewPriority,
  updateReview,
  updateReviewArea,
  updateReviewPriority,
} from '../../src/services/plans/reviews.ts';
import { getMatrixSettings, saveMatrixSettings } from '../../src/services/assessment/assessmentMatrix.ts';
import { saveAssessmentArea } from '../../src/services/assessment/assessmentAreas.ts';
import { enterFigures } from '../../src/services/performance/figures.ts';
import { createPartnership } from '../../src/services/partnerships/partnerships.ts';
import { buildPlanFixture, validPartInput, type PlanIds } from './plans.ts';
import { createMeeting, getMeeting, saveMinutes, updateMeeting } from '../../src/services/meetings/meetings.ts';
import { createRecommendation, getRecommendation, respondToRecommendation } from '../../src/services/meetings/scrutiny.ts';
import { retireIndicator } from '../../src/services/performance/retirement.ts';
import { setCollectionSettings, setIndicatorCollection } from '../../src/services/cycle/owners.ts';
import { fillFromFingertips, type FillResult } from '../../src/services/evidence/areaSources.ts';
import { importFinished, startImport } from '../../src/services/evidence/officialImport.ts';
import { makeUser } from './app.ts';
import { addMembership } from '../../src/services/partnerships/members.ts';
import path from 'node:path';

/** What every writer in one race does; `n` tells the writers apart (each saves something different). */
export interface Writers {
  service(n: number): Promise<unknown>;
  api?: { method: 'PUT' | 'POST'; url: string; body(n: number): unknown };
  form?: { url: string; fields(n: number): Record<string, string> };
  /** Checks the database after the race, given how many writers succeeded. */
  after?(winners: number): Promise<void>;
}

export interface Contest {
  name: string;
  /** 'one': a conflict check, exactly one writer may win. 'all': serialised saves, each one after the other. */
  winners: 'one' | 'all';
  /** The app's ways in that the web test races on besides the services: the JSON API, the form. */
  via: ('api' | 'form')[];
  /** Reads (or makes) the thing as every racing writer sees it, just before the race. */
  open(ctx: ContestContext): Promise<Writers>;
}

export interface Fixture {
  plan: PlanIds;
  organisationId: number;
  indicatorId: number;
  highlightReportId: number;
  reviewId: number;
  reviewPriorityId: number;
  reviewAreaId: number;
}

export interface ContestContext {
  k: Kysely<Database>;
  actor: Actor;
  partnershipId: number;
  fixture: Fixture;
}

let counter = 0;
/** A tag no earlier race used, so names and labels never clash with an earlier winner's. */
const fresh = () => `${process.pid}-${++counter}`;

/** A partnership with one of each thing raced on. */
export async function buildFixture(k: Kysely<Database>, actor: Actor, partnershipId: number): Promise<Fixture> {
  const plan = await buildPlanFixture(k, partnershipId);
  const organisation = await createOrganisation(k, actor, partnershipId, { name: `Raced organisation ${fresh()}`, type: 'other' });
  const indicator = await createIndicator(k, actor, partnershipId, {
    code: `R${fresh()}`,
    title: 'Raced indicator',
    unit: 'count',
    polarity: 'monitor',
    frequency: 'quarterly',
    obaCategory: 'how_much',
  });
  await writeCommentary(k, actor, partnershipId, indicator.id, { period: '2019-20 Q1', text: 'First text' });
  const report = await createHighlightReport(k, actor, partnershipId, plan.priorityId!, { month: '2020-03', progress: 'First progress' });
  const review = await createReview(k, actor, partnershipId, { title: 'Raced review', startYear: 2018, endYear: 2021 });
  const rp = await createReviewPriority(k, actor, partnershipId, review.id, { title: 'Raced review priority' });
  const area = await createReviewArea(k, actor, partnershipId, rp.id, { title: 'Raced objective area' });
  await saveMatrixSettings(k, actor, partnershipId, matrixForm(0));
  return {
    plan,
    organisationId: organisation.id,
    indicatorId: indicator.id,
    highlightReportId: report.id,
    reviewId: review.id,
    reviewPriorityId: rp.id,
    reviewAreaId: area.id,
  };
}

function matrixForm(n: number): Record<string, string> {
  return { weightVolume: '30', weightTrend: '20', weightHarm: '40', weightConcern: String(n), volumeBasis: 'count', otherIssues: '' };
}

/** A plan version with one priority, approved (and published) when asked. */
async function versionIn(ctx: ContestContext, status: 'draft' | 'approved' | 'published'): Promise<number> {
  const { k, actor, partnershipId } = ctx;
  const { version } = await createPlan(k, actor, partnershipId, { title: `Raced plan ${fresh()}`, startYear: 2016, endYear: 2019 });
  await createPart(k, actor, partnershipId, 'priority', version.id, { title: 'A priority' });
  if (status !== 'draft')
    await approveVersion(k, actor, partnershipId, version.id, {
      approvedBy: 'The Board',
      approvedOn: '2016-03-24',
      meeting: 'Board meeting',
    });
  if (status === 'published') await publishVersion(k, actor, partnershipId, version.id);
  return version.id;
}

/** A meeting no earlier race wrote on, of a governance group made once per partnership. */
const groupOf = new WeakMap<object, Map<number, number>>();
async function freshMeeting(ctx: ContestContext) {
  const { k, actor, partnershipId, fixture } = ctx;
  const groups = groupOf.get(k) ?? new Map<number, number>();
  groupOf.set(k, groups);
  let groupId = groups.get(partnershipId);
  if (groupId === undefined) {
    groupId = (await createPart(k, actor, partnershipId, 'group', fixture.plan.versionId!, { name: `Raced group ${fresh()}` })).id;
    groups.set(partnershipId, groupId);
  }
  return createMeeting(k, actor, partnershipId, { groupId, date: '2026-03-12', time: '10:00' });
}

/** A monthly indicator no earlier race wrote on. */
async function freshIndicator(ctx: ContestContext) {
  return createIndicator(ctx.k, ctx.actor, ctx.partnershipId, {
    code: `M${fresh()}`,
    title: 'Raced monthly indicator',
    unit: 'count',
    polarity: 'monitor',
    frequency: 'monthly',
    obaCategory: 'how_much',
  });
}

/** Meetings, scrutiny, retirement and the collection cycle: the entities added with issues 14 and 18. */
const cycleContests: Contest[] = [
  {
    name: 'meeting details',
    winners: 'one',
    via: ['form'],
    async open(ctx) {
      const m = await freshMeeting(ctx);
      const seen = (await getMeeting(ctx.k, ctx.partnershipId, m.id)).updated_at;
      const body = (n: number) => ({ date: '2026-03-19', time: `1${n % 10}:00`, location: `Room ${n}`, expectedUpdatedAt: seen });
      return {
        service: (n) => updateMeeting(ctx.k, ctx.actor, ctx.partnershipId, m.id, body(n)),
        form: { url: `/partnerships/${ctx.partnershipId}/meetings/${m.id}/edit`, fields: body },
      };
    },
  },
  {
    name: 'meeting minutes',
    winners: 'one',
    via: ['form'],
    async open(ctx) {
      const m = await freshMeeting(ctx);
      const body = (n: number) => ({ minutes: `Minutes of writer ${n}`, expectedUpdatedAt: m.updated_at });
      return {
        service: (n) => saveMinutes(ctx.k, ctx.actor, ctx.partnershipId, m.id, body(n)),
        form: { url: `/partnerships/${ctx.partnershipId}/meetings/${m.id}/minutes`, fields: body },
      };
    },
  },
  {
    name: 'scrutiny response',
    winners: 'one',
    via: [],
    async open({ k, actor, partnershipId }) {
      const rec = await createRecommendation(k, actor, partnershipId, {
        committee: 'Raced scrutiny panel',
        receivedOn: '2025-11-12',
        recommendation: `Recommendation ${fresh()}`,
      });
      const seen = (await getRecommendation(k, partnershipId, rec.id)).updated_at;
      const body = (n: number) => ({
        responseStatus: 'accepted',
        response: `Response ${n}`,
        respondedOn: '2025-12-01',
        expectedUpdatedAt: seen,
      });
      return { service: (n) => respondToRecommendation(k, actor, partnershipId, rec.id, body(n)) };
    },
  },
  {
    name: 'retirement of an indicator',
    winners: 'one',
    via: [],
    async open(ctx) {
      const i = await freshIndicator(ctx);
      const body = (n: number) => ({ endPeriod: '2020-03', reason: `Reason ${n}`, expectedUpdatedAt: i.updated_at });
      return { service: (n) => retireIndicator(ctx.k, ctx.actor, ctx.partnershipId, i.id, body(n)) };
    },
  },
  {
    name: "indicator's owner and collection schedule",
    winners: 'one',
    via: [],
    async open(ctx) {
      const i = await freshIndicator(ctx);
      const body = (n: number) => ({ dueWorkingDays: String(n + 1), collectFrom: '2025-04', expectedUpdatedAt: i.updated_at });
      return { service: (n) => setIndicatorCollection(ctx.k, ctx.actor, ctx.partnershipId, i.id, body(n)) };
    },
  },
  {
    name: 'partnership collection settings (no conflict check: serialised, the last one kept)',
    winners: 'all',
    via: [],
    async open({ k, actor, partnershipId }) {
      return { service: (n) => setCollectionSettings(k, actor, partnershipId, { dueWorkingDays: String(n + 5) }) };
    },
  },
];

/** A period of a quarterly indicator that no earlier race wrote on. */
function freshQuarter(): string {
  const year = 1990 + (++counter % 60);
  return `${year}-${String((year + 1) % 100).padStart(2, '0')} Q${1 + (counter % 4)}`;
}

const partContests: Contest[] = PART_KINDS.map((kind: PartKind) => ({
  name: `plan part: ${PART_SPECS[kind].noun}`,
  winners: 'one',
  via: kind === 'priority' ? ['api', 'form'] : ['api'],
  async open({ k, actor, partnershipId, fixture }) {
    const id = fixture.plan[PART_PARAM[kind]]!;
    const seen = (await getPart(k, partnershipId, kind, id)).updated_at;
    const body = () => ({ ...validPartInput(kind), expectedUpdatedAt: seen });
    return {
      service: () => updatePart(k, actor, partnershipId, kind, id, body()),
      api: { method: 'PUT', url: `/api/v1/partnerships/${partnershipId}/${PART_SPECS[kind].segment}/${id}`, body },
      form:
        kind === 'priority'
          ? {
              url: `/partnerships/${partnershipId}/priorities/${id}/edit`,
              fields: (n) => ({ title: `Writer ${n}`, expectedUpdatedAt: seen }),
            }
          : undefined,
    };
  },
}));

export const CONTESTS: Contest[] = [
  {
    name: 'organisation',
    winners: 'one',
    via: ['api', 'form'],
    async open({ k, actor, partnershipId, fixture }) {
      const id = fixture.organisationId;
      const seen = (await getOrganisation(k, partnershipId, id)).updated_at;
      const tag = fresh();
      const body = (n: number) => ({
        name: `Organisation ${tag} writer ${n}`,
        type: 'other',
        description: `Saved by writer ${n}`,
        expectedUpdatedAt: seen,
      });
      return {
        service: (n) => updateOrganisation(k, actor, partnershipId, id, body(n)),
        api: { method: 'PUT', url: `/api/v1/partnerships/${partnershipId}/organisations/${id}`, body },
        form: { url: `/partnerships/${partnershipId}/organisations/${id}/edit`, fields: body },
      };
    },
  },
  {
    name: 'plan version text',
    winners: 'one',
    via: ['api'],
    async open({ k, actor, partnershipId, fixture }) {
      const id = fixture.plan.versionId!;
      const seen = (await getVersion(k, partnershipId, id)).updated_at;
      const tag = fresh();
      const body = (n: number) => ({ label: `Version ${tag}-${n}`, vision: `Vision of writer ${n}`, expectedUpdatedAt: seen });
      return {
        service: (n) => updateVersionText(k, actor, partnershipId, id, body(n)),
        api: { method: 'PUT', url: `/api/v1/partnerships/${partnershipId}/plan-versions/${id}`, body },
      };
    },
  },
  ...partContests,
  {
    name: 'plan approval',
    winners: 'one',
    via: ['api'],
    async open(ctx) {
      const id = await versionIn(ctx, 'draft');
      const body = (n: number) => ({ approvedBy: `Board chair ${n}`, approvedOn: '2016-03-24', meeting: `Meeting ${n}` });
      return {
        service: (n) => approveVersion(ctx.k, ctx.actor, ctx.partnershipId, id, body(n)),
        api: { method: 'POST', url: `/api/v1/partnerships/${ctx.partnershipId}/plan-versions/${id}/approve`, body },
      };
    },
  },
  {
    name: 'plan publication',
    winners: 'one',
    via: ['api'],
    async open(ctx) {
      const id = await versionIn(ctx, 'approved');
      return {
        service: () => publishVersion(ctx.k, ctx.actor, ctx.partnershipId, id),
        api: { method: 'POST', url: `/api/v1/partnerships/${ctx.partnershipId}/plan-versions/${id}/publish`, body: () => undefined },
      };
    },
  },
  {
    name: 'withdrawal of a plan approval',
    winners: 'one',
    via: ['api'],
    async open(ctx) {
      const id = await versionIn(ctx, 'published');
      const seen = (await getVersion(ctx.k, ctx.partnershipId, id)).updated_at;
      const body = (n: number) => ({ reason: `Reason of writer ${n}`, expectedUpdatedAt: seen });
      return {
        service: (n) => withdrawApproval(ctx.k, ctx.actor, ctx.partnershipId, id, body(n)),
        api: { method: 'POST', url: `/api/v1/partnerships/${ctx.partnershipId}/plan-versions/${id}/withdraw`, body },
      };
    },
  },
  {
    name: 'indicator',
    winners: 'one',
    via: ['api'],
    async open({ k, actor, partnershipId, fixture }) {
      const id = fixture.indicatorId;
      const before = await getIndicator(k, partnershipId, id);
      const body = (n: number) => ({
        code: before.code,
        title: `Indicator of writer ${n}`,
        unit: 'count',
        polarity: 'monitor',
        frequency: 'quarterly',
        obaCategory: 'how_much',
        expectedUpdatedAt: before.updated_at,
      });
      return {
        service: (n) => updateIndicator(k, actor, partnershipId, id, body(n)),
        api: { method: 'PUT', url: `/api/v1/partnerships/${partnershipId}/indicators/${id}`, body },
      };
    },
  },
  {
    name: 'highlight report',
    winners: 'one',
    via: ['api'],
    async open({ k, actor, partnershipId, fixture }) {
      const id = fixture.highlightReportId;
      const seen = (await getHighlightReport(k, partnershipId, id)).updated_at;
      const body = (n: number) => ({ month: '2020-03', progress: `Progress of writer ${n}`, expectedUpdatedAt: seen });
      return {
        service: (n) => updateHighlightReport(k, actor, partnershipId, id, body(n)),
        api: { method: 'PUT', url: `/api/v1/partnerships/${partnershipId}/highlight-reports/${id}`, body },
      };
    },
  },
  {
    name: 'XmR change date',
    winners: 'one',
    via: ['form'],
    async open({ k, actor, partnershipId, fixture }) {
      const id = fixture.indicatorId;
      const period = '2019-20 Q2';
      const existing = (await listSpcMarks(k, partnershipId, id)).find((m) => m.kind === 'phase' && m.period === period);
      const seen = (existing ?? (await saveSpcMark(k, actor, partnershipId, id, { kind: 'phase', period, reason: 'First reason' })))
        .updated_at;
      const fields = (n: number) => ({ kind: 'phase', period, reason: `Reason of writer ${n}`, expectedUpdatedAt: seen });
      return {
        service: (n) => saveSpcMark(k, actor, partnershipId, id, fields(n)),
        form: { url: `/partnerships/${partnershipId}/indicators/${id}/spc`, fields },
      };
    },
  },
  {
    name: 'commentary revision',
    winners: 'one',
    via: ['api'],
    async open({ k, actor, partnershipId, fixture }) {
      const id = fixture.indicatorId;
      const seen = (await currentCommentary(k, partnershipId, id, '2019-20 Q1'))!.written_at;
      const body = (n: number) => ({ period: '2019-20 Q1', text: `Commentary of writer ${n}`, expectedUpdatedAt: seen });
      return {
        service: (n) => writeCommentary(k, actor, partnershipId, id, body(n)),
        api: { method: 'POST', url: `/api/v1/partnerships/${partnershipId}/indicators/${id}/commentary`, body },
        after: async () => {
          const current = await k
            .selectFrom('indicator_commentary')
            .select('id')
            .where('indicator_id', '=', id)
            .where('period', '=', '2019-20 Q1')
            .where('superseded_at', 'is', null)
            .execute();
          if (current.length !== 1) throw new Error(`${current.length} current commentaries`);
        },
      };
    },
  },
  {
    name: 'first commentary on a period',
    winners: 'one',
    via: ['api'],
    async open({ k, actor, partnershipId, fixture }) {
      const id = fixture.indicatorId;
      const period = freshQuarter();
      const body = (n: number) => ({ period, text: `First commentary of writer ${n}`, expectedUpdatedAt: '' });
      return {
        service: (n) => writeCommentary(k, actor, partnershipId, id, body(n)),
        api: { method: 'POST', url: `/api/v1/partnerships/${partnershipId}/indicators/${id}/commentary`, body },
      };
    },
  },
  {
    name: 'review',
    winners: 'one',
    via: ['api', 'form'],
    async open({ k, actor, partnershipId, fixture }) {
      const id = fixture.reviewId;
      const seen = (await getReview(k, partnershipId, id)).updated_at;
      const fields = (n: number) => ({ title: `Review of writer ${n}`, startYear: '2018', endYear: '2021', expectedUpdatedAt: seen });
      return {
        service: (n) => updateReview(k, actor, partnershipId, id, fields(n)),
        api: {
          method: 'PUT',
          url: `/api/v1/partnerships/${partnershipId}/reviews/${id}`,
          body: (n) => ({ title: `Review of writer ${n}`, startYear: 2018, endYear: 2021, expectedUpdatedAt: seen }),
        },
        form: { url: `/partnerships/${partnershipId}/reviews/${id}/edit`, fields },
      };
    },
  },
  {
    name: 'review priority',
    winners: 'one',
    via: ['api', 'form'],
    async open({ k, actor, partnershipId, fixture }) {
      const id = fixture.reviewPriorityId;
      const seen = (await getReviewPriority(k, partnershipId, id)).updated_at;
      const fields = (n: number) => ({ title: `Review priority of writer ${n}`, expectedUpdatedAt: seen });
      return {
        service: (n) => updateReviewPriority(k, actor, partnershipId, id, fields(n)),
        api: { method: 'PUT', url: `/api/v1/partnerships/${partnershipId}/review-priorities/${id}`, body: fields },
        form: { url: `/partnerships/${partnershipId}/review-priorities/${id}/edit`, fields },
      };
    },
  },
  {
    name: 'review objective area',
    winners: 'one',
    via: ['api', 'form'],
    async open({ k, actor, partnershipId, fixture }) {
      const id = fixture.reviewAreaId;
      const seen = (await getReviewArea(k, partnershipId, id)).updated_at;
      const fields = (n: number) => ({ title: `Objective area of writer ${n}`, expectedUpdatedAt: seen });
      return {
        service: (n) => updateReviewArea(k, actor, partnershipId, id, fields(n)),
        api: { method: 'PUT', url: `/api/v1/partnerships/${partnershipId}/review-areas/${id}`, body: fields },
        form: { url: `/partnerships/${partnershipId}/review-areas/${id}/edit`, fields },
      };
    },
  },
  {
    name: 'assessment matrix settings',
    winners: 'one',
    via: ['api'],
    async open({ k, actor, partnershipId }) {
      const seen = (await getMatrixSettings(k, partnershipId)).updatedAt!;
      return {
        service: (n) => saveMatrixSettings(k, actor, partnershipId, { ...matrixForm(n), expectedUpdatedAt: seen }),
        api: {
          method: 'PUT',
          url: `/api/v1/partnerships/${partnershipId}/assessment/matrix/settings`,
          body: (n) => ({ weights: { volume: 30, trend: 20, harm: 40, concern: n }, volumeBasis: 'count', expectedUpdatedAt: seen }),
        },
      };
    },
  },
  {
    name: 'revision of one figure (no conflict check: each revision is kept)',
    winners: 'all',
    via: ['api'],
    async open({ k, actor, partnershipId, fixture }) {
      const id = fixture.indicatorId;
      const period = freshQuarter();
      const count = async (current: boolean) => {
        let q = k.selectFrom('figures').select('id').where('indicator_id', '=', id).where('period', '=', period);
        if (current) q = q.where('superseded_at', 'is', null);
        return (await q.execute()).length;
      };
      return {
        service: (n) => enterFigures(k, actor, partnershipId, [{ indicatorId: id, period, value: String(100 + n) }]),
        api: {
          method: 'POST',
          url: `/api/v1/partnerships/${partnershipId}/figures`,
          body: (n) => ({ figures: [{ indicatorId: id, period, value: 100 + n }] }),
        },
        after: async (winners) => {
          if ((await count(true)) !== 1) throw new Error(`${await count(true)} current figures for ${period}`);
          if ((await count(false)) !== winners)
            throw new Error(`${await count(false)} figures kept for ${period}, expected one per save (${winners})`);
        },
      };
    },
  },
  {
    name: 'commentary written regardless (no expectedUpdatedAt: each revision is kept)',
    winners: 'all',
    via: ['api'],
    async open({ k, actor, partnershipId, fixture }) {
      const id = fixture.indicatorId;
      const period = freshQuarter();
      const body = (n: number) => ({ period, text: `Commentary of writer ${n}` });
      return {
        service: (n) => writeCommentary(k, actor, partnershipId, id, body(n)),
        api: { method: 'POST', url: `/api/v1/partnerships/${partnershipId}/indicators/${id}/commentary`, body },
        after: async (winners) => {
          const rows = await k
            .selectFrom('indicator_commentary')
            .select(['superseded_at'])
            .where('indicator_id', '=', id)
            .where('period', '=', period)
            .execute();
          if (rows.filter((r) => r.superseded_at === null).length !== 1 || rows.length !== winners)
            throw new Error(`${rows.length} commentaries, ${rows.filter((r) => r.superseded_at === null).length} current`);
        },
      };
    },
  },
  {
    name: 'first save of settings kept one per partnership (matrix, amber tolerance, assessment area)',
    winners: 'all',
    via: [],
    async open({ k, actor }) {
      const p = await createPartnership(k, actor, null, { name: `Settings race ${fresh()}` });
      return {
        service: async (n) => {
          await saveMatrixSettings(k, actor, p.id, matrixForm(n));
          await setAmberTolerance(k, actor, p.id, String(n));
          await saveAssessmentArea(k, actor, p.id, { localAuthorities: `Authority ${n}` });
        },
        after: async () => {
          for (const table of ['assessment_matrix_settings', 'performance_settings', 'assessment_areas'] as const) {
            const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where partnership_id = ${p.id}`.execute(
              k,
            );
            if (Number(rows[0]!.n) !== 1) throw new Error(`${rows[0]!.n} rows in ${table}`);
          }
        },
      };
    },
  },
  ...cycleContests,
  ...ownerAndFillContests(),
];

/** Once per database and partnership: `make` run the first time, its promise kept for the later races. */
function oncePer<T>(make: (ctx: ContestContext) => Promise<T>): (ctx: ContestContext) => Promise<T> {
  const made = new WeakMap<object, Map<number, Promise<T>>>();
  return (ctx) => {
    const byPartnership = made.get(ctx.k) ?? new Map<number, Promise<T>>();
    made.set(ctx.k, byPartnership);
    if (!byPartnership.has(ctx.partnershipId)) byPartnership.set(ctx.partnershipId, make(ctx));
    return byPartnership.get(ctx.partnershipId)!;
  };
}

/** Eight members, each working for an organisation of their own: the owners the risk-owner writers choose. */
const ownerMembers = oncePer(async ({ k, actor, partnershipId }) => {
  const members: { userId: number; organisationId: number }[] = [];
  for (let n = 0; n < 8; n++) {
    const user = await makeUser(k);
    await addMembership(k, actor, partnershipId, user, 'editor');
    const org = await createOrganisation(k, actor, partnershipId, { name: `Owner organisation ${fresh()}`, type: 'other' });
    members.push({ userId: user.id, organisationId: org.id });
  }
  await setCollectionSettings(k, actor, partnershipId, {
    dueWorkingDays: '10',
    organisations: Object.fromEntries(members.map((m) => [String(m.userId), String(m.organisationId)])),
  });
  return members;
});

/** The OHID Fingertips 11201 fixture imported (national data) and the partnership's area set to Rotherham. */
const fingertipsArea = oncePer(async ({ k, actor, partnershipId }) => {
  const file = path.join(import.meta.dirname, '..', 'fixtures', 'official', 'fingertips-11201.csv');
  const id = await startImport(k, actor, { kind: 'fingertips', filePath: file, fileName: 'fingertips-11201.csv' });
  await importFinished(id);
  const status = (await k.selectFrom('official_data_imports').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  if (status !== 'done') throw new Error(`The Fingertips fixture import ended ${status}`);
  await saveAssessmentArea(k, actor, partnershipId, { localAuthorities: 'Rotherham' });
});

/** A risk's owner (a member, and their organisation by default) and the Fingertips fill of an indicator's figures. */
function ownerAndFillContests(): Contest[] {
  return [
    {
      name: "risk's owner (a member, the organisation theirs by default)",
      winners: 'one',
      via: [],
      async open(ctx) {
        const { k, actor, partnershipId, fixture } = ctx;
        const members = await ownerMembers(ctx);
        const risk = await createPart(k, actor, partnershipId, 'risk', fixture.plan.priorityId!, validPartInput('risk'));
        const auditsBefore = await auditCount(k, 'risk', risk.id);
        return {
          service: (n) =>
            updatePart(k, actor, partnershipId, 'risk', risk.id, {
              ...validPartInput('risk'),
              ownerUserId: String(members[n % members.length]!.userId),
              ownerOrganisationId: '',
              expectedUpdatedAt: risk.updated_at,
            }),
          after: async (winners) => {
            const row = await k
              .selectFrom('risks')
              .select(['owner_user_id', 'owner_organisation_id'])
              .where('id', '=', risk.id)
              .executeTakeFirstOrThrow();
            const owner = members.find((m) => m.userId === row.owner_user_id);
            // One writer's owner with that same writer's organisation: never one writer's owner and another's organisation.
            if (!owner || row.owner_organisation_id !== owner.organisationId)
              throw new Error(`owner ${row.owner_user_id} with organisation ${row.owner_organisation_id}`);
            const audits = (await auditCount(k, 'risk', risk.id)) - auditsBefore;
            if (audits !== winners) throw new Error(`${audits} audit events for ${winners} saves`);
          },
        };
      },
    },
    {
      name: 'Fingertips fill of an annual indicator (no conflict check: serialised, the second and later change nothing)',
      winners: 'all',
      via: [],
      async open(ctx) {
        const { k, actor, partnershipId } = ctx;
        await fingertipsArea(ctx);
        const indicator = await createIndicator(k, actor, partnershipId, {
          code: `F${fresh()}`,
          title: 'Raced Fingertips fill',
          unit: 'rate_per_100000',
          polarity: 'lower_is_better',
          frequency: 'annual',
          obaCategory: 'how_well',
        });
        const results: FillResult[] = [];
        return {
          service: async () => {
            const r = await fillFromFingertips(k, actor, partnershipId, { indicatorId: indicator.id, fingertipsIndicatorId: 11201 });
            results.push(r);
            return r;
          },
          after: async (winners) => {
            const figures = await k
              .selectFrom('figures')
              .select(['period', 'superseded_at'])
              .where('indicator_id', '=', indicator.id)
              .execute();
            const periods = new Set(figures.map((f) => f.period));
            // Each year entered once by the first fill; every later fill found it equal and wrote nothing.
            if (figures.length === 0 || figures.length !== periods.size || figures.some((f) => f.superseded_at !== null))
              throw new Error(`${figures.length} figures for ${periods.size} years`);
            const created = results.reduce((n, r) => n + r.created, 0);
            const unchanged = results.reduce((n, r) => n + r.unchanged, 0);
            if (created !== periods.size || unchanged !== periods.size * (winners - 1) || results.some((r) => r.revised !== 0))
              throw new Error(`created ${created}, unchanged ${unchanged} over ${winners} fills of ${periods.size} years`);
            // Each fill's own record is written with its figures: one per fill.
            const fills = await k
              .selectFrom('audit_events')
              .select('summary')
              .where('entity_type', '=', 'indicator')
              .where('entity_id', '=', String(indicator.id))
              .where('summary', 'like', 'Filled %')
              .execute();
            if (fills.length !== winners) throw new Error(`${fills.length} fill records for ${winners} fills`);
          },
        };
      },
    },
  ];
}

async function auditCount(k: Kysely<Database>, entityType: string, entityId: number): Promise<number> {
  const rows = await k
    .selectFrom('audit_events')
    .select('id')
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', String(entityId))
    .execute();
  return rows.length;
}
