/**
 * The further official sources under /api/v1 (issue 17 item 6, ADR 0046): the OHID Fingertips series and the killed
 * or seriously injured road collisions of the partnership's local authorities (as on the strategic assessment page),
 * and an annual indicator's figures filled from a Fingertips series (all or nothing, audited). 409 without an area.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../context.ts';
import { fillFromFingertips, partnershipSources } from '../../../services/evidence/areaSources.ts';
import { getIndicator } from '../../../services/performance/indicators.ts';
import * as s from './schemas.ts';

const tags = ['Evidence base'];
const pParams = { type: 'object', properties: { partnershipId: s.idParam } } as const;
const num = { type: ['number', 'null'] } as const;
const authorities = {
  type: 'array',
  description: "The area's local authorities found in the imported tables, with their ONS codes",
  items: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' } } },
} as const;
const unmatched = { type: 'array', items: { type: 'string' }, description: "Names of the area's local authorities not found" } as const;

const fingertipsSchema = {
  type: 'object',
  properties: {
    authorities,
    unmatched,
    indicatorsHeld: { type: 'integer', description: 'Fingertips indicators imported (national)' },
    series: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          indicatorId: { type: 'integer' },
          indicatorName: { type: 'string' },
          areaCode: { type: 'string' },
          areaName: { type: 'string' },
          sex: { type: 'string' },
          age: { type: 'string' },
          points: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                timePeriod: { type: 'string' },
                value: num,
                lower95: num,
                upper95: num,
                lower998: num,
                upper998: num,
                count: num,
                denominator: num,
                valueNote: { type: 'string' },
                comparedToEngland: { type: 'string' },
                england: { ...num, description: "England's value of the same period" },
              },
            },
          },
        },
      },
    },
  },
} as const;

const roadsSchema = {
  type: 'object',
  properties: {
    authorities,
    unmatched,
    yearsHeld: { type: 'array', items: { type: 'integer' }, description: 'Years of collisions imported (empty: none)' },
    years: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          year: { type: 'integer' },
          collisions: { type: 'integer' },
          fatal: { type: 'integer' },
          serious: { type: 'integer' },
          ksiCollisions: { type: 'integer', description: 'Fatal or serious collisions' },
          ksiCollisionCasualties: { type: 'integer', description: 'Casualties of every severity in the KSI collisions' },
          casualties: { type: 'integer' },
        },
      },
    },
  },
} as const;

const partnershipId = (r: FastifyRequest) => r.access!.partnership.id;

export async function officialSourcesApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;
  app.get(
    '/partnerships/:partnershipId/assessment/fingertips',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: "OHID Fingertips series of the area's local authorities, with England and the confidence intervals",
        params: pParams,
        response: { 200: fingertipsSchema, ...s.errors },
      },
    },
    async (r) => {
      const x = await partnershipSources(k, partnershipId(r));
      return { authorities: x.authorities, unmatched: x.unmatched, indicatorsHeld: x.fingertipsHeld, series: x.fingertips };
    },
  );
  app.get(
    '/partnerships/:partnershipId/assessment/road-casualties',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: "Road collisions (DfT STATS19) of the area's local authorities by year: fatal, serious, KSI and their casualties",
        params: pParams,
        response: { 200: roadsSchema, ...s.errors },
      },
    },
    async (r) => {
      const x = await partnershipSources(k, partnershipId(r));
      return { authorities: x.authorities, unmatched: x.unmatched, yearsHeld: x.roads?.yearsHeld ?? [], years: x.roads?.years ?? [] };
    },
  );
  app.post(
    '/partnerships/:partnershipId/indicators/:indicatorId/figures/from-fingertips',
    {
      config: { auth: 'figure.write' },
      schema: {
        tags,
        summary:
          "Fill an annual indicator's figures from a Fingertips series of the area (a pooled period under its last year); all or nothing, audited",
        params: { type: 'object', properties: { partnershipId: s.idParam, indicatorId: s.idParam } },
        body: {
          type: 'object',
          required: ['fingertipsIndicatorId'],
          additionalProperties: false,
          properties: {
            fingertipsIndicatorId: { type: 'integer', description: 'Such as 11201' },
            areaCode: { type: 'string', description: "One of the area's local authority codes; the first when not given" },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              created: { type: 'integer' },
              revised: { type: 'integer' },
              unchanged: { type: 'integer' },
              skipped: {
                type: 'array',
                items: { type: 'object', properties: { timePeriod: { type: 'string' }, reason: { type: 'string' } } },
              },
            },
          },
          ...s.errors,
        },
      },
    },
    async (r) => {
      const body = r.body as { fingertipsIndicatorId: number; areaCode?: string };
      const indicatorId = (r.params as { indicatorId: number }).indicatorId;
      // The indicator in the path must be this partnership's (404 otherwise) before the body is looked at.
      await getIndicator(k, partnershipId(r), indicatorId);
      return fillFromFingertips(k, actorOf(r.user!), partnershipId(r), { ...body, indicatorId });
    },
  );
}
