/**
 * Meetings, decisions and actions, the statutory calendar and scrutiny recommendations over the API, with the same
 * services, validation and authorisation as the pages. Rows are returned with camelCase names.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../context.ts';
import { ACTION_STATUSES, AGENDA_ITEM_KINDS, ATTENDANCES, DUTY_RECURRENCES, SCRUTINY_STATUSES } from '../../../adapters/database/schema.ts';
import { assertValidId } from '../../../services/partnerships/partnerships.ts';
import {
  addAgendaItem,
  addAttendee,
  addPaper,
  createMeeting,
  escalateAgendaItem,
  listMeetings,
  loadMeeting,
  recordDecision,
  saveMinutes,
} from '../../../services/meetings/meetings.ts';
import {
  actionsForMeeting,
  actionUpdates,
  getActionDetails,
  listActions,
  raiseAction,
  raiseScrutinyAction,
  updateAction,
} from '../../../services/meetings/actions.ts';
import { addStandardDuties, createDuty, listDuties, recordDutyDone } from '../../../services/meetings/statutoryCalendar.ts';
import { createRecommendation, listRecommendations, respondToRecommendation } from '../../../services/meetings/scrutiny.ts';
import * as s from './schemas.ts';

type Json = Record<string, unknown>;

/** A row with its snake_case names in camelCase (nested rows and lists too). */
function camel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camel);
  if (value === null || typeof value !== 'object' || value instanceof Date || Buffer.isBuffer(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), camel(v)]),
  );
}

const str = { type: 'string' } as const;
const strNull = { type: ['string', 'null'] } as const;
const int = { type: 'integer' } as const;
const intNull = { type: ['integer', 'null'] } as const;
const obj = (properties: Record<string, unknown>) => ({ type: 'object', properties }) as const;
const list = (items: unknown) => ({ type: 'array', items }) as const;
const enumOf = (values: readonly string[]) => ({ type: 'string', enum: values }) as const;

const meeting = obj({
  id: int,
  governanceGroupId: intNull,
  groupName: str,
  title: str,
  startsAt: { type: 'string', description: 'Local (UK) time, YYYY-MM-DDTHH:MM' },
  durationMinutes: int,
  location: str,
  paperDeadline: strNull,
  minutes: str,
  createdAt: str,
  updatedAt: { type: 'string', description: 'Send back as expectedUpdatedAt with the minutes to refuse overwriting a newer change' },
});
const attendee = obj({ id: int, meetingId: int, userId: intNull, organisationId: intNull, name: str, attendance: enumOf(ATTENDANCES) });
const decision = obj({ id: int, meetingId: int, agendaItemId: int, decision: str, recordedBy: str, createdAt: str });
const paper = obj({ id: int, meetingId: int, agendaItemId: intNull, title: str, url: str, addedBy: str, addedAt: str });
const place = obj({ meetingId: int, groupName: str, startsAt: str });
const agendaItem = obj({
  id: int,
  meetingId: int,
  position: int,
  kind: enumOf(AGENDA_ITEM_KINDS),
  title: str,
  notes: str,
  presenter: str,
  quarter: strNull,
  highlightReportId: intNull,
  riskId: intNull,
  indicatorId: intNull,
  escalatedFromItemId: intNull,
  decisions: list(decision),
  papers: list(paper),
  escalatedFrom: { anyOf: [place, { type: 'null' }] },
  escalatedTo: list(place),
});
const action = obj({
  id: int,
  governanceGroupId: intNull,
  groupName: str,
  meetingId: intNull,
  agendaItemId: intNull,
  scrutinyRecommendationId: intNull,
  title: str,
  ownerUserId: intNull,
  ownerName: str,
  dueDate: strNull,
  status: enumOf(ACTION_STATUSES),
  closedOn: strNull,
  priorityId: intNull,
  objectiveId: intNull,
  activityId: intNull,
  raisedAt: strNull,
  overdue: { type: 'boolean' },
  servesTitle: strNull,
  createdAt: str,
  updatedAt: str,
});
const actionUpdate = obj({
  id: int,
  actionId: int,
  meetingId: intNull,
  updateDate: str,
  note: str,
  status: enumOf(ACTION_STATUSES),
  writtenBy: str,
  createdAt: str,
});
const completion = obj({
  id: int,
  dutyId: int,
  dueDate: str,
  completedOn: str,
  evidence: str,
  evidenceUrl: str,
  decisionId: intNull,
  recordedBy: str,
});
const duty = obj({
  id: int,
  standardKey: strNull,
  title: str,
  description: str,
  legalBasis: str,
  recurrence: enumOf(DUTY_RECURRENCES),
  dueDate: str,
  state: enumOf(['done', 'overdue', 'due_soon', 'upcoming']),
  completions: list(completion),
});
const recommendation = obj({
  id: int,
  committee: str,
  receivedOn: str,
  recommendation: str,
  responseStatus: enumOf(SCRUTINY_STATUSES),
  response: str,
  respondedOn: strNull,
  createdAt: str,
  updatedAt: str,
});

const idOrNull = { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] } as const;
const body = (required: string[], properties: Record<string, unknown>) =>
  ({ type: 'object', required, additionalProperties: false, properties }) as const;

