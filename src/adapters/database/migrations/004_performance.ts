import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database.ts';
import { withId } from './helpers.ts';

/**
 * Performance management: indicators (the national Safer set as a read-only catalogue, partnership_id null,
 * and each partnership's own indicators), their links to plan priorities and objectives, baselines, targets,
 * figures with their revision history, RAG overrides and the partnership's amber tolerance.
 * Numbers are `double precision` (float8 on PostgreSQL, REAL on SQLite) so 5.65 reads back as 5.65.
 */
const NUMBER = 'double precision';

/** The Single Set of National Indicators (Safer), as listed in Appendix Two of the Rutland plan. */
const NATIONAL_SAFER_SET: [code: string, title: string, unit: string, polarity: string, oba: string][] = [
  ['NI 15', 'Serious violent crime rate', 'rate_per_1000', 'lower_is_better', 'better_off'],
  ['NI 16', 'Serious acquisitive crime rate', 'rate_per_1000', 'lower_is_better', 'better_off'],
  ['NI 17', 'Perceptions of anti-social behaviour', 'percentage', 'lower_is_better', 'better_off'],
  ['NI 18', 'Adult re-offending rates for those under probation supervision', 'percentage', 'lower_is_better', 'better_off'],
  ['NI 19', 'Rate of proven re-offending by young offenders', 'rate_per_100000', 'lower_is_better', 'better_off'],
  ['NI 20', 'Assault with injury crime rate', 'rate_per_1000', 'lower_is_better', 'better_off'],
  [
    'NI 21',
    'Dealing with local concerns about anti-social behaviour and crime by the local council and police',
    'percentage',
    'higher_is_better',
    'how_well',
  ],
  [
    'NI 22',
    'Perceptions of parents taking responsibility for the behaviour of their children in the area',
    'percentage',
    'higher_is_better',
    'better_off',
  ],
  [
    'NI 23',
    'Perceptions that people in the area treat one another with respect and dignity',
    'percentage',
    'higher_is_better',
    'better_off',
  ],
  [
    'NI 24',
    'Satisfaction with the way the police and local council dealt with anti-social behaviour',
    'percentage',
    'higher_is_better',
    'how_well',
  ],
  [
    'NI 25',
    'Satisfaction of different groups with the way the police and local council dealt with anti-social behaviour',
    'percentage',
    'higher_is_better',
    'how_well',
  ],
  ['NI 26', 'Specialist support to victims of a sexual offence', 'count', 'higher_is_better', 'how_much'],
  [
    'NI 27',
    'Understanding of local concerns about anti-social behaviour and crime by the local council and police',
    'percentage',
    'higher_is_better',
    'how_well',
  ],
  ['NI 28', 'Serious knife crime rate', 'rate_per_1000', 'lower_is_better', 'better_off'],
  ['NI 29', 'Gun crime rate', 'rate_per_1000', 'lower_is_better', 'better_off'],
  ['NI 30', 'Re-offending rate of prolific and priority offenders', 'percentage', 'lower_is_better', 'better_off'],
  ['NI 31', 'Re-offending rate of registered sex offenders', 'percentage', 'lower_is_better', 'better_off'],
  ['NI 32', 'Repeat incidents of domestic violence', 'percentage', 'lower_is_better', 'better_off'],
  ['NI 33', 'Arson incidents', 'count', 'lower_is_better', 'better_off'],
  ['NI 34', 'Domestic violence – murder', 'rate_per_1000', 'lower_is_better', 'better_off'],
  ['NI 35', 'Building resilience to violent extremism', 'score', 'higher_is_better', 'how_well'],
  ['NI 36', 'Protection against terrorist attack', 'score', 'higher_is_better', 'how_well'],
  ['NI 37', 'Awareness of civil protection arrangements in the local area', 'percentage', 'higher_is_better', 'how_well'],
  ['NI 38', 'Drug related (Class A) offending rate', 'score', 'lower_is_better', 'better_off'],
  ['NI 39', 'Alcohol harm related hospital admission rates', 'rate_per_100000', 'lower_is_better', 'better_off'],
  ['NI 40', 'Drug users in effective treatment', 'count', 'higher_is_better', 'how_much'],
  ['NI 41', 'Perceptions of drunk or rowdy behaviour as a problem', 'percentage', 'lower_is_better', 'better_off'],
  ['NI 42', 'Perceptions of drug use or dealing as a problem', 'percentage', 'lower_is_better', 'better_off'],
  [
    'NI 43',
    'Young people within the Youth Justice System receiving a conviction in court who are sentenced to custody',
    'percentage',
    'lower_is_better',
    'better_off',
  ],
  ['NI 44', 'Ethnic composition of offenders on Youth Justice disposals', 'percentage', 'monitor', 'how_well'],
  ['NI 45', 'Young offenders engagement in suitable education, employment or training', 'percentage', 'higher_is_better', 'better_off'],
  ['NI 46', 'Young offenders access to suitable accommodation', 'percentage', 'higher_is_better', 'better_off'],
  ['NI 47', 'People killed or seriously injured in road traffic accidents', 'count', 'lower_is_better', 'better_off'],
  ['NI 48', 'Children killed or seriously injured in road traffic accidents', 'count', 'lower_is_better', 'better_off'],
  [
    'NI 49',
    'Number of primary fires and related fatalities and non-fatal casualties, excluding precautionary checks',
    'count',
    'lower_is_better',
    'better_off',
  ],
  ['NI 111', 'First time entrants to the Youth Justice System aged 10 to 17', 'rate_per_100000', 'lower_is_better', 'better_off'],
];

