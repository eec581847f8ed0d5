import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';
import { withId } from './helpers.ts';

/**
 * A partnership's priority-setting matrix settings: the weights of the four criteria (volume, trend, harm,
 * public concern), whether volume is scored on counts or rates, and as JSON text the harm weight and public
 * concern of each issue and the other issues added by name. One row per partnership; none means the defaults.
 */
export function assessmentMatrix(engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await withId(db.schema.createTable('assessment_matrix_settings'), engine)
        .addColumn('partnership_id', 'integer', (c) => c.notNull().unique().references('partnerships.id').onDelete('cascade'))
        .addColumn('volume_weight', 'integer', (c) => c.notNull())
        .addColumn('trend_weight', 'integer', (c) => c.notNull())
        .addColumn('harm_weight', 'integer', (c) => c.notNull())
        .addColumn('concern_weight', 'integer', (c) => c.notNull())
        .addColumn('volume_basis', 'varchar(8)', (c) => c.notNull().defaultTo('count'))
        .addColumn('harm_weights_json', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('concern_json', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('other_issues_json', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('assessment_matrix_settings').execute();
    },
  };
}
