/**
 * Heavy fuzzing of the police.uk importers (issue 11): thousands of malformed street files and zip archives made
 * from valid ones with a fixed seed (test/support/policeUkFuzz.ts, the generator the quick sample in `npm test`
 * uses), each imported into a real DuckDB store with the default archive limits; then a sample uploaded and
 * imported through the web app (SQLite), as the import page's script does, while /health is asked alongside;
 * last, one archive of 5,000 small street files.
 *
 *   npm run bench -- --only fuzz-police                                  # 5,000 inputs + 200 uploads, seed 1
 *   npm run bench -- --only fuzz-police --fuzz-cases 20000 --fuzz-seed 7 --fuzz-web 500
 *   npx tsx bench/fuzzPolice.ts --cases 2000 --seed 7 --web 100
 *
 * Each input must be refused (ValidationError, plain words, the store's row counts unchanged) or imported with
 * every row accepted or reported and the store holding exactly the accepted rows; no other exception, no 5xx,
 * no event-loop stall over 200 ms, memory bounded. Failures are printed with the seed and case number; the
 * same seed and number give the same input. The process exits with status 1 when any case failed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openCrimeStore } from '../src/adapters/crimeStore/store.ts';
import { importStreetFiles, type ImportSummary } from '../src/adapters/crimeStore/importer.ts';
import { EventLoopWatch, MemoryWatch } from '../test/support/fuzz.ts';
import { STREET_FIXTURES, writeZip } from '../test/support/policeUk.ts';
import { Browser, makePartnership, memberOf, startTestApp } from '../test/support/app.ts';
import {
  baseFiles,
  collectHarnessGarbage,
  fuzzCase,
  judge,
  judgeWeb,
  replay,
  storeCounts,
  uploadAndImport,
} from '../test/support/policeUkFuzz.ts';
import { markdownTable, summarise, type Benchmark } from './lib.ts';

/** The longest garbage-collection pause since the last call to `take`. */
class GcWatch {
  private longest = 0;
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) this.longest = Math.max(this.longest, entry.duration);
  });
  start(): this {
    this.observer.observe({ entryTypes: ['gc'] });
    return this;
  }
  take(): number {
    const longest = this.longest;
    this.longest = 0;
    return longest;
  }
  stop(): void {
    this.observer.disconnect();
  }
}

export interface FuzzPoliceOptions {
  /** Inputs through the importer; default 5,000. */
  cases?: number;
  /** Uploads through the web app; default 200. */
  webCases?: number;
  /** Default 1. */
  seed?: number;
}

interface PhaseResult {
  cases: number;
  imported: number;
  refused: number;
  failures: string[];
  /** The longest event-loop stall while an input was imported (not while it was made), and that input. */
  maxStallMs: number;
  worstCase: number;
  /** 99th percentile of the longest stall per input. */
  p99StallMs: number;
  /** The longest garbage-collection pause of the process while an input was imported (a cause of stalls). */
  maxGcMs: number;
  memoryGrowthMiB: number;
  msPerCase: ReturnType<typeof summarise>;
  healthMs?: ReturnType<typeof summarise>;
}

export interface FuzzPoliceResult {
  seed: number;
  importer: PhaseResult;
  web: PhaseResult;
  /** One archive of 5,000 small street files (thousands of files in one DuckDB read ran out of memory). */
  manyFiles: PhaseResult;
  table: string;
}

