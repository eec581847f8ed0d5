/**
 * An annual review with one priority and one objective area, and a finished generated document, built through
 * the services: what the authorisation walk needs to call every review and document route with real identifiers.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/adapters/database/schema.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { createReview, createReviewArea, createReviewPriority } from '../../src/services/plans/reviews.ts';
import { requestDocument } from '../../src/services/documents/documentJobs.ts';
import type { RouteRecord } from '../../src/http/app.ts';

export const REVIEW_PARAMS = ['reviewId', 'reviewPriorityId', 'reviewAreaId', 'documentId'];

export async function buildReviewFixture(k: Kysely<Database>, partnershipId: number): Promise<Record<string, number>> {
  const review = await createReview(k, SYSTEM_ACTOR, partnershipId, {
    title: `Walk review ${Math.random().toFixed(6)}`,
    startYear: '2018',
    endYear: '2021',
  });
  const priority = await createReviewPriority(k, SYSTEM_ACTOR, partnershipId, review.id, {
    title: 'Walk priority',
    keyOutputs: 'One output',
  });
  const area = await createReviewArea(k, SYSTEM_ACTOR, partnershipId, priority.id, { title: 'Walk area' });
  const job = await requestDocument(k, { ...SYSTEM_ACTOR, name: 'Walker' }, partnershipId, {
    kind: 'annual_review',
    format: 'docx',
    reviewId: review.id,
  });
  // Finished at once, whoever may have claimed it meanwhile: a runner that did no longer holds it (claimed_by).
  const content = Buffer.from('PK walk');
  await k
    .updateTable('document_jobs')
    .set({
      status: 'done',
      progress: 100,
      stage: 'Finished',
      claimed_by: null,
      lease_expires_at: null,
      finished_at: new Date().toISOString(),
      file_name: 'walk.docx',
      content_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      size_bytes: content.length,
      content,
    })
    .where('id', '=', job.id)
    .execute();
  return { reviewId: review.id, reviewPriorityId: priority.id, reviewAreaId: area.id, documentId: job.id };
}

/** A valid API body for a document route, or undefined when the route is not one. */
export function documentApiBody(route: RouteRecord): { body: unknown } | undefined {
  if (route.method === 'POST' && route.url.endsWith('/documents'))
    return { body: { kind: 'board_pack', format: 'docx', quarter: '2019/20 Q4' } };
  return undefined;
}
