/**
 * The lead's commentary on indicators and the priority groups' monthly highlight reports over the API, with the
 * same services, validation, conflict checks and authorisation as the pages.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../adapters/database/schema.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../context.ts';
import { RAGS } from '../../../adapters/database/schema.ts';
import { assertValidId } from '../../../services/partnerships/partnerships.ts';
import { ValidationError } from '../../../domain/errors.ts';
import { getIndicator } from '../../../services/performance/indicators.ts';
import {
  commentaryHistory,
  COMMENTARY_MAX_LENGTH,
  commentaryPeriod,
  listCommentary,
  writeCommentary,
  type CommentaryEntry,
} from '../../../services/performance/commentary.ts';
import {
  createHighlightReport,
  getHighlightReport,
  HIGHLIGHT_TEXT_MAX_LENGTH,
  listHighlightReports,
  parseReportMonth,
  updateHighlightReport,
  type HighlightReportDetails,
} from '../../../services/performance/highlightReports.ts';
import * as s from './schemas.ts';

const commentary = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    indicatorId: { type: 'integer' },
    period: { type: 'string' },
    text: { type: 'string' },
    writtenBy: { type: 'string', description: "The author's name" },
    writtenAt: { type: 'string', description: 'Send back as expectedUpdatedAt to refuse overwriting a newer text' },
    supersededAt: { type: ['string', 'null'], description: 'When a later text replaced this one (history only)' },
  },
} as const;

const highlightReport = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    priorityId: { type: 'integer' },
    priorityTitle: { type: 'string' },
    month: { type: 'string', description: 'YYYY-MM' },
    progress: { type: 'string' },
    milestonesAchieved: { type: 'string' },
    milestonesNext: { type: 'string' },
    issuesRisks: { type: 'string' },
    boardRequests: { type: 'string', description: 'Requests and decisions for the Board' },
    rag: { type: ['string', 'null'], enum: [...RAGS, null] },
    writtenBy: { type: 'string' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string', description: 'Send back as expectedUpdatedAt to refuse overwriting a newer change' },
  },
} as const;

const text = (description: string) => ({ type: 'string', maxLength: HIGHLIGHT_TEXT_MAX_LENGTH, description }) as const;
const highlightInput = {
  type: 'object',
  required: ['month', 'progress'],
  additionalProperties: false,
  properties: {
    month: { type: 'string', description: "The month reported on: '2020-03' or 'March 2020'" },
    progress: text('Progress this month'),
    milestonesAchieved: text('Milestones achieved'),
    milestonesNext: text('Next milestones'),
    issuesRisks: text('Issues and risks'),
    boardRequests: text('Requests and decisions for the Board'),
    rag: { anyOf: [{ type: 'string', enum: RAGS }, { type: 'null' }], description: 'Overall RAG status, or null for none' },
    expectedUpdatedAt: { type: 'string' },
  },
} as const;

function commentaryJson(c: CommentaryEntry) {
  return {
    id: c.id,
    indicatorId: c.indicator_id,
    period: c.period,
    text: c.text,
    writtenBy: c.author,
    writtenAt: c.written_at,
    supersededAt: c.superseded_at,
  };
}

function highlightJson(r: HighlightReportDetails) {
  return {
    id: r.id,
    priorityId: r.priority_id,
    priorityTitle: r.priorityTitle,
    month: r.month,
    progress: r.progress,
    milestonesAchieved: r.milestones_achieved,
    milestonesNext: r.milestones_next,
    issuesRisks: r.issues_risks,
    boardRequests: r.board_requests,
    rag: r.rag,
    writtenBy: r.author,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const pid = (r: FastifyRequest) => r.access!.partnership.id;
const param = (r: FastifyRequest, name: string, what: string) => assertValidId((r.params as Record<string, string>)[name], what);
const iParams = { type: 'object', properties: { partnershipId: s.idParam, indicatorId: s.idParam } } as const;
const pParams = { type: 'object', properties: { partnershipId: s.idParam } } as const;
const prParams = { type: 'object', properties: { partnershipId: s.idParam, priorityId: s.idParam } } as const;
const hParams = { type: 'object', properties: { partnershipId: s.idParam, highlightReportId: s.idParam } } as const;

const tags = ['Highlight reports'];

export async function commentaryApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;
  commentaryEndpoints(app, k);
  highlightReportEndpoints(app, k);
  highlightReportItemEndpoints(app, k);
}

/** The lead's commentary on an indicator, read and written per period. */
function commentaryEndpoints(app: FastifyInstance, k: Kysely<Database>): void {
  app.get(
    '/partnerships/:partnershipId/indicators/:indicatorId/commentary',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags: ['Commentary'],
        summary:
          "The lead's commentary on an indicator, one text per period (add ?history=true for revised texts too, ?period= for one period)",
        params: iParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            history: { type: 'boolean' },
            period: { type: 'string', description: "'2019/20', '2019-20 Q4' or '2019-04', as the indicator's frequency wants" },
          },
        },
        response: { 200: { type: 'array', items: commentary }, ...s.errors },
      },
    },
    async (r) => {
      const i = await getIndicator(k, pid(r), param(r, 'indicatorId', 'Indicator'));
      const q = r.query as { history?: boolean; period?: string };
      const period = q.period === undefined ? undefined : commentaryPeriod(q.period, i.frequency);
      const rows = q.history
        ? await commentaryHistory(k, pid(r), i.id, period)
        : (await listCommentary(k, pid(r), i.id)).filter((c) => period === undefined || c.period === period);
      return rows.map(commentaryJson);
    },
  );

  app.post(
    '/partnerships/:partnershipId/indicators/:indicatorId/commentary',
    {
      config: { auth: 'commentary.write' },
      schema: {
        tags: ['Commentary'],
        summary: 'Write or revise the commentary on one period (the previous text is kept as history)',
        params: iParams,
        body: {
          type: 'object',
          required: ['period', 'text'],
          additionalProperties: false,
          properties: {
            period: { type: 'string' },
            text: { type: 'string', maxLength: COMMENTARY_MAX_LENGTH },
            expectedUpdatedAt: {
              type: 'string',
              description: "The writtenAt of the text you started from, or '' if there was none: a newer text is not overwritten (409)",
            },
          },
        },
        response: { 200: { type: 'object', properties: { changed: { type: 'boolean' }, commentary } }, ...s.errors },
      },
    },
    async (r) => {
      const result = await writeCommentary(
        k,
        actorOf(r.user!),
        pid(r),
        param(r, 'indicatorId', 'Indicator'),
        r.body as Record<string, unknown>,
      );
      return { changed: result.changed, commentary: commentaryJson(result.commentary) };
    },
  );
}