/** An archive of 5,000 one-row street files (12 months x 14 years x 30 made-up forces) must import whole. */
async function manyFilesPhase(dir: string): Promise<PhaseResult> {
  const [header, row] = fs.readFileSync(path.join(STREET_FIXTURES, '2024-01', '2024-01-essex-street.csv'), 'utf8').split('\n');
  const entries: Record<string, string> = {};
  for (let i = 0; i < 5000; i++) {
    const month = `20${10 + (i % 14)}-${String(1 + (Math.floor(i / 14) % 12)).padStart(2, '0')}`;
    entries[`${month}/${month}-force-${Math.floor(i / 168)}-street.csv`] = `${header}\n${row!.replace('2024-01', month)}\n`;
  }
  const zip = path.join(dir, 'many.zip');
  writeZip(zip, entries);
  const store = await openCrimeStore(path.join(dir, 'many.duckdb'));
  const result: PhaseResult = {
    cases: 1,
    imported: 0,
    refused: 0,
    failures: [],
    maxStallMs: 0,
    worstCase: -1,
    p99StallMs: 0,
    maxGcMs: 0,
    memoryGrowthMiB: 0,
    msPerCase: summarise([]),
  };
  const loop = new EventLoopWatch().start();
  const memory = new MemoryWatch().start();
  const t0 = performance.now();
  try {
    const summary = await importStreetFiles(store, zip, { tempDir: dir });
    result.imported = 1;
    if (summary.rowsAccepted !== 5000) result.failures.push(`archive of 5,000 files: ${summary.rowsAccepted} rows accepted, not 5,000`);
  } catch (error) {
    result.refused = 1;
    result.failures.push(`archive of 5,000 files: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    result.msPerCase = summarise([performance.now() - t0]);
    result.maxStallMs = loop.stop();
    result.p99StallMs = result.maxStallMs;
    result.memoryGrowthMiB = memory.stop();
    store.close();
  }
  return result;
}

async function importerPhase(seed: number, cases: number, dir: string): Promise<PhaseResult> {
  const store = await openCrimeStore(path.join(dir, 'crime.duckdb'));
  await importStreetFiles(store, STREET_FIXTURES);
  const bases = baseFiles();
  const work = path.join(dir, 'unpack');
  fs.mkdirSync(work);
  const result: PhaseResult = {
    cases,
    imported: 0,
    refused: 0,
    failures: [],
    maxStallMs: 0,
    worstCase: -1,
    p99StallMs: 0,
    maxGcMs: 0,
    memoryGrowthMiB: 0,
    msPerCase: summarise([]),
  };
  const times: number[] = [];
  const stalls: number[] = [];
  const loop = new EventLoopWatch();
  const gc = new GcWatch().start();
  const memory = new MemoryWatch().start();
  try {
    for (let i = 0; i < cases; i++) {
      const c = fuzzCase(seed, i, bases);
      const folder = path.join(dir, 'case');
      fs.mkdirSync(folder);
      const file = path.join(folder, c.name);
      fs.writeFileSync(file, c.content);
      const before = await storeCounts(store);
      collectHarnessGarbage();
      const t0 = performance.now();
      loop.start();
      const outcome: { summary: ImportSummary } | { error: unknown } = await importStreetFiles(store, c.kind === 'zip' ? file : [file], {
        tempDir: work,
      }).then(
        (summary) => ({ summary }),
        (error: unknown) => ({ error }),
      );
      const stall = loop.stop();
      stalls.push(stall);
      result.maxGcMs = Math.max(result.maxGcMs, gc.take());
      if (stall > result.maxStallMs) [result.maxStallMs, result.worstCase] = [stall, i];
      times.push(performance.now() - t0);
      if ('summary' in outcome) result.imported++;
      else result.refused++;
      const problems = await judge(store, c, before, outcome, [dir]);
      if (fs.readdirSync(work).length > 0) problems.push('unpacked files left behind');
      if (problems.length > 0) {
        result.failures.push(replay(seed, c, problems));
        fs.rmSync(work, { recursive: true, force: true });
        fs.mkdirSync(work);
      }
      fs.rmSync(folder, { recursive: true, force: true });
      if ((i + 1) % 500 === 0) console.log(`  importer: ${i + 1} of ${cases} (${result.failures.length} failed)`);
    }
  } finally {
    result.memoryGrowthMiB = memory.stop();
    gc.stop();
    store.close();
  }
  result.msPerCase = summarise(times);
  result.p99StallMs = summarise(stalls).p99;
  return result;
}

async function webPhase(seed: number, cases: number, dir: string): Promise<PhaseResult> {
  const police = path.join(dir, 'police-uk');
  const t = await startTestApp('sqlite', { CRIME_STORE_PATH: path.join(dir, 'web.duckdb'), POLICE_DATA_DIR: police });
  const result: PhaseResult = {
    cases,
    imported: 0,
    refused: 0,
    failures: [],
    maxStallMs: 0,
    worstCase: -1,
    p99StallMs: 0,
    maxGcMs: 0,
    memoryGrowthMiB: 0,
    msPerCase: summarise([]),
  };
  const times: number[] = [];
  const health: number[] = [];
  const stalls: number[] = [];
  const loop = new EventLoopWatch();
  const gc = new GcWatch().start();
  const memory = new MemoryWatch().start();
  try {
    const p = await makePartnership(t.k, 'Fuzzed Safer');
    const admin = new Browser(t.app);
    await admin.signIn((await memberOf(t.k, p.id, 'admin')).email);
    const target = { app: t.app, admin, partnershipId: p.id, importDir: police };
    const store = await t.app.crimeData.store();
    const bases = baseFiles();
    for (let i = 0; i < cases; i++) {
      const c = fuzzCase(seed + 1, i, bases);
      const before = await storeCounts(store);
      const batch = `fuzz${String(i).padStart(8, '0')}`;
      collectHarnessGarbage();
      const t0 = performance.now();
      loop.start();
      const outcome = await uploadAndImport(target, c, batch);
      const stall = loop.stop();
      stalls.push(stall);
      result.maxGcMs = Math.max(result.maxGcMs, gc.take());
      if (stall > result.maxStallMs) [result.maxStallMs, result.worstCase] = [stall, i];
      times.push(performance.now() - t0);
      health.push(...outcome.healthMs);
      if (outcome.refused) result.refused++;
      else result.imported++;
      const problems = await judgeWeb(target, store, c, before, outcome, batch);
      if (problems.length > 0) result.failures.push(replay(seed + 1, c, problems));
      if ((i + 1) % 100 === 0) console.log(`  web: ${i + 1} of ${cases} (${result.failures.length} failed)`);
    }
  } finally {
    result.memoryGrowthMiB = memory.stop();
    gc.stop();
    await t.close();
  }
  result.msPerCase = summarise(times);
  result.p99StallMs = summarise(stalls).p99;
  result.healthMs = summarise(health);
  return result;
}

export async function runFuzzPolice(options: FuzzPoliceOptions = {}): Promise<FuzzPoliceResult> {
  const seed = options.seed ?? 1;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-fuzz-police-'));
  try {
    console.log(
      `Fuzzing the police.uk importer with seed ${seed}: ${options.cases ?? 5000} inputs, then ${options.webCases ?? 200} uploads through the web app`,
    );
    const importer = await importerPhase(seed, options.cases ?? 5000, dir);
    const web = await webPhase(seed, options.webCases ?? 200, dir);
    const manyFiles = await manyFilesPhase(dir);
    const row = (name: string, r: PhaseResult) => [
      name,
      r.cases,
      r.imported,
      r.refused,
      r.failures.length,
      `${r.p99StallMs.toFixed(0)} / ${r.maxStallMs.toFixed(0)}${r.worstCase >= 0 ? ` (case ${r.worstCase})` : ''}`,
      r.maxGcMs.toFixed(0),
      r.memoryGrowthMiB.toFixed(0),
      `${r.msPerCase.p50.toFixed(0)} / ${r.msPerCase.p95.toFixed(0)} / ${r.msPerCase.max.toFixed(0)}`,
      r.healthMs ? `${r.healthMs.p95.toFixed(0)} / ${r.healthMs.max.toFixed(0)}` : '',
    ];
    const table = markdownTable(
      [
        'Path',
        'Inputs',
        'Imported',
        'Refused',
        'Failed',
        'Stall p99 / max (ms)',
        'Longest GC (ms)',
        'Memory growth (MiB)',
        'ms per input p50 / p95 / max',
        '/health meanwhile p95 / max (ms)',
      ],
      [row('importer', importer), row('web upload', web), row('archive of 5,000 files', manyFiles)],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    );
    return { seed, importer, web, manyFiles, table };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function report(result: FuzzPoliceResult): void {
  console.log(result.table);
  const failures = [...result.importer.failures, ...result.web.failures, ...result.manyFiles.failures];
  const stalls = [result.importer, result.web, result.manyFiles].filter((r) => r.maxStallMs >= 200);
  if (failures.length === 0 && stalls.length === 0) {
    console.log(`\nNo failures (seed ${result.seed}).`);
    return;
  }
  console.log(
    `\nFAILED with seed ${result.seed}: ${failures.length} inputs${stalls.length ? `, event loop stalled ${stalls.map((s) => s.maxStallMs.toFixed(0)).join(' and ')} ms` : ''}`,
  );
  for (const f of failures.slice(0, 30)) console.log(`- ${f}`);
  if (failures.length > 30) console.log(`- … and ${failures.length - 30} more`);
  process.exitCode = 1;
}

export const fuzzPoliceBenchmark: Benchmark = {
  name: 'fuzz-police',
  description: 'Fuzz the police.uk CSV and zip importers (thousands of malformed inputs, a sample through the web upload)',
  async run(options) {
    const result = await runFuzzPolice({ cases: options.fuzzCases, webCases: options.fuzzWebCases, seed: options.fuzzSeed });
    report(result);
    return result;
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { cases: { type: 'string' }, web: { type: 'string' }, seed: { type: 'string' } } });
  const count = (v: string | undefined, name: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${v}"`);
    return n;
  };
  report(
    await runFuzzPolice({ cases: count(values.cases, 'cases'), webCases: count(values.web, 'web'), seed: count(values.seed, 'seed') }),
  );
}
