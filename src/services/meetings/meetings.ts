/**
 * Meetings of the plan's governance groups (issue 18, ADR 0030): arranged with a date, time, place and paper
 * deadline; people and partner organisations expected, attending or sending apologies; an agenda whose items can
 * point at what the partnership already holds (a Board pack or exception report for a quarter, a highlight
 * report, a risk, an indicator); papers; decisions against agenda items; minutes. An item raised at one group
 * (an exception at the JAG) is escalated onto the agenda of the next meeting of another (the Strategic Group).
 *
 * A governance group is a plan part, copied into each new plan version; a group and its copies are one group
 * (a "lineage") for meetings: the next meeting of the JAG is the next meeting held under any copy of it.
 */
import type { Kysely } from 'kysely';
import {
  AGENDA_ITEM_KINDS,
  ATTENDANCES,
  type AgendaItemKind,
  type Attendance,
  type Database,
  type Meeting,
  type MeetingAgendaItem,
  type MeetingAttendee,
  type MeetingDecision,
  type MeetingPaper,
} from '../../adapters/database/schema.ts';
import { nowIso, todayIso } from '../../adapters/clock.ts';
import { assertFresh, lockRows } from '../../adapters/database/concurrency.ts';
import { NotFoundError, ValidationError, Validator } from '../../domain/errors.ts';
import { paperOverdue, parseTimeOfDay, shown } from '../../domain/meetings.ts';
import { parseReportQuarter } from '../../domain/reportQuarter.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { DATE_PARTS, formatDateLong } from '../../domain/dates.ts';
import { updatePartnershipRow } from '../platform/conflictCheckedUpdate.ts';

export const MEETING_TEXT_MAX = 5000;
export const MINUTES_MAX = 100_000;

// ---------- Groups and their lineages ----------

export interface GroupLineage {
  /** The id of the first group of the chain of copies: what identifies the group across plan versions. */
  key: number;
  /** The newest copy: where new meetings are arranged. */
  id: number;
  name: string;
  /** Every copy's id. */
  ids: number[];
}

/** The partnership's governance groups, each with its copies in other plan versions, newest name first, by name. */
export async function groupLineages(db: Kysely<Database>, partnershipId: number): Promise<GroupLineage[]> {
  const rows = await db
    .selectFrom('governance_groups')
    .select(['id', 'name', 'copied_from_group_id'])
    .where('partnership_id', '=', partnershipId)
    .orderBy('id')
    .execute();
  const parent = new Map(rows.map((r) => [r.id, r.copied_from_group_id]));
  const rootOf = (id: number): number => {
    let current = id;
    for (let i = 0; i < 1000; i++) {
      const p = parent.get(current);
      if (p === null || p === undefined || !parent.has(p)) return current;
      current = p;
    }
    return current;
  };
  const byRoot = new Map<number, GroupLineage>();
  for (const r of rows) {
    const key = rootOf(r.id);
    const lineage = byRoot.get(key) ?? { key, id: r.id, name: r.name, ids: [] };
    lineage.ids.push(r.id);
    if (r.id >= lineage.id) [lineage.id, lineage.name] = [r.id, r.name];
    byRoot.set(key, lineage);
  }
  return [...byRoot.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The lineage of one of the partnership's groups (any copy's id). */
export async function lineageOf(db: Kysely<Database>, partnershipId: number, groupId: number): Promise<GroupLineage> {
  const lineage = (await groupLineages(db, partnershipId)).find((l) => l.ids.includes(groupId));
  if (!lineage) throw new NotFoundError('Governance group');
  return lineage;
}

/** The ids of the groups in the same lineage as a meeting's group (none when its group was deleted). */
async function meetingLineageIds(db: Kysely<Database>, meeting: Meeting): Promise<number[]> {
  if (meeting.governance_group_id === null) return [];
  return (await lineageOf(db, meeting.partnership_id, meeting.governance_group_id)).ids;
}

// ---------- Meetings ----------

export interface MeetingInput {
  groupId?: unknown;
  title?: unknown;
  /** The date, like 2026-03-12 or 12/3/2026. */
  date?: unknown;
  /** The start time, like 14:00 or 2pm. */
  time?: unknown;
  durationMinutes?: unknown;
  location?: unknown;
  paperDeadline?: unknown;
}

/** Reads a meeting's time, place and paper deadline (all but its group), adding problems to `v`. */
function readMeetingFields(v: Validator, input: MeetingInput) {
  const date = v.date('date', input.date, 'the date of the meeting', { required: true });
  const timeRaw = typeof input.time === 'string' ? input.time.trim() : '';
  const time = parseTimeOfDay(timeRaw);
  if (timeRaw === '') v.add('time', 'Enter the start time, like 14:00');
  else if (time === null) v.add('time', `Enter the start time like 14:00 or 2pm (got "${timeRaw.slice(0, 20)}")`);
  const duration = input.durationMinutes === undefined || input.durationMinutes === '' ? 120 : Number(input.durationMinutes);
  if (!Number.isInteger(duration) || duration < 5 || duration > 1440)
    v.add('durationMinutes', `Enter the length in minutes, from 5 to 1440 (got "${shown(input.durationMinutes, 20)}")`);
  const location = v.text('location', input.location ?? '', 'the place', { required: false, max: 500 });
  const title = v.text('title', input.title ?? '', 'the title', { required: false, max: 200 });
  const deadline = v.date('paperDeadline', input.paperDeadline, 'the paper deadline');
  if (deadline && date && deadline > date)
    v.add('paperDeadline', `The paper deadline must be the same as or before the meeting, ${formatDateLong(date)}`, DATE_PARTS);
  return { date, time, duration, location, title, deadline };
}

export async function createMeeting(db: Kysely<Database>, actor: Actor, partnershipId: number, input: MeetingInput): Promise<Meeting> {
  const v = new Validator();
  const groupId = Number(input.groupId);
  const lineages = await groupLineages(db, partnershipId);
  const group = lineages.find((l) => l.ids.includes(groupId));
  if (!group)
    v.add(
      'groupId',
      lineages.length === 0 ? 'Add a governance group to the plan first' : `Select the group that meets (got "${shown(input.groupId)}")`,
    );
  const f = readMeetingFields(v, input);
  v.throwIfAny();
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const row = await trx
      .insertInto('meetings')
      .values({
        partnership_id: partnershipId,
        governance_group_id: groupId,
        group_name: group!.name,
        title: f.title || group!.name,
        starts_at: `${f.date}T${f.time}`,
        duration_minutes: f.duration,
        location: f.location,
        paper_deadline: f.deadline,
        minutes: '',
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'meeting',
      entityId: row.id,
      summary: `Arranged a meeting of ${group!.name} on ${f.date} at ${f.time}`,
      after: row,
    });
    return row;
  });
}

