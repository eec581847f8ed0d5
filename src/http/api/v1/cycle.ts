/**
 * The monthly and quarterly cycle over the API (decision 0022): each indicator's expected figures with their
 * status by the calendar, an indicator's owner and schedule, the signed-in person's figures to do, and the
 * completeness score per owner, organisation and partnership. Same services and authorisation as the pages.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { actorOf, type AppServices } from '../../context.ts';
import type { Database } from '../../../adapters/database/schema.ts';
import { assertValidId } from '../../../services/partnerships/partnerships.ts';
import { setIndicatorCollection } from '../../../services/cycle/owners.ts';
import {
  completenessReport,
  completenessWindow,
  indicatorCollection,
  myWork,
  partnershipCollection,
  type IndicatorCollection,
} from '../../../services/cycle/collection.ts';
import { NotFoundError } from '../../../domain/errors.ts';
import { outbox } from '../../../services/cycle/reminders.ts';
import { attentionTotals, myAttention, myAttentionEverywhere } from '../../../services/cycle/attention.ts';
import * as s from './schemas.ts';

const expected = {
  type: 'object',
  properties: {
    period: { type: 'string' },
    periodEnd: { type: 'string', format: 'date' },
    dueDate: { type: 'string', format: 'date', description: 'The last day on which the figure is on time' },
    status: { type: 'string', enum: ['received', 'due', 'overdue'] },
    receivedAt: { type: ['string', 'null'], description: 'When the figure was first entered' },
    onTime: { type: ['boolean', 'null'] },
  },
} as const;

const indicatorCollectionSchema = {
  type: 'object',
  properties: {
    indicatorId: { type: 'integer' },
    code: { type: 'string' },
    title: { type: 'string' },
    frequency: { type: 'string' },
    ownerText: { type: 'string', description: 'The free-text owner, for people without an account' },
    ownerUserId: { type: ['integer', 'null'] },
    ownerName: { type: ['string', 'null'] },
    ownerOrganisationId: { type: ['integer', 'null'] },
    ownerOrganisationName: { type: ['string', 'null'] },
    dueWorkingDays: { type: 'integer' },
    usesDefault: { type: 'boolean' },
    collectFrom: { type: 'string' },
    overdue: { type: 'integer' },
    due: { type: 'integer' },
    received: { type: 'integer' },
    expected: { type: 'array', items: expected },
  },
} as const;

const completenessSchema = {
  type: 'object',
  properties: {
    expected: { type: 'integer' },
    onTime: { type: 'integer' },
    late: { type: 'integer' },
    missing: { type: 'integer' },
    score: { type: ['number', 'null'], description: 'Percentage received on time; null when nothing was due' },
    received: { type: 'integer', description: 'Received at all: on time or late' },
    receivedShare: {
      type: ['number', 'null'],
      description: 'Percentage received at all (on time or late); a late figure raises this, not the score. Null when nothing was due',
    },
  },
} as const;
const completenessRow = {
  type: 'object',
  properties: { key: { type: 'string' }, name: { type: 'string' }, completeness: completenessSchema },
} as const;

function collectionJson(c: IndicatorCollection) {
  const { label: _label, ownerEmail: _email, next: _next, ...rest } = c;
  return rest;
}

const pid = (r: FastifyRequest) => r.access!.partnership.id;
const pParams = { type: 'object', properties: { partnershipId: s.idParam } } as const;
const iParams = { type: 'object', properties: { partnershipId: s.idParam, indicatorId: s.idParam } } as const;

/** What needs a person's attention in one partnership (src/services/cycle/attention.ts). */
const attentionSchema = {
  type: 'object',
  properties: {
    today: { type: 'string', format: 'date' },
    todo: { type: 'integer', description: 'Items to do (all but the next meeting)' },
    overdue: { type: 'integer' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          kind: {
            type: 'string',
            enum: ['figure', 'activity', 'commentary', 'action', 'plan-approval', 'scrutiny-response', 'risk-review', 'meeting'],
          },
          title: { type: 'string' },
          status: { type: 'string', enum: ['overdue', 'due', 'waiting', 'upcoming'] },
          dueDate: { type: ['string', 'null'], description: 'When it is (or was) due; for the next meeting, its day' },
          href: { type: 'string', description: 'The page to act on it' },
        },
      },
    },
  },
} as const;

