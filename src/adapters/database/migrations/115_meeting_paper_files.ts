import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';
import { binaryType } from './helpers.ts';

/**
 * Uploaded meeting papers (issue 18, ADR 0040): a paper can be a file (PDF, DOCX, XLSX, ODT, CSV) instead of a
 * link. Its name, type and size are on the paper; its bytes are in a table of their own (one row per paper), so
 * that lists of papers never read the files, and every instance of the app serves them from the database.
 */
export function meetingPaperFiles(engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('meeting_papers').addColumn('file_name', 'varchar(255)').execute();
      await db.schema.alterTable('meeting_papers').addColumn('content_type', 'varchar(120)').execute();
      await db.schema.alterTable('meeting_papers').addColumn('size_bytes', 'integer').execute();
      await db.schema
        .createTable('meeting_paper_files')
        .addColumn('paper_id', 'integer', (c) => c.primaryKey().references('meeting_papers.id').onDelete('cascade'))
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        .addColumn('content', binaryType(engine), (c) => c.notNull())
        .execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('meeting_paper_files').execute();
      await db.schema.alterTable('meeting_papers').dropColumn('size_bytes').execute();
      await db.schema.alterTable('meeting_papers').dropColumn('content_type').execute();
      await db.schema.alterTable('meeting_papers').dropColumn('file_name').execute();
    },
  };
}
