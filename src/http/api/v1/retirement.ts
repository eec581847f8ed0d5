/** Retiring and reinstating an indicator over the API (decision 0021), with the service, checks and audit of the pages. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../context.ts';
import { assertValidId } from '../../../services/partnerships/partnerships.ts';
import { reinstateIndicator, retireIndicator } from '../../../services/performance/retirement.ts';
import type { IndicatorDetails } from '../../../services/performance/indicators.ts';
import * as s from './schemas.ts';
import { periodAfter } from '../../../domain/index.ts';

const retirement = {
  type: 'object',
  properties: {
    indicatorId: { type: 'integer' },
    retiredAfter: { type: ['string', 'null'], description: 'The last period the indicator is reported for; null when live' },
    retiredFrom: { type: ['string', 'null'], description: 'The first period it is no longer reported for; null when live' },
    supersededBy: { type: ['integer', 'null'], description: 'The id of the indicator that replaces it, if any' },
    reason: { type: ['string', 'null'] },
    retiredAt: { type: ['string', 'null'] },
    updatedAt: { type: 'string', description: 'Send back as expectedUpdatedAt to refuse overwriting a newer change' },
  },
} as const;

function retirementJson(i: IndicatorDetails) {
  return {
    indicatorId: i.id,
    retiredAfter: i.retired_after,
    retiredFrom: i.retired_after === null ? null : periodAfter(i.retired_after),
    supersededBy: i.superseded_by_indicator_id,
    reason: i.retirement_reason,
    retiredAt: i.retired_at,
    updatedAt: i.updated_at,
  };
}

export async function retirementApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;
  const pid = (r: FastifyRequest) => r.access!.partnership.id;
  const indicatorId = (r: FastifyRequest) => assertValidId((r.params as Record<string, string>).indicatorId, 'Indicator');
  const params = { type: 'object', properties: { partnershipId: s.idParam, indicatorId: s.idParam } } as const;

  app.put(
    '/partnerships/:partnershipId/indicators/:indicatorId/retirement',
    {
      config: { auth: 'indicator.write' },
      schema: {
        tags: ['Performance'],
        summary: 'Retire an indicator after its last period, with the reason (or change its last period)',
        params,
        body: {
          type: 'object',
          required: ['endPeriod', 'reason'],
          additionalProperties: false,
          properties: {
            endPeriod: { type: 'string', description: "The last period reported, in the indicator's frequency: '2020-21 Q1'" },
            reason: { type: 'string', maxLength: 2000 },
            supersededBy: {
              type: ['integer', 'null'],
              description: "The id of the indicator that replaces it (another of the partnership's)",
            },
            expectedUpdatedAt: { type: 'string' },
          },
        },
        response: { 200: retirement },
      },
    },
    async (r) => retirementJson(await retireIndicator(k, actorOf(r.user!), pid(r), indicatorId(r), r.body as Record<string, unknown>)),
  );

  app.delete(
    '/partnerships/:partnershipId/indicators/:indicatorId/retirement',
    {
      config: { auth: 'indicator.write' },
      schema: { tags: ['Performance'], summary: 'Reinstate a retired indicator', params, response: { 200: retirement } },
    },
    async (r) => retirementJson(await reinstateIndicator(k, actorOf(r.user!), pid(r), indicatorId(r))),
  );
}