/** Your own page over the API: what needs your attention in each partnership you are a member of. */
function registerMyAttentionApi(app: FastifyInstance, k: Kysely<Database>): void {
  app.get(
    '/me/attention',
    {
      config: { auth: 'signed-in' },
      schema: {
        tags: ['Collection'],
        summary:
          'What needs your attention in each partnership you are a member of (as on your own page, /my-work): per partnership, its items and counts',
        response: {
          200: {
            type: 'object',
            properties: {
              todo: { type: 'integer', description: 'Items to do in all your partnerships' },
              overdue: { type: 'integer' },
              partnerships: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    partnership: {
                      type: 'object',
                      properties: { id: { type: 'integer' }, name: { type: 'string' }, role: { type: 'string' } },
                    },
                    attention: attentionSchema,
                  },
                },
              },
            },
          },
          ...s.errors,
        },
      },
    },
    async (r) => {
      const partnerships = await myAttentionEverywhere(k, r.user!.id);
      return { ...attentionTotals(partnerships), partnerships };
    },
  );
}

export async function cycleApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;
  registerCollectionApi(app, k);
  registerIndicatorCollectionApi(app, k);
  registerMyFiguresApi(app, k);
  registerCompletenessApi(app, k);
  registerOutboxApi(app, k);
  registerMyAttentionApi(app, k);
}

const nullableText = { type: ['string', 'null'] } as const;

/** The platform administrators' outbox, as on /admin/outbox: the latest jobs and emails with their status. */
function registerOutboxApi(app: FastifyInstance, k: Kysely<Database>): void {
  const row = (properties: Record<string, object>) => ({ type: 'object', properties }) as const;
  app.get(
    '/admin/outbox',
    {
      config: { auth: 'platform-admin' },
      schema: {
        tags: ['Collection'],
        summary: 'The latest 100 jobs and emails with their status (platform administrators)',
        response: {
          200: {
            type: 'object',
            properties: {
              jobs: {
                type: 'array',
                items: row({
                  id: { type: 'integer' },
                  kind: { type: 'string' },
                  partnershipId: { type: ['integer', 'null'] },
                  status: { type: 'string', enum: ['queued', 'running', 'done', 'failed'] },
                  attempts: { type: 'integer' },
                  runAt: { type: 'string' },
                  claimedBy: nullableText,
                  lastError: nullableText,
                  createdAt: { type: 'string' },
                  finishedAt: nullableText,
                }),
              },
              emails: {
                type: 'array',
                items: row({
                  id: { type: 'integer' },
                  jobId: { type: ['integer', 'null'] },
                  to: { type: 'string' },
                  subject: { type: 'string' },
                  status: { type: 'string', description: "'sent' over SMTP or 'logged' (no SMTP_URL)" },
                  messageId: nullableText,
                  createdAt: { type: 'string' },
                }),
              },
            },
          },
          ...s.errors,
        },
      },
    },
    async () => {
      const { jobs, emails } = await outbox(k);
      return {
        jobs: jobs.map((j) => ({
          id: j.id,
          kind: j.kind,
          partnershipId: j.partnership_id,
          status: j.status,
          attempts: j.attempts,
          runAt: j.run_at,
          claimedBy: j.claimed_by,
          lastError: j.last_error,
          createdAt: j.created_at,
          finishedAt: j.finished_at,
        })),
        emails: emails.map((e) => ({
          id: e.id,
          jobId: e.job_id,
          to: e.to_address,
          subject: e.subject,
          status: e.status,
          messageId: e.message_id,
          createdAt: e.created_at,
        })),
      };
    },
  );
}

/** The partnership's collection: every indicator's expected figures and their status. */
function registerCollectionApi(app: FastifyInstance, k: Kysely<Database>): void {
  app.get(
    '/partnerships/:partnershipId/collection',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags: ['Collection'],
        summary: "Every indicator's expected figures with their due dates and status (received, due, overdue) by the calendar",
        params: pParams,
        response: {
          200: {
            type: 'object',
            properties: {
              today: { type: 'string' },
              defaultWorkingDays: { type: 'integer' },
              contributorsOwnOnly: { type: 'boolean' },
              overdue: { type: 'integer' },
              due: { type: 'integer' },
              indicators: { type: 'array', items: indicatorCollectionSchema },
            },
          },
          ...s.errors,
        },
      },
    },
    async (r) => {
      const c = await partnershipCollection(k, pid(r));
      return { ...c, indicators: c.indicators.map(collectionJson) };
    },
  );
}

