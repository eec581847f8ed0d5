/**
 * Importing a partnership file as a new partnership (platform administrators): the form, and the upload with its
 * own multipart reader; every problem in the file is listed with its place, and nothing is imported.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import {
  importLimitMessage,
  importPartnership,
  megabytesText,
  type ImportProblem,
} from '../../../../services/transfer/partnershipImport.ts';
import { ValidationError, type FieldError } from '../../../../domain/errors.ts';
import { explainBodyLimit, parseMultipart, type UploadedFile } from '../../../multipart.ts';

/** What the form says when an import is refused: one message a field (the file's problems counted), and the file's problems. */
function refusal(e: ValidationError): { errors: FieldError[]; problems: ImportProblem[] } {
  const problems = e.errors.filter((x): x is ImportProblem => (x as ImportProblem).path !== undefined);
  const fileErrors = e.errors.filter((x) => x.field === 'file');
  const errors: FieldError[] = e.errors.filter((x) => x.field !== 'file');
  if (fileErrors.length === 1) errors.push({ field: 'file', message: fileErrors[0]!.message });
  else if (fileErrors.length > 1)
    errors.push({
      field: 'file',
      message: `The file has ${problems.filter((p) => p.path !== '').length}${problems.some((p) => p.path === '') ? ' or more' : ''} problems, listed below. Nothing has been imported`,
    });
  return { errors, problems: fileErrors.length > 1 || problems.length ? problems : [] };
}

export async function partnershipImportRoutes(app: FastifyInstance, { db, config }: AppServices): Promise<void> {
  const k = db.kysely;
  const limitBytes = config.importLimitBytes;
  const megabytes = megabytesText(limitBytes);

  const crumbs = [
    { text: 'Home', href: '/' },
    { text: 'All partnerships', href: '/admin/partnerships' },
  ];
  const formPage = (reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) =>
    reply.render(
      'features/transfer/import.njk',
      { title: 'Import a partnership', breadcrumbs: crumbs, values: {}, limit: megabytes, ...extra },
      status,
    );

  app.get('/admin/partnerships/import', { config: { auth: 'platform-admin' } }, async (_request, reply) => formPage(reply));

  // The upload has its own multipart reader, with room for a file of up to the limit (IMPORT_LIMIT_MB).
  await app.register(async (scope) => {
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: limitBytes + 1024 * 1024 }, (request, body, done) => {
      try {
        done(null, parseMultipart(body as Buffer, String(request.headers['content-type'] ?? '')));
      } catch (e) {
        done(e as Error, undefined);
      }
    });
    explainBodyLimit(scope, importLimitMessage(limitBytes));
    scope.post('/admin/partnerships/import', { config: { auth: 'platform-admin' } }, async (request: FastifyRequest, reply) => {
      const body = (request.body ?? {}) as Record<string, string | UploadedFile>;
      const file = typeof body.file === 'object' ? body.file : null;
      const name = typeof body.name === 'string' ? body.name : '';
      try {
        if (!file || file.data.length === 0)
          throw new ValidationError([{ field: 'file', message: 'Choose a CSP Hub partnership export file (.json)' }]);
        const result = await importPartnership(k, actorOf(request.user!), request.user!, file.data, {
          name,
          baseUrl: config.baseUrl,
          limitBytes,
        });
        return reply
          .flash(`${result.partnership.name} has been imported`)
          .redirect(`/partnerships/${result.partnership.id}/import-result`, 303);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        return formPage(reply, { ...refusal(e), fileName: file?.filename, values: { name } }, 400);
      }
    });
  });
}
