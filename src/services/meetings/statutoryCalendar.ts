/**
 * The partnership's statutory calendar: its recurring legal duties (the standard ones of a Community Safety
 * Partnership, added in one step, and its own), each with the date it is next due and the evidence of each time it
 * was done (a link to a document, a decision of a meeting). Recording that a duty was done moves its due date on
 * a year (or three); a duty past its due date is overdue, and overdue duties show on the partnership's home page.
 */
import type { Kysely } from 'kysely';
import {
  DUTY_RECURRENCES,
  type Database,
  type DutyCompletion,
  type DutyRecurrence,
  type StatutoryDuty,
} from '../../adapters/database/schema.ts';
import { nowIso } from '../../adapters/clock.ts';
import { lockRows } from '../../adapters/database/concurrency.ts';
import { NotFoundError, ValidationError, Validator } from '../../domain/errors.ts';
import { dutyState, nextDueDate, nextOccurrence, STANDARD_DUTIES, type DutyState, shown } from '../../domain/meetings.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { DATE_PARTS } from '../../domain/dates.ts';
import { updateWithConflictCheck } from '../platform/conflictCheckedUpdate.ts';

export interface DutyDetails extends StatutoryDuty {
  state: DutyState;
  completions: (DutyCompletion & { decisionText: string | null; decisionMeetingId: number | null })[];
}

/** Adds the standard duties the partnership does not have yet, each due on its next usual date. */
export async function addStandardDuties(db: Kysely<Database>, actor: Actor, partnershipId: number): Promise<StatutoryDuty[]> {
  return db.transaction().execute(async (trx) => {
    await lockRows(trx, 'partnerships', partnershipId);
    const have = new Set(
      (await trx.selectFrom('statutory_duties').select('standard_key').where('partnership_id', '=', partnershipId).execute()).map(
        (r) => r.standard_key,
      ),
    );
    const today = nowIso().slice(0, 10);
    const added: StatutoryDuty[] = [];
    for (const d of STANDARD_DUTIES) {
      if (have.has(d.key)) continue;
      const now = nowIso();
      const row = await trx
        .insertInto('statutory_duties')
        .values({
          partnership_id: partnershipId,
          standard_key: d.key,
          title: d.title,
          description: d.description,
          legal_basis: d.legalBasis,
          recurrence: d.recurrence,
          due_date: nextOccurrence(d.due, today),
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, {
        partnershipId,
        action: 'create',
        entityType: 'statutory_duty',
        entityId: row.id,
        summary: `Added the statutory duty "${row.title}", due ${row.due_date}`,
        after: row,
      });
      added.push(row);
    }
    return added;
  });
}

/** Adds one of the partnership's own duties (its Serious Violence Duty strategy review, say). */
export async function createDuty(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  input: { title?: unknown; description?: unknown; legalBasis?: unknown; recurrence?: unknown; dueDate?: unknown },
): Promise<StatutoryDuty> {
  const v = new Validator();
  const title = v.text('title', input.title, 'the duty', { max: 200 });
  const description = v.text('description', input.description ?? '', 'the description', { required: false, max: 5000 });
  const legalBasis = v.text('legalBasis', input.legalBasis ?? '', 'the legal basis', { required: false, max: 500 });
  const recurrence = v.oneOf<DutyRecurrence>(
    'recurrence',
    input.recurrence,
    DUTY_RECURRENCES,
    `Select how often it falls due (got "${shown(input.recurrence, 20)}")`,
  );
  const dueDate = v.date('dueDate', input.dueDate, 'the date it is next due', { required: true });
  v.throwIfAny();
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const row = await trx
      .insertInto('statutory_duties')
      .values({
        partnership_id: partnershipId,
        standard_key: null,
        title,
        description,
        legal_basis: legalBasis,
        recurrence,
        due_date: dueDate!,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'statutory_duty',
      entityId: row.id,
      summary: `Added the duty "${title}", due ${dueDate}`,
      after: row,
    });
    return row;
  });
}

export async function getDuty(db: Kysely<Database>, partnershipId: number, id: number): Promise<StatutoryDuty> {
  const row = await db
    .selectFrom('statutory_duties')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Statutory duty');
  return row;
}

