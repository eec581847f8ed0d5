/**
 * Reminders and chasers (decision 0023): every instance, every few seconds, schedules an email job for each figure
 * an owner with an account has due within a few working days (a reminder) or overdue (a chaser), once per figure
 * (the job's dedupe key), then claims due jobs with a lease and sends them through the Mailer, keeping each email
 * in the outbox. Two instances scheduling and claiming at once send each reminder once; a failed send is retried
 * with a doubling backoff, and a job whose instance died is taken up again when its lease lapses. While sending
 * a batch the runner renews the leases of the jobs it still holds (a heartbeat), so a slow SMTP server does not let
 * another instance take a job over and send it a second time.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import os from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import { todayIso } from '../../adapters/clock.ts';
import { addJob, claimDueJobs, failAbandonedJobs, finishJob, retryOrFailJob } from '../../adapters/jobs/jobQueue.ts';
import { renewLeases, type ClaimedJob, type LeaseSettings } from '../../adapters/jobs/jobLease.ts';
import type { Mailer, OutgoingEmail } from '../../adapters/mail/mailer.ts';
import { addDays, workingDaysBetween } from '../../domain/workingDays.ts';
import { formatPeriodLabel } from '../../domain/index.ts';
import { partnershipCollection } from './collection.ts';
import { myAttentionEverywhere } from './attention.ts';
import { recordAudit } from '../platform/audit.ts';

/** A reminder goes out when a figure is due within this many working days. */
export const REMINDER_WORKING_DAYS = 3;

/** Jobs an instance claims in one round (every few seconds). */
export const JOBS_PER_ROUND = 50;

interface EmailPayload extends OutgoingEmail {
  partnershipId: number | null;
  /** A secret in the text (a password reset link): kept out of the outbox once sent, and out of the job afterwards. */
  withhold?: string;
}

/** The unsubscribe link's token: an HMAC of the person's id with the app's secret, so the link needs no sign-in. */
export function unsubscribeToken(secret: string, userId: number): string {
  return createHmac('sha256', secret).update(`unsubscribe:${userId}`).digest('hex').slice(0, 40);
}

/** Turns a person's reminders and chasers off (unsubscribe link) or on (account page); false for a wrong link. */
export async function setEmailReminders(
  db: Kysely<Database>,
  userId: number,
  on: boolean,
  check?: { secret: string; token: string },
): Promise<boolean> {
  return setEmailPreference(db, userId, 'reminders', on, check);
}

const PREFERENCES = {
  reminders: { column: 'email_reminders', on: 'Turned email reminders on', off: 'Unsubscribed from email reminders' },
  digest: { column: 'weekly_digest', on: 'Asked for the weekly digest', off: 'Stopped the weekly digest' },
} as const;

/** Turns one of a person's optional emails on or off, checking the unsubscribe link's token when given. */
export async function setEmailPreference(
  db: Kysely<Database>,
  userId: number,
  which: keyof typeof PREFERENCES,
  on: boolean,
  check?: { secret: string; token: string },
): Promise<boolean> {
  if (check) {
    const expected = Buffer.from(unsubscribeToken(check.secret, userId));
    const given = Buffer.from(check.token);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
  }
  const pref = PREFERENCES[which];
  const user = await db.selectFrom('users').select(['id', 'email', pref.column]).where('id', '=', userId).executeTakeFirst();
  if (!user) return false;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ [pref.column]: on ? 1 : 0 })
      .where('id', '=', userId)
      .execute();
    await recordAudit(
      trx,
      { userId, label: user.email },
      {
        partnershipId: null,
        action: 'update',
        entityType: 'user',
        entityId: userId,
        summary: on ? pref.on : pref.off,
        before: { [pref.column]: (user as Record<string, unknown>)[pref.column] },
        after: { [pref.column]: on ? 1 : 0 },
      },
    );
  });
  return true;
}

/** The Monday of the week holding a date ('2026-12-02', a Wednesday -> '2026-11-30'). */
export function weekStart(date: string): string {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay();
  return addDays(date, -((day + 6) % 7));
}

/**
 * Schedules the weekly digest of each person who asked for it: what needs their attention in each of their
 * partnerships (as on their home page), once per person and week (the first round of the week sends it), and
 * nothing in a week when nothing needs them. Returns how many jobs were added.
 */
