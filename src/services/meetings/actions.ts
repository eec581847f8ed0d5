/**
 * Actions agreed at meetings (or in answer to a scrutiny recommendation): an owner (a member of the partnership or
 * a name), a due date, a status, dated updates. An action stays on the agenda of each later meeting of its group
 * ("carried forward") until it is closed; the action log lists them per group and across the partnership. An
 * action can serve a plan priority, objective or delivery activity.
 */
import type { Kysely } from 'kysely';
import {
  ACTION_STATUSES,
  type ActionStatus,
  type ActionUpdate,
  type Database,
  type Meeting,
  type MeetingAction,
} from '../../adapters/database/schema.ts';
import { nowIso } from '../../adapters/clock.ts';
import { lockRows } from '../../adapters/database/concurrency.ts';
import { NotFoundError, Validator } from '../../domain/errors.ts';
import { actionOverdue, shown } from '../../domain/meetings.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { formatDateLong } from '../../domain/dates.ts';
import { getAgendaItem, getMeeting, lineageOf } from './meetings.ts';

export interface ActionInput {
  title?: unknown;
  /** A member of the partnership, or... */
  ownerUserId?: unknown;
  /** ...an owner named in words. */
  ownerName?: unknown;
  dueDate?: unknown;
  agendaItemId?: unknown;
  priorityId?: unknown;
  objectiveId?: unknown;
  activityId?: unknown;
}

export interface ActionDetails extends MeetingAction {
  /** When the meeting that raised it starts, if any. */
  raisedAt: string | null;
  overdue: boolean;
  /** What in the plan it serves, in words. */
  servesTitle: string | null;
}

const present = (x: unknown) => x !== undefined && x !== null && x !== '';

/** The date an action may not fall due before, and what it is, as in "the meeting, 12 March 2026". */
interface NotBefore {
  date: string;
  what: string;
}

async function validateAction(db: Kysely<Database>, partnershipId: number, input: ActionInput, notBefore: NotBefore) {
  const v = new Validator();
  const title = v.text('title', input.title, 'what is to be done', { max: 500 });
  let ownerName = v.text('ownerName', input.ownerName ?? '', "the owner's name", { required: false, max: 200 });
  let ownerUserId: number | null = null;
  if (present(input.ownerUserId)) {
    const user = await db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['users.id', 'users.name'])
      .where('memberships.partnership_id', '=', partnershipId)
      .where('users.id', '=', Number(input.ownerUserId) || 0)
      .executeTakeFirst();
    if (!user) v.add('ownerUserId', `Select a member of the partnership as owner (got "${shown(input.ownerUserId, 20)}")`);
    else [ownerUserId, ownerName] = [user.id, ownerName || user.name];
  }
  if (ownerName === '' && !v.errors.some((e) => e.field === 'ownerUserId')) v.add('ownerName', 'Select the owner or enter their name');
  const dueDate = v.date('dueDate', input.dueDate, 'the due date');
  v.dateOrder(
    'dueDate',
    notBefore.date,
    dueDate,
    `The due date must be the same as or after ${notBefore.what}, ${formatDateLong(notBefore.date)}`,
  );
  const ref = async (field: string, raw: unknown, table: 'priorities' | 'objectives' | 'delivery_activities', what: string) => {
    if (!present(raw)) return null;
    const row = await db
      .selectFrom(table)
      .select('id')
      .where('partnership_id', '=', partnershipId)
      .where('id', '=', Number(raw) || 0)
      .executeTakeFirst();
    if (!row) v.add(field, `Select one of the plan's ${what} (got "${shown(raw, 20)}")`);
    return row?.id ?? null;
  };
  const priorityId = await ref('priorityId', input.priorityId, 'priorities', 'priorities');
  const objectiveId = await ref('objectiveId', input.objectiveId, 'objectives', 'objectives');
  const activityId = await ref('activityId', input.activityId, 'delivery_activities', 'delivery activities');
  v.throwIfAny();
  return {
    title,
    owner_user_id: ownerUserId,
    owner_name: ownerName,
    due_date: dueDate,
    priority_id: priorityId,
    objective_id: objectiveId,
    activity_id: activityId,
  };
}

