/**
 * The parts of an annual review: its priorities (what was done, key outputs) and their objective areas (what was
 * done, the indicators shown), each added, changed (with the check for someone else's newer save) and deleted.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../../adapters/database/schema.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { ConflictError, ValidationError } from '../../../../domain/errors.ts';
import { listIndicators, label } from '../../../../services/performance/indicators.ts';
import {
  createReviewArea,
  createReviewPriority,
  deleteReviewArea,
  deleteReviewPriority,
  getReview,
  getReviewArea,
  getReviewPriority,
  keyOutputsOf,
  updateReviewArea,
  updateReviewPriority,
} from '../../../../services/plans/reviews.ts';
import { actor, asList, base, body, crumbs, deletePage, param, pid, reviewUrl, type Body } from './reviewPages.ts';

const priorityForm = (request: FastifyRequest, reply: FastifyReply, ctx: Record<string, unknown>, status = 200) =>
  reply.render('features/reviews/priority-form.njk', { section: 'reports', breadcrumbs: crumbs(request), ...ctx }, status);
const priorityValues = (p: { title: string; narrative: string; key_outputs: string; updated_at: string }) => ({
  title: p.title,
  narrative: p.narrative,
  keyOutputs: keyOutputsOf(p).join('\n'),
  expectedUpdatedAt: p.updated_at,
});

const adding = (request: FastifyRequest, r: { id: number; title: string }) => ({
  title: 'Add a priority',
  caption: r.title,
  action: `${reviewUrl(request, r.id)}/priorities/new`,
  submitText: 'Add priority',
  backHref: reviewUrl(request, r.id),
});
const priorityUrl = (request: FastifyRequest, id: number) => `${base(request)}/review-priorities/${id}`;

/** A review's priorities: add, change, delete. */
export async function reviewPriorityRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;
  priorityEditRoutes(app, k);
  priorityDeleteRoutes(app, k);
}

/** Adding and changing a priority of the review. */
function priorityEditRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  app.get('/partnerships/:partnershipId/reviews/:reviewId/priorities/new', { config: { auth: 'review.write' } }, async (request, reply) => {
    const r = await getReview(k, pid(request), param(request, 'reviewId', 'Review'));
    return priorityForm(request, reply, { ...adding(request, r), values: {} });
  });
  app.post(
    '/partnerships/:partnershipId/reviews/:reviewId/priorities/new',
    { config: { auth: 'review.write' } },
    async (request, reply) => {
      const reviewId = param(request, 'reviewId', 'Review');
      const b = body(request);
      try {
        const p = await createReviewPriority(k, actor(request), pid(request), reviewId, b);
        return reply.flash(`${p.title} has been added`).redirect(`${reviewUrl(request, p.review_id)}#priority-${p.id}`, 303);
      } catch (e) {
        if (e instanceof ValidationError)
          return priorityForm(
            request,
            reply,
            { ...adding(request, await getReview(k, pid(request), reviewId)), values: b, errors: e.errors },
            400,
          );
        throw e;
      }
    },
  );

  app.get(
    '/partnerships/:partnershipId/review-priorities/:reviewPriorityId/edit',
    { config: { auth: 'review.write' } },
    async (request, reply) => {
      const p = await getReviewPriority(k, pid(request), param(request, 'reviewPriorityId', 'Review priority'));
      return priorityForm(request, reply, {
        title: `Edit ${p.title}`,
        action: `${priorityUrl(request, p.id)}/edit`,
        values: priorityValues(p),
        submitText: 'Save changes',
        backHref: reviewUrl(request, p.review_id),
        deleteHref: `${priorityUrl(request, p.id)}/delete`,
      });
    },
  );
  app.post(
    '/partnerships/:partnershipId/review-priorities/:reviewPriorityId/edit',
    { config: { auth: 'review.write' } },
    async (request, reply) => {
      const id = param(request, 'reviewPriorityId', 'Review priority');
      const b = body(request);
      try {
        const p = await updateReviewPriority(k, actor(request), pid(request), id, b);
        return reply.flash(`${p.title} has been updated`).redirect(`${reviewUrl(request, p.review_id)}#priority-${p.id}`, 303);
      } catch (e) {
        if (!(e instanceof ValidationError || e instanceof ConflictError)) throw e;
        const latest = await getReviewPriority(k, pid(request), id);
        const ctx = {
          title: 'Edit the priority',
          action: `${priorityUrl(request, id)}/edit`,
          submitText: 'Save changes',
          backHref: reviewUrl(request, latest.review_id),
        };
        if (e instanceof ValidationError) return priorityForm(request, reply, { ...ctx, values: b, errors: e.errors }, 400);
        return priorityForm(
          request,
          reply,
          { ...ctx, values: priorityValues(latest), yours: b, errors: [{ field: 'title', message: e.message }] },
          409,
        );
      }
    },
  );
}

/** Deleting a priority of the review. */
function priorityDeleteRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  app.get(
    '/partnerships/:partnershipId/review-priorities/:reviewPriorityId/delete',
    { config: { auth: 'review.write' } },
    async (request, reply) => {
      const p = await getReviewPriority(k, pid(request), param(request, 'reviewPriorityId', 'Review priority'));
      return deletePage(request, reply, {
        title: `Delete ${p.title}?`,
        what: 'this priority of the review, with its objective areas and what was written about them.',
        buttonText: 'Delete priority',
        action: `${priorityUrl(request, p.id)}/delete`,
        cancelHref: reviewUrl(request, p.review_id),
      });
    },
  );
  app.post(
    '/partnerships/:partnershipId/review-priorities/:reviewPriorityId/delete',
    { config: { auth: 'review.write' } },
    async (request, reply) => {
      const p = await deleteReviewPriority(k, actor(request), pid(request), param(request, 'reviewPriorityId', 'Review priority'));
      return reply.flash(`${p.title} has been deleted`).redirect(reviewUrl(request, p.review_id), 303);
    },
  );
}

