/**
 * Retiring an indicator (decision 0021): the last period it is reported for and why, recorded with an audit event.
 * A retired indicator keeps its figures and history; it leaves what is about later periods (the dashboard,
 * scorecard and exception lists, figure entry, Board packs, pickers). Reinstating clears the retirement.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, Indicator } from '../../adapters/database/schema.ts';
import { formatPeriodLabel, isLiveIn, isLiveInMonth, monthOfTimestamp } from '../../domain/index.ts';
import { ConflictError, Validator } from '../../domain/errors.ts';
import { laterTimestamp } from '../../adapters/database/concurrency.ts';
import { nowIso } from '../../adapters/clock.ts';
import type { Actor } from '../platform/audit.ts';
import { updateWithConflictCheck } from '../platform/conflictCheckedUpdate.ts';
import { getIndicator, label, listIndicators, normalisePeriod, type IndicatorDetails } from './indicators.ts';

export interface RetirementInput {
  /** The last period the indicator is reported for, in its frequency (2020-21 Q1 for a quarterly indicator). */
  endPeriod?: unknown;
  reason?: unknown;
  /** The id of the indicator that replaces it, if any (another of the partnership's indicators). */
  supersededBy?: unknown;
  expectedUpdatedAt?: unknown;
}

/** The replacing indicator's id from the input: null when none is given; an error naming the value when it is not one. */
async function replacementOf(
  db: Kysely<Database>,
  partnershipId: number,
  indicatorId: number,
  raw: unknown,
  v: Validator,
): Promise<number | null> {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return null;
  const shown = typeof raw === 'number' || typeof raw === 'string' ? String(raw).trim() : JSON.stringify(raw);
  const id = Number(shown);
  const found =
    Number.isSafeInteger(id) && id > 0
      ? await db
          .selectFrom('indicators')
          .select(['id', 'retired_after'])
          .where('partnership_id', '=', partnershipId)
          .where('id', '=', id)
          .executeTakeFirst()
      : undefined;
  if (!found) v.add('supersededBy', `Choose the indicator that replaces it from the partnership's indicators (got "${shown}")`);
  else if (id === indicatorId) v.add('supersededBy', `An indicator cannot replace itself: choose another one (got "${shown}")`);
  else return id;
  return null;
}

/** True when the indicator is still reported now (not retired, or retired after a period that has not ended). */
export function isLiveNow(i: Pick<Indicator, 'retired_after'>, now: string = nowIso()): boolean {
  return isLiveInMonth(i.retired_after, monthOfTimestamp(now));
}

/** The indicators still reported for a period (any period key: a month, quarter or financial year). */
export function liveIndicatorsIn<T extends Pick<Indicator, 'retired_after'>>(indicators: T[], period: string): T[] {
  return indicators.filter((i) => isLiveIn(i.retired_after, period));
}

/** The partnership's indicators still reported now: what pickers offer. */
export async function listLiveIndicators(db: Kysely<Database>, partnershipId: number): Promise<Indicator[]> {
  const now = nowIso();
  return (await listIndicators(db, partnershipId)).filter((i) => isLiveNow(i, now));
}

/** "Retired after Q1 2020/21: replaced by ..." for pages and documents; null while live. */
export function retirementText(i: Pick<Indicator, 'retired_after' | 'retirement_reason'>): string | null {
  if (i.retired_after === null) return null;
  return `Retired after ${formatPeriodLabel(i.retired_after)}${i.retirement_reason ? `: ${i.retirement_reason}` : ''}`;
}

/** The four retirement columns an indicator carries; all null while it is live. */
type RetirementFields = Pick<Indicator, 'retired_after' | 'retirement_reason' | 'retired_at' | 'superseded_by_indicator_id'>;

/**
 * Writes an indicator's retirement columns (set when retiring, cleared when reinstating), moving its version on past
 * the one read under the lock, and reads it back.
 */
async function setRetirement(
  trx: Transaction<Database>,
  partnershipId: number,
  indicatorId: number,
  before: Pick<Indicator, 'updated_at'>,
  fields: RetirementFields,
): Promise<IndicatorDetails> {
  await trx
    .updateTable('indicators')
    .set({ ...fields, updated_at: laterTimestamp(before.updated_at) })
    .where('id', '=', indicatorId)
    .where('partnership_id', '=', partnershipId)
    .execute();
  return getIndicator(trx, partnershipId, indicatorId);
}

