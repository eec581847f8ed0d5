/**
 * An indicator's own XmR settings (issue 16, decision 0034): change dates from which the limits are recalculated
 * (each with an optional fixed baseline), and points excluded from the limits with a reason or carrying a note.
 * One row per change date or point; saving the same period again changes it, with a conflict check against the
 * row the editor opened; every change is audited in its transaction.
 */
import type { Kysely } from 'kysely';
import type { Database, IndicatorSpcMark } from '../../adapters/database/schema.ts';
import { comparePeriods, formatPeriodLabel, type SpcSettings } from '../../domain/index.ts';
import { ConflictError, NotFoundError, ValidationError, Validator } from '../../domain/errors.ts';
import { assertValidId } from '../partnerships/partnerships.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { nowIso } from '../../adapters/clock.ts';
import { laterTimestamp, lockRows } from '../../adapters/database/concurrency.ts';
import { getIndicator, label, normalisePeriod } from './indicators.ts';

export const SPC_TEXT_MAX = 2000;

export interface SpcMarkInput {
  /** 'phase' (a change date) or 'point' (an excluded or annotated figure). */
  kind?: unknown;
  period?: unknown;
  /** A change date's fixed baseline: up to this period (blank for all the phase's figures). */
  baselineTo?: unknown;
  /** 'yes' to leave the point out of the limits. */
  excluded?: unknown;
  reason?: unknown;
  note?: unknown;
  /** The `updated_at` of the row the editor changed, when changing one; blank when adding. */
  expectedUpdatedAt?: unknown;
}

/** Every SPC setting of the partnership's indicators (or one indicator's), in period order. */
export async function listSpcMarks(db: Kysely<Database>, partnershipId: number, indicatorId?: number): Promise<IndicatorSpcMark[]> {
  let q = db.selectFrom('indicator_spc_marks').selectAll().where('partnership_id', '=', partnershipId);
  if (indicatorId !== undefined) q = q.where('indicator_id', '=', indicatorId);
  const rows = await q.execute();
  return rows.sort((a, b) => comparePeriods(a.period, b.period) || a.kind.localeCompare(b.kind));
}

/** The stored rows as the domain's settings. */
export function spcSettingsOf(marks: readonly IndicatorSpcMark[]): SpcSettings {
  return {
    phases: marks.filter((m) => m.kind === 'phase').map((m) => ({ start: m.period, baselineTo: m.baseline_to, reason: m.reason })),
    points: marks
      .filter((m) => m.kind === 'point')
      .map((m) => ({ period: m.period, excluded: m.excluded === 1, reason: m.reason, note: m.note })),
  };
}

const yes = (v: unknown) => v === true || v === 'yes' || v === 'true' || v === 'on';

interface ValidMark {
  kind: 'phase' | 'point';
  period: string;
  baseline_to: string | null;
  excluded: 0 | 1;
  reason: string;
  note: string;
}

function validate(input: SpcMarkInput, frequency: Parameters<typeof normalisePeriod>[1]): ValidMark {
  const v = new Validator();
  const kind = input.kind === 'phase' || input.kind === 'point' ? input.kind : null;
  if (!kind) v.add('kind', 'Choose a change date or a point');
  const p = normalisePeriod(input.period, frequency);
  if ('error' in p) v.add('period', p.error);
  let baselineTo: string | null = null;
  if (kind === 'phase' && typeof input.baselineTo === 'string' && input.baselineTo.trim() !== '') {
    const b = normalisePeriod(input.baselineTo, frequency);
    if ('error' in b) v.add('baselineTo', b.error.replace('Enter the period', 'Enter the end of the baseline'));
    else if ('key' in p && comparePeriods(b.key, p.key) <= 0)
      v.add(
        'baselineTo',
        `The baseline must end after the change date, ${formatPeriodLabel(p.key)}, so that it holds at least two figures`,
      );
    else baselineTo = b.key;
  }
  const excluded = kind === 'point' && yes(input.excluded);
  const reason = v.text('reason', input.reason, 'the reason', { required: kind === 'phase' || excluded, max: SPC_TEXT_MAX });
  const note = v.text('note', input.note, 'the note', { required: false, max: SPC_TEXT_MAX });
  if (kind === 'point' && !excluded && note === '') v.add('note', 'Enter a note, or leave the point out of the limits with a reason');
  v.throwIfAny();
  return { kind: kind!, period: (p as { key: string }).key, baseline_to: baselineTo, excluded: excluded ? 1 : 0, reason, note };
}

