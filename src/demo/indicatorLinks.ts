/**
 * Which plan priorities (or objectives) each demo indicator serves, so the demo scorecards group indicators under
 * their priorities. Taken from the seed documents:
 * - Rutland 2008-11: each priority's targets table lists its national and local indicators (anti-social
 *   behaviour: NI 111, 42, 17 and 41; road safety: NI 47, the Pass Plus target and NI 48; volume crime: NI 16,
 *   the reported domestic violence target and NI 39; re-offending's NI 18, 19 and 30 are not in the demo).
 * - Safer Rotherham 2016-19: the 38 performance indicators for 2016/17 are listed under the six priorities
 *   (child sexual exploitation 1-5, confident and cohesive communities 6-10, domestic abuse 11-16, anti-social
 *   behaviour and criminal damage 17-27, domestic burglary 28-32, violent crime and sexual offences 33-38).
 * - Safer Rotherham 2010/11: the six headline indicators are not printed against priorities; each is linked to
 *   the priority (or objective) whose subject it measures.
 * - Rochford: the indicators are the 2009/10 priorities' results; those whose subject carries on into the
 *   2010/11 priorities (anti-social behaviour, domestic abuse reporting and repeats, alcohol-related disorder)
 *   are linked to them. Domestic burglary and all crime have no 2010/11 priority and stay unlinked.
 * The review's added indicators (SRP R1-R4, for the 2018-21 plan, which the demo does not hold) and the
 * illustrative SRP D1 stay unlinked too.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../adapters/database/schema.ts';
import type { Actor } from '../services/platform/audit.ts';
import { inputFromIndicator, listIndicatorDetails, updateIndicator } from '../services/performance/indicators.ts';

export interface DemoIndicatorLink {
  /** Label of the plan version, as in src/demo/plans.ts. */
  plan: string;
  priority: string;
  /** Link to this objective of the priority instead of the priority itself. */
  objective?: string;
  /** Indicator codes. */
  indicators: string[];
}

const srp = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `SRP ${from + i}`);

export const DEMO_INDICATOR_LINKS: Record<string, DemoIndicatorLink[]> = {
  'Rutland Community Safety Partnership': [
    { plan: '2008-11', priority: 'Anti Social Behaviour', indicators: ['NI 111', 'NI 42', 'NI 17', 'NI 41'] },
    {
      plan: '2008-11',
      priority: 'Road Safety',
      objective: 'Reduce the number of people killed or seriously injured on Rutland roads',
      indicators: ['NI 47', 'NI 48'],
    },
    { plan: '2008-11', priority: 'Road Safety', objective: 'Increase participation in the Pass Plus scheme', indicators: ['RUT L1'] },
    { plan: '2008-11', priority: 'Volume Crime', objective: 'Reduce serious volume crime', indicators: ['RUT L2', 'NI 16', 'NI 39'] },
  ],
  'Safer Rotherham Partnership': [
    {
      plan: '2016-19',
      priority: 'Reducing the Threat of Child Sexual Exploitation (CSE) and the Harm to Victims and Survivors',
      indicators: srp(1, 5),
    },
    { plan: '2016-19', priority: 'Building Confident and Cohesive Communities', indicators: srp(6, 10) },
    {
      plan: '2016-19',
      priority: 'Reducing the Threat of Domestic Abuse and reducing the harm to victims and survivors',
      indicators: srp(11, 16),
    },
    { plan: '2016-19', priority: 'Reducing and Managing Anti-social Behaviour (ASB) and Criminal Damage', indicators: srp(17, 27) },
    { plan: '2016-19', priority: 'Reducing the Risk of Becoming a Victim of Domestic Burglary', indicators: srp(28, 32) },
    { plan: '2016-19', priority: 'Reducing Violent Crime and Sexual Offences', indicators: srp(33, 38) },
    {
      plan: '2010/11 refresh',
      priority:
        'Reducing and managing perceptions of crime and anti-social behaviour and improving community confidence and public satisfaction',
      indicators: ['NI 17'],
    },
    {
      plan: '2010/11 refresh',
      priority: 'Serious Acquisitive Crime',
      objective: 'Reducing serious acquisitive crime (Burglary, robbery, theft of and theft from motor vehicle)',
      indicators: ['NI 16'],
    },
    { plan: '2010/11 refresh', priority: 'Reducing Re-Offending and Managing Offending Behaviour', indicators: ['NI 111'] },
    {
      plan: '2010/11 refresh',
      priority: 'Reducing Re-Offending and Managing Offending Behaviour',
      objective: 'Reducing offending behaviour by addressing risks and harms',
      indicators: ['NI 18'],
    },
    {
      plan: '2010/11 refresh',
      priority: 'Serious Violent Crime',
      objective: 'Reduce violent crime, including domestic abuse across the borough',
      indicators: ['NI 20'],
    },
    {
      plan: '2010/11 refresh',
      priority: 'Improving lives by reducing the harm caused by substance misuse',
      objective: 'To increase the numbers of problematic drug users accessing treatment.',
      indicators: ['NI 40'],
    },
  ],
  'Rochford Community Safety Partnership': [
    { plan: '2010/11 review', priority: 'Reduce anti-social behaviour by 10% during 2010/2011', indicators: ['RCH 2'] },
    {
      plan: '2010/11 review',
      priority:
        'Reduce the number of repeat incidents of domestic violence cases reviewed at MARAC and increase reporting rates of domestic abuse by 10%',
      indicators: ['RCH 3', 'RCH 4'],
    },
    {
      plan: '2010/11 review',
      priority: 'Reduce alcohol related disorder by 5% during 2010/2011 and increase baseline data on drug offences and service provision',
      indicators: ['RCH 5'],
    },
  ],
};

