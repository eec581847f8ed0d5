/**
 * Synthetic files of the two further sources (issue 17 item 6, ADR 0046) in their published layouts, for fixtures,
 * tests and the benchmark: an OHID Fingertips indicator download (every column Fingertips writes, in its order) and
 * a DfT road casualty statistics collision file (STATS19, the 2023 column layout). Same seed and options, same bytes.
 */
import { seededRandom } from '../crimeStore/generator.ts';
import { csvCell, writeLines } from './generator.ts';

/** The columns of a Fingertips data download, in order. */
export const FINGERTIPS_HEADER = [
  'Indicator ID',
  'Indicator Name',
  'Parent Code',
  'Parent Name',
  'Area Code',
  'Area Name',
  'Area Type',
  'Sex',
  'Age',
  'Category Type',
  'Category',
  'Time period',
  'Value',
  'Lower CI 95.0 limit',
  'Upper CI 95.0 limit',
  'Lower CI 99.8 limit',
  'Upper CI 99.8 limit',
  'Count',
  'Denominator',
  'Value note',
  'Recent Trend',
  'Compared to England value or percentiles',
  'Compared to percentiles',
  'Time period Sortable',
  'New data',
  'Compared to goal',
  'Time period range',
];

export interface FingertipsArea {
  code: string;
  name: string;
  type: string;
  parentCode: string;
  parentName: string;
  population: number;
  /** Admissions per 100,000 a year, about. */
  rate: number;
}

export const FINGERTIPS_AREAS: FingertipsArea[] = [
  { code: 'E92000001', name: 'England', type: 'England', parentCode: '', parentName: '', population: 56_500_000, rate: 38 },
  {
    code: 'E06000017',
    name: 'Rutland',
    type: 'Counties & UAs (from Apr 2023)',
    parentCode: 'E12000004',
    parentName: 'East Midlands region',
    population: 41_000,
    rate: 17,
  },
  {
    code: 'E06000016',
    name: 'Leicester',
    type: 'Counties & UAs (from Apr 2023)',
    parentCode: 'E12000004',
    parentName: 'East Midlands region',
    population: 368_000,
    rate: 55,
  },
  {
    code: 'E08000018',
    name: 'Rotherham',
    type: 'Counties & UAs (from Apr 2023)',
    parentCode: 'E12000003',
    parentName: 'Yorkshire and the Humber region',
    population: 266_000,
    rate: 52,
  },
];

export interface FingertipsOptions {
  indicatorId: number;
  indicatorName: string;
  /** First financial year of the first period (2016 = 2016/17). */
  firstYear: number;
  periods: number;
  /** Years pooled in each period (3 for indicator 11201); 1 writes single financial years. */
  pooled: number;
  areas?: readonly FingertipsArea[];
  seed?: number;
}

const fy = (y: number) => `${y}/${String((y + 1) % 100).padStart(2, '0')}`;

/** Byar's approximation of a count's 95% (z 1.96) or 99.8% (z 3.0902) limits. */
function byar(count: number, z: number): [number, number] {
  const lower = count === 0 ? 0 : count * (1 - 1 / (9 * count) - z / (3 * Math.sqrt(count))) ** 3;
  const c = count + 1;
  const upper = c * (1 - 1 / (9 * c) + z / (3 * Math.sqrt(c))) ** 3;
  return [lower, upper];
}

const round = (n: number, places = 1) => (Math.round(n * 10 ** places) / 10 ** places).toFixed(places);

