/**
 * The meeting pack (agenda, papers, previous minutes and action log) as PDF or DOCX, generated as a document job
 * (src/services/documents/documentJobs.ts) in the background: asking for it records the job and opens its page,
 * which shows its progress and then the download.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../../adapters/database/schema.ts';
import { getMeeting } from '../../../../services/meetings/meetings.ts';
import { requestDocument } from '../../../../services/documents/documentJobs.ts';
import { documentUrl } from '../documents/routes.ts';
import { meetingParam, pid } from './meetingPages.ts';

export function meetingPackRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  app.post('/partnerships/:partnershipId/meetings/:meetingId/pack', { config: { auth: 'document.generate' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const user = request.user!;
    // Not found (another partnership's meeting) before anything else.
    await getMeeting(k, pid(request), meetingParam(request));
    const job = await requestDocument(k, { userId: user.id, label: user.email, name: user.name }, pid(request), {
      kind: 'meeting_pack',
      format: body.format === 'docx' ? 'docx' : 'pdf',
      meetingId: meetingParam(request),
    });
    app.documentRunner.enqueue(job.id);
    return reply.redirect(documentUrl(pid(request), job.id), 303);
  });
}
