import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';
import { withId } from './helpers.ts';

/**
 * A partnership's area for the strategic assessment: the local authorities whose names police.uk LSOA names
 * start with, and/or a list of LSOA codes (from an LSOA-to-local-authority lookup). One row per partnership.
 * The police.uk records themselves live in the analytical store (DuckDB), not here.
 */
export function assessment(engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await withId(db.schema.createTable('assessment_areas'), engine)
        .addColumn('partnership_id', 'integer', (c) => c.notNull().unique().references('partnerships.id').onDelete('cascade'))
        .addColumn('local_authorities', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('lsoa_codes', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('assessment_areas').execute();
    },
  };
}
