/**
 * Benchmark "soak" (issue 19): a long run of mixed traffic at `--concurrency` clients on each engine, to show the
 * app stays healthy: no errors, memory flat after warm-up, latency steady. Not part of `npm test`.
 *
 *   npm run bench -- --only soak --soak-minutes 10 --concurrency 50
 *
 * Each client is a signed-in person (own session) who cycles through: the partnership overview, the performance
 * dashboard, the API's partnership list, a figure written through the API, a figure file uploaded through the page
 * (multipart, with the CSRF token); and every `--soak-document-every` seconds (10 by default) one of them asks for a
 * Board pack, generated in the background. After the load the run waits (up to three minutes) for the packs still queued
 * or running, so that the report says whether every one asked for was made, not only how many were by the end. Every
 * 10 seconds the app's resident memory is sampled; each minute gets a row: requests per second, p95, errors, RSS.
 * Memory is "flat" when the highest RSS of the last third of the run after the warm-up (the first minute) is less
 * than 10% above the highest of the first third after it (two windows of the same length, so the same number of
 * samples). Peaks, not one sample: the main heap is collected in cycles of tens of
 * seconds, so RSS swings by 100 MiB or more between samples with nothing held (docs/benchmarks.md, Soak), while a
 * leak raises every peak.
 *
 * With `--soak-fault S` the PostgreSQL run uses a cluster of its own and stops it for S seconds a third of the way
 * through: the report then says how many requests were answered 503 while it was away (and how fast), how many failed
 * otherwise, when the first request succeeded after the restart and whether any failed after that. The run's error
 * count leaves out the outage and the time until that first success.
 *
 *   npm run bench -- --only soak --engines postgres --soak-minutes 3 --soak-fault 20 --concurrency 50
 */
import { startThrowawayPg } from '../test/support/throwawayPg.ts';
import { createDatabase, startApp, type RunningApp } from './apphost.ts';
import { Browser, fixed, markdownTable, ms, summarise, type BenchOptions, type Benchmark } from './lib.ts';

const PARTNERSHIP = 'Safer Rotherham Partnership';

interface Minute {
  minute: number;
  requests: number;
  errors: number;
  p95: number;
  rssMiB: number;
  /** The app's V8 heap in use at the same sample (without a forced collection): a leak keeps raising it. */
  heapMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
}

/** One memory sample of the app, `seconds` into the run. */
interface MemorySample {
  seconds: number;
  rssMiB: number;
  heapMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
}

interface SoakResult {
  engine: string;
  minutes: number;
  concurrency: number;
  completed: number;
  errors: number;
  errorSamples: string[];
  latency: ReturnType<typeof summarise>;
  byOperation: { name: string; count: number; errors: number; p95: number }[];
  rssSamples: MemorySample[];
  byMinute: Minute[];
  memoryFlat: boolean;
  /** The highest RSS in the first third after the warm-up and in the last third, in MiB. */
  rssPeakEarly: number;
  rssPeakLate: number;
  /** The median RSS of the same two windows, for the record (the verdict is by peaks). */
  rssMedianEarly: number;
  rssMedianLate: number;
  documentsAsked: number;
  /** The documents asked for, at the end of the run: generated, failed, still queued or running; time to generate. */
  documents: { done: number; failed: number; waiting: number; generationMs: ReturnType<typeof summarise> };
  /** The same after the load stopped and the queue was given up to three minutes to finish: how long it took. */
  documentsAfterDrain: { done: number; failed: number; waiting: number; seconds: number };
  documentEverySeconds: number;
  fault?: FaultResult;
}

/** One request of a client; its HTTP status (0 when none came back), and the status it should have had. */
type Operation = { name: string; expect: number | ((status: number) => boolean); run(client: number, n: number): Promise<number> };

