import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';
import { withId } from './helpers.ts';

/**
 * The partnership's statutory calendar (issue 18): recurring duties with their next due date, and each time one
 * was done with its evidence (a link to a document, a decision of a meeting). And the secret links through which a
 * person's calendar program subscribes to the meetings of a partnership (only the SHA-256 of the token is kept).
 */
export function statutoryCalendar(engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await withId(db.schema.createTable('statutory_duties'), engine)
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        /** The standard duty it is ('strategic_assessment'...), or null for the partnership's own. */
        .addColumn('standard_key', 'varchar(40)')
        .addColumn('title', 'varchar(200)', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('legal_basis', 'varchar(500)', (c) => c.notNull().defaultTo(''))
        /** 'annual', 'three_yearly' or 'one_off'. */
        .addColumn('recurrence', 'varchar(20)', (c) => c.notNull())
        .addColumn('due_date', 'varchar(10)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('statutory_duties_standard_uq')
        .unique()
        .on('statutory_duties')
        .columns(['partnership_id', 'standard_key'])
        .execute();

      await withId(db.schema.createTable('duty_completions'), engine)
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        .addColumn('duty_id', 'integer', (c) => c.notNull().references('statutory_duties.id').onDelete('cascade'))
        /** The due date this completion met (the duty's due date then). */
        .addColumn('due_date', 'varchar(10)', (c) => c.notNull())
        .addColumn('completed_on', 'varchar(10)', (c) => c.notNull())
        .addColumn('evidence', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('evidence_url', 'varchar(2000)', (c) => c.notNull().defaultTo(''))
        .addColumn('decision_id', 'integer', (c) => c.references('meeting_decisions.id').onDelete('set null'))
        .addColumn('recorded_by', 'varchar(320)', (c) => c.notNull())
        .addColumn('recorded_by_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('duty_completions_duty_idx').on('duty_completions').column('duty_id').execute();

      await withId(db.schema.createTable('calendar_feed_tokens'), engine)
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addUniqueConstraint('calendar_feed_tokens_user_uq', ['partnership_id', 'user_id'])
        .execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('calendar_feed_tokens').execute();
      await db.schema.dropTable('duty_completions').execute();
      await db.schema.dropTable('statutory_duties').execute();
    },
  };
}
