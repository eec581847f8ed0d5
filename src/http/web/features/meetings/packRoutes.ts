/** The meeting pack (agenda, papers, previous minutes and actions) as DOCX, and as PDF when the server can print one. */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../../adapters/database/schema.ts';
import { loadMeetingPack, meetingPackDocument } from '../../../../presentation/documents/meetingPack.ts';
import { toDocx } from '../../../../presentation/documents/docx.ts';
import { toPrintHtml } from '../../../../presentation/documents/html.ts';
import { attachment } from '../../../../presentation/documents/document.ts';
import { PdfUnavailableError } from '../../../../adapters/chromium/pdfPrinter.ts';
import { base, meetingParam, pid } from './meetingPages.ts';

export function meetingPackRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  app.get(
    '/partnerships/:partnershipId/meetings/:meetingId/pack.docx',
    { config: { auth: 'partnership.read' } },
    async (request, reply) => {
      const pack = await loadMeetingPack(k, pid(request), meetingParam(request));
      const docx = await toDocx(meetingPackDocument(pack));
      return reply
        .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header('Content-Disposition', attachment(`${pack.fileName}.docx`))
        .send(docx);
    },
  );

  app.get('/partnerships/:partnershipId/meetings/:meetingId/pack.pdf', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const pack = await loadMeetingPack(k, pid(request), meetingParam(request));
    const document = meetingPackDocument(pack);
    try {
      const pdf = await app.pdfPrinter.print(toPrintHtml(document), { header: document.runningHeader, footer: document.organisation });
      return reply
        .type('application/pdf')
        .header('Content-Disposition', attachment(`${pack.fileName}.pdf`))
        .send(pdf);
    } catch (e) {
      if (!(e instanceof PdfUnavailableError)) throw e;
      request.log.warn({ err: e }, 'PDF unavailable');
      const href = `${base(request)}/meetings/${pack.details.meeting.id}`;
      return reply.render(
        'features/plans/pdf-unavailable.njk',
        {
          title: 'The PDF cannot be made at the moment',
          reason: e.message.replace(/^PDF documents are not available on this server: /, ''),
          docxHref: `${href}/pack.docx`,
          backHref: href,
        },
        503,
      );
    }
  });
}
