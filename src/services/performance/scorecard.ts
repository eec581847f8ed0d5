/**
 * The scorecard: the partnership's indicators by plan priority (newest plan version first), each priority's
 * indicators grouped by the three outcome-based accountability questions, then the indicators not linked to any
 * priority. One structure for the scorecard page and its CSV/XLSX download.
 */
import type { Kysely } from 'kysely';
import { OBA_CATEGORIES, type Database } from '../../adapters/database/schema.ts';
import { OBA_LABELS } from './indicators.ts';
import { partnershipPerformance, type IndicatorPerformance } from './performance.ts';

export interface ScorecardGroup {
  question: string;
  indicators: IndicatorPerformance[];
}

export interface ScorecardSection {
  title: string;
  /** The plan and version the priority belongs to; absent for the unlinked indicators. */
  plan?: string;
  groups: ScorecardGroup[];
}

export async function scorecardSections(
  db: Kysely<Database>,
  partnershipId: number,
  all: IndicatorPerformance[],
): Promise<ScorecardSection[]> {
  const priorities = await db
    .selectFrom('priorities')
    .innerJoin('plan_versions', 'plan_versions.id', 'priorities.plan_version_id')
    .innerJoin('plans', 'plans.id', 'plan_versions.plan_id')
    .select(['priorities.id', 'priorities.title', 'plans.title as planTitle', 'plan_versions.label as planLabel'])
    .where('priorities.partnership_id', '=', partnershipId)
    .orderBy('priorities.plan_version_id', 'desc')
    .orderBy('priorities.position')
    .execute();
  const objectives = await db.selectFrom('objectives').select(['id', 'priority_id']).where('partnership_id', '=', partnershipId).execute();
  const priorityOf = new Map(objectives.map((o) => [o.id, o.priority_id]));
  const groups = (list: IndicatorPerformance[]): ScorecardGroup[] =>
    OBA_CATEGORIES.map((c) => ({ question: OBA_LABELS[c], indicators: list.filter((p) => p.indicator.oba_category === c) })).filter(
      (g) => g.indicators.length > 0,
    );
  const linked = (priorityId: number) =>
    all.filter(
      (p) => p.indicator.priorityIds.includes(priorityId) || p.indicator.objectiveIds.some((o) => priorityOf.get(o) === priorityId),
    );
  const sections: ScorecardSection[] = priorities
    .map((pr) => ({ title: pr.title, plan: `${pr.planTitle} ${pr.planLabel}`, groups: groups(linked(pr.id)) }))
    .filter((s) => s.groups.length > 0);
  const unlinked = all.filter((p) => p.indicator.priorityIds.length === 0 && p.indicator.objectiveIds.length === 0);
  if (unlinked.length > 0) sections.push({ title: 'Indicators not linked to a priority', groups: groups(unlinked) });
  return sections;
}

/** The partnership's scorecard from each indicator's latest period. */
export async function scorecard(db: Kysely<Database>, partnershipId: number): Promise<ScorecardSection[]> {
  return scorecardSections(db, partnershipId, await partnershipPerformance(db, partnershipId, { latestOnly: true }));
}
