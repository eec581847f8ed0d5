import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';
import { withId } from './helpers.ts';

/**
 * Durable jobs and email (decision 0023). `jobs`: work any instance may do (sending an email, for a start), claimed
 * with a lease like document jobs (src/adapters/jobs/jobLease.ts), not before `run_at` (retries back off by moving
 * it), with `dedupe_key` unique so that a reminder scheduled by two instances at once is one job. `emails`: every
 * email the app sent, or wrote to its log when no SMTP server is configured (the admin outbox).
 */
export function jobsMail(engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await withId(db.schema.createTable('jobs'), engine)
        .addColumn('kind', 'varchar(40)', (c) => c.notNull())
        .addColumn('partnership_id', 'integer', (c) => c.references('partnerships.id').onDelete('cascade'))
        .addColumn('dedupe_key', 'varchar(300)', (c) => c.unique())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('run_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('lease_expires_at', 'varchar(32)')
        .addColumn('claimed_by', 'varchar(100)')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('finished_at', 'varchar(32)')
        .execute();
      await db.schema.createIndex('jobs_claim_idx').on('jobs').columns(['status', 'run_at']).execute();

      await withId(db.schema.createTable('emails'), engine)
        .addColumn('job_id', 'integer', (c) => c.references('jobs.id').onDelete('set null'))
        .addColumn('partnership_id', 'integer', (c) => c.references('partnerships.id').onDelete('cascade'))
        .addColumn('to_address', 'varchar(320)', (c) => c.notNull())
        .addColumn('subject', 'varchar(300)', (c) => c.notNull())
        .addColumn('text_body', 'text', (c) => c.notNull())
        /** 'sent' over SMTP, or 'logged' (no SMTP_URL: written to the log and kept here). */
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('message_id', 'varchar(300)')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('emails_created_idx').on('emails').column('created_at').execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('emails').execute();
      await db.schema.dropTable('jobs').execute();
    },
  };
}
