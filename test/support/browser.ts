/**
 * Browser tests: the real app started as `npm start` starts it (src/main.ts in its own process, with its own
 * database), driven by Debian's Chromium through playwright-core, with axe-core checking every page.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import pg from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Engine } from '../../src/adapters/database/database.ts';

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

/** Starts CSP Hub as `npm start` does, on an empty database of the given engine, and waits until it listens. */
export async function startRealApp(engine: Engine, env: Record<string, string> = {}): Promise<RunningApp> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-browser-'));
  let databaseUrl = '';
  let dropPg: (() => Promise<void>) | null = null;
  if (engine === 'postgres') {
    const adminUrl = process.env.CSPHUB_TEST_PG_URL;
    if (!adminUrl) throw new Error('CSPHUB_TEST_PG_URL is not set');
    const name = `csphub_browser_${randomBytes(6).toString('hex')}`;
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
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
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
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

/** Runs axe-core (WCAG 2.x A and AA rules and best practice) on the page and fails with the details of any violation. */
export async function expectAccessible(page: Page, label = page.url()): Promise<void> {
  const present = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!present) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
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
}

/** Fills a GOV.UK date input (day, month, year), found by its legend. */
export async function fillDate(page: Page, legend: string, day: string, month: string, year: string): Promise<void> {
  const group = page.getByRole('group', { name: legend, exact: true });
  await group.getByLabel('Day').fill(day);
  await group.getByLabel('Month').fill(month);
  await group.getByLabel('Year').fill(year);
}
