/**
 * The three demo partnerships of the seed documents (Safer Rotherham, Rochford, Rutland) with the partner
 * organisations the documents name. Descriptions are written for CSP Hub; names are as published.
 * Populations are Office for National Statistics mid-year estimates, rounded to the nearest hundred.
 */
import type { OrganisationType } from '../adapters/database/schema.ts';

export interface DemoPartnership {
  name: string;
  areaDescription: string;
  populations: { year: number; population: number }[];
  organisations: { name: string; type: OrganisationType; description?: string }[];
}

export const DEMO_PARTNERSHIPS: DemoPartnership[] = [
  {
    name: 'Safer Rotherham Partnership',
    areaDescription:
      'The metropolitan borough of Rotherham in South Yorkshire: the town of Rotherham and surrounding towns and villages, policed by South Yorkshire Police.',
    populations: [
      { year: 2009, population: 253_900 },
      { year: 2010, population: 254_600 },
      { year: 2016, population: 261_900 },
      { year: 2017, population: 262_500 },
      { year: 2018, population: 263_400 },
      { year: 2019, population: 264_700 },
      { year: 2020, population: 265_800 },
    ],
    organisations: [
      { name: 'Rotherham Metropolitan Borough Council', type: 'responsible_authority' },
      { name: 'South Yorkshire Police', type: 'responsible_authority' },
      { name: 'South Yorkshire Fire & Rescue Service', type: 'responsible_authority' },
      { name: 'National Probation Service', type: 'responsible_authority' },
      { name: 'South Yorkshire Community Rehabilitation Company', type: 'responsible_authority' },
      { name: 'Rotherham Clinical Commissioning Group', type: 'responsible_authority' },
      { name: 'Office of the South Yorkshire Police and Crime Commissioner', type: 'co_operating_body' },
    ],
  },
  {
    name: 'Rochford Community Safety Partnership',
    areaDescription:
      'Rochford District in south-east Essex, between the Crouch and Roach estuaries: Rayleigh, Rochford, Hockley, Hawkwell and smaller rural villages.',
    populations: [
      { year: 2008, population: 82_500 },
      { year: 2009, population: 82_700 },
      { year: 2010, population: 83_100 },
    ],
    organisations: [
      { name: 'Rochford District Council', type: 'responsible_authority' },
      { name: 'Essex County Council', type: 'responsible_authority' },
      { name: 'South East Essex Primary Care Trust', type: 'responsible_authority' },
      { name: 'Essex Police', type: 'responsible_authority' },
      { name: 'Essex Police Authority', type: 'responsible_authority' },
      { name: 'Essex Fire and Rescue Service', type: 'responsible_authority' },
      { name: 'Essex Probation Service', type: 'responsible_authority', description: 'A responsible authority from 1 April 2010.' },
    ],
  },
  {
    name: 'Rutland Community Safety Partnership',
    areaDescription:
      'The county of Rutland in the East Midlands, a small rural unitary authority around the market towns of Oakham and Uppingham, within the Leicester, Leicestershire and Rutland sub-region.',
    populations: [
      { year: 2008, population: 38_400 },
      { year: 2009, population: 38_300 },
      { year: 2010, population: 37_600 },
    ],
    organisations: [
      { name: 'Rutland County Council', type: 'responsible_authority' },
      { name: 'Leicestershire Constabulary', type: 'responsible_authority' },
      { name: 'Leicestershire and Rutland Probation Service', type: 'responsible_authority' },
      { name: 'Primary Care Trust', type: 'responsible_authority' },
      { name: 'Youth Offending Service', type: 'co_operating_body' },
      { name: 'Drug and Alcohol Action Team', type: 'other' },
      { name: "Women's Aid", type: 'voluntary_community', description: 'Provides the domestic violence outreach service.' },
    ],
  },
];
