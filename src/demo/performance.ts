/**
 * Demo performance data from the seed documents: indicator names, baselines, targets and figures as
 * published; definitions in CSP Hub's own words. Loaded through the services like everything else.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../adapters/database/schema.ts';
import type { Actor } from '../services/platform/audit.ts';
import { createIndicator, getCatalogueIndicator, listCatalogue, type IndicatorInput } from '../services/performance/indicators.ts';
import { saveSpcMark, type SpcMarkInput } from '../services/performance/spcMarks.ts';
import { enterFigures } from '../services/performance/figures.ts';
import { overrideRag } from '../services/performance/ragOverrides.ts';

export interface DemoIndicator extends IndicatorInput {
  /** Code of a national indicator this one adopts (e.g. 'NI 20'). */
  national?: string;
  figures?: { period: string; value: number; source?: string }[];
  override?: { period: string; rag: 'red' | 'amber' | 'green'; reason: string };
  /** SPC change dates, excluded points and notes (issue 16), so the SPC pages show them out of the box. */
  spc?: SpcMarkInput[];
}

const ROCHFORD_SOURCE = 'Rochford Community Safety Partnership Plan 2010/11, achievements against the 2009/10 priorities';
const rochford = (
  code: string,
  title: string,
  definition: string,
  before: number,
  after: number,
  target: Partial<IndicatorInput>,
  extra: Partial<DemoIndicator> = {},
): DemoIndicator => ({
  code,
  title,
  definition,
  dataSource: 'Essex Police recorded crime and incident data',
  unit: 'count',
  polarity: 'lower_is_better',
  frequency: 'annual',
  obaCategory: 'better_off',
  owner: 'Rochford CSP Steering Group',
  baselineValue: String(before),
  baselinePeriod: '2008/09',
  baselineSource: ROCHFORD_SOURCE,
  targetBy: '2009/10',
  ...target,
  figures: [
    { period: '2008/09', value: before, source: ROCHFORD_SOURCE },
    { period: '2009/10', value: after, source: ROCHFORD_SOURCE },
  ],
  ...extra,
});

/** Rochford's 2009/10 priorities: April 2008-March 2009 against April 2009-March 2010. */
export const ROCHFORD_INDICATORS: DemoIndicator[] = [
  rochford(
    'RCH 1',
    'Domestic burglary',
    'Domestic burglary offences recorded by the police in the district during the financial year.',
    170,
    152,
    { targetKind: 'percentage_change', targetDirection: 'reduce', targetValue: '5' },
  ),
  rochford(
    'RCH 2',
    'Anti-social behaviour incidents',
    'Incidents of anti-social behaviour reported to the police in the district during the financial year.',
    2167,
    2080,
    { targetKind: 'percentage_change', targetDirection: 'reduce', targetValue: '5' },
  ),
  rochford(
    'RCH 3',
    'Reported domestic abuse',
    'Incidents of domestic abuse reported to the police: the partnership wants more victims to come forward.',
    695,
    626,
    { targetKind: 'percentage_change', targetDirection: 'increase', targetValue: '5' },
    { polarity: 'higher_is_better', obaCategory: 'how_well' },
  ),
  rochford(
    'RCH 4',
    'Repeat incidents of domestic abuse',
    'Domestic abuse incidents involving a victim who had reported an incident before.',
    266,
    279,
    { targetKind: 'percentage_change', targetDirection: 'reduce', targetValue: '5' },
  ),
  rochford(
    'RCH 5',
    'Alcohol related disorder (assault with less serious injury)',
    'Assaults with less serious injury, used by the partnership as its measure of alcohol-related disorder (the offences of NI 20).',
    215,
    181,
    { targetKind: 'percentage_change', targetDirection: 'reduce', targetValue: '5' },
    {
      national: 'NI 20',
      override: {
        period: '2009/10',
        rag: 'amber',
        reason: 'Shown as amber in the published 2010/11 plan: the steering group judged the fall in recorded assaults not yet sustained.',
      },
    },
  ),
  rochford(
    'RCH 6',
    'All crime',
    'All crime recorded by the police in the district during the financial year.',
    2802,
    2650,
    { targetKind: 'to_be_agreed' },
    {
      override: {
        period: '2009/10',
        rag: 'amber',
        reason: 'Shown as amber in the published 2010/11 plan; the plan sets no numeric target for all crime.',
      },
    },
  ),
];

