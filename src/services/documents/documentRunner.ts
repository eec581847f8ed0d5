/**
 * Generates requested documents in the background of the app's instances. Each instance's runner claims jobs from
 * the database with a lease (src/adapters/jobs/jobLease.ts): when a job is asked for (the instance that took the request
 * looks at once) and every few seconds (so jobs asked for elsewhere, and jobs whose instance stopped, are taken up).
 * It generates two at a time, writes progress at each step, renews its leases while it works (a heartbeat), gives up
 * on a job after a time limit, and on shutdown hands its unfinished jobs back to the queue for another instance or
 * for itself once restarted. A job whose instance was killed is claimed again once its lease runs out, up to a
 * number of attempts. The request that asked for the document returns at once; nobody waits on it.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Kysely } from 'kysely';
import { isDatabaseUnavailable } from '../../adapters/database/database.ts';
import { withLogContext } from '../../adapters/logContext.ts';
import type { Database, DocumentJob } from '../../adapters/database/schema.ts';
import { claimDocumentJobs, completeJob, failJob, releaseDocumentJobs, setProgress, touchJobs } from './documentJobs.ts';
import type { LeaseSettings } from '../../adapters/jobs/jobLease.ts';
import { ValidationError, NotFoundError } from '../../domain/errors.ts';
import { PdfUnavailableError } from '../../adapters/chromium/pdfPrinter.ts';

/** Reports a job's progress: a percentage and what is being done. */
export type Progress = (percent: number, stage: string) => Promise<void>;

/** The file a job made. */
export interface GeneratedFile {
  fileName: string;
  contentType: string;
  content: Buffer;
}

/**
 * Builds one job's document and writes it in its format. The runner is given it by the app (it is in
 * src/presentation/documents/generateDocument.ts), so that this queue does not depend on how documents look.
 */
export type GenerateDocument = (
  job: Pick<DocumentJob, 'partnership_id' | 'kind' | 'format' | 'params_json'>,
  progress: Progress,
) => Promise<GeneratedFile>;

/** Why a job failed, in words for the person who asked. */
function reasonFor(e: unknown): string {
  if (e instanceof PdfUnavailableError) return `${e.message}. Generate the Word (DOCX) version instead.`;
  if (e instanceof ValidationError) return e.errors.map((x) => x.message).join('; ');
  if (e instanceof NotFoundError) return `${e.message}: it may have been deleted since the document was asked for.`;
  return 'Something went wrong while generating the document. Try again, or ask your administrator to look at the server log.';
}

export interface RunnerOptions {
  /** Documents generated at once by this instance. */
  concurrency?: number;
  /** How long a claim lasts without renewal; renewed three times a lease. */
  leaseMs?: number;
  /** How often the runner looks for jobs (once started). */
  pollMs?: number;
  /** Claims a job may have before it is failed. */
  maxAttempts?: number;
  /** Longest a single document may take. */
  timeoutMs?: number;
  log?: (message: string, error?: unknown) => void;
  /** Told of each job this runner finished, with its outcome (for metrics). */
  onFinished?: (job: { kind: string; format: string }, outcome: 'done' | 'failed') => void;
}

