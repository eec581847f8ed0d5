/**
 * The demo annual review: Safer Rotherham's review of its 2018-21 plan, written for CSP Hub from the facts and
 * figures of the published review (the prose is CSP Hub's own). Its indicators are the demo's quarterly series
 * from the same review (src/demo/performance.ts), so the figures the document prints are worked out, not typed.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../adapters/database/schema.ts';
import type { Actor } from '../services/platform/audit.ts';
import { listIndicators } from '../services/performance/indicators.ts';
import { createReview, createReviewArea, createReviewPriority } from '../services/plans/reviews.ts';

interface DemoArea {
  title: string;
  narrative: string;
  /** Codes of the partnership's indicators shown in the area. */
  indicators?: string[];
}

interface DemoPriority {
  title: string;
  narrative: string;
  keyOutputs: string[];
  areas: DemoArea[];
}

interface DemoReview {
  partnership: string;
  title: string;
  startYear: number;
  endYear: number;
  introduction: string;
  priorities: DemoPriority[];
}

export const DEMO_REVIEWS: DemoReview[] = [
  {
    partnership: 'Safer Rotherham Partnership',
    title: 'Review of the Safer Rotherham Partnership Plan',
    startYear: 2018,
    endYear: 2021,
    introduction:
      'This review looks back over the three years of the partnership plan, from April 2018 to March 2021, priority by priority: what partners did, what came of it, and how the measures the Board watched moved from quarter to quarter.\n' +
      'Some measures were only added part way through the plan, as the Board widened its focus, so not every indicator has figures for every year. The first quarter of 2020/21 was shaped by the Covid-19 lockdown and is read with that in mind.',
    priorities: [
      {
        title: 'Protecting vulnerable children',
        narrative:
          'Keeping children safe from exploitation was where the plan began. Partners across South Yorkshire won government funding for a sub-regional project on child criminal exploitation, and locally the partnership widened its attention from sexual exploitation to criminal and online exploitation as the risks changed.\n' +
          'Early Help and Family Support remained central to prevention, with positive exits averaging 98% over 2018/19.',
        keyOutputs: [
          'A joint South Yorkshire bid brought in £1.7m to tackle child criminal exploitation; in 2019/20 there were 82 referrals and 324 intelligence reports about it.',
          'Child sexual exploitation referrals averaged 12 a month in 2019/20, with 225 intelligence reports over the year.',
          'An average of 7 children a month went missing three or more times (April 2018 to June 2020), a good position among the South Yorkshire districts.',
          'First-time entrants to the youth justice system fell by 30.3% between October 2018 and September 2019.',
          'In 2019/20, 314 online incidents against young people and 163 online offences by young people were recorded.',
        ],
        areas: [
          {
            title: 'Tackling child criminal exploitation',
            narrative:
              'The partnership agreed a strategy against child criminal exploitation that tied local operations to the government-funded sub-regional project, which finished in March 2020. Rotherham made noticeably more referrals than other districts during the project, and over 100 practitioners attended face-to-face training on criminal exploitation in early 2020. Intelligence reports peaked in the second quarter of 2019/20.',
            indicators: ['SRP R2'],
          },
          {
            title: 'Preventing child sexual exploitation',
            narrative:
              'Referrals and intelligence about child sexual exploitation were watched closely after the 2018 intelligence assessment noted a fall in intelligence being submitted. Partners and the public were encouraged to report, specialist briefings were given to the priority group, and linked offences rose through 2019/20 to 178. A relaunch of the awareness campaign on early warning signs was planned for November 2020.',
          },
          {
            title: 'Reducing repeat missing children',
            narrative:
              'Multi-agency problem solving kept the number of children repeatedly reported missing low, at around 7 a month with three or more episodes. Because many of these children are looked after, and mental health was found to be a factor, the chair of the partnership raised the matter formally with children’s services.',
          },
          {
            title: 'Preventing online offending',
            narrative:
              'Online risks to young people were added as an objective area from April 2019 after the intelligence assessment found adults grooming girls under 16 through social media. The partnership put safety messages to young people on social media and began monitoring online incidents against and by young people; education for families and staff remains the next step.',
          },
        ],
      },
      {
        title: 'Protecting vulnerable adults',
        narrative:
          'The partnership concentrated on adults whose vulnerability brings them into contact with crime, as victims or as offenders: people with mental ill-health or substance misuse, repeat victims, and people at risk of financial exploitation, modern slavery or cuckooing.',
        keyOutputs: [
          '3 people left the high frequency offender cohort because of the progress they had made (2019/20).',
          'The mental health specialist in the co-located Safer Neighbourhood Team made 583 support interventions between April 2019 and June 2020.',
          '135 Drug Rehabilitation Requirement orders were made in 2019/20.',
          '108 vulnerable or repeat victims of crime were supported through the Community MARAC over 2018/19 and 2019/20.',
          '45 potential victims of modern slavery were referred to the National Referral Mechanism in 2019/20.',
        ],
        areas: [
          {
            title: 'Preventing vulnerable adults becoming victims of crime',
            narrative:
              'The Community Multi-Agency Risk Assessment Conference brought partners together around vulnerable and repeat victims, and referrals to it grew over the plan. Work with older people against financial exploitation, including a fraud and protection officer based with a local charity, led to successful prosecutions.',
            indicators: ['SRP R1'],
          },
          {
            title: 'Mental health',
            narrative:
              'In 2018/19 the Community MARAC made 58 referrals of adults to mental health services, and a mental health worker was trialled in the co-located community safety team. The post was kept on, averaging 39 interventions a month, and was extended to work with the council’s homelessness team.',
          },
          {
            title: 'Preventing modern slavery, mate crime and cuckooing',
            narrative:
              'New in 2019/20: five awareness events were held, and 12 trained single points of contact now help the police and partners investigate modern slavery and support potential victims, including finding them accommodation.',
          },
        ],
      },
      {
        title: 'Building confident and cohesive communities',
        narrative:
          'Police and council officers working side by side in three locality teams made the response to anti-social behaviour faster and better informed, and the partnership kept up its work on hate crime, community tensions and extremism.',
        keyOutputs: [
          'Recorded anti-social behaviour fell by 881 incidents (13%) in 2019/20 compared with 2018/19.',
          'Reports rose by 81% in April to June 2020 on the quarter before, during the first Covid-19 lockdown.',
          '209 counter-extremism and Prevent engagement and training sessions were delivered between April 2018 and June 2020.',
          'Around 12 hate incidents a week are reported; about 20% end in positive action such as a charge, caution or community resolution.',
          'A joint police and council tension monitoring process and community engagement toolkit sped up information sharing.',
        ],
        areas: [
          {
            title: 'Anti-social behaviour and community safety priority locations',
            narrative:
              'Co-location in the Central, North and South locality teams improved information sharing and the identification of repeat victims, offenders and hotspots. Incidents fell each quarter through 2019/20 before the lockdown reversed the trend, with rowdy behaviour, vehicle nuisance and nuisance neighbours the most common reports. The share of residents who see anti-social behaviour as a problem eased from an average of 42% in 2018/19 to 39% in 2019/20 (no survey was held in March 2020).',
            indicators: ['SRP 17', 'SRP 22'],
          },
          {
            title: 'Preventing hate crime',
            narrative:
              'Victims of hate crime now get an early visit, an information booklet and a call back within seven days, and investigations are reviewed daily. Positive action on completed hate crime investigations rose from an average of 15% in 2018/19 to 19% in 2019/20.',
          },
          {
            title: 'Protecting vulnerable people from extremism and terrorism',
            narrative:
              'The partnership oversees the Prevent Silver group and the Channel Panel. Training front-line staff to spot radicalisation early continued throughout the plan, alongside education on the harms of hate in schools.',
          },
        ],
      },
      {
        title: 'Domestic abuse and sexual offences',
        narrative:
          'The partnership aimed to stop abuse repeating, to support victims and to bring offenders to justice, and from 2019/20 added rape and serious sexual offences and stranger stalking to its objectives.',
        keyOutputs: [
          '2,913 referrals were made to domestic abuse support services in 2019/20.',
          '248 people completed the Inspire to Change perpetrator programme (to the end of June 2020), from 1,680 referrals.',
          'MARAC heard 468 high-risk cases in 2018/19 (35% repeats) and 521 in 2019/20 (33% repeats).',
          '649 rape and serious sexual offences were recorded in 2019/20, and a sexual abuse strategy and action plan were agreed.',
          'One police order for honour based abuse was recorded in 2019/20.',
        ],
        areas: [
          {
            title: 'Domestic violence and abuse',
            narrative:
              'MARAC co-ordination was strengthened and meetings moved online during Covid-19 without a break. Referrals into support services became a Board measure in 2019/20; satisfaction of domestic abuse victims with the police stayed at 81%. A full review of commissioned domestic abuse services was completed to inform their future.',
            indicators: ['SRP 14'],
          },
          {
            title: 'Honour based abuse, female genital mutilation and forced marriage',
            narrative:
              'Known cases are few and believed to be under-reported. Police issued 2 FGM protection orders in 2018/19 and no forced marriage offences were recorded that year.',
          },
          {
            title: 'Rape and serious sexual offences',
            narrative:
              'Added as a priority in 2019/20. A pathway for professionals and victims was designed and a campaign on sexual harassment ran in 2019.',
          },
        ],
      },
      {
        title: 'Serious and organised crime',
        narrative:
          'A new priority in 2018, after the priority-setting event. Better mapping found organised crime groups that had not been known before, while enforcement and disruption took apart several of the original groups. From 2019/20 the priority also took in violent crime and drug supply.',
        keyOutputs: [
          '112 separate disruption actions were taken against organised crime groups in 2018/19, rising from 4 in the first quarter.',
          '2,696 violence with injury offences and 352 knife or bladed article offences were recorded in 2019/20.',
          '505 drug offences were recorded in 2019/20, and 932 seizures took drugs worth £1.76m off the streets.',
        ],
        areas: [
          {
            title: 'Identification, mapping and disruption of organised crime groups',
            narrative:
              'Awareness sessions helped partners other than the police pass on intelligence, and disruption, meaning any partnership action that prosecutes or interrupts organised criminals, became the focus once groups were identified.',
            indicators: ['SRP R4'],
          },
          {
            title: 'Violent crime',
            narrative:
              'Objectives introduced in 2019/20 made sure partners joined police operations and that alcohol licensing was used well. The South Yorkshire Violence Reduction Unit brought a public health approach, and violence with injury fell from December 2019.',
            indicators: ['SRP 34', 'SRP R3'],
          },
          {
            title: 'Drug supply',
            narrative:
              'A multi-agency group led work to identify and dismantle drug networks, using partnership powers as well as police powers, and disrupted some county lines activity, safeguarding exploited young people.',
          },
        ],
      },
    ],
  },
];

/** Creates a partnership's demo reviews through the services. */
export async function seedDemoReviews(db: Kysely<Database>, actor: Actor, partnershipId: number, partnershipName: string): Promise<void> {
  const demos = DEMO_REVIEWS.filter((d) => d.partnership === partnershipName);
  if (demos.length === 0) return;
  const byCode = new Map((await listIndicators(db, partnershipId)).map((i) => [i.code, i.id]));
  for (const demo of demos) {
    const review = await createReview(db, actor, partnershipId, {
      title: demo.title,
      startYear: String(demo.startYear),
      endYear: String(demo.endYear),
      introduction: demo.introduction,
    });
    for (const p of demo.priorities) {
      const priority = await createReviewPriority(db, actor, partnershipId, review.id, {
        title: p.title,
        narrative: p.narrative,
        keyOutputs: p.keyOutputs,
      });
      for (const a of p.areas) {
        const ids = (a.indicators ?? []).map((code) => {
          const id = byCode.get(code);
          if (id === undefined) throw new Error(`The demo review names indicator ${code}, which ${partnershipName} does not have`);
          return id;
        });
        await createReviewArea(db, actor, partnershipId, priority.id, { title: a.title, narrative: a.narrative, indicatorIds: ids });
      }
    }
  }
}
