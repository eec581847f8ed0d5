import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';
import { withId } from './helpers.ts';

/**
 * The spine of a partnership plan: a plan period (e.g. 2016-19) has versions (the original and each annual
 * refresh); each version has its priorities, and each priority its objectives (improvement priorities).
 * Everything else in a plan, and the indicators that measure it, hangs off these tables.
 */
export function plansCore(engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await withId(db.schema.createTable('plans'), engine)
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        .addColumn('title', 'varchar(200)', (c) => c.notNull())
        .addColumn('start_year', 'integer', (c) => c.notNull())
        .addColumn('end_year', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('plans_partnership_idx').on('plans').column('partnership_id').execute();

      await withId(db.schema.createTable('plan_versions'), engine)
        .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        .addColumn('label', 'varchar(100)', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull().defaultTo('draft'))
        .addColumn('vision', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('foreword', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('introduction', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('approved_by', 'varchar(200)')
        .addColumn('approved_at', 'varchar(32)')
        .addColumn('approval_meeting', 'varchar(200)')
        .addColumn('published_at', 'varchar(32)')
        .addColumn('copied_from_version_id', 'integer', (c) => c.references('plan_versions.id').onDelete('set null'))
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addUniqueConstraint('plan_versions_label_uq', ['plan_id', 'label'])
        .execute();
      await db.schema.createIndex('plan_versions_partnership_idx').on('plan_versions').columns(['partnership_id', 'status']).execute();

      await withId(db.schema.createTable('priorities'), engine)
        .addColumn('plan_version_id', 'integer', (c) => c.notNull().references('plan_versions.id').onDelete('cascade'))
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('title', 'varchar(300)', (c) => c.notNull())
        .addColumn('why', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('what_we_will_do', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('geographical_context', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('lead_organisation_id', 'integer', (c) => c.references('organisations.id').onDelete('set null'))
        .addColumn('lead_officer', 'varchar(200)', (c) => c.notNull().defaultTo(''))
        /** Links the same priority across versions of a plan (set when a refresh copies it). */
        .addColumn('copied_from_priority_id', 'integer', (c) => c.references('priorities.id').onDelete('set null'))
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('priorities_version_idx').on('priorities').columns(['plan_version_id', 'position']).execute();

      await withId(db.schema.createTable('objectives'), engine)
        .addColumn('priority_id', 'integer', (c) => c.notNull().references('priorities.id').onDelete('cascade'))
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('title', 'varchar(300)', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('copied_from_objective_id', 'integer', (c) => c.references('objectives.id').onDelete('set null'))
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('objectives_priority_idx').on('objectives').columns(['priority_id', 'position']).execute();
    },
  };
}