/**
 * Changes a meeting's title, date, time, length, place and paper deadline (its group stays: a meeting of another
 * group is a new meeting), refusing the save when someone else changed the meeting since `expectedUpdatedAt`.
 */
export async function updateMeeting(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  meetingId: number,
  input: MeetingInput & { expectedUpdatedAt?: unknown },
): Promise<Meeting> {
  const v = new Validator();
  const f = readMeetingFields(v, input);
  v.throwIfAny();
  const fields = ['title', 'starts_at', 'duration_minutes', 'location', 'paper_deadline'] as const;
  return updatePartnershipRow(db, actor, {
    table: 'meetings',
    partnershipId,
    id: meetingId,
    read: (trx) => getMeeting(trx, partnershipId, meetingId),
    expectedUpdatedAt: input.expectedUpdatedAt,
    conflictMessage: () => 'The meeting was changed by someone else after you opened it. Their version is shown; make your changes again.',
    values: (_trx, before) => ({
      title: f.title || before.group_name,
      starts_at: `${f.date}T${f.time}`,
      duration_minutes: f.duration,
      location: f.location,
      paper_deadline: f.deadline,
    }),
    entityType: 'meeting',
    summary: (before, row) =>
      `Changed the meeting of ${before.group_name} on ${before.starts_at.slice(0, 10)}${before.starts_at !== row.starts_at ? ` to ${f.date} at ${f.time}` : ''}`,
    auditRow: (row) => Object.fromEntries(fields.map((k) => [k, row[k]])),
  });
}

/** What deleting a meeting takes with it, and what stays. */
export interface MeetingDeletion {
  /** Deleted with the meeting. */
  attendees: number;
  agendaItems: number;
  papers: number;
  decisions: number;
  /** Kept in the group's action log, no longer linked to a meeting. */
  actions: number;
  /** Updates on actions given at this meeting: kept, no longer linked to it. */
  actionUpdates: number;
  /** Items on other meetings' agendas escalated from this one: kept, no longer linked to it. */
  escalations: number;
}

