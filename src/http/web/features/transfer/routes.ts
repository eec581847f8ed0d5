/**
 * Moving a whole partnership between CSP Hub instances: its administrator downloads everything as one JSON file
 * (linked from the partnership's settings), and a platform administrator imports such a file as a new
 * partnership, with every problem in the file listed, and sees what came in. Behaviour is in
 * src/services/transfer/partnershipExport.ts and partnershipImport.ts.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { attachment } from '../../../../presentation/documents/document.ts';
import { exportPartnership } from '../../../../services/transfer/partnershipExport.ts';
import { importPartnership, importRecord, IMPORT_LIMIT_BYTES, type ImportProblem } from '../../../../services/transfer/partnershipImport.ts';
import { ValidationError, type FieldError } from '../../../../domain/errors.ts';
import { ROLE_LABELS } from '../../../../services/partnerships/authorisation.ts';
import { explainBodyLimit, parseMultipart, type UploadedFile } from '../../../multipart.ts';

const LABELS: Record<string, string> = {
  users: 'People matched to accounts here',
  partnerships: 'Partnership',
  rag_overrides: 'RAG overrides',
  indicator_links: 'Indicator links to priorities and objectives',
  theme_priorities: 'Theme–priority links',
};

/** A table's name as people read it: plan_versions → Plan versions. */
export function tableLabel(table: string): string {
  const s = LABELS[table] ?? table.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const megabytes = `${IMPORT_LIMIT_BYTES / 1024 / 1024} MB`;

export async function transferRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;

  app.get('/partnerships/:partnershipId/export.json', { config: { auth: 'partnership.export' } }, async (request, reply) => {
    const file = await exportPartnership(k, actorOf(request.user!), request.access!.partnership.id);
    return reply.type('application/json; charset=utf-8').header('Content-Disposition', attachment(file.fileName)).header('Content-Length', file.bytes).send(Readable.from(file.chunks));
  });

  app.get('/partnerships/:partnershipId/import-result', { config: { auth: 'partnership.update' } }, async (request, reply) => {
    const { partnership } = request.access!;
    const record = await importRecord(k, partnership.id);
    return reply.render('features/transfer/result.njk', {
      title: record ? `${partnership.name} was imported` : 'Import details',
      section: 'settings',
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: partnership.name, href: `/partnerships/${partnership.id}` },
      ],
      partnership,
      record,
      counts: record ? Object.entries(record.counts).filter(([table, n]) => n > 0 || table === 'users').map(([table, n]) => ({ label: tableLabel(table), n })) : [],
      roleLabels: ROLE_LABELS,
    });
  });

  const crumbs = [
    { text: 'Home', href: '/' },
    { text: 'All partnerships', href: '/admin/partnerships' },
  ];
  const formPage = (reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) =>
    reply.render('features/transfer/import.njk', { title: 'Import a partnership', breadcrumbs: crumbs, values: {}, limit: megabytes, ...extra }, status);

  app.get('/admin/partnerships/import', { config: { auth: 'platform-admin' } }, async (_request, reply) => formPage(reply));

  // The upload has its own multipart reader, with room for a file of up to IMPORT_LIMIT_BYTES.
  await app.register(async (scope) => {
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: IMPORT_LIMIT_BYTES + 1024 * 1024 }, (request, body, done) => {
      try {
        done(null, parseMultipart(body as Buffer, String(request.headers['content-type'] ?? '')));
      } catch (e) {
        done(e as Error, undefined);
      }
    });
    explainBodyLimit(scope, `The file is larger than ${megabytes}, the largest partnership file CSP Hub imports`);
    scope.post('/admin/partnerships/import', { config: { auth: 'platform-admin' } }, async (request: FastifyRequest, reply) => {
      const body = (request.body ?? {}) as Record<string, string | UploadedFile>;
      const file = typeof body.file === 'object' ? body.file : null;
      const name = typeof body.name === 'string' ? body.name : '';
      try {
        if (!file || file.data.length === 0) throw new ValidationError([{ field: 'file', message: 'Choose a CSP Hub partnership export file (.json)' }]);
        const result = await importPartnership(k, actorOf(request.user!), request.user!, file.data, { name });
        return reply.flash(`${result.partnership.name} has been imported`).redirect(`/partnerships/${result.partnership.id}/import-result`, 303);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        const problems = e.errors.filter((x): x is ImportProblem => (x as ImportProblem).path !== undefined);
        const fileErrors = e.errors.filter((x) => x.field === 'file');
        const errors: FieldError[] = e.errors.filter((x) => x.field !== 'file');
        if (fileErrors.length === 1) errors.push({ field: 'file', message: fileErrors[0]!.message });
        else if (fileErrors.length > 1) errors.push({ field: 'file', message: `The file has ${problems.filter((p) => p.path !== '').length}${problems.some((p) => p.path === '') ? ' or more' : ''} problems, listed below. Nothing has been imported` });
        return formPage(reply, { errors, problems: fileErrors.length > 1 || problems.length ? problems : [], fileName: file?.filename, values: { name } }, 400);
      }
    });
  });
}
