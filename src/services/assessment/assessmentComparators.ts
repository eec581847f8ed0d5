/**
 * Comparators for the strategic assessment: other partnerships in this CSP Hub with an assessment area (their
 * local authorities or LSOA codes, and their latest population), and local authorities typed by name with a
 * population ("Barnsley, 246000"), one per line. The comparison itself is src/services/assessment/comparison.ts.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import type { ComparisonArea } from './comparison.ts';
import { populationFor } from '../../domain/crimeAssessment.ts';
import { Validator } from '../../domain/errors.ts';

export interface ComparablePartnership extends ComparisonArea {
  id: number;
  localAuthorities: string[];
}

export const MAX_COMPARATORS = 20;

const list = (s: string) => s.split('\n').filter((x) => x !== '');

/** Partnerships other than this one whose assessment area is defined, by name, with the population for a window ending in windowEnd. */
export async function comparablePartnerships(
  db: Kysely<Database>,
  partnershipId: number,
  windowEnd: string,
): Promise<ComparablePartnership[]> {
  const rows = await db
    .withTables<{ assessment_areas: { partnership_id: number; local_authorities: string; lsoa_codes: string } }>()
    .selectFrom('assessment_areas')
    .innerJoin('partnerships', 'partnerships.id', 'assessment_areas.partnership_id')
    .select([
      'partnerships.id as id',
      'partnerships.name as name',
      'assessment_areas.local_authorities as localAuthorities',
      'assessment_areas.lsoa_codes as lsoaCodes',
    ])
    .where('partnerships.id', '!=', partnershipId)
    .orderBy('partnerships.name')
    .execute();
  const populations = await db.selectFrom('partnership_populations').select(['partnership_id', 'year', 'population']).execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    localAuthorities: list(r.localAuthorities),
    area: { localAuthorities: list(r.localAuthorities), lsoaCodes: list(r.lsoaCodes) },
    population: populationFor(
      populations.filter((p) => p.partnership_id === r.id),
      windowEnd,
    ),
  }));
}

/** Local authorities typed one per line as "Name, population" (the population may have commas: "Barnsley, 246,000"). */
export function parseComparatorAuthorities(raw: unknown, v: Validator): ComparisonArea[] {
  const out: ComparisonArea[] = [];
  const lines = (typeof raw === 'string' ? raw : '').split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^\s*([^,]+?)\s*,\s*([\d,]+)\s*$/.exec(line);
    const population = m ? Number(m[2]!.replace(/,/g, '')) : NaN;
    if (!m || !Number.isInteger(population) || population <= 0) {
      v.add('authorities', `Line ${i + 1}: give a local authority name and its population, like "Barnsley, 246000"`);
      return;
    }
    if (m[1]!.length > 100) v.add('authorities', `Line ${i + 1}: the name must be 100 characters or fewer`);
    else out.push({ name: m[1]!, area: { localAuthorities: [m[1]!] }, population });
  });
  return out;
}
