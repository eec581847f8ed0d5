/**
 * An annual review's pages: the partnership's list of reviews, the review itself (priorities, what was done, key
 * outputs, indicators by year and quarter-by-year charts with their tables), and the form for its details (create,
 * edit, delete; a new review can start from a plan version's priorities and objectives).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { ConflictError, ValidationError } from '../../../../domain/errors.ts';
import { listPlans, periodLabel } from '../../../../services/plans/plans.ts';
import { createReview, deleteReview, getReview, listReviews, updateReview } from '../../../../services/plans/reviews.ts';
import { chartTable, renderPageChart, tableForChart } from '../../../../presentation/charts/index.ts';
import { loadAnnualReview } from '../../../../presentation/documents/annualReview.ts';
import { actor, base, body, crumbs, deletePage, param, pid, reviewsUrl, reviewUrl } from './reviewPages.ts';
import { planName } from '../../../../domain/planNames.ts';

const reviewValues = (r: { title: string; start_year: number; end_year: number; introduction: string; updated_at: string }) => ({
  title: r.title,
  startYear: String(r.start_year),
  endYear: String(r.end_year),
  introduction: r.introduction,
  expectedUpdatedAt: r.updated_at,
});

/** The list of reviews and the review page. */
export async function reviewPageRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;

  app.get('/partnerships/:partnershipId/reviews', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const reviews = await listReviews(k, pid(request));
    return reply.render('features/reviews/list.njk', {
      title: 'Annual reviews',
      section: 'reports',
      breadcrumbs: crumbs(request)
        .slice(0, 2)
        .concat({ text: 'Reports', href: `${base(request)}/reports` }),
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
          indicators: a.indicators.map((i) => ({
            ...i,
            svg: i.chart ? renderPageChart(i.chart) : '',
            table: i.chart ? chartTable({ ...tableForChart(i.chart), captionSize: 's' }) : '',
          })),
        })),
      })),
      base: base(request),
      reviewHref: reviewUrl(request, review.id),
    });
  });
}

/** The review's details form, with the plan versions a new review can start from. */
async function reviewForm(
  { kysely: k }: AppServices['db'],
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: Record<string, unknown>,
  status = 200,
) {
  const plans = await listPlans(k, pid(request));
  const versionItems = [
    { value: '', text: 'None: start with an empty review' },
    ...plans.flatMap((p) =>
      p.versions.map((v) => ({ value: String(v.id), text: planName(p.title, periodLabel(p.start_year, p.end_year), v.label) })),
    ),
  ];
  return reply.render(
    'features/reviews/review-form.njk',
    { section: 'reports', breadcrumbs: crumbs(request), versionItems, ...ctx },
    status,
  );
}

/** Creating a review, changing its details (with the check for someone else's newer save), deleting it. */
export async function reviewDetailRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;
  const creating = (request: FastifyRequest) => ({
    title: 'Create an annual review',
    action: `${reviewsUrl(request)}/new`,
    creating: true,
    submitText: 'Create review',
  });

  app.get('/partnerships/:partnershipId/reviews/new', { config: { auth: 'review.write' } }, async (request, reply) =>
    reviewForm(db, request, reply, { ...creating(request), values: { title: `Review of the ${request.access!.partnership.name} plan` } }),
  );
  app.post('/partnerships/:partnershipId/reviews/new', { config: { auth: 'review.write' } }, async (request, reply) => {
    const b = body(request);
    try {
      const review = await createReview(k, actor(request), pid(request), b);
      return reply.flash(`${review.title} has been created`).redirect(reviewUrl(request, review.id), 303);
    } catch (e) {
      if (e instanceof ValidationError) return reviewForm(db, request, reply, { ...creating(request), values: b, errors: e.errors }, 400);
      throw e;
    }
  });

  app.get('/partnerships/:partnershipId/reviews/:reviewId/edit', { config: { auth: 'review.write' } }, async (request, reply) => {
    const r = await getReview(k, pid(request), param(request, 'reviewId', 'Review'));
    return reviewForm(db, request, reply, {
      title: `Edit ${r.title}`,
      action: `${reviewUrl(request, r.id)}/edit`,
      values: reviewValues(r),
      submitText: 'Save changes',
      backHref: reviewUrl(request, r.id),
      deleteHref: `${reviewUrl(request, r.id)}/delete`,
    });
  });
  app.post('/partnerships/:partnershipId/reviews/:reviewId/edit', { config: { auth: 'review.write' } }, async (request, reply) => {
    const id = param(request, 'reviewId', 'Review');
    const b = body(request);
    try {
      const r = await updateReview(k, actor(request), pid(request), id, b);
      return reply.flash(`${r.title} has been updated`).redirect(reviewUrl(request, r.id), 303);
    } catch (e) {
      const ctx = {
        title: 'Edit the review',
        action: `${reviewUrl(request, id)}/edit`,
        submitText: 'Save changes',
        backHref: reviewUrl(request, id),
      };
      if (e instanceof ValidationError) return reviewForm(db, request, reply, { ...ctx, values: b, errors: e.errors }, 400);
      if (e instanceof ConflictError)
        return reviewForm(
          db,
          request,
          reply,
          {
            ...ctx,
            values: reviewValues(await getReview(k, pid(request), id)),
            yours: b,
            errors: [{ field: 'title', message: e.message }],
          },
          409,
        );
      throw e;
    }
  });

  app.get('/partnerships/:partnershipId/reviews/:reviewId/delete', { config: { auth: 'review.write' } }, async (request, reply) => {
    const r = await getReview(k, pid(request), param(request, 'reviewId', 'Review'));
    return deletePage(request, reply, {
      title: `Delete ${r.title}?`,
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
}
