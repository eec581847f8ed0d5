/**
 * National official data (ADR 0028), for platform administrators: upload the Home Office table of police recorded
 * crime by CSP, ONS mid-year population estimates, the indices of deprivation (CSV or XLSX) or LSOA boundaries
 * (GeoJSON), follow each import's progress, and see what
 * was imported or every problem that refused a file.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { ConflictError, ValidationError } from '../../../../domain/errors.ts';
import { explainBodyLimit, parseMultipart, type UploadedFile } from '../../../multipart.ts';
import {
  KIND_TEXT,
  OFFICIAL_KINDS,
  OFFICIAL_UPLOAD_LIMIT_BYTES,
  UPLOAD_LIMIT_TEXT,
  getImport,
  listImports,
  startUpload,
  type ImportRecord,
} from '../../../../services/evidence/officialImport.ts';

const STAGE_TEXT: Record<string, string> = {
  checking: 'Checking every row',
  replacing: 'Replacing the years in the file',
  writing: 'Saving',
  done: 'Finished',
  refused: 'Refused',
  failed: 'Stopped',
};

function importView(i: ImportRecord) {
  return {
    ...i,
    kindText: KIND_TEXT[i.kind],
    stageText: STAGE_TEXT[i.stage] ?? i.stage,
    rowsReadText: i.rowsRead.toLocaleString('en-GB'),
    rowsWrittenText: i.rowsWritten.toLocaleString('en-GB'),
  };
}

export async function officialDataRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;
  const page = async (reply: FastifyReply, ctx: Record<string, unknown> = {}, status = 200) =>
    reply.render(
      'features/official-data/index.njk',
      {
        title: 'Official data',
        breadcrumbs: [{ text: 'Home', href: '/' }],
        kindItems: OFFICIAL_KINDS.map((kind) => ({ value: kind, text: KIND_TEXT[kind], checked: ctx.kind === kind })),
        imports: (await listImports(k)).map(importView),
        ...ctx,
      },
      status,
    );

  app.get('/admin/official-data', { config: { auth: 'platform-admin' } }, async (_request, reply) => page(reply));

  app.get('/admin/official-data/imports/:importId', { config: { auth: 'platform-admin' } }, async (request, reply) => {
    const i = await getImport(k, Number((request.params as { importId: string }).importId));
    return reply.render('features/official-data/import.njk', {
      title: `Import ${i.id}: ${i.fileName}`,
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Official data', href: '/admin/official-data' },
      ],
      i: importView(i),
    });
  });

  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'buffer', bodyLimit: OFFICIAL_UPLOAD_LIMIT_BYTES + 1024 * 1024 },
      (request, body, done) => {
        try {
          done(null, parseMultipart(body as Buffer, String(request.headers['content-type'] ?? '')));
        } catch (e) {
          done(e as Error, undefined);
        }
      },
    );
    explainBodyLimit(scope, UPLOAD_LIMIT_TEXT);
    scope.post('/admin/official-data', { config: { auth: 'platform-admin' } }, async (request: FastifyRequest, reply) => {
      const body = (request.body ?? {}) as Record<string, string | UploadedFile>;
      const file = typeof body.file === 'object' ? body.file : null;
      const kind = typeof body.kind === 'string' ? body.kind : '';
      try {
        const id = await startUpload(k, actorOf(request.user!), { kind, fileName: file?.filename ?? '', data: file?.data ?? null });
        return reply.redirect(`/admin/official-data/imports/${id}`, 303);
      } catch (e) {
        if (e instanceof ValidationError) return page(reply, { errors: e.errors, kind }, 400);
        if (e instanceof ConflictError) return page(reply, { errors: [{ field: 'file', message: e.message }], kind }, 409);
        throw e;
      }
    });
  });
}
