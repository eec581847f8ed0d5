import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Engine } from '../database.ts';
import { withId } from './helpers.ts';

/**
 * Meetings of the plan's governance groups and what they produce (issue 18, ADR 0030): attendees and apologies,
 * agenda items linked to what the partnership already holds, papers, decisions, and actions carried from meeting
 * to meeting until closed with their dated updates; the council scrutiny committee's recommendations (section 19
 * Police and Justice Act 2006) and the partnership's response. A meeting points at the governance group row it was
 * held under; the same group in a later plan version (its copy) is the same group for carrying actions forward.
 */
const partnership = (c: ColumnDefinitionBuilder) => c.notNull().references('partnerships.id').onDelete('cascade');

export function meetings(engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await withId(db.schema.createTable('meetings'), engine)
        .addColumn('partnership_id', 'integer', partnership)
        .addColumn('governance_group_id', 'integer', (c) => c.references('governance_groups.id').onDelete('set null'))
        /** The group's name when the meeting was arranged: kept if the plan part is later deleted. */
        .addColumn('group_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('title', 'varchar(200)', (c) => c.notNull())
        /** Local (Europe/London) date and time, 'YYYY-MM-DDTHH:MM'. */
        .addColumn('starts_at', 'varchar(16)', (c) => c.notNull())
        .addColumn('duration_minutes', 'integer', (c) => c.notNull())
        .addColumn('location', 'varchar(500)', (c) => c.notNull().defaultTo(''))
        /** Papers are due by this date (YYYY-MM-DD). */
        .addColumn('paper_deadline', 'varchar(10)')
        .addColumn('minutes', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('meetings_partnership_idx').on('meetings').columns(['partnership_id', 'starts_at']).execute();

      await withId(db.schema.createTable('meeting_attendees'), engine)
        .addColumn('partnership_id', 'integer', partnership)
        .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
        .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id').onDelete('set null'))
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        /** 'expected', 'attended', 'apologies' or 'absent'. */
        .addColumn('attendance', 'varchar(20)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('meeting_attendees_meeting_idx').on('meeting_attendees').column('meeting_id').execute();

      await withId(db.schema.createTable('meeting_agenda_items'), engine)
        .addColumn('partnership_id', 'integer', partnership)
        .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        /** What the item is about: see AGENDA_ITEM_KINDS. */
        .addColumn('kind', 'varchar(30)', (c) => c.notNull())
        .addColumn('title', 'varchar(300)', (c) => c.notNull())
        .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('presenter', 'varchar(200)', (c) => c.notNull().defaultTo(''))
        /** A Board pack's or exception report's quarter, '2019-20 Q3'. */
        .addColumn('quarter', 'varchar(20)')
        .addColumn('highlight_report_id', 'integer', (c) => c.references('highlight_reports.id').onDelete('set null'))
        .addColumn('risk_id', 'integer', (c) => c.references('risks.id').onDelete('set null'))
        .addColumn('indicator_id', 'integer', (c) => c.references('indicators.id').onDelete('set null'))
        /** The item of another group's meeting this one was escalated from. */
        .addColumn('escalated_from_item_id', 'integer', (c) => c.references('meeting_agenda_items.id').onDelete('set null'))
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('meeting_agenda_items_meeting_idx')
        .on('meeting_agenda_items')
        .columns(['meeting_id', 'position'])
        .execute();

      await withId(db.schema.createTable('meeting_papers'), engine)
        .addColumn('partnership_id', 'integer', partnership)
        .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
        .addColumn('agenda_item_id', 'integer', (c) => c.references('meeting_agenda_items.id').onDelete('set null'))
        .addColumn('title', 'varchar(300)', (c) => c.notNull())
        /** Where the paper is: a generated document's download, a page of the app, or a web address. */
        .addColumn('url', 'varchar(2000)', (c) => c.notNull())
        .addColumn('document_job_id', 'integer', (c) => c.references('document_jobs.id').onDelete('set null'))
        .addColumn('added_by', 'varchar(320)', (c) => c.notNull())
        .addColumn('added_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('meeting_papers_meeting_idx').on('meeting_papers').column('meeting_id').execute();

      await withId(db.schema.createTable('meeting_decisions'), engine)
        .addColumn('partnership_id', 'integer', partnership)
        .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
        .addColumn('agenda_item_id', 'integer', (c) => c.notNull().references('meeting_agenda_items.id').onDelete('cascade'))
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('recorded_by', 'varchar(320)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('meeting_decisions_meeting_idx').on('meeting_decisions').column('meeting_id').execute();

      await withId(db.schema.createTable('scrutiny_recommendations'), engine)
        .addColumn('partnership_id', 'integer', partnership)
        .addColumn('committee', 'varchar(200)', (c) => c.notNull())
        .addColumn('received_on', 'varchar(10)', (c) => c.notNull())
        .addColumn('recommendation', 'text', (c) => c.notNull())
        /** 'awaiting', 'accepted', 'partly_accepted' or 'not_accepted'. */
        .addColumn('response_status', 'varchar(20)', (c) => c.notNull())
        .addColumn('response', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('responded_on', 'varchar(10)')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('scrutiny_partnership_idx').on('scrutiny_recommendations').column('partnership_id').execute();

      await withId(db.schema.createTable('meeting_actions'), engine)
        .addColumn('partnership_id', 'integer', partnership)
        .addColumn('governance_group_id', 'integer', (c) => c.references('governance_groups.id').onDelete('set null'))
        .addColumn('group_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('meeting_id', 'integer', (c) => c.references('meetings.id').onDelete('set null'))
        .addColumn('agenda_item_id', 'integer', (c) => c.references('meeting_agenda_items.id').onDelete('set null'))
        .addColumn('scrutiny_recommendation_id', 'integer', (c) => c.references('scrutiny_recommendations.id').onDelete('set null'))
        .addColumn('title', 'varchar(500)', (c) => c.notNull())
        .addColumn('owner_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        /** The owner's name: the user's, or free text such as "Police inspector, Oakham". */
        .addColumn('owner_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('due_date', 'varchar(10)')
        /** 'open', 'in_progress' or 'closed'. */
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('closed_on', 'varchar(10)')
        .addColumn('priority_id', 'integer', (c) => c.references('priorities.id').onDelete('set null'))
        .addColumn('objective_id', 'integer', (c) => c.references('objectives.id').onDelete('set null'))
        .addColumn('activity_id', 'integer', (c) => c.references('delivery_activities.id').onDelete('set null'))
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('meeting_actions_partnership_idx').on('meeting_actions').columns(['partnership_id', 'status']).execute();

      await withId(db.schema.createTable('action_updates'), engine)
        .addColumn('partnership_id', 'integer', partnership)
        .addColumn('action_id', 'integer', (c) => c.notNull().references('meeting_actions.id').onDelete('cascade'))
        /** The meeting at which the update was given, if any. */
        .addColumn('meeting_id', 'integer', (c) => c.references('meetings.id').onDelete('set null'))
        .addColumn('update_date', 'varchar(10)', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('written_by', 'varchar(320)', (c) => c.notNull())
        .addColumn('written_by_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('action_updates_action_idx').on('action_updates').column('action_id').execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      for (const t of [
        'action_updates',
        'meeting_actions',
        'scrutiny_recommendations',
        'meeting_decisions',
        'meeting_papers',
        'meeting_agenda_items',
        'meeting_attendees',
        'meetings',
      ])
        await db.schema.dropTable(t).execute();
    },
  };
}
