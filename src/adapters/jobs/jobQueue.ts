/**
 * The general job queue (table `jobs`, decision 0023): jobs are added once per `dedupe_key` (a second add of the
 * same key, say by another instance scheduling the same reminder, does nothing) and claimed with a lease as document
 * jobs are (jobLease.ts): on PostgreSQL with FOR UPDATE SKIP LOCKED, on SQLite by one conditional UPDATE (writes to
 * the file are one at a time). A job is claimable from its `run_at`; a failed attempt puts it back with `run_at`
 * moved later (backoff), and the last attempt fails it with its reason.
 */
import { sql, type Kysely } from 'kysely';
import { engineOf } from '../database/database.ts';
import type { Database } from '../database/schema.ts';
import type { ClaimedJob, LeaseSettings } from './jobLease.ts';

const at = (ms: number) => new Date(Date.now() + ms).toISOString();

/** Adds a job unless one with the same key exists; returns whether it was added. */
export async function addJob(
  db: Kysely<Database>,
  job: { kind: string; partnershipId: number | null; dedupeKey: string | null; payload: unknown; runAt?: string },
): Promise<boolean> {
  const now = new Date().toISOString();
  const result = await db
    .insertInto('jobs')
    .values({
      kind: job.kind,
      partnership_id: job.partnershipId,
      dedupe_key: job.dedupeKey,
      payload_json: JSON.stringify(job.payload),
      status: 'queued',
      run_at: job.runAt ?? now,
      lease_expires_at: null,
      claimed_by: null,
      last_error: null,
      created_at: now,
      finished_at: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Only jobs of these kinds, when given: each runner claims the kinds it knows how to do. */
function ofKinds(kinds: readonly string[] | undefined) {
  return kinds ? sql`kind in (${sql.join(kinds.length ? [...kinds] : [''])})` : sql`1 = 1`;
}

/**
 * Claims up to `limit` jobs that are due (queued from their run_at, or running with a lapsed lease) and have
 * attempts left; of these kinds only, when given.
 */
export async function claimDueJobs(
  db: Kysely<Database>,
  lease: LeaseSettings,
  limit: number,
  kinds?: readonly string[],
): Promise<ClaimedJob[]> {
  const now = new Date().toISOString();
  const claimable = sql`((status = 'queued' and run_at <= ${now}) or (status = 'running' and lease_expires_at < ${now})) and ${ofKinds(kinds)}`;
  const lock = engineOf(db) === 'postgres' ? sql`for update skip locked` : sql``;
  const { rows } = await sql<ClaimedJob>`
    update jobs set status = 'running', claimed_by = ${lease.holder}, lease_expires_at = ${at(lease.leaseMs)}, attempts = attempts + 1
    where id in (
      select id from jobs where ${claimable} and attempts < ${lease.maxAttempts} order by run_at, id limit ${limit} ${lock}
    ) and ${claimable}
    returning id, attempts`.execute(db);
  return rows.map((r) => ({ id: Number(r.id), attempts: Number(r.attempts) }));
}

/** Marks a job this holder still holds as done; false when it was lost to another instance. */
export async function finishJob(db: Kysely<Database>, holder: string, id: number): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set({ status: 'done', finished_at: new Date().toISOString(), lease_expires_at: null, last_error: null })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('claimed_by', '=', holder)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** After a failed attempt: back to the queue after a backoff (doubling from `baseMs`), or failed after the last attempt. */
export async function retryOrFailJob(
  db: Kysely<Database>,
  lease: LeaseSettings,
  job: ClaimedJob,
  reason: string,
  baseMs: number,
): Promise<'retry' | 'failed'> {
  const last = job.attempts >= lease.maxAttempts;
  await db
    .updateTable('jobs')
    .set(
      last
        ? { status: 'failed', last_error: reason, finished_at: new Date().toISOString(), lease_expires_at: null }
        : { status: 'queued', last_error: reason, run_at: at(baseMs * 2 ** (job.attempts - 1)), lease_expires_at: null, claimed_by: null },
    )
    .where('id', '=', job.id)
    .where('claimed_by', '=', lease.holder)
    .execute();
  return last ? 'failed' : 'retry';
}

/** Fails jobs (of these kinds, when given) whose lease lapsed after their last attempt (their instance died), giving the reason. */
export async function failAbandonedJobs(db: Kysely<Database>, maxAttempts: number, kinds?: readonly string[]): Promise<number> {
  const now = new Date().toISOString();
  const r = await db
    .updateTable('jobs')
    .set({
      status: 'failed',
      finished_at: now,
      lease_expires_at: null,
      last_error: 'The instance running this job stopped during its last attempt',
    })
    .where('status', '=', 'running')
    .where('lease_expires_at', '<', now)
    .where('attempts', '>=', maxAttempts)
    .$if(kinds !== undefined, (q) => q.where('kind', 'in', kinds!.length ? [...kinds!] : ['']))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The general queue by kind, for metrics: jobs due and waiting, scheduled for later, running, and the oldest wait. */
export interface JobKindStats {
  kind: string;
  /** Queued and due (run_at passed): waiting for an instance to claim them. */
  due: number;
  /** Queued for later (a retry's backoff, a reminder not yet due). */
  scheduled: number;
  running: number;
  /** Seconds since the longest-waiting due job became due; 0 when none is due. */
  oldestDueSeconds: number;
}

export async function jobQueueStats(db: Kysely<Database>, now = Date.now()): Promise<JobKindStats[]> {
  const nowText = new Date(now).toISOString();
  // The state is worked out in a subquery so the grouping names it once (PostgreSQL would not match two copies of the
  // same CASE, each with its own parameter).
  const { rows } = await sql<{ kind: string; state: string; n: number | string; oldest: string | null }>`
    select kind, state, count(*) as n, min(run_at) as oldest from (
      select kind, run_at, case when status = 'running' then 'running' when run_at <= ${nowText} then 'due' else 'scheduled' end as state
      from jobs where status in ('queued', 'running')
    ) as j group by kind, state`.execute(db);
  const byKind = new Map<string, JobKindStats>();
  for (const r of rows) {
    const stats = byKind.get(r.kind) ?? { kind: r.kind, due: 0, scheduled: 0, running: 0, oldestDueSeconds: 0 };
    const n = Number(r.n);
    if (r.state === 'running') stats.running += n;
    else if (r.state === 'scheduled') stats.scheduled += n;
    else {
      stats.due += n;
      const oldest = Date.parse(String(r.oldest));
      if (Number.isFinite(oldest)) stats.oldestDueSeconds = Math.max(0, (now - oldest) / 1000);
    }
    byKind.set(r.kind, stats);
  }
  return [...byKind.values()].sort((a, b) => a.kind.localeCompare(b.kind));
}
