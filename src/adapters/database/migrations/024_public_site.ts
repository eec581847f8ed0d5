import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * The public site (issue 13, decision 0021): the contact details shown on a partnership's public pages, and whether
 * its public plan document includes the risk registers and the funding (left out unless the partnership chooses).
 */
export function publicSite(_engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .alterTable('partnerships')
        .addColumn('contact_email', 'varchar(320)', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .alterTable('partnerships')
        .addColumn('contact_phone', 'varchar(100)', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .alterTable('partnerships')
        .addColumn('contact_address', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .alterTable('partnerships')
        .addColumn('public_risks', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('partnerships')
        .addColumn('public_funding', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      for (const c of ['public_funding', 'public_risks', 'contact_address', 'contact_phone', 'contact_email'])
        await db.schema.alterTable('partnerships').dropColumn(c).execute();
    },
  };
}