/** Retires an indicator after its last period, with the reason. Figures already entered for later periods refuse it. */
export async function retireIndicator(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  indicatorId: number,
  input: RetirementInput,
): Promise<IndicatorDetails> {
  const current = await getIndicator(db, partnershipId, indicatorId);
  const v = new Validator();
  const p = normalisePeriod(input.endPeriod, current.frequency);
  if ('error' in p) v.add('endPeriod', p.error);
  const reason = v.text('reason', input.reason, 'why the indicator is being retired', { max: 2000 });
  const supersededBy = await replacementOf(db, partnershipId, indicatorId, input.supersededBy, v);
  v.throwIfAny();
  const endPeriod = (p as { key: string }).key;
  return updateWithConflictCheck(db, actor, {
    table: 'indicators',
    id: indicatorId,
    read: (trx) => getIndicator(trx, partnershipId, indicatorId),
    expectedUpdatedAt: input.expectedUpdatedAt,
    conflictMessage: (before) => `${label(before)} was changed by someone else after you opened it. Check it and try again.`,
    update: async (trx, before) => {
      const later = (
        await trx
          .selectFrom('figures')
          .select('period')
          .where('partnership_id', '=', partnershipId)
          .where('indicator_id', '=', indicatorId)
          .where('superseded_at', 'is', null)
          .execute()
      ).filter((f) => !isLiveIn(endPeriod, f.period));
      if (later.length > 0) {
        const v2 = new Validator();
        v2.add(
          'endPeriod',
          `${label(before)} has figures after ${formatPeriodLabel(endPeriod)} (${later
            .map((f) => formatPeriodLabel(f.period))
            .slice(0, 3)
            .join(
              ', ',
            )}${later.length > 3 ? '…' : ''}): choose a later last period, or correct those figures first (got "${String(input.endPeriod).trim()}")`,
        );
        v2.throwIfAny();
      }
      return setRetirement(trx, partnershipId, indicatorId, before, {
        retired_after: endPeriod,
        retirement_reason: reason,
        retired_at: nowIso(),
        superseded_by_indicator_id: supersededBy,
      });
    },
    audit: (before, after) => ({
      partnershipId,
      action: 'update',
      entityType: 'indicator',
      entityId: indicatorId,
      summary: `Retired indicator ${label(after)} after ${formatPeriodLabel(endPeriod)}: ${reason}${supersededBy === null ? '' : ` (replaced by indicator ${supersededBy})`}`,
      before,
      after,
    }),
  });
}

/** Reinstates a retired indicator: it is reported again for every period. */
export async function reinstateIndicator(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  indicatorId: number,
  input: { expectedUpdatedAt?: unknown } = {},
): Promise<IndicatorDetails> {
  await getIndicator(db, partnershipId, indicatorId);
  return updateWithConflictCheck(db, actor, {
    table: 'indicators',
    id: indicatorId,
    // A live indicator is refused before its version is checked.
    read: async (trx) => {
      const before = await getIndicator(trx, partnershipId, indicatorId);
      if (before.retired_after === null) throw new ConflictError(`${label(before)} is not retired`);
      return before as IndicatorDetails & { retired_after: string };
    },
    expectedUpdatedAt: input.expectedUpdatedAt,
    conflictMessage: (before) => `${label(before)} was changed by someone else after you opened it. Check it and try again.`,
    update: async (trx, before) => {
      return setRetirement(trx, partnershipId, indicatorId, before, {
        retired_after: null,
        retirement_reason: null,
        retired_at: null,
        superseded_by_indicator_id: null,
      });
    },
    audit: (before, after) => ({
      partnershipId,
      action: 'update',
      entityType: 'indicator',
      entityId: indicatorId,
      summary: `Reinstated indicator ${label(after)} (it was retired after ${formatPeriodLabel(before.retired_after)})`,
      before,
      after,
    }),
  });
}

export type IndicatorListFilter = 'all' | 'live' | 'retired';

export interface IndicatorListEntry<T extends Indicator> {
  indicator: T;
  /** Still reported now (not retired, or retired after a period that has not ended yet). */
  live: boolean;
  /** "Retired after Q1 2020/21: reason" once retired; null while never retired. */
  retired: string | null;
  /** The indicator that replaces this one, when recorded. */
  replacedBy: T | null;
  /** The retired indicators this one replaces. */
  replaces: T[];
}

/** The filter asked for in a query string: "live", "retired" or (anything else) "all". */
export function indicatorListFilter(raw: unknown): IndicatorListFilter {
  return raw === 'live' || raw === 'retired' ? raw : 'all';
}

/**
 * The indicator list with each indicator's state: live or retired (and after which period, why), what replaces it
 * and what it replaces, with the counts for the filter; `filter` keeps the live or the retired ones only.
 */
export function indicatorList<T extends Indicator>(
  indicators: T[],
  filter: IndicatorListFilter,
  now: string = nowIso(),
): { entries: IndicatorListEntry<T>[]; counts: Record<IndicatorListFilter, number> } {
  const all = indicators.map((indicator) => ({
    indicator,
    live: isLiveNow(indicator, now),
    retired: retirementText(indicator),
    replacedBy: indicators.find((x) => x.id === indicator.superseded_by_indicator_id) ?? null,
    replaces: indicators.filter((x) => x.superseded_by_indicator_id === indicator.id),
  }));
  const live = all.filter((e) => e.live).length;
  return {
    entries: filter === 'all' ? all : all.filter((e) => e.live === (filter === 'live')),
    counts: { all: all.length, live, retired: all.length - live },
  };
}
