/**
 * The shape of every edit with a conflict check (decision 0017), in one place: in a transaction, lock the row, read
 * it, refuse the save if the editor's `expectedUpdatedAt` is not the row's version any more, make the change, and
 * record it in the audit trail. What differs per entity (how the row is read, what is checked and written, what the
 * audit event says) is passed in.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import { assertFresh, lockRows } from '../../adapters/database/concurrency.ts';
import { recordAudit, type Actor, type AuditEntry } from './audit.ts';

export interface ConflictCheckedUpdate<Row, Result> {
  /** The table whose row is locked, and the row's id. */
  table: keyof Database;
  id: number;
  /** Reads the row inside the transaction, after the lock (throwing NotFoundError when it is not the partnership's). */
  read(trx: Transaction<Database>): Promise<Row>;
  /** The `updated_at` the editor saw (blank or left out: not checked), and what to say when the row has moved on. */
  expectedUpdatedAt?: unknown;
  conflictMessage?: (before: Row) => string;
  /** Checks and writes the change; its result is returned and given to `audit`. */
  update(trx: Transaction<Database>, before: Row): Promise<Result>;
  /** The audit event for the change. */
  audit(before: Row, after: Result): AuditEntry;
}

export async function updateWithConflictCheck<Row extends { updated_at: string }, Result>(
  db: Kysely<Database>,
  actor: Actor,
  spec: ConflictCheckedUpdate<Row, Result>,
): Promise<Result> {
  return db.transaction().execute(async (trx) => {
    await lockRows(trx, spec.table, spec.id);
    const before = await spec.read(trx);
    if (spec.conflictMessage) assertFresh(spec.expectedUpdatedAt, before.updated_at, spec.conflictMessage(before));
    const after = await spec.update(trx, before);
    await recordAudit(trx, actor, spec.audit(before, after));
    return after;
  });
}