/** The objective area form, with the partnership's indicators to choose from (those asked for ticked). */
async function areaForm(
  { kysely: k }: AppServices['db'],
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: Record<string, unknown> & { values: Body },
  status = 200,
) {
  const checked = asList(ctx.values.indicatorIds);
  const indicatorItems = (await listIndicators(k, pid(request))).map((i) => ({
    value: String(i.id),
    text: label(i),
    checked: checked.includes(String(i.id)),
  }));
  return reply.render(
    'features/reviews/area-form.njk',
    { section: 'reports', breadcrumbs: crumbs(request), indicatorItems, ...ctx },
    status,
  );
}
const areaValues = (a: { title: string; narrative: string; indicatorIds: number[]; updated_at: string }): Body => ({
  title: a.title,
  narrative: a.narrative,
  indicatorIds: a.indicatorIds.map(String),
  expectedUpdatedAt: a.updated_at,
});

/** The objective areas of a review's priorities: add, change, delete. */
export async function reviewAreaRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;
  const adding = (request: FastifyRequest, p: { id: number; title: string; review_id: number }) => ({
    title: 'Add an objective area',
    caption: p.title,
    action: `${base(request)}/review-priorities/${p.id}/areas/new`,
    submitText: 'Add objective area',
    backHref: reviewUrl(request, p.review_id),
  });
  const areaUrl = (request: FastifyRequest, id: number) => `${base(request)}/review-areas/${id}`;

  app.get(
    '/partnerships/:partnershipId/review-priorities/:reviewPriorityId/areas/new',
    { config: { auth: 'review.write' } },
    async (request, reply) => {
      const p = await getReviewPriority(k, pid(request), param(request, 'reviewPriorityId', 'Review priority'));
      return areaForm(db, request, reply, { ...adding(request, p), values: {} });
    },
  );
  app.post(
    '/partnerships/:partnershipId/review-priorities/:reviewPriorityId/areas/new',
    { config: { auth: 'review.write' } },
    async (request, reply) => {
      const priorityId = param(request, 'reviewPriorityId', 'Review priority');
      const b = body(request);
      try {
        const a = await createReviewArea(k, actor(request), pid(request), priorityId, b);
        return reply.flash(`${a.title} has been added`).redirect(`${reviewUrl(request, a.review_id)}#area-${a.id}`, 303);
      } catch (e) {
        if (e instanceof ValidationError)
          return areaForm(
            db,
            request,
            reply,
            { ...adding(request, await getReviewPriority(k, pid(request), priorityId)), values: b, errors: e.errors },
            400,
          );
        throw e;
      }
    },
  );

  app.get('/partnerships/:partnershipId/review-areas/:reviewAreaId/edit', { config: { auth: 'review.write' } }, async (request, reply) => {
    const a = await getReviewArea(k, pid(request), param(request, 'reviewAreaId', 'Objective area'));
    return areaForm(db, request, reply, {
      title: `Edit ${a.title}`,
      action: `${areaUrl(request, a.id)}/edit`,
      values: areaValues(a),
      submitText: 'Save changes',
      backHref: reviewUrl(request, a.review_id),
      deleteHref: `${areaUrl(request, a.id)}/delete`,
    });
  });
  app.post('/partnerships/:partnershipId/review-areas/:reviewAreaId/edit', { config: { auth: 'review.write' } }, async (request, reply) => {
    const id = param(request, 'reviewAreaId', 'Objective area');
    const b = body(request);
    try {
      const a = await updateReviewArea(k, actor(request), pid(request), id, b);
      return reply.flash(`${a.title} has been updated`).redirect(`${reviewUrl(request, a.review_id)}#area-${a.id}`, 303);
    } catch (e) {
      if (!(e instanceof ValidationError || e instanceof ConflictError)) throw e;
      const latest = await getReviewArea(k, pid(request), id);
      const ctx = {
        title: 'Edit the objective area',
        action: `${areaUrl(request, id)}/edit`,
        submitText: 'Save changes',
        backHref: reviewUrl(request, latest.review_id),
      };
      if (e instanceof ValidationError) return areaForm(db, request, reply, { ...ctx, values: b, errors: e.errors }, 400);
      return areaForm(
        db,
        request,
        reply,
        { ...ctx, values: areaValues(latest), yours: b, errors: [{ field: 'title', message: e.message }] },
        409,
      );
    }
  });

  app.get(
    '/partnerships/:partnershipId/review-areas/:reviewAreaId/delete',
    { config: { auth: 'review.write' } },
    async (request, reply) => {
      const a = await getReviewArea(k, pid(request), param(request, 'reviewAreaId', 'Objective area'));
      return deletePage(request, reply, {
        title: `Delete ${a.title}?`,
        what: 'this objective area of the review and what was written about it. The indicators themselves are not deleted.',
        buttonText: 'Delete objective area',
        action: `${areaUrl(request, a.id)}/delete`,
        cancelHref: reviewUrl(request, a.review_id),
      });
    },
  );
  app.post(
    '/partnerships/:partnershipId/review-areas/:reviewAreaId/delete',
    { config: { auth: 'review.write' } },
    async (request, reply) => {
      const a = await deleteReviewArea(k, actor(request), pid(request), param(request, 'reviewAreaId', 'Objective area'));
      return reply.flash(`${a.title} has been deleted`).redirect(reviewUrl(request, a.review_id), 303);
    },
  );
}
