/**
 * Writes realistic police.uk street-level files (see src/adapters/crimeStore/generator.ts).
 *
 *   npx tsx scripts/generate-police-data.ts --out /tmp/police --first 2024-01 --months 12 --rows 50000 --seed 1 \
 *     [--forces south-yorkshire,essex]
 *
 * --rows is the average number of rows per month across all the chosen forces (national scale is about 540000).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_FORCES, writeStreetFiles } from '../src/adapters/crimeStore/generator.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    first: { type: 'string', default: '2024-01' },
    months: { type: 'string', default: '12' },
    rows: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    forces: { type: 'string' },
  },
});

if (!values.out) {
  console.error(
    'Usage: tsx scripts/generate-police-data.ts --out <folder> [--first YYYY-MM] [--months 12] [--rows 10000] [--seed 1] [--forces a,b]',
  );
  process.exit(2);
}
const wanted = values.forces?.split(',').map((s) => s.trim());
const forces = wanted ? DEFAULT_FORCES.filter((f) => wanted.includes(f.slug)) : DEFAULT_FORCES;
if (wanted && forces.length !== wanted.length) {
  console.error(`Unknown force in --forces; known: ${DEFAULT_FORCES.map((f) => f.slug).join(', ')}`);
  process.exit(2);
}
const started = Date.now();
const result = await writeStreetFiles(path.resolve(values.out), {
  firstMonth: values.first,
  months: Number(values.months),
  rowsPerMonth: Number(values.rows),
  seed: Number(values.seed),
  forces,
});
const bytes = result.files.reduce((s, f) => s + f.bytes, 0);
console.log(
  `Wrote ${result.rows} rows in ${result.files.length} files (${(bytes / 1e6).toFixed(1)} MB) to ${path.resolve(values.out)} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