const what = (m: Pick<ValidMark, 'kind' | 'period'>) =>
  m.kind === 'phase' ? `the change date ${formatPeriodLabel(m.period)}` : `the point ${formatPeriodLabel(m.period)}`;

/** Adds or changes a change date or a point's setting of one indicator. */
export async function saveSpcMark(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  indicatorId: number,
  input: SpcMarkInput,
): Promise<IndicatorSpcMark> {
  const indicator = await getIndicator(db, partnershipId, indicatorId);
  const data = validate(input, indicator.frequency);
  return db.transaction().execute(async (trx) => {
    // A first setting for a period has no row to lock yet: the indicator's row serialises the saves.
    await lockRows(trx, 'indicators', indicatorId);
    const current = await trx
      .selectFrom('indicator_spc_marks')
      .selectAll()
      .where('indicator_id', '=', indicatorId)
      .where('kind', '=', data.kind)
      .where('period', '=', data.period)
      .executeTakeFirst();
    const expected = typeof input.expectedUpdatedAt === 'string' ? input.expectedUpdatedAt : '';
    if (expected !== (current?.updated_at ?? '')) {
      throw new ConflictError(
        current
          ? `The setting for ${what(data)} was changed by someone else after you opened it. It is shown as it is now; make your change to it and save again.`
          : `The setting for ${what(data)} was removed after you opened it. Add it again if it is still needed.`,
      );
    }
    const now = current ? laterTimestamp(current.updated_at) : nowIso();
    const row = current
      ? await trx
          .updateTable('indicator_spc_marks')
          .set({ ...data, updated_at: now })
          .where('id', '=', current.id)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto('indicator_spc_marks')
          .values({
            ...data,
            indicator_id: indicatorId,
            partnership_id: partnershipId,
            created_by: actor.label,
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: current ? 'update' : 'create',
      entityType: 'indicator_spc_mark',
      entityId: row.id,
      summary: `${current ? 'Changed' : 'Added'} ${what(data)} on the XmR chart of ${label(indicator)}`,
      before: current,
      after: row,
    });
    return row;
  });
}

/** Removes one change date or point setting, if it is still as the editor saw it. */
export async function removeSpcMark(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  indicatorId: number,
  rawId: unknown,
  expectedUpdatedAt: unknown,
): Promise<void> {
  const indicator = await getIndicator(db, partnershipId, indicatorId);
  if (rawId === undefined || rawId === null || rawId === '')
    throw new ValidationError([{ field: 'id', message: 'Choose the setting to remove' }]);
  const id = assertValidId(rawId, 'SPC setting');
  await db.transaction().execute(async (trx) => {
    await lockRows(trx, 'indicators', indicatorId);
    const current = await trx
      .selectFrom('indicator_spc_marks')
      .selectAll()
      .where('id', '=', id)
      .where('indicator_id', '=', indicatorId)
      .where('partnership_id', '=', partnershipId)
      .executeTakeFirst();
    if (!current) throw new NotFoundError('SPC setting');
    if (typeof expectedUpdatedAt !== 'string' || expectedUpdatedAt === '')
      throw new ValidationError([{ field: 'expectedUpdatedAt', message: 'Open the setting before removing it' }]);
    if (expectedUpdatedAt !== current.updated_at)
      throw new ConflictError(`The setting for ${what(current)} was changed after you opened it. Check it before removing it.`);
    await trx.deleteFrom('indicator_spc_marks').where('id', '=', id).execute();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'delete',
      entityType: 'indicator_spc_mark',
      entityId: id,
      summary: `Removed ${what(current)} from the XmR chart of ${label(indicator)}`,
      before: current,
    });
  });
}
