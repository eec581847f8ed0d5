/**
 * Browser tests: the real app started as `npm start` starts it (src/main.ts in its own process, with its own
 * database), driven by Debian's Chromium through playwright-core, with axe-core checking every page.
 *
 * Seeding the demo partnerships costs each app start about 2 s of CPU on SQLite and more on PostgreSQL, so by
 * default the app starts on a copy of a database that already holds them (migrated and seeded by the same code
 * `npm start` runs, once per version of the source and day; see {@link demoTemplate}): main.ts then finds it not
 * empty and serves it, as it does on every start after the first. `startRealApp(engine, env, { fromEmpty: true })`
 * starts on an empty database instead, so the first start (migrate, seed, print the sign-in) stays tested on both
 * engines (test/browser/foundation.test.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createHash, randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import pg from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openDatabase, type Engine } from '../../src/adapters/database/database.ts';
import { migrateToLatest } from '../../src/adapters/database/migrate.ts';
import { loadConfig } from '../../src/config.ts';
import { nodeEntry } from './nodeEntry.ts';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const ROOT = path.resolve(import.meta.dirname, '../..');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run the tests with \`npm test\`, which installs it`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

/**
 * One Chromium for the whole file (each engine's pages then in their own browser context): registers the `before`
 * that launches it and the `after` that closes it, at the level it is called from. Returns a getter, as the browser
 * exists only once that `before` has run.
 */
export function useChromium(): () => Browser {
  let browser: Browser | undefined;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('useChromium: the browser is used before its `before` hook launched it');
    return browser;
  };
}

