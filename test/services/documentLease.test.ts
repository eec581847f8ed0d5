/**
 * Document jobs whose instance stopped are taken up again, on each engine: a runner killed (SIGKILL, in its own
 * process) while generating a document, and a claim left without heartbeats, are picked up by another runner once
 * the lease runs out and finished by it; a job whose instances keep stopping is failed after its last attempt with
 * the reason; several instances claiming at once never take the same job; and a runner that lost its lease cannot
 * overwrite the one that took the job over.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { makePartnership } from '../support/app.ts';
import { runDyingRunner } from '../support/dyingRunner.ts';
import {
  claimDocumentJobs,
  completeJob,
  exhaustedMessage,
  getDocumentJob,
  requestDocument,
  setProgress,
} from '../../src/services/documents/documentJobs.ts';
import { claimJobs } from '../../src/adapters/jobs/jobLease.ts';
import { DocumentRunner } from '../../src/services/documents/documentRunner.ts';
import { documentGenerator } from '../../src/presentation/documents/generateDocument.ts';
import { PdfPrinter } from '../../src/adapters/chromium/pdfPrinter.ts';

const requester = { userId: null, label: 'officer@example.org', name: 'Olive Officer' };
const LEASE_MS = 1000; // long enough that a loaded machine's heartbeat still renews it
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const engine of ENGINES) {
  describe(`document jobs taken up again after their instance stopped, on ${engine}`, () => {
    let db: TestDb;
    let partnershipId: number;
    const printer = new PdfPrinter('/nonexistent/chromium');
    const ask = (quarter = '2019/20 Q4') =>
      requestDocument(db.kysely, requester, partnershipId, { kind: 'board_pack', format: 'docx', quarter });
    const job = (id: number) => getDocumentJob(db.kysely, partnershipId, id);
    /** Waits until the job is done or failed, at most `ms`. */
    const settled = async (id: number, ms: number) => {
      const until = Date.now() + ms;
      for (;;) {
        const j = await job(id);
        if (j.status === 'done' || j.status === 'failed' || Date.now() > until) return j;
        await sleep(50);
      }
    };

    before(async () => {
      db = await freshDb(engine);
      partnershipId = (await makePartnership(db.kysely, `Lease ${engine}`)).id;
    });
    after(async () => {
      await printer.close();
      await db.drop();
    });

    it('finishes a job whose runner was killed while generating it', async () => {
      const asked = await ask();
      assert.equal(await runDyingRunner(db.openOptions, asked.id, LEASE_MS), 'SIGKILL');
      const orphan = await job(asked.id);
      assert.equal(orphan.status, 'running', 'left running by the killed process');
      assert.equal(orphan.attempts, 1);

      const other = new DocumentRunner(db.kysely, documentGenerator(db.kysely, printer), { leaseMs: LEASE_MS, pollMs: 50 });
      other.start();
      const finished = await settled(asked.id, 10_000);
      await other.stop();
      assert.equal(finished.status, 'done', finished.error ?? finished.stage);
      assert.equal(finished.attempts, 2, 'taken up for a second attempt');
      assert.ok((finished.size_bytes ?? 0) > 1000, 'with the file');
    });

    it('finishes a job claimed by a runner that stopped beating, and the stale runner cannot overwrite it', async () => {
      const asked = await ask('2019/20 Q3');
      const dead = { holder: 'dead-runner', leaseMs: LEASE_MS, maxAttempts: 3 };
      assert.deepEqual(await claimDocumentJobs(db.kysely, dead, 1), [{ id: asked.id, attempts: 1 }]);
      const runner = new DocumentRunner(db.kysely, documentGenerator(db.kysely, printer), { leaseMs: LEASE_MS, pollMs: 50 });
      runner.start();
      await sleep(LEASE_MS / 2);
      assert.equal((await job(asked.id)).status, 'running', 'not taken while the lease lasts');
      const finished = await settled(asked.id, 10_000);
      await runner.stop();
      assert.equal(finished.status, 'done', finished.error ?? finished.stage);
      assert.equal(finished.attempts, 2);
      // The stalled runner wakes up: its progress and its file are not written over the finished job.
      await setProgress(db.kysely, asked.id, dead.holder, 50, 'Stale progress');
      assert.equal(
        await completeJob(db.kysely, asked.id, dead.holder, { fileName: 'stale.docx', contentType: 'x', content: Buffer.from('stale') }),
        false,
      );
      const after = await job(asked.id);
      assert.deepEqual([after.status, after.stage, after.file_name], ['done', 'Finished', finished.file_name]);
    });

    it('fails a job after its last attempt, saying why', async () => {
      const asked = await ask('2019/20 Q2');
      for (let attempt = 1; attempt <= 2; attempt++) {
        const claimed = await claimDocumentJobs(db.kysely, { holder: `dying-${attempt}`, leaseMs: 50, maxAttempts: 2 }, 1);
        assert.deepEqual(claimed, [{ id: asked.id, attempts: attempt }]);
        await sleep(80); // the lease runs out: this holder stopped
      }
      const runner = new DocumentRunner(db.kysely, documentGenerator(db.kysely, printer), {
        leaseMs: LEASE_MS,
        pollMs: 50,
        maxAttempts: 2,
      });
      runner.enqueue();
      await runner.idle();
      await runner.stop();
      const failed = await job(asked.id);
      assert.equal(failed.status, 'failed');
      assert.equal(failed.error, exhaustedMessage(2));
      assert.match(failed.error ?? '', /stopped 2 times before it was finished/);
    });

    it('never gives the same job to two instances claiming at once', async () => {
      const asked = await Promise.all(Array.from({ length: 12 }, (_x, i) => ask(`20${10 + i}/${11 + i} Q1`)));
      const claims = await Promise.all(
        Array.from({ length: 6 }, (_x, i) =>
          claimJobs(db.kysely, 'document_jobs', { holder: `instance-${i}`, leaseMs: 60_000, maxAttempts: 3 }, 3),
        ),
      );
      const ids = claims.flat().map((c) => c.id);
      assert.equal(new Set(ids).size, ids.length, `a job was claimed twice: ${ids.join(', ')}`);
      assert.deepEqual(
        [...ids].sort((a, b) => a - b),
        asked.map((j) => j.id).sort((a, b) => a - b),
        'every queued job was claimed once',
      );
      const rows = await db.kysely.selectFrom('document_jobs').select(['id', 'claimed_by', 'attempts']).where('id', 'in', ids).execute();
      for (const r of rows) {
        const by = claims.findIndex((c) => c.some((x) => x.id === r.id));
        assert.equal(r.claimed_by, `instance-${by}`, `job ${r.id} is held by the instance it was given to`);
        assert.equal(r.attempts, 1);
      }
    });
  });
}
