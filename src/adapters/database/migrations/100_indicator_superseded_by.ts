import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * The indicator that replaces a retired one (issue 13 follow-up): recorded when an indicator is retired, shown on
 * the indicator list and carried in the API. Null when none replaces it; cleared when the indicator is reinstated,
 * and set to null if the replacing indicator is ever deleted.
 */
export function indicatorSupersededBy(_engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .alterTable('indicators')
        .addColumn('superseded_by_indicator_id', 'integer', (c) => c.references('indicators.id').onDelete('set null'))
        .execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('indicators').dropColumn('superseded_by_indicator_id').execute();
    },
  };
}
