/**
 * The scorecard: the partnership's indicators by plan priority (newest plan version first), each priority's
 * indicators grouped by the three outcome-based accountability questions, then the indicators not linked to any
 * priority. One structure for the scorecard page and its CSV/XLSX download.
 */
import type { Kysely } from 'kysely';
import { OBA_CATEGORIES, type Database } from '../../adapters/database/schema.ts';
import { OBA_LABELS } from './indicators.ts';
import { partnershipPerformance, type IndicatorPerformance } from './performance.ts';
import { versionName } from '../../domain/planNames.ts';

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
    .select([
      'priorities.id',
      'priorities.title',
      'priorities.copied_from_priority_id as copiedFrom',
      'plans.title as planTitle',
      'plan_versions.label as planLabel',
      'plan_versions.superseded_at as supersededAt',
    ])
    .where('priorities.partnership_id', '=', partnershipId)
    .orderBy('priorities.plan_version_id', 'desc')
    .orderBy('priorities.position')
    .execute();
  // Priorities of superseded versions (decision 0021) are not sections; their links carry on to the copies made of
  // them at each refresh, so an indicator linked in an earlier year is shown under the priority's current copy.
  const copiedFrom = new Map(priorities.map((p) => [p.id, p.copiedFrom]));
  const lineage = (id: number): Set<number> => {
    const out = new Set<number>();
    for (let cursor: number | null | undefined = id; cursor != null && !out.has(cursor); cursor = copiedFrom.get(cursor)) out.add(cursor);
    return out;
  };
  const objectives = await db.selectFrom('objectives').select(['id', 'priority_id']).where('partnership_id', '=', partnershipId).execute();
  const priorityOf = new Map(objectives.map((o) => [o.id, o.priority_id]));
  const groups = (list: IndicatorPerformance[]): ScorecardGroup[] =>
    OBA_CATEGORIES.map((c) => ({ question: OBA_LABELS[c], indicators: list.filter((p) => p.indicator.oba_category === c) })).filter(
      (g) => g.indicators.length > 0,
    );
  const shown = new Set<number>();
  const linked = (priorityId: number) => {
    const ids = lineage(priorityId);
    const list = all.filter(
      (p) => p.indicator.priorityIds.some((id) => ids.has(id)) || p.indicator.objectiveIds.some((o) => ids.has(priorityOf.get(o) ?? -1)),
    );
    for (const p of list) shown.add(p.indicator.id);
    return list;
  };
  const sections: ScorecardSection[] = priorities
    .filter((pr) => pr.supersededAt === null)
    .map((pr) => ({ title: pr.title, plan: versionName(pr.planTitle, pr.planLabel), groups: groups(linked(pr.id)) }))
    .filter((s) => s.groups.length > 0);
  const unlinked = all.filter((p) => !shown.has(p.indicator.id));
  if (unlinked.length > 0) sections.push({ title: 'Indicators not linked to a priority', groups: groups(unlinked) });
  return sections;
}

/** The partnership's scorecard from each indicator's latest period. */
export async function scorecard(db: Kysely<Database>, partnershipId: number): Promise<ScorecardSection[]> {
  return scorecardSections(db, partnershipId, await partnershipPerformance(db, partnershipId, { latestOnly: true }));
}
