/**
 * Police.uk import benchmark (issue 6): one year of generated street-level files in 12 monthly folders,
 * imported by CSP Hub's importer (read, check every row, replace per month and force in a transaction) and,
 * in the same run, loaded by DuckDB's bare read_csv into a table, each in its own child process so that each
 * peak RSS is its own. Then the strategic assessment of one partnership (Rotherham) is timed on the imported
 * store.
 *
 *   npx tsx bench/policeUk.ts                       # 500,000 rows (default, safe on a shared machine)
 *   POLICE_BENCH_ROWS=6500000 npx tsx bench/policeUk.ts   # national scale
 *
 * Goals: import at most 2x bare read_csv, peak memory under 1 GiB, assessment under 200 ms.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, listValue } from '@duckdb/node-api';
import { writeStreetFiles } from '../src/import/policeUk/generator.ts';
import { importStreetFiles } from '../src/import/policeUk/importer.ts';
import { openCrimeStore } from '../src/import/policeUk/store.ts';
import { strategicAssessment } from '../src/assessment/strategicAssessment.ts';
import { markdownTable, type Benchmark } from './lib.ts';

export interface PoliceUkBenchOptions {
  /** Rows in the year (12 monthly files per force); default POLICE_BENCH_ROWS or 500,000. */
  rows?: number;
  /** DuckDB memory limit for both runs; default 512MB. */
  memoryLimit?: string;
  /** Assessment runs to time; default 7. */
  assessmentRuns?: number;
  /** Keep the generated files and stores (printed) instead of deleting them. */
  keep?: boolean;
}

export interface PhaseResult {
  seconds: number;
  rows: number;
  peakRssMiB: number;
  assessmentMs?: number[];
}

export interface PoliceUkBenchResult {
  rows: number;
  files: number;
  megabytes: number;
  generateSeconds: number;
  bare: PhaseResult;
  bareTyped: PhaseResult;
  ours: PhaseResult;
  ratio: number;
  /** Against read_csv with the column types given (the stricter comparison). */
  ratioTyped: number;
  assessmentMedianMs: number;
  table: string;
}

const SELF = fileURLToPath(import.meta.url);

function csvFiles(folder: string): string[] {
  return (fs.readdirSync(folder, { recursive: true }) as string[])
    .filter((f) => f.endsWith('-street.csv'))
    .map((f) => path.join(folder, f))
    .sort();
}

/** One measured phase, run in this process (the child). */
type Phase = 'bare' | 'bare-typed' | 'ours';

/** The columns given to read_csv in the 'bare-typed' run: no type sniffing, coordinates as numbers. */
const TYPED_COLUMNS = `{'Crime ID': 'VARCHAR', 'Month': 'VARCHAR', 'Reported by': 'VARCHAR', 'Falls within': 'VARCHAR', 'Longitude': 'DOUBLE', 'Latitude': 'DOUBLE', 'Location': 'VARCHAR', 'LSOA code': 'VARCHAR', 'LSOA name': 'VARCHAR', 'Crime type': 'VARCHAR', 'Last outcome category': 'VARCHAR', 'Context': 'VARCHAR'}`;

