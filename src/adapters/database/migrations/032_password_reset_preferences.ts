import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';
import { withId } from './helpers.ts';

/**
 * Forgotten passwords and email preferences (decision 0023). `password_resets`: every request (also for addresses
 * with no account, so requests can be limited per address and network), with the SHA-256 of the emailed token when
 * there is an account, its expiry and when it was used (once). `users.email_reminders`: 0 when the person has
 * unsubscribed from optional reminders and chasers.
 */
export function passwordResetPreferences(engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await withId(db.schema.createTable('password_resets'), engine)
        .addColumn('email', 'varchar(320)', (c) => c.notNull())
        .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
        .addColumn('token_hash', 'varchar(64)', (c) => c.unique())
        .addColumn('ip', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('used_at', 'varchar(32)')
        .execute();
      await db.schema.createIndex('password_resets_email_idx').on('password_resets').columns(['email', 'created_at']).execute();
      await db.schema.createIndex('password_resets_ip_idx').on('password_resets').columns(['ip', 'created_at']).execute();
      await db.schema
        .alterTable('users')
        .addColumn('email_reminders', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('users').dropColumn('email_reminders').execute();
      await db.schema.dropTable('password_resets').execute();
    },
  };
}
