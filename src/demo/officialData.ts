/**
 * National official data for the demo (issue 17): the LSOA boundaries of Rotherham, an OHID Fingertips indicator
 * (11201, hospital admissions for violence, for Rotherham, Rutland and Leicester) and STATS19 road collisions of those
 * areas, imported through the importer from the small generated files the tests use (test/fixtures/official; about
 * 70 KB, under a second). So the strategic assessment of Safer Rotherham Partnership, once its area and police.uk
 * data are there, shows the map by LSOA, the health series and road casualties. Skipped when the files are not
 * deployed. The figures are generated, not published ones.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../adapters/database/schema.ts';
import type { Actor } from '../services/platform/audit.ts';
import { getImport, importFinished, startImport } from '../services/evidence/officialImport.ts';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'official');
const FILES = [
  ['boundaries', 'lsoa-boundaries.geojson'],
  ['fingertips', 'fingertips-11201.csv'],
  ['roads', 'road-collisions.csv'],
] as const;

export async function seedDemoOfficialData(db: Kysely<Database>, actor: Actor): Promise<void> {
  for (const [kind, name] of FILES) {
    const filePath = path.join(FIXTURES, name);
    if (!fs.existsSync(filePath)) continue;
    const id = await startImport(db, actor, { kind, filePath, fileName: `demo ${name}` });
    await importFinished(id);
    const done = await getImport(db, id);
    if (done.status !== 'done') throw new Error(`The demo's ${name} was not imported: ${done.message}`);
  }
}