const RUTLAND_SOURCE = 'Rutland Community Safety Partnership Plan 2008-11, targets and Appendix Three (data definitions and baselines)';

/** Rutland's LAA and national indicator targets (no figures are published in the plan). */
export const RUTLAND_INDICATORS: DemoIndicator[] = [
  {
    frequency: 'annual',
    national: 'NI 111',
    owner: 'Youth Offending Service',
    unit: 'count',
    baselineValue: '35',
    baselinePeriod: '2005/06',
    baselineSource: `${RUTLAND_SOURCE} (March 2006)`,
    targetKind: 'amount_change',
    targetDirection: 'reduce',
    targetValue: '3',
    targetBy: '2009/10',
  },
  {
    national: 'NI 42',
    owner: 'Rutland County Council',
    polarity: 'higher_is_better',
    title: 'People who do not think that drug use or dealing is a problem',
    baselineValue: '46.8',
    baselinePeriod: '2008/09',
    baselineSource: 'CSP Survey 2008',
    targetKind: 'percentage_change',
    targetDirection: 'increase',
    targetValue: '5',
    targetBy: '2010/11',
  },
  {
    national: 'NI 17',
    owner: 'Rutland County Council',
    baselineValue: '12',
    baselinePeriod: '2006/07',
    baselineSource: RUTLAND_SOURCE,
    targetKind: 'amount_change',
    targetDirection: 'reduce',
    targetValue: '3.3',
    targetBy: '2009/10',
    targetNote: 'Reduce by 3.3 percentage points',
  },
  {
    national: 'NI 41',
    owner: 'Rutland County Council',
    baselineValue: '22.1',
    baselinePeriod: '2008/09',
    baselineSource: 'CSP Survey 2008',
    targetKind: 'to_be_agreed',
    targetBy: '2010/11',
  },
  {
    national: 'NI 47',
    owner: 'Leicester, Leicestershire and Rutland Road Safety Partnership',
    frequency: 'annual',
    baselineValue: '40',
    baselinePeriod: '1999/00',
    baselineSource: RUTLAND_SOURCE,
    targetKind: 'percentage_change',
    targetDirection: 'reduce',
    targetValue: '40',
    targetBy: '2010/11',
  },
  {
    national: 'NI 48',
    owner: 'Leicester, Leicestershire and Rutland Road Safety Partnership',
    frequency: 'monthly',
    baselineValue: '1',
    baselinePeriod: '1999/00',
    baselineSource: RUTLAND_SOURCE,
    targetKind: 'cumulative_limit',
    targetValue: '1',
    targetFrom: '2008-04',
    targetTo: '2011-03',
  },
  {
    code: 'RUT L1',
    title: 'Young people taking part in the Pass Plus scheme',
    definition:
      'Percentage of newly qualified young drivers who take the Pass Plus course, from driving instructors in the Rutland scheme.',
    dataSource: 'Driving instructors participating in the Rutland Pass Plus scheme',
    unit: 'percentage',
    polarity: 'higher_is_better',
    frequency: 'annual',
    obaCategory: 'how_much',
    owner: 'Rutland County Council',
    baselineValue: '20',
    baselinePeriod: '2007/08',
    baselineSource: RUTLAND_SOURCE,
    targetKind: 'absolute',
    targetValue: '40',
    targetBy: '2010/11',
  },
  {
    code: 'RUT L2',
    title: 'Reported domestic violence',
    definition: 'Domestic violence reported to the police and to third parties: the partnership wants more victims to come forward.',
    dataSource: 'Leicestershire Constabulary and third-party reporting centres',
    unit: 'count',
    polarity: 'higher_is_better',
    frequency: 'annual',
    obaCategory: 'how_well',
    owner: 'Leicestershire Constabulary',
    baselineValue: '71',
    baselinePeriod: '2005/06',
    baselineSource: RUTLAND_SOURCE,
    targetKind: 'percentage_change',
    targetDirection: 'increase',
    targetValue: '22.5',
    targetBy: '2009/10',
  },
  {
    national: 'NI 16',
    owner: 'Leicestershire Constabulary',
    unit: 'count',
    title: 'Serious acquisitive crime (reported to the police)',
    baselineValue: '334',
    baselinePeriod: '2007/08',
    baselineSource: RUTLAND_SOURCE,
    targetKind: 'to_be_agreed',
    targetBy: '2010/11',
  },
  {
    frequency: 'annual',
    national: 'NI 39',
    owner: 'Drug and Alcohol Action Team',
    unit: 'count',
    title: 'Alcohol related admissions to hospital',
    baselineValue: '124',
    baselinePeriod: '2007/08',
    baselineSource: RUTLAND_SOURCE,
    targetKind: 'percentage_change',
    targetDirection: 'reduce',
    targetValue: '8',
    targetBy: '2009/10',
  },
];

