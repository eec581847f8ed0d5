/**
 * Performance API under /api/v1: the national catalogue, a partnership's indicators (with baseline and
 * target), figures (read and all-or-nothing batch write) and the computed figures for any period range.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../context.ts';
import {
  FREQUENCIES,
  INDICATOR_UNITS,
  OBA_CATEGORIES,
  POLARITIES,
  RAGS,
  TARGET_KINDS,
  type Indicator,
} from '../../../adapters/database/schema.ts';
import {
  createIndicator,
  deleteIndicator,
  getIndicator,
  listCatalogue,
  listIndicatorDetails,
  updateIndicator,
  type IndicatorDetails,
} from '../../../services/performance/indicators.ts';
import { enterFigures, figureHistory, listFigures } from '../../../services/performance/figures.ts';
import {
  comparePeriods,
  indicatorPerformance,
  overrideRag,
  partnershipPerformance,
  quarterByYear,
  storedFigureProblem,
  type IndicatorPerformance,
} from '../../../services/performance/performance.ts';
import { assertValidId } from '../../../services/partnerships/partnerships.ts';
import { ValidationError } from '../../../domain/errors.ts';
import { normalisePeriod } from '../../../services/performance/indicators.ts';
import * as s from './schemas.ts';

const num = { type: ['number', 'null'] } as const;
const str = { type: ['string', 'null'] } as const;

const catalogueEntry = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    code: { type: 'string' },
    title: { type: 'string' },
    definition: { type: 'string' },
    dataSource: { type: 'string' },
    unit: { type: 'string', enum: INDICATOR_UNITS },
    polarity: { type: 'string', enum: POLARITIES },
    frequency: { type: 'string', enum: FREQUENCIES },
    obaCategory: { type: 'string', enum: OBA_CATEGORIES },
  },
} as const;

const target = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    kind: { type: 'string', enum: TARGET_KINDS },
    value: num,
    direction: str,
    ratePer: num,
    comparison: str,
    by: str,
    spanFrom: str,
    spanTo: str,
    note: { type: 'string' },
  },
} as const;

const indicator = {
  type: 'object',
  properties: {
    ...catalogueEntry.properties,
    partnershipId: { type: 'integer' },
    catalogueIndicatorId: { type: ['integer', 'null'] },
    owner: { type: 'string' },
    priorityIds: { type: 'array', items: { type: 'integer' } },
    objectiveIds: { type: 'array', items: { type: 'integer' } },
    baseline: {
      type: ['object', 'null'],
      properties: { value: { type: 'number' }, period: { type: 'string' }, source: { type: 'string' } },
    },
    targets: { type: 'array', items: target },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string', description: 'Send back as expectedUpdatedAt to refuse overwriting a newer change' },
  },
} as const;

const indicatorInput = {
  type: 'object',
  required: ['title', 'unit', 'polarity', 'frequency', 'obaCategory'],
  additionalProperties: false,
  properties: {
    code: { type: 'string', maxLength: 40 },
    title: { type: 'string', maxLength: 300 },
    definition: { type: 'string' },
    dataSource: { type: 'string' },
    unit: { type: 'string', enum: INDICATOR_UNITS },
    polarity: { type: 'string', enum: POLARITIES },
    frequency: { type: 'string', enum: FREQUENCIES },
    owner: { type: 'string' },
    obaCategory: { type: 'string', enum: OBA_CATEGORIES },
    catalogueIndicatorId: { type: 'integer' },
    priorityIds: { type: 'array', items: { type: 'integer' } },
    objectiveIds: { type: 'array', items: { type: 'integer' } },
    baselineValue: { type: 'number' },
    baselinePeriod: { type: 'string', description: "'2009/10', '2009-10 Q1' or '2009-04'" },
    baselineSource: { type: 'string' },
    targetKind: { type: 'string', enum: TARGET_KINDS },
    targetValue: { type: 'number' },
    targetDirection: { type: 'string', enum: ['reduce', 'increase'] },
    targetRatePer: { type: 'integer', enum: [1000, 100000] },
    targetComparison: { type: 'string', enum: ['at_most', 'at_least'] },
    targetBy: { type: 'string' },
    targetFrom: { type: 'string' },
    targetTo: { type: 'string' },
    targetNote: { type: 'string' },
    expectedUpdatedAt: { type: 'string' },
  },
} as const;

const figure = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    indicatorId: { type: 'integer' },
    period: { type: 'string' },
    value: { ...num, description: 'Null when the stored value is not a finite number (see problem)' },
    note: { type: 'string' },
    source: { type: 'string' },
    enteredBy: { type: 'string' },
    enteredAt: { type: 'string' },
    supersededAt: str,
    problem: {
      ...str,
      description: 'Why the stored figure cannot be used (written by an older version or another tool); null when it can',
    },
  },
} as const;

const periodPerformance = {
  type: 'object',
  properties: {
    period: { type: 'string' },
    label: { type: 'string' },
    value: num,
    yearToDate: num,
    lastYearPeriod: { type: 'string' },
    lastYear: num,
    change: num,
    percentChange: { ...num, description: 'Signed, one decimal place, on the same period last year' },
    previousPeriod: { type: 'string', description: 'The month, quarter or financial year before' },
    previousValue: num,
    changeOnPrevious: num,
    percentChangeOnPrevious: { ...num, description: 'Signed, one decimal place, on the period before' },
    direction: str,
    ratePer1000: num,
    population: num,
    baseline: num,
    baselinePeriod: str,
    changeFromBaseline: num,
    percentChangeFromBaseline: num,
    target: {
      type: ['object', 'null'],
      properties: { text: { type: 'string' }, threshold: { type: 'number' }, comparison: { type: 'string' } },
    },
    targetText: str,
    assessed: num,
    assessedAs: str,
    progress: num,
    ruleRag: { type: ['string', 'null'], enum: [...RAGS, null] },
    rag: { type: ['string', 'null'], enum: [...RAGS, null] },
    overridden: { type: 'boolean' },
    overrideReason: str,
    overrideBy: str,
    significance: {
      type: ['object', 'null'],
      properties: { label: { type: 'string' }, pValue: { type: 'number' }, smallNumbers: { type: 'boolean' } },
    },
    projection: {
      type: ['object', 'null'],
      properties: { projected: { type: 'number' }, lower: num, upper: num, probabilityOfMeetingTarget: num, method: { type: 'string' } },
    },
  },
} as const;

const performance = {
  type: 'object',
  properties: {
    indicatorId: { type: 'integer' },
    code: { type: 'string' },
    title: { type: 'string' },
    periods: { type: 'array', items: periodPerformance },
    latest: { anyOf: [periodPerformance, { type: 'null' }] },
    quarterByYear: {
      type: ['array', 'null'],
      description:
        'Monthly and quarterly indicators: each financial year by quarter (Q1 to Q4), with its total (counts, money) or mean, and the change on the year before',
      items: {
        type: 'object',
        properties: {
          year: { type: 'string' },
          quarters: { type: 'array', items: num },
          complete: { type: 'integer' },
          total: num,
          mean: num,
          change: num,
          percentChange: num,
        },
      },
    },
    spc: {
      type: ['object', 'null'],
      properties: {
        mean: { type: 'number' },
        upperProcessLimit: { type: 'number' },
        lowerProcessLimit: { type: 'number' },
        variation: str,
        specialCause: { type: 'array', items: str },
      },
    },
    problems: {
      type: 'array',
      items: { type: 'string' },
      description: 'Stored figures that cannot be used (left out of the periods above, and no rule RAG given), each with why',
    },
  },
} as const;

function catalogueJson(i: Indicator) {
  return {
    id: i.id,
    code: i.code,
    title: i.title,
    definition: i.definition,
    dataSource: i.data_source,
    unit: i.unit,
    polarity: i.polarity,
    frequency: i.frequency,
    obaCategory: i.oba_category,
  };
}

function indicatorJson(i: IndicatorDetails) {
  return {
    ...catalogueJson(i),
    partnershipId: i.partnership_id,
    catalogueIndicatorId: i.catalogue_indicator_id,
    owner: i.owner,
    priorityIds: i.priorityIds,
    objectiveIds: i.objectiveIds,
    baseline: i.baseline ? { value: i.baseline.value, period: i.baseline.period, source: i.baseline.source } : null,
    targets: i.targets.map((t) => ({
      id: t.id,
      kind: t.kind,
      value: t.value,
      direction: t.direction,
      ratePer: t.rate_per,
      comparison: t.comparison,
      by: t.by_period,
      spanFrom: t.span_from,
      spanTo: t.span_to,
      note: t.note,
    })),
    createdAt: i.created_at,
    updatedAt: i.updated_at,
  };
}

function performanceJson(p: IndicatorPerformance, range: { from?: string; to?: string } = {}) {
  const periods = p.periods.filter(
    (x) => (!range.from || comparePeriods(x.period, range.from) >= 0) && (!range.to || comparePeriods(x.period, range.to) <= 0),
  );
  return {
    indicatorId: p.indicator.id,
    code: p.indicator.code,
    title: p.indicator.title,
    periods,
    latest: p.latest,
    quarterByYear: quarterByYear(p),
    spc: p.xmr
      ? {
          mean: p.xmr.mean,
          upperProcessLimit: p.xmr.upperProcessLimit,
          lowerProcessLimit: p.xmr.lowerProcessLimit,
          variation: p.variation,
          specialCause: p.xmr.points.map((x) => x.specialCause),
        }
      : null,
    problems: p.problems,
  };
}

/** Body for the apiBody() of the authorisation walk and for documentation. */
function toInput(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  for (const k of ['baselineValue', 'targetValue', 'targetRatePer', 'catalogueIndicatorId'])
    if (typeof out[k] === 'number') out[k] = String(out[k]);
  return out;
}

