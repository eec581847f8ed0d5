import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * Document jobs are claimed with a lease (src/adapters/jobs/jobLease.ts, decision 0011): the instance generating a job
 * holds it until `lease_expires_at` and renews the lease while it works; a job whose lease runs out (its instance
 * stopped) is claimed again by any instance, up to a number of attempts.
 */
export function documentJobLease(_engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      // One column per statement: SQLite adds a single column per ALTER TABLE.
      await db.schema
        .alterTable('document_jobs')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('document_jobs').addColumn('lease_expires_at', 'varchar(32)').execute();
      await db.schema.alterTable('document_jobs').addColumn('claimed_by', 'varchar(100)').execute();
      await db.schema.createIndex('document_jobs_lease_idx').on('document_jobs').columns(['status', 'lease_expires_at']).execute();
      // Jobs running under the previous arrangement: held for a minute after their last heartbeat, as before.
      const running = (await db.selectFrom('document_jobs').select(['id', 'heartbeat_at']).where('status', '=', 'running').execute()) as {
        id: number;
        heartbeat_at: string;
      }[];
      for (const job of running) {
        const expires = new Date(Date.parse(job.heartbeat_at) + 60_000).toISOString();
        await db.updateTable('document_jobs').set({ lease_expires_at: expires, attempts: 1 }).where('id', '=', job.id).execute();
      }
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropIndex('document_jobs_lease_idx').execute();
      await db.schema.alterTable('document_jobs').dropColumn('claimed_by').execute();
      await db.schema.alterTable('document_jobs').dropColumn('lease_expires_at').execute();
      await db.schema.alterTable('document_jobs').dropColumn('attempts').execute();
    },
  };
}
