/**
 * Benchmark "http": signed-in people and a script using CSP Hub over HTTP, on each database engine.
 *
 * For each engine: start the app with the demo partnerships (bench/apphost.ts); sign in one browser per
 * client as the demo administrator through the real sign-in form (CSRF token from the page, then the session
 * cookie); create a personal API token through the account page; check every page once; warm up; then, for a
 * fixed time each, load
 *   - all four requests in turn ("mixed"): the partnership overview, the audit trail page,
 *     GET /api/v1/partnerships with the token, and /health;
 *   - each of them alone.
 * Reports requests per second, latency percentiles, errors, the app's CPU time per request and its peak RSS.
 */
import { createDatabase, startApp, type EngineDatabase, type RunningApp } from './apphost.ts';
import {
  Browser,
  fixed,
  markdownTable,
  ms,
  runLoad,
  sampleCpu,
  type BenchOptions,
  type Benchmark,
  type LoadResult,
  type ProcessStats,
  type RequestSpec,
} from './lib.ts';

const PARTNERSHIP = 'Safer Rotherham Partnership';

export interface PhaseResult {
  phase: string;
  load: LoadResult;
  /** The app's CPU time per completed request, when it runs in a process of its own. */
  serverCpuMsPerRequest: number | null;
  /** CPU time of the PostgreSQL backends per completed request, when they run on this machine. */
  databaseCpuMsPerRequest: number | null;
  /**
   * Where the machine's CPU went during the phase, each as a share of one core (100 = one core busy): the app
   * (when in a process of its own), the PostgreSQL backends serving it (when on this machine), the benchmark
   * process (the load generator, and the app too when in-process), and everything else on the machine.
   */
  cpu: { app: number | null; database: number | null; loadGenerator: number; other: number | null };
}

export interface EngineResult {
  engine: string;
  engineVersion: string;
  concurrency: number;
  durationMs: number;
  startupMs: number;
  startupRssMiB: number;
  peakRssMiB: number;
  endRssMiB: number;
  separateProcess: boolean;
  phases: PhaseResult[];
}

async function signIn(app: RunningApp): Promise<Browser> {
  const browser = new Browser(app.baseUrl);
  const page = await browser.get('/sign-in');
  if (page.status !== 200 || !browser.csrf) throw new Error(`GET /sign-in answered ${page.status} without a CSRF token`);
  const res = await browser.post('/sign-in', { email: app.adminEmail, password: app.adminPassword, next: '/' });
  if (res.status !== 303 || !browser.cookies.has('csphub_session')) throw new Error(`Sign-in failed: HTTP ${res.status}`);
  return browser;
}

async function createApiToken(browser: Browser): Promise<string> {
  // The CSRF token is bound to the session: take it from a page loaded after signing in.
  await browser.get('/account');
  const res = await browser.post('/account/tokens', { name: 'Benchmark' });
  const m = /id="new-token">\s*([^<\s]+)\s*</.exec(res.body);
  if (res.status !== 200 || !m) throw new Error(`Creating an API token failed: HTTP ${res.status}`);
  return m[1]!;
}

async function partnershipId(baseUrl: string, token: string): Promise<number> {
  const res = await fetch(`${baseUrl}/api/v1/partnerships`, { headers: { authorization: `Bearer ${token}` } });
  const list = (await res.json()) as { id: number; name: string }[];
  const found = list.find((p) => p.name === PARTNERSHIP);
  if (!found) throw new Error(`${PARTNERSHIP} is not in the demo data (got ${list.map((p) => p.name).join(', ')})`);
  return found.id;
}

/** One request of each kind, checked for the right status and content before any load. */
async function check(baseUrl: string, spec: RequestSpec, mustContain: string): Promise<void> {
  const headers = typeof spec.headers === 'function' ? spec.headers(0) : spec.headers;
  const res = await fetch(baseUrl + spec.path, { headers, redirect: 'manual' });
  const body = await res.text();
  if (res.status !== (spec.expectStatus ?? 200) || !body.includes(mustContain)) {
    throw new Error(`${spec.name} (${spec.path}) answered HTTP ${res.status} without "${mustContain}"`);
  }
}

