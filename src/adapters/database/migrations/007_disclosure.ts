import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * Disclosure control for public outputs: the partnership's small-number suppression threshold (counts from 1 to
 * one below it are published as "<threshold"; default 5) and which indicators appear on the public summary.
 */
export function disclosure(_engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .alterTable('performance_settings')
        .addColumn('suppression_threshold', 'integer', (c) => c.notNull().defaultTo(5))
        .execute();
      await db.schema
        .alterTable('indicators')
        .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('indicators').dropColumn('is_public').execute();
      await db.schema.alterTable('performance_settings').dropColumn('suppression_threshold').execute();
    },
  };
}
