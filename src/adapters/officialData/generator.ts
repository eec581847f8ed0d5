/**
 * Synthetic official tables in the published layouts (ADR 0028), for fixtures, tests and the benchmark: the Home
 * Office's police recorded crime by CSP (CSV, or XLSX with one sheet per financial year) and ONS mid-year population
 * estimates (MYE4 layout with the area in square kilometres). The first CSPs are real partnership names with about
 * their real populations; the rest are named "Generated CSP 001"… Same seed and options, same bytes.
 */
import fs from 'node:fs';
import type ExcelJS from 'exceljs';
import { seededRandom } from '../crimeStore/generator.ts';
import { CRIME_COLUMNS, financialYearLabel } from '../../domain/officialData.ts';
import { DEPRIVATION_COLUMNS, decileOfRank } from '../../domain/deprivation.ts';

export interface GeneratedCsp {
  name: string;
  force: string;
  code: string;
  population: number;
  areaSqKm: number;
}

/** A selection of Home Office offence codes with their descriptions, groups and subgroups. */
export const GENERATED_OFFENCES: { code: string; description: string; group: string; subgroup: string; per1000: number }[] = [
  { code: '1', description: 'Murder', group: 'Violence against the person', subgroup: 'Homicide', per1000: 0.01 },
  { code: '8N', description: 'Assault with injury', group: 'Violence against the person', subgroup: 'Violence with injury', per1000: 8 },
  {
    code: '105A',
    description: 'Assault without injury',
    group: 'Violence against the person',
    subgroup: 'Violence without injury',
    per1000: 10,
  },
  { code: '8Q', description: 'Stalking', group: 'Violence against the person', subgroup: 'Stalking and harassment', per1000: 3 },
  { code: '8R', description: 'Harassment', group: 'Violence against the person', subgroup: 'Stalking and harassment', per1000: 6 },
  {
    code: '17A',
    description: 'Sexual assault on a female aged 13 and over',
    group: 'Sexual offences',
    subgroup: 'Other sexual offences',
    per1000: 0.8,
  },
  { code: '19C', description: 'Rape of a female aged 16 and over', group: 'Sexual offences', subgroup: 'Rape', per1000: 0.7 },
  { code: '34A', description: 'Robbery of business property', group: 'Robbery', subgroup: 'Robbery of business property', per1000: 0.1 },
  { code: '34B', description: 'Robbery of personal property', group: 'Robbery', subgroup: 'Robbery of personal property', per1000: 1 },
  { code: '28E', description: 'Burglary - residential', group: 'Theft offences', subgroup: 'Burglary', per1000: 4 },
  { code: '30C', description: 'Burglary - business and community', group: 'Theft offences', subgroup: 'Burglary', per1000: 1.5 },
  { code: '45', description: 'Theft from vehicle', group: 'Theft offences', subgroup: 'Vehicle offences', per1000: 3 },
  {
    code: '48',
    description: 'Theft or unauthorised taking of motor vehicle',
    group: 'Theft offences',
    subgroup: 'Vehicle offences',
    per1000: 1.8,
  },
  { code: '46', description: 'Shoplifting', group: 'Theft offences', subgroup: 'Shoplifting', per1000: 6 },
  { code: '49', description: 'Other theft', group: 'Theft offences', subgroup: 'All other theft offences', per1000: 7 },
  { code: '44', description: 'Bicycle theft', group: 'Theft offences', subgroup: 'Bicycle theft', per1000: 1 },
  {
    code: '58A',
    description: 'Criminal damage to a dwelling',
    group: 'Criminal damage and arson',
    subgroup: 'Criminal damage',
    per1000: 3,
  },
  { code: '56A', description: 'Arson endangering life', group: 'Criminal damage and arson', subgroup: 'Arson', per1000: 0.3 },
  { code: '92A', description: 'Trafficking in controlled drugs', group: 'Drug offences', subgroup: 'Trafficking of drugs', per1000: 0.4 },
  { code: '92E', description: 'Possession of cannabis', group: 'Drug offences', subgroup: 'Possession of drugs', per1000: 2 },
  {
    code: '10A',
    description: 'Possession of firearms with intent',
    group: 'Possession of weapons offences',
    subgroup: 'Possession of weapons offences',
    per1000: 0.05,
  },
  {
    code: '10D',
    description: 'Possession of article with blade or point',
    group: 'Possession of weapons offences',
    subgroup: 'Possession of weapons offences',
    per1000: 0.7,
  },
  {
    code: '9A',
    description: 'Public fear, alarm or distress',
    group: 'Public order offences',
    subgroup: 'Public order offences',
    per1000: 5,
  },
  {
    code: '66',
    description: 'Other offences against the State or public order',
    group: 'Public order offences',
    subgroup: 'Public order offences',
    per1000: 0.5,
  },
  {
    code: '99',
    description: 'Other notifiable offences',
    group: 'Miscellaneous crimes against society',
    subgroup: 'Miscellaneous crimes against society',
    per1000: 1,
  },
];

