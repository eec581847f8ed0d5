/**
 * The plan document over the API: a version of a plan as PDF or DOCX (the same document as the pages' downloads),
 * and the published plan's PDF without a token, beside the public summary. 503 with a JSON problem when Chromium
 * cannot print the PDF.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppServices } from '../../context.ts';
import { assertValidId } from '../../../services/partnerships/partnerships.ts';
import { CONTENT_TYPES } from '../../../services/documents/documentJobs.ts';
import { attachment } from '../../../presentation/documents/document.ts';
import {
  planVersionFile,
  publishedPlanPdf,
  type PlanDocumentFile,
  type PlanDocumentFormat,
} from '../../../presentation/documents/planDocumentFile.ts';
import { errors, idParam, problem } from './schemas.ts';

const TAG = 'Plan documents';
const DOCX_TYPE = CONTENT_TYPES.docx;

const binary = (type: string, description: string) => ({
  description,
  content: { [type]: { schema: { type: 'string', format: 'binary' } } },
});
const unavailable = { ...problem, description: 'PDF documents cannot be made at the moment (Chromium is not available on the server)' };

/** The file, or 503 with a JSON problem when the PDF cannot be printed. */
function sendFile(reply: FastifyReply, outcome: PlanDocumentFile): FastifyReply {
  if (outcome.ok)
    return reply.type(outcome.file.contentType).header('Content-Disposition', attachment(outcome.file.fileName)).send(outcome.file.content);
  reply.request.log.warn({ err: outcome.unavailable }, 'PDF unavailable');
  return reply.code(503).send({ error: 'Service Unavailable', message: outcome.unavailable.message });
}

export async function planDocumentApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;
  const params = { type: 'object', properties: { partnershipId: idParam, planId: idParam, versionId: idParam } };
  const versionDocument = (format: PlanDocumentFormat) => async (r: FastifyRequest, reply: FastifyReply) => {
    const p = r.params as Record<string, string>;
    return sendFile(
      reply,
      await planVersionFile(
        k,
        app.pdfPrinter,
        r.access!.partnership.id,
        assertValidId(p.planId, 'Plan'),
        assertValidId(p.versionId, 'Plan version'),
        format,
      ),
    );
  };

  app.get(
    '/partnerships/:partnershipId/plans/:planId/versions/:versionId/document.pdf',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags: [TAG],
        summary: 'The whole plan version as a PDF',
        params,
        produces: ['application/pdf'],
        response: { 200: binary('application/pdf', 'The plan as an A4 PDF'), ...errors, 503: unavailable },
      },
    },
    versionDocument('pdf'),
  );

  app.get(
    '/partnerships/:partnershipId/plans/:planId/versions/:versionId/document.docx',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags: [TAG],
        summary: 'The whole plan version as a Word document (DOCX)',
        params,
        produces: [DOCX_TYPE],
        response: { 200: binary(DOCX_TYPE, 'The plan as a Word document, with a table of contents and the governance diagram'), ...errors },
      },
    },
    versionDocument('docx'),
  );

  app.get(
    '/public/partnerships/:slug/plan.pdf',
    {
      config: { auth: 'public' },
      schema: {
        tags: [TAG],
        summary: "The partnership's published plan as a PDF (no token needed)",
        security: [],
        params: {
          type: 'object',
          properties: {
            slug: {
              type: 'string',
              pattern: '^[a-z0-9-]{1,100}$',
              description: 'The partnership’s public address, as in /public/partnerships/{slug}',
            },
          },
        },
        produces: ['application/pdf'],
        response: { 200: binary('application/pdf', 'The published plan as an A4 PDF'), 400: problem, 404: problem, 503: unavailable },
      },
    },
    async (r, reply) => sendFile(reply, await publishedPlanPdf(k, app.pdfPrinter, (r.params as { slug: string }).slug)),
  );
}
