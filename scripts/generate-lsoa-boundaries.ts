/**
 * Writes synthetic LSOA boundaries in GeoJSON for the LSOAs of the synthetic police.uk data (ADR 0045), to import
 * at /admin/official-data as "LSOA boundaries":
 *
 *   npx tsx scripts/generate-lsoa-boundaries.ts --out /tmp/lsoa-boundaries.geojson [--authorities Rotherham,Sheffield]
 *     [--seed 1] [--codes 11|21]
 *
 * The seed must be the one the police.uk files were generated with (scripts/generate-police-data.ts, default 1).
 * test/fixtures/official/lsoa-boundaries.geojson is --authorities Rotherham --seed 7 (the seed of test/fixtures/police-uk).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generatedBoundaries, writeBoundaries } from '../src/adapters/officialData/boundaryGenerator.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    authorities: { type: 'string' },
    seed: { type: 'string', default: '1' },
    codes: { type: 'string', default: '11' },
  },
});
if (!values.out || (values.codes !== '11' && values.codes !== '21')) {
  console.error('Usage: tsx scripts/generate-lsoa-boundaries.ts --out <file.geojson> [--authorities A,B] [--seed 1] [--codes 11|21]');
  process.exit(2);
}
const collection = generatedBoundaries({
  seed: Number(values.seed),
  authorities: values.authorities?.split(',').map((s) => s.trim()),
  codeYear: values.codes,
});
writeBoundaries(path.resolve(values.out), collection);
console.log(`Wrote ${collection.features.length} LSOA boundaries to ${values.out}`);