export interface RunningApp {
  url: string;
  /** Where the app's database is, to open it from the test (e.g. to add members): as given to openDatabase. */
  database: { databaseUrl: string; dataDir: string };
  output: () => string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Every file under src/ (the migrations, the demo data and the services that write it), and the demo sign-in. */
function demoTemplateKey(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((x, y) => x.name.localeCompare(y.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(path.relative(ROOT, full)).update('\0').update(fs.readFileSync(full)).update('\0');
    }
  };
  walk(path.join(ROOT, 'src'));
  const config = loadConfig(process.env);
  // The day too, so that nothing the seed dates from the clock is ever more than a day old.
  hash.update(
    [
      config.demoAdminEmail,
      config.demoAdminPassword,
      process.env.CSPHUB_TEST_CHEAP_HASHES ?? '',
      new Date().toISOString().slice(0, 10),
    ].join('\0'),
  );
  return hash.digest('hex').slice(0, 16);
}

/** Migrates and seeds a database exactly as src/main.ts does on its first start. */
async function migrateAndSeed(location: { databaseUrl: string; dataDir: string; sqliteFile?: string }): Promise<void> {
  const { isEmpty, seedDemo } = await import('../../src/demo/seed.ts');
  const config = loadConfig(process.env);
  const db = openDatabase(location);
  try {
    await migrateToLatest(db);
    if (!(await isEmpty(db.kysely))) throw new Error('a new demo template database is not empty');
    await seedDemo(db.kysely, { email: config.demoAdminEmail, password: config.demoAdminPassword });
  } finally {
    // For SQLite, closing the last connection checkpoints the write-ahead log into the file and removes it.
    await db.close();
  }
}

const demoTemplates = new Map<Engine, Promise<string>>();

/**
 * A database holding the demo partnerships, built by the first test process that needs it and then shared (under
 * another name while it is built, then renamed into place, so no process copies a half-built one): for SQLite a
 * file `csphub-demo-<key>.sqlite` in the temporary folder, copied for each app; for PostgreSQL a database
 * `csphub_demo_<key>` in the test cluster, given as the TEMPLATE of each app's new database. `<key>` is a hash of
 * src/ and the day, so a changed migration, seed or service builds a new one. Copying costs a fraction of seeding
 * (docs/benchmarks.md, "Test suite time").
 */
function demoTemplate(engine: Engine): Promise<string> {
  let found = demoTemplates.get(engine);
  if (!found) {
    found = engine === 'sqlite' ? sqliteDemoTemplate() : postgresDemoTemplate();
    demoTemplates.set(engine, found);
    // A failed build is not remembered, so the next app start tries again.
    found.catch(() => demoTemplates.delete(engine));
  }
  return found;
}

async function sqliteDemoTemplate(): Promise<string> {
  const file = path.join(os.tmpdir(), `csphub-demo-${demoTemplateKey()}.sqlite`);
  if (fs.existsSync(file)) return file;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-demo-build-'));
  try {
    const building = path.join(dir, 'demo.sqlite');
    await migrateAndSeed({ databaseUrl: '', dataDir: dir, sqliteFile: building });
    // Another process may have finished first: renaming over its identical file is harmless.
    fs.renameSync(building, file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return file;
}

async function postgresDemoTemplate(): Promise<string> {
  const adminUrl = process.env.CSPHUB_TEST_PG_URL;
  if (!adminUrl) throw new Error('CSPHUB_TEST_PG_URL is not set');
  const name = `csphub_demo_${demoTemplateKey()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return name;
    const building = `csphub_demo_build_${randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${building}`);
    try {
      const u = new URL(adminUrl);
      u.pathname = `/${building}`;
      await migrateAndSeed({ databaseUrl: u.toString(), dataDir: '' });
      // The pool's sockets may still be closing: RENAME needs the database to have no connections.
      for (let i = 0; i < 50; i++) {
        const r = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [building]);
        if (r.rows[0]!.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    } catch (e) {
      await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      // Another process finished first (42P04, duplicate_database): use its identical template.
      if ((e as { code?: string }).code !== '42P04') throw e;
    }
    return name;
  } finally {
    await admin.end();
  }
}

/**
 * Starts CSP Hub as `npm start` does and waits until it listens: on a copy of the seeded demo database of the given
 * engine, or with `fromEmpty` (or SEED_DEMO=false, or a DATABASE_URL of its own in `env`) on an empty one.
 */
export async function startRealApp(
  engine: Engine,
  env: Record<string, string> = {},
  options: { fromEmpty?: boolean } = {},
): Promise<RunningApp> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-browser-'));
  // CSPHUB_TEST_NO_TEMPLATE=1 (as for test/support/db.ts) starts every app from an empty database, to compare.
  const seeded =
    !options.fromEmpty && env.SEED_DEMO !== 'false' && env.DATABASE_URL === undefined && process.env.CSPHUB_TEST_NO_TEMPLATE !== '1';
  let databaseUrl = '';
  let dropPg: (() => Promise<void>) | null = null;
  if (engine === 'sqlite' && seeded) fs.copyFileSync(await demoTemplate('sqlite'), path.join(dataDir, 'csphub.sqlite'));
  if (engine === 'postgres') {
    const adminUrl = process.env.CSPHUB_TEST_PG_URL;
    if (!adminUrl) throw new Error('CSPHUB_TEST_PG_URL is not set');
    const name = `csphub_browser_${randomBytes(6).toString('hex')}`;
    const template = seeded ? await demoTemplate('postgres') : null;
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
    await c.end();
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropPg = async () => {
      const d = new pg.Client({ connectionString: adminUrl });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    };
  }
  const child: ChildProcess = spawn(process.execPath, nodeEntry('src/main.ts'), {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      BASE_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      SESSION_SECRET: 'browser-test-secret-0123456789',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    if (dropPg) await dropPg();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      // Seconds on a quiet machine; about a minute on PostgreSQL with the 2 cores shared by several test runs.
      const timer = setTimeout(() => reject(new Error(`CSP Hub did not start within 120 s:\n${out}`)), 120_000);
      const check = () => {
        if (out.includes('CSP Hub is running')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', check);
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`CSP Hub exited with code ${code}:\n${out}`));
      });
    });
  } catch (e) {
    // An app that did not start is stopped and its database removed: left running, it kept the test file's
    // process alive for ever, and with it the whole `npm test`.
    await stop();
    throw e;
  }
  return { url: `http://127.0.0.1:${port}`, database: { databaseUrl, dataDir }, output: () => out, stop };
}

/** The demo sign-in printed by `npm start` (src/demo/seed.ts), as the demo-data browser tests use it. */
export const DEMO_SIGN_IN = { email: 'admin@csphub.test', password: 'demo-password-2026' } as const;

/**
 * A page of a new browser context (CSP bypassed for axe, downloads accepted) signed in as the demo administrator;
 * with `partnership`, opened on that partnership's overview, whose path is returned as `base`.
 */
export async function signInAsDemoAdmin(
  browser: Browser,
  server: RunningApp,
  options: { timeout: number; partnership?: string },
): Promise<{ page: Page; base: string }> {
  const context = await browser.newContext({ bypassCSP: true, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(options.timeout);
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('Email address').fill(DEMO_SIGN_IN.email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_SIGN_IN.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  if (!options.partnership) return { page, base: '' };
  await page.goto(`${server.url}/partnerships`);
  await page.getByRole('link', { name: options.partnership }).click();
  await page.waitForLoadState('load');
  return { page, base: new URL(page.url()).pathname };
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * The markup axe-core has already passed in this test process, as hashes of the page with its numbers, CSRF tokens and
 * script nonces blanked out. A file runs the same walk on SQLite and then on PostgreSQL, so most pages come back with
 * markup that differs from a page already checked only in those: axe's verdict depends on nothing else the page
 * has at the same viewport (the styles and scripts are the same files), so the check is not repeated.
 */
const passedMarkup = new Set<string>();

/** Runs axe-core (WCAG 2.x A and AA rules and best practice) on the page and fails with the details of any violation. */
export async function expectAccessible(page: Page, label = page.url()): Promise<void> {
  const markup = await page.evaluate(() => document.documentElement.outerHTML);
  const key = createHash('sha256')
    // Some rules depend on the layout (a region that scrolls, the size of a target), so the viewport is part of it.
    .update(JSON.stringify(page.viewportSize()))
    .update(
      markup
        .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf"')
        .replace(/nonce="[^"]*"/g, '')
        .replace(/[0-9]+/g, '0'),
    )
    .digest('hex');
  if (passedMarkup.has(key)) return;
  const present = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!present) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      // Only the violations are read: axe then keeps one node per passing rule instead of describing them all.
      resultTypes: ['violations'],
    });
    return result.violations;
  });
  const list = violations as AxeViolation[];
  assert.equal(
    list.length,
    0,
    `axe-core found ${list.length} accessibility violation(s) on ${label}:\n` +
      list
        .map(
          (v) =>
            `- ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n    ')}`,
        )
        .join('\n'),
  );
  passedMarkup.add(key);
}

/** Fills a GOV.UK date input (day, month, year), found by its legend. */
export async function fillDate(page: Page, legend: string, day: string, month: string, year: string): Promise<void> {
  const group = page.getByRole('group', { name: legend, exact: true });
  await group.getByLabel('Day').fill(day);
  await group.getByLabel('Month').fill(month);
  await group.getByLabel('Year').fill(year);
}
