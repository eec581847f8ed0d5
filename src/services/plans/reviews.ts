/**
 * Annual reviews of a plan: for a span of financial years (and, when made from a plan version, that version's
 * priorities and objectives as the starting outline), per priority a narrative of what was done and its key
 * outputs, and per objective area a narrative and the indicators chosen to show progress. Editors write them;
 * src/presentation/documents/annualReview.ts turns one into a page, a PDF and a Word document with the figures.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, Review, ReviewArea, ReviewPriority } from '../../adapters/database/schema.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { updatePartnershipRow } from '../platform/conflictCheckedUpdate.ts';
import { nowIso } from '../../adapters/clock.ts';
import { NotFoundError, ValidationError, Validator } from '../../domain/errors.ts';
import { periodLabel } from './plans.ts';
import { planName } from '../../domain/planNames.ts';

export interface ReviewInput {
  title?: unknown;
  startYear?: unknown;
  endYear?: unknown;
  /** A plan version whose priorities and objectives become the review's outline (creation only). */
  planVersionId?: unknown;
  introduction?: unknown;
  expectedUpdatedAt?: unknown;
}

export interface ReviewPriorityInput {
  title?: unknown;
  narrative?: unknown;
  /** One key output per line (a string), or a list. */
  keyOutputs?: unknown;
  expectedUpdatedAt?: unknown;
}

export interface ReviewAreaInput {
  title?: unknown;
  narrative?: unknown;
  /** Indicator ids: one (a form with one box ticked), several, or none. */
  indicatorIds?: unknown;
  expectedUpdatedAt?: unknown;
}

export interface ReviewAreaWithIndicators extends ReviewArea {
  indicatorIds: number[];
}

export interface ReviewPriorityWithAreas extends ReviewPriority {
  keyOutputs: string[];
  areas: ReviewAreaWithIndicators[];
}

export interface ReviewWithContent {
  review: Review;
  /** '2018-21' */
  periodText: string;
  /** The plan version it was made from, in words, or null. */
  planText: string | null;
  priorities: ReviewPriorityWithAreas[];
}

const MAX_TEXT = 20_000;
const MAX_OUTPUTS = 40;
const MAX_INDICATORS = 20;

function year(v: Validator, field: string, raw: unknown, label: string): number {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (text === '') {
    v.add(field, `Enter ${label}`);
    return 0;
  }
  const n = /^\d{4}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1998 || n > 2100) {
    v.add(field, `${label.charAt(0).toUpperCase()}${label.slice(1)} must be a year between 1998 and 2100, like 2018`);
    return 0;
  }
  return n;
}

/** Key outputs from a textarea (one a line, leading bullets dropped) or a list. */
export function parseKeyOutputs(raw: unknown): string[] {
  const lines = Array.isArray(raw) ? raw.map((x) => (typeof x === 'string' ? x : '')) : typeof raw === 'string' ? raw.split(/\r?\n/) : [];
  return lines.map((l) => l.replace(/^\s*(?:[-*•]\s+)?/, '').trim()).filter((l) => l !== '');
}

export function keyOutputsOf(row: Pick<ReviewPriority, 'key_outputs'>): string[] {
  return parseKeyOutputs(row.key_outputs);
}

export function indicatorIdsOf(row: Pick<ReviewArea, 'indicator_ids_json'>): number[] {
  try {
    const ids = JSON.parse(row.indicator_ids_json) as unknown;
    return Array.isArray(ids) ? ids.filter((x): x is number => Number.isInteger(x)) : [];
  } catch {
    return [];
  }
}

const conflictMessage = (what: string) =>
  `${what} was changed by someone else after you opened it. Their version is shown; make your changes again.`;

function validateReview(input: ReviewInput) {
  const v = new Validator();
  const title = v.text('title', input.title, 'the title of the review', { max: 200 });
  const startYear = year(v, 'startYear', input.startYear, 'the first year');
  const endYear = year(v, 'endYear', input.endYear, 'the last year');
  if (startYear && endYear && (endYear <= startYear || endYear - startYear > 5))
    v.add('endYear', 'The review must cover 1 to 5 years: the last year comes 1 to 5 years after the first, like 2018 to 2021');
  const introduction = v.text('introduction', input.introduction ?? '', 'an introduction', { required: false, max: MAX_TEXT });
  return { v, values: { title, start_year: startYear, end_year: endYear, introduction } };
}

