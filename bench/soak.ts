/**
 * Benchmark "soak" (issue 19): a long run of mixed traffic at `--concurrency` clients on each engine, to show the
 * app stays healthy: no errors, memory flat after warm-up, latency steady. Not part of `npm test`.
 *
 *   npm run bench -- --only soak --soak-minutes 10 --concurrency 50
 *
 * Each client is a signed-in person (own session) who cycles through: the partnership overview, the performance
 * dashboard, the API's partnership list, a figure written through the API, a figure file uploaded through the page
 * (multipart, with the CSRF token), and now and then a document asked for (generated in the background). Every
 * 10 seconds the app's resident memory is sampled; each minute gets a row: requests per second, p95, errors, RSS.
 * Memory is "flat" when the RSS of the last third of the run grows less than 10% over its first sample after the
 * warm-up (the first minute).
 */
import { createDatabase, startApp, type RunningApp } from './apphost.ts';
import { Browser, fixed, markdownTable, ms, summarise, type BenchOptions, type Benchmark } from './lib.ts';

const PARTNERSHIP = 'Safer Rotherham Partnership';

interface Minute {
  minute: number;
  requests: number;
  errors: number;
  p95: number;
  rssMiB: number;
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
  rssSamples: { seconds: number; rssMiB: number }[];
  byMinute: Minute[];
  memoryFlat: boolean;
  documentsAsked: number;
}

type Operation = { name: string; run(client: number, n: number): Promise<boolean> };

async function signIn(app: RunningApp): Promise<Browser> {
  const browser = new Browser(app.baseUrl);
  await browser.get('/sign-in');
  const res = await browser.post('/sign-in', { email: app.adminEmail, password: app.adminPassword, next: '/' });
  if (res.status !== 303) throw new Error(`Sign-in failed: HTTP ${res.status}`);
  await browser.get('/account'); // the CSRF token of the session
  return browser;
}

async function soakEngine(app: RunningApp, minutes: number, concurrency: number): Promise<SoakResult> {
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

  const page = (name: string, path: string, expect = 200): Operation => ({
    name,
    run: async (client) => {
      const res = await fetch(app.baseUrl + path, { headers: { cookie: browsers[client]!.cookieHeader() }, redirect: 'manual' });
      await res.arrayBuffer();
      return res.status === expect;
    },
  });
  const operations: Operation[] = [
    page('partnership overview', `/partnerships/${id}`),
    page('performance dashboard', `/partnerships/${id}/performance`),
    {
      name: 'API partnerships',
      run: async () => {
        const res = await fetch(`${app.baseUrl}/api/v1/partnerships`, { headers: auth });
        await res.arrayBuffer();
        return res.status === 200;
      },
    },
    {
      name: 'API figure write',
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
        return res.ok;
      },
    },
    {
      name: 'figure file upload',
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
        return res.status === 303;
      },
    },
  ];
  const documentJob: Operation = {
    name: 'document asked for',
    run: async () => {
      documentsAsked += 1;
      const res = await fetch(`${app.baseUrl}/api/v1/partnerships/${id}/documents`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'board_pack', format: 'docx', quarter: '2019/20 Q4' }),
      });
      await res.arrayBuffer();
      return res.status === 202;
    },
  };

  const durationMs = minutes * 60_000;
  const started = performance.now();
  const deadline = started + durationMs;
  const samples: { at: number; ms: number; ok: boolean; op: string }[] = [];
  const errorSamples = new Set<string>();
  const rssSamples: { seconds: number; rssMiB: number }[] = [];
  const sampler = setInterval(() => {
    void app.stats().then((s) => rssSamples.push({ seconds: Math.round((performance.now() - started) / 1000), rssMiB: s.rssMiB }));
  }, 10_000);
  let documentTurn = 0;
  const client = async (index: number) => {
    for (let n = 0; performance.now() < deadline; n++) {
      // About one document a second across all clients, whatever the concurrency.
      const op = ++documentTurn % Math.max(20, concurrency * 4) === 0 ? documentJob : operations[(index + n) % operations.length]!;
      const t0 = performance.now();
      let ok = false;
      try {
        ok = await op.run(index, n);
        if (!ok && errorSamples.size < 5) errorSamples.add(`${op.name}: unexpected status`);
      } catch (e) {
        if (errorSamples.size < 5) errorSamples.add(`${op.name}: ${(e as Error).message}`);
      }
      samples.push({ at: t0 - started, ms: performance.now() - t0, ok, op: op.name });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_x, i) => client(i)));
  clearInterval(sampler);
  rssSamples.push({ seconds: Math.round((performance.now() - started) / 1000), rssMiB: (await app.stats()).rssMiB });

  const byMinute: Minute[] = [];
  for (let m = 0; m < Math.ceil(minutes); m++) {
    const inMinute = samples.filter((s) => s.at >= m * 60_000 && s.at < (m + 1) * 60_000);
    const rss = rssSamples.filter((r) => r.seconds <= (m + 1) * 60).at(-1)?.rssMiB ?? Number.NaN;
    byMinute.push({
      minute: m + 1,
      requests: inMinute.length,
      errors: inMinute.filter((s) => !s.ok).length,
      p95: summarise(inMinute.map((s) => s.ms)).p95,
      rssMiB: rss,
    });
  }
  const afterWarmUp = rssSamples.filter((r) => r.seconds >= 60);
  const lastThird = rssSamples.filter((r) => r.seconds >= (durationMs / 1000) * (2 / 3));
  const base = afterWarmUp[0]?.rssMiB ?? rssSamples[0]?.rssMiB ?? 0;
  const memoryFlat = lastThird.every((r) => r.rssMiB <= base * 1.1);
  const names = [...operations.map((o) => o.name), documentJob.name];
  return {
    engine: app.engine,
    minutes,
    concurrency,
    completed: samples.length,
    errors: samples.filter((s) => !s.ok).length,
    errorSamples: [...errorSamples],
    latency: summarise(samples.map((s) => s.ms)),
    byOperation: names.map((name) => {
      const of = samples.filter((s) => s.op === name);
      return { name, count: of.length, errors: of.filter((s) => !s.ok).length, p95: summarise(of.map((s) => s.ms)).p95 };
    }),
    rssSamples,
    byMinute,
    memoryFlat,
    documentsAsked,
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
      const db = await createDatabase(engine, options.postgresUrl);
      const app = await startApp(db, { inProcess: options.inProcess });
      try {
        const r = await soakEngine(app, minutes, options.concurrency);
        results.push(r);
        console.log(
          `\n### ${engine}: ${r.minutes} min at ${r.concurrency} clients: ${r.completed} requests, ${r.errors} errors, p95 ${ms(r.latency.p95)}, memory ${r.memoryFlat ? 'flat' : 'GROWING'} after warm-up, ${r.documentsAsked} documents asked for\n`,
        );
        if (r.errorSamples.length) console.log(`Errors: ${r.errorSamples.join('; ')}\n`);
        console.log(
          markdownTable(
            ['Minute', 'Requests/s', 'p95', 'Errors', 'App RSS (MiB)'],
            r.byMinute.map((m) => [
              m.minute,
              fixed(m.requests / Math.min(60, r.minutes * 60 - (m.minute - 1) * 60), 1),
              ms(m.p95),
              m.errors,
              fixed(m.rssMiB),
            ]),
            ['r', 'r', 'r', 'r', 'r'],
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
      }
    }
    return results;
  },
};
