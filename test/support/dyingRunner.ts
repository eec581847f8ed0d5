/**
 * An app instance that dies while generating a document: `runDyingRunner(openOptions, jobId)` starts this file
 * with Node, which opens the database, lets its document runner take the job and, as soon as the job shows as
 * running, kills its own process with SIGKILL: no shutdown code runs, as when a server is killed or crashes.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/adapters/database/database.ts';
import { DocumentRunner } from '../../src/services/documents/documentRunner.ts';
import { documentGenerator } from '../../src/presentation/documents/generateDocument.ts';
import { PdfPrinter } from '../../src/adapters/chromium/pdfPrinter.ts';
import type { TestDb } from './db.ts';
import { nodeEntry } from './nodeEntry.ts';

/** Resolves with the signal that ended the child (SIGKILL when it died as planned). */
export async function runDyingRunner(openOptions: TestDb['openOptions'], jobId: number, leaseMs: number): Promise<string | null> {
  const file = fileURLToPath(import.meta.url);
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [...nodeEntry(file), JSON.stringify({ openOptions, jobId, leaseMs })],
      { timeout: 60_000 },
      () => resolve(child.signalCode),
    );
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { openOptions, jobId, leaseMs } = JSON.parse(process.argv[2]!) as {
    openOptions: TestDb['openOptions'];
    jobId: number;
    leaseMs: number;
  };
  const db = openDatabase(openOptions);
  const runner = new DocumentRunner(db.kysely, documentGenerator(db.kysely, new PdfPrinter('/nonexistent/chromium')), {
    leaseMs,
    pollMs: 60_000,
  });
  runner.enqueue(jobId);
  for (;;) {
    const row = await db.kysely.selectFrom('document_jobs').select('status').where('id', '=', jobId).executeTakeFirstOrThrow();
    if (row.status === 'running') process.kill(process.pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