function validatePriority(input: ReviewPriorityInput) {
  const v = new Validator();
  const title = v.text('title', input.title, 'the priority', { max: 300 });
  const narrative = v.text('narrative', input.narrative ?? '', 'what was done', { required: false, max: MAX_TEXT });
  const outputs = parseKeyOutputs(input.keyOutputs);
  if (outputs.length > MAX_OUTPUTS) v.add('keyOutputs', `Enter ${MAX_OUTPUTS} key outputs or fewer`);
  const long = outputs.findIndex((o) => o.length > 1000);
  if (long >= 0) v.add('keyOutputs', `Key output ${long + 1} must be 1,000 characters or fewer`);
  v.throwIfAny();
  return { title, narrative, key_outputs: outputs.join('\n') };
}

/** The indicators asked for, each of which must be the partnership's own (national catalogue entries have no figures). */
async function validateIndicatorIds(db: Kysely<Database>, partnershipId: number, raw: unknown, v: Validator): Promise<number[]> {
  const list = raw === undefined || raw === null || raw === '' ? [] : Array.isArray(raw) ? raw : [raw];
  const ids: number[] = [];
  for (const x of list) {
    const n = typeof x === 'number' ? x : typeof x === 'string' && /^\d{1,15}$/.test(x.trim()) ? Number(x) : NaN;
    if (!Number.isSafeInteger(n) || n <= 0) {
      v.add('indicatorIds', 'Choose indicators from the list');
      return [];
    }
    if (!ids.includes(n)) ids.push(n);
  }
  if (ids.length > MAX_INDICATORS) {
    v.add('indicatorIds', `Choose ${MAX_INDICATORS} indicators or fewer`);
    return [];
  }
  if (ids.length === 0) return [];
  const found = await db.selectFrom('indicators').select('id').where('partnership_id', '=', partnershipId).where('id', 'in', ids).execute();
  if (found.length !== ids.length) v.add('indicatorIds', 'Choose indicators of this partnership from the list');
  return ids;
}

async function validateArea(db: Kysely<Database>, partnershipId: number, input: ReviewAreaInput) {
  const v = new Validator();
  const title = v.text('title', input.title, 'the objective area', { max: 300 });
  const narrative = v.text('narrative', input.narrative ?? '', 'what was done', { required: false, max: MAX_TEXT });
  const ids = await validateIndicatorIds(db, partnershipId, input.indicatorIds, v);
  v.throwIfAny();
  return { title, narrative, indicator_ids_json: JSON.stringify(ids) };
}

// ---------- Reviews ----------

