/**
 * Shared pieces for CSP Hub benchmarks: the HTTP load generator (Node's built-in fetch), latency percentiles,
 * a small cookie-keeping browser for the sign-in and CSRF flow, the machine description and table printing.
 * Nothing here knows about a particular page: benchmarks in bench/*.ts describe what to request.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

// ---------------------------------------------------------------------------------------------------------
// What a benchmark is, so bench/run.ts can run every one of them in turn.

export interface BenchOptions {
  /** Concurrent clients, each with at most one request in flight. */
  concurrency: number;
  /** Length of each measured phase. */
  durationMs: number;
  /** Unmeasured load before the first phase of each engine (JIT, template and query-plan caches). */
  warmupMs: number;
  /** PostgreSQL server to create a throwaway database on, or '' to skip the PostgreSQL runs. */
  postgresUrl: string;
  /** Engines asked for on the command line. */
  engines: ('sqlite' | 'postgres')[];
  /** Run the app in the benchmark's own process instead of a child process per engine. */
  inProcess: boolean;
  /** Runs of each engine (each with a fresh app and database); tables then show medians. */
  repeat: number;
  /** Rows in the police.uk benchmark's year of files (--police-rows, or --police-national for 6.5 million). */
  policeRows?: number;
  /** Inputs per engine of the importer fuzz (--fuzz-inputs) and its seed (--fuzz-seed). */
  fuzzInputs?: number;
  /** The police.uk fuzzing: inputs through the importer, uploads through the web app, and the seed. */
  fuzzCases?: number;
  fuzzWebCases?: number;
  fuzzSeed?: number;
  /** Length of the soak benchmark's run on each engine, in minutes (--soak-minutes). */
  soakMinutes?: number;
  /**
   * Seconds the soak stops PostgreSQL for, a third of the way through the PostgreSQL run (0 or unset: no fault). The soak
   * then runs on a PostgreSQL cluster of its own (test/support/throwawayPg.ts) rather than on the server given.
   */
  soakFaultSeconds?: number;
  /** Seconds between two Board packs asked for in the soak, across all clients (--soak-document-every, default 10). */
  soakDocumentEverySeconds?: number;
}

export interface Benchmark {
  name: string;
  description: string;
  run(options: BenchOptions): Promise<unknown>;
}

// ---------------------------------------------------------------------------------------------------------
// Percentiles

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile (p in 0..100) of values sorted ascending; NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0]!;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function summarise(values: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Load generator

export interface RequestSpec {
  /** Label in the results, e.g. "partnership overview". */
  name: string;
  path: string;
  /** Request headers, or a function giving each client its own (e.g. its session cookie). */
  headers?: Record<string, string> | ((client: number) => Record<string, string>);
  /** Status that counts as a success (default 200). */
  expectStatus?: number;
}

export interface LoadOptions {
  baseUrl: string;
  concurrency: number;
  durationMs: number;
  /** Each client cycles through these in order, starting at a different one. */
  requests: RequestSpec[];
}

export interface LoadResult {
  /** From the first request sent to the last response received. */
  elapsedMs: number;
  completed: number;
  errors: number;
  /** Completed requests (successes and errors) per second. */
  requestsPerSecond: number;
  latency: LatencySummary;
  byRequest: { name: string; completed: number; errors: number; latency: LatencySummary }[];
  /** A few distinct error descriptions, to say what went wrong. */
  errorSamples: string[];
}

/**
 * Closed-loop load: `concurrency` clients each send a request, wait for the whole body, record the time and
 * send the next, until the duration is up. Requests in flight at the deadline are completed and counted.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { baseUrl, concurrency, durationMs, requests } = options;
  if (requests.length === 0) throw new Error('runLoad needs at least one request');
  const latencies = requests.map(() => [] as number[]);
  const errors = requests.map(() => 0);
  const errorSamples = new Set<string>();
  const started = performance.now();
  const deadline = started + durationMs;

  const client = async (index: number) => {
    const headers = requests.map((r) => (typeof r.headers === 'function' ? r.headers(index) : (r.headers ?? {})));
    let next = index % requests.length;
    while (performance.now() < deadline) {
      const i = next;
      next = (next + 1) % requests.length;
      const spec = requests[i]!;
      const t0 = performance.now();
      let ok = false;
      try {
        const res = await fetch(baseUrl + spec.path, { headers: headers[i], redirect: 'manual' });
        await res.arrayBuffer();
        ok = res.status === (spec.expectStatus ?? 200);
        if (!ok && errorSamples.size < 5)
          errorSamples.add(`${spec.name}: HTTP ${res.status}${res.headers.get('location') ? ` to ${res.headers.get('location')}` : ''}`);
      } catch (e) {
        if (errorSamples.size < 5) errorSamples.add(`${spec.name}: ${(e as Error).message}`);
      }
      latencies[i]!.push(performance.now() - t0);
      if (!ok) errors[i]! += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => client(i)));
  const elapsedMs = performance.now() - started;

  const all = latencies.flat();
  const errorCount = errors.reduce((a, b) => a + b, 0);
  return {
    elapsedMs,
    completed: all.length,
    errors: errorCount,
    requestsPerSecond: all.length / (elapsedMs / 1000),
    latency: summarise(all),
    byRequest: requests.map((r, i) => ({
      name: r.name,
      completed: latencies[i]!.length,
      errors: errors[i]!,
      latency: summarise(latencies[i]!),
    })),
    errorSamples: [...errorSamples],
  };
}

// ---------------------------------------------------------------------------------------------------------
// A browser for setting up: keeps cookies, follows no redirects, remembers the last CSRF token it was given.

export class Browser {
  readonly cookies = new Map<string, string>();
  /** The `_csrf` value of the last page that had a form. */
  csrf = '';
  constructor(readonly baseUrl: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: Response, body: string): void {
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0]!;
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(c) || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(body);
    if (m) this.csrf = m[1]!;
  }

  async get(path: string): Promise<{ status: number; body: string; location: string | null }> {
    const res = await fetch(this.baseUrl + path, { headers: { cookie: this.cookieHeader() }, redirect: 'manual' });
    const body = await res.text();
    this.remember(res, body);
    return { status: res.status, body, location: res.headers.get('location') };
  }

  /** Submits a form the way a browser does, with the CSRF token of the last page seen. */
  async post(path: string, form: Record<string, string>): Promise<{ status: number; body: string; location: string | null }> {
    const res = await fetch(this.baseUrl + path, {
      method: 'POST',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: this.csrf, ...form }).toString(),
      redirect: 'manual',
    });
    const body = await res.text();
    this.remember(res, body);
    return { status: res.status, body, location: res.headers.get('location') };
  }
}