const REAL: Omit<GeneratedCsp, 'code'>[] = [
  { name: 'Rotherham', force: 'South Yorkshire', population: 268_000, areaSqKm: 287 },
  { name: 'Sheffield', force: 'South Yorkshire', population: 556_000, areaSqKm: 368 },
  { name: 'Barnsley', force: 'South Yorkshire', population: 246_000, areaSqKm: 329 },
  { name: 'Doncaster', force: 'South Yorkshire', population: 308_000, areaSqKm: 568 },
  { name: 'Rochford', force: 'Essex', population: 87_000, areaSqKm: 169 },
  { name: 'Southend-on-Sea', force: 'Essex', population: 180_000, areaSqKm: 42 },
  { name: 'Rutland', force: 'Leicestershire', population: 41_000, areaSqKm: 382 },
  { name: 'Wakefield', force: 'West Yorkshire', population: 353_000, areaSqKm: 339 },
  { name: 'Kirklees', force: 'West Yorkshire', population: 433_000, areaSqKm: 409 },
  { name: 'Bolton', force: 'Greater Manchester', population: 296_000, areaSqKm: 140 },
  { name: 'Wigan', force: 'Greater Manchester', population: 329_000, areaSqKm: 188 },
  { name: 'Stockton-on-Tees', force: 'Cleveland', population: 197_000, areaSqKm: 204 },
];

/** `count` CSPs: the real ones first, then generated ones with populations of about 40,000 to 1,100,000. */
export function generatedCsps(count: number, seed = 17): GeneratedCsp[] {
  const random = seededRandom(seed);
  const out: GeneratedCsp[] = [];
  for (let i = 0; i < count; i++) {
    const code = `E0${7 + (i % 3)}${String(100_000 + i)
      .slice(1)
      .padStart(6, '0')}`;
    if (i < REAL.length) out.push({ ...REAL[i]!, code });
    else {
      const population = Math.round(40_000 * Math.exp(random() * Math.log(27.5)));
      out.push({
        name: `Generated CSP ${String(i + 1).padStart(3, '0')}`,
        force: `Generated Force ${String(1 + (i % 43)).padStart(2, '0')}`,
        code,
        population,
        areaSqKm: Math.round(20 + random() * 2500),
      });
    }
  }
  return out;
}

export interface CrimeTableOptions {
  seed?: number;
  csps: readonly GeneratedCsp[];
  /** Financial years by their start year: [2013, …, 2022]. */
  years: readonly number[];
  offences?: typeof GENERATED_OFFENCES;
}

/** The rows of the table in the order the Home Office publishes them: year, quarter, force, CSP, offence. */
export function* crimeTableRows(options: CrimeTableOptions): Generator<string[]> {
  const random = seededRandom(options.seed ?? 1);
  const offences = options.offences ?? GENERATED_OFFENCES;
  const levels = options.csps.map(() => 0.6 + random() * 0.8);
  for (const year of options.years) {
    const trend = 1 + (year - 2015) * 0.02;
    for (let q = 1; q <= 4; q++)
      for (let c = 0; c < options.csps.length; c++) {
        const csp = options.csps[c]!;
        for (const o of offences) {
          const mean = (o.per1000 * csp.population * levels[c]! * trend) / 1000 / 4;
          const count = Math.max(0, Math.round(mean * (0.85 + random() * 0.3)));
          yield [financialYearLabel(year), String(q), csp.force, csp.name, o.description, o.group, o.subgroup, o.code, String(count)];
        }
      }
  }
}

