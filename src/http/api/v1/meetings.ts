/**
 * Meetings, decisions and actions, the statutory calendar and scrutiny recommendations over the API, with the same
 * services, validation and authorisation as the pages. Rows are returned with camelCase names. The meetings, their
 * agendas and records are here; the action log, statutory duties and scrutiny recommendations each have their file.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { AppServices } from '../../context.ts';
import { AGENDA_ITEM_KINDS, ATTENDANCES, type Database } from '../../../adapters/database/schema.ts';
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
import { actionsForMeeting, getActionDetails, raiseAction } from '../../../services/meetings/actions.ts';
import * as s from './schemas.ts';
import {
  action,
  agendaItem,
  attendee,
  body,
  camel,
  decision,
  enumOf,
  idOrNull,
  int,
  list,
  meeting,
  obj,
  paper,
  str,
} from './meetingsSchemas.ts';
import { actor, input, mid, params, pid } from './meetingsRequest.ts';
import { actionApi } from './actions.ts';
import { statutoryDutyApi } from './statutoryDuties.ts';
import { scrutinyApi } from './scrutiny.ts';
import { meetingPapersApi } from './meetingPapersApi.ts';

const m = '/partnerships/:partnershipId/meetings/:meetingId';

export async function meetingsApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;
  meetingApi(app, k);
  meetingRecordApi(app, k);
  meetingPapersApi(app, k);
  actionApi(app, k);
  statutoryDutyApi(app, k);
  scrutinyApi(app, k);
}

/** The partnership's meetings: the list, arranging one, and a meeting with its agenda, papers and actions. */
function meetingApi(app: FastifyInstance, k: Kysely<Database>): void {
  const tags = ['Meetings'];

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
}

/** What is recorded at a meeting: attendees, agenda items, decisions, escalations, papers, actions raised and the minutes. */
function meetingRecordApi(app: FastifyInstance, k: Kysely<Database>): void {
  const tags = ['Meetings'];
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
      presenterUserId: idOrNull,
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
}
