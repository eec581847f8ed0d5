/**
 * The lead's commentary on an indicator: a text for one period of the indicator's frequency (a quarter, a month,
 * a financial year) saying what lies behind the figure. Kept like figures: a revision supersedes the current text,
 * which stays as history with who wrote it and when; every change is audited; a text changed by someone else since
 * the form was opened is not overwritten. When the partnership limits contributors to their own, a contributor writes
 * only on indicators they or their organisation own (as with figures).
 */
import type { Kysely } from 'kysely';
import type { Database, IndicatorCommentary } from '../../adapters/database/schema.ts';
import { formatPeriodLabel } from '../../domain/index.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { nowIso } from '../../adapters/clock.ts';
import { ConflictError, ValidationError, Validator } from '../../domain/errors.ts';
import { getIndicator, label, normalisePeriod } from './indicators.ts';
import { laterTimestamp, lockRows } from '../../adapters/database/concurrency.ts';
import { assertMayWriteCommentary } from '../cycle/owners.ts';

/** The longest commentary accepted, in characters (about two pages of a Board pack). */
export const COMMENTARY_MAX_LENGTH = 5000;

export interface CommentaryInput {
  period?: unknown;
  text?: unknown;
  /**
   * The `writtenAt` of the text the writer started from, or '' when there was none. When given, the save is
   * refused if the current text is not that one. Leave out to write regardless.
   */
  expectedUpdatedAt?: unknown;
}

/** A commentary with its author's name (their account name, else the label recorded). */
export interface CommentaryEntry extends IndicatorCommentary {
  author: string;
}

export interface CommentaryResult {
  commentary: CommentaryEntry;
  /** False when the text was the same as the current one: nothing was written. */
  changed: boolean;
}

function withAuthors(db: Kysely<Database>) {
  return db
    .selectFrom('indicator_commentary')
    .leftJoin('users', 'users.id', 'indicator_commentary.written_by_user_id')
    .selectAll('indicator_commentary')
    .select('users.name as user_name');
}

function entry(row: IndicatorCommentary & { user_name: string | null }): CommentaryEntry {
  const { user_name, ...rest } = row;
  return { ...rest, author: user_name ?? rest.written_by };
}

/** Writes (or revises) the commentary on one period of one of the partnership's indicators. */
export async function writeCommentary(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  indicatorId: number,
  input: CommentaryInput,
): Promise<CommentaryResult> {
  const indicator = await getIndicator(db, partnershipId, indicatorId);
  // A contributor limited to their own indicators writes only on those (issue 14), however the text is sent.
  await assertMayWriteCommentary(db, actor, partnershipId, indicator);
  const v = new Validator();
  const p = normalisePeriod(input.period, indicator.frequency);
  if ('error' in p) v.add('period', p.error);
  const text = v.text('text', input.text, 'the commentary', { max: COMMENTARY_MAX_LENGTH });
  v.throwIfAny();
  const period = (p as { key: string }).key;
  return db.transaction().execute(async (trx) => {
    // The indicator's commentary is written one save at a time: a first text on a period has no row to lock yet.
    await lockRows(trx, 'indicators', indicatorId);
    const current = await trx
      .selectFrom('indicator_commentary')
      .selectAll()
      .where('indicator_id', '=', indicatorId)
      .where('period', '=', period)
      .where('superseded_at', 'is', null)
      .executeTakeFirst();
    const expected = input.expectedUpdatedAt;
    if (typeof expected === 'string' && expected !== (current?.written_at ?? '')) {
      throw new ConflictError(
        current
          ? `The commentary on ${formatPeriodLabel(period)} was changed by ${current.written_by} after you opened it. Their text is shown below; make your changes to it and save again.`
          : `The commentary on ${formatPeriodLabel(period)} has changed since you opened it. The current text is shown below; make your changes to it and save again.`,
      );
    }
    if (current && current.text === text) {
      const row = await withAuthors(trx).where('indicator_commentary.id', '=', current.id).executeTakeFirstOrThrow();
      return { commentary: entry(row), changed: false };
    }
    const now = current ? laterTimestamp(current.written_at) : nowIso();
    if (current) await trx.updateTable('indicator_commentary').set({ superseded_at: now }).where('id', '=', current.id).execute();
    const row = await trx
      .insertInto('indicator_commentary')
      .values({
        indicator_id: indicatorId,
        partnership_id: partnershipId,
        period,
        text,
        written_by: actor.label,
        written_by_user_id: actor.userId,
        written_at: now,
        superseded_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: current ? 'update' : 'create',
      entityType: 'indicator_commentary',
      entityId: row.id,
      summary: `${current ? 'Revised' : 'Wrote'} the commentary on ${label(indicator)} for ${formatPeriodLabel(period)}`,
      before: current,
      after: row,
    });
    return {
      commentary: entry(await withAuthors(trx).where('indicator_commentary.id', '=', row.id).executeTakeFirstOrThrow()),
      changed: true,
    };
  });
}

/** The current commentary of one indicator, one per period, newest period first. */
export async function listCommentary(db: Kysely<Database>, partnershipId: number, indicatorId: number): Promise<CommentaryEntry[]> {
  const rows = await withAuthors(db)
    .where('indicator_commentary.partnership_id', '=', partnershipId)
    .where('indicator_commentary.indicator_id', '=', indicatorId)
    .where('indicator_commentary.superseded_at', 'is', null)
    .orderBy('indicator_commentary.period', 'desc')
    .execute();
  return rows.map(entry);
}

/** The current commentary on one period of an indicator, or null. */
export async function currentCommentary(
  db: Kysely<Database>,
  partnershipId: number,
  indicatorId: number,
  period: string,
): Promise<CommentaryEntry | null> {
  const row = await withAuthors(db)
    .where('indicator_commentary.partnership_id', '=', partnershipId)
    .where('indicator_commentary.indicator_id', '=', indicatorId)
    .where('indicator_commentary.period', '=', period)
    .where('indicator_commentary.superseded_at', 'is', null)
    .executeTakeFirst();
  return row ? entry(row) : null;
}

/** Every text ever written on an indicator (or one of its periods), newest first, revised texts included. */
export async function commentaryHistory(
  db: Kysely<Database>,
  partnershipId: number,
  indicatorId: number,
  period?: string,
): Promise<CommentaryEntry[]> {
  let q = withAuthors(db)
    .where('indicator_commentary.partnership_id', '=', partnershipId)
    .where('indicator_commentary.indicator_id', '=', indicatorId);
  if (period !== undefined) q = q.where('indicator_commentary.period', '=', period);
  return (await q.orderBy('indicator_commentary.id', 'desc').execute()).map(entry);
}

/** The current commentary of every indicator of the partnership on any of the given periods. */
export async function commentaryForPeriods(db: Kysely<Database>, partnershipId: number, periods: string[]): Promise<CommentaryEntry[]> {
  if (periods.length === 0) return [];
  const rows = await withAuthors(db)
    .where('indicator_commentary.partnership_id', '=', partnershipId)
    .where('indicator_commentary.period', 'in', periods)
    .where('indicator_commentary.superseded_at', 'is', null)
    .orderBy('indicator_commentary.period', 'desc')
    .execute();
  return rows.map(entry);
}

/** Reads a period for a commentary form or query, as the indicator's frequency wants it; a ValidationError otherwise. */
export function commentaryPeriod(raw: unknown, frequency: Parameters<typeof normalisePeriod>[1]): string {
  const p = normalisePeriod(raw, frequency);
  if ('error' in p) throw new ValidationError([{ field: 'period', message: p.error }]);
  return p.key;
}
