import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';
import { withId } from './helpers.ts';

/**
 * Official data for the evidence base (issue 17, ADR 0028): the Home Office's police recorded crime by Community
 * Safety Partnership (CSPs and offences as lookups, counts by financial year and quarter), ONS mid-year population
 * estimates by area and year, the imports of both (status and progress), and each partnership's link to its CSP
 * with its peer group. Official tables are national, not a partnership's: only the link is partnership data.
 */
export function officialData(engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await withId(db.schema.createTable('official_csps'), engine)
        .addColumn('name', 'varchar(200)', (c) => c.notNull().unique())
        .addColumn('force_name', 'varchar(200)', (c) => c.notNull())
        .execute();
      await withId(db.schema.createTable('official_offences'), engine)
        .addColumn('code', 'varchar(20)', (c) => c.notNull().unique())
        .addColumn('description', 'varchar(300)', (c) => c.notNull())
        .addColumn('offence_group', 'varchar(200)', (c) => c.notNull())
        .addColumn('offence_subgroup', 'varchar(200)', (c) => c.notNull())
        .execute();
      // No surrogate key: over a million rows, written and replaced a year at a time.
      await db.schema
        .createTable('official_crime_counts')
        .addColumn('csp_id', 'integer', (c) => c.notNull().references('official_csps.id'))
        .addColumn('offence_id', 'integer', (c) => c.notNull().references('official_offences.id'))
        .addColumn('financial_year', 'integer', (c) => c.notNull())
        .addColumn('quarter', 'integer', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('official_crime_counts_csp_year')
        .on('official_crime_counts')
        .columns(['csp_id', 'financial_year'])
        .execute();
      await db.schema.createIndex('official_crime_counts_year').on('official_crime_counts').column('financial_year').execute();

      await withId(db.schema.createTable('official_populations'), engine)
        .addColumn('area_code', 'varchar(20)', (c) => c.notNull())
        .addColumn('area_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('geography', 'varchar(50)', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('population', 'integer', (c) => c.notNull())
        .addColumn('area_sq_km', 'real')
        .addUniqueConstraint('official_populations_code_year', ['area_code', 'year'])
        .execute();
      await db.schema.createIndex('official_populations_name').on('official_populations').column('area_name').execute();

      await withId(db.schema.createTable('official_data_imports'), engine)
        .addColumn('kind', 'varchar(20)', (c) => c.notNull())
        .addColumn('file_name', 'varchar(300)', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('stage', 'varchar(20)', (c) => c.notNull())
        .addColumn('rows_read', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('rows_written', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('years', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('errors_json', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('started_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('started_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('finished_at', 'varchar(32)')
        .execute();

      await withId(db.schema.createTable('partnership_official_links'), engine)
        .addColumn('partnership_id', 'integer', (c) => c.notNull().unique().references('partnerships.id').onDelete('cascade'))
        .addColumn('csp_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('peer_method', 'varchar(20)', (c) => c.notNull())
        .addColumn('peers', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      for (const t of [
        'partnership_official_links',
        'official_data_imports',
        'official_populations',
        'official_crime_counts',
        'official_offences',
        'official_csps',
      ])
        await db.schema.dropTable(t).execute();
    },
  };
}
