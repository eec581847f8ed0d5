import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * Risk owners (issue 14, ADR 0050): a risk gets an owner who is a member of the partnership and the owner's partner
 * organisation, as indicators and delivery activities have had since 030_collection_owners. The free-text "partner
 * responsible" stays for people without an account. The owner sees the risk's review in "Needs my attention" and in
 * their weekly digest. Set to null if the account or organisation is ever deleted.
 */
export function riskOwners(_engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      // One column per statement: SQLite adds a single column per ALTER TABLE.
      await db.schema
        .alterTable('risks')
        .addColumn('owner_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .execute();
      await db.schema
        .alterTable('risks')
        .addColumn('owner_organisation_id', 'integer', (c) => c.references('organisations.id').onDelete('set null'))
        .execute();
      await db.schema.createIndex('risks_owner_user_idx').on('risks').column('owner_user_id').execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropIndex('risks_owner_user_idx').execute();
      await db.schema.alterTable('risks').dropColumn('owner_organisation_id').execute();
      await db.schema.alterTable('risks').dropColumn('owner_user_id').execute();
    },
  };
}