const ROTHERHAM_SOURCE = 'Safer Rotherham Partnership Plan 2010/11, headline performance indicators';

/** Safer Rotherham's 2010/11 headline indicators with their baselines and targets. */
export const ROTHERHAM_INDICATORS: DemoIndicator[] = [
  {
    frequency: 'annual',
    national: 'NI 17',
    owner: 'Safer Rotherham Partnership',
    title: 'Residents who feel anti-social behaviour is a very or fairly big problem in their area',
    baselineValue: '28',
    baselinePeriod: '2008/09',
    baselineSource: 'Place Survey 2008',
    targetKind: 'absolute',
    targetValue: '25',
    targetBy: '2010/11',
  },
  {
    frequency: 'annual',
    national: 'NI 16',
    owner: 'South Yorkshire Police',
    unit: 'count',
    title: 'Serious acquisitive crime',
    baselineValue: '4943',
    baselinePeriod: '2007/08',
    baselineSource: `${ROTHERHAM_SOURCE}: 19.52 offences per 1,000 population`,
    targetKind: 'absolute',
    targetValue: '4443',
    targetBy: '2010/11',
    targetNote: '17.5 per 1,000 population',
  },
  {
    frequency: 'annual',
    national: 'NI 111',
    owner: 'Youth Offending Service',
    unit: 'count',
    baselineValue: '580',
    baselinePeriod: '2007/08',
    baselineSource: `${ROTHERHAM_SOURCE}: 2,140 per 100,000 young people`,
    targetKind: 'absolute',
    targetValue: '536',
    targetBy: '2010/11',
    targetNote: '1,900 per 100,000 population',
  },
  {
    frequency: 'annual',
    national: 'NI 18',
    owner: 'National Probation Service',
    baselineValue: '11.72',
    baselinePeriod: '2007/08',
    baselineSource: ROTHERHAM_SOURCE,
    targetKind: 'absolute',
    targetValue: '10.2',
    targetBy: '2010/11',
  },
  {
    frequency: 'annual',
    national: 'NI 20',
    owner: 'South Yorkshire Police',
    unit: 'count',
    title: 'Assault with injury (less serious)',
    baselineValue: '2159',
    baselinePeriod: '2007/08',
    baselineSource: `${ROTHERHAM_SOURCE}: 8.52 offences per 1,000 population`,
    targetKind: 'absolute',
    targetValue: '2042',
    targetBy: '2010/11',
    targetNote: '8.04 offences per 1,000 population',
  },
  {
    frequency: 'annual',
    national: 'NI 40',
    owner: 'Rotherham Drug and Alcohol Action Team',
    baselineValue: '1256',
    baselinePeriod: '2007/08',
    baselineSource: ROTHERHAM_SOURCE,
    targetKind: 'absolute',
    targetValue: '1320',
    targetBy: '2010/11',
  },
];

