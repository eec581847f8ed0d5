import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * LSOA boundaries for the choropleth of the strategic assessment (issue 17, ADR 0045): one row per LSOA with its
 * name, its outline as GeoJSON MultiPolygon coordinates (WGS84 longitude and latitude, rounded to 6 decimal places)
 * and its extent. National, not a partnership's; an import replaces the whole table.
 */
export function officialLsoaBoundaries(_engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('official_lsoa_boundaries')
        .addColumn('lsoa_code', 'varchar(20)', (c) => c.primaryKey())
        .addColumn('lsoa_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('code_year', 'varchar(4)', (c) => c.notNull())
        .addColumn('coordinates_json', 'text', (c) => c.notNull())
        .addColumn('min_longitude', 'real', (c) => c.notNull())
        .addColumn('min_latitude', 'real', (c) => c.notNull())
        .addColumn('max_longitude', 'real', (c) => c.notNull())
        .addColumn('max_latitude', 'real', (c) => c.notNull())
        .execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('official_lsoa_boundaries').execute();
    },
  };
}