export async function listReviews(db: Kysely<Database>, partnershipId: number): Promise<Review[]> {
  return db
    .selectFrom('reviews')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .orderBy('start_year', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** A review only if it belongs to the partnership: the tenant boundary of every review route. */
export async function getReview(db: Kysely<Database>, partnershipId: number, id: number): Promise<Review> {
  const r = await db.selectFrom('reviews').selectAll().where('partnership_id', '=', partnershipId).where('id', '=', id).executeTakeFirst();
  if (!r) throw new NotFoundError('Review');
  return r;
}

/** The plan version a new review starts from: one of the partnership's, or none. */
async function reviewPlanVersion(db: Kysely<Database>, v: Validator, partnershipId: number, raw: unknown): Promise<number | null> {
  let versionId: number | null = null;
  const rawVersion = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (rawVersion !== '') {
    const version = /^\d{1,15}$/.test(rawVersion)
      ? await db
          .selectFrom('plan_versions')
          .select('id')
          .where('partnership_id', '=', partnershipId)
          .where('id', '=', Number(rawVersion))
          .executeTakeFirst()
      : undefined;
    if (!version) v.add('planVersionId', 'Choose a plan version of this partnership, or none');
    else versionId = version.id;
  }
  return versionId;
}

/** Copies a plan version's priorities and objectives into a new review, each area with its objective's indicators; returns how many priorities. */
async function copyPlanPriorities(
  trx: Transaction<Database>,
  partnershipId: number,
  reviewId: number,
  versionId: number,
  now: string,
): Promise<number> {
  let copied = 0;
  const priorities = await trx
    .selectFrom('priorities')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('plan_version_id', '=', versionId)
    .orderBy('position')
    .orderBy('id')
    .execute();
  const objectives = priorities.length
    ? await trx
        .selectFrom('objectives')
        .selectAll()
        .where('partnership_id', '=', partnershipId)
        .where(
          'priority_id',
          'in',
          priorities.map((p) => p.id),
        )
        .orderBy('position')
        .orderBy('id')
        .execute()
    : [];
  const links = objectives.length
    ? await trx
        .selectFrom('indicator_links')
        .select(['indicator_id', 'objective_id'])
        .where('partnership_id', '=', partnershipId)
        .where(
          'objective_id',
          'in',
          objectives.map((o) => o.id),
        )
        .orderBy('id')
        .execute()
    : [];
  for (const [i, p] of priorities.entries()) {
    const rp = await trx
      .insertInto('review_priorities')
      .values({
        review_id: reviewId,
        partnership_id: partnershipId,
        position: i + 1,
        title: p.title,
        narrative: '',
        key_outputs: '',
        priority_id: p.id,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    copied += 1;
    for (const [j, o] of objectives.filter((x) => x.priority_id === p.id).entries()) {
      const ids = [...new Set(links.filter((l) => l.objective_id === o.id).map((l) => l.indicator_id))];
      await trx
        .insertInto('review_areas')
        .values({
          review_priority_id: rp.id,
          review_id: reviewId,
          partnership_id: partnershipId,
          position: j + 1,
          title: o.title,
          narrative: '',
          indicator_ids_json: JSON.stringify(ids),
          objective_id: o.id,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
  }
  return copied;
}

/**
 * Creates a review. Given a plan version of the partnership, its priorities and objectives become the review's
 * priorities and objective areas, each area with the indicators linked to its objective.
 */
export async function createReview(db: Kysely<Database>, actor: Actor, partnershipId: number, input: ReviewInput): Promise<Review> {
  const { v, values } = validateReview(input);
  const versionId = await reviewPlanVersion(db, v, partnershipId, input.planVersionId);
  v.throwIfAny();
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const review = await trx
      .insertInto('reviews')
      .values({ partnership_id: partnershipId, ...values, plan_version_id: versionId, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const copied = versionId === null ? 0 : await copyPlanPriorities(trx, partnershipId, review.id, versionId, now);
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'review',
      entityId: review.id,
      summary: `Created review ${review.title} (${periodLabel(review.start_year, review.end_year)})${copied ? ` with the ${copied} priorities of the plan` : ''}`,
      after: review,
    });
    return review;
  });
}

export async function updateReview(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  id: number,
  input: ReviewInput,
): Promise<Review> {
  await getReview(db, partnershipId, id); // not found before invalid
  const { v, values } = validateReview(input);
  v.throwIfAny();
  return updatePartnershipRow(db, actor, {
    table: 'reviews',
    partnershipId,
    id,
    read: (trx) => getReview(trx, partnershipId, id),
    expectedUpdatedAt: input.expectedUpdatedAt,
    conflictMessage: (before) => conflictMessage(`The review ${before.title}`),
    values: () => values,
    entityType: 'review',
    summary: (_before, after) => `Updated review ${after.title}`,
  });
}

export async function deleteReview(db: Kysely<Database>, actor: Actor, partnershipId: number, id: number): Promise<Review> {
  return db.transaction().execute(async (trx) => {
    const before = await getReview(trx, partnershipId, id);
    await trx.deleteFrom('reviews').where('id', '=', id).where('partnership_id', '=', partnershipId).execute();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'delete',
      entityType: 'review',
      entityId: id,
      summary: `Deleted review ${before.title}`,
      before,
    });
    return before;
  });
}

// ---------- Priorities of a review ----------

export async function getReviewPriority(db: Kysely<Database>, partnershipId: number, id: number): Promise<ReviewPriority> {
  const r = await db
    .selectFrom('review_priorities')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) throw new NotFoundError('Review priority');
  return r;
}

export async function createReviewPriority(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  reviewId: number,
  input: ReviewPriorityInput,
): Promise<ReviewPriority> {
  await getReview(db, partnershipId, reviewId);
  const values = validatePriority(input);
  return db.transaction().execute(async (trx) => {
    const review = await getReview(trx, partnershipId, reviewId);
    const max = await trx
      .selectFrom('review_priorities')
      .select((eb) => eb.fn.max('position').as('max'))
      .where('review_id', '=', reviewId)
      .executeTakeFirst();
    const now = nowIso();
    const row = await trx
      .insertInto('review_priorities')
      .values({
        review_id: reviewId,
        partnership_id: partnershipId,
        position: Number(max?.max ?? 0) + 1,
        ...values,
        priority_id: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'review_priority',
      entityId: row.id,
      summary: `Added priority "${row.title}" to review ${review.title}`,
      after: row,
    });
    return row;
  });
}

export async function updateReviewPriority(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  id: number,
  input: ReviewPriorityInput,
): Promise<ReviewPriority> {
  await getReviewPriority(db, partnershipId, id);
  const values = validatePriority(input);
  return updatePartnershipRow(db, actor, {
    table: 'review_priorities',
    partnershipId,
    id,
    read: (trx) => getReviewPriority(trx, partnershipId, id),
    expectedUpdatedAt: input.expectedUpdatedAt,
    conflictMessage: (before) => conflictMessage(`The priority ${before.title}`),
    values: () => values,
    entityType: 'review_priority',
    summary: (_before, after) => `Updated review priority "${after.title}"`,
  });
}

export async function deleteReviewPriority(db: Kysely<Database>, actor: Actor, partnershipId: number, id: number): Promise<ReviewPriority> {
  return db.transaction().execute(async (trx) => {
    const before = await getReviewPriority(trx, partnershipId, id);
    const areas = await trx.selectFrom('review_areas').selectAll().where('review_priority_id', '=', id).execute();
    await trx.deleteFrom('review_priorities').where('id', '=', id).where('partnership_id', '=', partnershipId).execute();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'delete',
      entityType: 'review_priority',
      entityId: id,
      summary: `Deleted review priority "${before.title}" and its ${areas.length} objective areas`,
      before: { ...before, areas },
    });
    return before;
  });
}

