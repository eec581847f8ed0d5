/**
 * The plan document downloads: a plan version as DOCX and as PDF for the partnership, and the published plan's
 * PDF on the public summary (no sign-in). The file comes from src/presentation/documents/planDocumentFile.ts, as
 * for the API; when the PDF cannot be printed, a page says why and points to the Word document.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import { NotFoundError } from '../../../../domain/errors.ts';
import { CONTENT_TYPES } from '../../../../services/documents/documentJobs.ts';
import {
  planVersionFile,
  publicPlanFile,
  type PlanDocumentFile,
  type PlanDocumentFormat,
} from '../../../../presentation/documents/planDocumentFile.ts';
import { attachment } from '../../../../presentation/documents/document.ts';

export const DOCX_TYPE = CONTENT_TYPES.docx;

/** URL of a version's document: /partnerships/1/plans/2/versions/3/document.docx */
export function planDocumentUrl(partnershipId: number, planId: number, versionId: number, format: 'docx' | 'pdf'): string {
  return `/partnerships/${partnershipId}/plans/${planId}/versions/${versionId}/document.${format}`;
}

/** The file, or the page saying the PDF cannot be made at the moment, with where to go instead. */
function sendFile(
  reply: FastifyReply,
  outcome: PlanDocumentFile,
  fallback: { docxHref?: string; backHref?: string },
): FastifyReply | Promise<FastifyReply> {
  if (outcome.ok)
    return reply.type(outcome.file.contentType).header('Content-Disposition', attachment(outcome.file.fileName)).send(outcome.file.content);
  const e = outcome.unavailable;
  reply.request.log.warn({ err: e }, 'PDF unavailable');
  return reply.render(
    'features/plans/pdf-unavailable.njk',
    {
      title: 'The PDF cannot be made at the moment',
      reason: e.message.replace(/^PDF documents are not available on this server: /, ''),
      ...fallback,
    },
    503,
  );
}

export async function planDocumentRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;

  const versionDocument = (format: PlanDocumentFormat) => async (r: FastifyRequest, reply: FastifyReply) => {
    const params = r.params as Record<string, string>;
    const pid = r.access!.partnership.id;
    const planId = assertValidId(params.planId, 'Plan');
    const versionId = assertValidId(params.versionId, 'Plan version');
    const outcome = await planVersionFile(k, app.pdfPrinter, pid, planId, versionId, format);
    return sendFile(reply, outcome, {
      docxHref: planDocumentUrl(pid, planId, versionId, 'docx'),
      backHref: `/partnerships/${pid}/plan-versions/${versionId}`,
    });
  };
  app.get(
    '/partnerships/:partnershipId/plans/:planId/versions/:versionId/document.docx',
    { config: { auth: 'partnership.read' } },
    versionDocument('docx'),
  );
  app.get(
    '/partnerships/:partnershipId/plans/:planId/versions/:versionId/document.pdf',
    { config: { auth: 'partnership.read' } },
    versionDocument('pdf'),
  );

  // The published plans in full, beside their public summaries: no sign-in. The current plan at
  // /public/partnerships/:slug/plan.pdf|docx, an earlier published version at …/plans/:versionId/plan.pdf|docx.
  const publicDocument = (format: PlanDocumentFormat) => async (r: FastifyRequest, reply: FastifyReply) => {
    const params = r.params as { slug: string; versionId?: string };
    try {
      const versionId = params.versionId === undefined ? undefined : assertValidId(params.versionId, 'Plan version');
      const page = `/public/partnerships/${params.slug}${versionId === undefined ? '' : `/plans/${versionId}`}`;
      return sendFile(reply, await publicPlanFile(k, app.pdfPrinter, params.slug, versionId, format), {
        backHref: page,
        docxHref: `${page}/plan.docx`,
      });
    } catch (e) {
      if (e instanceof NotFoundError) return reply.render('features/errors/not-found.njk', { title: 'Page not found' }, 404);
      throw e;
    }
  };
  app.get('/public/partnerships/:slug/plan.pdf', { config: { auth: 'public' } }, publicDocument('pdf'));
  app.get('/public/partnerships/:slug/plan.docx', { config: { auth: 'public' } }, publicDocument('docx'));
  app.get('/public/partnerships/:slug/plans/:versionId/plan.pdf', { config: { auth: 'public' } }, publicDocument('pdf'));
  app.get('/public/partnerships/:slug/plans/:versionId/plan.docx', { config: { auth: 'public' } }, publicDocument('docx'));
}
