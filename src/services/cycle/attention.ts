/**
 * "Needs my attention" (issue 14): what is the signed-in person's to do in a partnership, each with the page to act
 * on it: figures of the indicators they (or their organisation) own that are due or overdue by the collection
 * calendar, their delivery activities due a progress update, their red indicators whose latest period has no
 * commentary yet (due by the next meeting's paper deadline), their open meeting actions due soon or overdue, what
 * waits on their role (draft plan versions for those who approve plans, scrutiny recommendations still without a
 * response for those who answer them), the risks due a review that they own (and, for those who keep the plan, those
 * with no owner), and the next meeting.
 */
import type { Kysely } from 'kysely';
import type { Database, Role } from '../../adapters/database/schema.ts';
import { nowIso, todayIso } from '../../adapters/clock.ts';
import { formatPeriodLabel, monthOfTimestamp } from '../../domain/index.ts';
import { addDays } from '../../domain/workingDays.ts';
import { planName } from '../../domain/planNames.ts';
import { periodLabel } from '../plans/plans.ts';
import { can } from '../partnerships/authorisation.ts';
import { listActions } from '../meetings/actions.ts';
import { latestAgreedVersions, myWork, ACTIVITY_UPDATE_DAYS } from './collection.ts';
import { partnershipPerformance } from '../performance/performance.ts';
import { label } from '../performance/indicators.ts';
import { cachedForPartnership } from '../platform/snapshotCache.ts';

/** An open action (or a risk's review) shows when it is due within this many days, or overdue. */
export const ACTION_ATTENTION_DAYS = 14;

export interface AttentionItem {
  kind: 'figure' | 'activity' | 'commentary' | 'action' | 'plan-approval' | 'scrutiny-response' | 'risk-review' | 'meeting';
  title: string;
  /** 'overdue', 'due' (soon), 'waiting' (on the person's decision) or 'upcoming' (the next meeting, to know of). */
  status: 'overdue' | 'due' | 'waiting' | 'upcoming';
  /** The date it is (or was) due, when it has one. */
  dueDate: string | null;
  href: string;
}

export interface Attention {
  today: string;
  items: AttentionItem[];
  /** Items to do: all but the next meeting. */
  todo: number;
  overdue: number;
}

/** Rows waiting on the person's decision, as items with no due date. */
function waiting<T>(rows: readonly T[], item: (row: T) => Pick<AttentionItem, 'kind' | 'title' | 'href'>): AttentionItem[] {
  return rows.map((r) => ({ ...item(r), status: 'waiting', dueDate: null }));
}

/**
 * The partnership's red indicators whose latest period has no commentary yet. Working out every indicator's latest
 * performance is the dear part of the home page, so it is done once per data version of the partnership and month
 * (src/services/platform/snapshotCache.ts): figures, targets, indicators and commentary are all written with an
 * audit record, which raises the version, so a write is seen on the next view; the month is in the key because
 * indicators retired after a month drop out of the latest views when it ends.
 */
export async function redWithoutCommentary(
  db: Kysely<Database>,
  partnershipId: number,
): Promise<{ indicatorId: number; label: string; period: string }[]> {
  return cachedForPartnership(db, partnershipId, `red-without-commentary|${monthOfTimestamp(nowIso())}`, async () => {
    const red = (await partnershipPerformance(db, partnershipId, { latestOnly: true })).filter((p) => p.latest?.rag === 'red');
    if (red.length === 0) return [];
    const written = new Set(
      (
        await db
          .selectFrom('indicator_commentary')
          .select(['indicator_id', 'period'])
          .where('partnership_id', '=', partnershipId)
          .where('superseded_at', 'is', null)
          .execute()
      ).map((c) => `${c.indicator_id} ${c.period}`),
    );
    return red
      .filter((p) => !written.has(`${p.indicator.id} ${p.latest!.period}`))
      .map((p) => ({ indicatorId: p.indicator.id, label: label(p.indicator), period: p.latest!.period }));
  });
}

/**
 * Red indicators the person (or their organisation) owns whose latest period has no commentary yet: due by the next
 * meeting's paper deadline (the papers for the Board), when one is set.
 */
