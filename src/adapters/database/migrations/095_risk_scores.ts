import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * 5x5 risk scoring (issue 15): a partnership chooses how its risks are scored — the 3x3 words (high, medium, low)
 * or severity and likelihood from 1 to 5 — and a risk scored 1-5 keeps its inherent scores (before the mitigation)
 * and residual scores (after it). The words stay on every risk, derived from the scores, so matrices, documents and
 * downloads that read them keep working.
 */
export function riskScores(_engine: Engine) {
  const columns = ['severity_score', 'likelihood_score', 'residual_severity_score', 'residual_likelihood_score'];
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .alterTable('partnerships')
        .addColumn('risk_scoring', 'varchar(10)', (c) => c.notNull().defaultTo('words'))
        .execute();
      for (const column of columns) await db.schema.alterTable('risks').addColumn(column, 'integer').execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      for (const column of columns) await db.schema.alterTable('risks').dropColumn(column).execute();
      await db.schema.alterTable('partnerships').dropColumn('risk_scoring').execute();
    },
  };
}
