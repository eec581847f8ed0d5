import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database.ts';
import { withId } from './helpers.ts';

/**
 * The lead's commentary on an indicator's period and the monthly highlight report of each priority group.
 * Commentary is kept like figures: a revision supersedes the current text, which stays as history (one current
 * text per indicator and period). A highlight report is one per priority and month; its changes are audited.
 */
export function commentaryHighlights(engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await withId(db.schema.createTable('indicator_commentary'), engine)
        .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        .addColumn('period', 'varchar(20)', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('written_by', 'varchar(320)', (c) => c.notNull())
        .addColumn('written_by_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('written_at', 'varchar(32)', (c) => c.notNull())
        /** Set when a later text for the same period replaces this one. */
        .addColumn('superseded_at', 'varchar(32)')
        .execute();
      await db.schema
        .createIndex('indicator_commentary_indicator_idx')
        .on('indicator_commentary')
        .columns(['indicator_id', 'period'])
        .execute();
      await db.schema
        .createIndex('indicator_commentary_current_uq')
        .unique()
        .on('indicator_commentary')
        .columns(['indicator_id', 'period'])
        .where(sql.ref('superseded_at'), 'is', null)
        .execute();

      await withId(db.schema.createTable('highlight_reports'), engine)
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        .addColumn('priority_id', 'integer', (c) => c.notNull().references('priorities.id').onDelete('cascade'))
        /** The month reported on, 'YYYY-MM'. */
        .addColumn('month', 'varchar(7)', (c) => c.notNull())
        .addColumn('progress', 'text', (c) => c.notNull())
        .addColumn('milestones_achieved', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('milestones_next', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('issues_risks', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('board_requests', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('rag', 'varchar(10)')
        .addColumn('written_by', 'varchar(320)', (c) => c.notNull())
        .addColumn('written_by_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addUniqueConstraint('highlight_reports_priority_month_uq', ['priority_id', 'month'])
        .execute();
      await db.schema
        .createIndex('highlight_reports_partnership_idx')
        .on('highlight_reports')
        .columns(['partnership_id', 'month'])
        .execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('highlight_reports').execute();
      await db.schema.dropTable('indicator_commentary').execute();
    },
  };
}
