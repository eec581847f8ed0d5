import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * Targets as partnerships set them (issue 16 item 4, decision 0034): a target's tier ('first', or 'second' for a
 * target judged beside it, such as a national target beside a local stretch one) and its own name; and an
 * indicator's trajectory, how its annual target is spread over the months or quarters of the year ('even',
 * 'custom' with the percentages in `trajectory_shares` as "20,25,30,25", or 'seasonal'; null for none).
 */
export function targetTiersTrajectory(_engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .alterTable('indicator_targets')
        .addColumn('tier', 'varchar(10)', (c) => c.notNull().defaultTo('first'))
        .execute();
      await db.schema
        .alterTable('indicator_targets')
        .addColumn('label', 'varchar(100)', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema.alterTable('indicators').addColumn('trajectory', 'varchar(10)').execute();
      await db.schema.alterTable('indicators').addColumn('trajectory_shares', 'text').execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('indicators').dropColumn('trajectory_shares').execute();
      await db.schema.alterTable('indicators').dropColumn('trajectory').execute();
      await db.schema.alterTable('indicator_targets').dropColumn('label').execute();
      await db.schema.alterTable('indicator_targets').dropColumn('tier').execute();
    },
  };
}
