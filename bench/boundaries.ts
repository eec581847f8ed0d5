/**
 * `npm run bench -- --only boundaries`: LSOA boundaries for every force of the synthetic police.uk data (the
 * generator's Voronoi cells, as GeoJSON in the ONS layout) imported through the importer, then imported again
 * (replacing the table); then the map by LSOA of one partnership (Rotherham, a year of generated South Yorkshire
 * street records in a DuckDB crime store): its boundaries read, its counts and classes worked out and the SVG with
 * its key and table drawn, timed in this process over 20 runs. Each engine on a throwaway database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDatabase } from './apphost.ts';
import { fixed, markdownTable, summarise, type Benchmark, type BenchOptions } from './lib.ts';
import { openDatabase } from '../src/adapters/database/database.ts';
import { migrateToLatest } from '../src/adapters/database/migrate.ts';
import { generatedBoundaries, writeBoundaries } from '../src/adapters/officialData/boundaryGenerator.ts';
import { DEFAULT_FORCES, writeStreetFiles } from '../src/adapters/crimeStore/generator.ts';
import { openCrimeStore } from '../src/adapters/crimeStore/store.ts';
import { importStreetFiles } from '../src/adapters/crimeStore/importer.ts';
import { getImport, importFinished, startImport } from '../src/services/evidence/officialImport.ts';
import { areaChoropleth } from '../src/services/assessment/areaEvidence.ts';
import { choroplethView } from '../src/presentation/lsoaMap.ts';
import { SYSTEM_ACTOR } from '../src/services/platform/audit.ts';

const RUNS = 20;
const WINDOW = { from: '2024-01', to: '2024-12' };

async function run(options: BenchOptions): Promise<unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-boundaries-bench-'));
  const file = path.join(dir, 'lsoa-boundaries.geojson');
  const t0 = performance.now();
  const collection = generatedBoundaries({ seed: 1 });
  writeBoundaries(file, collection);
  const generateS = (performance.now() - t0) / 1000;
  const mb = fs.statSync(file).size / 1024 / 1024;
  const streets = path.join(dir, 'streets');
  const forces = DEFAULT_FORCES.filter((f) => f.slug === 'south-yorkshire');
  await writeStreetFiles(streets, { seed: 1, firstMonth: WINDOW.from, months: 12, rowsPerMonth: 3000, forces });
  const store = await openCrimeStore(path.join(dir, 'crime.duckdb'));
  await importStreetFiles(store, streets);
  const rows: string[][] = [];
  try {
    for (const engine of options.engines) {
      if (engine === 'postgres' && !options.postgresUrl) continue;
      const target = await createDatabase(engine, options.postgresUrl);
      const db = openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir });
      try {
        await migrateToLatest(db);
        const imports: number[] = [];
        let written = 0;
        for (let i = 0; i < 2; i++) {
          const s0 = performance.now();
          const id = await startImport(db.kysely, SYSTEM_ACTOR, {
            kind: 'boundaries',
            filePath: file,
            fileName: 'lsoa-boundaries.geojson',
          });
          await importFinished(id);
          const done = await getImport(db.kysely, id);
          if (done.status !== 'done') throw new Error(done.message);
          imports.push(performance.now() - s0);
          written = done.rowsWritten;
        }
        const times: number[] = [];
        let drawn = 0;
        for (let i = 0; i < RUNS + 3; i++) {
          const s0 = performance.now();
          const ch = await areaChoropleth(db.kysely, store, { localAuthorities: ['Rotherham'] }, WINDOW, 'crime');
          if (!ch.map) throw new Error('no map by LSOA for Rotherham');
          choroplethView(ch.map, 'crime', 'January 2024 to December 2024', ch.populationSources, 'bench');
          drawn = ch.map.lsoas.length;
          if (i >= 3) times.push(performance.now() - s0);
        }
        const s = summarise(times);
        rows.push([
          engine,
          written.toLocaleString('en-GB'),
          fixed(mb, 1),
          fixed(imports[0]! / 1000, 2),
          fixed(imports[1]! / 1000, 2),
          String(drawn),
          fixed(s.p50, 1),
          fixed(s.p95, 1),
        ]);
      } finally {
        await db.close();
        await target.drop();
      }
    }
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nGenerated ${collection.features.length.toLocaleString('en-GB')} boundaries in ${fixed(generateS, 1)} s`);
  console.log(
    '\n' +
      markdownTable(['Engine', 'LSOAs', 'GeoJSON MB', 'Import s', 'Re-import s', 'LSOAs drawn', 'Map by LSOA p50 ms', 'p95 ms'], rows, [
        'l',
        'r',
        'r',
        'r',
        'r',
        'r',
        'r',
        'r',
      ]),
  );
  return rows;
}

export const boundariesBenchmark: Benchmark = {
  name: 'boundaries',
  description: 'LSOA boundaries of every force imported twice, and the map by LSOA of one partnership',
  run,
};