async function redAwaitingCommentary(
  db: Kysely<Database>,
  partnershipId: number,
  indicators: readonly { indicatorId: number }[],
  today: string,
): Promise<AttentionItem[]> {
  if (indicators.length === 0) return [];
  const base = `/partnerships/${partnershipId}`;
  const owned = new Set(indicators.map((i) => i.indicatorId));
  const red = (await redWithoutCommentary(db, partnershipId)).filter((r) => owned.has(r.indicatorId));
  if (red.length === 0) return [];
  // The next meeting whose papers are still to come in: red indicators' commentary is due by its deadline.
  const papers = await db
    .selectFrom('meetings')
    .select(['id', 'title', 'group_name', 'paper_deadline'])
    .where('partnership_id', '=', partnershipId)
    .where('paper_deadline', '>=', today)
    .orderBy('paper_deadline')
    .orderBy('id')
    .executeTakeFirst();
  return red.map((r) => ({
    kind: 'commentary',
    title: `Write the commentary on ${r.label}, red for ${formatPeriodLabel(r.period)}${papers ? `, for the papers of ${papers.group_name || papers.title}` : ''}`,
    status: 'due',
    dueDate: papers?.paper_deadline?.slice(0, 10) ?? null,
    href: `${base}/indicators/${r.indicatorId}/commentary?period=${encodeURIComponent(r.period)}`,
  }));
}

/**
 * Risks of each plan's latest agreed version whose review date is within ACTION_ATTENTION_DAYS or past: those the
 * person (or their organisation) owns, whatever their role, and, for those who keep the plan, those with no owner
 * who is a member (nobody else is reminded of them).
 */
async function risksDueReview(
  db: Kysely<Database>,
  partnershipId: number,
  who: { userId: number; organisationId: number | null; keepsPlan: boolean },
  today: string,
): Promise<AttentionItem[]> {
  const base = `/partnerships/${partnershipId}`;
  const latest = (await latestAgreedVersions(db, partnershipId)).map((v) => v.id);
  if (latest.length === 0) return [];
  const risks = await db
    .selectFrom('risks')
    .select(['id', 'priority_id', 'risk', 'review_date'])
    .where('partnership_id', '=', partnershipId)
    .where('plan_version_id', 'in', latest)
    .where('review_date', 'is not', null)
    .where('review_date', '<=', addDays(today, ACTION_ATTENTION_DAYS))
    .where((eb) =>
      eb.or([
        eb('owner_user_id', '=', who.userId),
        ...(who.organisationId === null ? [] : [eb('owner_organisation_id', '=', who.organisationId)]),
        ...(who.keepsPlan ? [eb('owner_user_id', 'is', null)] : []),
      ]),
    )
    .orderBy('review_date')
    .orderBy('id')
    .execute();
  return risks.map((r) => ({
    kind: 'risk-review',
    title: `Review the risk: ${r.risk.length > 80 ? `${r.risk.slice(0, 79)}…` : r.risk}`,
    status: r.review_date! < today ? 'overdue' : 'due',
    dueDate: r.review_date,
    href: `${base}/priorities/${r.priority_id}`,
  }));
}

/** The next meeting: one the person is to attend, else the partnership's next. */
async function nextMeeting(db: Kysely<Database>, partnershipId: number, userId: number, today: string): Promise<AttentionItem[]> {
  const base = `/partnerships/${partnershipId}`;
  const upcoming = db
    .selectFrom('meetings')
    .select(['meetings.id', 'meetings.title', 'meetings.group_name', 'meetings.starts_at'])
    .where('meetings.partnership_id', '=', partnershipId)
    .where('meetings.starts_at', '>=', today)
    .orderBy('meetings.starts_at')
    .orderBy('meetings.id');
  const meeting =
    (await upcoming
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('meeting_attendees')
            .select('meeting_attendees.id')
            .whereRef('meeting_attendees.meeting_id', '=', 'meetings.id')
            .where('meeting_attendees.user_id', '=', userId),
        ),
      )
      .executeTakeFirst()) ?? (await upcoming.executeTakeFirst());
  if (!meeting) return [];
  return [
    {
      kind: 'meeting',
      title: `Next meeting: ${meeting.title}${meeting.group_name && !meeting.title.includes(meeting.group_name) ? ` (${meeting.group_name})` : ''}, ${meeting.starts_at.slice(11, 16)}`,
      status: 'upcoming',
      dueDate: meeting.starts_at.slice(0, 10),
      href: `${base}/meetings/${meeting.id}`,
    },
  ];
}