async function childPhase(phase: Phase, folder: string, dbFile: string, memoryLimit: string, assessmentRuns: number): Promise<PhaseResult> {
  if (phase === 'bare' || phase === 'bare-typed') {
    const instance = await DuckDBInstance.create(dbFile, { memory_limit: memoryLimit });
    const connection = await instance.connect();
    const started = performance.now();
    const columns = phase === 'bare-typed' ? `, auto_detect = false, columns = ${TYPED_COLUMNS}` : '';
    await connection.run(`CREATE TABLE street AS SELECT * FROM read_csv($files, header = true${columns})`, { files: listValue(csvFiles(folder)) });
    const seconds = (performance.now() - started) / 1000;
    const reader = await connection.runAndReadAll('SELECT count(*) FROM street');
    const rows = Number(reader.getRows()[0]?.[0] ?? 0);
    connection.closeSync();
    instance.closeSync();
    return { seconds, rows, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
  }
  const store = await openCrimeStore(dbFile, { memoryLimit });
  const started = performance.now();
  const summary = await importStreetFiles(store, folder);
  const seconds = (performance.now() - started) / 1000;
  const assessmentMs: number[] = [];
  for (let i = 0; i < assessmentRuns; i++) {
    const t = performance.now();
    await strategicAssessment(store, { area: { localAuthorities: ['Rotherham'] }, windowEnd: '2024-12', populations: [{ year: 2024, population: 268_000 }] });
    assessmentMs.push(performance.now() - t);
  }
  store.close();
  return { seconds, rows: summary.rowsAccepted, peakRssMiB: process.resourceUsage().maxRSS / 1024, assessmentMs };
}

function runChild(phase: Phase, folder: string, dbFile: string, memoryLimit: string, assessmentRuns: number): PhaseResult {
  const out = execFileSync(process.execPath, ['--import', 'tsx', SELF, '--child', phase, folder, dbFile, memoryLimit, String(assessmentRuns)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = out.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as PhaseResult;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export async function runPoliceUkBench(options: PoliceUkBenchOptions = {}): Promise<PoliceUkBenchResult> {
  const rows = options.rows ?? Number(process.env.POLICE_BENCH_ROWS ?? 500_000);
  const memoryLimit = options.memoryLimit ?? '512MB';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-police-bench-'));
  try {
    const folder = path.join(dir, 'files');
    const started = performance.now();
    const written = await writeStreetFiles(folder, { seed: 2024, firstMonth: '2024-01', months: 12, rowsPerMonth: Math.round(rows / 12) });
    const generateSeconds = (performance.now() - started) / 1000;
    const megabytes = written.files.reduce((s, f) => s + f.bytes, 0) / 1e6;
    // Read every file once so that all runs start with the same warm page cache.
    for (const f of written.files) fs.readFileSync(f.path);
    const bare = runChild('bare', folder, path.join(dir, 'bare.duckdb'), memoryLimit, 0);
    const bareTyped = runChild('bare-typed', folder, path.join(dir, 'bare-typed.duckdb'), memoryLimit, 0);
    const ours = runChild('ours', folder, path.join(dir, 'crime.duckdb'), memoryLimit, options.assessmentRuns ?? 7);
    const ratio = ours.seconds / bare.seconds;
    const ratioTyped = ours.seconds / bareTyped.seconds;
    const assessmentMedianMs = median(ours.assessmentMs ?? [NaN]);
    const table = markdownTable(
      ['Police.uk year', 'Rows', 'Seconds', 'Rows/s', 'Peak RSS (MiB)'],
      [
        ['DuckDB bare read_csv', bare.rows, bare.seconds.toFixed(2), Math.round(bare.rows / bare.seconds), Math.round(bare.peakRssMiB)],
        ['DuckDB read_csv, columns given (no sniffing)', bareTyped.rows, bareTyped.seconds.toFixed(2), Math.round(bareTyped.rows / bareTyped.seconds), Math.round(bareTyped.peakRssMiB)],
        ['CSP Hub import (checked, transactional)', ours.rows, ours.seconds.toFixed(2), Math.round(ours.rows / ours.seconds), Math.round(ours.peakRssMiB)],
      ],
      ['l', 'r', 'r', 'r', 'r'],
    );
    if (options.keep) console.log(`Kept ${dir}`);
    return {
      rows: written.rows,
      files: written.files.length,
      megabytes,
      generateSeconds,
      bare,
      bareTyped,
      ours,
      ratio,
      ratioTyped,
      assessmentMedianMs,
      table: `${table}\n\nImport / bare read_csv: ${ratio.toFixed(2)}x (goal <= 2x); / read_csv with columns given: ${ratioTyped.toFixed(2)}x. Assessment for Rotherham: median ${assessmentMedianMs.toFixed(0)} ms over ${(ours.assessmentMs ?? []).length} runs (goal < 200 ms). ${written.rows} rows, ${written.files.length} files, ${megabytes.toFixed(0)} MB, generated in ${generateSeconds.toFixed(1)} s.`,
    };
  } finally {
    if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** For bench/run.ts's BENCHMARKS list. */
export const policeUkBenchmark: Benchmark = {
  name: 'police-uk',
  description: 'Import a year of police.uk street-level files vs DuckDB bare read_csv; strategic assessment time',
  async run() {
    const result = await runPoliceUkBench();
    console.log(result.table);
    return result;
  },
};

if (process.argv[1] === SELF) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    const [, phase, folder, dbFile, memoryLimit, runs] = args as [string, Phase, string, string, string, string];
    const result = await childPhase(phase, folder, dbFile, memoryLimit, Number(runs));
    console.log(JSON.stringify(result));
  } else {
    const result = await runPoliceUkBench({ keep: args.includes('--keep') });
    console.log(result.table);
  }
}
