import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * The member who presents an agenda item (issue 18, ADR 0048): optional, beside the free-text presenter (which
 * stays for people without an account, and holds the member's name when one is chosen). The paper-deadline
 * reminders go to this person when the item has no paper yet. Set to null if the account is ever deleted.
 */
export function agendaPresenterUser(_engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .alterTable('meeting_agenda_items')
        .addColumn('presenter_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('meeting_agenda_items').dropColumn('presenter_user_id').execute();
    },
  };
}
