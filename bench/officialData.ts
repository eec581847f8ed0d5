/**
 * `npm run bench -- --only official-data`: the Home Office table of police recorded crime by CSP for 300 CSPs and
 * ten financial years (generated in the published layout: 300 × 10 × 4 quarters × 25 offences = 300,000 rows;
 * the real table has about 100 offence codes, so four times as many rows) and ONS populations imported through the
 * importer, then the peer comparison (the funnel's figures, its SVG and its table) for one partnership, timed in
 * this process over 50 runs. Each engine on a throwaway database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { forEachBenchDatabase, timedImport } from './apphost.ts';
import { fixed, markdownTable, summarise, type Benchmark, type BenchOptions } from './lib.ts';
import {
  generatedCsps,
  generatedLsoas,
  writeCrimeCsv,
  writeDeprivationCsv,
  writePopulationCsv,
} from '../src/adapters/officialData/generator.ts';
import { LSOAS_IN_ENGLAND } from '../src/domain/deprivation.ts';
import { peerComparison, saveOfficialLink } from '../src/services/evidence/officialData.ts';
import { createPartnership } from '../src/services/partnerships/partnerships.ts';
import { SYSTEM_ACTOR } from '../src/services/platform/audit.ts';
import { funnelChart, funnelTable } from '../src/presentation/charts/funnelChart.ts';

const CSPS = 300;
const YEARS = Array.from({ length: 10 }, (_, i) => 2013 + i);
const RUNS = 50;

async function run(options: BenchOptions): Promise<unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-official-bench-'));
  const csps = generatedCsps(CSPS);
  const crime = path.join(dir, 'crime.csv');
  const population = path.join(dir, 'population.csv');
  await writeCrimeCsv(crime, { csps, years: YEARS });
  await writePopulationCsv(population, csps, YEARS);
  const mb = fs.statSync(crime).size / 1024 / 1024;
  const rows: string[][] = [];
  try {
    await forEachBenchDatabase(options, async (engine, db) => {
      const c = await timedImport(db, 'crime', crime);
      const again = await timedImport(db, 'crime', crime);
      const p = await timedImport(db, 'population', population);
      const partnership = await createPartnership(db, SYSTEM_ACTOR, null, {
        name: 'Safer Rotherham',
        areaDescription: 'x',
        populations: [],
      });
      await saveOfficialLink(db, SYSTEM_ACTOR, partnership.id, { cspName: 'Rotherham', peerMethod: 'computed' });
      const times: number[] = [];
      for (let i = 0; i < RUNS + 5; i++) {
        const t0 = performance.now();
        const cmp = await peerComparison(db, partnership.id, { group: i % 2 ? 'Theft offences' : 'All offences' });
        funnelChart({ funnel: cmp!.funnel!, title: 'x', yLabel: 'y', id: 'f' });
        funnelTable(cmp!.funnel!, 'x', 't');
        if (i >= 5) times.push(performance.now() - t0);
      }
      const s = summarise(times.sort((a, b) => a - b));
      rows.push([
        engine,
        c.rows.toLocaleString('en-GB'),
        fixed(mb, 1),
        fixed(c.ms / 1000, 1),
        fixed(again.ms / 1000, 1),
        fixed(p.ms / 1000, 2),
        fixed(s.p50, 1),
        fixed(s.p95, 1),
      ]);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    '\n' +
      markdownTable(
        ['Engine', 'Crime rows', 'CSV MB', 'Import s', 'Re-import s', 'Population import s', 'Peer comparison p50 ms', 'p95 ms'],
        rows,
        ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
  );
  return rows;
}

export const officialDataBenchmark: Benchmark = {
  name: 'official-data',
  description: `the Home Office crime-by-CSP table for ${CSPS} CSPs and ${YEARS.length} years imported, and the peer comparison of one partnership`,
  run,
};

/**
 * `npm run bench -- --only deprivation`: the national English Indices of Deprivation 2019 File 7 (32,844 generated
 * LSOAs in the published 57-column layout) imported through the importer, then imported again (replacing the table).
 */
async function runDeprivation(options: BenchOptions): Promise<unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-imd-bench-'));
  const file = path.join(dir, 'imd2019-file7.csv');
  await writeDeprivationCsv(file, generatedLsoas(LSOAS_IN_ENGLAND));
  const mb = fs.statSync(file).size / 1024 / 1024;
  const rows: string[][] = [];
  try {
    await forEachBenchDatabase(options, async (engine, db) => {
      const first = await timedImport(db, 'deprivation', file);
      const again = await timedImport(db, 'deprivation', file);
      rows.push([engine, again.rows.toLocaleString('en-GB'), fixed(mb, 1), fixed(first.ms / 1000, 2), fixed(again.ms / 1000, 2)]);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log('\n' + markdownTable(['Engine', 'LSOAs', 'CSV MB', 'Import s', 'Re-import s'], rows, ['l', 'r', 'r', 'r', 'r']));
  return rows;
}

export const deprivationBenchmark: Benchmark = {
  name: 'deprivation',
  description: `the national IMD 2019 File 7 (${LSOAS_IN_ENGLAND.toLocaleString('en-GB')} LSOAs) imported twice`,
  run: runDeprivation,
};
