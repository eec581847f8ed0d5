import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * A percentage's or a rate's numerator and denominator per figure (issue 16, decision 0041): 81 of 263 for 30.8%, or
 * 152 offences in a population of 87,000 for a rate. With them the figure's Wilson interval (a proportion) or its
 * Poisson/Byar interval on the recorded population (a rate) can be worked out. Both null when not recorded.
 */
export function figureFractions(_engine: Engine) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('figures').addColumn('numerator', 'double precision').execute();
      await db.schema.alterTable('figures').addColumn('denominator', 'double precision').execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('figures').dropColumn('denominator').execute();
      await db.schema.alterTable('figures').dropColumn('numerator').execute();
    },
  };
}
