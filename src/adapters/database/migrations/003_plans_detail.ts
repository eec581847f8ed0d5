import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';
import { withId } from './helpers.ts';

/**
 * The rest of a partnership plan, hung off the spine of 002: cross-cutting themes, delivery activities and their
 * progress updates, governance groups, resources and risk registers per priority, community engagement methods,
 * the communications calendar, links to other plans, and funding streams with their allocations and spend.
 * Every table carries partnership_id (the tenant boundary) and plan_version_id (the version it belongs to, so a
 * refresh can copy a version and an approved version can be locked). Money is integer pence (bigint).
 */
export function plansDetail(engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      const common = (name: string) =>
        withId(db.schema.createTable(name), engine)
          .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
          .addColumn('plan_version_id', 'integer', (c) => c.notNull().references('plan_versions.id').onDelete('cascade'))
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('updated_at', 'varchar(32)', (c) => c.notNull());

      await common('cross_cutting_themes')
        .addColumn('title', 'varchar(300)', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('copied_from_theme_id', 'integer', (c) => c.references('cross_cutting_themes.id').onDelete('set null'))
        .execute();
      await db.schema.createIndex('themes_version_idx').on('cross_cutting_themes').columns(['plan_version_id', 'position']).execute();

      await withId(db.schema.createTable('theme_priorities'), engine)
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        .addColumn('theme_id', 'integer', (c) => c.notNull().references('cross_cutting_themes.id').onDelete('cascade'))
        .addColumn('priority_id', 'integer', (c) => c.notNull().references('priorities.id').onDelete('cascade'))
        .addUniqueConstraint('theme_priorities_uq', ['theme_id', 'priority_id'])
        .execute();

      await common('delivery_activities')
        .addColumn('objective_id', 'integer', (c) => c.notNull().references('objectives.id').onDelete('cascade'))
        .addColumn('title', 'varchar(300)', (c) => c.notNull())
        .addColumn('lead', 'varchar(200)', (c) => c.notNull().defaultTo(''))
        .addColumn('partners', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('start_date', 'varchar(10)')
        .addColumn('due_date', 'varchar(10)')
        .addColumn('status', 'varchar(20)', (c) => c.notNull().defaultTo('not_started'))
        .addColumn('rag', 'varchar(10)')
        .addColumn('copied_from_activity_id', 'integer', (c) => c.references('delivery_activities.id').onDelete('set null'))
        .execute();
      await db.schema.createIndex('activities_objective_idx').on('delivery_activities').columns(['objective_id', 'position']).execute();

      await common('activity_updates')
        .addColumn('activity_id', 'integer', (c) => c.notNull().references('delivery_activities.id').onDelete('cascade'))
        .addColumn('update_date', 'varchar(10)', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('rag', 'varchar(10)')
        .execute();
      await db.schema.createIndex('activity_updates_activity_idx').on('activity_updates').columns(['activity_id', 'update_date']).execute();

      await common('governance_groups')
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('chair', 'varchar(200)', (c) => c.notNull().defaultTo(''))
        .addColumn('member_organisations', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('meeting_frequency', 'varchar(100)', (c) => c.notNull().defaultTo(''))
        .addColumn('reports_to_group_id', 'integer', (c) => c.references('governance_groups.id').onDelete('set null'))
        .addColumn('copied_from_group_id', 'integer', (c) => c.references('governance_groups.id').onDelete('set null'))
        .execute();
      await db.schema.createIndex('groups_version_idx').on('governance_groups').columns(['plan_version_id', 'position']).execute();

      await common('priority_resources')
        .addColumn('priority_id', 'integer', (c) => c.notNull().references('priorities.id').onDelete('cascade'))
        .addColumn('kind', 'varchar(20)', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('amount_pence', 'bigint')
        .addColumn('funding_source', 'varchar(200)', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema.createIndex('resources_priority_idx').on('priority_resources').columns(['priority_id', 'position']).execute();

      await common('risks')
        .addColumn('priority_id', 'integer', (c) => c.notNull().references('priorities.id').onDelete('cascade'))
        .addColumn('risk', 'text', (c) => c.notNull())
        .addColumn('severity', 'varchar(10)', (c) => c.notNull())
        .addColumn('likelihood', 'varchar(10)', (c) => c.notNull())
        .addColumn('mitigation', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('responsible_partner', 'varchar(300)', (c) => c.notNull().defaultTo(''))
        .addColumn('review_date', 'varchar(10)')
        .addColumn('copied_from_risk_id', 'integer', (c) => c.references('risks.id').onDelete('set null'))
        .execute();
      await db.schema.createIndex('risks_priority_idx').on('risks').columns(['priority_id', 'position']).execute();

      await common('engagement_methods')
        .addColumn('method', 'varchar(300)', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .execute();

      await common('communications_events')
        .addColumn('event_date', 'varchar(10)', (c) => c.notNull())
        .addColumn('event', 'varchar(300)', (c) => c.notNull())
        .addColumn('attendees', 'varchar(300)', (c) => c.notNull().defaultTo(''))
        .execute();

      await common('plan_links')
        .addColumn('title', 'varchar(300)', (c) => c.notNull())
        .addColumn('url', 'varchar(1000)', (c) => c.notNull().defaultTo(''))
        .addColumn('relationship', 'text', (c) => c.notNull().defaultTo(''))
        .execute();

      await common('funding_streams')
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('funder', 'varchar(200)', (c) => c.notNull().defaultTo(''))
        .addColumn('amount_pence', 'bigint', (c) => c.notNull())
        /** Allocations above this amount need the Board's approval (Rochford: projects over £2,000). */
        .addColumn('approval_threshold_pence', 'bigint')
        .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('copied_from_stream_id', 'integer', (c) => c.references('funding_streams.id').onDelete('set null'))
        .execute();

      await common('funding_allocations')
        .addColumn('funding_stream_id', 'integer', (c) => c.notNull().references('funding_streams.id').onDelete('cascade'))
        .addColumn('priority_id', 'integer', (c) => c.references('priorities.id').onDelete('set null'))
        .addColumn('project', 'varchar(300)', (c) => c.notNull())
        .addColumn('amount_pence', 'bigint', (c) => c.notNull())
        .addColumn('board_approved', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('spent_pence', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('allocations_stream_idx').on('funding_allocations').columns(['funding_stream_id', 'position']).execute();
    },
  };
}