/** Counts what deleting a meeting would delete and what it would keep (for the confirmation page and the audit). */
export async function meetingDeletion(db: Kysely<Database>, partnershipId: number, meetingId: number): Promise<MeetingDeletion> {
  await getMeeting(db, partnershipId, meetingId);
  const count = async (
    table: 'meeting_attendees' | 'meeting_agenda_items' | 'meeting_papers' | 'meeting_decisions' | 'meeting_actions' | 'action_updates',
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('partnership_id', '=', partnershipId)
          .where('meeting_id', '=', meetingId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const escalations = await db
    .selectFrom('meeting_agenda_items as later')
    .innerJoin('meeting_agenda_items as here', 'here.id', 'later.escalated_from_item_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('here.meeting_id', '=', meetingId)
    .where('later.partnership_id', '=', partnershipId)
    .executeTakeFirstOrThrow();
  return {
    attendees: await count('meeting_attendees'),
    agendaItems: await count('meeting_agenda_items'),
    papers: await count('meeting_papers'),
    decisions: await count('meeting_decisions'),
    actions: await count('meeting_actions'),
    actionUpdates: await count('action_updates'),
    escalations: Number(escalations.n),
  };
}

/**
 * Deletes a meeting with its attendees, agenda, papers and decisions. The actions raised at it stay in its group's
 * action log (they may be under way), as do updates given at it and items escalated from it to other meetings,
 * no longer linked to it. Refused when someone changed the meeting since `expectedUpdatedAt`.
 */
export async function deleteMeeting(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  meetingId: number,
  input: { expectedUpdatedAt?: unknown } = {},
): Promise<MeetingDeletion> {
  return db.transaction().execute(async (trx) => {
    await lockRows(trx, 'meetings', meetingId);
    const before = await getMeeting(trx, partnershipId, meetingId);
    assertFresh(
      input.expectedUpdatedAt,
      before.updated_at,
      'The meeting was changed by someone else after you opened it. Check it again before deleting it.',
    );
    const effects = await meetingDeletion(trx, partnershipId, meetingId);
    const items = trx.selectFrom('meeting_agenda_items').select('id').where('meeting_id', '=', meetingId);
    await trx.updateTable('meeting_actions').set({ meeting_id: null, agenda_item_id: null }).where('meeting_id', '=', meetingId).execute();
    await trx.updateTable('meeting_actions').set({ agenda_item_id: null }).where('agenda_item_id', 'in', items).execute();
    await trx.updateTable('action_updates').set({ meeting_id: null }).where('meeting_id', '=', meetingId).execute();
    await trx
      .updateTable('meeting_agenda_items')
      .set({ escalated_from_item_id: null })
      .where('escalated_from_item_id', 'in', items)
      .execute();
    await trx.deleteFrom('meeting_decisions').where('meeting_id', '=', meetingId).execute();
    await trx
      .deleteFrom('meeting_paper_files')
      .where('paper_id', 'in', trx.selectFrom('meeting_papers').select('id').where('meeting_id', '=', meetingId))
      .execute();
    await trx.deleteFrom('meeting_papers').where('meeting_id', '=', meetingId).execute();
    await trx.deleteFrom('meeting_attendees').where('meeting_id', '=', meetingId).execute();
    await trx.deleteFrom('meeting_agenda_items').where('meeting_id', '=', meetingId).execute();
    await trx.deleteFrom('meetings').where('id', '=', meetingId).where('partnership_id', '=', partnershipId).execute();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'delete',
      entityType: 'meeting',
      entityId: meetingId,
      summary: `Deleted the meeting of ${before.group_name} on ${before.starts_at.slice(0, 10)} with ${effects.agendaItems} agenda item(s), ${effects.decisions} decision(s) and ${effects.papers} paper(s); ${effects.actions} action(s) kept in the action log`,
      before: { ...before, deleted: effects },
    });
    return effects;
  });
}

export async function getMeeting(db: Kysely<Database>, partnershipId: number, id: number): Promise<Meeting> {
  const row = await db
    .selectFrom('meetings')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Meeting');
  return row;
}

/** The partnership's meetings, soonest first, optionally of one group (any copy's id). */
export async function listMeetings(db: Kysely<Database>, partnershipId: number, options: { groupId?: number } = {}): Promise<Meeting[]> {
  let q = db.selectFrom('meetings').selectAll().where('partnership_id', '=', partnershipId);
  if (options.groupId !== undefined) q = q.where('governance_group_id', 'in', (await lineageOf(db, partnershipId, options.groupId)).ids);
  return q.orderBy('starts_at').orderBy('id').execute();
}

/** The first meeting of a group (any copy) after a local time. */
export async function nextMeetingOf(
  db: Kysely<Database>,
  partnershipId: number,
  groupIds: number[],
  after: string,
): Promise<Meeting | null> {
  if (groupIds.length === 0) return null;
  return (
    (await db
      .selectFrom('meetings')
      .selectAll()
      .where('partnership_id', '=', partnershipId)
      .where('governance_group_id', 'in', groupIds)
      .where('starts_at', '>', after)
      .orderBy('starts_at')
      .orderBy('id')
      .executeTakeFirst()) ?? null
  );
}

/** The meeting of the same group just before this one, whose minutes the meeting approves. */
export async function previousMeeting(db: Kysely<Database>, meeting: Meeting): Promise<Meeting | null> {
  const ids = await meetingLineageIds(db, meeting);
  if (ids.length === 0) return null;
  return (
    (await db
      .selectFrom('meetings')
      .selectAll()
      .where('partnership_id', '=', meeting.partnership_id)
      .where('governance_group_id', 'in', ids)
      .where((eb) =>
        eb.or([eb('starts_at', '<', meeting.starts_at), eb.and([eb('starts_at', '=', meeting.starts_at), eb('id', '<', meeting.id)])]),
      )
      .orderBy('starts_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst()) ?? null
  );
}

export async function saveMinutes(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  meetingId: number,
  input: { minutes?: unknown; expectedUpdatedAt?: unknown },
): Promise<Meeting> {
  const v = new Validator();
  const minutes = v.text('minutes', input.minutes ?? '', 'the minutes', { required: false, max: MINUTES_MAX });
  v.throwIfAny();
  return updatePartnershipRow(db, actor, {
    table: 'meetings',
    partnershipId,
    id: meetingId,
    read: (trx) => getMeeting(trx, partnershipId, meetingId),
    expectedUpdatedAt: input.expectedUpdatedAt,
    conflictMessage: () =>
      'The minutes were changed by someone else after you opened them. Their version is shown; make your changes again.',
    values: () => ({ minutes }),
    entityType: 'meeting',
    summary: (before) => `Wrote the minutes of ${before.title} on ${before.starts_at.slice(0, 10)}`,
    auditRow: (row) => ({ minutes: row.minutes }),
  });
}

// ---------- Attendees ----------

export async function addAttendee(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  meetingId: number,
  input: { userId?: unknown; organisationId?: unknown; name?: unknown; attendance?: unknown },
): Promise<MeetingAttendee> {
  const meeting = await getMeeting(db, partnershipId, meetingId);
  const v = new Validator();
  const attendance = v.oneOf<Attendance>(
    'attendance',
    input.attendance ?? 'expected',
    ATTENDANCES,
    'Select expected, attended, apologies or absent',
  );
  let name = v.text('name', input.name ?? '', 'the name', { required: false, max: 200 });
  const present = (x: unknown) => x !== undefined && x !== null && x !== '';
  let userId: number | null = null;
  let organisationId: number | null = null;
  if (present(input.userId)) {
    const user = await db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['users.id', 'users.name'])
      .where('memberships.partnership_id', '=', partnershipId)
      .where('users.id', '=', Number(input.userId) || 0)
      .executeTakeFirst();
    if (!user) v.add('userId', `Select a member of the partnership (got "${shown(input.userId, 20)}")`);
    else [userId, name] = [user.id, name || user.name];
  }
  if (present(input.organisationId)) {
    const org = await db
      .selectFrom('organisations')
      .select(['id', 'name'])
      .where('partnership_id', '=', partnershipId)
      .where('id', '=', Number(input.organisationId) || 0)
      .executeTakeFirst();
    if (!org) v.add('organisationId', `Select one of the partner organisations (got "${shown(input.organisationId, 20)}")`);
    else [organisationId, name] = [org.id, name || org.name];
  }
  if (name === '' && v.errors.length === 0) v.add('name', 'Select a person or an organisation, or enter a name');
  v.throwIfAny();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('meeting_attendees')
      .values({
        partnership_id: partnershipId,
        meeting_id: meetingId,
        user_id: userId,
        organisation_id: organisationId,
        name,
        attendance,
        created_at: nowIso(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'meeting_attendee',
      entityId: row.id,
      summary: `Added ${name} (${attendance}) to ${meeting.title} on ${meeting.starts_at.slice(0, 10)}`,
      after: row,
    });
    return row;
  });
}

// ---------- Agenda ----------

export interface AgendaItemInput {
  kind?: unknown;
  title?: unknown;
  notes?: unknown;
  presenter?: unknown;
  /** The member who presents it (reminded before the paper deadline); the presenter's name defaults to theirs. */
  presenterUserId?: unknown;
  /** For a Board pack or exception report: '2019/20 Q4'. */
  quarter?: unknown;
  highlightReportId?: unknown;
  riskId?: unknown;
  indicatorId?: unknown;
}

interface ValidAgendaItem {
  kind: AgendaItemKind;
  title: string;
  notes: string;
  presenter: string;
  presenter_user_id: number | null;
  quarter: string | null;
  highlight_report_id: number | null;
  risk_id: number | null;
  indicator_id: number | null;
}

const OWN_KINDS = AGENDA_ITEM_KINDS.filter((k) => k !== 'escalation');

async function validateAgendaItem(db: Kysely<Database>, partnershipId: number, input: AgendaItemInput): Promise<ValidAgendaItem> {
  const v = new Validator();
  const kind = v.oneOf<AgendaItemKind>('kind', input.kind ?? 'item', OWN_KINDS, `Select what the item is (got "${shown(input.kind, 30)}")`);
  let title = v.text('title', input.title ?? '', 'the title of the item', { required: false, max: 300 });
  const notes = v.text('notes', input.notes ?? '', 'the notes', { required: false, max: MEETING_TEXT_MAX });
  const presenter = v.text('presenter', input.presenter ?? '', 'who presents it', { required: false, max: 200 });
  const idOf = (raw: unknown) => (raw === undefined || raw === null || raw === '' ? null : Number(raw));
  const presenterId = idOf(input.presenterUserId);
  const member =
    presenterId === null
      ? undefined
      : await db
          .selectFrom('memberships')
          .innerJoin('users', 'users.id', 'memberships.user_id')
          .select(['users.id', 'users.name'])
          .where('memberships.partnership_id', '=', partnershipId)
          .where('users.id', '=', Number.isSafeInteger(presenterId) ? presenterId : 0)
          .executeTakeFirst();
  if (presenterId !== null && !member)
    v.add('presenterUserId', `Select a member of the partnership as presenter (got "${shown(input.presenterUserId, 20)}")`);
  const out: ValidAgendaItem = {
    kind,
    title,
    notes,
    presenter: presenter || (member?.name ?? ''),
    presenter_user_id: member?.id ?? null,
    quarter: null,
    highlight_report_id: null,
    risk_id: null,
    indicator_id: null,
  };
  if (kind === 'board_pack' || kind === 'exception_report') {
    try {
      const q = parseReportQuarter(input.quarter);
      out.quarter = q.key;
      title ||= `${kind === 'board_pack' ? 'Quarterly report (Board pack)' : 'Exception report'}: ${q.label}`;
    } catch (e) {
      if (e instanceof ValidationError) for (const err of e.errors) v.add(err.field, err.message);
      else throw e;
    }
  } else if (kind === 'highlight_report') {
    const id = idOf(input.highlightReportId);
    const row = id
      ? await db
          .selectFrom('highlight_reports')
          .innerJoin('priorities', 'priorities.id', 'highlight_reports.priority_id')
          .select(['highlight_reports.id', 'highlight_reports.month', 'priorities.title'])
          .where('highlight_reports.partnership_id', '=', partnershipId)
          .where('highlight_reports.id', '=', id)
          .executeTakeFirst()
      : undefined;
    if (!row) v.add('highlightReportId', `Select one of the partnership's highlight reports (got "${shown(input.highlightReportId)}")`);
    else [out.highlight_report_id, title] = [row.id, title || `Highlight report: ${row.title}, ${row.month}`];
  } else if (kind === 'risk') {
    const id = idOf(input.riskId);
    const row = id
      ? await db
          .selectFrom('risks')
          .select(['id', 'risk'])
          .where('partnership_id', '=', partnershipId)
          .where('id', '=', id)
          .executeTakeFirst()
      : undefined;
    if (!row) v.add('riskId', `Select one of the plan's risks (got "${shown(input.riskId)}")`);
    else [out.risk_id, title] = [row.id, title || `Risk: ${row.risk.slice(0, 200)}`];
  } else if (kind === 'indicator') {
    const id = idOf(input.indicatorId);
    const row = id
      ? await db
          .selectFrom('indicators')
          .select(['id', 'title'])
          .where('partnership_id', '=', partnershipId)
          .where('id', '=', id)
          .executeTakeFirst()
      : undefined;
    if (!row) v.add('indicatorId', `Select one of the partnership's indicators (got "${shown(input.indicatorId)}")`);
    else [out.indicator_id, title] = [row.id, title || `Indicator: ${row.title}`];
  }
  if (title === '' && v.errors.length === 0)
    v.add('title', kind === 'exception' ? 'Enter the exception raised' : 'Enter the title of the item');
  v.throwIfAny();
  out.title = title.slice(0, 300);
  return out;
}

async function insertAgendaItem(
  trx: Kysely<Database>,
  partnershipId: number,
  meetingId: number,
  data: ValidAgendaItem & { escalated_from_item_id?: number | null },
): Promise<MeetingAgendaItem> {
  await lockRows(trx, 'meetings', meetingId);
  const last = await trx
    .selectFrom('meeting_agenda_items')
    .select((eb) => eb.fn.max('position').as('max'))
    .where('meeting_id', '=', meetingId)
    .executeTakeFirst();
  return trx
    .insertInto('meeting_agenda_items')
    .values({
      partnership_id: partnershipId,
      meeting_id: meetingId,
      position: Number(last?.max ?? 0) + 1,
      escalated_from_item_id: null,
      ...data,
      created_at: nowIso(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function addAgendaItem(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  meetingId: number,
  input: AgendaItemInput,
): Promise<MeetingAgendaItem> {
  const meeting = await getMeeting(db, partnershipId, meetingId);
  const data = await validateAgendaItem(db, partnershipId, input);
  return db.transaction().execute(async (trx) => {
    const row = await insertAgendaItem(trx, partnershipId, meetingId, data);
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'meeting_agenda_item',
      entityId: row.id,
      summary: `${data.kind === 'exception' ? 'Raised an exception' : 'Added an agenda item'} at ${meeting.title} on ${meeting.starts_at.slice(0, 10)}: ${row.title}`,
      after: row,
    });
    return row;
  });
}

export async function getAgendaItem(
  db: Kysely<Database>,
  partnershipId: number,
  meetingId: number,
  raw: unknown,
  field = 'agendaItemId',
): Promise<MeetingAgendaItem> {
  const id = Number(raw);
  const row = Number.isSafeInteger(id)
    ? await db
        .selectFrom('meeting_agenda_items')
        .selectAll()
        .where('partnership_id', '=', partnershipId)
        .where('meeting_id', '=', meetingId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new ValidationError([{ field, message: `Select an item of this meeting's agenda (got "${shown(raw, 20)}")` }]);
  return row;
}

/**
 * Puts an item of this meeting on the agenda of the next meeting of another group (the JAG's exception on the
 * Strategic Group's agenda), pointing back at where it came from. The next meeting is the first one of that group
 * after this meeting; without one the escalation is refused, naming the group.
 */
export async function escalateAgendaItem(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  meetingId: number,
  input: { agendaItemId?: unknown; targetGroupId?: unknown },
): Promise<{ item: MeetingAgendaItem; meeting: Meeting }> {
  const meeting = await getMeeting(db, partnershipId, meetingId);
  const source = await getAgendaItem(db, partnershipId, meetingId, input.agendaItemId);
  const lineages = await groupLineages(db, partnershipId);
  const target = lineages.find((l) => l.ids.includes(Number(input.targetGroupId)));
  const own = meeting.governance_group_id === null ? [] : (lineages.find((l) => l.ids.includes(meeting.governance_group_id!))?.ids ?? []);
  if (!target || own.includes(target.id))
    throw new ValidationError([
      {
        field: 'targetGroupId',
        message: `Select another governance group to escalate to (got "${shown(input.targetGroupId, 20)}")`,
      },
    ]);
  const next = await nextMeetingOf(db, partnershipId, target.ids, meeting.starts_at);
  if (!next)
    throw new ValidationError([
      {
        field: 'targetGroupId',
        message: `${target.name} has no meeting arranged after ${meeting.starts_at.slice(0, 10)}: arrange its next meeting first`,
      },
    ]);
  return db.transaction().execute(async (trx) => {
    const item = await insertAgendaItem(trx, partnershipId, next.id, {
      kind: 'escalation',
      title: source.title,
      notes: source.notes,
      presenter: source.presenter || `Chair of ${meeting.group_name}`,
      presenter_user_id: source.presenter_user_id,
      quarter: source.quarter,
      highlight_report_id: source.highlight_report_id,
      risk_id: source.risk_id,
      indicator_id: source.indicator_id,
      escalated_from_item_id: source.id,
    });
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'meeting_agenda_item',
      entityId: item.id,
      summary: `Escalated "${source.title}" from ${meeting.group_name} to ${next.group_name} on ${next.starts_at.slice(0, 10)}`,
      after: item,
    });
    return { item, meeting: next };
  });
}

// ---------- Papers and decisions ----------

/** The download address of an uploaded paper. */
export function paperFileHref(paper: Pick<MeetingPaper, 'partnership_id' | 'meeting_id' | 'id'>): string {
  return `/partnerships/${paper.partnership_id}/meetings/${paper.meeting_id}/papers/${paper.id}/file`;
}

/**
 * A paper as shown: an uploaded file's address is worked out from the paper itself, never the stored one, which
 * names the ids of the instance it was uploaded on (a partnership imported from another instance has new ids).
 */
export function paperView(paper: MeetingPaper): MeetingPaper {
  return paper.file_name === null ? paper : { ...paper, url: paperFileHref(paper) };
}

/** The agenda item a paper is filed under: none when left blank, else one of this meeting's items (not found otherwise). */
export async function optionalAgendaItemId(
  db: Kysely<Database>,
  partnershipId: number,
  meetingId: number,
  raw: unknown,
): Promise<number | null> {
  if (raw === undefined || raw === null || raw === '') return null;
  return (await getAgendaItem(db, partnershipId, meetingId, raw)).id;
}

export async function addPaper(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  meetingId: number,
  input: { title?: unknown; url?: unknown; agendaItemId?: unknown; documentJobId?: unknown },
): Promise<MeetingPaper> {
  const meeting = await getMeeting(db, partnershipId, meetingId);
  const v = new Validator();
  const title = v.text('title', input.title, 'the title of the paper', { max: 300 });
  const url = v.text('url', input.url, 'where the paper is (a link)', { max: 2000 });
  if (url && !/^(https?:\/\/[^\s]+|\/[^\s/][^\s]*)$/i.test(url))
    v.add('url', `Enter a web address starting https:// or a link within CSP Hub starting / (got "${url.slice(0, 60)}")`);
  let documentJobId: number | null = null;
  if (input.documentJobId !== undefined && input.documentJobId !== null && input.documentJobId !== '') {
    const job = await db
      .selectFrom('document_jobs')
      .select('id')
      .where('partnership_id', '=', partnershipId)
      .where('id', '=', Number(input.documentJobId) || 0)
      .executeTakeFirst();
    if (!job) v.add('documentJobId', `Select one of the partnership's generated documents (got "${shown(input.documentJobId, 20)}")`);
    else documentJobId = job.id;
  }
  v.throwIfAny();
  const itemId = await optionalAgendaItemId(db, partnershipId, meetingId, input.agendaItemId);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('meeting_papers')
      .values({
        partnership_id: partnershipId,
        meeting_id: meetingId,
        agenda_item_id: itemId,
        title,
        url,
        document_job_id: documentJobId,
        added_by: actor.label,
        added_at: nowIso(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'meeting_paper',
      entityId: row.id,
      summary: `Added the paper "${title}" to ${meeting.title} on ${meeting.starts_at.slice(0, 10)}`,
      after: row,
    });
    return row;
  });
}

export async function recordDecision(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  meetingId: number,
  input: { agendaItemId?: unknown; decision?: unknown },
): Promise<MeetingDecision> {
  const meeting = await getMeeting(db, partnershipId, meetingId);
  const v = new Validator();
  const decision = v.text('decision', input.decision, 'the decision', { max: MEETING_TEXT_MAX });
  v.throwIfAny();
  const item = await getAgendaItem(db, partnershipId, meetingId, input.agendaItemId);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('meeting_decisions')
      .values({
        partnership_id: partnershipId,
        meeting_id: meetingId,
        agenda_item_id: item.id,
        decision,
        recorded_by: actor.label,
        created_at: nowIso(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'meeting_decision',
      entityId: row.id,
      summary: `Recorded a decision on "${item.title}" at ${meeting.title} on ${meeting.starts_at.slice(0, 10)}`,
      after: row,
    });
    return row;
  });
}

