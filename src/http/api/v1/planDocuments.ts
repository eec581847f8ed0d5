/**
 * The plan document over the API: a version of a plan as PDF or DOCX (the same document as the pages' downloads),
 * and the published plan's PDF without a token, beside the public summary. 503 with a JSON problem when Chromium
 * cannot print the PDF.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppServices } from '../../context.ts';
import { assertValidId } from '../../../services/partnerships/partnerships.ts';
import { publishedSummary } from '../../../services/plans/plans.ts';
import { attachment } from '../../../presentation/documents/document.ts';
import { buildPlanReport, planDocxFor, planPdf, planReportFor, type PlanReport } from '../../../presentation/documents/planDocument.ts';
import { PdfUnavailableError } from '../../../adapters/chromium/pdfPrinter.ts';
import { errors, idParam, problem } from './schemas.ts';

const TAG = 'Plan documents';
export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const binary = (type: string, description: string) => ({ description, content: { [type]: { schema: { type: 'string', format: 'binary' } } } });
const unavailable = { ...problem, description: 'PDF documents cannot be made at the moment (Chromium is not available on the server)' };

export async function planDocumentApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;
  const params = { type: 'object', properties: { partnershipId: idParam, planId: idParam, versionId: idParam } };
  const reportFor = (r: FastifyRequest) => {
    const p = r.params as Record<string, string>;
    return planReportFor(k, r.access!.partnership.id, assertValidId(p.planId, 'Plan'), assertValidId(p.versionId, 'Plan version'));
  };
  const sendPdf = async (reply: FastifyReply, report: PlanReport) => {
    try {
      const pdf = await planPdf(report, app.pdfPrinter);
      return reply.type('application/pdf').header('Content-Disposition', attachment(`${report.fileName}.pdf`)).send(pdf);
    } catch (e) {
      if (!(e instanceof PdfUnavailableError)) throw e;
      reply.request.log.warn({ err: e }, 'PDF unavailable');
      return reply.code(503).send({ error: 'Service Unavailable', message: e.message });
    }
  };

  app.get(
    '/partnerships/:partnershipId/plans/:planId/versions/:versionId/document.pdf',
    { config: { auth: 'partnership.read' }, schema: { tags: [TAG], summary: 'The whole plan version as a PDF', params, produces: ['application/pdf'], response: { 200: binary('application/pdf', 'The plan as an A4 PDF'), ...errors, 503: unavailable } } },
    async (r, reply) => sendPdf(reply, await reportFor(r)),
  );

  app.get(
    '/partnerships/:partnershipId/plans/:planId/versions/:versionId/document.docx',
    { config: { auth: 'partnership.read' }, schema: { tags: [TAG], summary: 'The whole plan version as a Word document (DOCX)', params, produces: [DOCX_TYPE], response: { 200: binary(DOCX_TYPE, 'The plan as a Word document, with a table of contents and the governance diagram'), ...errors } } },
    async (r, reply) => {
      const p = r.params as Record<string, string>;
      const { fileName, docx } = await planDocxFor(k, r.access!.partnership.id, assertValidId(p.planId, 'Plan'), assertValidId(p.versionId, 'Plan version'), app.pdfPrinter);
      return reply.type(DOCX_TYPE).header('Content-Disposition', attachment(`${fileName}.docx`)).send(docx);
    },
  );

  app.get(
    '/public/partnerships/:slug/plan.pdf',
    {
      config: { auth: 'public' },
      schema: {
        tags: [TAG],
        summary: "The partnership's published plan as a PDF (no token needed)",
        security: [],
        params: { type: 'object', properties: { slug: { type: 'string', pattern: '^[a-z0-9-]{1,100}$', description: 'The partnership’s public address, as in /public/partnerships/{slug}' } } },
        produces: ['application/pdf'],
        response: { 200: binary('application/pdf', 'The published plan as an A4 PDF'), 400: problem, 404: problem, 503: unavailable },
      },
    },
    async (r, reply) => {
      const summary = await publishedSummary(k, (r.params as { slug: string }).slug);
      return sendPdf(reply, await buildPlanReport(k, summary.partnership.id, summary.document.version.id));
    },
  );
}
