/**
 * Writes synthetic official tables in the published layouts (ADR 0028):
 *
 *   npx tsx scripts/generate-official-data.ts --out dir [--csps 300] [--years 2013-2022] [--xlsx] [--seed 1] [--offences N]
 *
 * dir/crime-by-csp.csv (or .xlsx, one sheet per year) and dir/population-mye4.csv.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  GENERATED_OFFENCES,
  generatedCsps,
  writeCrimeCsv,
  writeCrimeXlsx,
  writePopulationCsv,
} from '../src/adapters/officialData/generator.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    csps: { type: 'string' },
    years: { type: 'string' },
    xlsx: { type: 'boolean' },
    seed: { type: 'string' },
    offences: { type: 'string' },
  },
});
if (!values.out) throw new Error('--out dir is required');
const [from, to] = (values.years ?? '2013-2022').split('-').map(Number) as [number, number];
const years = Array.from({ length: to - from + 1 }, (_, i) => from + i);
const csps = generatedCsps(Number(values.csps ?? 300));
fs.mkdirSync(values.out, { recursive: true });
const crime = path.join(values.out, values.xlsx ? 'crime-by-csp.xlsx' : 'crime-by-csp.csv');
await (values.xlsx ? writeCrimeXlsx : writeCrimeCsv)(crime, {
  csps,
  years,
  seed: Number(values.seed ?? 1),
  offences: GENERATED_OFFENCES.slice(0, Number(values.offences ?? GENERATED_OFFENCES.length)),
});
await writePopulationCsv(path.join(values.out, 'population-mye4.csv'), csps, years);
console.log(`Wrote ${crime} and population-mye4.csv: ${csps.length} CSPs, ${years.length} years`);