/** Everything that needs the person's attention, overdue first, then by due date. */
export async function myAttention(
  db: Kysely<Database>,
  partnershipId: number,
  user: { id: number; role: Role },
  today: string = todayIso(),
): Promise<Attention> {
  const base = `/partnerships/${partnershipId}`;
  const work = await myWork(db, partnershipId, user.id, today);
  const items: AttentionItem[] = work.figures.map((f) => ({
    kind: 'figure',
    title: `Enter the figure of ${f.label} for ${formatPeriodLabel(f.period)}`,
    status: f.status === 'overdue' ? 'overdue' : 'due',
    dueDate: f.dueDate,
    href: `${base}/my-figures?period=${encodeURIComponent(f.period)}`,
  }));
  for (const a of work.activities) {
    const due = a.lastUpdate === null ? null : addDays(a.lastUpdate.slice(0, 10), ACTIVITY_UPDATE_DAYS);
    items.push({
      kind: 'activity',
      title: `Give a progress update on the activity: ${a.title}${a.lastUpdate === null ? ' (none yet)' : ''}`,
      status: 'due',
      dueDate: due,
      href: `${base}/activities/${a.activityId}`,
    });
  }
  const horizon = addDays(today, ACTION_ATTENTION_DAYS);
  items.push(...(await redAwaitingCommentary(db, partnershipId, work.indicators, today)));
  for (const a of await listActions(db, partnershipId, { ownerUserId: user.id, status: 'open' })) {
    if (a.due_date === null || a.due_date > horizon) continue;
    items.push({
      kind: 'action',
      title: a.group_name ? `Action for ${a.group_name}: ${a.title}` : `Action: ${a.title}`,
      status: a.overdue ? 'overdue' : 'due',
      dueDate: a.due_date,
      href: `${base}/actions/${a.id}`,
    });
  }
  if (can(user.role, 'plan.approve'))
    items.push(
      ...waiting(
        await db
          .selectFrom('plan_versions')
          .innerJoin('plans', 'plans.id', 'plan_versions.plan_id')
          .select(['plan_versions.id', 'plan_versions.label', 'plans.title', 'plans.start_year', 'plans.end_year'])
          .where('plan_versions.partnership_id', '=', partnershipId)
          .where('plan_versions.status', '=', 'draft')
          .orderBy('plan_versions.id')
          .execute(),
        (d) => ({
          kind: 'plan-approval',
          title: `Approve the draft ${planName(d.title, periodLabel(d.start_year, d.end_year), d.label)} when it is ready`,
          href: `${base}/plan-versions/${d.id}`,
        }),
      ),
    );
  if (can(user.role, 'scrutiny.write'))
    items.push(
      ...waiting(
        await db
          .selectFrom('scrutiny_recommendations')
          .select(['id', 'committee', 'received_on', 'recommendation'])
          .where('partnership_id', '=', partnershipId)
          .where('response_status', '=', 'awaiting')
          .orderBy('id')
          .execute(),
        (r) => ({
          kind: 'scrutiny-response',
          title: `Respond to the ${r.committee} recommendation of ${r.received_on}: ${r.recommendation.length > 80 ? `${r.recommendation.slice(0, 79)}…` : r.recommendation}`,
          href: `${base}/scrutiny/${r.id}`,
        }),
      ),
    );
  items.push(
    ...(await risksDueReview(
      db,
      partnershipId,
      { userId: user.id, organisationId: work.organisationId, keepsPlan: can(user.role, 'plan.write') },
      today,
    )),
  );
  items.push(...(await nextMeeting(db, partnershipId, user.id, today)));
  const rank = { overdue: 0, due: 1, waiting: 2, upcoming: 3 } as const;
  items.sort(
    (a, b) => rank[a.status] - rank[b.status] || (a.dueDate ?? '').localeCompare(b.dueDate ?? '') || a.title.localeCompare(b.title),
  );
  return {
    today,
    items,
    todo: items.filter((i) => i.status !== 'upcoming').length,
    overdue: items.filter((i) => i.status === 'overdue').length,
  };
}

export interface PartnershipAttention {
  partnership: { id: number; name: string; role: Role };
  attention: Attention;
}

/**
 * What needs the person's attention in each partnership they are a member of (by name), as on each partnership's
 * home page: their own page and their weekly digest. Only their memberships count, platform administrators too.
 */
export async function myAttentionEverywhere(
  db: Kysely<Database>,
  userId: number,
  today: string = todayIso(),
): Promise<PartnershipAttention[]> {
  const memberships = await db
    .selectFrom('memberships')
    .innerJoin('partnerships', 'partnerships.id', 'memberships.partnership_id')
    .select(['partnerships.id', 'partnerships.name', 'memberships.role'])
    .where('memberships.user_id', '=', userId)
    .orderBy('partnerships.name')
    .orderBy('partnerships.id')
    .execute();
  const out: PartnershipAttention[] = [];
  for (const m of memberships)
    out.push({
      partnership: { id: m.id, name: m.name, role: m.role },
      attention: await myAttention(db, m.id, { id: userId, role: m.role }, today),
    });
  return out;
}

/** The things to do and the overdue ones, added up over partnerships. */
export function attentionTotals(list: readonly PartnershipAttention[]): { todo: number; overdue: number } {
  return {
    todo: list.reduce((n, p) => n + p.attention.todo, 0),
    overdue: list.reduce((n, p) => n + p.attention.overdue, 0),
  };
}