/** PostgreSQL stopped for a while under the load, then started again (--soak-fault). */
export interface SoakFault {
  seconds: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

interface FaultResult {
  /** Seconds into the run: the stop asked for, the server started again, and the first success after it. */
  stoppedAt: number;
  restartedAt: number;
  firstSuccessAfter: number | null;
  /** Requests started while the server was away: answered 503, answered otherwise, and how fast the 503s came. */
  during: number;
  answered503: number;
  otherFailures: number;
  p95Of503Ms: number;
  /** Failures of requests started after the first success following the restart (should be none). */
  failuresAfterRecovery: number;
}

async function signIn(app: RunningApp): Promise<Browser> {
  const browser = new Browser(app.baseUrl);
  await browser.get('/sign-in');
  const res = await browser.post('/sign-in', { email: app.adminEmail, password: app.adminPassword, next: '/' });
  if (res.status !== 303) throw new Error(`Sign-in failed: HTTP ${res.status}`);
  await browser.get('/account'); // the CSRF token of the session
  return browser;
}

async function soakEngine(
  app: RunningApp,
  minutes: number,
  concurrency: number,
  documentEverySeconds: number,
  fault?: SoakFault,
): Promise<SoakResult> {
  const browsers: Browser[] = [];
  for (let i = 0; i < concurrency; i++) browsers.push(await signIn(app));
  const tokenPage = await browsers[0]!.post('/account/tokens', { name: 'Soak' });
  const token = /id="new-token">\s*([^<\s]+)\s*</.exec(tokenPage.body)?.[1];
  if (!token) throw new Error('Could not create an API token');
  const auth = { authorization: `Bearer ${token}` };
  const list = (await (await fetch(`${app.baseUrl}/api/v1/partnerships`, { headers: auth })).json()) as { id: number; name: string }[];
  const id = list.find((p) => p.name === PARTNERSHIP)!.id;
  const indicators = (await (await fetch(`${app.baseUrl}/api/v1/partnerships/${id}/indicators`, { headers: auth })).json()) as {
    id: number;
    code: string;
    frequency: string;
  }[];
  const quarterly = indicators.filter((i) => i.frequency === 'quarterly');
  if (!quarterly.length) throw new Error('No quarterly indicator in the demo partnership');
  for (const b of browsers) await b.get(`/partnerships/${id}/figures`); // each session's CSRF token for the upload form
  let documentsAsked = 0;
  const documentIds: number[] = [];

  const page = (name: string, path: string, expect = 200): Operation => ({
    name,
    expect,
    run: async (client) => {
      const res = await fetch(app.baseUrl + path, { headers: { cookie: browsers[client]!.cookieHeader() }, redirect: 'manual' });
      await res.arrayBuffer();
      return res.status;
    },
  });
  const operations: Operation[] = [
    page('partnership overview', `/partnerships/${id}`),
    page('performance dashboard', `/partnerships/${id}/performance`),
    {
      name: 'API partnerships',
      expect: 200,
      run: async () => {
        const res = await fetch(`${app.baseUrl}/api/v1/partnerships`, { headers: auth });
        await res.arrayBuffer();
        return res.status;
      },
    },
    {
      name: 'API figure write',
      expect: (status) => status >= 200 && status < 300,
      run: async (client, n) => {
        const ind = quarterly[(client + n) % quarterly.length]!;
        const res = await fetch(`${app.baseUrl}/api/v1/partnerships/${id}/figures`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({
            figures: [{ indicatorId: ind.id, period: `2019/20 Q${(n % 4) + 1}`, value: 50 + ((client * 7 + n) % 40) }],
          }),
        });
        await res.arrayBuffer();
        return res.status;
      },
    },
    {
      name: 'figure file upload',
      expect: 303,
      run: async (client, n) => {
        const b = browsers[client]!;
        const ind = quarterly[(client + n + 1) % quarterly.length]!;
        const csv = `indicator,period,value,note\n${ind.code},2018-19 Q${(n % 4) + 1},${60 + (n % 30)},soak\n`;
        const boundary = `----soak${client}x${n}`;
        const body = Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${b.csrf}\r\n`),
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="figures.csv"\r\nContent-Type: text/csv\r\n\r\n`,
          ),
          Buffer.from(csv),
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]);
        const res = await fetch(`${app.baseUrl}/partnerships/${id}/figures/upload`, {
          method: 'POST',
          headers: { cookie: b.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
          body,
          redirect: 'manual',
        });
        await res.arrayBuffer();
        return res.status;
      },
    },
  ];
  const documentJob: Operation = {
    name: 'document asked for',
    expect: 202,
    run: async () => {
      documentsAsked += 1;
      const res = await fetch(`${app.baseUrl}/api/v1/partnerships/${id}/documents`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'board_pack', format: 'docx', quarter: '2019/20 Q4' }),
      });
      if (res.status === 202) documentIds.push(((await res.json()) as { id: number }).id);
      else await res.arrayBuffer();
      return res.status;
    },
  };

  const durationMs = minutes * 60_000;
  const started = performance.now();
  const deadline = started + durationMs;
  const samples: { at: number; ms: number; ok: boolean; op: string; status: number }[] = [];
  const errorSamples = new Set<string>();
  const rssSamples: MemorySample[] = [];
  const sampleMemory = async () => {
    const s = await app.stats();
    rssSamples.push({
      seconds: Math.round((performance.now() - started) / 1000),
      rssMiB: s.rssMiB,
      heapMiB: s.heapUsedMiB,
      heapTotalMiB: s.heapTotalMiB,
      externalMiB: s.externalMiB,
    });
  };
  const sampler = setInterval(() => void sampleMemory(), 10_000);
  // One Board pack every documentEverySeconds across all clients, whatever the concurrency: the first client to start a
  // request after the time asks for it. (A real partnership asks for a few a quarter; hundreds of them on one deployment
  // would still ask for far fewer than one every ten seconds.)
  let nextDocumentAt = started + documentEverySeconds * 1000;
  const client = async (index: number) => {
    for (let n = 0; performance.now() < deadline; n++) {
      const now = performance.now();
      const documentTurn = now >= nextDocumentAt;
      if (documentTurn) nextDocumentAt = now + documentEverySeconds * 1000;
      const op = documentTurn ? documentJob : operations[(index + n) % operations.length]!;
      const t0 = performance.now();
      let ok = false;
      let status = 0;
      try {
        status = await op.run(index, n);
        ok = typeof op.expect === 'number' ? status === op.expect : op.expect(status);
        if (!ok && errorSamples.size < 5 && !(outage && status === 503)) errorSamples.add(`${op.name}: HTTP ${status}`);
      } catch (e) {
        if (errorSamples.size < 5) errorSamples.add(`${op.name}: ${(e as Error).message}`);
      }
      samples.push({ at: t0 - started, ms: performance.now() - t0, ok, op: op.name, status });
    }
  };
  // The fault: a third of the way through, the database is stopped for fault.seconds, then started again.
  let outage = false;
  let stoppedAt = Number.NaN;
  let restartedAt = Number.NaN;
  const faulting = fault
    ? (async () => {
        await new Promise((r) => setTimeout(r, durationMs / 3));
        outage = true;
        stoppedAt = performance.now() - started;
        await fault.stop();
        await new Promise((r) => setTimeout(r, fault.seconds * 1000));
        await fault.start();
        restartedAt = performance.now() - started;
        outage = false;
      })()
    : Promise.resolve();
  await Promise.all([...Array.from({ length: concurrency }, (_x, i) => client(i)), faulting]);
  clearInterval(sampler);
  await sampleMemory();
  // What became of the documents asked for: generated, failed, or still waiting when the run ended.
  const documentStates = () =>
    Promise.all(
      documentIds.map(async (documentId) => {
        const res = await fetch(`${app.baseUrl}/api/v1/partnerships/${id}/documents/${documentId}`, { headers: auth });
        return (await res.json()) as { status: string; startedAt: string | null; finishedAt: string | null };
      }),
    );
  const stillWaiting = (list: { status: string }[]) => list.filter((j) => j.status === 'queued' || j.status === 'running').length;
  const jobs = await documentStates();
  const finished = jobs.filter((j) => j.status === 'done' && j.startedAt && j.finishedAt);
  const documents = {
    done: finished.length,
    failed: jobs.filter((j) => j.status === 'failed').length,
    waiting: stillWaiting(jobs),
    generationMs: summarise(finished.map((j) => Date.parse(j.finishedAt!) - Date.parse(j.startedAt!))),
  };
  const drainStarted = performance.now();
  let drained = jobs;
  while (stillWaiting(drained) > 0 && performance.now() - drainStarted < 180_000) {
    await new Promise((r) => setTimeout(r, 2000));
    drained = await documentStates();
  }
  const documentsAfterDrain = {
    done: drained.filter((j) => j.status === 'done').length,
    failed: drained.filter((j) => j.status === 'failed').length,
    waiting: stillWaiting(drained),
    seconds: (performance.now() - drainStarted) / 1000,
  };

  const byMinute: Minute[] = [];
  for (let m = 0; m < Math.ceil(minutes); m++) {
    const inMinute = samples.filter((s) => s.at >= m * 60_000 && s.at < (m + 1) * 60_000);
    const sample = rssSamples.filter((r) => r.seconds <= (m + 1) * 60).at(-1);
    byMinute.push({
      minute: m + 1,
      requests: inMinute.length,
      errors: inMinute.filter((s) => !s.ok).length,
      p95: summarise(inMinute.map((s) => s.ms)).p95,
      rssMiB: sample?.rssMiB ?? Number.NaN,
      heapMiB: sample?.heapMiB ?? Number.NaN,
      heapTotalMiB: sample?.heapTotalMiB ?? Number.NaN,
      externalMiB: sample?.externalMiB ?? Number.NaN,
    });
  }
  let faultResult: FaultResult | undefined;
  if (fault) {
    const firstSuccess = samples.filter((x) => x.ok && x.at >= restartedAt).sort((a, b) => a.at - b.at)[0];
    const during = samples.filter((x) => x.at + x.ms >= stoppedAt && x.at < restartedAt);
    const answered503 = during.filter((x) => x.status === 503);
    const recovered = firstSuccess?.at ?? Number.POSITIVE_INFINITY;
    faultResult = {
      stoppedAt: stoppedAt / 1000,
      restartedAt: restartedAt / 1000,
      firstSuccessAfter: firstSuccess ? firstSuccess.at / 1000 : null,
      during: during.length,
      answered503: answered503.length,
      otherFailures: during.filter((x) => !x.ok && x.status !== 503).length,
      p95Of503Ms: summarise(answered503.map((x) => x.ms)).p95,
      failuresAfterRecovery: samples.filter((x) => x.at > recovered && !x.ok).length,
    };
  }
  // Outside the fault (before the stop, and from the first success after the restart), every request must succeed.
  const counted = fault
    ? samples.filter((x) => x.at + x.ms < stoppedAt || x.at > (faultResult?.firstSuccessAfter ?? Number.POSITIVE_INFINITY) * 1000)
    : samples;
  const seconds = durationMs / 1000;
  // Two windows of the same length, a third of the run after the warm-up each: the first after the warm-up and the
  // last. The same length matters: the highest of more samples is higher by chance alone (with 140 s against 200 s,
  // as before, the last window had 21 samples to the first's 15).
  const window = Math.max((seconds - 60) / 3, 60);
  const firstThird = rssSamples.filter((r) => r.seconds >= 60 && r.seconds < 60 + window);
  const lastThird = rssSamples.filter((r) => r.seconds > seconds - window);
  const peak = (list: MemorySample[]) => Math.max(...list.map((r) => r.rssMiB));
  const median = (list: MemorySample[]) => summarise(list.map((r) => r.rssMiB)).p50;
  const memoryFlat = firstThird.length > 0 && lastThird.length > 0 && peak(lastThird) <= peak(firstThird) * 1.1;
  const names = [...operations.map((o) => o.name), documentJob.name];
  return {
    engine: app.engine,
    minutes,
    concurrency,
    completed: samples.length,
    errors: counted.filter((s) => !s.ok).length,
    errorSamples: [...errorSamples],
    latency: summarise(samples.map((s) => s.ms)),
    byOperation: names.map((name) => {
      const of = samples.filter((s) => s.op === name);
      return { name, count: of.length, errors: of.filter((s) => !s.ok).length, p95: summarise(of.map((s) => s.ms)).p95 };
    }),
    rssSamples,
    byMinute,
    memoryFlat,
    rssPeakEarly: firstThird.length ? peak(firstThird) : Number.NaN,
    rssPeakLate: lastThird.length ? peak(lastThird) : Number.NaN,
    rssMedianEarly: firstThird.length ? median(firstThird) : Number.NaN,
    rssMedianLate: lastThird.length ? median(lastThird) : Number.NaN,
    documentsAsked,
    documents,
    documentsAfterDrain,
    documentEverySeconds,
    ...(faultResult ? { fault: faultResult } : {}),
  };
}

