import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * The request id (X-Request-Id) of the request that asked for a document, so that the log lines of the job, on
 * whichever instance generates it, carry the same id as the request's (issue 19).
 */
export function documentJobRequestId(_engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('document_jobs').addColumn('request_id', 'varchar(100)').execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('document_jobs').dropColumn('request_id').execute();
    },
  };
}
