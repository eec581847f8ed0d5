/**
 * The partnership plans of the seed documents, entered through the plan services: Rutland 2008-11, Rochford's
 * 2010/11 review of its 2008-11 plan, the Safer Rotherham 2010/11 refresh of the 2009-12 plan, and the Safer
 * Rotherham plan 2016-19. Names, dates, ratings and amounts are as published; descriptions are written for CSP Hub.
 * Where a plan does not say when or where it was approved, the approval says so rather than inventing a meeting.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../adapters/database/schema.ts';
import type { Actor } from '../services/platform/audit.ts';
import { listOrganisations } from '../services/partnerships/organisations.ts';
import { approveVersion, createPlan, publishVersion, updateVersionText } from '../services/plans/plans.ts';
import { createPart, type PartInput } from '../services/plans/planParts.ts';

type H = 'high' | 'medium' | 'low';

export interface DemoPriority {
  title: string;
  why?: string;
  whatWeWillDo?: string;
  geographicalContext?: string;
  leadOrganisation?: string;
  leadOfficer?: string;
  objectives?: { title: string; description?: string; activities?: { title: string; lead?: string; partners?: string }[] }[];
  resources?: { kind: 'money' | 'staff_time' | 'in_kind'; description: string; amount?: number; fundingSource?: string }[];
  risks?: { risk: string; severity: H; likelihood: H; mitigation?: string; responsiblePartner?: string }[];
}

export interface DemoPlanVersion {
  partnership: string;
  title: string;
  startYear: number;
  endYear: number;
  label: string;
  year: number;
  vision: string;
  introduction: string;
  approval?: { approvedBy: string; approvedOn: string; meeting: string };
  priorities: DemoPriority[];
  themes?: { title: string; description?: string; priorities: 'all' | string[] }[];
  groups?: {
    name: string;
    purpose?: string;
    chair?: string;
    memberOrganisations?: string[];
    meetingFrequency?: string;
    reportsTo?: string;
  }[];
  engagement?: { method: string; description?: string }[];
  events?: { eventDate: string; event: string; attendees?: string }[];
  links?: { title: string; relationship?: string }[];
  funding?: { name: string; funder?: string; amount: number; approvalThreshold?: number; notes?: string }[];
}

const RUTLAND_RCC = 'Community Safety Team, RCC';

export const DEMO_PLANS: DemoPlanVersion[] = [
  {
    partnership: 'Rutland Community Safety Partnership',
    title: 'Rutland Community Safety Partnership Plan',
    startYear: 2008,
    endYear: 2011,
    label: '2008-11',
    year: 2008,
    vision: 'A safe Rutland where the partnership is open about its work and answers to the people it serves.',
    introduction:
      'The plan sets out four priorities drawn from the strategic assessment, national indicators and the targets partner agencies already hold. Three cross-cutting themes tie the priorities together, and each priority has its own targets, projects, resources and risk register.',
    approval: {
      approvedBy: 'Rutland Community Safety Partnership Strategic Group',
      approvedOn: '2008-04-01',
      meeting: 'Not stated in the published plan (demo data)',
    },
    priorities: [
      {
        title: 'Anti Social Behaviour',
        why: 'Rowdy behaviour was the biggest single reason people called 101, and inconsistent recording makes the true trend hard to judge, so the partnership treats anti-social behaviour and the fear of it as a priority.',
        geographicalContext:
          'Most recorded incidents since 2004/05 were in Oakham, followed by Uppingham; residents in Oakham raised trouble with young people in the neighbourhood policing consultation.',
        whatWeWillDo:
          'Act quickly and effectively when anti-social behaviour happens, tell the public what is being done and involve them, and work with young people to keep them out of offending and from becoming victims.',
        leadOrganisation: 'Rutland County Council',
        leadOfficer: 'Community Safety Officer and Community Safety Support Officer (joint action plan managers)',
        objectives: [
          {
            title: 'Reduce the fear and incidents of anti social behaviour',
            activities: [
              { title: 'Respect Rutland campaign', lead: RUTLAND_RCC },
              { title: 'Commission the Youth Inclusion and Support Programme', lead: 'Youth Offending Service' },
            ],
          },
        ],
        resources: [
          {
            kind: 'money',
            description: 'Youth Inclusion and Support Programme, extended from 0.5 to 0.7 full-time equivalent',
            amount: 21_700,
            fundingSource: 'Per year',
          },
          { kind: 'money', description: 'Respect Rutland campaign', amount: 3_000, fundingSource: 'Per year' },
          {
            kind: 'in_kind',
            description: 'Youth Offending Service anti-social behaviour team supporting young people on Acceptable Behaviour Contracts',
          },
          {
            kind: 'staff_time',
            description: 'Community Safety Officer and Community Safety Support Officer time for the campaign and JAG actions',
          },
          { kind: 'staff_time', description: 'Police beat officer and PCSO time for JAG actions' },
        ],
        risks: [
          {
            risk: 'Perception indicators difficult to control',
            severity: 'high',
            likelihood: 'medium',
            mitigation: 'Put a thorough communication strategy in place',
            responsiblePartner: RUTLAND_RCC,
          },
          {
            risk: '101 being dissolved with nothing to replace',
            severity: 'high',
            likelihood: 'high',
            mitigation: 'Agree a new way of taking anti-social behaviour calls with Leicestershire colleagues',
            responsiblePartner: RUTLAND_RCC,
          },
          {
            risk: 'Small numbers of first time entrants, small increases/ decreases skew figures',
            severity: 'medium',
            likelihood: 'medium',
            mitigation: 'Make sure every partner can explain changes in first-time entrant figures',
            responsiblePartner: 'Strategic Group',
          },
          {
            risk: 'Failure to engage with the community',
            severity: 'medium',
            likelihood: 'low',
            mitigation: 'Deliver the communication strategy well',
            responsiblePartner: 'Community Safety Partnership Strategic Group',
          },
        ],
      },
      {
        title: 'Road Safety',
        why: 'Speeding was the top concern in the neighbourhood policing consultation (29% of respondents), and recent deaths on the roads added to the call for action.',
        geographicalContext:
          'Most serious collisions happen on rural roads away from settlements; residents reported speeding in Ashwell, Langham, Whissendine, villages in the north east of the county and Uppingham.',
        whatWeWillDo:
          'Education for those most at risk, enforcement against illegal road use, and engineering changes to roads and speed limits where they reduce collisions, each led by a task and finish group.',
        leadOrganisation: 'Rutland County Council',
        objectives: [
          { title: 'Reduce the number of people killed or seriously injured on Rutland roads' },
          { title: 'Increase participation in the Pass Plus scheme' },
        ],
        resources: [
          {
            kind: 'money',
            description:
              'Specific Road Safety Grant, shared with the Leicester, Leicestershire and Rutland Road Safety Partnership and the local education programme',
            fundingSource: 'Specific Road Safety Grant',
          },
          { kind: 'staff_time', description: 'Road Safety Officer delivering education and training in schools' },
          { kind: 'in_kind', description: 'Mobile safety camera programme of the Safety Camera Partnership and police speed checks' },
        ],
        risks: [
          {
            risk: 'Targets and involve numbers making targets difficult to plan for and achieve',
            severity: 'medium',
            likelihood: 'medium',
            mitigation: 'Carry out the action plans properly',
            responsiblePartner: 'Highways, Rutland County Council, Leicestershire Constabulary',
          },
        ],
      },
      {
        title: 'Volume Crime',
        why: 'Burglary, vehicle crime and violence are the offences that happen most often in Rutland and touch the most victims, even though residents did not rank them highly in consultation.',
        geographicalContext:
          'Violent crime is concentrated in three beats (Oakham, Uppingham and Rutland North East); there are no burglary or vehicle crime hotspots, though some beat profiles mention them.',
        whatWeWillDo:
          'Traditional crime reduction by the police, support from the council community safety team, better reporting of domestic violence, and action on the link between alcohol and violence.',
        leadOrganisation: 'Leicestershire Constabulary',
        objectives: [{ title: 'Reduce serious volume crime' }],
        resources: [
          { kind: 'money', description: "Domestic violence outreach service provided by Women's Aid", amount: 40_000 },
          { kind: 'money', description: 'Crime reduction event for home owners and businesses', amount: 5_000 },
          { kind: 'staff_time', description: 'Police crime reduction staff, including the Community Safety Sergeant and PCSOs' },
        ],
        risks: [
          {
            risk: 'Lack of clarity about how the links between violent crime and alcohol can be broken',
            severity: 'medium',
            likelihood: 'medium',
            mitigation: 'Learn from areas that have succeeded; a strong alcohol strategy',
            responsiblePartner: 'Leicestershire Constabulary; Community Safety Team, RCC (inc. DAAT)',
          },
          {
            risk: 'Financial position of Leicestershire Constabulary may mean cuts to front line policing',
            severity: 'medium',
            likelihood: 'medium',
            mitigation: 'Use every resource available to the partnership efficiently',
            responsiblePartner: 'Community Safety Partnership Strategic Group',
          },
          {
            risk: 'Rise in prison population may lead to an increase in reported violent crime',
            severity: 'high',
            likelihood: 'high',
            mitigation: 'Check whether offences in prison affect the figures; keep press briefings balanced',
            responsiblePartner: 'Leicestershire Constabulary',
          },
        ],
      },
      {
        title: 'Reducing Re-Offending',
        why: 'National policy has moved towards managing offenders as well as places and victims, and the partnership already works with individuals who cause harm, so re-offending is a priority even though the strategic assessment said little about offenders.',
        whatWeWillDo:
          'Probation and the Youth Offending Service deliver their mainstream work with adult and young offenders, and the multi-agency prolific and priority offender scheme works with those causing most harm.',
        leadOrganisation: 'Leicestershire and Rutland Probation Service',
        objectives: [{ title: 'Reduce re-offending through the improved management of offenders' }],
        resources: [
          { kind: 'money', description: 'Multi Agency Prolific and Priority Offender Management scheme', amount: 8_000 },
          { kind: 'in_kind', description: 'Youth Offending Service pre-court and post-court work' },
        ],
        risks: [
          {
            risk: 'A focus on offenders may actually lead to an increase in proven re-offending',
            severity: 'high',
            likelihood: 'low',
            mitigation: 'Use baselines that are as recent as possible',
            responsiblePartner: 'Leicestershire and Rutland Probation Service; Youth Offending Service',
          },
          {
            risk: 'Funding for MAPPOM and YISP may be discontinued',
            severity: 'high',
            likelihood: 'medium',
            mitigation: 'Strong bids for the LAA pooled budget',
            responsiblePartner: 'Community Safety Partnership Strategic Group',
          },
          {
            risk: 'Specific data not available for Rutland from Probation Service',
            severity: 'medium',
            likelihood: 'medium',
            mitigation: 'Probation to separate out Rutland figures',
            responsiblePartner: 'Leicestershire and Rutland Probation Service',
          },
          {
            risk: 'Level of serious offending low in Rutland so % reductions will be problematic',
            severity: 'high',
            likelihood: 'high',
            mitigation: 'Set realistic targets; agree a maintenance target with GOEM',
            responsiblePartner: 'Leicestershire and Rutland Probation Service; Community Safety Strategic Group',
          },
          {
            risk: 'Low numbers of offenders from Rutland mean that small number increases/ decreases lead to large % changes',
            severity: 'high',
            likelihood: 'high',
          },
        ],
      },
    ],
    themes: [
      {
        title: 'Alcohol misuse',
        description: 'Delivered with the Drug and Alcohol Action Team through the Rutland Alcohol Strategy 2008-11.',
        priorities: ['Anti Social Behaviour', 'Volume Crime', 'Reducing Re-Offending'],
      },
      { title: 'Drug misuse', priorities: ['Anti Social Behaviour', 'Reducing Re-Offending'] },
      {
        title: 'Social exclusion',
        description: 'Protecting vulnerable people while supporting those at risk of offending.',
        priorities: 'all',
      },
    ],
    groups: [
      {
        name: 'Community Safety Strategic Group',
        purpose: 'Performance manages the plan and makes sure delivery arrangements are in place.',
      },
      {
        name: 'Joint Action Group',
        purpose: 'Leads operational delivery, agrees actions on emerging issues and reports exceptions.',
        meetingFrequency: 'Every 2 weeks',
        reportsTo: 'Community Safety Strategic Group',
      },
      {
        name: 'Local Offender Management Panel',
        purpose: 'Identifies the offenders causing most harm and plans how to reduce it.',
        reportsTo: 'Community Safety Strategic Group',
      },
      {
        name: 'Domestic Violence Forum',
        purpose: 'Delivers the domestic violence strategy.',
        reportsTo: 'Community Safety Strategic Group',
      },
      {
        name: 'Road Safety Task and Finish Groups',
        purpose: 'Three groups for education, engineering and enforcement.',
        reportsTo: 'Community Safety Strategic Group',
      },
    ],
    engagement: [
      {
        method: 'Neighbourhood policing consultation',
        description: 'Leicestershire Constabulary asks residents about local priorities about every six months.',
      },
      {
        method: 'Sustainable Communities Strategy consultation',
        description: "The council's wide consultation on its strategy includes community safety.",
      },
      { method: 'Place Survey', description: 'The annual survey used to follow perception targets locally.' },
      { method: 'Neighbourhood surgeries', description: 'Held in hotspots, using police and member surgeries where possible.' },
      {
        method: 'Community Safety Partnership public meetings',
        description: 'The full partnership meets twice a year with residents invited.',
      },
    ],
    events: [
      { eventDate: '2008-04-27', event: 'Rutland to Melton International CiCLE Classic', attendees: 'RCC / Leics Police' },
      { eventDate: '2008-05-05', event: 'Braunston May Fayre', attendees: 'RCC / Leics Police' },
      { eventDate: '2008-05-26', event: 'Exton Street Market', attendees: 'RCC / Leics Police' },
      { eventDate: '2008-06-01', event: 'Rutland County Show, Burley on the Hill', attendees: 'RCC / Leics Police' },
      { eventDate: '2008-06-29', event: 'Oakham Carnival & Fun Day', attendees: 'RCC / Leics Police' },
      { eventDate: '2008-08-03', event: 'Uppingham Dog Show', attendees: 'RCC / Leics Police' },
      { eventDate: '2008-08-16', event: 'Open Air Concert @ Oakham Castle' },
      { eventDate: '2008-09-13', event: 'Rutland Day, Normanton', attendees: 'RCC / Leics Police' },
      { eventDate: '2008-09-14', event: 'Classic Cars, Uppingham' },
    ],
    links: [
      { title: 'Sustainable Communities Strategy' },
      { title: 'Local Area Agreement' },
      { title: 'Local Transport Plan' },
      { title: 'Home Office Community Safety Strategy 2008-11' },
      { title: 'PSA Delivery Agreements 14, 23, 24 and 25' },
      { title: 'Rutland Alcohol Strategy 2008-11' },
      { title: "Children and Young People's Plan" },
      { title: 'Youth Justice Plan' },
    ],
  },
  {
    partnership: 'Rochford Community Safety Partnership',
    title: 'Rochford Community Safety Partnership Plan',
    startYear: 2008,
    endYear: 2011,
    label: '2010/11 review',
    year: 2010,
    vision:
      'Partners working together so that the district offers the best possible quality of life to everyone who lives, works or visits here.',
    introduction:
      'The three-year plan is reviewed every year after the strategic assessment. The 2010/11 assessment set six priorities for April 2010 to March 2011, each owned by a sub group with an action plan and funding; progress is reported quarterly to the Steering Group.',
    approval: {
      approvedBy: 'Rochford Community Safety Partnership Steering Group',
      approvedOn: '2010-04-01',
      meeting: 'Not stated in the published summary (demo data)',
    },
    priorities: [
      {
        title: 'Reduce anti-social behaviour by 10% during 2010/2011',
        why: 'Incidents fell by 4.0% in 2009/10, short of the 5% aim.',
        leadOrganisation: 'Essex Police',
      },
      {
        title: 'Reduce Theft From Motor Vehicle by 10% during 2010/2011',
        why: 'A rise in thefts from vehicles was identified in the 2010/11 strategic assessment.',
      },
      {
        title: 'Reduce Robbery by 5% during 2010/2011',
        why: 'Robbery offences increased and are tackled by the same new sub group as vehicle crime.',
      },
      {
        title:
          'Reduce the number of repeat incidents of domestic violence cases reviewed at MARAC and increase reporting rates of domestic abuse by 10%',
        why: 'Reporting of domestic abuse fell and repeat incidents rose in 2009/10.',
      },
      {
        title: 'Reduce alcohol related disorder by 5% during 2010/2011 and increase baseline data on drug offences and service provision',
        why: 'Alcohol-related assaults fell by 15.8% in 2009/10; the partnership wants to keep that going and understand drug misuse better.',
      },
      {
        title:
          'A task and finish group to tackle ASB driving, reduce speeding throughout the District and encourage safer parking especially around schools',
        why: 'Residents raised anti-social driving, speeding and parking near schools.',
      },
    ],
    groups: [
      {
        name: 'Steering Group',
        purpose:
          'Strategic leadership and management of the partnership: writes the annual plan, manages performance and finances, and allocates funding to projects over £2,000.',
      },
      {
        name: 'Reference Group',
        purpose: 'Statutory partners with non-statutory and voluntary sector members.',
        reportsTo: 'Steering Group',
      },
      { name: 'ASB Joint Action Group (JAG)', purpose: 'Tackles anti-social behaviour.', reportsTo: 'Steering Group' },
      {
        name: 'Domestic Abuse Panel (DAP)',
        purpose: 'Works with victims and perpetrators of domestic abuse.',
        reportsTo: 'Steering Group',
      },
      {
        name: 'Theft From Motor Vehicle and Robbery sub group',
        purpose: 'New in 2010/11 for the vehicle crime and robbery priorities.',
        reportsTo: 'Steering Group',
      },
      {
        name: 'Rochford Substance Misuse Group',
        purpose: 'New in 2010/11 for the alcohol and drugs priority.',
        reportsTo: 'Steering Group',
      },
      {
        name: 'ASB driving and parking task and finish group',
        purpose: 'New in 2010/11 for anti-social driving, speeding and parking.',
        reportsTo: 'Steering Group',
      },
      {
        name: 'Prolific and Priority Offenders (PPO) Group',
        purpose: 'Continues its action plan on prolific offenders.',
        reportsTo: 'Steering Group',
      },
      { name: 'Public Reassurance Group', purpose: 'Continues public engagement and reassurance work.', reportsTo: 'Steering Group' },
    ],
    engagement: [
      { method: 'Citizens Panel', description: 'Residents gave their views on crime and anti-social behaviour (February 2010).' },
      {
        method: 'Rochford District Matters and newsletters',
        description: 'Quarterly newsletters and features in the newspaper delivered to every household.',
      },
    ],
  },
  {
    partnership: 'Safer Rotherham Partnership',
    title: 'Safer Rotherham Partnership Plan',
    startYear: 2009,
    endYear: 2012,
    label: '2010/11 refresh',
    year: 2010,
    vision:
      'Crime, the fear of crime and community safety are addressed in every theme of the Rotherham Community Strategy, so that the borough becomes safer and stronger.',
    introduction:
      'The plan covers April 2009 to March 2012 and is renewed each year. The 2010/11 refresh sets seven priorities from the 2009 joint strategic intelligence assessment and public consultation, each with improvement priorities and the activities that deliver them.',
    approval: {
      approvedBy: 'Safer Rotherham Partnership',
      approvedOn: '2010-04-01',
      meeting: 'Not stated in the published plan (demo data)',
    },
    priorities: [
      {
        title: 'Anti-Social Behaviour',
        why: 'Anti-social behaviour and criminal damage spoil people’s quality of life; prevention, diversion and enforcement together make people feel safer.',
        objectives: [
          {
            title: 'Tackling anti-social behaviour and damage through a combination of prevention, diversion and enforcement activities',
            activities: [
              {
                title: "Operation 'Coverage' joint patrols",
                lead: 'South Yorkshire Police',
                partners: 'Youth workers, drug misuse outreach workers',
              },
              { title: 'Co-ordinated case management of anti-social behaviour' },
            ],
          },
          {
            title: 'Tools and Powers Training',
            activities: [
              {
                title:
                  "'Building Safer and Stronger Neighbourhoods' training for Safer Neighbourhood Teams and Neighbourhood Action Group partners",
              },
            ],
          },
          {
            title: 'Keeping residents informed of the results of local activity to tackle anti-social behaviour',
            activities: [{ title: 'Impact surveys and feedback days of action in the seven Area Assembly areas' }],
          },
        ],
      },
      {
        title: 'Serious Acquisitive Crime',
        objectives: [
          {
            title: 'Reducing serious acquisitive crime (Burglary, robbery, theft of and theft from motor vehicle)',
            activities: [
              { title: 'Target hardening and crime prevention advice in hotspot areas' },
              { title: 'Publicise sentencing outcomes' },
            ],
          },
        ],
      },
      {
        title: 'Reducing Re-Offending and Managing Offending Behaviour',
        objectives: [
          {
            title: 'Reducing offending behaviour by addressing risks and harms',
            activities: [{ title: 'Integrated Offender Management and the PPO programme' }],
          },
        ],
      },
      {
        title: 'Serious Violent Crime',
        objectives: [
          {
            title: 'Reduce violent crime, including domestic abuse across the borough',
            activities: [{ title: 'Independent Domestic Violence Advocacy Service for high-risk victims' }],
          },
          { title: 'Improve the overall approach to addressing violent crime' },
          {
            title: 'Improve partnership working on the wider violence agenda',
            activities: [{ title: "'Operation Conquer' multi-agency plan against violent crime" }],
          },
          {
            title: 'Reduce alcohol related violent crime across the borough',
            activities: [{ title: 'Voluntary code of conduct for licensed premises' }, { title: 'Street Drinking Initiative' }],
          },
        ],
      },
      {
        title: 'Improving lives by reducing the harm caused by substance misuse',
        why: 'Drug misuse harms individuals, families and communities and costs the borough a great deal.',
        objectives: [
          { title: 'To increase the numbers of problematic drug users accessing treatment.' },
          {
            title:
              "To raise Drug misuse awareness and accessibility to treatment services within Rotherham's communities and throughout partner agencies.",
          },
          {
            title:
              'To develop a package of support to help drug and alcohol users achieve a settled lifestyle and become involved in pro social relationships and activities.',
          },
          { title: "Addressing education and drug Misuse needs of Rotherham's Young People." },
        ],
      },
      {
        title:
          'Reducing and managing perceptions of crime and anti-social behaviour and improving community confidence and public satisfaction',
        objectives: [
          {
            title: 'Improve public reassurance and the fear of crime by actively communicating, engaging and involving local people',
            activities: [{ title: "'Face the People' events" }, { title: 'Monthly Partners and Communities Together meetings' }],
          },
        ],
      },
      {
        title: 'Improving the quality of life of our most vulnerable communities',
        objectives: [
          {
            title: 'To improve the quality of life in our most vulnerable communities.',
            activities: [{ title: 'Hate crime awareness events, including in schools and colleges' }],
          },
        ],
      },
    ],
    themes: [
      { title: 'The economy', priorities: 'all' },
      {
        title: 'Alcohol',
        priorities: ['Anti-Social Behaviour', 'Serious Violent Crime', 'Improving lives by reducing the harm caused by substance misuse'],
      },
      { title: 'Young people', priorities: ['Anti-Social Behaviour', 'Improving lives by reducing the harm caused by substance misuse'] },
    ],
    groups: [
      {
        name: 'Rotherham Partnership',
        purpose: 'The local strategic partnership: guides all partnerships and steers resources to the Community Strategy.',
      },
      {
        name: 'Safe Theme Board',
        purpose: 'Public, private and voluntary representatives who review the plans and check community consultation.',
        reportsTo: 'Rotherham Partnership',
      },
      {
        name: 'Safer Rotherham Partnership',
        purpose: 'Senior officers of the responsible authorities: sets direction and decides activity, resources and problem solving.',
        meetingFrequency: 'Monthly',
        reportsTo: 'Safe Theme Board',
      },
      {
        name: 'Joint Action Group',
        purpose: 'The operational arm: co-ordinates responses to issues found in the intelligence.',
        reportsTo: 'Safer Rotherham Partnership',
      },
      {
        name: 'Priority Groups',
        purpose: 'Multi-agency groups commissioning and delivering each priority.',
        reportsTo: 'Safer Rotherham Partnership',
      },
      {
        name: 'Neighbourhood Action Groups',
        purpose: 'Local problem-solving groups for hotspots, reporting to the Joint Action Group.',
        reportsTo: 'Joint Action Group',
      },
    ],
  },
  {
    partnership: 'Safer Rotherham Partnership',
    title: 'Safer Rotherham Partnership Plan',
    startYear: 2016,
    endYear: 2019,
    label: '2016-19',
    year: 2016,
    vision: 'Partners working together to make Rotherham safe, keep it safe, and make sure its communities feel safe.',
    introduction:
      'The partnership must have a plan for tackling crime and disorder and refreshes it at the start of each financial year, showing the progress made. Six priorities come from the joint strategic intelligence assessment, with alcohol and substance misuse running through all of them.',
    approval: {
      approvedBy: 'Safer Rotherham Partnership Board',
      approvedOn: '2016-04-01',
      meeting: 'Not stated in the published plan (demo data)',
    },
    priorities: [
      {
        title: 'Reducing the Threat of Child Sexual Exploitation (CSE) and the Harm to Victims and Survivors',
        why: 'Preventing and tackling child sexual exploitation is the first priority of the council and the police; victims and families must trust the multi-agency response, and more historic reports are expected.',
        whatWeWillDo: 'Support the Local Safeguarding Children Board, which leads this work, and make sure every agency plays its part.',
        leadOrganisation: 'Rotherham Metropolitan Borough Council',
        objectives: [
          { title: 'Increased staff awareness' },
          { title: 'Effective information sharing' },
          { title: 'Targeted preventative measures' },
          { title: "Disruption in intelligence-led 'hot spot' locations" },
        ],
      },
      {
        title: 'Building Confident and Cohesive Communities',
        why: 'Protests since 2014 raised tensions and hate crime, much of it unreported; division between communities affects every part of life in the borough.',
        objectives: [
          {
            title: 'Joint community engagement and tension monitoring plans',
            activities: [{ title: 'Review the tactical approach to policing protests', lead: 'South Yorkshire Police' }],
          },
          { title: 'Build confidence in reporting hate crime' },
        ],
      },
      {
        title: 'Reducing the Threat of Domestic Abuse and reducing the harm to victims and survivors',
        why: 'Domestic-related crime rose by 28% (386 more incidents) in 2015/16 compared with 2014/15, and only a multi-agency response can turn that round.',
        objectives: [
          { title: 'Listen and learn from victims and survivors' },
          { title: 'Offender management to reduce repeat offences' },
          { title: 'Engage communities affected by honour based abuse and forced marriage' },
        ],
      },
      {
        title: 'Reducing and Managing Anti-social Behaviour (ASB) and Criminal Damage',
        why: 'Anti-social behaviour matters most to residents’ sense of safety; it fell last year and the partnership wants to build on that.',
        objectives: [
          { title: 'Joint enforcement and diversion in high-demand locations' },
          {
            title: 'A safe, clean and vibrant town centre',
            activities: [{ title: 'Community Justice Panels bringing perpetrators and victims together' }],
          },
        ],
      },
      {
        title: 'Reducing the Risk of Becoming a Victim of Domestic Burglary',
        why: 'Burglary rose towards the end of 2015 above the rate of similar partnerships, and it leaves families feeling unsafe at home.',
        objectives: [
          { title: 'Bring offenders to justice and manage prolific offenders' },
          {
            title: 'Raise crime prevention awareness across the borough',
            activities: [
              { title: 'Seasonal crime prevention initiatives' },
              { title: "Campaign with 'Crime Stoppers' on stolen property" },
            ],
          },
        ],
      },
      {
        title: 'Reducing Violent Crime and Sexual Offences',
        why: 'Recorded violence and sexual offences rose; a new priority so that the partnership understands the increase before acting.',
        objectives: [{ title: 'Review how common these crimes are and how agencies respond' }],
      },
    ],
    themes: [{ title: 'Alcohol & Substance Misuse', description: 'Runs across all six priorities.', priorities: 'all' }],
    groups: [
      { name: 'Rotherham Together Strategic Partnership', purpose: 'The local strategic partnership to which the Board is accountable.' },
      {
        name: 'Safer Rotherham Partnership Board',
        purpose: 'Sets strategic direction, oversees priority action plans and funding, and monitors performance.',
        meetingFrequency: 'Bi-monthly',
        reportsTo: 'Rotherham Together Strategic Partnership',
      },
      {
        name: 'Performance and Delivery Group',
        purpose: 'Links the strategic and operational arms and makes tactical resourcing decisions.',
        reportsTo: 'Safer Rotherham Partnership Board',
      },
      {
        name: 'Priority/Task & Finish Groups',
        purpose: 'Deliver thematic outcomes and drive the Case Identification Meetings.',
        reportsTo: 'Performance and Delivery Group',
      },
      {
        name: 'Case Identification Meetings',
        purpose: 'Local multi-agency groups across the borough.',
        reportsTo: 'Priority/Task & Finish Groups',
      },
    ],
    funding: [
      {
        name: 'Community Safety Fund 2016/17',
        funder: 'South Yorkshire Police & Crime Commissioner',
        amount: 224_550,
        notes: 'A contribution to both the partnership’s and the Commissioner’s priorities.',
      },
    ],
    links: [
      { title: 'South Yorkshire Police & Crime Plan 2013/17 (Refreshed March 2016)' },
      { title: 'Rotherham Local Safeguarding Children Board Business Plan 2014/15' },
      { title: 'Rotherham Joint Health & Wellbeing Strategy' },
    ],
  },
];

/** Enters the demo plans of a partnership through the services, approves and publishes them. */
export async function seedDemoPlans(db: Kysely<Database>, actor: Actor, partnershipId: number, partnershipName: string): Promise<void> {
  const orgs = await listOrganisations(db, partnershipId);
  const orgId = (name?: string) => (name ? String(orgs.find((o) => o.name === name)?.id ?? '') : '');
  for (const demo of DEMO_PLANS.filter((d) => d.partnership === partnershipName)) {
    const { version } = await createPlan(db, actor, partnershipId, {
      title: demo.title,
      startYear: demo.startYear,
      endYear: demo.endYear,
      label: demo.label,
      year: demo.year,
    });
    await updateVersionText(db, actor, partnershipId, version.id, {
      label: demo.label,
      vision: demo.vision,
      introduction: demo.introduction,
    });
    const add = (kind: Parameters<typeof createPart>[3], parentId: number, input: PartInput) =>
      createPart(db, actor, partnershipId, kind, parentId, input);
    const priorityIds = new Map<string, number>();
    for (const p of demo.priorities) {
      const row = await add('priority', version.id, {
        title: p.title,
        why: p.why,
        whatWeWillDo: p.whatWeWillDo,
        geographicalContext: p.geographicalContext,
        leadOrganisationId: orgId(p.leadOrganisation),
        leadOfficer: p.leadOfficer,
      });
      priorityIds.set(p.title, row.id);
      for (const o of p.objectives ?? []) {
        const obj = await add('objective', row.id, { title: o.title, description: o.description });
        for (const a of o.activities ?? []) await add('activity', obj.id, { ...a, status: 'in_progress' });
      }
      for (const r of p.resources ?? []) await add('resource', row.id, r);
      for (const r of p.risks ?? []) await add('risk', row.id, r);
    }
    for (const t of demo.themes ?? []) {
      const ids = t.priorities === 'all' ? [...priorityIds.values()] : t.priorities.map((title) => priorityIds.get(title)!);
      await add('theme', version.id, { title: t.title, description: t.description, priorityIds: ids.map(String) });
    }
    const groupIds = new Map<string, number>();
    for (const g of demo.groups ?? []) {
      const row = await add('group', version.id, {
        ...g,
        memberOrganisations: (g.memberOrganisations ?? []).join('\n'),
        reportsToGroupId: g.reportsTo ? String(groupIds.get(g.reportsTo)) : '',
      });
      groupIds.set(g.name, row.id);
    }
    for (const e of demo.engagement ?? []) await add('engagement', version.id, e);
    for (const e of demo.events ?? []) await add('event', version.id, e);
    for (const l of demo.links ?? []) await add('link', version.id, l);
    for (const f of demo.funding ?? []) await add('stream', version.id, f);
    if (demo.approval) {
      await approveVersion(db, actor, partnershipId, version.id, demo.approval);
      await publishVersion(db, actor, partnershipId, version.id);
    }
  }
}