export const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const out = fs.createWriteStream(file);
  let buffer = '';
  for (const line of lines) {
    buffer += line + '\r\n';
    if (buffer.length > 1 << 16) {
      if (!out.write(buffer)) await new Promise<void>((r) => out.once('drain', () => r()));
      buffer = '';
    }
  }
  out.end(buffer);
  await new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject));
}

/** Writes the Home Office table as CSV. */
export async function writeCrimeCsv(file: string, options: CrimeTableOptions): Promise<void> {
  function* lines() {
    yield CRIME_COLUMNS.join(',');
    for (const r of crimeTableRows(options)) yield r.map(csvCell).join(',');
  }
  await writeLines(file, lines());
}

/** Writes the Home Office table as XLSX, one sheet per financial year ("2022-23"), counts as numbers. */
export async function writeCrimeXlsx(file: string, options: CrimeTableOptions): Promise<void> {
  const { default: Excel } = await import('exceljs'); // loaded on first use: a large package
  const workbook = new Excel.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  // One stream of rows, a sheet begun at each new year, so the workbook holds exactly the CSV's rows.
  let sheet: ExcelJS.Worksheet | null = null;
  let year = '';
  for (const r of crimeTableRows(options)) {
    if (r[0] !== year) {
      sheet?.commit();
      year = r[0]!;
      sheet = workbook.addWorksheet(year.replace('/', '-'));
      sheet.addRow([...CRIME_COLUMNS]).commit();
    }
    sheet!.addRow([...r.slice(0, 8), Number(r[8])]).commit();
  }
  sheet?.commit();
  await workbook.commit();
}

/** ONS mid-year estimates (MYE4 layout) for the CSPs as local authorities, years newest first, with area. */
export async function writePopulationCsv(file: string, csps: readonly GeneratedCsp[], years: readonly number[]): Promise<void> {
  const sorted = [...years].sort((a, b) => b - a);
  function* lines() {
    yield ['Code', 'Name', 'Geography', 'Area (sq km)', ...sorted.map((y) => `Mid-${y}`)].join(',');
    for (const c of csps)
      yield [
        c.code,
        csvCell(c.name),
        'Metropolitan District',
        String(c.areaSqKm),
        ...sorted.map((y) => String(Math.round(c.population * (1 + (y - 2022) * 0.005)))),
      ].join(',');
  }
  await writeLines(file, lines());
}

/** The domains and sub-domains of IMD 2019 File 7 after the IMD itself, in the published order. */
const IMD_DOMAINS = [
  'Income Score (rate)',
  'Employment Score (rate)',
  'Education, Skills and Training Score',
  'Health Deprivation and Disability Score',
  'Crime Score',
  'Barriers to Housing and Services Score',
  'Living Environment Score',
  'Income Deprivation Affecting Children Index (IDACI) Score (rate)',
  'Income Deprivation Affecting Older People (IDAOPI) Score (rate)',
  'Children and Young People Sub-domain Score',
  'Adult Skills Sub-domain Score',
  'Geographical Barriers Sub-domain Score',
  'Wider Barriers Sub-domain Score',
  'Indoors Sub-domain Score',
  'Outdoors Sub-domain Score',
];

/** The whole File 7 header: LSOA and authority, then score, rank and decile of the IMD and each domain, then populations. */
export const IMD_FILE7_HEADER: string[] = [
  DEPRIVATION_COLUMNS.lsoaCode,
  DEPRIVATION_COLUMNS.lsoaName,
  DEPRIVATION_COLUMNS.laCode,
  DEPRIVATION_COLUMNS.laName,
  DEPRIVATION_COLUMNS.imdScore,
  DEPRIVATION_COLUMNS.imdRank,
  DEPRIVATION_COLUMNS.imdDecile,
  ...IMD_DOMAINS.flatMap((score) => {
    const name = score.replace(/ Score( \(rate\))?$/, '');
    return [score, `${name} Rank (where 1 is most deprived)`, `${name} Decile (where 1 is most deprived 10% of LSOAs)`];
  }),
  DEPRIVATION_COLUMNS.population,
  'Dependent Children aged 0-15: mid 2015 (excluding prisoners)',
  'Population aged 16-59: mid 2015 (excluding prisoners)',
  'Older population aged 60 and over: mid 2015 (excluding prisoners)',
  'Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners)',
];

