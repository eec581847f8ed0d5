import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';
import { binaryType, withId } from './helpers.ts';

/**
 * The annual review of a plan (what was done under each priority and objective area, key outputs, the indicators
 * chosen to show progress) and the generated documents: one row per generation request with its status, progress,
 * who asked and when, and the finished file's bytes, so any app instance can serve it.
 */
export function documentsReview(engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await withId(db.schema.createTable('reviews'), engine)
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        .addColumn('title', 'varchar(200)', (c) => c.notNull())
        .addColumn('start_year', 'integer', (c) => c.notNull())
        .addColumn('end_year', 'integer', (c) => c.notNull())
        .addColumn('plan_version_id', 'integer', (c) => c.references('plan_versions.id').onDelete('set null'))
        .addColumn('introduction', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('reviews_partnership_idx').on('reviews').columns(['partnership_id', 'start_year']).execute();

      await withId(db.schema.createTable('review_priorities'), engine)
        .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('title', 'varchar(300)', (c) => c.notNull())
        .addColumn('narrative', 'text', (c) => c.notNull().defaultTo(''))
        /** One key output per line. */
        .addColumn('key_outputs', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('priority_id', 'integer', (c) => c.references('priorities.id').onDelete('set null'))
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('review_priorities_review_idx').on('review_priorities').columns(['review_id', 'position']).execute();

      await withId(db.schema.createTable('review_areas'), engine)
        .addColumn('review_priority_id', 'integer', (c) => c.notNull().references('review_priorities.id').onDelete('cascade'))
        .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('title', 'varchar(300)', (c) => c.notNull())
        .addColumn('narrative', 'text', (c) => c.notNull().defaultTo(''))
        /** The chosen indicators, in order, as a JSON array of ids (ids no longer in the partnership are ignored). */
        .addColumn('indicator_ids_json', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('objective_id', 'integer', (c) => c.references('objectives.id').onDelete('set null'))
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('review_areas_priority_idx').on('review_areas').columns(['review_priority_id', 'position']).execute();

      await withId(db.schema.createTable('document_jobs'), engine)
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        .addColumn('kind', 'varchar(30)', (c) => c.notNull())
        .addColumn('format', 'varchar(8)', (c) => c.notNull())
        /** What was asked for, in words ("Quarterly performance report Q4 2019/20"), kept even if the source changes. */
        .addColumn('title', 'varchar(300)', (c) => c.notNull())
        .addColumn('params_json', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(12)', (c) => c.notNull().defaultTo('queued'))
        .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('stage', 'varchar(200)', (c) => c.notNull().defaultTo(''))
        .addColumn('error', 'text')
        .addColumn('requested_by_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('requested_by', 'varchar(320)', (c) => c.notNull())
        .addColumn('requested_by_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('started_at', 'varchar(32)')
        .addColumn('finished_at', 'varchar(32)')
        /** Touched by the process holding the job; a queued or running job without a recent heartbeat is dead. */
        .addColumn('heartbeat_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('file_name', 'varchar(300)')
        .addColumn('content_type', 'varchar(120)')
        .addColumn('size_bytes', 'integer')
        .addColumn('content', binaryType(engine))
        .execute();
      await db.schema.createIndex('document_jobs_partnership_idx').on('document_jobs').columns(['partnership_id', 'id']).execute();
      await db.schema.createIndex('document_jobs_status_idx').on('document_jobs').columns(['status', 'heartbeat_at']).execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('document_jobs').execute();
      await db.schema.dropTable('review_areas').execute();
      await db.schema.dropTable('review_priorities').execute();
      await db.schema.dropTable('reviews').execute();
    },
  };
}