export async function scheduleDigests(db: Kysely<Database>, options: { baseUrl: string; secret: string; today: string }): Promise<number> {
  const week = weekStart(options.today);
  const people = await db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('weekly_digest', '=', 1)
    .where('disabled', '=', 0)
    .orderBy('id')
    .execute();
  let added = 0;
  for (const person of people) {
    const key = `digest:${person.id}:${week}`;
    if (await db.selectFrom('jobs').select('id').where('dedupe_key', '=', key).executeTakeFirst()) continue;
    const sections: string[] = [];
    let count = 0;
    for (const { partnership, attention } of await myAttentionEverywhere(db, person.id, options.today)) {
      if (attention.todo === 0) continue;
      count += attention.todo;
      sections.push(
        `${partnership.name} (${attention.todo}, ${attention.overdue} overdue):`,
        ...attention.items.map(
          (i) =>
            `- ${i.status === 'overdue' ? 'OVERDUE: ' : ''}${i.title}${i.dueDate ? ` (${i.status === 'upcoming' ? 'on' : 'due'} ${longDate(i.dueDate)})` : ''}\n  ${options.baseUrl}${i.href}`,
        ),
        '',
      );
    }
    if (count === 0) continue;
    const queued = await queueEmail(db, options, {
      partnershipId: null,
      userId: person.id,
      to: person.email,
      key,
      subject: `Your week in CSP Hub: ${count} thing${count === 1 ? '' : 's'} need${count === 1 ? 's' : ''} your attention`,
      lines: [`Hello ${person.name},`, '', `What needs your attention in the week of ${longDate(week)}:`, '', ...sections],
      why: 'You receive this weekly digest because you asked for it. To stop it:',
      unsubscribeSuffix: '/digest',
    });
    if (queued) added += 1;
  }
  return added;
}

