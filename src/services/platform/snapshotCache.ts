/**
 * Caches values computed from a partnership's data (such as the performance dashboard's rendered table) in this
 * process, keyed by the partnership's data version. Every audited change raises the version in the same
 * transaction as the change itself (`bumpDataVersion`, called by recordAudit), so a new version means the data
 * may have changed and the value is computed again. The version is read from the database on every request (one
 * primary-key lookup, usually folded into the request's access check), so several app instances sharing one
 * database never serve stale figures: the app stays stateless, the cache only saves work.
 *
 * Why a version and not the latest audit event's id: on PostgreSQL, ids are handed out when rows are inserted,
 * not when transactions commit, so a reader could see event 101 committed while event 100 is still in flight and
 * cache data without it under 101 for good. Raising the version locks its row until commit, so versions rise in
 * commit order on both engines.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';

interface Entry {
  version: number;
  value: unknown;
}

const MAX_ENTRIES = 500;
/**
 * One cache per database handle: a process that opens two databases (the tests open one per engine and file, with
 * the same partnership ids and versions in each) never serves one database's value for the other.
 */
let caches = new WeakMap<Kysely<Database>, Map<string, Entry>>();

function entriesOf(db: Kysely<Database>): Map<string, Entry> {
  let entries = caches.get(db);
  if (!entries) {
    entries = new Map();
    caches.set(db, entries);
  }
  return entries;
}

/** The partnership's data version (0 before its first audited change): changes whenever its data changes. */
export async function dataVersion(db: Kysely<Database>, partnershipId: number): Promise<number> {
  const row = await db.selectFrom('partnership_versions').select('version').where('partnership_id', '=', partnershipId).executeTakeFirst();
  return row?.version ?? 0;
}

/** Raises the partnership's data version; call it inside the transaction that changes the partnership's data. */
export async function bumpDataVersion(db: Kysely<Database>, partnershipId: number): Promise<void> {
  await db
    .insertInto('partnership_versions')
    .values({ partnership_id: partnershipId, version: 1 })
    .onConflict((oc) => oc.column('partnership_id').doUpdateSet({ version: sql<number>`partnership_versions.version + 1` }))
    .execute();
}

/**
 * Returns the cached value for (partnership, key) if nothing in the partnership has changed since it was
 * computed; otherwise computes, stores and returns it. `key` must include everything else the value depends on
 * (for example the viewer's role, when the value differs by role). `knownVersion` is the version this request
 * has already read (see `partnershipAccess`), saving a query.
 */
export async function cachedForPartnership<T>(
  db: Kysely<Database>,
  partnershipId: number,
  key: string,
  compute: () => Promise<T>,
  knownVersion?: number,
): Promise<T> {
  const version = knownVersion ?? (await dataVersion(db, partnershipId));
  const entries = entriesOf(db);
  const id = `${partnershipId}|${key}`;
  const hit = entries.get(id);
  if (hit && hit.version === version) {
    // Refresh its place in the least-recently-used order.
    entries.delete(id);
    entries.set(id, hit);
    return hit.value as T;
  }
  const value = await compute();
  // Only keep it if nothing changed since the version was read; otherwise the next request computes afresh.
  if ((await dataVersion(db, partnershipId)) === version) {
    entries.delete(id);
    entries.set(id, { version, value });
    while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  }
  return value;
}

/** Empties the cache (tests). */
export function clearSnapshotCache(): void {
  caches = new WeakMap();
}