/** One indicator's collection: read it, and set its owner and schedule. */
function registerIndicatorCollectionApi(app: FastifyInstance, k: Kysely<Database>): void {
  app.get(
    '/partnerships/:partnershipId/indicators/:indicatorId/collection',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags: ['Collection'],
        summary: "An indicator's owner, schedule and expected figures",
        params: iParams,
        response: { 200: indicatorCollectionSchema, ...s.errors },
      },
    },
    async (r) => {
      const c = await indicatorCollection(k, pid(r), assertValidId((r.params as { indicatorId: string }).indicatorId, 'Indicator'));
      if (!c) throw new NotFoundError('Indicator');
      return collectionJson(c);
    },
  );

  app.put(
    '/partnerships/:partnershipId/indicators/:indicatorId/collection',
    {
      config: { auth: 'indicator.write' },
      schema: {
        tags: ['Collection'],
        summary: "Sets an indicator's owner (a member and organisation) and when its figures are due",
        params: iParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ownerUserId: { type: ['integer', 'null'] },
            ownerOrganisationId: { type: ['integer', 'null'], description: "Null: the owner's organisation" },
            dueWorkingDays: {
              type: ['integer', 'null'],
              description: "Working days after the period ends; null: the partnership's default",
            },
            collectFrom: { type: ['string', 'null'], description: 'First period expected; null: from the current financial year' },
            expectedUpdatedAt: { type: 'string' },
          },
        },
        response: { 200: indicatorCollectionSchema, ...s.errors },
      },
    },
    async (r) => {
      const id = assertValidId((r.params as { indicatorId: string }).indicatorId, 'Indicator');
      await setIndicatorCollection(k, actorOf(r.user!), pid(r), id, r.body as Record<string, unknown>);
      return collectionJson((await indicatorCollection(k, pid(r), id))!);
    },
  );
}

/** The signed-in person's figures and activities to do. */
function registerMyFiguresApi(app: FastifyInstance, k: Kysely<Database>): void {
  app.get(
    '/partnerships/:partnershipId/my-figures',
    {
      config: { auth: 'figure.write' },
      schema: {
        tags: ['Collection'],
        summary: 'The figures due and overdue from the token owner (or their organisation), and their activities due an update',
        params: pParams,
        response: {
          200: {
            type: 'object',
            properties: {
              today: { type: 'string' },
              figures: {
                type: 'array',
                items: { ...expected, properties: { ...expected.properties, indicatorId: { type: 'integer' }, label: { type: 'string' } } },
              },
              activities: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    activityId: { type: 'integer' },
                    title: { type: 'string' },
                    status: { type: 'string' },
                    dueDate: { type: ['string', 'null'] },
                    lastUpdate: { type: ['string', 'null'] },
                  },
                },
              },
            },
          },
          ...s.errors,
        },
      },
    },
    async (r) => myWork(k, pid(r), r.user!.id),
  );

  app.get(
    '/partnerships/:partnershipId/attention',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags: ['Collection'],
        summary:
          'What needs your attention, as on the partnership home page: figures due and overdue, activities due an update, red indicators awaiting commentary, actions, approvals, responses, risks due a review, the next meeting',
        params: pParams,
        response: {
          200: attentionSchema,
          ...s.errors,
        },
      },
    },
    async (r) => myAttention(k, pid(r), { id: r.user!.id, role: r.access!.role }),
  );
}

/** The completeness score per owner, organisation, indicator and for the partnership. */
function registerCompletenessApi(app: FastifyInstance, k: Kysely<Database>): void {
  app.get(
    '/partnerships/:partnershipId/completeness',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags: ['Collection'],
        summary:
          'Share of figures received on time (and at all, on time or late), with counts on time, late and missing, per owner, organisation, indicator and for the partnership, over a window of due dates',
        params: pParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            from: { type: 'string', description: 'First due date counted, YYYY-MM-DD (default: a year ago)' },
            to: { type: 'string', description: 'Last due date counted, YYYY-MM-DD (default: today)' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              from: { type: 'string' },
              to: { type: 'string' },
              today: { type: 'string' },
              partnership: completenessSchema,
              owners: { type: 'array', items: completenessRow },
              organisations: { type: 'array', items: completenessRow },
              indicators: { type: 'array', items: completenessRow },
            },
          },
          ...s.errors,
        },
      },
    },
    async (r) => completenessReport(k, pid(r), completenessWindow(r.query as Record<string, unknown>)),
  );
}
