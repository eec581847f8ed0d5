/**
 * Background jobs kept as rows and claimed with a lease, so that any instance of the app can take up a job and a
 * job whose instance stopped (killed, crashed, its machine gone) is taken up again by another one (decision 0011).
 *
 * A job row has `status` ('queued', 'running', 'done', 'failed'), `attempts`, `lease_expires_at` and `claimed_by`.
 * It is claimable when it is queued, or running with a lease that has run out; claiming sets it running, counts an
 * attempt and gives the claimer a lease, which the claimer renews while it works (a heartbeat). Whatever the
 * claimer writes afterwards is conditional on still holding the job (`claimed_by`), so an instance that lost its
 * lease (say, it stalled for longer than the lease) cannot overwrite the instance that took the job over. A job
 * that has run out of attempts is failed instead of claimed again.
 *
 * Claiming is safe with several instances: on PostgreSQL the candidates are picked with FOR UPDATE SKIP LOCKED (two
 * instances claiming at once take different jobs, neither waits for the other) inside the same UPDATE that claims
 * them; on SQLite one conditional UPDATE does it, writes to the file being one at a time. Times are the app's clock
 * as ISO-8601 text, like every timestamp in CSP Hub: instances' clocks must agree to well within a lease.
 *
 * Written against a table name so that other kinds of job (emails, imports) can use the same functions.
 *
 * Where the outside systems still to come belong: a job queue in this folder (src/adapters/jobs/) and a mailer in
 * src/adapters/mail/, each behind a small interface kept next to its implementation (as DocumentPrinter is in
 * src/adapters/chromium/), with services depending on the interface only.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { engineOf } from '../database/database.ts';
import type { Database } from '../database/schema.ts';

/** Tables of jobs with the lease columns. */
export type LeasedTable = 'document_jobs' | 'jobs';

export interface LeaseSettings {
  /** Who claims: one id per runner (host, process, random part), never reused. */
  holder: string;
  /** How long a claim lasts without being renewed. */
  leaseMs: number;
  /** Claims a job may have; one whose lease runs out after the last is failed. */
  maxAttempts: number;
}

/** Values for other columns of the table, set along with a change of lease. */
export type ExtraColumns = Record<string, string | number | null>;

export interface ClaimedJob {
  id: number;
  /** This claim's number: 1 the first time, 2 when taken up again after its holder stopped, ... */
  attempts: number;
}

const at = (ms: number) => new Date(Date.now() + ms).toISOString();

function assignments(extra: ExtraColumns): RawBuilder<unknown>[] {
  return Object.entries(extra).map(([column, value]) => sql`${sql.ref(column)} = ${value}`);
}

/** The condition for a job nobody holds: queued, or running with a lease that has run out. */
function claimable(now: string): RawBuilder<unknown> {
  return sql`(status = 'queued' or (status = 'running' and lease_expires_at < ${now}))`;
}

/** Claims up to `limit` claimable jobs, oldest first, that have attempts left; returns what was claimed. */
export async function claimJobs(
  db: Kysely<Database>,
  table: LeasedTable,
  lease: LeaseSettings,
  limit: number,
  extra: ExtraColumns = {},
): Promise<ClaimedJob[]> {
  if (limit <= 0) return [];
  const now = new Date().toISOString();
  const lock = engineOf(db) === 'postgres' ? sql`for update skip locked` : sql``;
  const set = [
    sql`status = 'running'`,
    sql`claimed_by = ${lease.holder}`,
    sql`lease_expires_at = ${at(lease.leaseMs)}`,
    sql`attempts = attempts + 1`,
    ...assignments(extra),
  ];
  const { rows } = await sql<ClaimedJob>`
    update ${sql.table(table)} set ${sql.join(set)}
    where id in (
      select id from ${sql.table(table)}
      where ${claimable(now)} and attempts < ${lease.maxAttempts}
      order by id
      limit ${limit}
      ${lock}
    )
    and ${claimable(now)}
    returning id, attempts`.execute(db);
  return rows.map((r) => ({ id: Number(r.id), attempts: Number(r.attempts) }));
}

/** Renews the lease on jobs this holder still holds; returns their ids (a job missing from them was lost). */
export async function renewLeases(
  db: Kysely<Database>,
  table: LeasedTable,
  lease: Pick<LeaseSettings, 'holder' | 'leaseMs'>,
  ids: readonly number[],
  extra: ExtraColumns = {},
): Promise<number[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<{ id: number }>`
    update ${sql.table(table)} set ${sql.join([sql`lease_expires_at = ${at(lease.leaseMs)}`, ...assignments(extra)])}
    where id in (${sql.join([...ids])}) and status = 'running' and claimed_by = ${lease.holder}
    returning id`.execute(db);
  return rows.map((r) => Number(r.id));
}

/**
 * Gives jobs back to the queue (this instance is stopping, or lost the database while working on them) so that
 * another instance, or this one restarted, takes them up. The attempt is not counted when `countAttempt` is false.
 */
export async function releaseJobs(
  db: Kysely<Database>,
  table: LeasedTable,
  holder: string,
  ids: readonly number[],
  options: { countAttempt: boolean; extra?: ExtraColumns },
): Promise<void> {
  if (ids.length === 0) return;
  const set = [
    sql`status = 'queued'`,
    sql`claimed_by = ${null}`,
    sql`lease_expires_at = ${null}`,
    ...(options.countAttempt ? [] : [sql`attempts = attempts - 1`]),
    ...assignments(options.extra ?? {}),
  ];
  await sql`update ${sql.table(table)} set ${sql.join(set)} where id in (${sql.join([...ids])}) and status = 'running' and claimed_by = ${holder}`.execute(
    db,
  );
}

/** Fails the claimable jobs that have no attempts left, setting `extra` (the reason); returns how many. */
export async function failExhaustedJobs(
  db: Kysely<Database>,
  table: LeasedTable,
  maxAttempts: number,
  extra: ExtraColumns,
): Promise<number> {
  const now = new Date().toISOString();
  const set = [sql`status = 'failed'`, sql`claimed_by = ${null}`, sql`lease_expires_at = ${null}`, ...assignments(extra)];
  const result = await sql`update ${sql.table(table)} set ${sql.join(set)} where ${claimable(now)} and attempts >= ${maxAttempts}`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0);
}
