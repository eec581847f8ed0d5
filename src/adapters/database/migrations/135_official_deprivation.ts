import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * The English Indices of Deprivation 2019 by LSOA (File 7; issue 17, ADR 0044): one row per LSOA with its IMD score,
 * rank and decile, the Crime domain's, and the population the indices use. National, not a partnership's; an import
 * replaces the whole table.
 */
export function officialDeprivation(_engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('official_deprivation')
        .addColumn('lsoa_code', 'varchar(20)', (c) => c.primaryKey())
        .addColumn('lsoa_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('la_code', 'varchar(20)', (c) => c.notNull())
        .addColumn('la_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('imd_score', 'real', (c) => c.notNull())
        .addColumn('imd_rank', 'integer', (c) => c.notNull())
        .addColumn('imd_decile', 'integer', (c) => c.notNull())
        .addColumn('crime_score', 'real', (c) => c.notNull())
        .addColumn('crime_rank', 'integer', (c) => c.notNull())
        .addColumn('crime_decile', 'integer', (c) => c.notNull())
        .addColumn('population', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('official_deprivation_la').on('official_deprivation').column('la_name').execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('official_deprivation').execute();
    },
  };
}