const longDate = (d: string) =>
  new Date(`${d}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

interface QueuedEmail {
  partnershipId: number | null;
  userId: number;
  to: string;
  /** The job's dedupe key: an email already queued under it is not queued again. */
  key: string;
  subject: string;
  /** The text before the closing lines (why the person receives it, and the unsubscribe link). */
  lines: string[];
  why: string;
  /** Added to the unsubscribe link ('/digest' for the weekly digest). */
  unsubscribeSuffix?: string;
}

/** Queues an email to a person, ending with their unsubscribe link (also its List-Unsubscribe header); true when new. */
async function queueEmail(db: Kysely<Database>, options: { baseUrl: string; secret: string }, email: QueuedEmail): Promise<boolean> {
  const unsubscribe = `${options.baseUrl}/unsubscribe/${email.userId}/${unsubscribeToken(options.secret, email.userId)}${email.unsubscribeSuffix ?? ''}`;
  const payload: EmailPayload = {
    partnershipId: email.partnershipId,
    to: email.to,
    subject: email.subject,
    text: [...email.lines, email.why, unsubscribe].join('\n'),
    headers: { 'List-Unsubscribe': `<${unsubscribe}>` },
  };
  return addJob(db, { kind: 'email', partnershipId: email.partnershipId, dedupeKey: email.key, payload });
}

/**
 * Schedules a reminder for each open meeting action due within a few working days, and a chaser once it is
 * overdue, to its owner when they have an account, are still a member and have not unsubscribed; once per action,
 * owner and due date (a new due date gets its own). Returns how many jobs were added.
 */
export async function scheduleActionReminders(
  db: Kysely<Database>,
  options: { baseUrl: string; secret: string; today: string; unsubscribed: ReadonlySet<number> },
): Promise<number> {
  const { today } = options;
  const rows = await db
    .selectFrom('meeting_actions')
    .innerJoin('users', 'users.id', 'meeting_actions.owner_user_id')
    .innerJoin('memberships', (j) =>
      j
        .onRef('memberships.user_id', '=', 'meeting_actions.owner_user_id')
        .onRef('memberships.partnership_id', '=', 'meeting_actions.partnership_id'),
    )
    .innerJoin('partnerships', 'partnerships.id', 'meeting_actions.partnership_id')
    .select([
      'meeting_actions.id',
      'meeting_actions.partnership_id',
      'meeting_actions.title',
      'meeting_actions.group_name',
      'meeting_actions.due_date',
      'users.id as user_id',
      'users.name',
      'users.email',
      'partnerships.name as partnership_name',
    ])
    .where('meeting_actions.status', '!=', 'closed')
    .where('meeting_actions.due_date', 'is not', null)
    .orderBy('meeting_actions.id')
    .execute();
  let added = 0;
  for (const a of rows) {
    const due = a.due_date!;
    if (options.unsubscribed.has(a.user_id)) continue;
    const chaser = due < today;
    if (!chaser && workingDaysBetween(today, due) > REMINDER_WORKING_DAYS) continue;
    const link = `${options.baseUrl}/partnerships/${a.partnership_id}/actions/${a.id}`;
    const what = `The action "${a.title}"${a.group_name ? ` (${a.group_name})` : ''}`;
    const queued = await queueEmail(db, options, {
      partnershipId: a.partnership_id,
      userId: a.user_id,
      to: a.email,
      key: `${chaser ? 'action-chaser' : 'action-reminder'}:${a.partnership_id}:${a.id}:${due}:${a.user_id}`,
      subject: chaser ? `Overdue action: ${a.title}` : `Reminder: action due on ${longDate(due)}: ${a.title}`,
      lines: [
        `Hello ${a.name},`,
        '',
        chaser ? `${what} was due on ${longDate(due)} and is still open.` : `${what} is due on ${longDate(due)}.`,
        '',
        `Give an update or close it on its page in ${a.partnership_name}:`,
        link,
        '',
      ],
      why: 'You receive this because you own this action in CSP Hub. To stop reminders and chasers:',
    });
    if (queued) added += 1;
  }
  return added;
}

/**
 * Schedules a reminder before a meeting's paper deadline (within a few working days of it, up to the day itself)
 * for each agenda item that has no paper yet, to the member chosen as its presenter when they are still a member
 * and have not unsubscribed; once per item, presenter and deadline (a new deadline gets its own). Items presented
 * by someone without an account (free text only) get none: the meeting has no organiser account to fall back on.
 * Once the deadline has passed with still no paper, and until the meeting, the presenter gets one chaser instead
 * (dedupe key paper-chaser:..., so once across instances), linking to the item on the meeting's page.
 * Returns how many jobs were added.
 */
export async function schedulePaperReminders(
  db: Kysely<Database>,
  options: { baseUrl: string; secret: string; today: string; unsubscribed: ReadonlySet<number> },
): Promise<number> {
  const { today } = options;
  const rows = await db
    .selectFrom('meeting_agenda_items')
    .innerJoin('meetings', 'meetings.id', 'meeting_agenda_items.meeting_id')
    .innerJoin('users', 'users.id', 'meeting_agenda_items.presenter_user_id')
    .innerJoin('memberships', (j) =>
      j
        .onRef('memberships.user_id', '=', 'meeting_agenda_items.presenter_user_id')
        .onRef('memberships.partnership_id', '=', 'meeting_agenda_items.partnership_id'),
    )
    .innerJoin('partnerships', 'partnerships.id', 'meeting_agenda_items.partnership_id')
    .select([
      'meeting_agenda_items.id',
      'meeting_agenda_items.partnership_id',
      'meeting_agenda_items.title',
      'meetings.id as meeting_id',
      'meetings.title as meeting_title',
      'meetings.starts_at',
      'meetings.paper_deadline',
      'users.id as user_id',
      'users.name',
      'users.email',
      'partnerships.name as partnership_name',
    ])
    // Deadlines to come, and passed ones of meetings still to come (the chaser); a meeting held is left alone.
    .where('meetings.paper_deadline', 'is not', null)
    .where('meetings.starts_at', '>=', today)
    .where('users.disabled', '=', 0)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('meeting_papers')
            .select('meeting_papers.id')
            .whereRef('meeting_papers.agenda_item_id', '=', 'meeting_agenda_items.id'),
        ),
      ),
    )
    .orderBy('meeting_agenda_items.id')
    .execute();
  let added = 0;
  for (const item of rows) {
    const deadline = item.paper_deadline!;
    const chaser = deadline < today;
    if (options.unsubscribed.has(item.user_id)) continue;
    if (!chaser && workingDaysBetween(today, deadline) > REMINDER_WORKING_DAYS) continue;
    const meeting = `${item.meeting_title} on ${longDate(item.starts_at.slice(0, 10))}`;
    if (chaser) {
      if (await queueEmail(db, options, paperChaser(item, meeting, options.baseUrl))) added += 1;
      continue;
    }
    const link = `${options.baseUrl}/partnerships/${item.partnership_id}/meetings/${item.meeting_id}#papers`;
    const queued = await queueEmail(db, options, {
      partnershipId: item.partnership_id,
      userId: item.user_id,
      to: item.email,
      key: `paper-reminder:${item.partnership_id}:${item.id}:${deadline}:${item.user_id}`,
      subject: `Paper due by ${longDate(deadline)}: ${item.title}`,
      lines: [
        `Hello ${item.name},`,
        '',
        `You present "${item.title}" at ${meeting}. Its paper is due by ${longDate(deadline)} and none has been added yet.`,
        '',
        `Upload the paper or link it on the meeting's page in ${item.partnership_name}:`,
        link,
        '',
      ],
      why: 'You receive this because you present this agenda item in CSP Hub. To stop reminders and chasers:',
    });
    if (queued) added += 1;
  }
  return added;
}

