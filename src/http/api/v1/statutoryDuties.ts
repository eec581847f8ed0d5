/** The statutory calendar over the API: the partnership's duties, adding the standard ones or its own, and recording one as done. */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { DUTY_RECURRENCES, type Database } from '../../../adapters/database/schema.ts';
import { addStandardDuties, createDuty, listDuties, recordDutyDone } from '../../../services/meetings/statutoryCalendar.ts';
import * as s from './schemas.ts';
import { body, camel, completion, duty, enumOf, idOrNull, int, list, obj, str } from './meetingsSchemas.ts';
import { actor, input, param, params, pid } from './meetingsRequest.ts';

export function statutoryDutyApi(app: FastifyInstance, k: Kysely<Database>): void {
  const dutyTags = ['Statutory calendar'];
  app.get(
    '/partnerships/:partnershipId/statutory-duties',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags: dutyTags,
        summary: "The partnership's statutory duties, soonest due first, with their completions",
        params: params(),
        response: { 200: list(duty), ...s.errors },
      },
    },
    async (r) => camel(await listDuties(k, pid(r))),
  );
  app.post(
    '/partnerships/:partnershipId/statutory-duties/standard',
    {
      config: { auth: 'duty.write' },
      schema: {
        tags: dutyTags,
        summary: 'Add the standard duties of a Community Safety Partnership that the partnership does not have yet',
        params: params(),
        response: { 201: list(duty), ...s.errors },
      },
    },
    async (r, reply) => {
      await addStandardDuties(k, actor(r), pid(r));
      return reply.code(201).send(camel(await listDuties(k, pid(r))));
    },
  );
  app.post(
    '/partnerships/:partnershipId/statutory-duties',
    {
      config: { auth: 'duty.write' },
      schema: {
        tags: dutyTags,
        summary: "Add one of the partnership's own duties",
        params: params(),
        body: body(['title', 'recurrence', 'dueDate'], {
          title: str,
          description: str,
          legalBasis: str,
          recurrence: enumOf(DUTY_RECURRENCES),
          dueDate: str,
        }),
        response: { 201: obj({ id: int, title: str, dueDate: str, recurrence: str }), ...s.errors },
      },
    },
    async (r, reply) => reply.code(201).send(camel(await createDuty(k, actor(r), pid(r), input(r)))),
  );
  app.post(
    '/partnerships/:partnershipId/statutory-duties/:dutyId/completions',
    {
      config: { auth: 'duty.write' },
      schema: {
        tags: dutyTags,
        summary: 'Record a duty as done, with its evidence; a recurring duty then falls due a year (or three) later',
        params: params('dutyId'),
        body: body(['completedOn'], { completedOn: str, evidence: str, evidenceUrl: str, decisionId: idOrNull }),
        response: { 201: obj({ duty: obj({ id: int, dueDate: str }), completion }), ...s.errors },
      },
    },
    async (r, reply) =>
      reply.code(201).send(camel(await recordDutyDone(k, actor(r), pid(r), param(r, 'dutyId', 'Statutory duty'), input(r)))),
  );
}
