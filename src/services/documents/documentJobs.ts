/**
 * Generated documents kept with their progress: asking for a document (a Board pack, an annual review, a plan)
 * records a job row (what, in which format, who asked, when); the process that took the request generates it in
 * the background (src/services/documents/documentRunner.ts) and stores the finished file's bytes in the row, so any instance
 * of the app can list and serve it. Jobs are claimed with a lease (src/adapters/jobs/jobLease.ts): one whose instance
 * stopped is taken up again by another instance, or by the restarted one, until it runs out of attempts.
 */
import type { Kysely, Selectable } from 'kysely';
import {
  DOCUMENT_FORMATS,
  DOCUMENT_KINDS,
  type Database,
  type DocumentFormat,
  type DocumentJob,
  type DocumentJobsTable,
  type DocumentKind,
} from '../../adapters/database/schema.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import {
  claimJobs,
  failExhaustedJobs,
  releaseJobs,
  renewLeases,
  type ClaimedJob,
  type LeaseSettings,
} from '../../adapters/jobs/jobLease.ts';
import { nowIso } from '../../adapters/clock.ts';
import { currentLogContext } from '../../adapters/logContext.ts';
import { ConflictError, NotFoundError, ValidationError, Validator } from '../../domain/errors.ts';
import { periodLabel } from '../plans/plans.ts';
import { parseReportQuarter } from '../../domain/reportQuarter.ts';
import { planName, versionName } from '../../domain/planNames.ts';
import { formatDateLong } from '../../domain/dates.ts';

export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = {
  board_pack: 'Quarterly performance report',
  annual_review: 'Annual review',
  plan_document: 'Plan document',
  meeting_pack: 'Meeting pack',
};
export const DOCUMENT_FORMAT_LABELS: Record<DocumentFormat, string> = { pdf: 'PDF', docx: 'Word (DOCX)' };
export const CONTENT_TYPES: Record<DocumentFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** Why a job is failed when the instances generating it kept stopping before it was finished. */
export function exhaustedMessage(attempts: number): string {
  return `The document could not be generated: the server generating it stopped ${attempts === 1 ? 'before it was finished' : `${attempts} times before it was finished`}. Generate it again, or ask your administrator to look at the server log.`;
}

/** A job without its file's bytes and its lease: what lists and status pages show. */
export type DocumentJobSummary = Omit<DocumentJob, 'content' | 'lease_expires_at' | 'claimed_by' | 'request_id'>;

/** The person asking: the actor recorded in the audit trail, and the name the list shows. */
export interface Requester extends Actor {
  name: string;
}

export interface DocumentRequestInput {
  kind?: unknown;
  format?: unknown;
  /** Board pack: the quarter ('2019/20 Q4'). */
  quarter?: unknown;
  /** Board pack: true (or '1') to add confidence intervals to the summary table. */
  intervals?: unknown;
  /** Annual review: the review's id. */
  reviewId?: unknown;
  /** Plan document: the plan version's id. */
  versionId?: unknown;
  /** Meeting pack: the meeting's id. */
  meetingId?: unknown;
}

export interface DocumentParams {
  quarter?: string;
  /** Board pack with confidence intervals in its summary table. */
  intervals?: boolean;
  reviewId?: number;
  versionId?: number;
  meetingId?: number;
}

const SUMMARY_COLUMNS = [
  'id',
  'partnership_id',
  'kind',
  'format',
  'title',
  'params_json',
  'status',
  'progress',
  'stage',
  'error',
  'requested_by_user_id',
  'requested_by',
  'requested_by_name',
  'created_at',
  'started_at',
  'finished_at',
  'heartbeat_at',
  'attempts',
  'file_name',
  'content_type',
  'size_bytes',
] as const satisfies readonly (keyof Selectable<DocumentJobsTable>)[];

function idOf(raw: unknown): number | null {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  return /^\d{1,15}$/.test(text) && Number(text) > 0 ? Number(text) : null;
}

