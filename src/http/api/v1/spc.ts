/**
 * Statistical process control over the API (issue 16): each indicator's XmR chart with its phases, excluded points
 * and notes, its Making Data Count icons and their meaning, the partnership's SPC summary, and the change dates and
 * points an editor sets, with the same services, validation, conflict check and authorisation as the pages.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../context.ts';
import type { IndicatorSpcMark } from '../../../adapters/database/schema.ts';
import { assertValidId } from '../../../services/partnerships/partnerships.ts';
import { indicatorPerformance, type IndicatorPerformance } from '../../../services/performance/performance.ts';
import { label } from '../../../services/performance/indicators.ts';
import { removeSpcMark, saveSpcMark, SPC_TEXT_MAX } from '../../../services/performance/spcMarks.ts';
import { spcSummary } from '../../../services/performance/spcSummary.ts';
import { spcReading } from '../../../presentation/spcIcons.ts';
import { unitFormat } from '../../../presentation/formats.ts';
import * as s from './schemas.ts';

const num = { type: 'number' } as const;
const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;

const mark = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    kind: { type: 'string', enum: ['phase', 'point'] },
    period: str,
    baselineTo: nullableStr,
    excluded: { type: 'boolean' },
    reason: str,
    note: str,
    updatedAt: { type: 'string', description: 'Send back as expectedUpdatedAt to change or remove it' },
  },
} as const;

const reading = {
  type: 'object',
  properties: {
    indicatorId: { type: 'integer' },
    label: str,
    variation: { type: ['string', 'null'], description: "Making Data Count's variation icon, e.g. special_cause_improvement_low" },
    variationLabel: str,
    assurance: { type: ['string', 'null'], enum: ['consistently_pass', 'consistently_fail', 'inconsistent', null] },
    assuranceLabel: str,
    description: { type: 'string', description: 'What the two icons mean, in plain words' },
  },
} as const;

const chart = {
  type: 'object',
  properties: {
    ...reading.properties,
    phases: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          startPeriod: str,
          endPeriod: str,
          mean: num,
          lowerProcessLimit: num,
          upperProcessLimit: num,
          baselinePoints: { type: 'integer' },
        },
      },
    },
    points: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          period: str,
          value: num,
          phase: { type: 'integer' },
          excluded: { type: 'boolean' },
          specialCause: { type: ['string', 'null'], enum: ['high', 'low', null] },
          rules: { type: 'array', items: str },
          note: str,
        },
      },
    },
    settings: { type: 'array', items: mark },
    notes: { type: 'array', items: str, description: 'Settings not applied (yet), each with why' },
  },
} as const;

const markJson = (m: IndicatorSpcMark) => ({
  id: m.id,
  kind: m.kind,
  period: m.period,
  baselineTo: m.baseline_to,
  excluded: m.excluded === 1,
  reason: m.reason,
  note: m.note,
  updatedAt: m.updated_at,
});

function readingJson(p: IndicatorPerformance) {
  const r = spcReading(p, p.latest, p.indicator.polarity, unitFormat(p.indicator.unit));
  return {
    indicatorId: p.indicator.id,
    label: label(p.indicator),
    variation: r.variation,
    variationLabel: r.variationLabel,
    assurance: r.assurance,
    assuranceLabel: r.assuranceLabel,
    description: r.description,
  };
}

function chartJson(p: IndicatorPerformance) {
  const periods = p.series.map((x) => x.period);
  const notes = new Map(p.spcMarks.filter((m) => m.kind === 'point').map((m) => [m.period, m.note]));
  return {
    ...readingJson(p),
    phases: (p.xmr?.phases ?? []).map((x) => ({
      startPeriod: periods[x.start]!,
      endPeriod: periods[x.end - 1]!,
      mean: x.mean,
      lowerProcessLimit: x.lowerProcessLimit,
      upperProcessLimit: x.upperProcessLimit,
      baselinePoints: x.baselinePoints,
    })),
    points: (p.xmr?.points ?? []).map((x) => ({
      period: periods[x.index]!,
      value: x.value,
      phase: x.phase,
      excluded: x.excluded,
      specialCause: x.specialCause,
      rules: x.flags.map((f) => f.rule),
      note: notes.get(periods[x.index]!) ?? '',
    })),
    settings: p.spcMarks.map(markJson),
    notes: p.spcNotes,
  };
}

const pid = (r: FastifyRequest) => r.access!.partnership.id;
const param = (r: FastifyRequest, name: string, what: string) => assertValidId((r.params as Record<string, string>)[name], what);
const pParams = { type: 'object', properties: { partnershipId: s.idParam } } as const;
const iParams = { type: 'object', properties: { partnershipId: s.idParam, indicatorId: s.idParam } } as const;
const mParams = { type: 'object', properties: { partnershipId: s.idParam, indicatorId: s.idParam, markId: s.idParam } } as const;
const tags = ['Statistical process control'];

export async function spcApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;
  app.get(
    '/partnerships/:partnershipId/performance/spc',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: 'Every indicator reported now with its variation and assurance icons',
        params: pParams,
        response: { 200: { type: 'array', items: reading }, ...s.errors },
      },
    },
    async (r) => (await spcSummary(k, pid(r))).map(readingJson),
  );
  app.get(
    '/partnerships/:partnershipId/indicators/:indicatorId/spc',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: "An indicator's XmR chart: phases, points, its icons and its settings",
        params: iParams,
        response: { 200: chart, ...s.errors },
      },
    },
    async (r) => chartJson(await indicatorPerformance(k, pid(r), param(r, 'indicatorId', 'Indicator'))),
  );
  app.post(
    '/partnerships/:partnershipId/indicators/:indicatorId/spc',
    {
      config: { auth: 'indicator.write' },
      schema: {
        tags,
        summary: 'Add or change a change date (kind phase) or a point left out of the limits or annotated (kind point)',
        params: iParams,
        body: {
          type: 'object',
          required: ['kind', 'period'],
          additionalProperties: false,
          properties: {
            kind: { type: 'string', enum: ['phase', 'point'] },
            period: str,
            baselineTo: { type: 'string', description: "A change date's fixed baseline: its limits from the figures up to this period" },
            excluded: { type: 'boolean' },
            reason: { type: 'string', maxLength: SPC_TEXT_MAX },
            note: { type: 'string', maxLength: SPC_TEXT_MAX },
            expectedUpdatedAt: {
              type: 'string',
              description: "The updatedAt of the setting you are changing, or '' when adding one (409 otherwise)",
            },
          },
        },
        response: { 200: mark, ...s.errors },
      },
    },
    async (r) => {
      const body = r.body as Record<string, unknown>;
      const row = await saveSpcMark(k, actorOf(r.user!), pid(r), param(r, 'indicatorId', 'Indicator'), {
        ...body,
        excluded: body.excluded === true ? 'yes' : '',
        expectedUpdatedAt: body.expectedUpdatedAt ?? '',
      });
      return markJson(row);
    },
  );
  app.delete(
    '/partnerships/:partnershipId/indicators/:indicatorId/spc/:markId',
    {
      config: { auth: 'indicator.write' },
      schema: {
        tags,
        summary: 'Remove a change date or point setting',
        params: mParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { expectedUpdatedAt: str },
        },
        response: { 204: { type: 'null' }, ...s.errors },
      },
    },
    async (r, reply) => {
      const q = r.query as { expectedUpdatedAt?: string };
      await removeSpcMark(
        k,
        actorOf(r.user!),
        pid(r),
        param(r, 'indicatorId', 'Indicator'),
        param(r, 'markId', 'SPC setting'),
        q.expectedUpdatedAt,
      );
      return reply.status(204).send();
    },
  );
}
