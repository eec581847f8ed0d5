import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * Retiring and archiving (issue 13, decision 0021): an indicator can be retired after its last period, with the
 * reason and when it was recorded; a plan version is marked superseded when a newer version of the same plan is
 * approved. Neither is deleted: both stay in the history and in the documents of their own time.
 */
export function retireSupersede(_engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      // One column per statement: SQLite adds a single column per ALTER TABLE.
      await db.schema.alterTable('indicators').addColumn('retired_after', 'varchar(16)').execute();
      await db.schema.alterTable('indicators').addColumn('retirement_reason', 'text').execute();
      await db.schema.alterTable('indicators').addColumn('retired_at', 'varchar(32)').execute();
      await db.schema.alterTable('plan_versions').addColumn('superseded_at', 'varchar(32)').execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('plan_versions').dropColumn('superseded_at').execute();
      await db.schema.alterTable('indicators').dropColumn('retired_at').execute();
      await db.schema.alterTable('indicators').dropColumn('retirement_reason').execute();
      await db.schema.alterTable('indicators').dropColumn('retired_after').execute();
    },
  };
}