/** The one chaser for an agenda item whose paper deadline has passed without a paper, linking to the item. */
function paperChaser(
  item: {
    id: number;
    partnership_id: number;
    meeting_id: number;
    title: string;
    paper_deadline: string | null;
    user_id: number;
    name: string;
    email: string;
    partnership_name: string;
  },
  meeting: string,
  baseUrl: string,
): QueuedEmail {
  const deadline = longDate(item.paper_deadline!);
  return {
    partnershipId: item.partnership_id,
    userId: item.user_id,
    to: item.email,
    key: `paper-chaser:${item.partnership_id}:${item.id}:${item.paper_deadline}:${item.user_id}`,
    subject: `Paper overdue: ${item.title}`,
    lines: [
      `Hello ${item.name},`,
      '',
      `The paper for "${item.title}", which you present at ${meeting}, was due by ${deadline} and none has been added yet.`,
      '',
      `Upload the paper or link it under the item on the meeting's page in ${item.partnership_name}:`,
      `${baseUrl}/partnerships/${item.partnership_id}/meetings/${item.meeting_id}#item-${item.id}`,
      '',
    ],
    why: 'This is the only chaser for this paper. You receive this because you present this agenda item in CSP Hub. To stop reminders and chasers:',
  };
}

/** Schedules the reminders and chasers due on `today` in every partnership; returns how many jobs were added. */
export async function scheduleReminders(
  db: Kysely<Database>,
  options: { baseUrl: string; secret: string; today?: string },
): Promise<number> {
  const today = options.today ?? todayIso();
  const unsubscribed = new Set((await db.selectFrom('users').select('id').where('email_reminders', '=', 0).execute()).map((u) => u.id));
  const partnerships = await db.selectFrom('partnerships').select(['id', 'name']).orderBy('id').execute();
  let added = 0;
  for (const p of partnerships) {
    const collection = await partnershipCollection(db, p.id, today);
    for (const i of collection.indicators) {
      if (i.ownerUserId === null || !i.ownerEmail || unsubscribed.has(i.ownerUserId)) continue;
      for (const f of i.expected) {
        if (f.status === 'received') continue;
        const chaser = f.status === 'overdue';
        if (!chaser && workingDaysBetween(today, f.dueDate) > REMINDER_WORKING_DAYS) continue;
        const link = `${options.baseUrl}/partnerships/${p.id}/my-figures`;
        const what = `${i.label} for ${formatPeriodLabel(f.period)}`;
        const queued = await queueEmail(db, options, {
          partnershipId: p.id,
          userId: i.ownerUserId,
          to: i.ownerEmail,
          key: `${chaser ? 'chaser' : 'reminder'}:${p.id}:${i.indicatorId}:${f.period}:${i.ownerUserId}`,
          subject: chaser ? `Overdue: ${what}` : `Reminder: ${what} is due on ${longDate(f.dueDate)}`,
          lines: [
            `Hello ${i.ownerName ?? ''},`.replace(' ,', ','),
            '',
            chaser
              ? `The figure of ${what} was due on ${longDate(f.dueDate)} and has not been entered yet.`
              : `The figure of ${what} is due on ${longDate(f.dueDate)}.`,
            '',
            `Enter it on your figures page for ${p.name}:`,
            link,
            '',
          ],
          why: 'You receive this because you own this indicator in CSP Hub. To stop reminders and chasers:',
        });
        if (queued) added += 1;
      }
    }
  }
  added += await scheduleActionReminders(db, { ...options, today, unsubscribed });
  added += await schedulePaperReminders(db, { ...options, today, unsubscribed });
  return added + (await scheduleDigests(db, { ...options, today }));
}

export interface CycleRunnerOptions {
  baseUrl: string;
  /** The app's secret (SESSION_SECRET), which signs unsubscribe links. */
  secret: string;
  leaseMs: number;
  pollMs: number;
  maxAttempts: number;
  /** First retry after this long, doubling each time. */
  backoffMs?: number;
  log?: (message: string, error?: unknown) => void;
}

