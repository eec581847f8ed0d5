/**
 * Evidence base API under /api/v1 (ADR 0028): the partnership's official Home Office counts by offence group and
 * financial year, and the comparison with its peer group (funnel figures). The same services as the pages; 409
 * with the reason when the partnership has no CSP chosen or no table is imported.
 */
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../context.ts';
import { ConflictError } from '../../../domain/errors.ts';
import { officialCounts, peerComparison } from '../../../services/evidence/officialData.ts';
import * as s from './schemas.ts';

const tags = ['Evidence base'];
const pParams = { type: 'object', properties: { partnershipId: s.idParam } } as const;
const numOrNull = { type: ['number', 'null'] } as const;
const limits = {
  population: { type: 'number' },
  lower95: { type: 'number' },
  upper95: { type: 'number' },
  lower998: { type: 'number' },
  upper998: { type: 'number' },
} as const;

const countsSchema = {
  type: 'object',
  properties: {
    cspName: { type: 'string' },
    force: { type: 'string' },
    years: { type: 'array', items: { type: 'integer' }, description: 'Financial years by the year they start in (2022 = 2022/23)' },
    yearLabels: { type: 'array', items: { type: 'string' } },
    rows: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          group: { type: 'string' },
          counts: { type: 'array', items: { type: 'integer' } },
          change: { ...numOrNull, description: '% change from the year before the last to the last, one decimal place' },
        },
      },
    },
    rates: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          year: { type: 'integer' },
          label: { type: 'string' },
          count: { type: 'integer' },
          population: {
            type: ['object', 'null'],
            properties: {
              year: { type: 'integer' },
              population: { type: 'integer' },
              source: { type: 'string', enum: ['ons', 'entered'] },
            },
          },
          rate: { ...numOrNull, description: 'All offences per 1,000 people' },
        },
      },
    },
  },
} as const;

const peersSchema = {
  type: 'object',
  properties: {
    cspName: { type: 'string' },
    method: { type: 'string', enum: ['computed', 'chosen'] },
    features: { type: 'array', items: { type: 'string' } },
    peers: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, distance: numOrNull } } },
    missing: { type: 'array', items: { type: 'string' } },
    groups: { type: 'array', items: { type: 'string' } },
    group: { type: 'string' },
    years: { type: 'array', items: { type: 'integer' } },
    year: { type: 'integer' },
    yearLabel: { type: 'string' },
    populationYears: { type: 'array', items: { type: 'integer' } },
    funnel: {
      type: ['object', 'null'],
      properties: {
        average: { type: 'number', description: 'Pooled rate per 1,000 over the group' },
        points: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              count: { type: 'integer' },
              isSubject: { type: 'boolean' },
              rate: { type: 'number' },
              significance: { type: 'string' },
              rank: { type: 'integer', description: '1 = the highest rate' },
              ...limits,
            },
          },
        },
      },
    },
  },
} as const;

export async function evidenceApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;
  app.get(
    '/partnerships/:partnershipId/official-crime',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: "The partnership's Home Office recorded crime by offence group and financial year, with the change and rates",
        params: pParams,
        response: { 200: countsSchema, ...s.errors },
      },
    },
    async (r) => {
      const c = await officialCounts(k, r.access!.partnership.id);
      if (!c) throw new ConflictError('No Home Office CSP is chosen for the partnership, or its table is not imported');
      return c;
    },
  );
  app.get(
    '/partnerships/:partnershipId/peers',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary:
          'The rate of an offence group in a financial year against the peer group: funnel limits (95%, 99.8%), significance and rank',
        params: pParams,
        querystring: { type: 'object', properties: { group: { type: 'string', maxLength: 200 }, year: { type: 'integer' } } },
        response: { 200: peersSchema, ...s.errors },
      },
    },
    async (r) => {
      const q = r.query as { group?: string; year?: number };
      const c = await peerComparison(k, r.access!.partnership.id, q);
      if (!c) throw new ConflictError('No Home Office CSP is chosen for the partnership, or its table is not imported');
      return { ...c, funnel: c.funnel ? { average: c.funnel.average, points: c.funnel.points } : null };
    },
  );
}
