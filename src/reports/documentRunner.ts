/**
 * Generates requested documents in the background of the process that took the request: a small in-memory queue
 * (two at a time), progress written to the job row at each step, a heartbeat on the jobs this process holds (so
 * other instances can tell a live job from one whose process stopped), a time limit, and on shutdown the jobs not
 * finished are marked failed. The request that asked for the document returns at once; nobody waits on it.
 */
import type { Kysely } from 'kysely';
import type { Database, DocumentJob } from '../db/schema.ts';
import { CONTENT_TYPES, completeJob, failJob, jobParams, markRunning, setProgress, touchJobs } from '../services/documentJobs.ts';
import { ValidationError, NotFoundError } from '../services/errors.ts';
import { buildPlanReport } from './planDocument.ts';
import { loadQuarterlyReport, parseReportQuarter, quarterlyReportDocument } from './quarterlyReport.ts';
import { annualReviewDocument, loadAnnualReview } from './annualReview.ts';
import type { ReportDocument } from './document.ts';
import { toDocx } from './docx.ts';
import { toPrintHtml } from './html.ts';
import { PdfUnavailableError, type PdfPrinter } from './pdf.ts';

type Progress = (percent: number, stage: string) => Promise<void>;

/** Builds one job's document and writes it in its format. */
export async function generateDocument(db: Kysely<Database>, printer: PdfPrinter, job: Pick<DocumentJob, 'partnership_id' | 'kind' | 'format' | 'params_json'>, progress: Progress): Promise<{ fileName: string; contentType: string; content: Buffer }> {
  const params = jobParams(job);
  const pid = job.partnership_id;
  await progress(10, 'Gathering the figures and text');
  let document: ReportDocument;
  let fileName: string;
  if (job.kind === 'board_pack') {
    const report = await loadQuarterlyReport(db, pid, parseReportQuarter(params.quarter));
    document = quarterlyReportDocument(report);
    fileName = report.fileName;
  } else if (job.kind === 'annual_review') {
    const review = await loadAnnualReview(db, pid, Number(params.reviewId));
    document = annualReviewDocument(review);
    fileName = review.fileName;
  } else {
    const plan = await buildPlanReport(db, pid, Number(params.versionId));
    document = plan.document;
    fileName = plan.fileName;
  }
  await progress(40, 'Laying out the document');
  let content: Buffer;
  if (job.format === 'pdf') {
    const html = toPrintHtml(document);
    await progress(60, 'Printing the PDF');
    content = await printer.print(html, { header: document.runningHeader, footer: document.organisation });
  } else {
    await progress(60, 'Writing the Word document');
    content = await toDocx(document);
  }
  await progress(95, 'Saving the file');
  return { fileName: `${fileName}.${job.format}`, contentType: CONTENT_TYPES[job.format], content };
}

/** Why a job failed, in words for the person who asked. */
function reasonFor(e: unknown): string {
  if (e instanceof PdfUnavailableError) return `${e.message}. Generate the Word (DOCX) version instead.`;
  if (e instanceof ValidationError) return e.errors.map((x) => x.message).join('; ');
  if (e instanceof NotFoundError) return `${e.message}: it may have been deleted since the document was asked for.`;
  return 'Something went wrong while generating the document. Try again, or ask your administrator to look at the server log.';
}

export interface RunnerOptions {
  concurrency?: number;
  heartbeatMs?: number;
  timeoutMs?: number;
  log?: (message: string, error?: unknown) => void;
}

export class DocumentRunner {
  private readonly queue: number[] = [];
  private readonly running = new Map<number, Promise<void>>();
  private readonly waiters: (() => void)[] = [];
  private heartbeat: NodeJS.Timeout | null = null;
  private stopping = false;
  private readonly concurrency: number;
  private readonly heartbeatMs: number;
  private readonly timeoutMs: number;
  private readonly log: (message: string, error?: unknown) => void;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly printer: PdfPrinter,
    options: RunnerOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 2;
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.timeoutMs = options.timeoutMs ?? 5 * 60_000;
    this.log = options.log ?? (() => undefined);
  }

  /** Takes a queued job; it starts when a place is free. */
  enqueue(jobId: number): void {
    if (this.stopping) {
      void failJob(this.db, jobId, 'The server is stopping. Generate the document again.').catch((e: unknown) => this.log('could not fail a job', e));
      return;
    }
    this.queue.push(jobId);
    this.startHeartbeat();
    this.pump();
  }

  /** Resolves when nothing is queued or running (for tests and shutdown). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops taking jobs: queued ones are failed, running ones get a short while to finish, then are failed. */
  async stop(graceMs = 20_000): Promise<void> {
    this.stopping = true;
    const queued = this.queue.splice(0);
    for (const id of queued) await failJob(this.db, id, 'The server stopped before the document was started. Generate it again.').catch((e: unknown) => this.log('could not fail a job', e));
    const running = [...this.running.keys()];
    if (running.length) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.running.values()]), new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
      for (const id of this.running.keys()) await failJob(this.db, id, 'The server stopped before the document was finished. Generate it again.').catch((e: unknown) => this.log('could not fail a job', e));
    }
    this.stopHeartbeat();
    this.settle();
  }

  private pump(): void {
    while (!this.stopping && this.running.size < this.concurrency && this.queue.length > 0) {
      const id = this.queue.shift()!;
      const run = this.run(id).finally(() => {
        this.running.delete(id);
        this.pump();
        this.settle();
      });
      this.running.set(id, run);
    }
  }

  private settle(): void {
    if (this.queue.length > 0 || this.running.size > 0) return;
    this.stopHeartbeat();
    for (const w of this.waiters.splice(0)) w();
  }

  private async run(id: number): Promise<void> {
    try {
      if (!(await markRunning(this.db, id))) return; // failed meanwhile (stale sweep) or already taken
      const job = await this.db.selectFrom('document_jobs').select(['partnership_id', 'kind', 'format', 'params_json']).where('id', '=', id).executeTakeFirstOrThrow();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_r, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${Math.round(this.timeoutMs / 1000)} s`)), this.timeoutMs);
      });
      try {
        const file = await Promise.race([generateDocument(this.db, this.printer, job, (p, stage) => setProgress(this.db, id, p, stage)), timeout]);
        await completeJob(this.db, id, file);
      } finally {
        clearTimeout(timer);
      }
    } catch (e) {
      const timedOut = e instanceof Error && e.message.startsWith('timed out after');
      if (!(e instanceof ValidationError || e instanceof NotFoundError || e instanceof PdfUnavailableError)) this.log(`document job ${id} failed`, e);
      await failJob(this.db, id, timedOut ? `Generating the document took too long (${e.message}). Try again later.` : reasonFor(e)).catch((x: unknown) => this.log('could not fail a job', x));
    }
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      const held = [...this.queue, ...this.running.keys()];
      void touchJobs(this.db, held).catch((e: unknown) => this.log('heartbeat failed', e));
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Generates requested documents in the background of this process. */
    documentRunner: DocumentRunner;
  }
}
