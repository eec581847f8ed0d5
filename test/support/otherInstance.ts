/**
 * Another app instance, as a separate process on the same database: `runInOtherInstance(openOptions, job)` starts
 * this file with Node, which opens the database itself and enters figures through the services, then exits. What
 * the process under test caches in memory is out of its reach, as it is for a second server behind a load balancer.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openDatabase } from '../../src/adapters/database/database.ts';
import { enterFigures, type FigureInput } from '../../src/services/performance/figures.ts';
import type { TestDb } from './db.ts';
import { nodeEntry } from './nodeEntry.ts';

export interface OtherInstanceJob {
  partnershipId: number;
  actor: { userId: number | null; label: string };
  figures: FigureInput[];
}

export async function runInOtherInstance(openOptions: TestDb['openOptions'], job: OtherInstanceJob): Promise<void> {
  const file = fileURLToPath(import.meta.url);
  await promisify(execFile)(process.execPath, [...nodeEntry(file), JSON.stringify({ openOptions, job })], { timeout: 60_000 });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { openOptions, job } = JSON.parse(process.argv[2]!) as { openOptions: TestDb['openOptions']; job: OtherInstanceJob };
  const db = openDatabase(openOptions);
  try {
    await enterFigures(db.kysely, job.actor, job.partnershipId, job.figures);
  } finally {
    await db.close();
  }
}
