/** The action log over the API: across the partnership or for one group, an action with its dated updates, and giving an update. */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { ACTION_STATUSES, type Database } from '../../../adapters/database/schema.ts';
import { actionUpdates, getActionDetails, listActions, updateAction } from '../../../services/meetings/actions.ts';
import * as s from './schemas.ts';
import { action, actionUpdate, body, camel, enumOf, idOrNull, list, obj, str } from './meetingsSchemas.ts';
import { actor, input, param, params, pid } from './meetingsRequest.ts';

export function actionApi(app: FastifyInstance, k: Kysely<Database>): void {
  const actionTags = ['Actions'];
  app.get(
    '/partnerships/:partnershipId/actions',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags: actionTags,
        summary: 'The action log: across the partnership or for one group, open (default), closed or all',
        params: params(),
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { groupId: { type: 'integer', minimum: 1 }, status: enumOf(['open', 'closed', 'all']) },
        },
        response: { 200: list(action), ...s.errors },
      },
    },
    async (r) => {
      const q = r.query as { groupId?: number; status?: 'open' | 'closed' | 'all' };
      return camel(await listActions(k, pid(r), { groupId: q.groupId, status: q.status ?? 'open' }));
    },
  );

  app.get(
    '/partnerships/:partnershipId/actions/:actionId',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags: actionTags,
        summary: 'An action with its dated updates',
        params: params('actionId'),
        response: { 200: obj({ action, updates: list(actionUpdate) }), ...s.errors },
      },
    },
    async (r) => {
      const id = param(r, 'actionId', 'Action');
      return camel({ action: await getActionDetails(k, pid(r), id), updates: await actionUpdates(k, pid(r), id) });
    },
  );

  app.post(
    '/partnerships/:partnershipId/actions/:actionId/updates',
    {
      config: { auth: 'action.update' },
      schema: {
        tags: actionTags,
        summary: 'Give a dated update on an action and set its status (closed takes it off later agendas)',
        params: params('actionId'),
        body: body(['note', 'status'], { note: str, status: enumOf(ACTION_STATUSES), updateDate: str, meetingId: idOrNull }),
        response: { 201: obj({ action, update: actionUpdate }), ...s.errors },
      },
    },
    async (r, reply) => {
      const id = param(r, 'actionId', 'Action');
      const { update } = await updateAction(k, actor(r), pid(r), id, input(r));
      return reply.code(201).send(camel({ action: await getActionDetails(k, pid(r), id), update }));
    },
  );
}
