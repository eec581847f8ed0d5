/**
 * `npm run bench`: runs every benchmark in BENCHMARKS (or those named with --only) and prints Markdown tables.
 *
 *   npm run bench -- --concurrency 50 --duration 10 --warmup 3 --repeat 1 --engines sqlite,postgres --only http --json out.json
 *
 * PostgreSQL runs when CSPHUB_BENCH_PG_URL (or else DATABASE_URL) is a postgres:// URL: each run creates a
 * throwaway database on that server and drops it afterwards. To add a benchmark, write bench/<name>.ts
 * exporting a `Benchmark` (see bench/lib.ts) and list it below.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { describeCode, describeMachine, fixed, type BenchOptions, type Benchmark } from './lib.ts';
import { httpBenchmark } from './http.ts';
import { performanceBenchmark } from './performance.ts';
import { NATIONAL_ROWS, policeUkBenchmark } from './policeUk.ts';
import { fuzzBenchmark } from './fuzz.ts';
import { fuzzPoliceBenchmark } from './fuzzPolice.ts';
import { pageWeightBenchmark } from './pageWeight.ts';
import { soakBenchmark } from './soak.ts';
import { deprivationBenchmark, officialDataBenchmark } from './officialData.ts';
import { boundariesBenchmark } from './boundaries.ts';

// The soak runs for minutes per engine: only when asked for (--only soak).
const BENCHMARKS: Benchmark[] = [
  httpBenchmark,
  performanceBenchmark,
  pageWeightBenchmark,
  policeUkBenchmark,
  fuzzBenchmark,
  fuzzPoliceBenchmark,
  officialDataBenchmark,
  deprivationBenchmark,
  boundariesBenchmark,
  soakBenchmark,
];
const ON_REQUEST_ONLY = new Set(['soak']);

const USAGE = `Usage: npm run bench -- [options]

  -c, --concurrency N   concurrent clients (default 50)
  -d, --duration S      seconds per measured phase (default 10)
      --warmup S        unmeasured seconds before each engine's first phase (default 3)
      --engines LIST    sqlite,postgres (default both; PostgreSQL needs CSPHUB_BENCH_PG_URL or DATABASE_URL)
      --only NAMES      run only these benchmarks (${BENCHMARKS.map((b) => b.name).join(', ')})
  -r, --repeat N        runs of each engine, taking turns; tables show medians (default 1)
      --in-process      run the app in this process instead of a child process per engine
      --police-rows N   rows in the police-uk benchmark's year of files (default 500000)
      --police-national the police-uk benchmark at national scale: 6,500,000 rows (about 1.3 GB of files)
      --fuzz-inputs N   malformed files per engine in the importer fuzz (default 3000)
      --fuzz-cases N    malformed inputs through the police.uk importer in fuzz-police (default 5000)
      --fuzz-web N      of them, uploads through the web app (default 200)
      --soak-minutes N  length of the soak on each engine (default 10; run it with --only soak)
      --soak-fault S    stop PostgreSQL for S seconds a third of the way through its soak (a cluster of its own)
      --soak-document-every S  one Board pack asked for every S seconds in the soak, across all clients (default 10)
      --fuzz-seed N     seed of fuzz (default 11032024) and fuzz-police (default 1); a failure prints its seed and case number
      --json FILE       also write the results as JSON
  -h, --help`;

function positive(name: string, value: string | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0))
    throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      concurrency: { type: 'string', short: 'c' },
      duration: { type: 'string', short: 'd' },
      warmup: { type: 'string' },
      engines: { type: 'string' },
      only: { type: 'string' },
      repeat: { type: 'string', short: 'r' },
      'in-process': { type: 'boolean', default: false },
      'police-rows': { type: 'string' },
      'police-national': { type: 'boolean', default: false },
      'fuzz-inputs': { type: 'string' },
      'fuzz-cases': { type: 'string' },
      'fuzz-web': { type: 'string' },
      'fuzz-seed': { type: 'string' },
      'soak-minutes': { type: 'string' },
      'soak-fault': { type: 'string' },
      'soak-document-every': { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }

  const engines = (values.engines ?? 'sqlite,postgres').split(',').map((e) => e.trim());
  for (const e of engines)
    if (e !== 'sqlite' && e !== 'postgres') throw new Error(`--engines: unknown engine "${e}" (use sqlite, postgres)`);
  const candidates = [process.env.CSPHUB_BENCH_PG_URL, process.env.DATABASE_URL].filter((u): u is string => !!u);
  const postgresUrl = candidates.find((u) => /^postgres(ql)?:\/\//.test(u)) ?? '';
  const options: BenchOptions = {
    concurrency: Math.round(positive('concurrency', values.concurrency, 50)),
    durationMs: positive('duration', values.duration, 10) * 1000,
    warmupMs: positive('warmup', values.warmup, 3, true) * 1000,
    engines: engines as BenchOptions['engines'],
    postgresUrl,
    inProcess: values['in-process'],
    repeat: Math.round(positive('repeat', values.repeat, 1)),
    ...(values['police-national']
      ? { policeRows: NATIONAL_ROWS }
      : values['police-rows']
        ? { policeRows: Math.round(positive('police-rows', values['police-rows'], 0)) }
        : {}),
    ...(values['fuzz-inputs'] ? { fuzzInputs: Math.round(positive('fuzz-inputs', values['fuzz-inputs'], 0)) } : {}),
    ...(values['fuzz-cases'] !== undefined ? { fuzzCases: Math.round(positive('fuzz-cases', values['fuzz-cases'], 0, true)) } : {}),
    ...(values['fuzz-web'] !== undefined ? { fuzzWebCases: Math.round(positive('fuzz-web', values['fuzz-web'], 0, true)) } : {}),
    ...(values['soak-minutes'] !== undefined ? { soakMinutes: positive('soak-minutes', values['soak-minutes'], 10) } : {}),
    ...(values['soak-fault'] !== undefined ? { soakFaultSeconds: positive('soak-fault', values['soak-fault'], 0, true) } : {}),
    ...(values['soak-document-every'] !== undefined
      ? { soakDocumentEverySeconds: positive('soak-document-every', values['soak-document-every'], 10) }
      : {}),
    ...(values['fuzz-seed'] !== undefined ? { fuzzSeed: Math.round(positive('fuzz-seed', values['fuzz-seed'], 0, true)) } : {}),
  };

  const names = values.only?.split(',').map((n) => n.trim());
  const selected = names ? BENCHMARKS.filter((b) => names.includes(b.name)) : BENCHMARKS.filter((b) => !ON_REQUEST_ONLY.has(b.name));
  const unknown = names?.filter((n) => !BENCHMARKS.some((b) => b.name === n)) ?? [];
  if (unknown.length)
    throw new Error(`--only: no benchmark called ${unknown.join(', ')} (there are: ${BENCHMARKS.map((b) => b.name).join(', ')})`);

  const machine = describeMachine();
  const code = describeCode();
  console.log(
    `CSP Hub benchmarks, ${new Date().toISOString()}${code ? `, commit ${code.commit}${code.uncommittedChanges ? ' with uncommitted changes' : ''}` : ''}`,
  );
  console.log(
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${fixed(machine.memoryGiB, 1)} GiB RAM, Node ${machine.node}, ${machine.platform}`,
  );
  console.log(
    `Options: ${options.concurrency} clients, ${options.durationMs / 1000} s per phase, ${options.warmupMs / 1000} s warm-up, engines ${options.engines.join(', ')}, ${options.repeat} run(s) each, app ${options.inProcess ? 'in this process' : 'in a child process'}`,
  );

  const results: Record<string, unknown> = {};
  for (const b of selected) {
    console.log(`\n## ${b.name}: ${b.description}`);
    results[b.name] = await b.run(options);
  }
  if (values.json) {
    fs.writeFileSync(
      values.json,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          code,
          machine,
          options: { ...options, postgresUrl: options.postgresUrl ? '(set)' : '' },
          results,
        },
        null,
        2,
      ),
    );
    console.log(`\nResults written to ${values.json}`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
