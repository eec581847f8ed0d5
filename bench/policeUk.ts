/**
 * Police.uk import benchmark (issue 6): one year of generated street-level files in 12 monthly folders,
 * imported by CSP Hub's importer (read, check every row, replace per month and force in a transaction) and,
 * in the same run, loaded by DuckDB's bare read_csv into a table, each in its own child process so that each
 * peak RSS is its own. Then the strategic assessment of one partnership (Rotherham) is timed on the imported
 * store: the analysis function alone, and the analysis page served by the app (started as `npm start` does,
 * on that store) to a signed-in user.
 *
 *   npx tsx bench/policeUk.ts                    # 500,000 rows, the three forces of the test data (default)
 *   npx tsx bench/policeUk.ts --rows 2000000     # or POLICE_BENCH_ROWS=2000000
 *   npx tsx bench/policeUk.ts --national         # 6,500,000 rows over 44 forces (~1.3 GB of files, deleted afterwards)
 *   npm run bench -- --only police-uk --police-national
 *   npx tsx bench/policeUk.ts --store /tmp/…/crime.duckdb   # only the analysis page, on a store kept with --keep
 *   npx tsx bench/policeUk.ts --rows 1625000 --forces national   # a quarter of the national year, over the 44 forces
 *   npx tsx bench/policeUk.ts --pg-load copy     # the PostgreSQL phase by COPY only (default both: COPY and INSERT)
 *   npx tsx bench/policeUk.ts --pg-store postgres://…/csphub_bench_…   # only the analysis page, on a PostgreSQL store kept with --keep
 *
 * With a PostgreSQL URL (CSPHUB_BENCH_PG_URL, or DATABASE_URL, as for `npm run bench`) the same files are also
 * imported into the shared PostgreSQL store (decisions 0038, 0047: partitioned by month) of a throwaway database,
 * once by COPY FROM STDIN and once by batched INSERTs (each on its own database), and the analysis and the analysis
 * page are timed on the COPY one (the app started on that database, as an instance of a PostgreSQL deployment).
 *
 * Goals: import at most 2x bare read_csv, peak memory under 1 GiB, analysis page under 200 ms.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DuckDBInstance, listValue } from '@duckdb/node-api';
import { nationalForces, writeStreetFiles } from '../src/adapters/crimeStore/generator.ts';
import { importStreetFiles } from '../src/adapters/crimeStore/importer.ts';
import { openCrimeStore, openPgCrimeStore, type CrimeStore } from '../src/adapters/crimeStore/store.ts';
import { openDatabase } from '../src/adapters/database/database.ts';
import { migrateToLatest } from '../src/adapters/database/migrate.ts';
import { strategicAssessment } from '../src/services/assessment/strategicAssessment.ts';
import { Browser, markdownTable, summarise, type Benchmark, type LatencySummary } from './lib.ts';
import { createDatabase, startApp } from './apphost.ts';

/** Street-level rows a year in England and Wales (crime and ASB), roughly. */
export const NATIONAL_ROWS = 6_500_000;

export interface PoliceUkBenchOptions {
  /** Rows in the year (12 monthly files per force); default POLICE_BENCH_ROWS or 500,000. */
  rows?: number;
  /** DuckDB memory limit for both runs; default 512MB. */
  memoryLimit?: string;
  /** Assessment runs to time; default 7. */
  assessmentRuns?: number;
  /** Keep the generated files and stores (printed) instead of deleting them. */
  keep?: boolean;
  /** Forces to generate: the three of the test data (default below 2 million rows) or 44 like England and Wales. */
  forces?: 'three' | 'national';
  /** Analysis page requests to time (after 2 unmeasured); default 20. */
  pageRequests?: number;
  /** A PostgreSQL server (postgres:// URL) on which to time the shared store too; default none. */
  postgresUrl?: string;
  /**
   * How rows reach the PostgreSQL store, each timed on its own throwaway database (decision 0047): 'copy' (COPY FROM
   * STDIN, the importer's default), 'insert' (batched INSERT … unnest, decision 0038); default both.
   */
  pgLoads?: PgLoad[];
}

