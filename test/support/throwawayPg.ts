/**
 * A PostgreSQL cluster of the test's own, in a temporary folder on a free port, that the test may stop and start
 * again (never the shared cluster): the same recipe as scripts/test.sh. initdb and pg_ctl run as the `postgres`
 * user when the tests run as root.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export interface ThrowawayPg {
  url: string;
  /** `pg_ctl stop -m fast`: connections are ended, the server goes away. */
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): void;
}

/** The newest PostgreSQL server binaries on the machine, or null. */
export function pgBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(a) - Number(b));
  return versions.length ? path.join(root, versions.at(-1)!, 'bin') : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export async function startThrowawayPg(): Promise<ThrowawayPg> {
  const bin = pgBin();
  if (!bin) throw new Error('PostgreSQL server binaries are not installed under /usr/lib/postgresql');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-outage-pg-'));
  const port = await freePort();
  const root = process.getuid?.() === 0;
  if (root) {
    fs.chmodSync(dir, 0o700);
    execFileSync('chown', ['-R', 'postgres', dir]);
  }
  const argv = (command: string): [string, string[]] =>
    root ? ['su', ['postgres', '-s', '/bin/sh', '-c', command]] : ['/bin/sh', ['-c', command]];
  const run = (command: string) => execFileSync(...argv(command), { stdio: 'pipe' });
  const runAsync = async (command: string) => void (await promisify(execFile)(...argv(command)));
  const data = path.join(dir, 'data');
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = `${quote(path.join(bin, 'pg_ctl'))} -D ${quote(data)} -l ${quote(path.join(dir, 'server.log'))} -w -t 60 -o ${quote(options)} start`;
  run(`${quote(path.join(bin, 'initdb'))} -D ${quote(data)} -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync`);
  run(start);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => runAsync(`${quote(path.join(bin, 'pg_ctl'))} -D ${quote(data)} -m fast -w stop`),
    start: () => runAsync(start),
    destroy: () => {
      try {
        run(`${quote(path.join(bin, 'pg_ctl'))} -D ${quote(data)} -m immediate stop`);
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
