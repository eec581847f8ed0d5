/**
 * Conflict checks that hold when several people save at the same moment, on both engines (decision 0017).
 *
 * A save that checks what it is about to change (that the row is still the version the editor opened, that a plan
 * version is still a draft, that there is no highlight report for that month yet) first takes the row's lock for
 * the rest of its transaction with {@link lockRows}, then reads the row and checks it. A second save of the same
 * row waits at the lock until the first has committed, then reads what the first wrote, so its check sees the
 * change and it is refused with a ConflictError (or, for a save with nothing to check, goes ahead after the first:
 * serialised). Every save moves `updated_at` on (laterTimestamp), so a saved row never looks unchanged.
 *
 * - PostgreSQL: `SELECT … FOR NO KEY UPDATE` (or `FOR SHARE` to keep a row as it is while the transaction runs,
 *   such as the plan version whose parts are changed). Without the lock, READ COMMITTED lets two transactions read
 *   the same old row and both pass the check: the lost update this module exists to prevent.
 * - SQLite: nothing to do. The process has one connection to the file and a transaction holds it from BEGIN to
 *   COMMIT (Kysely's SQLite driver queues everything else behind it), so transactions never interleave.
 *
 * Where something might not exist yet (a first save of settings kept one per partnership, the first commentary on a
 * period), the lock is taken on the row it belongs to (the partnership, the indicator). Rows are locked in one
 * order, lowest id first, so two transactions locking several rows cannot deadlock each other.
 */
import { sql, type Kysely } from 'kysely';
import { engineOf } from './database.ts';
import type { Database } from './schema.ts';
import { nowIso } from '../clock.ts';
import { ConflictError } from '../../domain/errors.ts';

/**
 * Locks rows (by id) until the transaction ends: 'update' for a row the transaction will check and change, 'share'
 * for a row it relies on staying as it is (others may share it, nobody may change it meanwhile). Must be called on
 * a transaction, before the rows are read for the check. Ids that do not exist are ignored: the read that follows
 * finds them missing.
 */
export async function lockRows(
  trx: Kysely<Database>,
  table: keyof Database,
  ids: number | readonly number[],
  mode: 'update' | 'share' = 'update',
): Promise<void> {
  if (!trx.isTransaction) throw new Error(`lockRows(${table}) must run inside a transaction`);
  if (engineOf(trx) !== 'postgres') return;
  const list = [...new Set(typeof ids === 'number' ? [ids] : ids)].sort((a, b) => a - b);
  if (list.length === 0) return;
  await sql`select id from ${sql.table(table)} where id in (${sql.join(list)}) order by id ${sql.raw(mode === 'share' ? 'for share' : 'for no key update')}`.execute(
    trx,
  );
}

/**
 * The one freshness rule: a save that says which version it started from (`expected`, the `updatedAt` the editor
 * saw) is refused when the row is now at another version. A save that does not say (blank or left out) is not
 * checked. Call it after {@link lockRows}, on the row as read inside the transaction.
 */
export function assertFresh(expected: unknown, current: string | null | undefined, message: string): void {
  if (typeof expected === 'string' && expected !== '' && expected !== (current ?? '')) throw new ConflictError(message);
}

/** The `updated_at` for a save: now, or a millisecond after the previous one, so every save moves it on. */
export function laterTimestamp(previous: string): string {
  const now = nowIso();
  return now > previous ? now : new Date(Date.parse(previous) + 1).toISOString();
}