export async function performanceApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;
  const pid = (r: FastifyRequest) => r.access!.partnership.id;
  const iid = (r: FastifyRequest) => assertValidId((r.params as Record<string, string>).indicatorId, 'Indicator');
  const pParams = { type: 'object', properties: { partnershipId: s.idParam } } as const;
  const iParams = { type: 'object', properties: { partnershipId: s.idParam, indicatorId: s.idParam } } as const;
  const tags = ['Performance'];

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
    async (r) => indicatorJson(await updateIndicator(k, actorOf(r.user!), pid(r), iid(r), toInput(r.body as Record<string, unknown>))),
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
      await getIndicator(k, pid(r), iid(r));
      const rows = (r.query as { history?: boolean }).history
        ? await figureHistory(k, pid(r), iid(r))
        : await listFigures(k, pid(r), iid(r));
      return rows.map((f) => ({
        id: f.id,
        indicatorId: f.indicator_id,
        period: f.period,
        value: Number.isFinite(f.value) ? f.value : null,
        note: f.note,
        source: f.source,
        enteredBy: f.entered_by,
        enteredAt: f.entered_at,
        supersededAt: f.superseded_at,
        problem: storedFigureProblem(f),
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
                required: ['indicatorId', 'period', 'value'],
                additionalProperties: false,
                properties: {
                  indicatorId: { type: 'integer' },
                  period: { type: 'string' },
                  value: { type: 'number' },
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
      const p = await indicatorPerformance(k, pid(r), iid(r));
      const q = r.query as { from?: string; to?: string };
      const check = (v: string | undefined, field: string) => {
        if (!v) return undefined;
        const n = normalisePeriod(v, p.indicator.frequency);
        if ('error' in n) throw new ValidationError([{ field, message: n.error }]);
        return n.key;
      };
      return performanceJson(p, { from: check(q.from, 'from'), to: check(q.to, 'to') });
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