/** The data rows: each area's Persons, Male and Female values per period, and England's Persons values by deprivation decile. */
export function fingertipsRows(o: FingertipsOptions): string[][] {
  const random = seededRandom(o.seed ?? 11);
  const areas = o.areas ?? FINGERTIPS_AREAS;
  const rows: string[][] = [];
  const england = areas.find((a) => a.code === 'E92000001');
  for (let p = 0; p < o.periods; p++) {
    const start = o.firstYear + p;
    const end = start + o.pooled - 1;
    const period = o.pooled === 1 ? fy(start) : `${fy(start)} - ${fy(end).slice(2)}`;
    const values = new Map<string, number>();
    const line = (a: FingertipsArea, sex: string, share: number, categoryType = '', category = '') => {
      const denominator = Math.round(a.population * share * o.pooled);
      const count = Math.max(0, Math.round((a.rate * (0.8 + 0.4 * random()) * share * denominator) / 100_000 / share));
      const value = (count / denominator) * 100_000;
      const [l95, u95] = byar(count, 1.96).map((c) => (c / denominator) * 100_000) as [number, number];
      const [l998, u998] = byar(count, 3.0902).map((c) => (c / denominator) * 100_000) as [number, number];
      const suppressed = count < 6 && a.code !== 'E92000001';
      if (categoryType === '' && sex === 'Persons') values.set(a.code, value);
      const englandValue = values.get('E92000001');
      const compared =
        a.code === 'E92000001' || categoryType !== '' || suppressed || englandValue === undefined
          ? categoryType === '' && a.code !== 'E92000001' && suppressed
            ? 'Not compared'
            : ''
          : u95 < englandValue
            ? 'Better 95%'
            : l95 > englandValue
              ? 'Worse 95%'
              : 'Similar';
      rows.push([
        String(o.indicatorId),
        o.indicatorName,
        a.parentCode,
        a.parentName,
        a.code,
        a.name,
        a.type,
        sex,
        'All ages',
        categoryType,
        category,
        period,
        suppressed ? '' : round(value),
        suppressed ? '' : round(l95),
        suppressed ? '' : round(u95),
        suppressed ? '' : round(l998),
        suppressed ? '' : round(u998),
        suppressed ? '' : String(count),
        String(denominator),
        suppressed ? 'Value suppressed for disclosure control due to small count' : '',
        p === o.periods - 1 && !suppressed ? 'Cannot be calculated' : '',
        compared,
        '',
        `${start}0000`,
        p === o.periods - 1 ? 'New data' : '',
        '',
        `${o.pooled}y`,
      ]);
    };
    if (england) line(england, 'Persons', 1);
    for (const a of areas) if (a !== england) line(a, 'Persons', 1);
    for (const a of areas) {
      line(a, 'Male', 0.49);
      line(a, 'Female', 0.51);
    }
    if (england)
      for (let d = 1; d <= 10; d++)
        line(
          { ...england, population: england.population / 10, rate: england.rate * (1.6 - d / 10) },
          'Persons',
          1,
          'County & UA deprivation deciles in England (IMD2019, 4/21 geography)',
          `${['Most', 'Second most', 'Third more', 'Fourth more', 'Fifth more', 'Fifth less', 'Fourth less', 'Third less', 'Second least', 'Least'][d - 1]} deprived decile (IMD2019)`,
        );
  }
  return rows;
}

/** Writes a Fingertips data download as CSV. */
export async function writeFingertipsCsv(file: string, o: FingertipsOptions): Promise<void> {
  function* lines() {
    yield FINGERTIPS_HEADER.map(csvCell).join(',');
    for (const r of fingertipsRows(o)) yield r.map(csvCell).join(',');
  }
  await writeLines(file, lines());
}

/** The columns of the DfT collision file (2023 layout), in order. */
export const COLLISION_HEADER = [
  'accident_index',
  'accident_year',
  'accident_reference',
  'location_easting_osgr',
  'location_northing_osgr',
  'longitude',
  'latitude',
  'police_force',
  'accident_severity',
  'number_of_vehicles',
  'number_of_casualties',
  'date',
  'day_of_week',
  'time',
  'local_authority_district',
  'local_authority_ons_district',
  'local_authority_highway',
  'first_road_class',
  'first_road_number',
  'road_type',
  'speed_limit',
  'junction_detail',
  'junction_control',
  'second_road_class',
  'second_road_number',
  'pedestrian_crossing_human_control',
  'pedestrian_crossing_physical_facilities',
  'light_conditions',
  'weather_conditions',
  'road_surface_conditions',
  'special_conditions_at_site',
  'carriageway_hazards',
  'urban_or_rural_area',
  'did_police_officer_attend_scene_of_accident',
  'trunk_road_flag',
  'lsoa_of_accident_location',
];

