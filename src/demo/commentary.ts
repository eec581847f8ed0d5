/**
 * Demo commentary and highlight reports for Safer Rotherham's Q4 2019/20 (January to March 2020), from the facts
 * and figures of the review of the Safer Rotherham Partnership Plan 2018-2021, written in CSP Hub's own words.
 * Loaded through the services, like everything else, after the plans and indicators.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../adapters/database/schema.ts';
import type { Actor } from '../services/platform/audit.ts';
import { writeCommentary } from '../services/performance/commentary.ts';
import { createHighlightReport } from '../services/performance/highlightReports.ts';
import { listIndicators } from '../services/performance/indicators.ts';
import { currentPlanVersion } from '../services/plans/plans.ts';

export interface DemoCommentary {
  code: string;
  period: string;
  text: string;
}

export interface DemoHighlightReport {
  priority: string;
  month: string;
  author: string;
  progress: string;
  milestonesAchieved: string;
  milestonesNext: string;
  issuesRisks: string;
  boardRequests: string;
  rag: 'red' | 'amber' | 'green';
}

/** Who writes the demo commentary: the group that owns the indicators. */
export const ROTHERHAM_COMMENTARY_AUTHOR = 'Performance & Delivery Group lead (demo data)';

/** The lead's commentary on Q4 2019/20 for indicators whose series the review prints. */
export const ROTHERHAM_Q4_COMMENTARY: DemoCommentary[] = [
  {
    code: 'SRP 17',
    period: '2019-20 Q4',
    text:
      'The quarter saw 1,275 incidents reported to the police, slightly more than the 1,264 of January to March 2019, but the year closed at 5,740: 881 (13%) fewer than in 2018/19.\n' +
      'Police and council officers now work from the same three locality teams, and partners credit the shared caseload with quicker action on repeat problems. Lockdown began in the last week of March, so April to June will be watched closely.',
  },
  {
    code: 'SRP 22',
    period: '2019-20 Q4',
    text: 'There is no figure for this quarter: the March 2020 survey did not take place. The three surveys of the year put the share who see anti-social behaviour as a big or fairly big problem at 38-39%, below the 43-48% of July 2018 to March 2019.',
  },
  {
    code: 'SRP 14',
    period: '2019-20 Q4',
    text: 'Referrals into domestic abuse support services reached 753 in the quarter, the highest of the year, for a total of 2,913 in 2019/20, the first year the Board has monitored this measure. Stronger co-ordination of the MARAC is helping victims reach the right service sooner.',
  },
  {
    code: 'SRP 34',
    period: '2019-20 Q4',
    text: 'Violence with injury fell to 561 offences, the lowest quarter of the year (692 in October to December); offences have been falling since December 2019. The year total was 2,696. The South Yorkshire Violence Reduction Unit’s public health approach underpins the local violence reduction action plan.',
  },
  {
    code: 'SRP R3',
    period: '2019-20 Q4',
    text: 'Offences involving a knife or bladed article dropped to 77 from 104 in the previous quarter; 352 were recorded across 2019/20. Knife carrying remains a concern for the partnership and is a focus of the Violence Reduction Unit’s work in the borough.',
  },
  {
    code: 'SRP R1',
    period: '2019-20 Q4',
    text: 'The Community MARAC took 22 referrals this quarter, its busiest quarter in two years; 108 vulnerable or repeat victims have been supported over 2018/19 and 2019/20 together.',
  },
];

/** Two priority groups' highlight reports for March 2020. */
export const ROTHERHAM_HIGHLIGHT_REPORTS: DemoHighlightReport[] = [
  {
    priority: 'Reducing and Managing Anti-social Behaviour (ASB) and Criminal Damage',
    month: '2020-03',
    author: 'Chair, Anti-social Behaviour priority group (demo data)',
    progress:
      'The new anti-social behaviour service is in place, with police and council officers sharing three locality teams. Reported incidents for 2019/20 are 881 (13%) below 2018/19.\n' +
      'The locality teams continue to concentrate on the community safety priority locations.',
    milestonesAchieved: 'Police and council officers co-located in all three locality teams.',
    milestonesNext: 'Report on how anti-social behaviour changes under lockdown, using the April to June figures.',
    issuesRisks:
      'Lockdown from late March is likely to change where and how anti-social behaviour happens, and may take officers away from locality work.',
    boardRequests:
      'Note the reduction in reported anti-social behaviour over 2019/20, and ask the group to report on the effect of lockdown at the next Board meeting.',
    rag: 'green',
  },
  {
    priority: 'Reducing the Threat of Domestic Abuse and reducing the harm to victims and survivors',
    month: '2020-03',
    author: 'Chair, Domestic Abuse and Sexual Violence priority group (demo data)',
    progress:
      'The MARAC discussed 521 high-risk cases in 2019/20, 33% of them repeat cases (35% of 468 in 2018/19). 2,913 referrals were made to domestic abuse support services over the year.\n' +
      'The review of commissioned domestic abuse services has been carried out, and the Inspire to Change programme continues to take referrals for people who have been abusive.',
    milestonesAchieved:
      'Full review of commissioned domestic abuse services carried out. Referrals into support services monitored by the Board for the first time.',
    milestonesNext: 'Present the review’s report and recommendations, leading to a decision on the future of the core services.',
    issuesRisks: 'Lockdown may make it harder for victims to ask for help; MARAC meetings will have to continue online.',
    boardRequests:
      'Receive the report of the review of commissioned domestic abuse services at a coming meeting and decide the future of the core services.',
    rag: 'amber',
  },
];

/** Writes a partnership's demo commentary and highlight reports (Safer Rotherham only). */
export async function seedDemoCommentary(db: Kysely<Database>, actor: Actor, partnershipId: number, name: string): Promise<void> {
  if (name !== 'Safer Rotherham Partnership') return;
  const indicators = await listIndicators(db, partnershipId);
  const author: Actor = { userId: actor.userId, label: ROTHERHAM_COMMENTARY_AUTHOR };
  for (const c of ROTHERHAM_Q4_COMMENTARY) {
    const indicator = indicators.find((i) => i.code === c.code);
    if (!indicator) throw new Error(`No demo indicator ${c.code}`);
    await writeCommentary(db, author, partnershipId, indicator.id, { period: c.period, text: c.text });
  }
  const version = await currentPlanVersion(db, partnershipId, 2019);
  if (!version) throw new Error('Safer Rotherham has no plan for its highlight reports');
  const priorities = await db
    .selectFrom('priorities')
    .select(['id', 'title'])
    .where('partnership_id', '=', partnershipId)
    .where('plan_version_id', '=', version.id)
    .execute();
  for (const h of ROTHERHAM_HIGHLIGHT_REPORTS) {
    const priority = priorities.find((p) => p.title === h.priority);
    if (!priority) throw new Error(`No demo priority ${h.priority}`);
    const { priority: _title, author: label, ...input } = h;
    await createHighlightReport(db, { userId: actor.userId, label }, partnershipId, priority.id, input);
  }
}