/** Raises an action at a meeting, optionally against one of its agenda items. */
export async function raiseAction(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  meetingId: number,
  input: ActionInput,
): Promise<MeetingAction> {
  const meeting = await getMeeting(db, partnershipId, meetingId);
  const data = await validateAction(db, partnershipId, input, { date: meeting.starts_at.slice(0, 10), what: 'the meeting' });
  const itemId = present(input.agendaItemId) ? (await getAgendaItem(db, partnershipId, meetingId, input.agendaItemId)).id : null;
  return insertAction(
    db,
    actor,
    partnershipId,
    {
      ...data,
      meeting_id: meeting.id,
      agenda_item_id: itemId,
      governance_group_id: meeting.governance_group_id,
      group_name: meeting.group_name,
      scrutiny_recommendation_id: null,
    },
    `at ${meeting.title} on ${meeting.starts_at.slice(0, 10)}`,
  );
}

/** Raises an action answering a scrutiny recommendation (no meeting). */
export async function raiseScrutinyAction(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  recommendationId: number,
  input: ActionInput,
): Promise<MeetingAction> {
  const rec = await db
    .selectFrom('scrutiny_recommendations')
    .select(['id', 'committee', 'received_on'])
    .where('partnership_id', '=', partnershipId)
    .where('id', '=', recommendationId)
    .executeTakeFirst();
  if (!rec) throw new NotFoundError('Scrutiny recommendation');
  const data = await validateAction(db, partnershipId, input, { date: rec.received_on, what: 'the date the recommendation was received' });
  return insertAction(
    db,
    actor,
    partnershipId,
    { ...data, meeting_id: null, agenda_item_id: null, governance_group_id: null, group_name: '', scrutiny_recommendation_id: rec.id },
    `in answer to ${rec.committee}`,
  );
}

async function insertAction(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  values: Omit<MeetingAction, 'id' | 'partnership_id' | 'status' | 'closed_on' | 'created_at' | 'updated_at'>,
  where: string,
): Promise<MeetingAction> {
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const row = await trx
      .insertInto('meeting_actions')
      .values({ ...values, partnership_id: partnershipId, status: 'open', closed_on: null, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'meeting_action',
      entityId: row.id,
      summary: `Raised the action "${row.title}" for ${row.owner_name} ${where}`,
      after: row,
    });
    return row;
  });
}

export async function getAction(db: Kysely<Database>, partnershipId: number, id: number): Promise<MeetingAction> {
  const row = await db
    .selectFrom('meeting_actions')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Action');
  return row;
}

