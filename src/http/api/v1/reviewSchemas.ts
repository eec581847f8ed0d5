/** JSON schemas of the annual reviews API (they make its OpenAPI document) and the JSON each row is sent as. */
import type { Review, ReviewArea, ReviewPriority } from '../../../adapters/database/schema.ts';
import { indicatorIdsOf, keyOutputsOf, type ReviewWithContent } from '../../../services/plans/reviews.ts';
import { body, int, intNull, list, obj, str, strNull } from './meetingsSchemas.ts';

const updatedAt = { type: 'string', description: 'Send back as expectedUpdatedAt to refuse overwriting a newer change' } as const;

export const review = obj({
  id: int,
  title: str,
  startYear: { type: 'integer', description: 'The first financial year starts in April of this year' },
  endYear: { type: 'integer', description: 'The year after the last financial year covered: 2021 for a review to 2020/21' },
  planVersionId: intNull,
  introduction: str,
  createdAt: str,
  updatedAt,
});

export const reviewArea = obj({
  id: int,
  reviewPriorityId: int,
  position: int,
  title: str,
  narrative: str,
  indicatorIds: list(int),
  objectiveId: intNull,
  updatedAt,
});

export const reviewPriority = obj({
  id: int,
  reviewId: int,
  position: int,
  title: str,
  narrative: str,
  keyOutputs: list(str),
  priorityId: intNull,
  updatedAt,
});

export const reviewWithContent = obj({
  ...review.properties,
  periodText: { type: 'string', description: "'2018-21'" },
  planText: strNull,
  priorities: list(obj({ ...reviewPriority.properties, areas: list(reviewArea) })),
});

const text = { type: 'string' } as const;
const year = { type: 'integer', minimum: 1998, maximum: 2100 } as const;
const expected = { type: 'string', description: 'The updatedAt you read: a newer change is not overwritten (409)' } as const;

export const reviewCreate = body(['title', 'startYear', 'endYear'], {
  title: text,
  startYear: year,
  endYear: year,
  introduction: text,
  planVersionId: { type: 'integer', description: "A plan version whose priorities and objectives become the review's outline" },
});
export const reviewUpdate = body(['title', 'startYear', 'endYear'], {
  title: text,
  startYear: year,
  endYear: year,
  introduction: text,
  expectedUpdatedAt: expected,
});
export const priorityInput = body(['title'], { title: text, narrative: text, keyOutputs: list(text), expectedUpdatedAt: expected });
export const areaInput = body(['title'], {
  title: text,
  narrative: text,
  indicatorIds: list({ type: 'integer', minimum: 1 }),
  expectedUpdatedAt: expected,
});

export function reviewJson(r: Review) {
  return {
    id: r.id,
    title: r.title,
    startYear: r.start_year,
    endYear: r.end_year,
    planVersionId: r.plan_version_id,
    introduction: r.introduction,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function priorityJson(p: ReviewPriority) {
  return {
    id: p.id,
    reviewId: p.review_id,
    position: p.position,
    title: p.title,
    narrative: p.narrative,
    keyOutputs: keyOutputsOf(p),
    priorityId: p.priority_id,
    updatedAt: p.updated_at,
  };
}

export function areaJson(a: ReviewArea) {
  return {
    id: a.id,
    reviewPriorityId: a.review_priority_id,
    position: a.position,
    title: a.title,
    narrative: a.narrative,
    indicatorIds: indicatorIdsOf(a),
    objectiveId: a.objective_id,
    updatedAt: a.updated_at,
  };
}

export function reviewWithContentJson(c: ReviewWithContent) {
  return {
    ...reviewJson(c.review),
    periodText: c.periodText,
    planText: c.planText,
    priorities: c.priorities.map((p) => ({ ...priorityJson(p), areas: p.areas.map(areaJson) })),
  };
}