/** The partnership's decisions, newest meeting first, with their meeting and item (to link evidence to). */
export async function listDecisions(db: Kysely<Database>, partnershipId: number) {
  return db
    .selectFrom('meeting_decisions')
    .innerJoin('meetings', 'meetings.id', 'meeting_decisions.meeting_id')
    .innerJoin('meeting_agenda_items', 'meeting_agenda_items.id', 'meeting_decisions.agenda_item_id')
    .select([
      'meeting_decisions.id',
      'meeting_decisions.decision',
      'meeting_decisions.meeting_id',
      'meetings.title as meeting_title',
      'meetings.starts_at',
      'meeting_agenda_items.title as item_title',
    ])
    .where('meeting_decisions.partnership_id', '=', partnershipId)
    .orderBy('meetings.starts_at', 'desc')
    .orderBy('meeting_decisions.id')
    .execute();
}

// ---------- Everything about one meeting ----------

export interface AgendaEntry extends MeetingAgendaItem {
  decisions: MeetingDecision[];
  papers: MeetingPaper[];
  /** Where an escalated item came from. */
  escalatedFrom: { meetingId: number; groupName: string; startsAt: string } | null;
  /** Where this item was escalated to. */
  escalatedTo: { meetingId: number; groupName: string; startsAt: string }[];
  /** The paper deadline has passed and its presenter has filed no paper yet (domain paperOverdue). */
  paperOverdue: boolean;
}