async function benchEngine(app: RunningApp, db: EngineDatabase, options: BenchOptions): Promise<EngineResult> {
  const browsers: Browser[] = [];
  // One signed-in browser (one session) per client, signed in one after another as people would.
  for (let i = 0; i < options.concurrency; i++) browsers.push(await signIn(app));
  const token = await createApiToken(browsers[0]!);
  const id = await partnershipId(app.baseUrl, token);

  const session = (client: number) => ({ cookie: browsers[client]!.cookieHeader() });
  const requests: { spec: RequestSpec; mustContain: string }[] = [
    { spec: { name: 'partnership overview', path: `/partnerships/${id}`, headers: session }, mustContain: PARTNERSHIP },
    { spec: { name: 'audit trail page', path: `/partnerships/${id}/audit`, headers: session }, mustContain: 'Audit trail' },
    {
      spec: { name: 'API partnerships', path: '/api/v1/partnerships', headers: { authorization: `Bearer ${token}` } },
      mustContain: '"Rutland Community Safety Partnership"',
    },
    { spec: { name: 'health', path: '/health' }, mustContain: '"status":"ok"' },
  ];
  for (const r of requests) await check(app.baseUrl, r.spec, r.mustContain);

  const phases: { phase: string; specs: RequestSpec[] }[] = [
    { phase: 'mixed (all four in turn)', specs: requests.map((r) => r.spec) },
    ...requests.map((r) => ({ phase: r.spec.name, specs: [r.spec] })),
  ];

  if (options.warmupMs > 0)
    await runLoad({ baseUrl: app.baseUrl, concurrency: options.concurrency, durationMs: options.warmupMs, requests: phases[0]!.specs });

  const results: PhaseResult[] = [];
  for (const { phase, specs } of phases) {
    const before = await app.stats();
    const machineBefore = sampleCpu(db.postgresDatabase ?? undefined);
    const clientBefore = process.cpuUsage();
    const load = await runLoad({ baseUrl: app.baseUrl, concurrency: options.concurrency, durationMs: options.durationMs, requests: specs });
    const client = process.cpuUsage(clientBefore);
    const machineAfter = sampleCpu(db.postgresDatabase ?? undefined);
    const after = await app.stats();
    const pct = (cpuMs: number) => (100 * cpuMs) / load.elapsedMs;
    const appMs = app.separateProcess ? after.cpuMs - before.cpuMs : null;
    const clientMs = (client.user + client.system) / 1000;
    const dbMs =
      machineAfter.matchedMs !== null && machineBefore.matchedMs !== null ? machineAfter.matchedMs - machineBefore.matchedMs : null;
    const machineMs =
      machineAfter.machineBusyMs !== null && machineBefore.machineBusyMs !== null
        ? machineAfter.machineBusyMs - machineBefore.machineBusyMs
        : null;
    results.push({
      phase,
      load,
      serverCpuMsPerRequest: appMs !== null && load.completed ? appMs / load.completed : null,
      databaseCpuMsPerRequest: dbMs !== null && load.completed ? dbMs / load.completed : null,
      cpu: {
        app: appMs === null ? null : pct(appMs),
        database: dbMs === null ? null : pct(dbMs),
        loadGenerator: pct(clientMs),
        other: machineMs === null ? null : Math.max(0, pct(machineMs - (appMs ?? 0) - clientMs - (dbMs ?? 0))),
      },
    });
    console.log(
      `  ${phase}: ${fixed(load.requestsPerSecond)} req/s, p50 ${ms(load.latency.p50)} ms, p99 ${ms(load.latency.p99)} ms, ${load.errors} errors`,
    );
    for (const e of load.errorSamples) console.log(`    error: ${e}`);
  }
  const end: ProcessStats = await app.stats();
  return {
    engine: app.engine,
    engineVersion: app.engineVersion,
    concurrency: options.concurrency,
    durationMs: options.durationMs,
    startupMs: app.startupMs,
    startupRssMiB: app.startupStats.rssMiB,
    peakRssMiB: end.peakRssMiB,
    endRssMiB: end.rssMiB,
    separateProcess: app.separateProcess,
    phases: results,
  };
}

