/**
 * Highlight reports: each priority group's monthly report to the Board. The list of the current plan's priorities
 * with their latest report, each priority's history (newest first, a page at a time), a page per report, and the
 * form to write or change one. The quarterly report (the Board pack) shows the reports of its three months.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../../adapters/database/schema.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { RAGS, type Priority } from '../../../../adapters/database/schema.ts';
import {
  createHighlightReport,
  currentPriorities,
  getHighlightReport,
  getReportingPriority,
  HIGHLIGHT_TEXT_MAX_LENGTH,
  inputFromReport,
  listHighlightReports,
  updateHighlightReport,
  type HighlightReportDetails,
} from '../../../../services/performance/highlightReports.ts';
import { ConflictError, ValidationError, type FieldError } from '../../../../domain/errors.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import { nowIso } from '../../../../adapters/clock.ts';
import { formatPeriodLabel } from '../../../../domain/index.ts';
import { RAG_LABELS } from '../../../../presentation/labels.ts';

const PAGE_SIZE = 12;

function view(r: HighlightReportDetails) {
  return { ...r, ragText: r.rag ? RAG_LABELS[r.rag] : 'Not given' };
}

const pid = (r: FastifyRequest) => r.access!.partnership.id;
const base = (r: FastifyRequest) => `/partnerships/${pid(r)}`;
const param = (r: FastifyRequest, name: string, what: string) => assertValidId((r.params as Record<string, string>)[name], what);
const crumbs = (r: FastifyRequest, extra: { text: string; href: string }[] = []) => [
  { text: 'Home', href: '/' },
  { text: r.access!.partnership.name, href: base(r) },
  { text: 'Reports', href: `${base(r)}/reports` },
  { text: 'Highlight reports', href: `${base(r)}/highlight-reports` },
  ...extra,
];
const historyHref = (r: FastifyRequest, priorityId: number) => `${base(r)}/priorities/${priorityId}/highlight-reports`;

const ragItems = [{ value: '', text: 'No overall status' }, ...RAGS.map((r) => ({ value: r, text: RAG_LABELS[r] }))];
const form = (
  request: FastifyRequest,
  reply: FastifyReply,
  priority: Priority,
  ctx: { title: string; action: string; values: Record<string, unknown>; errors?: FieldError[]; cancelHref: string; submitText: string },
  status = 200,
) =>
  reply.render(
    'features/highlight-reports/form.njk',
    {
      section: 'reports',
      breadcrumbs: crumbs(request, [{ text: priority.title, href: historyHref(request, priority.id) }]),
      priority,
      ragItems,
      maxLength: HIGHLIGHT_TEXT_MAX_LENGTH,
      ...ctx,
    },
    status,
  );

export async function highlightReportRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;
  readingRoutes(app, k);
  writingRoutes(app, k);
  reportPageRoutes(app, k);
}

/** The list of priorities with their latest report, and each priority's history. */
function readingRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  app.get('/partnerships/:partnershipId/highlight-reports', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const { priorities } = await currentPriorities(k, pid(request));
    const rows = await Promise.all(
      priorities.map(async (p) => {
        const list = await listHighlightReports(k, pid(request), { priorityId: p.id, pageSize: 1 });
        const latest = list.reports[0];
        return {
          id: p.id,
          title: p.title,
          lead: p.lead_officer,
          count: list.total,
          latest: latest ? view(latest) : null,
          historyHref: historyHref(request, p.id),
        };
      }),
    );
    return reply.render('features/highlight-reports/index.njk', {
      title: 'Highlight reports',
      section: 'reports',
      breadcrumbs: crumbs(request).slice(0, -1),
      rows,
      base: base(request),
    });
  });

  app.get(
    '/partnerships/:partnershipId/priorities/:priorityId/highlight-reports',
    { config: { auth: 'partnership.read' } },
    async (request, reply) => {
      const priority = await getReportingPriority(k, pid(request), param(request, 'priorityId', 'Priority'));
      const requested = Number((request.query as { page?: string }).page ?? 1);
      const result = await listHighlightReports(k, pid(request), {
        priorityId: priority.id,
        page: Number.isInteger(requested) && requested > 0 ? requested : 1,
        pageSize: PAGE_SIZE,
      });
      const href = historyHref(request, priority.id);
      const pagination =
        result.pageCount > 1
          ? {
              previous: result.page > 1 ? { href: `${href}?page=${result.page - 1}` } : undefined,
              next: result.page < result.pageCount ? { href: `${href}?page=${result.page + 1}` } : undefined,
              items: Array.from({ length: result.pageCount }, (_, n) => ({
                number: n + 1,
                href: `${href}?page=${n + 1}`,
                current: n + 1 === result.page,
              })),
            }
          : null;
      return reply.render('features/highlight-reports/history.njk', {
        title: `Highlight reports: ${priority.title}`,
        section: 'reports',
        breadcrumbs: crumbs(request),
        priority,
        reports: result.reports.map(view),
        total: result.total,
        page: result.page,
        pageCount: result.pageCount,
        pagination,
        newHref: `${href}/new`,
        base: base(request),
      });
    },
  );
}