// ---------- Objective areas ----------

export async function getReviewArea(db: Kysely<Database>, partnershipId: number, id: number): Promise<ReviewAreaWithIndicators> {
  const r = await db
    .selectFrom('review_areas')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) throw new NotFoundError('Objective area');
  return { ...r, indicatorIds: indicatorIdsOf(r) };
}

export async function createReviewArea(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  reviewPriorityId: number,
  input: ReviewAreaInput,
): Promise<ReviewArea> {
  await getReviewPriority(db, partnershipId, reviewPriorityId);
  const values = await validateArea(db, partnershipId, input);
  return db.transaction().execute(async (trx) => {
    const priority = await getReviewPriority(trx, partnershipId, reviewPriorityId);
    const max = await trx
      .selectFrom('review_areas')
      .select((eb) => eb.fn.max('position').as('max'))
      .where('review_priority_id', '=', reviewPriorityId)
      .executeTakeFirst();
    const now = nowIso();
    const row = await trx
      .insertInto('review_areas')
      .values({
        review_priority_id: reviewPriorityId,
        review_id: priority.review_id,
        partnership_id: partnershipId,
        position: Number(max?.max ?? 0) + 1,
        ...values,
        objective_id: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'review_area',
      entityId: row.id,
      summary: `Added objective area "${row.title}" to review priority "${priority.title}"`,
      after: row,
    });
    return row;
  });
}

export async function updateReviewArea(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  id: number,
  input: ReviewAreaInput,
): Promise<ReviewArea> {
  await getReviewArea(db, partnershipId, id);
  const values = await validateArea(db, partnershipId, input);
  return updatePartnershipRow(db, actor, {
    table: 'review_areas',
    partnershipId,
    id,
    read: (trx) => getReviewArea(trx, partnershipId, id),
    expectedUpdatedAt: input.expectedUpdatedAt,
    conflictMessage: (before) => conflictMessage(`The objective area ${before.title}`),
    values: () => values,
    entityType: 'review_area',
    summary: (_before, after) => `Updated objective area "${after.title}"`,
    auditRow: ({ indicatorIds: _ids, ...row }) => row,
  });
}

export async function deleteReviewArea(db: Kysely<Database>, actor: Actor, partnershipId: number, id: number): Promise<ReviewArea> {
  return db.transaction().execute(async (trx) => {
    const { indicatorIds: _ids, ...before } = await getReviewArea(trx, partnershipId, id);
    await trx.deleteFrom('review_areas').where('id', '=', id).where('partnership_id', '=', partnershipId).execute();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'delete',
      entityType: 'review_area',
      entityId: id,
      summary: `Deleted objective area "${before.title}"`,
      before,
    });
    return before;
  });
}

// ---------- The whole review ----------

/** A review with its priorities and objective areas, in order. */
export async function loadReview(db: Kysely<Database>, partnershipId: number, id: number): Promise<ReviewWithContent> {
  const review = await getReview(db, partnershipId, id);
  const priorities = await db
    .selectFrom('review_priorities')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('review_id', '=', id)
    .orderBy('position')
    .orderBy('id')
    .execute();
  const areas = await db
    .selectFrom('review_areas')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('review_id', '=', id)
    .orderBy('position')
    .orderBy('id')
    .execute();
  let planText: string | null = null;
  if (review.plan_version_id !== null) {
    const v = await db
      .selectFrom('plan_versions')
      .innerJoin('plans', 'plans.id', 'plan_versions.plan_id')
      .select(['plans.title', 'plans.start_year', 'plans.end_year', 'plan_versions.label'])
      .where('plan_versions.id', '=', review.plan_version_id)
      .where('plan_versions.partnership_id', '=', partnershipId)
      .executeTakeFirst();
    if (v) planText = planName(v.title, periodLabel(v.start_year, v.end_year), v.label);
  }
  return {
    review,
    periodText: periodLabel(review.start_year, review.end_year),
    planText,
    priorities: priorities.map((p) => ({
      ...p,
      keyOutputs: keyOutputsOf(p),
      areas: areas.filter((a) => a.review_priority_id === p.id).map((a) => ({ ...a, indicatorIds: indicatorIdsOf(a) })),
    })),
  };
}

export { ValidationError };
