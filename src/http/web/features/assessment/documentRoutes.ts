/**
 * The strategic assessment document: a page for a chosen 12-month window and chosen comparators, and the same
 * document as PDF (printed by Chromium) and DOCX downloads. The document is built in src/presentation/documents/assessmentDocument.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppServices } from '../../../context.ts';
import type { CrimeData } from '../../../../services/assessment/crimeData.ts';
import { loadAssessmentReport, requireAssessmentReport } from '../../../../presentation/documents/assessmentDocument.ts';
import { attachment } from '../../../../presentation/documents/document.ts';
import { toDocx } from '../../../../presentation/documents/docx.ts';
import { toPrintHtml } from '../../../../presentation/documents/html.ts';
import { PdfUnavailableError } from '../../../../adapters/chromium/pdfPrinter.ts';
import { formatPeriodLabel } from '../../../../domain/index.ts';
import { formatNumber } from '../../../../presentation/charts/index.ts';
import { DOCX_TYPE } from '../plans/documentRoutes.ts';

/** The query that chooses the document: ?end=YYYY-MM&partnerships=<id>&authorities=<lines>. */
function choiceOf(request: FastifyRequest) {
  const q = request.query as Record<string, unknown>;
  return { end: q.end, choice: { partnerships: q.partnerships, authorities: q.authorities } };
}

/** The same choice as a query string for the download links. */
function queryString(end: string, partnerships: string[], authorities: unknown): string {
  const params = new URLSearchParams({ end });
  for (const id of partnerships) params.append('partnerships', id);
  if (typeof authorities === 'string' && authorities.trim() !== '') params.set('authorities', authorities);
  return params.toString();
}

export async function documentRoutes(app: FastifyInstance, { db }: AppServices, crimeData: CrimeData): Promise<void> {
  const base = (request: FastifyRequest) => `/partnerships/${request.access!.partnership.id}/assessment`;

  app.get('/partnerships/:partnershipId/assessment/document', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const { end, choice } = choiceOf(request);
    const loaded = await loadAssessmentReport(db.kysely, crimeData, request.access!.partnership, end, choice);
    const c = loaded.choice;
    const qs = c.end ? queryString(c.end, c.chosenIds, choice.authorities) : '';
    return reply.render(
      'features/assessment/document.njk',
      {
        title: 'Strategic assessment document',
        section: 'assessment',
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: request.access!.partnership.name, href: `/partnerships/${request.access!.partnership.id}` },
          { text: 'Strategic assessment', href: base(request) },
        ],
        base: base(request),
        problem: loaded.problem,
        errors: c.errors,
        months: c.months.map((m) => ({ value: m, text: formatPeriodLabel(m), selected: m === c.end })),
        partnershipItems: c.others.map((o) => ({
          value: String(o.id),
          text: o.name,
          hint: { text: `${o.localAuthorities.join(', ') || 'LSOA codes only'}${o.population ? `; population ${formatNumber(o.population)}` : '; no population recorded'}` },
          checked: c.chosenIds.includes(String(o.id)),
        })),
        authorities: typeof choice.authorities === 'string' ? choice.authorities : '',
        report: loaded.report,
        pdfHref: `${base(request)}/document.pdf?${qs}`,
        docxHref: `${base(request)}/document.docx?${qs}`,
      },
      c.errors.length ? 400 : 200,
    );
  });

  app.get('/partnerships/:partnershipId/assessment/document.docx', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const { end, choice } = choiceOf(request);
    const report = await requireAssessmentReport(db.kysely, crimeData, request.access!.partnership, end, choice);
    const docx = await toDocx(report.document);
    return reply.type(DOCX_TYPE).header('Content-Disposition', attachment(`${report.fileName}.docx`)).send(docx);
  });

  app.get('/partnerships/:partnershipId/assessment/document.pdf', { config: { auth: 'partnership.read' } }, async (request, reply: FastifyReply) => {
    const { end, choice } = choiceOf(request);
    const report = await requireAssessmentReport(db.kysely, crimeData, request.access!.partnership, end, choice);
    try {
      const pdf = await app.pdfPrinter.print(toPrintHtml(report.document), { header: report.document.runningHeader, footer: report.document.organisation });
      return reply.type('application/pdf').header('Content-Disposition', attachment(`${report.fileName}.pdf`)).send(pdf);
    } catch (e) {
      if (!(e instanceof PdfUnavailableError)) throw e;
      request.log.warn({ err: e }, 'PDF unavailable');
      const qs = request.url.split('?')[1] ?? '';
      return reply.render(
        'features/plans/pdf-unavailable.njk',
        { title: 'The PDF cannot be made at the moment', reason: e.message.replace(/^PDF documents are not available on this server: /, ''), docxHref: `${base(request)}/document.docx?${qs}`, backHref: `${base(request)}/document?${qs}` },
        503,
      );
    }
  });
}
