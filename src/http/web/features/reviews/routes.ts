/**
 * Annual reviews: the list, the review itself as a page (priorities, what was done, key outputs, indicators by
 * year and quarter-by-year charts with their tables) with PDF and Word generated as kept documents, and the forms
 * editors use to write it: the review's details, its priorities and their objective areas (with conflict checks).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import { ConflictError, ValidationError } from '../../../../domain/errors.ts';
import { listIndicators, label } from '../../../../services/performance/indicators.ts';
import { listPlans, periodLabel } from '../../../../services/plans/plans.ts';
import {
  createReview,
  createReviewArea,
  createReviewPriority,
  deleteReview,
  deleteReviewArea,
  deleteReviewPriority,
  getReview,
  getReviewArea,
  getReviewPriority,
  keyOutputsOf,
  listReviews,
  updateReview,
  updateReviewArea,
  updateReviewPriority,
} from '../../../../services/plans/reviews.ts';
import { chartTable, renderChart, tableForChart } from '../../../../presentation/charts/index.ts';
import { loadAnnualReview } from '../../../../presentation/documents/annualReview.ts';

type Body = Record<string, string | string[] | undefined>;

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v !== '' ? [v] : []);

export async function reviewRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;
  const pid = (r: FastifyRequest) => r.access!.partnership.id;
  const base = (r: FastifyRequest) => `/partnerships/${pid(r)}`;
  const reviewsUrl = (r: FastifyRequest) => `${base(r)}/reviews`;
  const reviewUrl = (r: FastifyRequest, id: number) => `${reviewsUrl(r)}/${id}`;
  const crumbs = (r: FastifyRequest, extra: { text: string; href: string }[] = []) => [{ text: 'Home', href: '/' }, { text: r.access!.partnership.name, href: base(r) }, { text: 'Annual reviews', href: reviewsUrl(r) }, ...extra];
  const param = (r: FastifyRequest, name: string, what: string) => assertValidId((r.params as Record<string, string>)[name], what);
  const body = (r: FastifyRequest) => (r.body ?? {}) as Body;
  const actor = (r: FastifyRequest) => actorOf(r.user!);

  // ---------- List and the review page ----------

  app.get('/partnerships/:partnershipId/reviews', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const reviews = await listReviews(k, pid(request));
    return reply.render('features/reviews/list.njk', {
      title: 'Annual reviews',
      section: 'reports',
      breadcrumbs: crumbs(request).slice(0, 2).concat({ text: 'Reports', href: `${base(request)}/reports` }),
      reviews: reviews.map((r) => ({ ...r, periodText: periodLabel(r.start_year, r.end_year), href: reviewUrl(request, r.id) })),
      base: base(request),
    });
  });

  app.get('/partnerships/:partnershipId/reviews/:reviewId', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const review = await loadAnnualReview(k, pid(request), param(request, 'reviewId', 'Review'));
    return reply.render('features/reviews/review.njk', {
      title: `${review.title} ${review.periodText}`,
      section: 'reports',
      breadcrumbs: crumbs(request),
      review,
      priorities: review.priorities.map((p) => ({
        ...p,
        areas: p.areas.map((a) => ({
          ...a,
          indicators: a.indicators.map((i) => ({ ...i, svg: i.chart ? renderChart(i.chart) : '', table: i.chart ? chartTable({ ...tableForChart(i.chart), captionSize: 's' }) : '' })),
        })),
      })),
      base: base(request),
      reviewHref: reviewUrl(request, review.id),
    });
  });

  // ---------- The review's details ----------

  async function versionItems(request: FastifyRequest) {
    const plans = await listPlans(k, pid(request));
    return [{ value: '', text: 'None: start with an empty review' }, ...plans.flatMap((p) => p.versions.map((v) => ({ value: String(v.id), text: `${p.title} ${periodLabel(p.start_year, p.end_year)}: ${v.label}` })))];
  }

  const reviewForm = async (request: FastifyRequest, reply: FastifyReply, ctx: Record<string, unknown>, status = 200) =>
    reply.render('features/reviews/review-form.njk', { section: 'reports', breadcrumbs: crumbs(request), versionItems: await versionItems(request), ...ctx }, status);

  app.get('/partnerships/:partnershipId/reviews/new', { config: { auth: 'review.write' } }, async (request, reply) =>
    reviewForm(request, reply, { title: 'Create an annual review', action: `${reviewsUrl(request)}/new`, values: { title: `Review of the ${request.access!.partnership.name} plan` }, creating: true, submitText: 'Create review' }),
  );

  app.post('/partnerships/:partnershipId/reviews/new', { config: { auth: 'review.write' } }, async (request, reply) => {
    const b = body(request);
    try {
      const review = await createReview(k, actor(request), pid(request), b);
      return reply.flash(`${review.title} has been created`).redirect(reviewUrl(request, review.id), 303);
    } catch (e) {
      if (e instanceof ValidationError) return reviewForm(request, reply, { title: 'Create an annual review', action: `${reviewsUrl(request)}/new`, values: b, errors: e.errors, creating: true, submitText: 'Create review' }, 400);
      throw e;
    }
  });

  const reviewValues = (r: { title: string; start_year: number; end_year: number; introduction: string; updated_at: string }) => ({ title: r.title, startYear: String(r.start_year), endYear: String(r.end_year), introduction: r.introduction, expectedUpdatedAt: r.updated_at });

  app.get('/partnerships/:partnershipId/reviews/:reviewId/edit', { config: { auth: 'review.write' } }, async (request, reply) => {
    const r = await getReview(k, pid(request), param(request, 'reviewId', 'Review'));
    return reviewForm(request, reply, { title: `Edit ${r.title}`, action: `${reviewUrl(request, r.id)}/edit`, values: reviewValues(r), submitText: 'Save changes', backHref: reviewUrl(request, r.id), deleteHref: `${reviewUrl(request, r.id)}/delete` });
  });

  app.post('/partnerships/:partnershipId/reviews/:reviewId/edit', { config: { auth: 'review.write' } }, async (request, reply) => {
    const id = param(request, 'reviewId', 'Review');
    const b = body(request);
    try {
      const r = await updateReview(k, actor(request), pid(request), id, b);
      return reply.flash(`${r.title} has been updated`).redirect(reviewUrl(request, r.id), 303);
    } catch (e) {
      const ctx = { title: 'Edit the review', action: `${reviewUrl(request, id)}/edit`, submitText: 'Save changes', backHref: reviewUrl(request, id) };
      if (e instanceof ValidationError) return reviewForm(request, reply, { ...ctx, values: b, errors: e.errors }, 400);
      if (e instanceof ConflictError) return reviewForm(request, reply, { ...ctx, values: reviewValues(await getReview(k, pid(request), id)), yours: b, errors: [{ field: 'title', message: e.message }] }, 409);
      throw e;
    }
  });

  app.get('/partnerships/:partnershipId/reviews/:reviewId/delete', { config: { auth: 'review.write' } }, async (request, reply) => {
    const r = await getReview(k, pid(request), param(request, 'reviewId', 'Review'));
    return reply.render('features/reviews/delete.njk', {
      title: `Delete ${r.title}?`,
      section: 'reports',
      breadcrumbs: crumbs(request),
      what: 'the review, with all its priorities, objective areas and what was written about them. Documents already generated from it are kept.',
      buttonText: 'Delete review',
      action: `${reviewUrl(request, r.id)}/delete`,
      cancelHref: reviewUrl(request, r.id),
    });
  });

  app.post('/partnerships/:partnershipId/reviews/:reviewId/delete', { config: { auth: 'review.write' } }, async (request, reply) => {
    const r = await deleteReview(k, actor(request), pid(request), param(request, 'reviewId', 'Review'));
    return reply.flash(`${r.title} has been deleted`).redirect(reviewsUrl(request), 303);
  });

  // ---------- Priorities ----------

  const priorityForm = (request: FastifyRequest, reply: FastifyReply, ctx: Record<string, unknown>, status = 200) => reply.render('features/reviews/priority-form.njk', { section: 'reports', breadcrumbs: crumbs(request), ...ctx }, status);
  const priorityValues = (p: { title: string; narrative: string; key_outputs: string; updated_at: string }) => ({ title: p.title, narrative: p.narrative, keyOutputs: keyOutputsOf(p).join('\n'), expectedUpdatedAt: p.updated_at });

  app.get('/partnerships/:partnershipId/reviews/:reviewId/priorities/new', { config: { auth: 'review.write' } }, async (request, reply) => {
    const r = await getReview(k, pid(request), param(request, 'reviewId', 'Review'));
    return priorityForm(request, reply, { title: 'Add a priority', caption: r.title, action: `${reviewUrl(request, r.id)}/priorities/new`, values: {}, submitText: 'Add priority', backHref: reviewUrl(request, r.id) });
  });

  app.post('/partnerships/:partnershipId/reviews/:reviewId/priorities/new', { config: { auth: 'review.write' } }, async (request, reply) => {
    const r = await getReview(k, pid(request), param(request, 'reviewId', 'Review'));
    const b = body(request);
    try {
      const p = await createReviewPriority(k, actor(request), pid(request), r.id, b);
      return reply.flash(`${p.title} has been added`).redirect(`${reviewUrl(request, r.id)}#priority-${p.id}`, 303);
    } catch (e) {
      if (e instanceof ValidationError) return priorityForm(request, reply, { title: 'Add a priority', caption: r.title, action: `${reviewUrl(request, r.id)}/priorities/new`, values: b, errors: e.errors, submitText: 'Add priority', backHref: reviewUrl(request, r.id) }, 400);
      throw e;
    }
  });

  app.get('/partnerships/:partnershipId/review-priorities/:reviewPriorityId/edit', { config: { auth: 'review.write' } }, async (request, reply) => {
    const p = await getReviewPriority(k, pid(request), param(request, 'reviewPriorityId', 'Review priority'));
    const url = `${base(request)}/review-priorities/${p.id}`;
    return priorityForm(request, reply, { title: `Edit ${p.title}`, action: `${url}/edit`, values: priorityValues(p), submitText: 'Save changes', backHref: reviewUrl(request, p.review_id), deleteHref: `${url}/delete` });
  });

  app.post('/partnerships/:partnershipId/review-priorities/:reviewPriorityId/edit', { config: { auth: 'review.write' } }, async (request, reply) => {
    const id = param(request, 'reviewPriorityId', 'Review priority');
    const existing = await getReviewPriority(k, pid(request), id);
    const b = body(request);
    try {
      const p = await updateReviewPriority(k, actor(request), pid(request), id, b);
      return reply.flash(`${p.title} has been updated`).redirect(`${reviewUrl(request, p.review_id)}#priority-${p.id}`, 303);
    } catch (e) {
      const ctx = { title: 'Edit the priority', action: `${base(request)}/review-priorities/${id}/edit`, submitText: 'Save changes', backHref: reviewUrl(request, existing.review_id) };
      if (e instanceof ValidationError) return priorityForm(request, reply, { ...ctx, values: b, errors: e.errors }, 400);
      if (e instanceof ConflictError) return priorityForm(request, reply, { ...ctx, values: priorityValues(await getReviewPriority(k, pid(request), id)), yours: b, errors: [{ field: 'title', message: e.message }] }, 409);
      throw e;
    }
  });

  app.get('/partnerships/:partnershipId/review-priorities/:reviewPriorityId/delete', { config: { auth: 'review.write' } }, async (request, reply) => {
    const p = await getReviewPriority(k, pid(request), param(request, 'reviewPriorityId', 'Review priority'));
    return reply.render('features/reviews/delete.njk', {
      title: `Delete ${p.title}?`,
      section: 'reports',
      breadcrumbs: crumbs(request),
      what: 'this priority of the review, with its objective areas and what was written about them.',
      buttonText: 'Delete priority',
      action: `${base(request)}/review-priorities/${p.id}/delete`,
      cancelHref: reviewUrl(request, p.review_id),
    });
  });

  app.post('/partnerships/:partnershipId/review-priorities/:reviewPriorityId/delete', { config: { auth: 'review.write' } }, async (request, reply) => {
    const p = await deleteReviewPriority(k, actor(request), pid(request), param(request, 'reviewPriorityId', 'Review priority'));
    return reply.flash(`${p.title} has been deleted`).redirect(reviewUrl(request, p.review_id), 303);
  });

  // ---------- Objective areas ----------

  async function indicatorItems(request: FastifyRequest, checked: string[]) {
    return (await listIndicators(k, pid(request))).map((i) => ({ value: String(i.id), text: label(i), checked: checked.includes(String(i.id)) }));
  }
  const areaForm = async (request: FastifyRequest, reply: FastifyReply, ctx: Record<string, unknown> & { values: Body }, status = 200) =>
    reply.render('features/reviews/area-form.njk', { section: 'reports', breadcrumbs: crumbs(request), indicatorItems: await indicatorItems(request, asList(ctx.values.indicatorIds)), ...ctx }, status);
  const areaValues = (a: { title: string; narrative: string; indicatorIds: number[]; updated_at: string }): Body => ({ title: a.title, narrative: a.narrative, indicatorIds: a.indicatorIds.map(String), expectedUpdatedAt: a.updated_at });

  app.get('/partnerships/:partnershipId/review-priorities/:reviewPriorityId/areas/new', { config: { auth: 'review.write' } }, async (request, reply) => {
    const p = await getReviewPriority(k, pid(request), param(request, 'reviewPriorityId', 'Review priority'));
    return areaForm(request, reply, { title: 'Add an objective area', caption: p.title, action: `${base(request)}/review-priorities/${p.id}/areas/new`, values: {}, submitText: 'Add objective area', backHref: reviewUrl(request, p.review_id) });
  });

  app.post('/partnerships/:partnershipId/review-priorities/:reviewPriorityId/areas/new', { config: { auth: 'review.write' } }, async (request, reply) => {
    const p = await getReviewPriority(k, pid(request), param(request, 'reviewPriorityId', 'Review priority'));
    const b = body(request);
    try {
      const a = await createReviewArea(k, actor(request), pid(request), p.id, b);
      return reply.flash(`${a.title} has been added`).redirect(`${reviewUrl(request, p.review_id)}#area-${a.id}`, 303);
    } catch (e) {
      if (e instanceof ValidationError) return areaForm(request, reply, { title: 'Add an objective area', caption: p.title, action: `${base(request)}/review-priorities/${p.id}/areas/new`, values: b, errors: e.errors, submitText: 'Add objective area', backHref: reviewUrl(request, p.review_id) }, 400);
      throw e;
    }
  });

  app.get('/partnerships/:partnershipId/review-areas/:reviewAreaId/edit', { config: { auth: 'review.write' } }, async (request, reply) => {
    const a = await getReviewArea(k, pid(request), param(request, 'reviewAreaId', 'Objective area'));
    const url = `${base(request)}/review-areas/${a.id}`;
    return areaForm(request, reply, { title: `Edit ${a.title}`, action: `${url}/edit`, values: areaValues(a), submitText: 'Save changes', backHref: reviewUrl(request, a.review_id), deleteHref: `${url}/delete` });
  });

  app.post('/partnerships/:partnershipId/review-areas/:reviewAreaId/edit', { config: { auth: 'review.write' } }, async (request, reply) => {
    const id = param(request, 'reviewAreaId', 'Objective area');
    const existing = await getReviewArea(k, pid(request), id);
    const b = body(request);
    try {
      const a = await updateReviewArea(k, actor(request), pid(request), id, b);
      return reply.flash(`${a.title} has been updated`).redirect(`${reviewUrl(request, a.review_id)}#area-${a.id}`, 303);
    } catch (e) {
      const ctx = { title: 'Edit the objective area', action: `${base(request)}/review-areas/${id}/edit`, submitText: 'Save changes', backHref: reviewUrl(request, existing.review_id) };
      if (e instanceof ValidationError) return areaForm(request, reply, { ...ctx, values: b, errors: e.errors }, 400);
      if (e instanceof ConflictError) return areaForm(request, reply, { ...ctx, values: areaValues(await getReviewArea(k, pid(request), id)), yours: b, errors: [{ field: 'title', message: e.message }] }, 409);
      throw e;
    }
  });

  app.get('/partnerships/:partnershipId/review-areas/:reviewAreaId/delete', { config: { auth: 'review.write' } }, async (request, reply) => {
    const a = await getReviewArea(k, pid(request), param(request, 'reviewAreaId', 'Objective area'));
    return reply.render('features/reviews/delete.njk', {
      title: `Delete ${a.title}?`,
      section: 'reports',
      breadcrumbs: crumbs(request),
      what: 'this objective area of the review and what was written about it. The indicators themselves are not deleted.',
      buttonText: 'Delete objective area',
      action: `${base(request)}/review-areas/${a.id}/delete`,
      cancelHref: reviewUrl(request, a.review_id),
    });
  });

  app.post('/partnerships/:partnershipId/review-areas/:reviewAreaId/delete', { config: { auth: 'review.write' } }, async (request, reply) => {
    const a = await deleteReviewArea(k, actor(request), pid(request), param(request, 'reviewAreaId', 'Objective area'));
    return reply.flash(`${a.title} has been deleted`).redirect(reviewUrl(request, a.review_id), 303);
  });
}
