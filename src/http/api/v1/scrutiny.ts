/** Scrutiny committee recommendations over the API: the list, recording one, the partnership's response and actions raised in answer. */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { SCRUTINY_STATUSES, type Database } from '../../../adapters/database/schema.ts';
import { getActionDetails, raiseScrutinyAction } from '../../../services/meetings/actions.ts';
import { createRecommendation, listRecommendations, respondToRecommendation } from '../../../services/meetings/scrutiny.ts';
import * as s from './schemas.ts';
import { action, body, camel, enumOf, idOrNull, list, recommendation, str } from './meetingsSchemas.ts';
import { actor, input, param, params, pid } from './meetingsRequest.ts';

export function scrutinyApi(app: FastifyInstance, k: Kysely<Database>): void {
  const scrutinyTags = ['Scrutiny'];
  app.get(
    '/partnerships/:partnershipId/scrutiny-recommendations',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags: scrutinyTags,
        summary: 'Recommendations of the crime and disorder scrutiny committee, newest first',
        params: params(),
        response: { 200: list(recommendation), ...s.errors },
      },
    },
    async (r) => camel(await listRecommendations(k, pid(r))),
  );
  app.post(
    '/partnerships/:partnershipId/scrutiny-recommendations',
    {
      config: { auth: 'scrutiny.write' },
      schema: {
        tags: scrutinyTags,
        summary: 'Record a recommendation (section 19 Police and Justice Act 2006)',
        params: params(),
        body: body(['committee', 'receivedOn', 'recommendation'], { committee: str, receivedOn: str, recommendation: str }),
        response: { 201: recommendation, ...s.errors },
      },
    },
    async (r, reply) => reply.code(201).send(camel(await createRecommendation(k, actor(r), pid(r), input(r)))),
  );
  app.put(
    '/partnerships/:partnershipId/scrutiny-recommendations/:recommendationId/response',
    {
      config: { auth: 'scrutiny.write' },
      schema: {
        tags: scrutinyTags,
        summary: "Record the partnership's response",
        params: params('recommendationId'),
        body: body(['responseStatus'], {
          responseStatus: enumOf(SCRUTINY_STATUSES),
          response: str,
          respondedOn: str,
          expectedUpdatedAt: str,
        }),
        response: { 200: recommendation, ...s.errors },
      },
    },
    async (r) =>
      camel(await respondToRecommendation(k, actor(r), pid(r), param(r, 'recommendationId', 'Scrutiny recommendation'), input(r))),
  );
  app.post(
    '/partnerships/:partnershipId/scrutiny-recommendations/:recommendationId/actions',
    {
      config: { auth: 'scrutiny.write' },
      schema: {
        tags: scrutinyTags,
        summary: 'Raise an action in answer to a recommendation',
        params: params('recommendationId'),
        body: body(['title'], {
          title: str,
          ownerUserId: idOrNull,
          ownerName: str,
          dueDate: str,
          priorityId: idOrNull,
          objectiveId: idOrNull,
          activityId: idOrNull,
        }),
        response: { 201: action, ...s.errors },
      },
    },
    async (r, reply) => {
      const a = await raiseScrutinyAction(k, actor(r), pid(r), param(r, 'recommendationId', 'Scrutiny recommendation'), input(r));
      return reply.code(201).send(camel(await getActionDetails(k, pid(r), a.id)));
    },
  );
}
