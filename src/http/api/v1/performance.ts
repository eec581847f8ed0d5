/**
 * Performance API under /api/v1: the national catalogue, a partnership's indicators (with baseline and
 * target), figures (read and all-or-nothing batch write), the computed figures for any period range (with the
 * reason for each figure that cannot be worked out) and RAG overrides. Schemas in performanceSchemas.ts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { actorOf, type AppServices } from '../../context.ts';
import { RAGS, type Database } from '../../../adapters/database/schema.ts';
import {
  createIndicator,
  deleteIndicator,
  getIndicator,
  listCatalogue,
  listIndicatorDetails,
  updateIndicator,
} from '../../../services/performance/indicators.ts';
import { enterFigures, indicatorFigures } from '../../../services/performance/figures.ts';
import { indicatorPerformanceBetween, partnershipPerformance } from '../../../services/performance/performance.ts';
import { storedFigureProblem } from '../../../domain/index.ts';
import { overrideRag } from '../../../services/performance/ragOverrides.ts';
import { assertValidId } from '../../../services/partnerships/partnerships.ts';
import * as s from './schemas.ts';
import {
  catalogueEntry,
  catalogueJson,
  figure,
  indicator,
  indicatorInput,
  indicatorJson,
  performance,
  performanceJson,
  str,
  toInput,
} from './performanceSchemas.ts';

const pid = (r: FastifyRequest) => r.access!.partnership.id;
const iid = (r: FastifyRequest) => assertValidId((r.params as Record<string, string>).indicatorId, 'Indicator');
const pParams = { type: 'object', properties: { partnershipId: s.idParam } } as const;
const iParams = { type: 'object', properties: { partnershipId: s.idParam, indicatorId: s.idParam } } as const;
const tags = ['Performance'];

export async function performanceApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;
  indicatorApi(app, k);
  figureApi(app, k);
  computedApi(app, k);
}

/** The national catalogue and the partnership's indicators. */
function indicatorApi(app: FastifyInstance, k: Kysely<Database>): void {
  app.get(
    '/indicator-catalogue',
    {
      config: { auth: 'signed-in' },
      schema: {
        tags,
        summary: 'The national Safer indicators (NI 15 to NI 49 and NI 111)',
        response: { 200: { type: 'array', items: catalogueEntry } },
      },
    },
    async () => (await listCatalogue(k)).map(catalogueJson),
  );

  app.get(
    '/partnerships/:partnershipId/indicators',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: "The partnership's indicators with baseline and targets",
        params: pParams,
        response: { 200: { type: 'array', items: indicator }, ...s.errors },
      },
    },
    async (r) => (await listIndicatorDetails(k, pid(r))).map(indicatorJson),
  );
  app.post(
    '/partnerships/:partnershipId/indicators',
    {
      config: { auth: 'indicator.write' },
      schema: {
        tags,
        summary: 'Add an indicator (with baseline and target)',
        params: pParams,
        body: indicatorInput,
        response: { 201: indicator, ...s.errors },
      },
    },
    async (r, reply) =>
      reply.code(201).send(indicatorJson(await createIndicator(k, actorOf(r.user!), pid(r), toInput(r.body as Record<string, unknown>)))),
  );
  app.get(
    '/partnerships/:partnershipId/indicators/:indicatorId',
    {
      config: { auth: 'partnership.read' },
      schema: { tags, summary: 'An indicator', params: iParams, response: { 200: indicator, ...s.errors } },
    },
    async (r) => indicatorJson(await getIndicator(k, pid(r), iid(r))),
  );
  app.put(
    '/partnerships/:partnershipId/indicators/:indicatorId',
    {
      config: { auth: 'indicator.write' },
      schema: { tags, summary: 'Update an indicator', params: iParams, body: indicatorInput, response: { 200: indicator, ...s.errors } },
    },
    async (r) => {
      const body = toInput(r.body as Record<string, unknown>);
      // isPublic left out keeps the indicator as it is (clients from before the field was offered would unpublish it).
      const current = await getIndicator(k, pid(r), iid(r));
      if (body.isPublic === undefined) body.isPublic = current.is_public === 1;
      // A trajectory left out is kept as it is, as isPublic is.
      if (body.trajectory === undefined) {
        body.trajectory = current.trajectory ?? 'none';
        body.trajectoryShares = current.trajectory_shares?.split(',').map(Number) ?? [];
      }
      return indicatorJson(await updateIndicator(k, actorOf(r.user!), pid(r), iid(r), body));
    },
  );
  app.delete(
    '/partnerships/:partnershipId/indicators/:indicatorId',
    {
      config: { auth: 'indicator.write' },
      schema: { tags, summary: 'Remove an indicator and its figures', params: iParams, response: { 204: { type: 'null' }, ...s.errors } },
    },
    async (r, reply) => {
      await deleteIndicator(k, actorOf(r.user!), pid(r), iid(r));
      return reply.code(204).send();
    },
  );
}

