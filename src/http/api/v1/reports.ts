/**
 * The exception report over the API as PDF or DOCX: the same document as the page's downloads
 * (src/presentation/documents/exceptionReport.ts), as at today. 503 with a JSON problem when Chromium cannot print the PDF.
 */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../context.ts';
import { nowIso } from '../../../adapters/clock.ts';
import { PdfUnavailableError } from '../../../adapters/chromium/pdfPrinter.ts';
import { CONTENT_TYPES } from '../../../services/documents/documentJobs.ts';
import { attachment } from '../../../presentation/documents/document.ts';
import { exceptionReportFile, loadExceptionReport } from '../../../presentation/documents/exceptionReport.ts';
import { errors, idParam, problem } from './schemas.ts';

const binary = (type: string, description: string) => ({
  description,
  content: { [type]: { schema: { type: 'string', format: 'binary' } } },
});

export async function reportApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;
  for (const format of ['pdf', 'docx'] as const)
    app.get(
      `/partnerships/:partnershipId/reports/exceptions.${format}`,
      {
        config: { auth: 'partnership.read' },
        schema: {
          tags: ['Reports'],
          summary: `The exception report as ${format === 'pdf' ? 'a PDF' : 'a Word document (DOCX)'}`,
          params: { type: 'object', properties: { partnershipId: idParam } },
          produces: [CONTENT_TYPES[format]],
          response: {
            200: binary(CONTENT_TYPES[format], 'Red, worsening or missing indicators and red, delayed or overdue activities, as at today'),
            ...errors,
            ...(format === 'pdf' ? { 503: { ...problem, description: 'PDF documents cannot be made at the moment' } } : {}),
          },
        },
      },
      async (request, reply) => {
        const report = await loadExceptionReport(k, request.access!.partnership.id, nowIso().slice(0, 10));
        try {
          const file = await exceptionReportFile(report, app.pdfPrinter, format);
          return reply.type(file.contentType).header('Content-Disposition', attachment(file.fileName)).send(file.content);
        } catch (e) {
          if (!(e instanceof PdfUnavailableError)) throw e;
          request.log.warn({ err: e }, 'PDF unavailable');
          return reply.code(503).send({ error: 'Service Unavailable', message: e.message });
        }
      },
    );
}