/** What is asked for, checked: the kind, the format and the source, which must be the partnership's. */
export async function validateDocumentRequest(
  db: Kysely<Database>,
  partnershipId: number,
  input: DocumentRequestInput,
): Promise<{ kind: DocumentKind; format: DocumentFormat; params: DocumentParams; title: string }> {
  const v = new Validator();
  const kind = v.oneOf('kind', input.kind, DOCUMENT_KINDS, 'Choose the document to generate');
  const format = v.oneOf('format', input.format, DOCUMENT_FORMATS, 'Choose PDF or Word (DOCX)');
  v.throwIfAny();
  if (kind === 'board_pack') {
    const q = parseReportQuarter(input.quarter);
    const intervals = input.intervals === true || input.intervals === '1' || input.intervals === 'true';
    const title = `${DOCUMENT_KIND_LABELS.board_pack} ${q.label}${intervals ? ' with confidence intervals' : ''}`;
    return { kind, format, params: intervals ? { quarter: q.key, intervals } : { quarter: q.key }, title };
  }
  if (kind === 'annual_review') {
    const id = idOf(input.reviewId);
    const review =
      id === null
        ? undefined
        : await db
            .selectFrom('reviews')
            .select(['id', 'title', 'start_year', 'end_year'])
            .where('partnership_id', '=', partnershipId)
            .where('id', '=', id)
            .executeTakeFirst();
    if (!review) throw new ValidationError([{ field: 'reviewId', message: 'Choose a review of this partnership' }]);
    return {
      kind,
      format,
      params: { reviewId: review.id },
      title: planName(review.title, periodLabel(review.start_year, review.end_year), ''),
    };
  }
  if (kind === 'meeting_pack') {
    const id = idOf(input.meetingId);
    const meeting =
      id === null
        ? undefined
        : await db
            .selectFrom('meetings')
            .select(['id', 'title', 'starts_at'])
            .where('partnership_id', '=', partnershipId)
            .where('id', '=', id)
            .executeTakeFirst();
    if (!meeting) throw new ValidationError([{ field: 'meetingId', message: 'Choose a meeting of this partnership' }]);
    return {
      kind,
      format,
      params: { meetingId: meeting.id },
      title: `${DOCUMENT_KIND_LABELS.meeting_pack}: ${meeting.title}, ${formatDateLong(meeting.starts_at.slice(0, 10))}`,
    };
  }
  const id = idOf(input.versionId);
  const version =
    id === null
      ? undefined
      : await db
          .selectFrom('plan_versions')
          .innerJoin('plans', 'plans.id', 'plan_versions.plan_id')
          .select(['plan_versions.id', 'plan_versions.label', 'plans.title'])
          .where('plan_versions.partnership_id', '=', partnershipId)
          .where('plan_versions.id', '=', id)
          .executeTakeFirst();
  if (!version) throw new ValidationError([{ field: 'versionId', message: 'Choose a plan version of this partnership' }]);
  return { kind, format, params: { versionId: version.id }, title: versionName(version.title, version.label) };
}

/** Records a request for a document, queued; the caller hands its id to the runner. */
export async function requestDocument(
  db: Kysely<Database>,
  requester: Requester,
  partnershipId: number,
  input: DocumentRequestInput,
): Promise<DocumentJobSummary> {
  const request = await validateDocumentRequest(db, partnershipId, input);
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const job = await trx
      .insertInto('document_jobs')
      .values({
        partnership_id: partnershipId,
        kind: request.kind,
        format: request.format,
        title: request.title,
        params_json: JSON.stringify(request.params),
        status: 'queued',
        progress: 0,
        stage: 'Waiting to start',
        error: null,
        requested_by_user_id: requester.userId,
        requested_by: requester.label,
        requested_by_name: requester.name,
        created_at: now,
        heartbeat_at: now,
        request_id: currentLogContext().reqId ?? null,
      })
      .returning(SUMMARY_COLUMNS)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, requester, {
      partnershipId,
      action: 'create',
      entityType: 'document',
      entityId: job.id,
      summary: `Asked for ${job.title} (${DOCUMENT_FORMAT_LABELS[job.format]})`,
      after: job,
    });
    return job;
  });
}

