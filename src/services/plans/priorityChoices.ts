/**
 * The priorities a picker offers, each named with the plan and version it belongs to ("Anti-social behaviour —
 * Safer Rotherham Partnership Plan 2016-19"), since a refresh copies every priority and the titles repeat. Priorities
 * of superseded versions (decision 0021) are left out, except those already chosen, which stay (marked superseded)
 * so saving a form never drops a link made in an earlier year.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import { versionName } from '../../domain/planNames.ts';

export interface PriorityChoice {
  value: string;
  text: string;
}

export async function priorityChoices(
  db: Kysely<Database>,
  partnershipId: number,
  options: { versionId?: number; keepIds?: readonly (number | string)[] } = {},
): Promise<PriorityChoice[]> {
  let q = db
    .selectFrom('priorities')
    .innerJoin('plan_versions', 'plan_versions.id', 'priorities.plan_version_id')
    .innerJoin('plans', 'plans.id', 'plan_versions.plan_id')
    .select([
      'priorities.id',
      'priorities.title',
      'plans.title as planTitle',
      'plan_versions.label as versionLabel',
      'plan_versions.superseded_at as supersededAt',
    ])
    .where('priorities.partnership_id', '=', partnershipId)
    .where('plan_versions.partnership_id', '=', partnershipId);
  if (options.versionId !== undefined) q = q.where('priorities.plan_version_id', '=', options.versionId);
  const rows = await q.orderBy('plans.start_year', 'desc').orderBy('plan_versions.year', 'desc').orderBy('priorities.position').execute();
  const keep = new Set((options.keepIds ?? []).map(Number));
  return (
    rows
      // A version's own pickers offer its priorities whatever its state.
      .filter((r) => options.versionId !== undefined || r.supersededAt === null || keep.has(r.id))
      .map((r) => ({
        value: String(r.id),
        text: `${r.title} (${versionName(r.planTitle, r.versionLabel)}${r.supersededAt === null ? '' : ', superseded'})`,
      }))
  );
}
