/**
 * A deterministic generator of realistic police.uk street-level files, for demonstrations, tests and the
 * national-scale benchmark. Same seed and options, same bytes. It follows the published layout exactly
 * (src/domain/policeUkLayout.ts): twelve columns with a header row, one file per force per month at
 * `YYYY-MM/YYYY-MM-<force>-street.csv`, ASB rows with an empty Crime ID and outcome, some records without a
 * location, LSOA names that start with the local authority name ("Rotherham 012A"), crime type proportions
 * close to the national mix, summer and winter seasonality, and a few hotspot LSOAs per local authority.
 */
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { addMonths, parseMonthKey } from '../../domain/index.ts';
import {
  ANTI_SOCIAL_BEHAVIOUR,
  CRIME_TYPES,
  OUTCOME_CATEGORIES,
  STREET_COLUMNS,
  streetFilePath,
  type CrimeType,
} from '../../domain/policeUkLayout.ts';

// ---------------------------------------------------------------------------------------------------------
// Seeded pseudo-random numbers (mulberry32: small, fast, good enough for synthetic data).

export type Random = () => number;

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed mixed from a base seed and a label, so each month and force has its own stream. */
function mixSeed(seed: number, label: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function normal(random: Random): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

// ---------------------------------------------------------------------------------------------------------
// Areas: forces, their local authorities and LSOAs.

export interface GeneratorLocalAuthority {
  /** The name police.uk LSOA names start with, e.g. 'Rotherham'. */
  name: string;
  /** Number of LSOAs (about 1,600 residents each). */
  lsoas: number;
  /** Approximate centre [longitude, latitude]. */
  centre: readonly [number, number];
}

export interface GeneratorForce {
  /** The force part of the file name, e.g. 'south-yorkshire'. */
  slug: string;
  /** 'Reported by' and 'Falls within', e.g. 'South Yorkshire Police'. */
  name: string;
  localAuthorities: readonly GeneratorLocalAuthority[];
}

export const DEFAULT_FORCES: readonly GeneratorForce[] = [
  {
    slug: 'south-yorkshire',
    name: 'South Yorkshire Police',
    localAuthorities: [
      { name: 'Rotherham', lsoas: 167, centre: [-1.357, 53.43] },
      { name: 'Sheffield', lsoas: 345, centre: [-1.47, 53.381] },
      { name: 'Barnsley', lsoas: 148, centre: [-1.48, 53.552] },
      { name: 'Doncaster', lsoas: 194, centre: [-1.133, 53.523] },
    ],
  },
  {
    slug: 'essex',
    name: 'Essex Police',
    localAuthorities: [
      { name: 'Rochford', lsoas: 52, centre: [0.707, 51.582] },
      { name: 'Basildon', lsoas: 115, centre: [0.457, 51.576] },
      { name: 'Southend-on-Sea', lsoas: 107, centre: [0.711, 51.538] },
      { name: 'Colchester', lsoas: 114, centre: [0.901, 51.889] },
    ],
  },
  {
    slug: 'west-mercia',
    name: 'West Mercia Police',
    localAuthorities: [
      { name: 'Worcester', lsoas: 62, centre: [-2.22, 52.192] },
      { name: 'Shropshire', lsoas: 193, centre: [-2.75, 52.707] },
      { name: 'Herefordshire', lsoas: 116, centre: [-2.716, 52.056] },
    ],
  },
];

/**
 * A national-scale layout for benchmarks: the three forces above plus 41 made-up ones ('force-04' to 'force-44',
 * four local authorities each), about 35,000 LSOAs in all, like England and Wales's 44 forces and 35,672 LSOAs.
 * A partnership's area then holds about the share of the national records that a real one does.
 */
export function nationalForces(): GeneratorForce[] {
  const made: GeneratorForce[] = [];
  for (let n = 4; n <= 44; n++) {
    const id = String(n).padStart(2, '0');
    // Spread the centres over England and Wales.
    const lon = -4.5 + ((n * 7) % 41) * 0.15;
    const lat = 50.5 + ((n * 11) % 41) * 0.09;
    made.push({
      slug: `force-${id}`,
      name: `Force ${id} Police`,
      localAuthorities: ['A', 'B', 'C', 'D'].map((letter, i) => ({
        name: `Borough ${id}${letter}`,
        lsoas: 190 + ((n * 13 + i * 29) % 50),
        centre: [lon + i * 0.2, lat + (i % 2) * 0.15] as [number, number],
      })),
    });
  }
  return [...DEFAULT_FORCES, ...made];
}

export interface GeneratedLsoa {
  code: string;
  name: string;
  localAuthority: string;
  force: string;
  longitude: number;
  latitude: number;
  /** Relative share of the force's crime. */
  weight: number;
}

/** The LSOAs of the given forces, with codes numbered in order from E01000001 and fixed weights per seed. */
export function generatedLsoas(forces: readonly GeneratorForce[], seed: number): GeneratedLsoa[] {
  const random = seededRandom(mixSeed(seed, 'areas'));
  const result: GeneratedLsoa[] = [];
  let next = 1;
  for (const force of forces) {
    for (const la of force.localAuthorities) {
      for (let i = 0; i < la.lsoas; i++) {
        const msoa = Math.floor(i / 4) + 1;
        const letter = 'ABCD'[i % 4] as string;
        // Log-normal spread of crime between LSOAs, with one in twenty a hotspot (a town centre, a retail park).
        const hotspot = random() < 0.05 ? 6 : 1;
        result.push({
          code: `E01${String(next++).padStart(6, '0')}`,
          name: `${la.name} ${String(msoa).padStart(3, '0')}${letter}`,
          localAuthority: la.name,
          force: force.slug,
          longitude: la.centre[0] + normal(random) * 0.04,
          latitude: la.centre[1] + normal(random) * 0.025,
          weight: Math.exp(0.7 * normal(random)) * hotspot,
        });
      }
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Mix of crime types, seasonality and outcomes.

/** Approximate national shares of street-level records (crime and ASB together), in per cent. */
export const CRIME_TYPE_SHARES: Readonly<Record<CrimeType, number>> = {
  'Anti-social behaviour': 19,
  'Bicycle theft': 1,
  Burglary: 4.5,
  'Criminal damage and arson': 8,
  Drugs: 2.6,
  'Other crime': 2.1,
  'Other theft': 6.5,
  'Possession of weapons': 0.9,
  'Public order': 8.3,
  Robbery: 1.2,
  Shoplifting: 6.6,
  'Theft from the person': 1.7,
  'Vehicle crime': 6.2,
  'Violence and sexual offences': 31.4,
};

/** Month-of-year multiplier (1 = January) for a crime type: ASB and violence peak in summer, burglary in winter. */
export function seasonalFactor(crimeType: CrimeType, month: number): number {
  const summer = Math.cos((2 * Math.PI * (month - 7)) / 12); // 1 in July, -1 in January
  switch (crimeType) {
    case ANTI_SOCIAL_BEHAVIOUR:
      return 1 + 0.25 * summer;
    case 'Violence and sexual offences':
    case 'Public order':
    case 'Bicycle theft':
      return 1 + 0.12 * summer;
    case 'Burglary':
    case 'Vehicle crime':
      return 1 - 0.1 * summer;
    default:
      return 1;
  }
}

const OUTCOME_WEIGHTS: Readonly<Record<(typeof OUTCOME_CATEGORIES)[number], number>> = {
  'Under investigation': 12,
  'Unable to prosecute suspect': 34,
  'Investigation complete; no suspect identified': 30,
  'Local resolution': 4,
  'Offender given a caution': 2,
  'Offender given a drugs possession warning': 0.8,
  'Offender fined': 0.5,
  'Offender given absolute discharge': 0.1,
  'Offender deprived of property': 0.1,
  'Awaiting court outcome': 5,
  'Court result unavailable': 2,
  'Court case unable to proceed': 0.6,
  'Formal action is not in the public interest': 1.5,
  'Status update unavailable': 7.4,
};

const STREETS = [
  'High Street',
  'Station Road',
  'Church Lane',
  'Market Place',
  'Park Road',
  'Victoria Street',
  'Mill Lane',
  'School Lane',
  'Queens Road',
  'The Crescent',
  'Bridge Street',
  'New Road',
  'Green Lane',
  'Manor Road',
];
const PLACES = [
  'Supermarket',
  'Parking Area',
  'Shopping Area',
  'Petrol Station',
  'Nightclub',
  'Sports/Recreation Area',
  'Further/Higher Educational Building',
  'Hospital',
  'Pedestrian Subway',
  'Conference/Exhibition Centre',
];

/** Cumulative weights for picking from a list by binary search. */
function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w;
    out[i] = sum;
  });
  return out;
}

function pick(cum: Float64Array, random: Random): number {
  const target = random() * (cum[cum.length - 1] as number);
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cum[mid] as number) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function crimeId(random: Random): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += (Math.floor(random() * 4294967296) + 4294967296).toString(16).slice(1);
  return s;
}