export interface MeetingDetails {
  meeting: Meeting;
  attendees: MeetingAttendee[];
  agenda: AgendaEntry[];
  papers: MeetingPaper[];
  previous: Meeting | null;
}

export async function loadMeeting(db: Kysely<Database>, partnershipId: number, meetingId: number): Promise<MeetingDetails> {
  const meeting = await getMeeting(db, partnershipId, meetingId);
  const [attendees, items, decisions, storedPapers, previous] = await Promise.all([
    db
      .selectFrom('meeting_attendees')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .where('partnership_id', '=', partnershipId)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('meeting_agenda_items')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .where('partnership_id', '=', partnershipId)
      .orderBy('position')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('meeting_decisions')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .where('partnership_id', '=', partnershipId)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('meeting_papers')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .where('partnership_id', '=', partnershipId)
      .orderBy('id')
      .execute(),
    previousMeeting(db, meeting),
  ]);
  const papers = storedPapers.map(paperView);
  const itemIds = items.map((i) => i.id);
  const fromIds = items.map((i) => i.escalated_from_item_id).filter((x): x is number => x !== null);
  const link = db
    .selectFrom('meeting_agenda_items')
    .innerJoin('meetings', 'meetings.id', 'meeting_agenda_items.meeting_id')
    .select([
      'meeting_agenda_items.id',
      'meeting_agenda_items.escalated_from_item_id',
      'meetings.id as meeting_id',
      'meetings.group_name',
      'meetings.starts_at',
    ])
    .where('meeting_agenda_items.partnership_id', '=', partnershipId);
  const [from, to] = await Promise.all([
    fromIds.length ? link.where('meeting_agenda_items.id', 'in', fromIds).execute() : [],
    itemIds.length ? link.where('meeting_agenda_items.escalated_from_item_id', 'in', itemIds).execute() : [],
  ]);
  const place = (r: { meeting_id: number; group_name: string; starts_at: string }) => ({
    meetingId: r.meeting_id,
    groupName: r.group_name,
    startsAt: r.starts_at,
  });
  const today = todayIso();
  const agenda = items.map((i) => {
    const origin = from.find((f) => f.id === i.escalated_from_item_id);
    const itemPapers = papers.filter((p) => p.agenda_item_id === i.id);
    return {
      ...i,
      decisions: decisions.filter((d) => d.agenda_item_id === i.id),
      papers: itemPapers,
      escalatedFrom: origin ? place(origin) : null,
      escalatedTo: to.filter((t) => t.escalated_from_item_id === i.id).map(place),
      paperOverdue: paperOverdue(i, meeting, itemPapers.length > 0, today),
    };
  });
  return { meeting, attendees, agenda, papers, previous };
}

