/**
 * The shape of every edit with a conflict check (decision 0017), in one place: in a transaction, lock the row, read
 * it, refuse the save if the editor's `expectedUpdatedAt` is not the row's version any more, make the change, and
 * record it in the audit trail. What differs per entity (how the row is read, what is checked and written, what the
 * audit event says) is passed in.
 */
import type { Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import { assertFresh, laterTimestamp, lockRows } from '../../adapters/database/concurrency.ts';
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

/** The partnership's tables whose rows carry `updated_at` (what `updatePartnershipRow` can change). */
type VersionedTable = {
  [T in keyof Database]: Database[T] extends { id: unknown; partnership_id: unknown; updated_at: unknown } ? T : never;
}[keyof Database];

export interface PartnershipRowUpdate<T extends VersionedTable, Row extends { updated_at: string }> {
  table: T;
  partnershipId: number;
  id: number;
  /** Reads the row inside the transaction, after the lock (throwing NotFoundError when it is not the partnership's). */
  read(trx: Transaction<Database>): Promise<Row>;
  expectedUpdatedAt?: unknown;
  conflictMessage?: (before: Row) => string;
  /** The columns to change, given the row as it is (may check more and throw); `updated_at` is moved on here. */
  values(trx: Transaction<Database>, before: Row): Updateable<Database[T]> | Promise<Updateable<Database[T]>>;
  entityType: string;
  summary(before: Row, after: Selectable<Database[T]>): string;
  /** What the audit event keeps of the row before and after (the whole row when left out). */
  auditRow?: (row: Record<string, unknown>) => unknown;
}

/**
 * The common case of `updateWithConflictCheck`: one row of a partnership's table updated with the given values
 * (its `updated_at` moved on past the old one), and an 'update' audit event of the row before and after.
 */
export async function updatePartnershipRow<T extends VersionedTable, Row extends { updated_at: string }>(
  db: Kysely<Database>,
  actor: Actor,
  spec: PartnershipRowUpdate<T, Row>,
): Promise<Selectable<Database[T]>> {
  const keep = spec.auditRow ?? ((row: Record<string, unknown>) => row);
  return updateWithConflictCheck(db, actor, {
    table: spec.table,
    id: spec.id,
    read: (trx) => spec.read(trx),
    expectedUpdatedAt: spec.expectedUpdatedAt,
    conflictMessage: spec.conflictMessage,
    update: async (trx, before) => {
      const values = await spec.values(trx, before);
      // Kysely cannot follow a table chosen by a type parameter; the row type is restored on return.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const untyped = trx as unknown as Kysely<any>;
      return (await untyped
        .updateTable(spec.table as string)
        .set({ ...(values as Record<string, unknown>), updated_at: laterTimestamp(before.updated_at) })
        .where('id', '=', spec.id)
        .where('partnership_id', '=', spec.partnershipId)
        .returningAll()
        .executeTakeFirstOrThrow()) as Selectable<Database[T]>;
    },
    audit: (before, after) => ({
      partnershipId: spec.partnershipId,
      action: 'update',
      entityType: spec.entityType,
      entityId: spec.id,
      summary: spec.summary(before, after),
      before: keep(before as unknown as Record<string, unknown>),
      after: keep(after as Record<string, unknown>),
    }),
  });
}
