import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * A data version per partnership, raised in the same transaction as every audited change to the partnership's
 * data (src/services/platform/audit.ts). Caches of computed or rendered partnership data (src/services/platform/snapshotCache.ts)
 * are keyed on it. Unlike the id of the latest audit event, it rises in commit order on PostgreSQL too: raising
 * it locks the row until the transaction ends, so a later writer waits and counts on from the committed value.
 * No row means version 0.
 */
export function perf(_engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('partnership_versions')
        .addColumn('partnership_id', 'integer', (c) => c.primaryKey().references('partnerships.id').onDelete('cascade'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('partnership_versions').execute();
    },
  };
}