/** Creates a partnership's demo indicators, their figures and any published RAG that differs from the rule. */
export async function seedPerformance(db: Kysely<Database>, actor: Actor, partnershipId: number, demo: DemoIndicator[]): Promise<void> {
  const catalogue = await listCatalogue(db);
  for (const d of demo) {
    const { national, figures, override, spc: _spc, ...input } = d;
    let base: IndicatorInput = {};
    if (national) {
      const c = catalogue.find((x) => x.code === national);
      if (!c) throw new Error(`No national indicator ${national}`);
      const full = await getCatalogueIndicator(db, c.id);
      base = {
        catalogueIndicatorId: String(full.id),
        code: full.code,
        title: full.title,
        definition: full.definition,
        dataSource: full.data_source,
        unit: full.unit,
        polarity: full.polarity,
        frequency: full.frequency,
        obaCategory: full.oba_category,
      };
    }
    const indicator = await createIndicator(db, actor, partnershipId, { ...base, ...input });
    if (figures?.length)
      await enterFigures(
        db,
        actor,
        partnershipId,
        figures.map((f) => ({ indicatorId: indicator.id, period: f.period, value: f.value, source: f.source })),
      );
    if (override) await overrideRag(db, actor, partnershipId, indicator.id, override);
    for (const mark of d.spc ?? []) await saveSpcMark(db, actor, partnershipId, indicator.id, mark);
  }
}

const ROTHERHAM_2016_SOURCE = 'Safer Rotherham Partnership Plan 2016-2019, performance indicators 2016/17';
const ROTHERHAM_REVIEW_SOURCE = 'Review of the Safer Rotherham Partnership Plan 2018-2021';

type Oba = 'how_much' | 'how_well' | 'better_off';
type Unit = 'count' | 'percentage' | 'score';
type Polarity = 'higher_is_better' | 'lower_is_better' | 'monitor';

/** A quarterly series by financial year, as the review prints it: { '2018/19': [Q1, Q2, Q3, Q4] } (missing quarters left out). */
function quarterly(series: Record<string, (number | null)[]>): { period: string; value: number; source: string }[] {
  return Object.entries(series).flatMap(([fy, values]) =>
    values.flatMap((value, q) =>
      value === null ? [] : [{ period: `${fy.slice(0, 4)}-${fy.slice(5, 7)} Q${q + 1}`, value, source: ROTHERHAM_REVIEW_SOURCE }],
    ),
  );
}

/** The quarterly series printed in the review of the 2018-21 plan, by the number of the 2016/17 indicator they measure. */
const REVIEW_SERIES: Record<number, { period: string; value: number; source: string }[]> = {
  // Referrals into domestic abuse support services (2,913 in 2019/20).
  14: quarterly({ '2019/20': [710, 737, 713, 753], '2020/21': [826] }),
  // Recorded anti-social behaviour incidents (881 fewer in 2019/20; Q1 2020/21 up 81% on the quarter before).
  17: quarterly({ '2018/19': [2064, 1832, 1461, 1264], '2019/20': [1654, 1500, 1311, 1275], '2020/21': [2303] }),
  // People surveyed who said anti-social behaviour is a big or fairly big problem (no survey in March 2020).
  22: quarterly({ '2018/19': [34, 48, 43, 44], '2019/20': [39, 39, 38, null] }),
  // Violence with injury offences (2,696 in 2019/20).
  34: quarterly({ '2019/20': [696, 747, 692, 561], '2020/21': [507] }),
};