/** What the meeting forms offer to choose from: members, organisations, groups, and what agenda items and actions can link to. */
export async function meetingChoices(db: Kysely<Database>, partnershipId: number) {
  const [members, organisations, groups, highlightReports, risks, indicators, priorities] = await Promise.all([
    db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['users.id', 'users.name'])
      .where('memberships.partnership_id', '=', partnershipId)
      .orderBy('users.name')
      .execute(),
    db.selectFrom('organisations').select(['id', 'name']).where('partnership_id', '=', partnershipId).orderBy('name').execute(),
    groupLineages(db, partnershipId),
    db
      .selectFrom('highlight_reports')
      .innerJoin('priorities', 'priorities.id', 'highlight_reports.priority_id')
      .select(['highlight_reports.id', 'highlight_reports.month', 'priorities.title'])
      .where('highlight_reports.partnership_id', '=', partnershipId)
      .orderBy('highlight_reports.month', 'desc')
      .limit(100)
      .execute(),
    db.selectFrom('risks').select(['id', 'risk']).where('partnership_id', '=', partnershipId).orderBy('id', 'desc').limit(200).execute(),
    db.selectFrom('indicators').select(['id', 'title']).where('partnership_id', '=', partnershipId).orderBy('title').execute(),
    db
      .selectFrom('priorities')
      .select(['id', 'title'])
      .where('partnership_id', '=', partnershipId)
      .orderBy('id', 'desc')
      .limit(200)
      .execute(),
  ]);
  return { members, organisations, groups, highlightReports, risks, indicators, priorities };
}
