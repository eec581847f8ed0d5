/**
 * Importer fuzz (issue 11): thousands of malformed figures CSV and XLSX files and whole-partnership JSON files,
 * made from valid ones with a seeded random source, through the real services (and a sample through the upload
 * pages) on each engine, with the same checks as test/services/importFuzz.test.ts (which runs a small fixed
 * sample in `npm test`): only a success or a clear refusal, nothing written by a refusal and exactly what was
 * said by a success, no event-loop stall over 200 ms, memory bounded. Fails (exit 1) listing each failure with
 * its seed and input number.
 *
 *   npm run bench -- --only fuzz [--fuzz-inputs 3000] [--fuzz-seed 7] [--engines sqlite]
 *   npx tsx bench/fuzz.ts --inputs 3000 --seed 7 [--only 1234] [--engines sqlite,postgres]
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Engine } from '../src/adapters/database/database.ts';
import { migrateToLatest } from '../src/adapters/database/migrate.ts';
import { buildApp } from '../src/http/app.ts';
import { fuzzImports, type FuzzReport } from '../test/support/importFuzz.ts';
import { createDatabase } from './apphost.ts';
import { fixed, markdownTable, type Benchmark } from './lib.ts';

export const DEFAULT_FUZZ_INPUTS = 3_000;
export const DEFAULT_FUZZ_SEED = 1_103_2024;

export interface FuzzBenchOptions {
  inputs: number;
  seed: number;
  engines: Engine[];
  postgresUrl: string;
  only?: number;
}

async function fuzzEngine(engine: Engine, options: FuzzBenchOptions): Promise<FuzzReport> {
  const database = await createDatabase(engine, options.postgresUrl);
  const db = openDatabase({ databaseUrl: database.databaseUrl, dataDir: database.dataDir });
  try {
    await migrateToLatest(db);
    const config = loadConfig({
      SESSION_SECRET: randomBytes(32).toString('hex'),
      BASE_URL: 'http://localhost:3000',
      CRIME_STORE_PATH: ':memory:',
      DATABASE_URL: database.databaseUrl,
      DATA_DIR: database.dataDir,
    });
    const app = await buildApp({ db, config, oidc: null }, { logger: false });
    await app.ready();
    try {
      const n = options.inputs;
      const counts = { csv: Math.round(n * 0.45), xlsx: Math.round(n * 0.25), json: n - Math.round(n * 0.45) - Math.round(n * 0.25) };
      return await fuzzImports(app, db.kysely, { seed: options.seed, counts, http: Math.max(10, Math.round(n / 30)), only: options.only });
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
    await database.drop();
  }
}

export async function runFuzzBench(
  options: FuzzBenchOptions,
): Promise<{ reports: Record<string, FuzzReport>; table: string; failures: string[] }> {
  const reports: Record<string, FuzzReport> = {};
  for (const engine of options.engines) {
    if (engine === 'postgres' && !options.postgresUrl) {
      console.log('PostgreSQL skipped: set CSPHUB_BENCH_PG_URL (or DATABASE_URL) to a postgres:// URL');
      continue;
    }
    reports[engine] = await fuzzEngine(engine, options);
  }
  const rows = Object.entries(reports).map(([engine, r]) => [
    engine,
    ...(['csv', 'xlsx', 'json'] as const).map((k) => `${r.byKind[k].inputs} (${r.byKind[k].accepted} taken)`),
    `${r.http.requests} (${r.http.accepted} taken)`,
    fixed(r.maxStallMs, 0),
    fixed(r.memoryGrowthMiB, 0),
    fixed(r.seconds, 1),
    r.failures.length,
  ]);
  const table = markdownTable(
    [
      'Engine',
      'CSV files',
      'XLSX files',
      'JSON files',
      'Through the pages',
      'Longest stall (ms)',
      'Memory rise (MiB)',
      'Seconds',
      'Failures',
    ],
    rows,
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  return {
    reports,
    table: `Seed ${options.seed}, ${options.inputs} inputs per engine.\n\n${table}`,
    failures: Object.values(reports).flatMap((r) => r.failures),
  };
}

function report(result: Awaited<ReturnType<typeof runFuzzBench>>): void {
  console.log(result.table);
  if (result.failures.length) {
    console.log(`\n${result.failures.length} failures:\n${result.failures.slice(0, 50).join('\n')}`);
    throw new Error(`The importer fuzz found ${result.failures.length} failures (seed shown with each)`);
  }
}

export const fuzzBenchmark: Benchmark = {
  name: 'fuzz',
  description: 'Malformed figures CSV/XLSX and partnership JSON files through the importers: clean refusals, no partial writes, no stalls',
  async run(options) {
    const result = await runFuzzBench({
      inputs: options.fuzzInputs ?? DEFAULT_FUZZ_INPUTS,
      seed: options.fuzzSeed ?? DEFAULT_FUZZ_SEED,
      engines: options.engines,
      postgresUrl: options.postgresUrl,
    });
    report(result);
    return { table: result.table, reports: result.reports };
  },
};

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { inputs: { type: 'string' }, seed: { type: 'string' }, only: { type: 'string' }, engines: { type: 'string' } },
  });
  const candidates = [process.env.CSPHUB_BENCH_PG_URL, process.env.DATABASE_URL].filter((u): u is string => !!u);
  const result = await runFuzzBench({
    inputs: values.inputs ? Number(values.inputs) : DEFAULT_FUZZ_INPUTS,
    seed: values.seed ? Number(values.seed) : DEFAULT_FUZZ_SEED,
    only: values.only ? Number(values.only) : undefined,
    engines: (values.engines ?? 'sqlite,postgres').split(',') as Engine[],
    postgresUrl: candidates.find((u) => /^postgres(ql)?:\/\//.test(u)) ?? '',
  });
  report(result);
  process.exit(0);
}