export interface CollisionArea {
  laCode: string;
  /** The district number the file gives in local_authority_district. */
  district: number;
  force: number;
  /** Centre, for the coordinates written. */
  longitude: number;
  latitude: number;
  /** Collisions a year. */
  perYear: number;
  lsoaPrefix: string;
}

export const COLLISION_AREAS: CollisionArea[] = [
  { laCode: 'E06000017', district: 127, force: 33, longitude: -0.63, latitude: 52.66, perYear: 14, lsoaPrefix: 'E010259' },
  { laCode: 'E06000016', district: 126, force: 33, longitude: -1.13, latitude: 52.64, perYear: 6, lsoaPrefix: 'E010136' },
  { laCode: 'E08000018', district: 215, force: 14, longitude: -1.36, latitude: 53.43, perYear: 8, lsoaPrefix: 'E010080' },
];

export interface CollisionOptions {
  years: readonly number[];
  areas?: readonly CollisionArea[];
  /** Multiplies each area's collisions a year (the benchmark's national file). */
  scale?: number;
  seed?: number;
}

/** The data rows: each area's collisions of each year, about 1% fatal and 20% serious. */
export function* collisionRows(o: CollisionOptions): Generator<string[]> {
  const random = seededRandom(o.seed ?? 19);
  for (const year of o.years) {
    let reference = 0;
    for (const a of o.areas ?? COLLISION_AREAS) {
      const n = Math.round(a.perYear * (o.scale ?? 1) * (0.8 + 0.4 * random()));
      for (let i = 0; i < n; i++) {
        reference += 1;
        const ref = `${String(a.force).padStart(2, '0')}${String(reference).padStart(7, '0')}`;
        const r = random();
        const severity = r < 0.02 ? 1 : r < 0.24 ? 2 : 3;
        const casualties = 1 + Math.floor(random() * random() * 4);
        const date = new Date(Date.UTC(year, 0, 1 + Math.floor(random() * 365)));
        const dd = String(date.getUTCDate()).padStart(2, '0');
        const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
        const located = random() > 0.03;
        yield [
          `${year}${ref}`,
          String(year),
          ref,
          located ? String(480000 + Math.floor(random() * 20000)) : 'NULL',
          located ? String(300000 + Math.floor(random() * 20000)) : 'NULL',
          located ? (a.longitude + (random() - 0.5) * 0.2).toFixed(6) : 'NULL',
          located ? (a.latitude + (random() - 0.5) * 0.12).toFixed(6) : 'NULL',
          String(a.force),
          String(severity),
          String(1 + Math.floor(random() * 3)),
          String(casualties),
          `${dd}/${mm}/${year}`,
          String(date.getUTCDay() + 1),
          `${String(Math.floor(random() * 24)).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}`,
          String(a.district),
          a.laCode,
          a.laCode,
          String(1 + Math.floor(random() * 6)),
          String(Math.floor(random() * 700)),
          String([1, 2, 3, 6, 7, 9][Math.floor(random() * 6)]),
          String([20, 30, 40, 50, 60, 70][Math.floor(random() * 6)]),
          String(Math.floor(random() * 9)),
          '-1',
          '-1',
          '0',
          '0',
          '0',
          String(1 + Math.floor(random() * 6)),
          String(1 + Math.floor(random() * 9)),
          String(1 + Math.floor(random() * 5)),
          '0',
          '0',
          String(1 + Math.floor(random() * 2)),
          String(1 + Math.floor(random() * 3)),
          '2',
          located ? `${a.lsoaPrefix}${String(Math.floor(random() * 10)).padStart(2, '0')}`.slice(0, 9) : '-1',
        ];
      }
    }
  }
}

/** Writes a collision file as CSV. */
export async function writeCollisionsCsv(file: string, o: CollisionOptions): Promise<void> {
  function* lines() {
    yield COLLISION_HEADER.join(',');
    for (const r of collisionRows(o)) yield r.map(csvCell).join(',');
  }
  await writeLines(file, lines());
}
