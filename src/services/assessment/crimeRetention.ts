/**
 * Retention of police.uk records (issue 19, decision 0053): with CRIME_RETENTION_MONTHS set, only the newest that
 * many months held are kept. Every instance's clean-up adds the day's retention job to the durable job queue (one
 * per day whichever instance adds it first: its dedupe key is the date) and claims due retention jobs with a lease,
 * so one instance does the work, and a job whose instance stopped is taken up again by another once its lease
 * runs out. The work itself drops the old months from the store (store.ts: partitions detached and dropped on
 * PostgreSQL, rows deleted in DuckDB) and records in the audit trail what went, with how many records. Running it
 * again finds nothing older to drop, records nothing, and changes nothing.
 *
 * The drop and its audit record are never apart (decision 0053):
 * - PostgreSQL store (in the app's own database): both in one transaction of the app's database, so an audit write
 *   that fails rolls the drop back, and the job's retry does it again, audited.
 * - DuckDB store (another engine: no transaction spans both): the drop is recorded in the DuckDB store in its own
 *   transaction (`retention_runs`), then audited in the app's database, then marked audited. A run whose audit write
 *   failed is audited by the next run (the job's retry, the next day's job, or any instance's), once: the audit
 *   record carries the run's id, and a run already audited is not audited again.
 *
 * Months are counted back from the newest month held, not from today: police.uk publishes each month some weeks
 * late, and a store that is no longer updated keeps the months its analyses show.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import {
  dropMonthsBefore,
  dropPgMonthsBefore,
  markRetentionRunAudited,
  newestMonthHeld,
  unauditedRetentionRuns,
  type CrimeStore,
  type DroppedMonths,
  type PgCrimeStore,
  type RetentionRun,
} from '../../adapters/crimeStore/store.ts';
import { CompiledQuery, sql } from 'kysely';
import { addJob, claimDueJobs, failAbandonedJobs, finishJob, retryOrFailJob } from '../../adapters/jobs/jobQueue.ts';
import type { LeaseSettings } from '../../adapters/jobs/jobLease.ts';
import { addMonths } from '../../domain/periods.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';

export const CRIME_RETENTION_JOB = 'crime-retention';

const RETENTION_ACTOR: Actor = { userId: null, label: 'system (CRIME_RETENTION_MONTHS)' };

/** The first month kept when the newest `keepMonths` months up to `newest` are kept. */
export function retentionCutoff(newest: string, keepMonths: number): string {
  return addMonths(newest, -(keepMonths - 1));
}

export interface RetentionOutcome extends DroppedMonths {
  /** The first month kept; null when the store holds nothing (or retention is off). */
  cutoff: string | null;
}

/**
 * Keeps the newest `keepMonths` months held in the store and drops the older ones, recording what was dropped in
 * the audit trail (nothing is recorded when nothing was dropped). `keepMonths` 0 keeps every month.
 */
export async function applyCrimeRetention(db: Kysely<Database>, store: CrimeStore, keepMonths: number): Promise<RetentionOutcome> {
  // Runs of the DuckDB store dropped before but not audited (the audit write failed): audited now, whatever else.
  for (const run of await unauditedRetentionRuns(store)) await auditRun(db, store, run);
  if (!(keepMonths > 0)) return { cutoff: null, months: [], records: 0 };
  const newest = await newestMonthHeld(store);
  if (!newest) return { cutoff: null, months: [], records: 0 };
  const cutoff = retentionCutoff(newest, keepMonths);
  if (store.engine === 'postgres' && (await inAppDatabase(db, store))) {
    // One transaction of the app's database: the drop is committed with its audit record, or not at all.
    const dropped = await db.transaction().execute(async (trx) => {
      const query = async <T>(text: string, values: unknown[] = []) => (await trx.executeQuery<T>(CompiledQuery.raw(text, values))).rows;
      const done = await dropPgMonthsBefore(query, cutoff);
      if (done.months.length > 0) await recordRetention(trx, keepMonths, cutoff, done);
      return done;
    });
    return { cutoff, ...dropped };
  }
  const { run, ...dropped } = await dropMonthsBefore(store, cutoff, { keepMonths });
  if (run) await auditRun(db, store, run);
  else if (dropped.months.length > 0) await recordRetention(db, keepMonths, cutoff, dropped);
  return { cutoff, ...dropped };
}

