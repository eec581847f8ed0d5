/**
 * Importing police.uk files: the files in the server's police.uk folder to choose from, the running import's
 * progress and its summary (rows accepted, each rejected row), and browser uploads, whose bytes are passed on to
 * the police.uk imports service (src/services/assessment/crimeData.ts) as they arrive.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../../../../domain/errors.ts';
import type { ImportJob } from '../../../../services/assessment/crimeData.ts';
import { assessmentBase, assessmentCrumbs } from './pageParts.ts';

/** The content types a browser may send an uploaded file as; the body is passed on as a stream. */
const UPLOAD_TYPES = ['application/zip', 'application/x-zip-compressed', 'text/csv', 'application/octet-stream'];

const STAGE_TEXT = {
  reading: 'Reading files',
  checking: 'Checking every row',
  replacing: 'Replacing months',
  committing: 'Saving',
  done: 'Finished',
} as const;

/** The import's progress for the page: whether it runs, how far (a percentage of the bytes) and at which stage. */
function progressView(job: ImportJob | null) {
  const p = job?.progress;
  return {
    job,
    running: job !== null && !job.finished,
    percent: p && p.bytesTotal > 0 ? Math.floor((p.bytesDone / p.bytesTotal) * 100) : 0,
    stageText: p ? STAGE_TEXT[p.stage] : 'Starting',
  };
}

export async function importRoutes(app: FastifyInstance): Promise<void> {
  const crimeData = app.crimeData;

  const importPage = async (request: FastifyRequest, reply: FastifyReply, ctx: Record<string, unknown>, status = 200) =>
    reply.render(
      'features/assessment/import.njk',
      {
        title: 'Import police.uk data',
        section: 'assessment',
        breadcrumbs: assessmentCrumbs(request),
        action: `${assessmentBase(request)}/import`,
        base: assessmentBase(request),
        sources: crimeData.sources().map((s) => ({ value: s.name, text: s.name, hint: { text: s.kind } })),
        ...progressView(await crimeData.jobFor(request.access!.partnership.id)),
        ...ctx,
      },
      status,
    );

  app.get('/partnerships/:partnershipId/assessment/import', { config: { auth: 'assessment.import' } }, async (request, reply) =>
    importPage(request, reply, {}),
  );

  app.post('/partnerships/:partnershipId/assessment/import', { config: { auth: 'assessment.import' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    try {
      await crimeData.startImport(request.access!.partnership.id, body.source, request.user!.email);
      return reply.redirect(`${assessmentBase(request)}/import`, 303);
    } catch (e) {
      if (e instanceof ValidationError) return importPage(request, reply, { errors: e.errors }, 400);
      throw e;
    }
  });

  // Browser uploads (with JavaScript): each file is saved by the imports service into the server's police.uk
  // folder, then imported like any other source there.
  await app.register(async (uploads) => {
    for (const type of UPLOAD_TYPES) uploads.addContentTypeParser(type, (_request, payload, done) => done(null, payload));
    uploads.post('/partnerships/:partnershipId/assessment/upload', { config: { auth: 'assessment.import' } }, async (request, reply) => {
      const query = request.query as { name?: unknown; batch?: unknown };
      return reply.send(await crimeData.saveUpload({ name: query.name, batch: query.batch, file: request.body }));
    });
  });
}
