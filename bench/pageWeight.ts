/**
 * Benchmark "page-weight": the bytes a browser receives for the main pages of the demo and for the page assets,
 * as sent (no compression asked for), with gzip and with Brotli, and the cache lifetime of each asset. SQLite
 * only: the bytes do not depend on the engine.
 *
 *   npm run bench -- --only page-weight
 */
import http from 'node:http';
import { createDatabase, startApp } from './apphost.ts';
import { markdownTable, type BenchOptions, type Benchmark } from './lib.ts';
import { signIn } from './performance.ts';

interface Sent {
  status: number;
  bytes: number;
  cacheControl: string;
}

/** GET with a given Accept-Encoding; counts the bytes on the wire (not decompressed). */
function wireBytes(baseUrl: string, path: string, cookie: string, encoding: string): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = http.get(baseUrl + path, { headers: { cookie, 'accept-encoding': encoding } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, cacheControl: String(res.headers['cache-control'] ?? '') }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

export interface PageWeightRow {
  what: string;
  path: string;
  identity: number;
  gzip: number;
  br: number;
  cacheControl: string;
}

export async function measurePageWeight(options: Pick<BenchOptions, 'inProcess'>): Promise<PageWeightRow[]> {
  const db = await createDatabase('sqlite', '');
  const app = await startApp(db, { inProcess: options.inProcess });
  try {
    const browser = await signIn(app);
    const cookie = browser.cookieHeader();
    const home = await browser.get('/partnerships');
    const ids = [...new Set([...home.body.matchAll(/\/partnerships\/(\d+)/g)].map((m) => m[1]!))];
    if (!ids.length) throw new Error('No demo partnership found on /partnerships');
    // The demo partnership with the largest dashboard.
    let id = ids[0]!;
    let page = await browser.get(`/partnerships/${id}/performance`);
    for (const other of ids.slice(1)) {
      const candidate = await browser.get(`/partnerships/${other}/performance`);
      if (candidate.body.length > page.body.length) [id, page] = [other, candidate];
    }
    let slug: string | undefined;
    for (const path of [`/partnerships/${id}`, `/partnerships/${id}/plans`]) {
      slug ??= /\/public\/partnerships\/([a-z0-9-]+)/.exec((await browser.get(path)).body)?.[1];
    }
    const css = /href="([^"]+\.css)"/.exec(page.body)?.[1] ?? '/public/build/app.css';
    const js = /from '([^']+\.js)'/.exec(page.body)?.[1] ?? '/public/govuk/govuk-frontend.min.js';
    // [what, path, signed in]
    const targets: [string, string, boolean][] = [
      ['Sign-in page', '/sign-in', false],
      ['Partnership overview', `/partnerships/${id}`, true],
      ['Performance dashboard', `/partnerships/${id}/performance`, true],
      ...(slug ? ([['Public summary', `/public/partnerships/${slug}`, false]] as [string, string, boolean][]) : []),
      ['Stylesheet', css, false],
      ['GOV.UK Frontend script', js, false],
    ];
    const rows: PageWeightRow[] = [];
    for (const [what, path, signedIn] of targets) {
      const as = signedIn ? cookie : '';
      const identity = await wireBytes(app.baseUrl, path, as, 'identity');
      if (identity.status !== 200) throw new Error(`${path} answered HTTP ${identity.status}`);
      const gzip = await wireBytes(app.baseUrl, path, as, 'gzip');
      const br = await wireBytes(app.baseUrl, path, as, 'br');
      rows.push({ what, path, identity: identity.bytes, gzip: gzip.bytes, br: br.bytes, cacheControl: identity.cacheControl });
    }
    return rows;
  } finally {
    await app.stop();
    await db.drop();
  }
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export const pageWeightBenchmark: Benchmark = {
  name: 'page-weight',
  description: 'bytes sent for the main demo pages and the page assets, plain, gzip and Brotli, and their cache lifetime',
  async run(options: BenchOptions) {
    const rows = await measurePageWeight(options);
    console.log('\n### Page weight (demo data, SQLite)\n');
    console.log(
      markdownTable(
        ['What', 'Path', 'Plain', 'gzip', 'Brotli', 'Cache-Control'],
        rows.map((r) => [
          r.what,
          r.path.replace(/\/partnerships\/\d+/, '/partnerships/:id'),
          kb(r.identity),
          kb(r.gzip),
          kb(r.br),
          r.cacheControl,
        ]),
        ['l', 'l', 'r', 'r', 'r', 'l'],
      ),
    );
    return rows;
  },
};
