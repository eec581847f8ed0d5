/**
 * The real app as its own process (src/main.ts, as `npm start` runs it) on a database the test prepared, for tests
 * of what only a process shows: signals and graceful shutdown, several instances behind a proxy. Its log (JSON
 * lines) is kept for the test to read.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { TestDb } from './db.ts';
import { nodeEntry } from './nodeEntry.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface AppProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Its JSON log lines so far. */
  logLines(): Record<string, unknown>[];
  /** Resolves with the exit code once it has exited. */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `ms` if still running. */
  stop(ms?: number): Promise<number | null>;
}

/** The DATABASE_URL that opens a test database from another process. */
export function databaseUrlOf(db: TestDb): string {
  return db.engine === 'sqlite' ? `sqlite:${db.openOptions.sqliteFile}` : db.openOptions.databaseUrl;
}

/** Starts src/main.ts on the test database and waits until it listens. */
export async function startAppProcess(db: TestDb, env: Record<string, string> = {}): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, nodeEntry('src/main.ts'), {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrlOf(db),
      DATA_DIR: path.dirname(db.openOptions.sqliteFile ?? path.join(ROOT, 'data', 'x')),
      CRIME_STORE_PATH: ':memory:',
      BASE_URL: `http://127.0.0.1:${port}`,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'info',
      SESSION_SECRET: 'process-test-secret-0123456789',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CSP Hub did not start within 120 s:\n${out}`)), 120_000);
    const check = () => {
      if (out.includes('CSP Hub is running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`CSP Hub exited with code ${code}:\n${out}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    output: () => out,
    logLines: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    exited,
    stop: async (ms = 15_000) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), ms);
        await exited;
        clearTimeout(timer);
      }
      return child.exitCode;
    },
  };
}