/** A job of the partnership (without its bytes); NotFound for another partnership's. */
export async function getDocumentJob(db: Kysely<Database>, partnershipId: number, id: number): Promise<DocumentJobSummary> {
  const job = await db
    .selectFrom('document_jobs')
    .select(SUMMARY_COLUMNS)
    .where('partnership_id', '=', partnershipId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!job) throw new NotFoundError('Document');
  return job;
}

export interface DocumentJobPage {
  jobs: DocumentJobSummary[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
}

/** The partnership's generated documents, newest first, a page at a time. */
export async function listDocumentJobs(
  db: Kysely<Database>,
  partnershipId: number,
  options: { page?: unknown; pageSize?: number } = {},
): Promise<DocumentJobPage> {
  const pageSize = Math.min(Math.max(options.pageSize ?? 20, 1), 100);
  const { n } = await db
    .selectFrom('document_jobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('partnership_id', '=', partnershipId)
    .executeTakeFirstOrThrow();
  const total = Number(n);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const asked = idOf(options.page) ?? 1;
  const page = Math.min(asked, pageCount);
  const jobs = await db
    .selectFrom('document_jobs')
    .select(SUMMARY_COLUMNS)
    .where('partnership_id', '=', partnershipId)
    .orderBy('id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return { jobs, total, page, pageCount, pageSize };
}

/** The finished file; a ConflictError while the job is not done. */
export async function getDocumentFile(
  db: Kysely<Database>,
  partnershipId: number,
  id: number,
): Promise<{ fileName: string; contentType: string; content: Buffer }> {
  const job = await getDocumentJob(db, partnershipId, id);
  if (job.status !== 'done')
    throw new ConflictError(
      job.status === 'failed' ? `${job.title} could not be generated: ${job.error ?? 'unknown error'}` : `${job.title} is not ready yet`,
    );
  const row = await db
    .selectFrom('document_jobs')
    .select(['content'])
    .where('id', '=', id)
    .where('partnership_id', '=', partnershipId)
    .executeTakeFirstOrThrow();
  if (!row.content) throw new ConflictError(`${job.title} has no file`);
  return {
    fileName: job.file_name ?? 'document',
    contentType: job.content_type ?? 'application/octet-stream',
    content: Buffer.from(row.content),
  };
}

/** The parameters a job was asked with. */
export function jobParams(job: Pick<DocumentJob, 'params_json'>): DocumentParams {
  try {
    return JSON.parse(job.params_json) as DocumentParams;
  } catch {
    return {};
  }
}

// ---------- Used by the runner: claiming, progress and the outcome, each only while the runner holds the job ----------

/**
 * Fails the jobs whose instances kept stopping, then claims up to `limit` jobs (queued ones, and running ones
 * whose lease ran out), marking each started. Safe with several instances claiming at once.
 */
export async function claimDocumentJobs(db: Kysely<Database>, lease: LeaseSettings, limit: number): Promise<ClaimedJob[]> {
  const now = nowIso();
  await failExhaustedJobs(db, 'document_jobs', lease.maxAttempts, {
    error: exhaustedMessage(lease.maxAttempts),
    stage: 'Failed',
    finished_at: now,
    heartbeat_at: now,
  });
  const claimed = await claimJobs(db, 'document_jobs', lease, limit, {
    started_at: now,
    heartbeat_at: now,
    progress: 5,
    stage: 'Starting',
  });
  for (const job of claimed.filter((j) => j.attempts > 1)) {
    await setProgress(
      db,
      job.id,
      lease.holder,
      5,
      `Starting again after the server generating it stopped (attempt ${job.attempts} of ${lease.maxAttempts})`,
    );
  }
  return claimed;
}

/** Renews this runner's lease on the jobs it is generating (its heartbeat); returns those it still holds. */
export async function touchJobs(
  db: Kysely<Database>,
  lease: Pick<LeaseSettings, 'holder' | 'leaseMs'>,
  ids: readonly number[],
): Promise<number[]> {
  return renewLeases(db, 'document_jobs', lease, ids, { heartbeat_at: nowIso() });
}

/** Hands jobs back to the queue for another instance (this one is stopping, or lost its database meanwhile). */
export async function releaseDocumentJobs(
  db: Kysely<Database>,
  holder: string,
  ids: readonly number[],
  options: { countAttempt: boolean },
): Promise<void> {
  await releaseJobs(db, 'document_jobs', holder, ids, {
    countAttempt: options.countAttempt,
    extra: { progress: 0, stage: 'Waiting to start again', heartbeat_at: nowIso() },
  });
}

/** The job's progress while this runner holds it. */
export async function setProgress(db: Kysely<Database>, id: number, holder: string, progress: number, stage: string): Promise<void> {
  await db
    .updateTable('document_jobs')
    .set({ progress: Math.max(0, Math.min(99, Math.round(progress))), stage, heartbeat_at: nowIso() })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('claimed_by', '=', holder)
    .execute();
}

/** Keeps the finished file, if this runner still holds the job; false when another instance took it over. */
export async function completeJob(
  db: Kysely<Database>,
  id: number,
  holder: string,
  file: { fileName: string; contentType: string; content: Buffer },
): Promise<boolean> {
  const now = nowIso();
  const r = await db
    .updateTable('document_jobs')
    .set({
      status: 'done',
      progress: 100,
      stage: 'Finished',
      finished_at: now,
      heartbeat_at: now,
      claimed_by: null,
      lease_expires_at: null,
      file_name: file.fileName,
      content_type: file.contentType,
      size_bytes: file.content.length,
      content: file.content,
    })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('claimed_by', '=', holder)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Fails the job with a reason for the person who asked, if this runner still holds it. */
export async function failJob(db: Kysely<Database>, id: number, holder: string, message: string): Promise<void> {
  const now = nowIso();
  await db
    .updateTable('document_jobs')
    .set({
      status: 'failed',
      error: message.slice(0, 2000),
      stage: 'Failed',
      finished_at: now,
      heartbeat_at: now,
      claimed_by: null,
      lease_expires_at: null,
    })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('claimed_by', '=', holder)
    .execute();
}

/** '1.2 MB', '830 KB', '512 bytes'. */
export function sizeText(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toLocaleString('en-GB', { maximumFractionDigits: 1 })} MB`;
}

export { ValidationError };

/** The shared queue of document jobs, for metrics: how many wait, how many run, and how long the oldest has waited. */
export async function documentQueueStats(
  db: Kysely<Database>,
  now = Date.now(),
): Promise<{ queued: number; running: number; oldestQueuedSeconds: number }> {
  const rows = await db
    .selectFrom('document_jobs')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('status', 'in', ['queued', 'running'])
    .groupBy('status')
    .execute();
  const queued = rows.find((r) => r.status === 'queued');
  const running = rows.find((r) => r.status === 'running');
  const oldest = queued?.oldest ? Date.parse(String(queued.oldest)) : NaN;
  return {
    queued: Number(queued?.n ?? 0),
    running: Number(running?.n ?? 0),
    oldestQueuedSeconds: Number.isFinite(oldest) ? Math.max(0, (now - oldest) / 1000) : 0,
  };
}

/**
 * Retention: deletes generated documents (job and file) that finished, done or failed, more than `days` days ago,
 * in every partnership; returns how many. The audit trail keeps the record that they were asked for.
 */
export async function deleteOldDocuments(db: Kysely<Database>, days: number, now = Date.now()): Promise<number> {
  if (days <= 0) return 0;
  const cutoff = new Date(now - days * 86_400_000).toISOString();
  const r = await db
    .deleteFrom('document_jobs')
    .where('status', 'in', ['done', 'failed'])
    .where('finished_at', '<', cutoff)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The meeting packs generated for one meeting, newest first (at most `limit`). */
export async function listMeetingPacks(
  db: Kysely<Database>,
  partnershipId: number,
  meetingId: number,
  limit = 5,
): Promise<DocumentJobSummary[]> {
  return db
    .selectFrom('document_jobs')
    .select(SUMMARY_COLUMNS)
    .where('partnership_id', '=', partnershipId)
    .where('kind', '=', 'meeting_pack')
    .where('params_json', '=', JSON.stringify({ meetingId }))
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
