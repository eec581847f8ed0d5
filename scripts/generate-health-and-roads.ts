/**
 * Writes synthetic files of the further official sources in their published layouts (issue 17 item 6, ADR 0046):
 *
 *   npx tsx scripts/generate-health-and-roads.ts --out dir [--years 2021-2023] [--scale 1] [--seed 1]
 *
 * dir/fingertips-11201.csv (hospital admissions for violence, three-year pooled, from 2014/15), dir/fingertips-annual.csv
 * (the same indicator shape in single financial years, as indicator 90000) and dir/road-collisions.csv (STATS19
 * collisions of the years for Rutland, Leicester and Rotherham; --scale multiplies their number). The fixtures in
 * test/fixtures/official are this script's output with its defaults.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeCollisionsCsv, writeFingertipsCsv } from '../src/adapters/officialData/sourcesGenerator.ts';

const { values } = parseArgs({
  options: { out: { type: 'string' }, years: { type: 'string' }, scale: { type: 'string' }, seed: { type: 'string' } },
});
if (!values.out) throw new Error('--out dir is required');
const [from, to] = (values.years ?? '2021-2023').split('-').map(Number) as [number, number];
const years = Array.from({ length: to - from + 1 }, (_, i) => from + i);
const seed = Number(values.seed ?? 1);
fs.mkdirSync(values.out, { recursive: true });
await writeFingertipsCsv(path.join(values.out, 'fingertips-11201.csv'), {
  indicatorId: 11201,
  indicatorName: 'Hospital admissions for violence (including sexual violence)',
  firstYear: 2014,
  periods: 7,
  pooled: 3,
  seed: seed + 10,
});
await writeFingertipsCsv(path.join(values.out, 'fingertips-annual.csv'), {
  indicatorId: 90000,
  indicatorName: 'Generated annual indicator per 100000 people',
  firstYear: 2018,
  periods: 5,
  pooled: 1,
  seed: seed + 20,
});
await writeCollisionsCsv(path.join(values.out, 'road-collisions.csv'), { years, scale: Number(values.scale ?? 1), seed: seed + 18 });
console.log(`Wrote fingertips-11201.csv, fingertips-annual.csv and road-collisions.csv (${years.join(', ')}) in ${values.out}`);