const SRP_2016: [title: string, definition: string, unit: Unit, polarity: Polarity, oba: Oba][] = [
  // Child sexual exploitation
  [
    "Increased 'positive' outcomes for victims and survivors of CSE",
    'Share of child sexual exploitation investigations ending in a positive outcome for the victim, such as a charge or another formal action.',
    'percentage',
    'higher_is_better',
    'how_well',
  ],
  [
    'Number of enforcement/disruption activities of people and premises',
    'Enforcement and disruption actions taken against people and premises linked to child sexual exploitation.',
    'count',
    'higher_is_better',
    'how_much',
  ],
  [
    'Feedback from survivors of CSE',
    'What survivors of child sexual exploitation say about the support they received, gathered by the services that work with them.',
    'score',
    'monitor',
    'how_well',
  ],
  [
    'Increased awareness of CSE and improved information sharing pathways',
    'Share of staff and residents asked who know the signs of child sexual exploitation and how to pass on a concern.',
    'percentage',
    'higher_is_better',
    'how_well',
  ],
  [
    'Increase the number of CSE referrals',
    'Referrals of children at risk of sexual exploitation made to the partnership’s services.',
    'count',
    'higher_is_better',
    'how_much',
  ],
  // Confident and cohesive communities
  [
    'Increased reporting of hate crime',
    'Hate crimes and incidents reported to the police: more reports means more confidence to come forward.',
    'count',
    'higher_is_better',
    'how_well',
  ],
  [
    "Increased 'positive' outcomes for victims and witnesses of hate crime offences",
    'Share of hate crime investigations ending in a charge, summons, caution or community resolution.',
    'percentage',
    'higher_is_better',
    'how_well',
  ],
  [
    'Increase customer satisfaction levels',
    'Share of victims surveyed who were satisfied with the service they received.',
    'percentage',
    'higher_is_better',
    'how_well',
  ],
  [
    'Increased awareness of the impacts of the work of the Safer Rotherham Partnership',
    'Share of residents asked who know what the partnership does and what difference it makes.',
    'percentage',
    'higher_is_better',
    'how_well',
  ],
  [
    'Number of Hate Crime and Community Cohesion activities delivered',
    'Events, sessions and campaigns about hate crime and community cohesion run by partners.',
    'count',
    'higher_is_better',
    'how_much',
  ],
  // Domestic abuse
  [
    'Increased reporting of domestic abuse',
    'Domestic abuse crimes and incidents reported to the police: under-reporting is the problem to overcome.',
    'count',
    'higher_is_better',
    'how_well',
  ],
  [
    "Increase 'positive' outcomes for victims and survivors of domestic abuse",
    'Share of domestic abuse investigations ending in a charge, summons, caution or other positive outcome.',
    'percentage',
    'higher_is_better',
    'how_well',
  ],
  [
    'Reduced number of repeat cases of domestic abuse heard at the Multi-Agency Risk Assessment Conference (MARAC)',
    'High-risk domestic abuse cases heard at MARAC where the victim had been heard there before.',
    'count',
    'lower_is_better',
    'better_off',
  ],
  [
    'Increase in referrals of victims of domestic violence to the appropriate agencies',
    'Referrals of victims into domestic abuse support services (independent advocates and local support services).',
    'count',
    'higher_is_better',
    'how_much',
  ],
  [
    "Increase the number of 'victims' supported by the Independent Domestic Advocacy Service",
    'Victims given support by an independent domestic violence adviser.',
    'count',
    'higher_is_better',
    'how_much',
  ],
  [
    'Number of domestic abuse awareness raising initiatives',
    'Campaigns, training sessions and events raising awareness of domestic abuse.',
    'count',
    'higher_is_better',
    'how_much',
  ],
  // Anti-social behaviour and criminal damage
  [
    'Reduction in the number of anti-social behaviour incidents reported to the Police',
    'Anti-social behaviour incidents recorded by South Yorkshire Police in the borough.',
    'count',
    'lower_is_better',
    'better_off',
  ],
  [
    'Reduction in the number of anti-social behaviour incidents reported to the Council and Registered Social Landlords.',
    'Anti-social behaviour complaints made to the council and to social housing landlords.',
    'count',
    'lower_is_better',
    'better_off',
  ],
  [
    'Reduction in the number of recorded criminal damage offences',
    'Criminal damage offences recorded by the police.',
    'count',
    'lower_is_better',
    'better_off',
  ],
  [
    'Reduction in the number of repeat victims of anti-social behaviour.',
    'People reporting anti-social behaviour against them who had reported it before.',
    'count',
    'lower_is_better',
    'better_off',
  ],
  [
    "Increase 'positive' outcomes for victims of anti-social behaviour and criminal damage.",
    'Share of anti-social behaviour and criminal damage cases closed with a positive outcome for the victim.',
    'percentage',
    'higher_is_better',
    'how_well',
  ],
  [
    'Reduction in the number of people who think that antisocial behaviour is a problem in their area.',
    'Share of residents surveyed who say anti-social behaviour is a very or fairly big problem where they live.',
    'percentage',
    'lower_is_better',
    'better_off',
  ],
  [
    'Number of diversionary activities to engage young people and direct them away from anti-social behaviour',
    'Sessions and activities offered to young people as an alternative to anti-social behaviour.',
    'count',
    'higher_is_better',
    'how_much',
  ],
  [
    'Monitor and evaluate the effectiveness of the Rotherham Community Justice Panels.',
    'Cases resolved through the Community Justice Panels, watched rather than targeted.',
    'count',
    'monitor',
    'how_well',
  ],
  [
    'Use of available enforcement powers to tackle anti-social behaviour and criminal damage.',
    'Warnings, notices, orders and injunctions issued under the anti-social behaviour powers.',
    'count',
    'higher_is_better',
    'how_much',
  ],
  [
    'Reduction in the number of offences of arson.',
    'Deliberate fires recorded as arson offences.',
    'count',
    'lower_is_better',
    'better_off',
  ],
  [
    'An increase in successful, community-based resolutions of Anti-Social Behaviour',
    'Anti-social behaviour cases resolved through community resolutions and restorative approaches.',
    'count',
    'higher_is_better',
    'how_well',
  ],
  // Burglary dwelling
  ['Reduced burglary dwelling offences', 'Burglaries of homes recorded by the police.', 'count', 'lower_is_better', 'better_off'],
  ['Reduced number of repeat victims', 'Households burgled more than once in twelve months.', 'count', 'lower_is_better', 'better_off'],
  [
    "Increase 'positive' outcomes for victims of burglary dwelling offences.",
    'Share of home burglary investigations ending in a charge, summons, caution or other positive outcome.',
    'percentage',
    'higher_is_better',
    'how_well',
  ],
  [
    'Fewer people who think that crime is a problem in their area.',
    'Share of residents surveyed who say crime is a problem where they live.',
    'percentage',
    'lower_is_better',
    'better_off',
  ],
  [
    'Number of enforcement/prevention initiatives to tackle burglary dwelling offences',
    'Operations, crime prevention visits and campaigns against home burglary.',
    'count',
    'higher_is_better',
    'how_much',
  ],
  // Violent crime and sexual offences
  [
    'Increased reporting of sexual abuse',
    'Sexual offences reported to the police, including historic offences.',
    'count',
    'higher_is_better',
    'how_well',
  ],
  [
    'Reduction in offences of violence with injury',
    'Violence with injury offences recorded by the police.',
    'count',
    'lower_is_better',
    'better_off',
  ],
  [
    "Increase 'positive' outcomes for victims of violent crime and sexual offences",
    'Share of violent and sexual offence investigations ending in a positive outcome.',
    'percentage',
    'higher_is_better',
    'how_well',
  ],
  [
    'Increase in referrals of victims of sexual violence to the appropriate agencies',
    'Referrals of victims of sexual violence to specialist support services.',
    'count',
    'higher_is_better',
    'how_much',
  ],
  [
    'Number of sexual offences awareness raising initiatives',
    'Campaigns and training about sexual offences and how to report them.',
    'count',
    'higher_is_better',
    'how_much',
  ],
  [
    'Reduced re-offending rates',
    'Share of offenders who commit a further offence within twelve months.',
    'percentage',
    'lower_is_better',
    'better_off',
  ],
];