/** Median of the numbers given, ignoring nulls; null when there are none. */
function median(values: (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
}

const msOrDash = (v: number | null) => (v === null ? '-' : ms(v));
const cpuMs = (v: number | null) => (v === null ? '-' : v.toFixed(2));
const pctOrDash = (v: number | null) => (v === null ? '-' : fixed(v));

/**
 * Prints one table per engine. With several runs of an engine every figure is the median over the runs (errors
 * are summed) and the requests per second also show the lowest and highest run.
 */
function report(runs: EngineResult[][]): void {
  for (const engineRuns of runs) {
    const first = engineRuns[0]!;
    const n = engineRuns.length;
    const phase = (i: number) => engineRuns.map((r) => r.phases[i]!);
    console.log(
      `\n### ${first.engineVersion}: ${first.concurrency} clients, ${fixed(first.durationMs / 1000)} s per phase${n > 1 ? `, median of ${n} runs` : ''}\n`,
    );
    console.log(
      markdownTable(
        [
          'Phase',
          'Requests/s',
          ...(n > 1 ? ['(lowest–highest)'] : []),
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'Errors',
          'App CPU ms/req',
          'DB CPU ms/req',
          'CPU % app / db / load gen / other',
        ],
        first.phases.map((p, i) => {
          const ps = phase(i);
          const rps = ps.map((x) => x.load.requestsPerSecond);
          return [
            p.phase,
            fixed(median(rps)!),
            ...(n > 1 ? [`${fixed(Math.min(...rps))}–${fixed(Math.max(...rps))}`] : []),
            msOrDash(median(ps.map((x) => x.load.latency.p50))),
            msOrDash(median(ps.map((x) => x.load.latency.p95))),
            msOrDash(median(ps.map((x) => x.load.latency.p99))),
            ps.reduce((a, x) => a + x.load.errors, 0),
            cpuMs(median(ps.map((x) => x.serverCpuMsPerRequest))),
            cpuMs(median(ps.map((x) => x.databaseCpuMsPerRequest))),
            [
              median(ps.map((x) => x.cpu.app)),
              median(ps.map((x) => x.cpu.database)),
              median(ps.map((x) => x.cpu.loadGenerator)),
              median(ps.map((x) => x.cpu.other)),
            ]
              .map(pctOrDash)
              .join(' / '),
          ];
        }),
        ['l', 'r', ...(n > 1 ? (['r'] as const) : []), 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
    );
    console.log(`\nEach request within the mixed phase:\n`);
    console.log(
      markdownTable(
        ['Request', 'Completed', 'p50 ms', 'p95 ms', 'p99 ms'],
        first.phases[0]!.load.byRequest.map((b, j) => {
          const bs = phase(0).map((x) => x.load.byRequest[j]!);
          return [
            b.name,
            fixed(median(bs.map((x) => x.completed))!),
            msOrDash(median(bs.map((x) => x.latency.p50))),
            msOrDash(median(bs.map((x) => x.latency.p95))),
            msOrDash(median(bs.map((x) => x.latency.p99))),
          ];
        }),
        ['l', 'r', 'r', 'r', 'r'],
      ),
    );
  }
  if (runs.length === 0) return;
  console.log(`\n### Summary: mixed phase${runs[0]!.length > 1 ? ` (median of ${runs[0]!.length} runs)` : ''}\n`);
  console.log(
    markdownTable(
      ['Engine', 'Requests/s', 'p50 ms', 'p95 ms', 'p99 ms', 'Errors', 'Start-up ms', 'RSS after start MiB', 'Peak RSS MiB'],
      runs.map((engineRuns) => {
        const m = engineRuns.map((r) => r.phases[0]!.load);
        return [
          engineRuns[0]!.engineVersion,
          fixed(median(m.map((x) => x.requestsPerSecond))!),
          msOrDash(median(m.map((x) => x.latency.p50))),
          msOrDash(median(m.map((x) => x.latency.p95))),
          msOrDash(median(m.map((x) => x.latency.p99))),
          m.reduce((a, x) => a + x.errors, 0),
          fixed(median(engineRuns.map((r) => r.startupMs))!),
          fixed(median(engineRuns.map((r) => r.startupRssMiB))!),
          fixed(median(engineRuns.map((r) => r.peakRssMiB))!),
        ];
      }),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  );
  console.log(
    "\nCPU % is a share of one core (100 = one core fully busy): the app process, the PostgreSQL backends serving it (when on this machine), the load generator, and every other process on the machine. Peak RSS is the app process's maximum resident set over a run, start-up and sign-ins included.",
  );
  if (!runs[0]![0]!.separateProcess)
    console.log(
      'In-process run: memory and CPU figures include the load generator, and the peak RSS carries over from one engine to the next.',
    );
}

export const httpBenchmark: Benchmark = {
  name: 'http',
  description: 'Signed-in pages, the JSON API and /health over HTTP with N concurrent clients, on SQLite and PostgreSQL',
  async run(options: BenchOptions): Promise<EngineResult[][]> {
    const engines = options.engines.filter((engine) => {
      if (engine === 'postgres' && !options.postgresUrl) {
        console.log('\nPostgreSQL: skipped (set CSPHUB_BENCH_PG_URL or DATABASE_URL to a postgres:// server URL to include it)');
        return false;
      }
      return true;
    });
    const runs: EngineResult[][] = engines.map(() => []);
    // Engines take turns run by run, so a disturbance on a shared machine does not fall on one engine only.
    for (let run = 1; run <= options.repeat; run++) {
      for (const [e, engine] of engines.entries()) {
        const label = `${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}${options.repeat > 1 ? ` (run ${run} of ${options.repeat})` : ''}`;
        console.log(`\n${label}: starting CSP Hub with the demo partnerships...`);
        const db = await createDatabase(engine, options.postgresUrl);
        try {
          const app = await startApp(db, { inProcess: options.inProcess });
          try {
            console.log(
              `  ${app.engineVersion}, ready in ${fixed(app.startupMs)} ms at ${app.baseUrl}; signing in ${options.concurrency} browsers`,
            );
            runs[e]!.push(await benchEngine(app, db, options));
          } finally {
            await app.stop();
          }
        } finally {
          await db.drop();
        }
      }
    }
    report(runs);
    return runs;
  },
};