/** The form to write a report, and each report's page and form to change it. */
function writingRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  app.get(
    '/partnerships/:partnershipId/priorities/:priorityId/highlight-reports/new',
    { config: { auth: 'highlight.write' } },
    async (request, reply) => {
      const priority = await getReportingPriority(k, pid(request), param(request, 'priorityId', 'Priority'));
      const href = historyHref(request, priority.id);
      return form(request, reply, priority, {
        title: 'Write a highlight report',
        action: `${href}/new`,
        values: { month: formatPeriodLabel(nowIso().slice(0, 7)) },
        cancelHref: href,
        submitText: 'Save highlight report',
      });
    },
  );

  app.post(
    '/partnerships/:partnershipId/priorities/:priorityId/highlight-reports/new',
    { config: { auth: 'highlight.write' } },
    async (request, reply) => {
      const priority = await getReportingPriority(k, pid(request), param(request, 'priorityId', 'Priority'));
      const body = (request.body ?? {}) as Record<string, unknown>;
      const href = historyHref(request, priority.id);
      try {
        const r = await createHighlightReport(k, actorOf(request.user!), pid(request), priority.id, body);
        return reply
          .flash(`The ${r.monthLabel} highlight report has been saved`)
          .redirect(`${base(request)}/highlight-reports/${r.id}`, 303);
      } catch (e) {
        if (e instanceof ValidationError)
          return form(
            request,
            reply,
            priority,
            {
              title: 'Write a highlight report',
              action: `${href}/new`,
              values: body,
              errors: e.errors,
              cancelHref: href,
              submitText: 'Save highlight report',
            },
            400,
          );
        throw e;
      }
    },
  );
}

/** Each report's page, and the form to change it. */
function reportPageRoutes(app: FastifyInstance, k: Kysely<Database>): void {
  app.get(
    '/partnerships/:partnershipId/highlight-reports/:highlightReportId',
    { config: { auth: 'partnership.read' } },
    async (request, reply) => {
      const r = view(await getHighlightReport(k, pid(request), param(request, 'highlightReportId', 'Highlight report')));
      return reply.render('features/highlight-reports/report.njk', {
        title: `Highlight report: ${r.priorityTitle}, ${r.monthLabel}`,
        section: 'reports',
        breadcrumbs: crumbs(request, [{ text: r.priorityTitle, href: historyHref(request, r.priority_id) }]),
        report: r,
        editHref: `${base(request)}/highlight-reports/${r.id}/edit`,
        historyHref: historyHref(request, r.priority_id),
      });
    },
  );

  app.get(
    '/partnerships/:partnershipId/highlight-reports/:highlightReportId/edit',
    { config: { auth: 'highlight.write' } },
    async (request, reply) => {
      const r = await getHighlightReport(k, pid(request), param(request, 'highlightReportId', 'Highlight report'));
      const priority = await getReportingPriority(k, pid(request), r.priority_id);
      const href = `${base(request)}/highlight-reports/${r.id}`;
      return form(request, reply, priority, {
        title: `Change the ${r.monthLabel} highlight report`,
        action: `${href}/edit`,
        values: inputFromReport(r),
        cancelHref: href,
        submitText: 'Save changes',
      });
    },
  );

  app.post(
    '/partnerships/:partnershipId/highlight-reports/:highlightReportId/edit',
    { config: { auth: 'highlight.write' } },
    async (request, reply) => {
      const id = param(request, 'highlightReportId', 'Highlight report');
      const before = await getHighlightReport(k, pid(request), id);
      const priority = await getReportingPriority(k, pid(request), before.priority_id);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const href = `${base(request)}/highlight-reports/${id}`;
      const ctx = {
        title: `Change the ${before.monthLabel} highlight report`,
        action: `${href}/edit`,
        cancelHref: href,
        submitText: 'Save changes',
      };
      try {
        const r = await updateHighlightReport(k, actorOf(request.user!), pid(request), id, body);
        return reply.flash(`The ${r.monthLabel} highlight report has been updated`).redirect(href, 303);
      } catch (e) {
        if (e instanceof ValidationError) return form(request, reply, priority, { ...ctx, values: body, errors: e.errors }, 400);
        if (e instanceof ConflictError) {
          const latest = await getHighlightReport(k, pid(request), id);
          return form(
            request,
            reply,
            priority,
            { ...ctx, values: inputFromReport(latest), errors: [{ field: 'progress', message: e.message }] },
            409,
          );
        }
        throw e;
      }
    },
  );
}