/**
 * SPC settings on the review's series (issue 16): the anti-social behaviour limits fixed on 2018/19, the first year of
 * the 2018-21 plan, with Q1 2020/21 (up 81% on the quarter before, in the first national lockdown) left out of the
 * limits; the lockdown noted on the domestic abuse referrals too.
 */
const LOCKDOWN = 'First national lockdown, April to June 2020';
const REVIEW_SPC: Record<number, SpcMarkInput[]> = {
  14: [{ kind: 'point', period: '2020-21 Q1', note: `${LOCKDOWN}: referrals up by 73 on the quarter before` }],
  17: [
    {
      kind: 'phase',
      period: '2018-19 Q1',
      baselineTo: '2018-19 Q4',
      reason: 'Limits fixed on 2018/19, the first year of the 2018-21 plan, so later quarters are judged against it',
    },
    {
      kind: 'point',
      period: '2020-21 Q1',
      excluded: 'yes',
      reason: `${LOCKDOWN}: reports of people breaking the coronavirus rules were recorded as anti-social behaviour`,
      note: 'Up 81% on the quarter before (the review)',
    },
  ],
};

/** Safer Rotherham's 2016/17 list of 38 indicators, with the quarterly series the 2018-21 review prints for four of them. */
export const ROTHERHAM_2016_INDICATORS: DemoIndicator[] = SRP_2016.map(([title, definition, unit, polarity, oba], i) => ({
  code: `SRP ${i + 1}`,
  title,
  definition: `${definition} The plan sets the direction, not a figure: no numeric target.`,
  dataSource: REVIEW_SERIES[i + 1] ? `${ROTHERHAM_2016_SOURCE}; figures from the ${ROTHERHAM_REVIEW_SOURCE}` : ROTHERHAM_2016_SOURCE,
  unit,
  polarity,
  frequency: 'quarterly',
  obaCategory: oba,
  owner: 'Safer Rotherham Partnership Performance & Delivery Group',
  figures: REVIEW_SERIES[i + 1],
  spc: REVIEW_SPC[i + 1],
}));