export function performance(engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await withId(db.schema.createTable('indicators'), engine)
        /** Null for an entry of the national catalogue (read-only, shared by every partnership). */
        .addColumn('partnership_id', 'integer', (c) => c.references('partnerships.id').onDelete('cascade'))
        /** The national indicator a partnership's indicator measures, when it adopts one from the catalogue. */
        .addColumn('catalogue_indicator_id', 'integer', (c) => c.references('indicators.id').onDelete('set null'))
        .addColumn('code', 'varchar(40)', (c) => c.notNull().defaultTo(''))
        .addColumn('title', 'varchar(300)', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('data_source', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('unit', 'varchar(20)', (c) => c.notNull())
        .addColumn('polarity', 'varchar(20)', (c) => c.notNull())
        .addColumn('frequency', 'varchar(20)', (c) => c.notNull())
        .addColumn('owner', 'varchar(200)', (c) => c.notNull().defaultTo(''))
        .addColumn('oba_category', 'varchar(20)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('indicators_partnership_idx').on('indicators').columns(['partnership_id', 'code']).execute();

      await withId(db.schema.createTable('indicator_links'), engine)
        .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        .addColumn('priority_id', 'integer', (c) => c.references('priorities.id').onDelete('cascade'))
        .addColumn('objective_id', 'integer', (c) => c.references('objectives.id').onDelete('cascade'))
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('indicator_links_indicator_idx').on('indicator_links').column('indicator_id').execute();
      await db.schema.createIndex('indicator_links_priority_idx').on('indicator_links').column('priority_id').execute();

      await withId(db.schema.createTable('indicator_baselines'), engine)
        .addColumn('indicator_id', 'integer', (c) => c.notNull().unique().references('indicators.id').onDelete('cascade'))
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        .addColumn('value', NUMBER, (c) => c.notNull())
        .addColumn('period', 'varchar(20)', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();

      await withId(db.schema.createTable('indicator_targets'), engine)
        .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        .addColumn('kind', 'varchar(30)', (c) => c.notNull())
        /** The figure, percentage, amount, rate or maximum, depending on the kind. */
        .addColumn('value', NUMBER)
        .addColumn('direction', 'varchar(10)')
        .addColumn('rate_per', 'integer')
        .addColumn('comparison', 'varchar(10)')
        /** Period key by which the target applies, e.g. '2009/10'. */
        .addColumn('by_period', 'varchar(20)')
        .addColumn('span_from', 'varchar(7)')
        .addColumn('span_to', 'varchar(7)')
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('indicator_targets_indicator_idx').on('indicator_targets').column('indicator_id').execute();

      await withId(db.schema.createTable('figures'), engine)
        .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        .addColumn('period', 'varchar(20)', (c) => c.notNull())
        .addColumn('value', NUMBER, (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('entered_by', 'varchar(320)', (c) => c.notNull())
        .addColumn('entered_by_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('entered_at', 'varchar(32)', (c) => c.notNull())
        /** Set when a later figure for the same period replaces this one: revisions are kept as history. */
        .addColumn('superseded_at', 'varchar(32)')
        .execute();
      await db.schema.createIndex('figures_indicator_idx').on('figures').columns(['indicator_id', 'period']).execute();
      await db.schema
        .createIndex('figures_current_uq')
        .unique()
        .on('figures')
        .columns(['indicator_id', 'period'])
        .where(sql.ref('superseded_at'), 'is', null)
        .execute();

      await withId(db.schema.createTable('rag_overrides'), engine)
        .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
        .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
        .addColumn('period', 'varchar(20)', (c) => c.notNull())
        .addColumn('rag', 'varchar(10)', (c) => c.notNull())
        .addColumn('rule_rag', 'varchar(10)')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_by', 'varchar(320)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('removed_at', 'varchar(32)')
        .execute();
      await db.schema.createIndex('rag_overrides_indicator_idx').on('rag_overrides').columns(['indicator_id', 'period']).execute();

      await db.schema
        .createTable('performance_settings')
        .addColumn('partnership_id', 'integer', (c) => c.primaryKey().references('partnerships.id').onDelete('cascade'))
        .addColumn('amber_tolerance_percent', NUMBER, (c) => c.notNull().defaultTo(5))
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();

      const now = new Date().toISOString();
      await db
        .insertInto('indicators')
        .values(
          NATIONAL_SAFER_SET.map(([code, title, unit, polarity, oba]) => ({
            partnership_id: null,
            code,
            title,
            definition: `${title}, as defined in the Single Set of National Indicators (2008).`,
            data_source: 'Single Set of National Indicators (Safer), Communities and Local Government, 2008',
            unit,
            polarity,
            frequency:
              unit === 'percentage' && /Perception|Satisfaction|Understanding|Dealing|Awareness/.test(title) ? 'annual' : 'quarterly',
            owner: '',
            oba_category: oba,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
    },
  };
}
