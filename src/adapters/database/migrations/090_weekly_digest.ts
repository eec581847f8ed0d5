import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * The weekly digest (issue 14): `users.weekly_digest` is 1 when the person has asked for a weekly email of what
 * needs their attention in each of their partnerships. Off until they choose it (account preferences).
 */
export function weeklyDigest(_engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .alterTable('users')
        .addColumn('weekly_digest', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('users').dropColumn('weekly_digest').execute();
    },
  };
}