/** Indicators the review of the 2018-21 plan added, with the quarterly series it prints. */
export const ROTHERHAM_REVIEW_INDICATORS: DemoIndicator[] = [
  {
    code: 'SRP R1',
    title: 'Victims referred to the Community MARAC',
    definition:
      'Vulnerable or repeat victims of crime referred to the Community Multi-Agency Risk Assessment Conference for joint support (108 over 2018/19 and 2019/20).',
    dataSource: ROTHERHAM_REVIEW_SOURCE,
    unit: 'count',
    polarity: 'higher_is_better',
    frequency: 'quarterly',
    obaCategory: 'how_much',
    owner: 'Community MARAC',
    figures: quarterly({ '2018/19': [15, 8, 5, 17], '2019/20': [16, 9, 16, 22], '2020/21': [18] }),
  },
  {
    code: 'SRP R2',
    title: 'Child criminal exploitation intelligence reports',
    definition: 'Intelligence reports about child criminal exploitation submitted by partners and the public (324 in 2019/20).',
    dataSource: ROTHERHAM_REVIEW_SOURCE,
    unit: 'count',
    polarity: 'higher_is_better',
    frequency: 'quarterly',
    obaCategory: 'how_much',
    owner: 'South Yorkshire Police',
    figures: quarterly({ '2019/20': [83, 100, 79, 62] }),
  },
  {
    code: 'SRP R3',
    title: 'Knife or bladed article offences',
    definition: 'Offences involving a knife or bladed article recorded by the police (352 in 2019/20).',
    dataSource: ROTHERHAM_REVIEW_SOURCE,
    unit: 'count',
    polarity: 'lower_is_better',
    frequency: 'quarterly',
    obaCategory: 'better_off',
    owner: 'South Yorkshire Violence Reduction Unit',
    figures: quarterly({ '2019/20': [76, 95, 104, 77] }),
  },
  {
    code: 'SRP R4',
    title: 'Actions to disrupt or dismantle organised crime groups',
    definition: 'Individual disruption tactics used by partners against organised crime groups (112 in 2018/19).',
    dataSource: ROTHERHAM_REVIEW_SOURCE,
    unit: 'count',
    polarity: 'higher_is_better',
    frequency: 'quarterly',
    obaCategory: 'how_much',
    owner: 'Serious Organised Crime group',
    figures: quarterly({ '2018/19': [4, 25, 45, 38] }),
  },
];
