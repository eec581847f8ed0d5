/**
 * Recommendations of the council's crime and disorder scrutiny committee (section 19 of the Police and Justice
 * Act 2006) and the partnership's response: accepted, partly accepted or not, in words, with the actions it led
 * to (actions.ts, raiseScrutinyAction).
 */
import type { Kysely } from 'kysely';
import { SCRUTINY_STATUSES, type Database, type ScrutinyRecommendation, type ScrutinyStatus } from '../../adapters/database/schema.ts';
import { nowIso } from '../../adapters/clock.ts';
import { NotFoundError, Validator } from '../../domain/errors.ts';
import { shown } from '../../domain/meetings.ts';
import { formatDateLong } from '../../domain/dates.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { updatePartnershipRow } from '../platform/conflictCheckedUpdate.ts';

function dateOf(v: Validator, field: string, raw: unknown, label: string): string | null {
  return v.date(field, raw, label, { required: true });
}

export async function createRecommendation(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  input: { committee?: unknown; receivedOn?: unknown; recommendation?: unknown },
): Promise<ScrutinyRecommendation> {
  const v = new Validator();
  const committee = v.text('committee', input.committee, 'the committee', { max: 200 });
  const receivedOn = dateOf(v, 'receivedOn', input.receivedOn, 'the date it was received');
  const recommendation = v.text('recommendation', input.recommendation, 'the recommendation', { max: 5000 });
  v.throwIfAny();
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const row = await trx
      .insertInto('scrutiny_recommendations')
      .values({
        partnership_id: partnershipId,
        committee,
        received_on: receivedOn!,
        recommendation,
        response_status: 'awaiting',
        response: '',
        responded_on: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'scrutiny_recommendation',
      entityId: row.id,
      summary: `Recorded a recommendation of ${committee} received ${receivedOn}`,
      after: row,
    });
    return row;
  });
}

export async function getRecommendation(db: Kysely<Database>, partnershipId: number, id: number): Promise<ScrutinyRecommendation> {
  const row = await db
    .selectFrom('scrutiny_recommendations')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Scrutiny recommendation');
  return row;
}

export async function respondToRecommendation(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  id: number,
  input: { responseStatus?: unknown; response?: unknown; respondedOn?: unknown; expectedUpdatedAt?: unknown },
): Promise<ScrutinyRecommendation> {
  const current = await getRecommendation(db, partnershipId, id);
  const v = new Validator();
  const status = v.oneOf<ScrutinyStatus>(
    'responseStatus',
    input.responseStatus,
    SCRUTINY_STATUSES,
    `Select the partnership's answer (got "${shown(input.responseStatus, 20)}")`,
  );
  const response = v.text('response', input.response, 'the response', { required: status !== 'awaiting', max: 5000 });
  const respondedOn = status === 'awaiting' ? null : dateOf(v, 'respondedOn', input.respondedOn, 'the date of the response');
  v.dateOrder(
    'respondedOn',
    current.received_on,
    respondedOn,
    `The date of the response must be the same as or after the date the recommendation was received, ${formatDateLong(current.received_on)}`,
  );
  v.throwIfAny();
  return updatePartnershipRow(db, actor, {
    table: 'scrutiny_recommendations',
    partnershipId,
    id,
    read: (trx) => getRecommendation(trx, partnershipId, id),
    expectedUpdatedAt: input.expectedUpdatedAt,
    conflictMessage: () => 'The response was changed by someone else after you opened it. Their version is shown; make your changes again.',
    values: () => ({ response_status: status, response, responded_on: respondedOn }),
    entityType: 'scrutiny_recommendation',
    summary: (before) => `Recorded the partnership's response to ${before.committee}'s recommendation of ${before.received_on}`,
  });
}

export async function listRecommendations(db: Kysely<Database>, partnershipId: number): Promise<ScrutinyRecommendation[]> {
  return db
    .selectFrom('scrutiny_recommendations')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .orderBy('received_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
}