/** A dated update on an action, which may change its status (closing it takes it off later agendas). */
export async function updateAction(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  actionId: number,
  input: { note?: unknown; status?: unknown; updateDate?: unknown; meetingId?: unknown },
): Promise<{ action: MeetingAction; update: ActionUpdate }> {
  await getAction(db, partnershipId, actionId);
  const v = new Validator();
  const note = v.text('note', input.note, 'the update', { max: 5000 });
  const status = v.oneOf<ActionStatus>(
    'status',
    input.status,
    ACTION_STATUSES,
    `Select open, in progress or closed (got "${shown(input.status, 20)}")`,
  );
  const typed = v.date('updateDate', input.updateDate, 'the date of the update');
  const updateDate = typed ?? nowIso().slice(0, 10);
  v.throwIfAny();
  const meetingId = present(input.meetingId) ? (await getMeeting(db, partnershipId, Number(input.meetingId) || 0)).id : null;
  return db.transaction().execute(async (trx) => {
    await lockRows(trx, 'meeting_actions', actionId);
    const before = await getAction(trx, partnershipId, actionId);
    const update = await trx
      .insertInto('action_updates')
      .values({
        partnership_id: partnershipId,
        action_id: actionId,
        meeting_id: meetingId,
        update_date: updateDate,
        note,
        status,
        written_by: actor.label,
        written_by_user_id: actor.userId,
        created_at: nowIso(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const action = await trx
      .updateTable('meeting_actions')
      .set({ status, closed_on: status === 'closed' ? (before.closed_on ?? updateDate) : null, updated_at: nowIso() })
      .where('id', '=', actionId)
      .where('partnership_id', '=', partnershipId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'update',
      entityType: 'meeting_action',
      entityId: actionId,
      summary: `${status === 'closed' && before.status !== 'closed' ? 'Closed' : 'Updated'} the action "${before.title}": ${note.slice(0, 100)}`,
      before,
      after: { ...action, update },
    });
    return { action, update };
  });
}

export async function actionUpdates(db: Kysely<Database>, partnershipId: number, actionId: number): Promise<ActionUpdate[]> {
  return db
    .selectFrom('action_updates')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('action_id', '=', actionId)
    .orderBy('update_date')
    .orderBy('id')
    .execute();
}

function actionsQuery(db: Kysely<Database>, partnershipId: number) {
  return db
    .selectFrom('meeting_actions')
    .leftJoin('meetings', 'meetings.id', 'meeting_actions.meeting_id')
    .leftJoin('priorities', 'priorities.id', 'meeting_actions.priority_id')
    .leftJoin('objectives', 'objectives.id', 'meeting_actions.objective_id')
    .leftJoin('delivery_activities', 'delivery_activities.id', 'meeting_actions.activity_id')
    .selectAll('meeting_actions')
    .select([
      'meetings.starts_at as raised_at',
      'priorities.title as priority_title',
      'objectives.title as objective_title',
      'delivery_activities.title as activity_title',
    ])
    .where('meeting_actions.partnership_id', '=', partnershipId);
}

type ActionRow = MeetingAction & {
  raised_at: string | null;
  priority_title: string | null;
  objective_title: string | null;
  activity_title: string | null;
};

function details(row: ActionRow, today: string): ActionDetails {
  const { raised_at, priority_title, objective_title, activity_title, ...action } = row;
  const serves = activity_title
    ? `Delivery activity: ${activity_title}`
    : objective_title
      ? `Objective: ${objective_title}`
      : priority_title
        ? `Priority: ${priority_title}`
        : null;
  return { ...action, raisedAt: raised_at, overdue: actionOverdue(action, today), servesTitle: serves };
}

export async function getActionDetails(db: Kysely<Database>, partnershipId: number, id: number): Promise<ActionDetails> {
  const row = await actionsQuery(db, partnershipId).where('meeting_actions.id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('Action');
  return details(row, nowIso().slice(0, 10));
}

/** The action log: across the partnership or for one group (any copy's id), open ones or all, by due date. */
export async function listActions(
  db: Kysely<Database>,
  partnershipId: number,
  options: { groupId?: number; status?: 'open' | 'closed' | 'all'; scrutinyRecommendationId?: number; ownerUserId?: number } = {},
): Promise<ActionDetails[]> {
  let q = actionsQuery(db, partnershipId);
  if (options.ownerUserId !== undefined) q = q.where('meeting_actions.owner_user_id', '=', options.ownerUserId);
  if (options.groupId !== undefined)
    q = q.where('meeting_actions.governance_group_id', 'in', (await lineageOf(db, partnershipId, options.groupId)).ids);
  if (options.scrutinyRecommendationId !== undefined)
    q = q.where('meeting_actions.scrutiny_recommendation_id', '=', options.scrutinyRecommendationId);
  if (options.status === 'open') q = q.where('meeting_actions.status', '!=', 'closed');
  if (options.status === 'closed') q = q.where('meeting_actions.status', '=', 'closed');
  const rows = await q.orderBy('meeting_actions.due_date').orderBy('meeting_actions.id').execute();
  const today = nowIso().slice(0, 10);
  return rows.map((r) => details(r, today));
}

/**
 * The actions a meeting reviews: those of its group raised at earlier meetings that were still open when it met
 * (not closed, or closed on or after its date), and those raised at this meeting.
 */
export async function actionsForMeeting(
  db: Kysely<Database>,
  meeting: Meeting,
): Promise<{ carried: ActionDetails[]; raised: ActionDetails[] }> {
  const today = nowIso().slice(0, 10);
  const raised = (
    await actionsQuery(db, meeting.partnership_id)
      .where('meeting_actions.meeting_id', '=', meeting.id)
      .orderBy('meeting_actions.id')
      .execute()
  ).map((r) => details(r, today));
  if (meeting.governance_group_id === null) return { carried: [], raised };
  const ids = (await lineageOf(db, meeting.partnership_id, meeting.governance_group_id)).ids;
  const date = meeting.starts_at.slice(0, 10);
  const carried = await actionsQuery(db, meeting.partnership_id)
    .where('meeting_actions.governance_group_id', 'in', ids)
    .where('meetings.starts_at', '<', meeting.starts_at)
    .where((eb) => eb.or([eb('meeting_actions.status', '!=', 'closed'), eb('meeting_actions.closed_on', '>=', date)]))
    .orderBy('meeting_actions.due_date')
    .orderBy('meeting_actions.id')
    .execute();
  return { carried: carried.map((r) => details(r, today)), raised };
}
