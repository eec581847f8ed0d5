/**
 * Caches values computed from a partnership's data (such as the performance dashboard) in this process, keyed by
 * the partnership's latest audit event. Every change is audited in the same transaction as the change itself,
 * so a new audit event id means the data may have changed and the value is computed again. The check is one
 * indexed query, made on every use, so several app instances sharing one database never serve stale figures:
 * the app stays stateless, the cache only saves work.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

interface Entry {
  stamp: number;
  value: unknown;
}

const MAX_ENTRIES = 500;
const entries = new Map<string, Entry>();

/** The id of the partnership's latest audit event (0 when there is none): changes whenever its data changes. */
export async function partnershipStamp(db: Kysely<Database>, partnershipId: number): Promise<number> {
  const row = await db
    .selectFrom('audit_events')
    .select('id')
    .where('partnership_id', '=', partnershipId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? 0;
}

/**
 * Returns the cached value for (partnership, key) if nothing in the partnership has changed since it was
 * computed; otherwise computes, stores and returns it. `key` must include everything else the value depends on
 * (for example the viewer's role, when the value differs by role).
 */
export async function cachedForPartnership<T>(db: Kysely<Database>, partnershipId: number, key: string, compute: () => Promise<T>): Promise<T> {
  const stamp = await partnershipStamp(db, partnershipId);
  const id = `${partnershipId}|${key}`;
  const hit = entries.get(id);
  if (hit && hit.stamp === stamp) {
    // Refresh its place in the least-recently-used order.
    entries.delete(id);
    entries.set(id, hit);
    return hit.value as T;
  }
  const value = await compute();
  // Only keep it if nothing changed while computing; otherwise the next request computes afresh.
  if ((await partnershipStamp(db, partnershipId)) === stamp) {
    entries.delete(id);
    entries.set(id, { stamp, value });
    while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  }
  return value;
}

/** Empties the cache (tests). */
export function clearSnapshotCache(): void {
  entries.clear();
}
