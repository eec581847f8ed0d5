import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';
import { withId } from './helpers.ts';

/**
 * The targets a plan version was approved with (decision 0014): when a version is approved, the targets then held
 * for the indicators serving its priorities are copied into plan_version_targets, so a later comparison shows the
 * targets the partnership agreed, not today's. Also the withdrawal of an approval (back to draft, with a reason).
 * Numbers are `double precision`, as in 004_performance.
 */
export function planTargets(engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('plan_versions').addColumn('targets_recorded_at', 'varchar(32)').execute();
      await db.schema.alterTable('plan_versions').addColumn('withdrawn_at', 'varchar(32)').execute();
      await db.schema.alterTable('plan_versions').addColumn('withdrawal_reason', 'text').execute();

      await withId(db.schema.createTable('plan_version_targets'), engine)
        .addColumn('plan_version_id', 'integer', (c) => c.notNull().references('plan_versions.id').onDelete('cascade'))
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        /** The priority of this version the indicator serves (directly, through an objective or an earlier copy). */
        .addColumn('priority_id', 'integer', (c) => c.notNull().references('priorities.id').onDelete('cascade'))
        /** Null once the indicator is deleted: the recorded target and its label stay. */
        .addColumn('indicator_id', 'integer', (c) => c.references('indicators.id').onDelete('set null'))
        .addColumn('indicator_label', 'varchar(400)', (c) => c.notNull())
        .addColumn('kind', 'varchar(30)', (c) => c.notNull())
        .addColumn('value', 'double precision')
        .addColumn('direction', 'varchar(10)')
        .addColumn('rate_per', 'integer')
        .addColumn('comparison', 'varchar(10)')
        .addColumn('by_period', 'varchar(20)')
        .addColumn('span_from', 'varchar(7)')
        .addColumn('span_to', 'varchar(7)')
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('plan_version_targets_version_idx')
        .on('plan_version_targets')
        .columns(['plan_version_id', 'priority_id'])
        .execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('plan_version_targets').execute();
      await db.schema.alterTable('plan_versions').dropColumn('withdrawal_reason').execute();
      await db.schema.alterTable('plan_versions').dropColumn('withdrawn_at').execute();
      await db.schema.alterTable('plan_versions').dropColumn('targets_recorded_at').execute();
    },
  };
}