export const soakBenchmark: Benchmark = {
  name: 'soak',
  description: 'long mixed traffic (pages, API writes, uploads, document jobs): errors, p95 and RSS over time (--soak-minutes, default 10)',
  async run(options: BenchOptions): Promise<SoakResult[]> {
    const minutes = options.soakMinutes ?? 10;
    const results: SoakResult[] = [];
    for (const engine of options.engines) {
      if (engine === 'postgres' && !options.postgresUrl) {
        console.log('\nPostgreSQL skipped: set CSPHUB_BENCH_PG_URL');
        continue;
      }
      const faultSeconds = engine === 'postgres' ? (options.soakFaultSeconds ?? 0) : 0;
      // With a fault, PostgreSQL is a cluster of the soak's own, which it may stop and start (never the server given).
      const cluster = faultSeconds > 0 ? await startThrowawayPg() : undefined;
      const db = await createDatabase(engine, cluster?.url ?? options.postgresUrl);
      const app = await startApp(db, { inProcess: options.inProcess });
      try {
        const fault = cluster ? { seconds: faultSeconds, stop: () => cluster.stop(), start: () => cluster.start() } : undefined;
        const r = await soakEngine(app, minutes, options.concurrency, options.soakDocumentEverySeconds ?? 10, fault);
        results.push(r);
        console.log(
          `\n### ${engine}: ${r.minutes} min at ${r.concurrency} clients: ${r.completed} requests, ${r.errors} errors, p95 ${ms(r.latency.p95)}, memory ${r.memoryFlat ? 'flat' : 'GROWING'} after warm-up (RSS peak ${fixed(r.rssPeakEarly)} MiB in the first third after it, ${fixed(r.rssPeakLate)} MiB in the last; median ${fixed(r.rssMedianEarly)} and ${fixed(r.rssMedianLate)} MiB), ${r.documentsAsked} Board packs asked for (one every ${r.documentEverySeconds} s): ${r.documents.done} generated during the load (median ${ms(r.documents.generationMs.p50)}, p95 ${ms(r.documents.generationMs.p95)} each), ${r.documents.failed} failed, ${r.documents.waiting} still queued or running when it stopped; ${fixed(r.documentsAfterDrain.seconds, 0)} s later: ${r.documentsAfterDrain.done} generated, ${r.documentsAfterDrain.failed} failed, ${r.documentsAfterDrain.waiting} still waiting\n`,
        );
        if (r.errorSamples.length) console.log(`Errors: ${r.errorSamples.join('; ')}\n`);
        if (r.fault)
          console.log(
            `PostgreSQL stopped at ${fixed(r.fault.stoppedAt, 0)} s and started again at ${fixed(r.fault.restartedAt, 0)} s; ${r.fault.during} requests started while it was away: ${r.fault.answered503} answered 503 (p95 ${ms(r.fault.p95Of503Ms)}), ${r.fault.otherFailures} failed otherwise; first success after the restart at ${r.fault.firstSuccessAfter === null ? 'never' : `${fixed(r.fault.firstSuccessAfter, 1)} s`}; ${r.fault.failuresAfterRecovery} failures after it. The errors above count neither the outage nor the time until that first success.\n`,
          );
        console.log(
          markdownTable(
            [
              'Minute',
              'Requests/s',
              'p95',
              'Errors',
              'App RSS (MiB)',
              'Main heap used (MiB)',
              'Main heap reserved (MiB)',
              'External (MiB)',
            ],
            r.byMinute.map((m) => [
              m.minute,
              fixed(m.requests / Math.min(60, r.minutes * 60 - (m.minute - 1) * 60), 1),
              ms(m.p95),
              m.errors,
              fixed(m.rssMiB),
              fixed(m.heapMiB),
              fixed(m.heapTotalMiB),
              fixed(m.externalMiB),
            ]),
            ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
          ),
        );
        console.log('');
        console.log(
          markdownTable(
            ['Operation', 'Count', 'Errors', 'p95'],
            r.byOperation.map((o) => [o.name, o.count, o.errors, ms(o.p95)]),
            ['l', 'r', 'r', 'r'],
          ),
        );
      } finally {
        await app.stop();
        await db.drop();
        cluster?.destroy();
      }
    }
    return results;
  },
};
