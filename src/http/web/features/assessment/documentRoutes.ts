/**
 * The strategic assessment document: a page for a chosen 12-month window and chosen comparators, and the same
 * document as PDF (printed by Chromium) and DOCX downloads. The figures are loaded by
 * src/services/assessment/assessmentAnalysis.ts and the document built by src/presentation/documents/assessmentDocument.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { loadAssessmentDocument } from '../../../../services/assessment/assessmentAnalysis.ts';
import { assessmentReport } from '../../../../presentation/documents/assessmentDocument.ts';
import { attachment } from '../../../../presentation/documents/document.ts';
import { toDocx } from '../../../../presentation/documents/docx.ts';
import { toPrintHtml } from '../../../../presentation/documents/html.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { PdfUnavailableError } from '../../../../adapters/chromium/pdfPrinter.ts';
import { DOCX_TYPE } from '../plans/documentRoutes.ts';
import { assessmentBase, assessmentCrumbs, comparatorItems, monthItems } from './pageParts.ts';

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

/**
 * The report for a download; without one, the page saying why (a bad choice of comparators is a 400 naming the
 * field; no assessment is a 409 saying what is missing, the months needed and where to put it right) and null.
 */
async function reportFor(app: FastifyInstance, { db }: AppServices, request: FastifyRequest, reply: FastifyReply) {
  const { end, choice } = choiceOf(request);
  const loaded = await loadAssessmentDocument(db.kysely, app.crimeData, request.access!.partnership, end, choice);
  if (loaded.choice.errors.length) throw new ValidationError(loaded.choice.errors);
  if (loaded.data) return assessmentReport(loaded.data);
  const base = assessmentBase(request);
  await reply.render(
    'features/assessment/no-document.njk',
    {
      title: 'There is no strategic assessment document yet',
      section: 'assessment',
      breadcrumbs: assessmentCrumbs(request),
      base,
      problem: loaded.problem ?? 'There are no figures for the window chosen.',
      gap: loaded.gap,
    },
    409,
  );
  return null;
}

export async function documentRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  const { db } = services;

  app.get('/partnerships/:partnershipId/assessment/document', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const { end, choice } = choiceOf(request);
    const loaded = await loadAssessmentDocument(db.kysely, app.crimeData, request.access!.partnership, end, choice);
    const c = loaded.choice;
    const base = assessmentBase(request);
    const qs = c.end ? queryString(c.end, c.chosenIds, choice.authorities) : '';
    const page = { title: 'Strategic assessment document', section: 'assessment', breadcrumbs: assessmentCrumbs(request), base };
    return reply.render(
      'features/assessment/document.njk',
      {
        ...page,
        problem: loaded.problem,
        gap: loaded.gap,
        errors: c.errors,
        months: monthItems(c.months, c.end),
        partnershipItems: comparatorItems(c.others, c.chosenIds),
        authorities: typeof choice.authorities === 'string' ? choice.authorities : '',
        report: loaded.data ? assessmentReport(loaded.data) : null,
        pdfHref: `${base}/document.pdf?${qs}`,
        docxHref: `${base}/document.docx?${qs}`,
      },
      c.errors.length ? 400 : 200,
    );
  });

  app.get('/partnerships/:partnershipId/assessment/document.docx', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const report = await reportFor(app, services, request, reply);
    if (!report) return reply;
    const docx = await toDocx(report.document, { pictures: app.pdfPrinter });
    return reply
      .type(DOCX_TYPE)
      .header('Content-Disposition', attachment(`${report.fileName}.docx`))
      .send(docx);
  });

  app.get(
    '/partnerships/:partnershipId/assessment/document.pdf',
    { config: { auth: 'partnership.read' } },
    async (request, reply: FastifyReply) => {
      const report = await reportFor(app, services, request, reply);
      if (!report) return reply;
      try {
        const pdf = await app.pdfPrinter.print(toPrintHtml(report.document), {
          header: report.document.runningHeader,
          footer: report.document.organisation,
        });
        return reply
          .type('application/pdf')
          .header('Content-Disposition', attachment(`${report.fileName}.pdf`))
          .send(pdf);
      } catch (e) {
        if (!(e instanceof PdfUnavailableError)) throw e;
        request.log.warn({ err: e }, 'PDF unavailable');
        const base = assessmentBase(request);
        const qs = request.url.split('?')[1] ?? '';
        return reply.render(
          'features/plans/pdf-unavailable.njk',
          {
            title: 'The PDF cannot be made at the moment',
            reason: e.message.replace(/^PDF documents are not available on this server: /, ''),
            docxHref: `${base}/document.docx?${qs}`,
            backHref: `${base}/document?${qs}`,
          },
          503,
        );
      }
    },
  );
}