/** The priority groups' monthly highlight reports. */
function highlightReportEndpoints(app: FastifyInstance, k: Kysely<Database>): void {
  app.get(
    '/partnerships/:partnershipId/highlight-reports',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: "The partnership's highlight reports, newest month first",
        params: pParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            priorityId: { type: 'integer', minimum: 1 },
            from: { type: 'string', description: 'First month, YYYY-MM' },
            to: { type: 'string', description: 'Last month, YYYY-MM' },
            page: { type: 'integer', minimum: 1 },
            pageSize: { type: 'integer', minimum: 1, maximum: 200 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              total: { type: 'integer' },
              page: { type: 'integer' },
              pageCount: { type: 'integer' },
              reports: { type: 'array', items: highlightReport },
            },
          },
          ...s.errors,
        },
      },
    },
    async (r) => {
      const q = r.query as { priorityId?: number; from?: string; to?: string; page?: number; pageSize?: number };
      const month = (v: string | undefined, field: string) => {
        if (v === undefined) return undefined;
        const m = parseReportMonth(v);
        if (!m) throw new ValidationError([{ field, message: `Enter the month like 2020-03 (got "${v.slice(0, 40)}")` }]);
        return m;
      };
      const result = await listHighlightReports(k, pid(r), {
        priorityId: q.priorityId,
        from: month(q.from, 'from'),
        to: month(q.to, 'to'),
        page: q.page,
        pageSize: q.pageSize ?? 50,
      });
      return { total: result.total, page: result.page, pageCount: result.pageCount, reports: result.reports.map(highlightJson) };
    },
  );

  app.post(
    '/partnerships/:partnershipId/priorities/:priorityId/highlight-reports',
    {
      config: { auth: 'highlight.write' },
      schema: {
        tags,
        summary: "Write a priority's highlight report for a month (one per month)",
        params: prParams,
        body: highlightInput,
        response: { 201: highlightReport, ...s.errors },
      },
    },
    async (r, reply) =>
      reply
        .code(201)
        .send(
          highlightJson(
            await createHighlightReport(k, actorOf(r.user!), pid(r), param(r, 'priorityId', 'Priority'), r.body as Record<string, unknown>),
          ),
        ),
  );
}

/** One highlight report, read and changed. */
function highlightReportItemEndpoints(app: FastifyInstance, k: Kysely<Database>): void {
  app.get(
    '/partnerships/:partnershipId/highlight-reports/:highlightReportId',
    {
      config: { auth: 'partnership.read' },
      schema: { tags, summary: 'A highlight report', params: hParams, response: { 200: highlightReport, ...s.errors } },
    },
    async (r) => highlightJson(await getHighlightReport(k, pid(r), param(r, 'highlightReportId', 'Highlight report'))),
  );

  app.put(
    '/partnerships/:partnershipId/highlight-reports/:highlightReportId',
    {
      config: { auth: 'highlight.write' },
      schema: {
        tags,
        summary: 'Change a highlight report',
        params: hParams,
        body: highlightInput,
        response: { 200: highlightReport, ...s.errors },
      },
    },
    async (r) =>
      highlightJson(
        await updateHighlightReport(
          k,
          actorOf(r.user!),
          pid(r),
          param(r, 'highlightReportId', 'Highlight report'),
          r.body as Record<string, unknown>,
        ),
      ),
  );
}
