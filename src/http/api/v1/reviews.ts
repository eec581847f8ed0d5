/**
 * Annual reviews over the API (issue 16, item 7): the list, one review with its priorities and objective areas, and
 * writing each of them, with the same services, `config.auth` and conflict checks (expectedUpdatedAt) as the pages.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../adapters/database/schema.ts';
import {
  createReview,
  createReviewArea,
  createReviewPriority,
  deleteReview,
  deleteReviewArea,
  deleteReviewPriority,
  listReviews,
  loadReview,
  updateReview,
  updateReviewArea,
  updateReviewPriority,
} from '../../../services/plans/reviews.ts';
import * as s from './schemas.ts';
import { list } from './meetingsSchemas.ts';
import { actor, input, param, params, pid } from './meetingsRequest.ts';
import {
  areaInput,
  areaJson,
  priorityInput,
  priorityJson,
  review,
  reviewArea,
  reviewCreate,
  reviewJson,
  reviewPriority,
  reviewUpdate,
  reviewWithContent,
  reviewWithContentJson,
} from './reviewSchemas.ts';

const tags = ['Annual reviews'];
const noContent = { 204: { type: 'null' }, ...s.errors };

function reviewRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  const reviewId = (r: Parameters<typeof pid>[0]) => param(r, 'reviewId', 'Review');
  app.get(
    '/partnerships/:partnershipId/reviews',
    {
      config: { auth: 'partnership.read' },
      schema: { tags, summary: 'Annual reviews of the partnership', params: params(), response: { 200: list(review), ...s.errors } },
    },
    async (r) => (await listReviews(k, pid(r))).map(reviewJson),
  );
  app.post(
    '/partnerships/:partnershipId/reviews',
    {
      config: { auth: 'review.write' },
      schema: {
        tags,
        summary: "Start a review (from a plan version's priorities and objectives, if given)",
        params: params(),
        body: reviewCreate,
        response: { 201: review, ...s.errors },
      },
    },
    async (r, reply) => reply.code(201).send(reviewJson(await createReview(k, actor(r), pid(r), input(r)))),
  );
  app.get(
    '/partnerships/:partnershipId/reviews/:reviewId',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: 'A review with its priorities and objective areas, in order',
        params: params('reviewId'),
        response: { 200: reviewWithContent, ...s.errors },
      },
    },
    async (r) => reviewWithContentJson(await loadReview(k, pid(r), reviewId(r))),
  );
  app.put(
    '/partnerships/:partnershipId/reviews/:reviewId',
    {
      config: { auth: 'review.write' },
      schema: {
        tags,
        summary: "Change a review's title, years and introduction",
        params: params('reviewId'),
        body: reviewUpdate,
        response: { 200: review, ...s.errors },
      },
    },
    async (r) => reviewJson(await updateReview(k, actor(r), pid(r), reviewId(r), input(r))),
  );
  app.delete(
    '/partnerships/:partnershipId/reviews/:reviewId',
    {
      config: { auth: 'review.write' },
      schema: { tags, summary: 'Delete a review with its priorities and objective areas', params: params('reviewId'), response: noContent },
    },
    async (r, reply) => {
      await deleteReview(k, actor(r), pid(r), reviewId(r));
      return reply.code(204).send();
    },
  );
}

function reviewPartRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  const priorityId = (r: Parameters<typeof pid>[0]) => param(r, 'reviewPriorityId', 'Review priority');
  const areaId = (r: Parameters<typeof pid>[0]) => param(r, 'reviewAreaId', 'Objective area');
  app.post(
    '/partnerships/:partnershipId/reviews/:reviewId/priorities',
    {
      config: { auth: 'review.write' },
      schema: {
        tags,
        summary: 'Add a priority to a review',
        params: params('reviewId'),
        body: priorityInput,
        response: { 201: reviewPriority, ...s.errors },
      },
    },
    async (r, reply) =>
      reply.code(201).send(priorityJson(await createReviewPriority(k, actor(r), pid(r), param(r, 'reviewId', 'Review'), input(r)))),
  );
  app.put(
    '/partnerships/:partnershipId/review-priorities/:reviewPriorityId',
    {
      config: { auth: 'review.write' },
      schema: {
        tags,
        summary: "Change a review priority's title, narrative and key outputs",
        params: params('reviewPriorityId'),
        body: priorityInput,
        response: { 200: reviewPriority, ...s.errors },
      },
    },
    async (r) => priorityJson(await updateReviewPriority(k, actor(r), pid(r), priorityId(r), input(r))),
  );
  app.delete(
    '/partnerships/:partnershipId/review-priorities/:reviewPriorityId',
    {
      config: { auth: 'review.write' },
      schema: {
        tags,
        summary: 'Delete a review priority with its objective areas',
        params: params('reviewPriorityId'),
        response: noContent,
      },
    },
    async (r, reply) => {
      await deleteReviewPriority(k, actor(r), pid(r), priorityId(r));
      return reply.code(204).send();
    },
  );
  app.post(
    '/partnerships/:partnershipId/review-priorities/:reviewPriorityId/areas',
    {
      config: { auth: 'review.write' },
      schema: {
        tags,
        summary: 'Add an objective area, with the indicators that show its progress',
        params: params('reviewPriorityId'),
        body: areaInput,
        response: { 201: reviewArea, ...s.errors },
      },
    },
    async (r, reply) => reply.code(201).send(areaJson(await createReviewArea(k, actor(r), pid(r), priorityId(r), input(r)))),
  );
  app.put(
    '/partnerships/:partnershipId/review-areas/:reviewAreaId',
    {
      config: { auth: 'review.write' },
      schema: {
        tags,
        summary: 'Change an objective area',
        params: params('reviewAreaId'),
        body: areaInput,
        response: { 200: reviewArea, ...s.errors },
      },
    },
    async (r) => areaJson(await updateReviewArea(k, actor(r), pid(r), areaId(r), input(r))),
  );
  app.delete(
    '/partnerships/:partnershipId/review-areas/:reviewAreaId',
    {
      config: { auth: 'review.write' },
      schema: { tags, summary: 'Delete an objective area', params: params('reviewAreaId'), response: noContent },
    },
    async (r, reply) => {
      await deleteReviewArea(k, actor(r), pid(r), areaId(r));
      return reply.code(204).send();
    },
  );
}

export function reviewApi(app: FastifyInstance, { db }: { db: { kysely: Kysely<Database> } }): void {
  reviewRoutes(app, db.kysely);
  reviewPartRoutes(app, db.kysely);
}