export type PgLoad = 'copy' | 'insert';

export interface PhaseResult {
  seconds: number;
  rows: number;
  peakRssMiB: number;
  assessmentMs?: number[];
  areaRows?: number;
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
  /** The analysis page for Rotherham, served by the app on the imported store. */
  page: LatencySummary;
  /** The app's CPU time per analysis page request (all its threads). */
  pageCpuMs: number;
  /** Records in the Rotherham partnership's area (both years). */
  areaRows: number;
  /** The same import into the shared PostgreSQL store, its analysis and analysis page (with a PostgreSQL URL). */
  postgres?: {
    import: PhaseResult;
    ratio: number;
    /** The other ways of loading, timed on their own databases (no page timing). */
    otherLoads: { load: PgLoad; import: PhaseResult; ratio: number }[];
    load: PgLoad;
    assessmentMedianMs: number;
    page: LatencySummary;
    pageCpuMs: number;
    /** The first request of the page (the analysis computed, not cached). */
    pageFirstMs: number;
    /** Month partitions of street_records after the import. */
    partitions: number;
  };
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
type Phase = 'bare' | 'bare-typed' | 'ours' | 'postgres-copy' | 'postgres-insert';

/** The columns given to read_csv in the 'bare-typed' run: no type sniffing, coordinates as numbers. */
const TYPED_COLUMNS = `{'Crime ID': 'VARCHAR', 'Month': 'VARCHAR', 'Reported by': 'VARCHAR', 'Falls within': 'VARCHAR', 'Longitude': 'DOUBLE', 'Latitude': 'DOUBLE', 'Location': 'VARCHAR', 'LSOA code': 'VARCHAR', 'LSOA name': 'VARCHAR', 'Crime type': 'VARCHAR', 'Last outcome category': 'VARCHAR', 'Context': 'VARCHAR'}`;

async function childPhase(phase: Phase, folder: string, dbFile: string, memoryLimit: string, assessmentRuns: number): Promise<PhaseResult> {
  if (phase === 'bare' || phase === 'bare-typed') {
    const instance = await DuckDBInstance.create(dbFile, { memory_limit: memoryLimit });
    const connection = await instance.connect();
    const started = performance.now();
    const columns = phase === 'bare-typed' ? `, auto_detect = false, columns = ${TYPED_COLUMNS}` : '';
    await connection.run(`CREATE TABLE street AS SELECT * FROM read_csv($files, header = true${columns})`, {
      files: listValue(csvFiles(folder)),
    });
    const seconds = (performance.now() - started) / 1000;
    const reader = await connection.runAndReadAll('SELECT count(*) FROM street');
    const rows = Number(reader.getRows()[0]?.[0] ?? 0);
    connection.closeSync();
    instance.closeSync();
    return { seconds, rows, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
  }
  // 'postgres-…': dbFile is the database URL; DuckDB reads and checks in memory, spilling to the system's temporary folder.
  const pgLoad = phase === 'postgres-copy' ? 'copy' : phase === 'postgres-insert' ? 'insert' : undefined;
  const store: CrimeStore = pgLoad ? openPgCrimeStore(dbFile) : await openCrimeStore(dbFile, { memoryLimit });
  const started = performance.now();
  const summary = await importStreetFiles(store, folder, pgLoad ? { tempDir: os.tmpdir(), pgLoad } : {});
  const seconds = (performance.now() - started) / 1000;
  const assessmentMs: number[] = [];
  for (let i = 0; i < assessmentRuns; i++) {
    const t = performance.now();
    await strategicAssessment(store, {
      area: { localAuthorities: ['Rotherham'] },
      windowEnd: '2024-12',
      populations: [{ year: 2024, population: 268_000 }],
    });
    assessmentMs.push(performance.now() - t);
  }
  const areaRows =
    (await store.query<{ n: number }>(`SELECT count(*) AS n FROM street_records WHERE lsoa_name LIKE 'Rotherham %'`))[0]?.n ?? 0;
  store.close();
  return { seconds, rows: summary.rowsAccepted, peakRssMiB: process.resourceUsage().maxRSS / 1024, assessmentMs, areaRows };
}

function runChild(phase: Phase, folder: string, dbFile: string, memoryLimit: string, assessmentRuns: number): PhaseResult {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', SELF, '--child', phase, folder, dbFile, memoryLimit, String(assessmentRuns)],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = out.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as PhaseResult;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The analysis page of the demo's Safer Rotherham Partnership (area: Rotherham) on the imported store, served by
 * the app in a child process on a throwaway SQLite database, requested one at a time by a signed-in user.
 */
async function timeAnalysisPage(
  storeFile: string,
  requests: number,
  postgres?: Awaited<ReturnType<typeof createDatabase>>,
): Promise<{ latency: LatencySummary; cpuMsPerRequest: number; firstMs: number }> {
  // On PostgreSQL the app reads the shared store in its own database (storeFile is not used).
  const db = postgres ?? (await createDatabase('sqlite', ''));
  const app = await startApp(db, {
    inProcess: false,
    env: { CRIME_STORE_PATH: storeFile, POLICE_DATA_DIR: path.join(db.dataDir, 'police-uk') },
  });
  try {
    const browser = new Browser(app.baseUrl);
    await browser.get('/sign-in');
    const signedIn = await browser.post('/sign-in', { email: app.adminEmail, password: app.adminPassword });
    if (signedIn.status !== 303) throw new Error(`Sign-in answered ${signedIn.status}`);
    const list = await browser.get('/partnerships');
    const id = /href="\/partnerships\/(\d+)"[^>]*>Safer Rotherham Partnership</.exec(list.body)?.[1];
    if (!id) throw new Error('The demo partnership Safer Rotherham Partnership was not found');
    await browser.get(`/partnerships/${id}/assessment/area`);
    const saved = await browser.post(`/partnerships/${id}/assessment/area`, { localAuthorities: 'Rotherham', lsoaCodes: '' });
    if (saved.status !== 303) throw new Error(`Saving the area answered ${saved.status}`);
    const url = `/partnerships/${id}/assessment?end=2024-12`;
    const times: number[] = [];
    // The first request computes the analysis (nothing cached yet, decision 0053); the others are served from the cache.
    let firstMs = NaN;
    let cpuBefore = 0;
    for (let i = 0; i < requests + 2; i++) {
      if (i === 2) cpuBefore = (await app.stats()).cpuMs;
      const t = performance.now();
      const page = await browser.get(url);
      const ms = performance.now() - t;
      if (page.status !== 200 || !page.body.includes('id="by-type"'))
        throw new Error(`The analysis page answered ${page.status} without its figures`);
      if (i === 0) firstMs = ms;
      if (i >= 2) times.push(ms);
    }
    // The app's CPU time (Node and DuckDB's threads) per request: what a page costs whatever else the machine runs.
    const cpuMsPerRequest = ((await app.stats()).cpuMs - cpuBefore) / requests;
    return { latency: summarise(times), cpuMsPerRequest, firstMs };
  } finally {
    await app.stop();
    if (!postgres) await db.drop();
  }
}

/**
 * The same files imported into the shared PostgreSQL store of a throwaway database, once per way of loading (each
 * on its own database, dropped afterwards), and the analysis page timed on the first one's.
 */
async function postgresPhase(
  postgresUrl: string,
  folder: string,
  memoryLimit: string,
  runs: number,
  requests: number,
  bare: PhaseResult,
  loads: PgLoad[],
  keep = false,
) {
  const otherLoads: { load: PgLoad; import: PhaseResult; ratio: number }[] = [];
  for (const load of loads.slice(1)) {
    const db = await createDatabase('postgres', postgresUrl);
    try {
      await migrated(db.databaseUrl, db.dataDir);
      const imported = runChild(`postgres-${load}`, folder, db.databaseUrl, memoryLimit, 0);
      otherLoads.push({ load, import: imported, ratio: imported.seconds / bare.seconds });
    } finally {
      await db.drop();
    }
  }
  const load = loads[0] ?? 'copy';
  const db = await createDatabase('postgres', postgresUrl);
  try {
    await migrated(db.databaseUrl, db.dataDir);
    const imported = runChild(`postgres-${load}`, folder, db.databaseUrl, memoryLimit, runs);
    const store = openPgCrimeStore(db.databaseUrl);
    let partitions = 0;
    try {
      await store.query('ANALYZE street_records');
      partitions =
        (await store.query<{ n: number }>(`SELECT count(*) AS n FROM pg_inherits WHERE inhparent = to_regclass('street_records')`))[0]?.n ??
        0;
    } finally {
      store.close();
    }
    const { latency: page, cpuMsPerRequest: pageCpuMs, firstMs: pageFirstMs } = await timeAnalysisPage('', requests, db);
    return {
      import: imported,
      ratio: imported.seconds / bare.seconds,
      otherLoads,
      load,
      assessmentMedianMs: median(imported.assessmentMs ?? [NaN]),
      page,
      pageCpuMs,
      pageFirstMs,
      partitions,
    };
  } finally {
    if (keep) console.log(`Kept the PostgreSQL store: ${db.databaseUrl} (drop it with DROP DATABASE ${db.postgresDatabase})`);
    else await db.drop();
  }
}

async function migrated(databaseUrl: string, dataDir: string): Promise<void> {
  const app = openDatabase({ databaseUrl, dataDir });
  try {
    await migrateToLatest(app);
  } finally {
    await app.close();
  }
}

export async function runPoliceUkBench(options: PoliceUkBenchOptions = {}): Promise<PoliceUkBenchResult> {
  const rows = options.rows ?? Number(process.env.POLICE_BENCH_ROWS ?? 500_000);
  const memoryLimit = options.memoryLimit ?? '512MB';
  const national = (options.forces ?? (rows >= 2_000_000 ? 'national' : 'three')) === 'national';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-police-bench-'));
  try {
    const folder = path.join(dir, 'files');
    const started = performance.now();
    const written = await writeStreetFiles(folder, {
      seed: 2024,
      firstMonth: '2024-01',
      months: 12,
      rowsPerMonth: Math.round(rows / 12),
      ...(national ? { forces: nationalForces() } : {}),
    });
    const generateSeconds = (performance.now() - started) / 1000;
    const megabytes = written.files.reduce((s, f) => s + f.bytes, 0) / 1e6;
    // Read every file once so that all runs start with the same warm page cache.
    for (const f of written.files) fs.readFileSync(f.path);
    const bare = runChild('bare', folder, path.join(dir, 'bare.duckdb'), memoryLimit, 0);
    const bareTyped = runChild('bare-typed', folder, path.join(dir, 'bare-typed.duckdb'), memoryLimit, 0);
    const ours = runChild('ours', folder, path.join(dir, 'crime.duckdb'), memoryLimit, options.assessmentRuns ?? 7);
    const {
      latency: page,
      cpuMsPerRequest: pageCpuMs,
      firstMs: duckFirstMs,
    } = await timeAnalysisPage(path.join(dir, 'crime.duckdb'), options.pageRequests ?? 20);
    const pgResult = options.postgresUrl
      ? await postgresPhase(
          options.postgresUrl,
          folder,
          memoryLimit,
          options.assessmentRuns ?? 7,
          options.pageRequests ?? 20,
          bare,
          options.pgLoads ?? ['copy', 'insert'],
          options.keep,
        )
      : undefined;
    const areaRows = ours.areaRows ?? 0;
    const ratio = ours.seconds / bare.seconds;
    const ratioTyped = ours.seconds / bareTyped.seconds;
    const assessmentMedianMs = median(ours.assessmentMs ?? [NaN]);
    const table = markdownTable(
      ['Police.uk year', 'Rows', 'Seconds', 'Rows/s', 'Peak RSS (MiB)'],
      [
        ['DuckDB bare read_csv', bare.rows, bare.seconds.toFixed(2), Math.round(bare.rows / bare.seconds), Math.round(bare.peakRssMiB)],
        [
          'DuckDB read_csv, columns given (no sniffing)',
          bareTyped.rows,
          bareTyped.seconds.toFixed(2),
          Math.round(bareTyped.rows / bareTyped.seconds),
          Math.round(bareTyped.peakRssMiB),
        ],
        [
          'CSP Hub import (checked, transactional)',
          ours.rows,
          ours.seconds.toFixed(2),
          Math.round(ours.rows / ours.seconds),
          Math.round(ours.peakRssMiB),
        ],
        ...(pgResult
          ? [
              ...[{ load: pgResult.load, import: pgResult.import }, ...pgResult.otherLoads].map(({ load, import: phase }) => [
                `CSP Hub import into PostgreSQL by ${load === 'copy' ? 'COPY FROM STDIN' : 'batched INSERT'} (checked in DuckDB, one transaction)`,
                phase.rows,
                phase.seconds.toFixed(2),
                Math.round(phase.rows / phase.seconds),
                Math.round(phase.peakRssMiB),
              ]),
            ]
          : []),
      ],
      ['l', 'r', 'r', 'r', 'r'],
    );
    const pgLine = pgResult
      ? `\n\nShared PostgreSQL store (${pgResult.partitions} month partitions): import by ${pgResult.load} / bare read_csv ${pgResult.ratio.toFixed(2)}x${pgResult.otherLoads.map((o) => `, by ${o.load} ${o.ratio.toFixed(2)}x`).join('')}; Rotherham analysis alone median ${pgResult.assessmentMedianMs.toFixed(0)} ms; the analysis page p50 ${pgResult.page.p50.toFixed(0)} ms, p95 ${pgResult.page.p95.toFixed(0)} ms, max ${pgResult.page.max.toFixed(0)} ms over ${pgResult.page.count} requests, ${pgResult.pageCpuMs.toFixed(0)} ms of app CPU each (goal < 200 ms); the first request (not cached) ${pgResult.pageFirstMs.toFixed(0)} ms; load average ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}.`
      : '';
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
      page,
      pageCpuMs,
      areaRows,
      ...(pgResult ? { postgres: pgResult } : {}),
      table: `${table}\n\nImport / bare read_csv: ${ratio.toFixed(2)}x (goal <= 2x); / read_csv with columns given: ${ratioTyped.toFixed(2)}x. Peak RSS of the import: ${Math.round(ours.peakRssMiB)} MiB (goal < 1,024). Rotherham (${areaRows.toLocaleString('en-GB')} records in its area): analysis alone median ${assessmentMedianMs.toFixed(0)} ms over ${(ours.assessmentMs ?? []).length} runs; the analysis page p50 ${page.p50.toFixed(0)} ms, p95 ${page.p95.toFixed(0)} ms, max ${page.max.toFixed(0)} ms over ${page.count} requests, ${pageCpuMs.toFixed(0)} ms of app CPU each (goal < 200 ms), the first (not cached) ${duckFirstMs.toFixed(0)} ms. ${written.rows.toLocaleString('en-GB')} rows, ${written.files.length} files (${national ? '44 forces' : '3 forces'}, 12 monthly folders), ${megabytes.toFixed(0)} MB, generated in ${generateSeconds.toFixed(1)} s.${pgLine}`,
    };
  } finally {
    if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** For bench/run.ts's BENCHMARKS list. */
export const policeUkBenchmark: Benchmark = {
  name: 'police-uk',
  description: 'Import a year of police.uk street-level files vs DuckDB bare read_csv; strategic assessment time',
  async run(options) {
    const result = await runPoliceUkBench({
      ...(options.policeRows ? { rows: options.policeRows } : {}),
      ...(options.postgresUrl ? { postgresUrl: options.postgresUrl } : {}),
    });
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
    const { values } = parseArgs({
      args,
      options: {
        rows: { type: 'string' },
        national: { type: 'boolean', default: false },
        keep: { type: 'boolean', default: false },
        'page-requests': { type: 'string' },
        store: { type: 'string' },
        'pg-store': { type: 'string' },
        'pg-load': { type: 'string', default: 'both' },
        forces: { type: 'string' },
      },
    });
    if (values['pg-store']) {
      // Only the analysis page, on the shared PostgreSQL store of a database imported earlier (left in place).
      const databaseUrl = values['pg-store'];
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-bench-'));
      const db = {
        engine: 'postgres' as const,
        postgresDatabase: new URL(databaseUrl).pathname.slice(1),
        databaseUrl,
        dataDir,
        drop: async () => {},
      };
      try {
        const { latency, cpuMsPerRequest, firstMs } = await timeAnalysisPage('', Number(values['page-requests'] ?? 20), db);
        console.log(
          `Analysis page for Rotherham on the PostgreSQL store: p50 ${latency.p50.toFixed(0)} ms, p95 ${latency.p95.toFixed(0)} ms, max ${latency.max.toFixed(0)} ms over ${latency.count} requests; ${cpuMsPerRequest.toFixed(0)} ms of app CPU each; the first (not cached) ${firstMs.toFixed(0)} ms; load average ${os
            .loadavg()
            .map((l) => l.toFixed(1))
            .join(' ')}.`,
        );
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
      process.exit(0);
    }
    if (values.store) {
      // Only the analysis page, on a store kept from an earlier run (--keep).
      const { latency, cpuMsPerRequest } = await timeAnalysisPage(path.resolve(values.store), Number(values['page-requests'] ?? 20));
      console.log(
        `Analysis page for Rotherham: p50 ${latency.p50.toFixed(0)} ms, p95 ${latency.p95.toFixed(0)} ms, max ${latency.max.toFixed(0)} ms over ${latency.count} requests; ${cpuMsPerRequest.toFixed(0)} ms of app CPU each.`,
      );
      process.exit(0);
    }
    const rows = values.national ? NATIONAL_ROWS : values.rows ? Number(values.rows) : undefined;
    if (rows !== undefined && !(Number.isInteger(rows) && rows > 0))
      throw new Error(`--rows must be a whole number above 0, got "${values.rows}"`);
    const pgLoads: PgLoad[] | undefined = {
      both: ['copy', 'insert'] as PgLoad[],
      copy: ['copy'] as PgLoad[],
      insert: ['insert'] as PgLoad[],
    }[values['pg-load']];
    if (!pgLoads) throw new Error(`--pg-load must be copy, insert or both, got "${values['pg-load']}"`);
    const postgresUrl = [process.env.CSPHUB_BENCH_PG_URL, process.env.DATABASE_URL].find((u) => u && /^postgres(ql)?:\/\//.test(u));
    const result = await runPoliceUkBench({
      ...(rows ? { rows } : {}),
      ...(postgresUrl ? { postgresUrl } : {}),
      pgLoads,
      ...(values.forces === 'national' || values.forces === 'three' ? { forces: values.forces } : {}),
      keep: values.keep,
      ...(values['page-requests'] ? { pageRequests: Number(values['page-requests']) } : {}),
    });
    console.log(result.table);
  }
}
