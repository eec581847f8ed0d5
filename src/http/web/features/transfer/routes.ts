/**
 * Moving a whole partnership between CSP Hub instances: its administrator downloads everything as one JSON file
 * (linked from the partnership's settings), and a platform administrator imports such a file as a new
 * partnership, with every problem in the file listed (importRoutes.ts), and sees what came in. Behaviour is in
 * src/services/transfer/partnershipExport.ts and partnershipImport.ts.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { attachment } from '../../../../presentation/documents/document.ts';
import { exportPartnership } from '../../../../services/transfer/partnershipExport.ts';
import { importRecord } from '../../../../services/transfer/partnershipImport.ts';
import { ROLE_LABELS, tableLabel } from '../../../../presentation/labels.ts';
import { partnershipImportRoutes } from './importRoutes.ts';

export async function transferRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  const k = services.db.kysely;

  app.get('/partnerships/:partnershipId/export.json', { config: { auth: 'partnership.export' } }, async (request, reply) => {
    const file = await exportPartnership(k, actorOf(request.user!), request.access!.partnership.id, { baseUrl: services.config.baseUrl });
    return reply
      .type('application/json; charset=utf-8')
      .header('Content-Disposition', attachment(file.fileName))
      .header('Content-Length', file.bytes)
      .send(Readable.from(file.chunks));
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
      counts: record
        ? Object.entries(record.counts)
            .filter(([table, n]) => n > 0 || table === 'users')
            .map(([table, n]) => ({ label: tableLabel(table), n }))
        : [],
      roleLabels: ROLE_LABELS,
    });
  });

  await partnershipImportRoutes(app, services);
}