export interface DeprivationLsoa {
  code: string;
  name: string;
  laCode: string;
  laName: string;
}

/**
 * `count` LSOAs (32,844 for England) in local authorities of about 100 LSOAs: the first authorities are the real
 * CSPs' names (generatedCsps), their LSOAs named "Rotherham 001A"… with codes E01000001…
 */
export function generatedLsoas(count: number): DeprivationLsoa[] {
  const authorities = generatedCsps(Math.ceil(count / 100));
  return Array.from({ length: count }, (_, i) => {
    const la = authorities[Math.floor(i / 100)]!;
    const n = i % 100;
    return {
      code: `E01${String(i + 1).padStart(6, '0')}`,
      name: `${la.name} ${String(1 + Math.floor(n / 4)).padStart(3, '0')}${'ABCD'[n % 4]}`,
      laCode: la.code.replace(/^E07/, 'E08'),
      laName: la.name,
    };
  });
}

/** Ranks (1 = highest score, the most deprived) and deciles of scores over all the LSOAs written. */
function ranksOf(scores: readonly number[]): { rank: number[]; decile: number[] } {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const rank = new Array<number>(scores.length);
  order.forEach(([, i], r) => (rank[i] = r + 1));
  const total = scores.length;
  return { rank, decile: rank.map((r) => decileOfRank(r, total)) };
}

/** The rows of File 7 for these LSOAs: scores drawn from the seed, ranks and deciles worked out among them. */
export function deprivationRows(lsoas: readonly DeprivationLsoa[], seed = 7): string[][] {
  const random = seededRandom(seed);
  const base = lsoas.map(() => random());
  const domains = IMD_DOMAINS.map((name) =>
    base.map((b) => {
      const x = Math.min(1, Math.max(0, 0.6 * b + 0.4 * random()));
      return name === 'Crime Score'
        ? Math.round((x * 5 - 2.5) * 1000) / 1000
        : Math.round(x * (name.includes('(rate)') ? 0.6 : 80) * 1000) / 1000;
    }),
  );
  const imd = base.map((b) => Math.round((2 + 70 * b * b) * 1000) / 1000);
  const ranked = [imd, ...domains].map(ranksOf);
  return lsoas.map((l, i) => {
    const population = 1000 + Math.floor(random() * 2000);
    const children = Math.round(population * 0.19);
    const older = Math.round(population * 0.23);
    const cells = [l.code, l.name, l.laCode, l.laName];
    [imd, ...domains].forEach((scores, d) => cells.push(String(scores[i]), String(ranked[d]!.rank[i]), String(ranked[d]!.decile[i])));
    cells.push(
      String(population),
      String(children),
      String(population - children - older),
      String(older),
      String(Math.round(population * 0.6)),
    );
    return cells;
  });
}

/** Writes File 7 as CSV. */
export async function writeDeprivationCsv(file: string, lsoas: readonly DeprivationLsoa[], seed = 7): Promise<void> {
  function* lines() {
    yield IMD_FILE7_HEADER.map(csvCell).join(',');
    for (const r of deprivationRows(lsoas, seed)) yield r.map(csvCell).join(',');
  }
  await writeLines(file, lines());
}

/** Writes File 7 as XLSX (one sheet, "IoD2019 Scores"), numbers as numbers. */
export async function writeDeprivationXlsx(file: string, lsoas: readonly DeprivationLsoa[], seed = 7): Promise<void> {
  const { default: Excel } = await import('exceljs'); // loaded on first use: a large package
  const workbook = new Excel.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('IoD2019 Scores');
  sheet.addRow(IMD_FILE7_HEADER).commit();
  for (const r of deprivationRows(lsoas, seed)) sheet.addRow([...r.slice(0, 4), ...r.slice(4).map(Number)]).commit();
  sheet.commit();
  await workbook.commit();
}