// ---------------------------------------------------------------------------------------------------------
// The machine and the process

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

/** The commit measured, and whether the working tree had uncommitted changes; null outside a git checkout. */
export function describeCode(): { commit: string; uncommittedChanges: boolean } | null {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return { commit, uncommittedChanges: status.trim() !== '' };
  } catch {
    return null;
  }
}

/** What an app process reports about itself: peak and current memory, and CPU time used so far. */
export interface ProcessStats {
  /** Peak resident set size since the process started, in MiB. */
  peakRssMiB: number;
  rssMiB: number;
  heapUsedMiB: number;
  /** The main thread's V8 heap as reserved from the system, and memory held outside it (Buffers, native objects). */
  heapTotalMiB: number;
  externalMiB: number;
  /** User plus system CPU time since the process started, in milliseconds. */
  cpuMs: number;
}

export function processStats(): ProcessStats {
  const usage = process.resourceUsage();
  const mem = process.memoryUsage();
  return {
    peakRssMiB: usage.maxRSS / 1024,
    rssMiB: mem.rss / 1024 ** 2,
    heapUsedMiB: mem.heapUsed / 1024 ** 2,
    heapTotalMiB: mem.heapTotal / 1024 ** 2,
    externalMiB: mem.external / 1024 ** 2,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------------------
// CPU accounting for the whole machine (Linux /proc), to show how much of it the run really had

export interface CpuSample {
  /** Busy CPU time of all cores together since boot, in ms; null where /proc/stat is unavailable. */
  machineBusyMs: number | null;
  /**
   * CPU time of the processes on this machine whose command line contains `match` (e.g. the PostgreSQL backends
   * of one database); null when there are none (a remote server) or nothing was asked.
   */
  matchedMs: number | null;
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export function sampleCpu(match?: string): CpuSample {
  const toMs = 1000 / ticksPerSecond();
  let machineBusyMs: number;
  try {
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    machineBusyMs = (f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + (f[7] ?? 0)) * toMs;
  } catch {
    return { machineBusyMs: null, matchedMs: null };
  }
  if (!match) return { machineBusyMs, matchedMs: null };
  let matchedMs = 0;
  let found = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(match)) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      matchedMs += (Number(fields[11]) + Number(fields[12])) * toMs; // utime, stime
      found += 1;
    } catch {
      // the process ended while being read
    }
  }
  return { machineBusyMs, matchedMs: found ? matchedMs : null };
}

// ---------------------------------------------------------------------------------------------------------
// Printing

/** A GitHub-flavoured Markdown table (readable in a terminal, pasteable into docs/benchmarks.md). */
export function markdownTable(header: string[], rows: (string | number)[][], align: ('l' | 'r')[] = []): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length), 3));
  const line = (r: string[]) => `| ${r.map((v, c) => (align[c] === 'r' ? v.padStart(widths[c]!) : v.padEnd(widths[c]!))).join(' | ')} |`;
  const rule = `| ${widths.map((w, c) => (align[c] === 'r' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n');
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '-';
  return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0);
}

export function fixed(value: number, digits = 0): string {
  return Number.isFinite(value) ? value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '-';
}