// ---------------------------------------------------------------------------------------------------------
// Files

export interface GeneratorOptions {
  /** Seed for the pseudo-random numbers; default 1. */
  seed?: number;
  forces?: readonly GeneratorForce[];
  /** First month, 'YYYY-MM'. */
  firstMonth: string;
  /** Number of consecutive months; default 12. */
  months?: number;
  /** Average rows per month across all forces (before seasonality). */
  rowsPerMonth: number;
  /** Share of records with no location (empty coordinates and LSOA); default 0.015. */
  noLocationShare?: number;
}

export interface GeneratedFile {
  month: string;
  force: string;
  /** Relative path, `YYYY-MM/YYYY-MM-<force>-street.csv`. */
  relativePath: string;
}

/** The files {@link writeStreetFiles} writes, in order (month, then force). */
export function plannedFiles(options: GeneratorOptions): GeneratedFile[] {
  const forces = options.forces ?? DEFAULT_FORCES;
  const files: GeneratedFile[] = [];
  parseMonthKey(options.firstMonth);
  for (let i = 0; i < (options.months ?? 12); i++) {
    const month = addMonths(options.firstMonth, i);
    for (const force of forces) files.push({ month, force: force.slug, relativePath: streetFilePath(month, force.slug) });
  }
  return files;
}

