/**
 * Uploaded papers of a meeting (ADR 0040): the upload (its own multipart reader, with room for a paper of up to
 * PAPER_MAX_BYTES), the download for anyone who can see the meeting, and removing a paper (a link or a file).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../../adapters/database/schema.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { PAPER_MAX_BYTES } from '../../../../domain/paperFiles.ts';
import { getPaperFile, removePaper, uploadPaper } from '../../../../services/meetings/papers.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import { attachment } from '../../../../presentation/documents/document.ts';
import { explainBodyLimit, parseMultipart, type UploadedFile } from '../../../multipart.ts';
import { actor, base, meetingParam, pid, prefixed } from './meetingPages.ts';
import { meetingPage } from './meetingPageRoutes.ts';

const paperParam = (r: FastifyRequest) => assertValidId((r.params as Record<string, string>).paperId, 'Paper');

export async function meetingPaperRoutes(app: FastifyInstance, k: Kysely<Database>): Promise<void> {
  app.get(
    '/partnerships/:partnershipId/meetings/:meetingId/papers/:paperId/file',
    { config: { auth: 'partnership.read' } },
    async (request, reply) => {
      const file = await getPaperFile(k, pid(request), meetingParam(request), paperParam(request));
      return reply
        .type(file.contentType)
        .header('Content-Disposition', attachment(file.fileName))
        .header('X-Content-Type-Options', 'nosniff')
        .send(file.content);
    },
  );

  app.post(
    '/partnerships/:partnershipId/meetings/:meetingId/papers/:paperId/delete',
    { config: { auth: 'meeting.write' } },
    async (request, reply) => {
      const paper = await removePaper(k, actor(request), pid(request), meetingParam(request), paperParam(request));
      return reply
        .flash(`The paper "${paper.title}" has been removed`)
        .redirect(`${base(request)}/meetings/${paper.meeting_id}#papers`, 303);
    },
  );

  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'buffer', bodyLimit: PAPER_MAX_BYTES + 1024 * 1024 },
      (request, body, done) => {
        try {
          done(null, parseMultipart(body as Buffer, String(request.headers['content-type'] ?? '')));
        } catch (e) {
          done(e as Error, undefined);
        }
      },
    );
    explainBodyLimit(scope, `The file is larger than ${PAPER_MAX_BYTES / 1024 / 1024} MB, the largest paper CSP Hub keeps`);
    scope.post(
      '/partnerships/:partnershipId/meetings/:meetingId/papers/upload',
      { config: { auth: 'meeting.write' } },
      async (request, reply) => {
        const body = (request.body ?? {}) as Record<string, string | UploadedFile>;
        const file = typeof body.file === 'object' ? body.file : null;
        const text = (name: string) => (typeof body[name] === 'string' ? body[name] : '');
        try {
          const paper = await uploadPaper(k, actor(request), pid(request), meetingParam(request), {
            title: text('title'),
            agendaItemId: text('agendaItemId'),
            file,
          });
          return reply
            .flash(`The paper "${paper.title}" has been uploaded`)
            .redirect(`${base(request)}/meetings/${paper.meeting_id}#papers`, 303);
        } catch (e) {
          if (!(e instanceof ValidationError)) throw e;
          const values = { title: text('title'), agendaItemId: text('agendaItemId') };
          return meetingPage(k, request, reply, { errors: prefixed('upload', e.errors), values: { upload: values } }, 400);
        }
      },
    );
  });
}
