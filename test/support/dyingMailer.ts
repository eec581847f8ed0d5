/**
 * An app instance that dies while sending an email: `startDyingMailer(openOptions, smtpUrl, leaseMs)` starts this
 * file with Node, which opens the database and runs one round of its reminder runner, sending through the given SMTP
 * server. The test kills it (SIGKILL) while the server holds the message: no shutdown code runs, as when a server is
 * killed or crashes in the middle of a send.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/adapters/database/database.ts';
import { createMailer } from '../../src/adapters/mail/mailer.ts';
import { CycleRunner } from '../../src/services/cycle/reminders.ts';
import type { TestDb } from './db.ts';
import { nodeEntry } from './nodeEntry.ts';

export function startDyingMailer(
  openOptions: TestDb['openOptions'],
  smtpUrl: string,
  leaseMs: number,
): { child: ChildProcess; exited: Promise<string | null> } {
  const file = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...nodeEntry(file), JSON.stringify({ openOptions, smtpUrl, leaseMs })], { stdio: 'ignore' });
  const exited = new Promise<string | null>((resolve) => child.once('exit', () => resolve(child.signalCode)));
  return { child, exited };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { openOptions, smtpUrl, leaseMs } = JSON.parse(process.argv[2]!) as {
    openOptions: TestDb['openOptions'];
    smtpUrl: string;
    leaseMs: number;
  };
  const db = openDatabase(openOptions);
  const mailer = createMailer({ smtpUrl, from: 'CSP Hub <hub@example.org>', log: () => undefined });
  const runner = new CycleRunner(db.kysely, mailer, {
    baseUrl: 'http://localhost:3000',
    secret: 's',
    leaseMs,
    pollMs: 60_000,
    maxAttempts: 3,
  });
  await runner.tick();
  // Not reached when the test kills this process mid-send, as it means to.
  process.exit(0);
}
