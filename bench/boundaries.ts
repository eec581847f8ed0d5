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
import { forEachBenchDatabase, timedImport } from './apphost.ts';
import { fixed, markdownTable, summarise, type Benchmark, type BenchOptions } from './lib.ts';
import { generatedBoundaries, writeBoundaries } from '../src/adapters/officialData/boundaryGenerator.ts';
import { DEFAULT_FORCES, writeStreetFiles } from '../src/adapters/crimeStore/generator.ts';
import { openCrimeStore } from '../src/adapters/crimeStore/store.ts';
import { importStreetFiles } from '../src/adapters/crimeStore/importer.ts';
import { areaChoropleth } from '../src/services/assessment/areaEvidence.ts';
import { choroplethView } from '../src/presentation/lsoaMap.ts';

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
    await forEachBenchDatabase(options, async (engine, db) => {
      const first = await timedImport(db, 'boundaries', file);
      const again = await timedImport(db, 'boundaries', file);
      const times: number[] = [];
      let drawn = 0;
      for (let i = 0; i < RUNS + 3; i++) {
        const s0 = performance.now();
        const ch = await areaChoropleth(db, store, { localAuthorities: ['Rotherham'] }, WINDOW, 'crime');
        if (!ch.map) throw new Error('no map by LSOA for Rotherham');
        choroplethView(ch.map, 'crime', 'January 2024 to December 2024', ch.populationSources, 'bench');
        drawn = ch.map.lsoas.length;
        if (i >= 3) times.push(performance.now() - s0);
      }
      const s = summarise(times);
      rows.push([
        engine,
        again.rows.toLocaleString('en-GB'),
        fixed(mb, 1),
        fixed(first.ms / 1000, 2),
        fixed(again.ms / 1000, 2),
        String(drawn),
        fixed(s.p50, 1),
        fixed(s.p95, 1),
      ]);
    });
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