export async function meetingsApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;
  const pid = (r: FastifyRequest) => r.access!.partnership.id;
  const param = (r: FastifyRequest, name: string, what: string) => assertValidId((r.params as Record<string, string>)[name], what);
  const params = (...names: string[]) => ({
    type: 'object',
    properties: Object.fromEntries(['partnershipId', ...names].map((n) => [n, s.idParam])),
  });
  const mid = (r: FastifyRequest) => param(r, 'meetingId', 'Meeting');
  const input = (r: FastifyRequest) => (r.body ?? {}) as Json;
  const actor = (r: FastifyRequest) => actorOf(r.user!);
  const tags = ['Meetings'];
  const m = '/partnerships/:partnershipId/meetings/:meetingId';

  app.get(
    '/partnerships/:partnershipId/meetings',
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary: "The partnership's meetings, soonest first",
        params: params(),
        response: { 200: list(meeting), ...s.errors },
      },
    },
    async (r) => camel(await listMeetings(k, pid(r))),
  );

  app.post(
    '/partnerships/:partnershipId/meetings',
    {
      config: { auth: 'meeting.write' },
      schema: {
        tags,
        summary: 'Arrange a meeting of a governance group',
        params: params(),
        body: body(['groupId', 'date', 'time'], {
          groupId: { type: 'integer', minimum: 1, description: 'A governance group of the plan (any version of it)' },
          title: str,
          date: { type: 'string', description: 'YYYY-MM-DD or 12 March 2026' },
          time: { type: 'string', description: '14:00 or 2pm, UK time' },
          durationMinutes: { type: 'integer' },
          location: str,
          paperDeadline: { type: 'string', description: 'Papers due by (YYYY-MM-DD), on or before the meeting' },
        }),
        response: { 201: meeting, ...s.errors },
      },
    },
    async (r, reply) => reply.code(201).send(camel(await createMeeting(k, actor(r), pid(r), input(r)))),
  );

  app.get(
    m,
    {
      config: { auth: 'partnership.read' },
      schema: {
        tags,
        summary:
          'A meeting with its attendees, agenda (decisions, papers, escalations), papers, previous meeting and actions (carried forward and raised)',
        params: params('meetingId'),
        response: {
          200: obj({
            meeting,
            attendees: list(attendee),
            agenda: list(agendaItem),
            papers: list(paper),
            previous: { anyOf: [meeting, { type: 'null' }] },
            carriedActions: list(action),
            raisedActions: list(action),
          }),
          ...s.errors,
        },
      },
    },
    async (r) => {
      const details = await loadMeeting(k, pid(r), mid(r));
      const { carried, raised } = await actionsForMeeting(k, details.meeting);
      return camel({ ...details, carriedActions: carried, raisedActions: raised });
    },
  );

  const write = (segment: string, summary: string, schemaBody: unknown, response: unknown, run: (r: FastifyRequest) => Promise<unknown>) =>
    app.post(
      `${m}/${segment}`,
      {
        config: { auth: 'meeting.write' },
        schema: { tags, summary, params: params('meetingId'), body: schemaBody, response: { 201: response, ...s.errors } },
      },
      async (r, reply) => reply.code(201).send(camel(await run(r))),
    );

  write(
    'attendees',
    'Add a member, a partner organisation or a named person, with their attendance',
    body(['attendance'], { userId: idOrNull, organisationId: idOrNull, name: str, attendance: enumOf(ATTENDANCES) }),
    attendee,
    (r) => addAttendee(k, actor(r), pid(r), mid(r), input(r)),
  );
  write(
    'agenda-items',
    'Add an agenda item (or an exception raised), optionally about a Board pack or exception report (quarter), a highlight report, a risk or an indicator',
    body(['kind'], {
      kind: enumOf(AGENDA_ITEM_KINDS.filter((x) => x !== 'escalation')),
      title: str,
      notes: str,
      presenter: str,
      quarter: { type: 'string', description: "'2025/26 Q3'" },
      highlightReportId: idOrNull,
      riskId: idOrNull,
      indicatorId: idOrNull,
    }),
    agendaItem,
    (r) => addAgendaItem(k, actor(r), pid(r), mid(r), input(r)),
  );
  write(
    'decisions',
    'Record a decision against an agenda item',
    body(['agendaItemId', 'decision'], { agendaItemId: int, decision: str }),
    decision,
    (r) => recordDecision(k, actor(r), pid(r), mid(r), input(r)),
  );
  write(
    'escalations',
    "Put an agenda item on the agenda of another group's next meeting (after this one)",
    body(['agendaItemId', 'targetGroupId'], { agendaItemId: int, targetGroupId: int }),
    obj({ item: agendaItem, meeting }),
    (r) => escalateAgendaItem(k, actor(r), pid(r), mid(r), input(r)),
  );
  write(
    'papers',
    'Add a paper: a link to a generated document, a page of CSP Hub or a web address',
    body(['title', 'url'], { title: str, url: str, agendaItemId: idOrNull, documentJobId: idOrNull }),
    paper,
    (r) => addPaper(k, actor(r), pid(r), mid(r), input(r)),
  );
  write(
    'actions',
    'Raise an action at the meeting; it is carried to later meetings of the group until closed',
    body(['title'], {
      title: str,
      ownerUserId: idOrNull,
      ownerName: str,
      dueDate: str,
      agendaItemId: idOrNull,
      priorityId: idOrNull,
      objectiveId: idOrNull,
      activityId: idOrNull,
    }),
    action,
    async (r) => getActionDetails(k, pid(r), (await raiseAction(k, actor(r), pid(r), mid(r), input(r))).id),
  );

  app.put(
    `${m}/minutes`,
    {
      config: { auth: 'meeting.write' },
      schema: {
        tags,
        summary: 'Save the minutes (refused with 409 if expectedUpdatedAt is given and the meeting has changed since)',
        params: params('meetingId'),
        body: body(['minutes'], { minutes: str, expectedUpdatedAt: str }),
        response: { 200: meeting, ...s.errors },
      },
    },
    async (r) => camel(await saveMinutes(k, actor(r), pid(r), mid(r), input(r))),
  );

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
