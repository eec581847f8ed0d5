import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';
import { withId } from './helpers.ts';

/**
 * An indicator's own settings for its XmR chart (issue 16, decision 0034), one row each: a change date from which
 * the limits are recalculated ('phase', with an optional fixed baseline up to `baseline_to`), or a point ('point')
 * left out of the limits with its reason and/or carrying a note shown on the chart and in its table.
 */
export function spcMarks(engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await withId(db.schema.createTable('indicator_spc_marks'), engine)
        .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        /** 'phase' or 'point'. */
        .addColumn('kind', 'varchar(10)', (c) => c.notNull())
        /** The change date's first period, or the point's period (a period key of the indicator's frequency). */
        .addColumn('period', 'varchar(20)', (c) => c.notNull())
        /** A phase's fixed baseline: its limits from its figures up to this period; null for all of them. */
        .addColumn('baseline_to', 'varchar(20)')
        /** A point left out of the mean and moving ranges (0 or 1). */
        .addColumn('excluded', 'integer', (c) => c.notNull().defaultTo(0))
        /** Why the phase starts or the point is excluded. */
        .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_by', 'varchar(320)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('indicator_spc_marks_uq')
        .unique()
        .on('indicator_spc_marks')
        .columns(['indicator_id', 'kind', 'period'])
        .execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('indicator_spc_marks').execute();
    },
  };
}
