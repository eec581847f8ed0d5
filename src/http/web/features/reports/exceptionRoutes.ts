/**
 * The exception report for the Performance & Delivery Group: indicators needing attention with the lead's
 * commentary, and the delivery activities overdue or red in the plan in force, as at today; as a page and as PDF
 * and DOCX downloads, all from one model (src/presentation/documents/exceptionReport.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { nowIso } from '../../../../adapters/clock.ts';
import { PdfUnavailableError } from '../../../../adapters/chromium/pdfPrinter.ts';
import { attachment } from '../../../../presentation/documents/document.ts';
import { collectionSentence, exceptionReportFile, loadExceptionReport } from '../../../../presentation/documents/exceptionReport.ts';
import { base, pid, reportCrumbs } from './shared.ts';

/** The page said instead of a PDF when Chromium cannot print one, with the DOCX offered. */
function pdfUnavailable(request: FastifyRequest, reply: FastifyReply, e: PdfUnavailableError) {
  request.log.warn({ err: e }, 'PDF unavailable');
  return reply.render(
    'features/plans/pdf-unavailable.njk',
    {
      title: 'The PDF cannot be made at the moment',
      reason: e.message.replace(/^PDF documents are not available on this server: /, ''),
      docxHref: `${base(request)}/reports/exceptions.docx`,
      backHref: `${base(request)}/reports/exceptions`,
    },
    503,
  );
}

export function exceptionReportRoutes(app: FastifyInstance, { db }: AppServices): void {
  const k = db.kysely;
  app.get('/partnerships/:partnershipId/reports/exceptions', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const report = await loadExceptionReport(k, pid(request), nowIso().slice(0, 10));
    return reply.render('features/reports/exceptions.njk', {
      title: 'Exception report',
      section: 'reports',
      breadcrumbs: reportCrumbs(request),
      base: base(request),
      indicators: report.indicators.map((i) => ({ ...i, href: `${base(request)}/indicators/${i.id}` })),
      activities: report.activities,
      collection: report.collection,
      collectionSentence: collectionSentence(report),
      todayText: report.todayText,
      pdfHref: `${base(request)}/reports/exceptions.pdf`,
      docxHref: `${base(request)}/reports/exceptions.docx`,
    });
  });

  for (const format of ['pdf', 'docx'] as const)
    app.get(
      `/partnerships/:partnershipId/reports/exceptions.${format}`,
      { config: { auth: 'partnership.read' } },
      async (request, reply) => {
        const report = await loadExceptionReport(k, pid(request), nowIso().slice(0, 10));
        try {
          const file = await exceptionReportFile(report, app.pdfPrinter, format);
          return reply.type(file.contentType).header('Content-Disposition', attachment(file.fileName)).send(file.content);
        } catch (e) {
          if (!(e instanceof PdfUnavailableError)) throw e;
          return pdfUnavailable(request, reply, e);
        }
      },
    );
}