/** Figures: read (with their revisions) and entered in batches, all or nothing. */
function figureApi(app: FastifyInstance, k: Kysely<Database>): void {
  app.get(
    '/partnerships/:partnershipId/indicators/:indicatorId/figures',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: 'Figures of an indicator (add ?history=true for revised figures too)',
        params: iParams,
        querystring: { type: 'object', properties: { history: { type: 'boolean' } } },
        response: { 200: { type: 'array', items: figure }, ...s.errors },
      },
    },
    async (r) => {
      const rows = await indicatorFigures(k, pid(r), iid(r), { history: (r.query as { history?: boolean }).history });
      const { unit } = await getIndicator(k, pid(r), iid(r));
      return rows.map((f) => ({
        id: f.id,
        indicatorId: f.indicator_id,
        period: f.period,
        value: Number.isFinite(f.value) ? f.value : null,
        numerator: f.numerator ?? null,
        denominator: f.denominator ?? null,
        note: f.note,
        source: f.source,
        enteredBy: f.entered_by,
        enteredAt: f.entered_at,
        supersededAt: f.superseded_at,
        problem: storedFigureProblem(f, unit),
      }));
    },
  );
  app.post(
    '/partnerships/:partnershipId/figures',
    {
      config: { auth: 'figure.write' },
      schema: {
        tags,
        summary: 'Enter or revise figures, all or nothing (every problem is reported with its row)',
        params: pParams,
        body: {
          type: 'object',
          required: ['figures'],
          additionalProperties: false,
          properties: {
            figures: {
              type: 'array',
              items: {
                type: 'object',
                required: ['indicatorId', 'period'],
                additionalProperties: false,
                properties: {
                  indicatorId: { type: 'integer' },
                  period: { type: 'string' },
                  value: {
                    type: 'number',
                    description:
                      'Below zero only for a score or money indicator (a net change, a balance). May be left out when numerator and denominator are given: it is then worked out from them',
                  },
                  numerator: {
                    type: 'number',
                    description:
                      "A percentage's or rate's numerator (the people or events counted), with the denominator: a whole number of 0 or more, at most the denominator for a percentage",
                  },
                  denominator: {
                    type: 'number',
                    description:
                      "A percentage's denominator (how many it is of) or a rate's population, with the numerator: a whole number above 0. The value, when given, must agree with them",
                  },
                  note: { type: 'string' },
                  source: { type: 'string' },
                },
              },
            },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { created: { type: 'integer' }, revised: { type: 'integer' }, unchanged: { type: 'integer' } },
          },
          ...s.errors,
        },
      },
    },
    async (r) => enterFigures(k, actorOf(r.user!), pid(r), (r.body as { figures: Record<string, unknown>[] }).figures),
  );
}

/** Computed figures of one indicator or all, and RAG overrides. */
function computedApi(app: FastifyInstance, k: Kysely<Database>): void {
  const range = {
    type: 'object',
    properties: { from: { type: 'string', description: 'First period, e.g. 2009/10' }, to: { type: 'string', description: 'Last period' } },
  } as const;
  app.get(
    '/partnerships/:partnershipId/indicators/:indicatorId/performance',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: 'Computed figures: change, % change, rate, target, RAG, direction, significance, projection and SPC',
        params: iParams,
        querystring: range,
        response: { 200: performance, ...s.errors },
      },
    },
    async (r) => {
      const { performance: p, periods } = await indicatorPerformanceBetween(k, pid(r), iid(r), r.query as { from?: string; to?: string });
      return performanceJson(p, periods);
    },
  );
  app.get(
    '/partnerships/:partnershipId/performance',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: 'Computed figures of every indicator (the dashboard)',
        params: pParams,
        response: { 200: { type: 'array', items: performance }, ...s.errors },
      },
    },
    async (r) => (await partnershipPerformance(k, pid(r))).map((p) => performanceJson(p)),
  );
  ragOverrideApi(app, k);
}

function ragOverrideApi(app: FastifyInstance, k: Kysely<Database>): void {
  app.post(
    '/partnerships/:partnershipId/indicators/:indicatorId/rag-overrides',
    {
      config: { auth: 'rag.override' },
      schema: {
        tags,
        summary: 'Override the RAG status of a period (a reason is required)',
        params: iParams,
        body: {
          type: 'object',
          required: ['period', 'rag', 'reason'],
          additionalProperties: false,
          properties: { period: { type: 'string' }, rag: { type: 'string', enum: RAGS }, reason: { type: 'string' } },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              id: { type: 'integer' },
              period: { type: 'string' },
              rag: { type: 'string' },
              ruleRag: str,
              reason: { type: 'string' },
              createdBy: { type: 'string' },
              createdAt: { type: 'string' },
            },
          },
          ...s.errors,
        },
      },
    },
    async (r, reply) => {
      const o = await overrideRag(k, actorOf(r.user!), pid(r), iid(r), r.body as Record<string, unknown>);
      return reply.code(201).send({
        id: o.id,
        period: o.period,
        rag: o.rag,
        ruleRag: o.rule_rag,
        reason: o.reason,
        createdBy: o.created_by,
        createdAt: o.created_at,
      });
    },
  );
}