/** Whether the PostgreSQL store's tables are in the app's own database (as the app opens it), read on both connections. */
async function inAppDatabase(db: Kysely<Database>, store: PgCrimeStore): Promise<boolean> {
  const identity = `SELECT current_database() AS name, extract(epoch FROM pg_postmaster_start_time())::text AS started, inet_server_port() AS port`;
  try {
    const [ours, stores] = await Promise.all([sql.raw<Record<string, unknown>>(identity).execute(db), store.query(identity)]);
    return JSON.stringify(ours.rows[0]) === JSON.stringify(stores[0]);
  } catch {
    return false; // The app's database is not PostgreSQL.
  }
}

/**
 * Records a DuckDB retention run in the audit trail and marks it audited in the store. The audit record names the
 * run, so a run whose marking failed after its audit record was written is not audited twice.
 */
async function auditRun(db: Kysely<Database>, store: CrimeStore, run: RetentionRun): Promise<void> {
  const already = await db
    .selectFrom('audit_events')
    .select('id')
    .where('entity_type', '=', 'police_uk_months')
    .where('before_json', 'like', `%"run":"${run.id}"%`)
    .executeTakeFirst();
  if (!already) await recordRetention(db, run.keepMonths, run.cutoff, run, run.id);
  await markRetentionRunAudited(store, run.id);
}

async function recordRetention(
  db: Kysely<Database>,
  keepMonths: number,
  cutoff: string,
  dropped: DroppedMonths,
  run?: string,
): Promise<void> {
  const first = dropped.months[0]!;
  const last = dropped.months[dropped.months.length - 1]!;
  await recordAudit(db, RETENTION_ACTOR, {
    partnershipId: null,
    action: 'delete',
    entityType: 'police_uk_months',
    entityId: `before ${cutoff}`,
    summary: `Dropped the police.uk records of ${dropped.months.length === 1 ? first : `${first} to ${last}`} (${dropped.months.length} month${dropped.months.length === 1 ? '' : 's'}, ${dropped.records} records): CRIME_RETENTION_MONTHS keeps the newest ${keepMonths} months, from ${cutoff}`,
    before: { months: dropped.months, records: dropped.records, ...(run ? { run } : {}) },
  });
}

/** Adds today's retention job unless an instance already has (the date is its dedupe key); false when not added. */
export async function scheduleCrimeRetention(db: Kysely<Database>, keepMonths: number, now = new Date()): Promise<boolean> {
  if (!(keepMonths > 0)) return false;
  return addJob(db, {
    kind: CRIME_RETENTION_JOB,
    partnershipId: null,
    dedupeKey: `${CRIME_RETENTION_JOB}:${now.toISOString().slice(0, 10)}`,
    payload: { keepMonths },
  });
}

/**
 * Claims the due retention jobs (any instance's) and runs them on the store; a failure (say, the store's lock
 * could not be had within the lock timeout) puts the job back with a backoff, the last attempt fails it.
 * Returns the outcome of each job done here.
 */
export async function runCrimeRetentionJobs(
  db: Kysely<Database>,
  store: () => Promise<CrimeStore>,
  lease: LeaseSettings,
  options: { backoffMs?: number; log?: (message: string, err: unknown) => void } = {},
): Promise<RetentionOutcome[]> {
  await failAbandonedJobs(db, lease.maxAttempts, [CRIME_RETENTION_JOB]);
  const done: RetentionOutcome[] = [];
  for (const job of await claimDueJobs(db, lease, 1, [CRIME_RETENTION_JOB])) {
    try {
      const row = await db.selectFrom('jobs').select('payload_json').where('id', '=', job.id).executeTakeFirstOrThrow();
      const { keepMonths } = JSON.parse(row.payload_json) as { keepMonths: number };
      done.push(await applyCrimeRetention(db, await store(), keepMonths));
      await finishJob(db, lease.holder, job.id);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const next = await retryOrFailJob(db, lease, job, reason, options.backoffMs ?? 60_000);
      options.log?.(`Police.uk retention job ${job.id} ${next === 'retry' ? 'will be retried' : 'failed'}: ${reason}`, error);
    }
  }
  return done;
}
