import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * What a published plan version shows the public besides the plan itself (issue 13): its risk registers and its
 * funding, fixed when the version is published from the partnership's settings at that moment, so changing the
 * settings for a later plan never opens up (or hides) what an earlier published plan showed. Null for versions
 * never published; versions already published take the partnership's settings as they are now.
 */
export function versionPublicParts(_engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('plan_versions').addColumn('public_risks', 'integer').execute();
      await db.schema.alterTable('plan_versions').addColumn('public_funding', 'integer').execute();
      await sql`update plan_versions set
          public_risks = (select p.public_risks from partnerships p where p.id = plan_versions.partnership_id),
          public_funding = (select p.public_funding from partnerships p where p.id = plan_versions.partnership_id)
        where status = 'published'`.execute(db);
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('plan_versions').dropColumn('public_funding').execute();
      await db.schema.alterTable('plan_versions').dropColumn('public_risks').execute();
    },
  };
}