/** Each instance's runner of reminders and email jobs. */
export class CycleRunner {
  readonly holder = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly mailer: Mailer,
    private readonly options: CycleRunnerOptions,
  ) {}

  private get lease(): LeaseSettings {
    return { holder: this.holder, leaseMs: this.options.leaseMs, maxAttempts: this.options.maxAttempts };
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(
      () => void this.tick().catch((e: unknown) => this.options.log?.('Reminder runner failed', e)),
      this.options.pollMs,
    );
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One round: schedule what is due today, fail abandoned jobs, send what is due. Rounds never overlap. */
  async tick(today?: string): Promise<{ scheduled: number; sent: number }> {
    while (this.running) await this.running;
    let result = { scheduled: 0, sent: 0 };
    this.running = (async () => {
      const scheduled = await scheduleReminders(this.db, { baseUrl: this.options.baseUrl, secret: this.options.secret, today });
      await failAbandonedJobs(this.db, this.options.maxAttempts, ['email']);
      // One claim a round: a job retried this round waits for the next one, whatever its backoff.
      const sent = await this.sendClaimed(await claimDueJobs(this.db, this.lease, JOBS_PER_ROUND, ['email']));
      result = { scheduled, sent };
    })();
    try {
      await this.running;
    } finally {
      this.running = null;
    }
    return result;
  }

  /**
   * Sends the claimed jobs one by one while renewing the leases of those not yet finished (a heartbeat every third
   * of a lease), so that a slow SMTP server cannot let a lease lapse and another instance send the same email. Just
   * before each send the job's lease is renewed once more and the job skipped if this instance no longer holds it
   * (it stalled for longer than a lease and another instance took the job over). Returns how many were sent.
   */
  private async sendClaimed(claimed: readonly ClaimedJob[]): Promise<number> {
    const pending = new Set(claimed.map((j) => j.id));
    const renew = () =>
      renewLeases(this.db, 'jobs', this.lease, [...pending]).catch((e: unknown) => {
        this.options.log?.('Could not renew the leases of email jobs', e);
        return [] as number[];
      });
    const heartbeat = setInterval(() => void renew(), Math.max(50, Math.floor(this.options.leaseMs / 3)));
    let sent = 0;
    try {
      for (const job of claimed) {
        const held = await renewLeases(this.db, 'jobs', this.lease, [job.id]);
        if (held.length === 1 && (await this.run(job))) sent += 1;
        pending.delete(job.id);
      }
    } finally {
      clearInterval(heartbeat);
    }
    return sent;
  }

  private async run(job: ClaimedJob): Promise<boolean> {
    const row = await this.db.selectFrom('jobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
    try {
      if (row.kind !== 'email') throw new Error(`Unknown kind of job "${row.kind}"`);
      const payload = JSON.parse(row.payload_json) as EmailPayload;
      const outcome = await this.mailer.send(payload);
      // A secret link stays in the outbox only when the outbox is how it is delivered (no SMTP server).
      const kept =
        payload.withhold && outcome.status === 'sent' ? payload.text.split(payload.withhold).join('[link withheld]') : payload.text;
      await this.db.transaction().execute(async (trx) => {
        if (!(await finishJob(trx, this.holder, job.id))) return;
        await trx
          .insertInto('emails')
          .values({
            job_id: job.id,
            partnership_id: payload.partnershipId,
            to_address: payload.to,
            subject: payload.subject,
            text_body: kept,
            status: outcome.status,
            message_id: outcome.messageId,
            created_at: new Date().toISOString(),
          })
          .execute();
        if (payload.withhold) await trx.updateTable('jobs').set({ payload_json: '{"withheld":true}' }).where('id', '=', job.id).execute();
      });
      return true;
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      const next = await retryOrFailJob(this.db, this.lease, job, reason, this.options.backoffMs ?? 60_000);
      this.options.log?.(`Job ${job.id} (${row.kind}) ${next === 'retry' ? 'will be retried' : 'failed'}: ${reason}`, e);
      return false;
    }
  }
}

/** The latest jobs and emails, for the administrators' outbox page. */
export async function outbox(db: Kysely<Database>, limit = 100) {
  const emails = await db.selectFrom('emails').selectAll().orderBy('id', 'desc').limit(limit).execute();
  const jobs = await db
    .selectFrom('jobs')
    .select([
      'id',
      'kind',
      'partnership_id',
      'dedupe_key',
      'status',
      'attempts',
      'run_at',
      'claimed_by',
      'last_error',
      'created_at',
      'finished_at',
    ])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return { emails, jobs };
}
