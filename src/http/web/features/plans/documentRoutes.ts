/**
 * The plan document downloads: a plan version as DOCX and as PDF for the partnership, and the published plan's
 * PDF on the public summary (no sign-in). The document itself is built in src/reports.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import { NotFoundError } from '../../../../domain/errors.ts';
import { publishedSummary } from '../../../../services/plans/plans.ts';
import { contentSecurityPolicy, newNonce } from '../../security.ts';
import { buildPlanReport, planDocxFor, planPdf, planReportFor, type PlanReport } from '../../../../presentation/documents/planDocument.ts';
import { attachment } from '../../../../presentation/documents/document.ts';
import { PdfUnavailableError } from '../../../../adapters/chromium/pdfPrinter.ts';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** URL of a version's document: /partnerships/1/plans/2/versions/3/document.docx */
export function planDocumentUrl(partnershipId: number, planId: number, versionId: number, format: 'docx' | 'pdf'): string {
  return `/partnerships/${partnershipId}/plans/${planId}/versions/${versionId}/document.${format}`;
}

export async function planDocumentRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;

  /** The report for the version named in the URL, which must belong to the partnership and the plan. */
  async function reportFor(r: FastifyRequest): Promise<PlanReport> {
    const params = r.params as Record<string, string>;
    return planReportFor(k, r.access!.partnership.id, assertValidId(params.planId, 'Plan'), assertValidId(params.versionId, 'Plan version'));
  }

  async function sendPdf(reply: FastifyReply, report: PlanReport, fallback: { docxHref?: string; backHref?: string }): Promise<FastifyReply> {
    try {
      const pdf = await planPdf(report, app.pdfPrinter);
      return reply.type('application/pdf').header('Content-Disposition', attachment(`${report.fileName}.pdf`)).send(pdf);
    } catch (e) {
      if (!(e instanceof PdfUnavailableError)) throw e;
      reply.request.log.warn({ err: e }, 'PDF unavailable');
      return reply.render('features/plans/pdf-unavailable.njk', { title: 'The PDF cannot be made at the moment', reason: e.message.replace(/^PDF documents are not available on this server: /, ''), ...fallback }, 503);
    }
  }

  app.get('/partnerships/:partnershipId/plans/:planId/versions/:versionId/document.docx', { config: { auth: 'partnership.read' } }, async (r, reply) => {
    const params = r.params as Record<string, string>;
    const { fileName, docx } = await planDocxFor(k, r.access!.partnership.id, assertValidId(params.planId, 'Plan'), assertValidId(params.versionId, 'Plan version'), app.pdfPrinter);
    return reply.type(DOCX_TYPE).header('Content-Disposition', attachment(`${fileName}.docx`)).send(docx);
  });

  app.get('/partnerships/:partnershipId/plans/:planId/versions/:versionId/document.pdf', { config: { auth: 'partnership.read' } }, async (r, reply) => {
    const report = await reportFor(r);
    const v = report.plan.version;
    return sendPdf(reply, report, { docxHref: planDocumentUrl(r.access!.partnership.id, v.plan_id, v.id, 'docx'), backHref: `/partnerships/${r.access!.partnership.id}/plan-versions/${v.id}` });
  });

  // The published plan in full, beside its public summary: no sign-in.
  app.get('/public/partnerships/:slug/plan.pdf', { config: { auth: 'public' } }, async (r, reply) => {
    // /public/ routes skip the app's request set-up: set the CSP for the error pages here.
    r.cspNonce = newNonce();
    reply.header('Content-Security-Policy', contentSecurityPolicy(r.cspNonce));
    const slug = (r.params as { slug: string }).slug;
    let summary;
    try {
      summary = await publishedSummary(k, slug);
    } catch (e) {
      if (e instanceof NotFoundError) return reply.render('features/errors/not-found.njk', { title: 'Page not found' }, 404);
      throw e;
    }
    const report = await buildPlanReport(k, summary.partnership.id, summary.document.version.id);
    return sendPdf(reply, report, { backHref: `/public/partnerships/${slug}` });
  });
}