export class DocumentRunner {
  private readonly running = new Map<number, Promise<void>>();
  private readonly waiters: (() => void)[] = [];
  private claiming: Promise<void> | null = null;
  private claimAgain = false;
  private poller: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private stopping = false;
  private readonly concurrency: number;
  private readonly lease: LeaseSettings;
  private readonly pollMs: number;
  private readonly timeoutMs: number;
  private readonly log: (message: string, error?: unknown) => void;
  private readonly onFinished: NonNullable<RunnerOptions['onFinished']>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly generate: GenerateDocument,
    options: RunnerOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 2;
    this.lease = {
      holder: `${os.hostname().slice(0, 40)}:${process.pid}:${randomBytes(6).toString('hex')}`,
      leaseMs: options.leaseMs ?? 15_000,
      maxAttempts: options.maxAttempts ?? 3,
    };
    this.pollMs = options.pollMs ?? 5_000;
    this.timeoutMs = options.timeoutMs ?? 5 * 60_000;
    this.log = options.log ?? (() => undefined);
    this.onFinished = options.onFinished ?? (() => undefined);
  }

  /** Who this runner is in the jobs' `claimed_by`. */
  get holder(): string {
    return this.lease.holder;
  }

  /** Looks for jobs now and every pollMs until stopped. */
  start(): void {
    if (this.poller || this.stopping) return;
    this.poller = setInterval(() => this.lookForWork(), this.pollMs);
    this.poller.unref();
    this.lookForWork();
  }

  /** A job has been asked for: look for work now (this instance, or another one looking first, takes it). */
  enqueue(_jobId?: number): void {
    this.lookForWork();
  }

  /** Resolves when this runner is neither claiming nor generating (for tests and shutdown). */
  idle(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Stops taking jobs; running ones get a short while to finish, then are handed back to the queue (the attempt
   * not counted) for another instance, or this one restarted, to take up.
   */
  async stop(graceMs = 20_000): Promise<void> {
    this.stopping = true;
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    await this.claiming;
    if (this.running.size) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.running.values()]), new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
      const unfinished = [...this.running.keys()];
      await releaseDocumentJobs(this.db, this.holder, unfinished, { countAttempt: false }).catch((e: unknown) =>
        this.log('could not hand back unfinished document jobs', e),
      );
    }
    this.stopHeartbeat();
    this.settle();
  }

  private busy(): boolean {
    return this.claiming !== null || this.running.size > 0;
  }

  /** Claims what there is room for; one claim at a time, another straight after if asked meanwhile. */
  private lookForWork(): void {
    if (this.stopping) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = this.claim()
      .catch((e: unknown) => this.log('could not look for document jobs', e))
      .finally(() => {
        this.claiming = null;
        if (this.claimAgain) {
          this.claimAgain = false;
          this.lookForWork();
        }
        this.settle();
      });
  }

  private async claim(): Promise<void> {
    const room = this.concurrency - this.running.size;
    if (room <= 0) return;
    for (const job of await claimDocumentJobs(this.db, this.lease, room)) {
      const run = this.run(job.id).finally(() => {
        this.running.delete(job.id);
        if (this.running.size === 0) this.stopHeartbeat();
        this.lookForWork(); // room for another
        this.settle();
      });
      this.running.set(job.id, run);
      this.startHeartbeat();
    }
  }

  private settle(): void {
    if (this.busy()) return;
    for (const w of this.waiters.splice(0)) w();
  }

  /** Runs a job with its log lines marked with the job and the id of the request that asked for it. */
  private async run(id: number): Promise<void> {
    const requestId = await this.db
      .selectFrom('document_jobs')
      .select('request_id')
      .where('id', '=', id)
      .executeTakeFirst()
      .then(
        (r) => r?.request_id ?? undefined,
        () => undefined,
      );
    return withLogContext({ reqId: requestId, job: `document:${id}` }, () => this.generateJob(id));
  }

  private async generateJob(id: number): Promise<void> {
    const holder = this.holder;
    let kind = 'unknown';
    let format = 'unknown';
    try {
      const job = await this.db
        .selectFrom('document_jobs')
        .select(['partnership_id', 'kind', 'format', 'params_json'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      ({ kind, format } = job);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_r, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${Math.round(this.timeoutMs / 1000)} s`)), this.timeoutMs);
      });
      try {
        const file = await Promise.race([this.generate(job, (p, stage) => setProgress(this.db, id, holder, p, stage)), timeout]);
        if (!(await completeJob(this.db, id, holder, file)))
          this.log(`document job ${id} was taken over by another instance before it was finished here`);
        else this.onFinished({ kind, format }, 'done');
      } finally {
        clearTimeout(timer);
      }
    } catch (e) {
      if (isDatabaseUnavailable(e)) {
        // Not the document's fault: hand it back (the attempt counts) for when the database is back.
        this.log(`document job ${id} stopped: the database is unavailable`, e);
        await releaseDocumentJobs(this.db, holder, [id], { countAttempt: true }).catch((x: unknown) =>
          this.log('could not hand back a document job', x),
        );
        return;
      }
      const timedOut = e instanceof Error && e.message.startsWith('timed out after');
      if (!(e instanceof ValidationError || e instanceof NotFoundError || e instanceof PdfUnavailableError))
        this.log(`document job ${id} failed`, e);
      await failJob(
        this.db,
        id,
        holder,
        timedOut ? `Generating the document took too long (${e.message}). Try again later.` : reasonFor(e),
      ).then(
        () => this.onFinished({ kind, format }, 'failed'),
        (x: unknown) => this.log('could not fail a job', x),
      );
    }
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(
      () => {
        const held = [...this.running.keys()];
        touchJobs(this.db, this.lease, held).then(
          (still) => {
            const lost = held.filter((id) => !still.includes(id));
            if (lost.length) this.log(`lost the lease on document jobs ${lost.join(', ')}: another instance may take them over`);
          },
          (e: unknown) => this.log('heartbeat failed', e),
        );
      },
      Math.max(10, Math.floor(this.lease.leaseMs / 3)),
    );
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}
