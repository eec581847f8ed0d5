import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * Owners and collection schedules (decision 0022). Indicators and delivery activities get an owner who is a user
 * and a partner organisation (the free-text owner or lead stays for people without an account); members get the
 * organisation they work for; indicators get when their figures are due (working days after the period ends,
 * overriding the partnership's default) and the first period collected; partnerships get that default and whether
 * contributors may enter figures only for what they or their organisation own.
 */
export function collectionOwners(_engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      // One column per statement: SQLite adds a single column per ALTER TABLE.
      for (const table of ['indicators', 'delivery_activities']) {
        await db.schema
          .alterTable(table)
          .addColumn('owner_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
          .execute();
        await db.schema
          .alterTable(table)
          .addColumn('owner_organisation_id', 'integer', (c) => c.references('organisations.id').onDelete('set null'))
          .execute();
        await db.schema.createIndex(`${table}_owner_user_idx`).on(table).column('owner_user_id').execute();
      }
      await db.schema.alterTable('indicators').addColumn('due_working_days', 'integer').execute();
      await db.schema.alterTable('indicators').addColumn('collect_from', 'varchar(20)').execute();
      await db.schema
        .alterTable('memberships')
        .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id').onDelete('set null'))
        .execute();
      await db.schema
        .alterTable('partnerships')
        .addColumn('figures_due_working_days', 'integer', (c) => c.notNull().defaultTo(10))
        .execute();
      await db.schema
        .alterTable('partnerships')
        .addColumn('contributors_own_only', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('partnerships').dropColumn('contributors_own_only').execute();
      await db.schema.alterTable('partnerships').dropColumn('figures_due_working_days').execute();
      await db.schema.alterTable('memberships').dropColumn('organisation_id').execute();
      await db.schema.alterTable('indicators').dropColumn('collect_from').execute();
      await db.schema.alterTable('indicators').dropColumn('due_working_days').execute();
      for (const table of ['indicators', 'delivery_activities']) {
        await db.schema.dropIndex(`${table}_owner_user_idx`).execute();
        await db.schema.alterTable(table).dropColumn('owner_organisation_id').execute();
        await db.schema.alterTable(table).dropColumn('owner_user_id').execute();
      }
    },
  };
}
