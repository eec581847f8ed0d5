/**
 * An annual review with one priority and one objective area, and a finished generated document, built through
 * the services: what the authorisation walk needs to call every review and document route with real identifiers.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { SYSTEM_ACTOR } from '../../src/services/audit.ts';
import { createReview, createReviewArea, createReviewPriority } from '../../src/services/reviews.ts';
import { completeJob, markRunning, requestDocument } from '../../src/services/documentJobs.ts';
import type { RouteRecord } from '../../src/web/app.ts';

export const REVIEW_PARAMS = ['reviewId', 'reviewPriorityId', 'reviewAreaId', 'documentId'];

export async function buildReviewFixture(k: Kysely<Database>, partnershipId: number): Promise<Record<string, number>> {
  const review = await createReview(k, SYSTEM_ACTOR, partnershipId, { title: `Walk review ${Math.random().toFixed(6)}`, startYear: '2018', endYear: '2021' });
  const priority = await createReviewPriority(k, SYSTEM_ACTOR, partnershipId, review.id, { title: 'Walk priority', keyOutputs: 'One output' });
  const area = await createReviewArea(k, SYSTEM_ACTOR, partnershipId, priority.id, { title: 'Walk area' });
  const job = await requestDocument(k, { ...SYSTEM_ACTOR, name: 'Walker' }, partnershipId, { kind: 'annual_review', format: 'docx', reviewId: review.id });
  await markRunning(k, job.id);
  await completeJob(k, job.id, { fileName: 'walk.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', content: Buffer.from('PK walk') });
  return { reviewId: review.id, reviewPriorityId: priority.id, reviewAreaId: area.id, documentId: job.id };
}

/** A valid API body for a document route, or undefined when the route is not one. */
export function documentApiBody(route: RouteRecord): { body: unknown } | undefined {
  if (route.method === 'POST' && route.url.endsWith('/documents')) return { body: { kind: 'board_pack', format: 'docx', quarter: '2019/20 Q4' } };
  return undefined;
}
