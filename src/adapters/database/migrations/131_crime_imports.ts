import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * Police.uk imports recorded in the database (issue 19, decision 0038), so that every instance shows an import's
 * progress and outcome whichever instance runs it: `crime_imports` holds each import (its progress, summary and
 * errors as JSON, and a heartbeat the running instance renews); `crime_import_claims` holds one row per (month,
 * force) being imported, so two instances cannot import the same month and force at once. A claim whose lease ran
 * out (its instance stopped) is taken over by the next import.
 */
export function crimeImports(_engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('crime_imports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('started_by', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('heartbeat_at', 'text', (c) => c.notNull())
        .addColumn('finished', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('progress', 'text')
        .addColumn('summary', 'text')
        .addColumn('errors', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
      await db.schema.createIndex('crime_imports_partnership').on('crime_imports').columns(['partnership_id', 'started_at']).execute();
      await db.schema
        .createTable('crime_import_claims')
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('force', 'text', (c) => c.notNull())
        .addColumn('import_id', 'text', (c) => c.notNull())
        .addColumn('lease_until', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('crime_import_claims_pk', ['month', 'force'])
        .execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('crime_import_claims').execute();
      await db.schema.dropTable('crime_imports').execute();
    },
  };
}
