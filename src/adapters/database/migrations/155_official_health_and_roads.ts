import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';
import { withId } from './helpers.ts';

/**
 * More official sources (issue 17 item 6, ADR 0046): OHID Fingertips indicator values by area and time period, and
 * the DfT road casualty statistics (STATS19) collisions. National, not a partnership's: a Fingertips import replaces
 * the indicators its file holds, a collision import the years its file holds.
 */
export function officialHealthAndRoads(engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await withId(db.schema.createTable('official_fingertips'), engine)
        .addColumn('indicator_id', 'integer', (c) => c.notNull())
        .addColumn('indicator_name', 'varchar(300)', (c) => c.notNull())
        .addColumn('area_code', 'varchar(20)', (c) => c.notNull())
        .addColumn('area_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('area_type', 'varchar(100)', (c) => c.notNull())
        .addColumn('sex', 'varchar(50)', (c) => c.notNull())
        .addColumn('age', 'varchar(50)', (c) => c.notNull())
        .addColumn('category_type', 'varchar(200)', (c) => c.notNull())
        .addColumn('category', 'varchar(200)', (c) => c.notNull())
        .addColumn('time_period', 'varchar(40)', (c) => c.notNull())
        .addColumn('value', 'real')
        .addColumn('lower95', 'real')
        .addColumn('upper95', 'real')
        .addColumn('lower998', 'real')
        .addColumn('upper998', 'real')
        .addColumn('count', 'real')
        .addColumn('denominator', 'real')
        .addColumn('value_note', 'varchar(300)', (c) => c.notNull())
        .addColumn('compared_to_england', 'varchar(200)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('official_fingertips_area').on('official_fingertips').columns(['area_code', 'indicator_id']).execute();
      await db.schema.createIndex('official_fingertips_indicator').on('official_fingertips').column('indicator_id').execute();

      await db.schema
        .createTable('official_road_collisions')
        .addColumn('collision_index', 'varchar(30)', (c) => c.primaryKey())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('collision_date', 'varchar(10)', (c) => c.notNull())
        .addColumn('severity', 'integer', (c) => c.notNull())
        .addColumn('casualties', 'integer', (c) => c.notNull())
        .addColumn('la_code', 'varchar(20)', (c) => c.notNull())
        .addColumn('lsoa_code', 'varchar(20)', (c) => c.notNull())
        .addColumn('police_force', 'integer')
        .addColumn('longitude', 'real')
        .addColumn('latitude', 'real')
        .execute();
      await db.schema.createIndex('official_road_collisions_la').on('official_road_collisions').columns(['la_code', 'year']).execute();
      await db.schema.createIndex('official_road_collisions_year').on('official_road_collisions').column('year').execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('official_road_collisions').execute();
      await db.schema.dropTable('official_fingertips').execute();
    },
  };
}