/** Links the partnership's demo indicators to the priorities and objectives above (through the indicator service, audited). */
export async function seedIndicatorLinks(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  partnershipName: string,
): Promise<void> {
  const links = DEMO_INDICATOR_LINKS[partnershipName] ?? [];
  if (links.length === 0) return;
  const priorities = await db
    .selectFrom('priorities')
    .innerJoin('plan_versions', 'plan_versions.id', 'priorities.plan_version_id')
    .select(['priorities.id', 'priorities.title', 'plan_versions.label'])
    .where('priorities.partnership_id', '=', partnershipId)
    .execute();
  const objectives = await db
    .selectFrom('objectives')
    .select(['id', 'priority_id', 'title'])
    .where('partnership_id', '=', partnershipId)
    .execute();
  const wanted = new Map<string, { priorityIds: Set<number>; objectiveIds: Set<number> }>();
  for (const link of links) {
    const priority = priorities.find((p) => p.label === link.plan && p.title === link.priority);
    if (!priority) throw new Error(`Demo link: no priority "${link.priority}" in plan ${link.plan} of ${partnershipName}`);
    const objective =
      link.objective === undefined ? undefined : objectives.find((o) => o.priority_id === priority.id && o.title === link.objective);
    if (link.objective !== undefined && !objective) throw new Error(`Demo link: no objective "${link.objective}" under "${link.priority}"`);
    for (const code of link.indicators) {
      const w = wanted.get(code) ?? { priorityIds: new Set<number>(), objectiveIds: new Set<number>() };
      if (objective) w.objectiveIds.add(objective.id);
      else w.priorityIds.add(priority.id);
      wanted.set(code, w);
    }
  }
  const indicators = await listIndicatorDetails(db, partnershipId);
  for (const [code, w] of wanted) {
    const i = indicators.find((x) => x.code === code);
    if (!i) throw new Error(`Demo link: no indicator ${code} in ${partnershipName}`);
    await updateIndicator(db, actor, partnershipId, i.id, {
      ...inputFromIndicator(i),
      priorityIds: [...w.priorityIds].map(String),
      objectiveIds: [...w.objectiveIds].map(String),
    });
  }
}