/** Records that a duty was done, with its evidence; a recurring duty then falls due a year (or three) later. */
export async function recordDutyDone(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  dutyId: number,
  input: { completedOn?: unknown; evidence?: unknown; evidenceUrl?: unknown; decisionId?: unknown },
): Promise<{ duty: StatutoryDuty; completion: DutyCompletion }> {
  await getDuty(db, partnershipId, dutyId);
  const v = new Validator();
  const completedOn = v.date('completedOn', input.completedOn, 'the date it was done', { required: true });
  if (completedOn !== null && completedOn > nowIso().slice(0, 10))
    v.add('completedOn', `The date it was done must be today or in the past: record a duty once it is done`, DATE_PARTS);
  const evidence = v.text('evidence', input.evidence ?? '', 'the evidence', { required: false, max: 5000 });
  const evidenceUrl = v.text('evidenceUrl', input.evidenceUrl ?? '', 'the link to the evidence', { required: false, max: 2000 });
  if (evidenceUrl && !/^(https?:\/\/\S+|\/[^\s/]\S*)$/i.test(evidenceUrl))
    v.add('evidenceUrl', `Enter a web address starting https:// or a link within CSP Hub starting / (got "${evidenceUrl.slice(0, 60)}")`);
  let decisionId: number | null = null;
  if (input.decisionId !== undefined && input.decisionId !== null && input.decisionId !== '') {
    const d = await db
      .selectFrom('meeting_decisions')
      .select('id')
      .where('partnership_id', '=', partnershipId)
      .where('id', '=', Number(input.decisionId) || 0)
      .executeTakeFirst();
    if (!d) v.add('decisionId', `Select one of the partnership's recorded decisions (got "${shown(input.decisionId, 20)}")`);
    else decisionId = d.id;
  }
  if (!evidence && !evidenceUrl && decisionId === null && v.errors.length === 0)
    v.add('evidence', 'Give the evidence that it was done: a description, a link or a decision');
  v.throwIfAny();
  return updateWithConflictCheck(db, actor, {
    table: 'statutory_duties',
    id: dutyId,
    read: (trx) => getDuty(trx, partnershipId, dutyId),
    update: async (trx, before) => {
      if (
        before.recurrence === 'one_off' &&
        (await trx.selectFrom('duty_completions').select('id').where('duty_id', '=', dutyId).executeTakeFirst())
      )
        throw new ValidationError([
          { field: 'completedOn', message: `"${before.title}" is a one-off duty and is already recorded as done` },
        ]);
      const completion = await trx
        .insertInto('duty_completions')
        .values({
          partnership_id: partnershipId,
          duty_id: dutyId,
          due_date: before.due_date,
          completed_on: completedOn!,
          evidence,
          evidence_url: evidenceUrl,
          decision_id: decisionId,
          recorded_by: actor.label,
          recorded_by_user_id: actor.userId,
          created_at: nowIso(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const duty = await trx
        .updateTable('statutory_duties')
        .set({ due_date: nextDueDate(before.due_date, before.recurrence) ?? before.due_date, updated_at: nowIso() })
        .where('id', '=', dutyId)
        .where('partnership_id', '=', partnershipId)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { duty, completion };
    },
    audit: (before, after) => {
      const next = nextDueDate(before.due_date, before.recurrence);
      return {
        partnershipId,
        action: 'update',
        entityType: 'statutory_duty',
        entityId: dutyId,
        summary: `Recorded "${before.title}" as done on ${completedOn}${next ? `; next due ${next}` : ''}`,
        before,
        after: { ...after.duty, completion: after.completion },
      };
    },
  });
}

/** The partnership's duties, soonest due first, each with where it stands and its record of completions. */
export async function listDuties(db: Kysely<Database>, partnershipId: number): Promise<DutyDetails[]> {
  const [duties, completions] = await Promise.all([
    db.selectFrom('statutory_duties').selectAll().where('partnership_id', '=', partnershipId).orderBy('due_date').orderBy('id').execute(),
    db
      .selectFrom('duty_completions')
      .leftJoin('meeting_decisions', 'meeting_decisions.id', 'duty_completions.decision_id')
      .selectAll('duty_completions')
      .select(['meeting_decisions.decision as decisionText', 'meeting_decisions.meeting_id as decisionMeetingId'])
      .where('duty_completions.partnership_id', '=', partnershipId)
      .orderBy('duty_completions.completed_on', 'desc')
      .execute(),
  ]);
  const today = nowIso().slice(0, 10);
  return duties.map((d) => {
    const done = completions.filter((c) => c.duty_id === d.id);
    return { ...d, completions: done, state: dutyState(d.due_date, today, d.recurrence === 'one_off' && done.length > 0) };
  });
}

/** The duties past their due date (for the home page). */
export async function overdueDuties(db: Kysely<Database>, partnershipId: number): Promise<DutyDetails[]> {
  return (await listDuties(db, partnershipId)).filter((d) => d.state === 'overdue');
}
