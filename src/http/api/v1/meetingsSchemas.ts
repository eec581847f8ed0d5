/**
 * JSON schemas of the meetings API (meetings, agendas, decisions, papers, actions, statutory duties and scrutiny
 * recommendations; they make its OpenAPI document) and the JSON each row is sent as: its names in camelCase.
 */
import { ACTION_STATUSES, AGENDA_ITEM_KINDS, ATTENDANCES, DUTY_RECURRENCES, SCRUTINY_STATUSES } from '../../../adapters/database/schema.ts';

/** A row with its snake_case names in camelCase (nested rows and lists too). */
export function camel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camel);
  if (value === null || typeof value !== 'object' || value instanceof Date || Buffer.isBuffer(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), camel(v)]),
  );
}

export const str = { type: 'string' } as const;
export const strNull = { type: ['string', 'null'] } as const;
export const int = { type: 'integer' } as const;
export const intNull = { type: ['integer', 'null'] } as const;
export const obj = (properties: Record<string, unknown>) => ({ type: 'object', properties }) as const;
export const list = (items: unknown) => ({ type: 'array', items }) as const;
export const enumOf = (values: readonly string[]) => ({ type: 'string', enum: values }) as const;

export const meeting = obj({
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
export const attendee = obj({
  id: int,
  meetingId: int,
  userId: intNull,
  organisationId: intNull,
  name: str,
  attendance: enumOf(ATTENDANCES),
});
export const decision = obj({ id: int, meetingId: int, agendaItemId: int, decision: str, recordedBy: str, createdAt: str });
export const paper = obj({
  id: int,
  meetingId: int,
  agendaItemId: intNull,
  title: str,
  url: { type: 'string', description: 'Where the paper is: for an uploaded file, its download in the pages' },
  documentJobId: intNull,
  addedBy: str,
  addedAt: str,
  fileName: { type: ['string', 'null'], description: 'An uploaded paper: the file name (null for a link)' },
  contentType: strNull,
  sizeBytes: intNull,
});
export const place = obj({ meetingId: int, groupName: str, startsAt: str });
export const agendaItem = obj({
  id: int,
  meetingId: int,
  position: int,
  kind: enumOf(AGENDA_ITEM_KINDS),
  title: str,
  notes: str,
  presenter: str,
  presenterUserId: { type: ['integer', 'null'], description: 'The member who presents it, reminded before the paper deadline' },
  quarter: strNull,
  highlightReportId: intNull,
  riskId: intNull,
  indicatorId: intNull,
  escalatedFromItemId: intNull,
  decisions: list(decision),
  papers: list(paper),
  escalatedFrom: { anyOf: [place, { type: 'null' }] },
  escalatedTo: list(place),
  paperOverdue: {
    type: 'boolean',
    description: "The meeting's paper deadline has passed, the meeting is still to come, the item has a presenter and no paper",
  },
});
export const action = obj({
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
export const actionUpdate = obj({
  id: int,
  actionId: int,
  meetingId: intNull,
  updateDate: str,
  note: str,
  status: enumOf(ACTION_STATUSES),
  writtenBy: str,
  createdAt: str,
});
export const completion = obj({
  id: int,
  dutyId: int,
  dueDate: str,
  completedOn: str,
  evidence: str,
  evidenceUrl: str,
  decisionId: intNull,
  recordedBy: str,
});
export const duty = obj({
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
export const recommendation = obj({
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

export const idOrNull = { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] } as const;
export const body = (required: string[], properties: Record<string, unknown>) =>
  ({ type: 'object', required, additionalProperties: false, properties }) as const;
