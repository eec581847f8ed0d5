/**
 * Generated documents: the partnership's list (newest first, a page at a time, with who asked and when), the
 * forms that ask for a Board pack, an annual review or a plan document, each job's page (refreshing itself while
 * the document is made, no JavaScript needed) and the download. Generation runs in src/services/documents/documentRunner.ts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import { ValidationError, type FieldError } from '../../../../domain/errors.ts';
import {
  DOCUMENT_FORMAT_LABELS,
  DOCUMENT_KIND_LABELS,
  getDocumentFile,
  getDocumentJob,
  listDocumentJobs,
  requestDocument,
  sizeText,
  type DocumentJobSummary,
} from '../../../../services/documents/documentJobs.ts';
import { listReviews } from '../../../../services/plans/reviews.ts';
import { listPlans, periodLabel } from '../../../../services/plans/plans.ts';
import { attachment } from '../../../../presentation/documents/document.ts';
import { planName } from '../../../../domain/planNames.ts';

const STATUS_TEXT: Record<string, string> = { queued: 'Waiting to start', running: 'Generating', done: 'Ready', failed: 'Failed' };
const STATUS_TAG: Record<string, string> = {
  queued: 'govuk-tag--grey',
  running: 'govuk-tag--blue',
  done: 'govuk-tag--green',
  failed: 'govuk-tag--red',
};

/** The field on the page that carries an error about the kind or format of a request. */
const MAIN_FIELD: Record<string, string> = {
  board_pack: 'quarter',
  annual_review: 'reviewId',
  plan_document: 'versionId',
  meeting_pack: 'meetingId',
};

export function documentUrl(partnershipId: number, jobId: number): string {
  return `/partnerships/${partnershipId}/documents/${jobId}`;
}

export function jobView(job: DocumentJobSummary) {
  return {
    ...job,
    kindText: DOCUMENT_KIND_LABELS[job.kind],
    formatText: DOCUMENT_FORMAT_LABELS[job.format],
    statusText: STATUS_TEXT[job.status] ?? job.status,
    statusClass: STATUS_TAG[job.status] ?? '',
    sizeText: sizeText(job.size_bytes),
    href: documentUrl(job.partnership_id, job.id),
    downloadHref: job.status === 'done' ? `${documentUrl(job.partnership_id, job.id)}/download` : null,
    active: job.status === 'queued' || job.status === 'running',
  };
}

/** What the pages share: the partnership, its addresses and the breadcrumbs under Reports. */
const pid = (r: FastifyRequest) => r.access!.partnership.id;
const base = (r: FastifyRequest) => `/partnerships/${pid(r)}`;
const crumbs = (r: FastifyRequest, extra: { text: string; href: string }[] = []) => [
  { text: 'Home', href: '/' },
  { text: r.access!.partnership.name, href: base(r) },
  { text: 'Reports', href: `${base(r)}/reports` },
  ...extra,
];
const jobId = (r: FastifyRequest) => assertValidId((r.params as { documentId: string }).documentId, 'Document');

/** The list of generated documents, a page at a time, with the forms asking for a new one. */
async function listPage(
  { kysely: k }: AppServices['db'],
  request: FastifyRequest,
  extra: { errors?: FieldError[]; values?: Record<string, unknown> } = {},
) {
  const list = await listDocumentJobs(k, pid(request), { page: (request.query as Record<string, unknown>).page });
  const reviews = await listReviews(k, pid(request));
  const plans = await listPlans(k, pid(request));
  const href = (n: number) => `${base(request)}/documents?page=${n}`;
  return {
    title: list.page > 1 ? `Generated documents (page ${list.page} of ${list.pageCount})` : 'Generated documents',
    section: 'reports',
    breadcrumbs: crumbs(request),
    base: base(request),
    jobs: list.jobs.map(jobView),
    total: list.total,
    page: list.page,
    pageCount: list.pageCount,
    previous: list.page > 1 ? { href: href(list.page - 1) } : null,
    next: list.page < list.pageCount ? { href: href(list.page + 1) } : null,
    reviewItems: reviews.map((r) => ({ value: String(r.id), text: planName(r.title, periodLabel(r.start_year, r.end_year), '') })),
    versionItems: plans.flatMap((p) =>
      p.versions.map((v) => ({ value: String(v.id), text: planName(p.title, periodLabel(p.start_year, p.end_year), v.label) })),
    ),
    values: extra.values ?? {},
    errors: extra.errors,
  };
}

/** The list, and asking for a document (queued, then made in the background). */
async function documentListRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;

  app.get('/partnerships/:partnershipId/documents', { config: { auth: 'partnership.read' } }, async (request, reply) =>
    reply.render('features/documents/list.njk', await listPage(db, request)),
  );

  app.post('/partnerships/:partnershipId/documents', { config: { auth: 'document.generate' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    const user = request.user!;
    try {
      const job = await requestDocument(k, { userId: user.id, label: user.email, name: user.name }, pid(request), body);
      app.documentRunner.enqueue(job.id);
      return reply.redirect(documentUrl(pid(request), job.id), 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const main = MAIN_FIELD[body.kind ?? ''] ?? 'quarter';
      const errors = e.errors.map((x) => (x.field === 'kind' || x.field === 'format' ? { ...x, field: main } : x));
      return reply.render('features/documents/list.njk', await listPage(db, request, { errors, values: body }), 400);
    }
  });
}

/** A document's page (refreshing itself while it is made) and its download. */
async function documentJobRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;

  app.get('/partnerships/:partnershipId/documents/:documentId', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const job = jobView(await getDocumentJob(k, pid(request), jobId(request)));
    const autoRefresh = job.active && (request.query as Record<string, unknown>).refresh !== 'off';
    const title =
      job.status === 'done'
        ? `${job.title} is ready`
        : job.status === 'failed'
          ? `${job.title} could not be generated`
          : `Generating ${job.title}: ${job.progress}%`;
    return reply.render('features/documents/job.njk', {
      title,
      section: 'reports',
      breadcrumbs: crumbs(request, [{ text: 'Generated documents', href: `${base(request)}/documents` }]),
      job,
      autoRefresh,
      refreshSeconds: 3,
      base: base(request),
    });
  });

  app.get(
    '/partnerships/:partnershipId/documents/:documentId/download',
    { config: { auth: 'partnership.read' } },
    async (request, reply) => {
      const job = await getDocumentJob(k, pid(request), jobId(request));
      // Not ready (or failed): the job's page says why.
      if (job.status !== 'done') return reply.redirect(documentUrl(pid(request), job.id), 303);
      const file = await getDocumentFile(k, pid(request), job.id);
      return reply
        .type(file.contentType)
        .header('Content-Disposition', attachment(file.fileName))
        .header('Content-Length', file.content.length)
        .send(file.content);
    },
  );
}

export async function documentRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  await documentListRoutes(app, services);
  await documentJobRoutes(app, services);
}