const ALL_SHARE = CRIME_TYPES.reduce((sum, t) => sum + CRIME_TYPE_SHARES[t], 0);

/**
 * The CSV text of one force's file for one month, produced in chunks of about `chunkRows` rows (header first).
 * Each (month, force) has its own random stream, so any file can be generated on its own.
 */
export function* streetFileChunks(options: GeneratorOptions, month: string, forceSlug: string, chunkRows = 20_000): Generator<string> {
  const seed = options.seed ?? 1;
  const forces = options.forces ?? DEFAULT_FORCES;
  const force = forces.find((f) => f.slug === forceSlug);
  if (!force) throw new RangeError(`Unknown force '${forceSlug}'`);
  const lsoas = generatedLsoas(forces, seed);
  const own = lsoas.filter((l) => l.force === forceSlug);
  const forceShare = own.length / lsoas.length;
  const calendarMonth = parseMonthKey(month).month;
  const typeWeights = CRIME_TYPES.map((t) => CRIME_TYPE_SHARES[t] * seasonalFactor(t, calendarMonth));
  const monthFactor = typeWeights.reduce((a, b) => a + b, 0) / ALL_SHARE;
  const random = seededRandom(mixSeed(seed, `${month}/${forceSlug}`));
  const rows = Math.round(options.rowsPerMonth * forceShare * monthFactor);
  const typeCum = cumulative(typeWeights);
  const lsoaCum = cumulative(own.map((l) => l.weight));
  const outcomeCum = cumulative(OUTCOME_CATEGORIES.map((o) => OUTCOME_WEIGHTS[o]));
  const noLocation = options.noLocationShare ?? 0.015;
  const prefix = `,${month},${force.name},${force.name},`;

  let chunk = `${STREET_COLUMNS.join(',')}\n`;
  let inChunk = 0;
  for (let i = 0; i < rows; i++) {
    const type = CRIME_TYPES[pick(typeCum, random)] as CrimeType;
    const asb = type === ANTI_SOCIAL_BEHAVIOUR;
    const id = asb ? '' : crimeId(random);
    let place: string;
    if (random() < noLocation) {
      place = ',,No Location,,';
    } else {
      const lsoa = own[pick(lsoaCum, random)] as GeneratedLsoa;
      const lon = (lsoa.longitude + (random() - 0.5) * 0.01).toFixed(6);
      const lat = (lsoa.latitude + (random() - 0.5) * 0.006).toFixed(6);
      const r = random();
      const where = r < 0.8 ? STREETS[Math.floor(random() * STREETS.length)] : PLACES[Math.floor(random() * PLACES.length)];
      place = `${lon},${lat},On or near ${where},${lsoa.code},${lsoa.name}`;
    }
    const outcome = asb ? '' : OUTCOME_CATEGORIES[pick(outcomeCum, random)];
    chunk += `${id}${prefix}${place},${type},${outcome},\n`;
    if (++inChunk >= chunkRows) {
      yield chunk;
      chunk = '';
      inChunk = 0;
    }
  }
  if (chunk !== '') yield chunk;
}

export interface WriteResult {
  files: (GeneratedFile & { path: string; bytes: number })[];
  rows: number;
}

/** Writes the generated files under `outDir` (creating month folders) and returns what was written. */
export async function writeStreetFiles(outDir: string, options: GeneratorOptions): Promise<WriteResult> {
  const result: WriteResult = { files: [], rows: 0 };
  for (const file of plannedFiles(options)) {
    const target = path.join(outDir, file.relativePath);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const out = fs.createWriteStream(target);
    let bytes = 0;
    let lines = 0;
    for (const chunk of streetFileChunks(options, file.month, file.force)) {
      bytes += Buffer.byteLength(chunk);
      for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) lines++;
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    result.files.push({ ...file, path: target, bytes });
    result.rows += lines - 1;
  }
  return result;
}
