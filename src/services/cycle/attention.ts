/**
 * "Needs my attention" (issue 14): what is the signed-in person's to do in a partnership, each with the page to act
 * on it: figures of the indicators they (or their organisation) own that are due or overdue by the collection
 * calendar, their open meeting actions due soon or overdue, and what waits on their role: draft plan versions for
 * those who approve plans, scrutiny recommendations still without a response for those who answer them.
 */
import type { Kysely } from 'kysely';
import type { Database, Role } from '../../adapters/database/schema.ts';
import { todayIso } from '../../adapters/clock.ts';
import { formatPeriodLabel } from '../../domain/index.ts';
import { addDays } from '../../domain/workingDays.ts';
import { planName } from '../../domain/planNames.ts';
import { periodLabel } from '../plans/plans.ts';
import { can } from '../partnerships/authorisation.ts';
import { listActions } from '../meetings/actions.ts';
import { myWork } from './collection.ts';

/** An open action shows when it is due within this many days, or overdue. */
export const ACTION_ATTENTION_DAYS = 14;

export interface AttentionItem {
  kind: 'figure' | 'action' | 'plan-approval' | 'scrutiny-response';
  title: string;
  /** 'overdue', 'due' (soon) or 'waiting' (on the person's decision). */
  status: 'overdue' | 'due' | 'waiting';
  /** The date it is (or was) due, when it has one. */
  dueDate: string | null;
  href: string;
}

export interface Attention {
  today: string;
  items: AttentionItem[];
  overdue: number;
}

/** Rows waiting on the person's decision, as items with no due date. */
function waiting<T>(rows: readonly T[], item: (row: T) => Pick<AttentionItem, 'kind' | 'title' | 'href'>): AttentionItem[] {
  return rows.map((r) => ({ ...item(r), status: 'waiting', dueDate: null }));
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
  const horizon = addDays(today, ACTION_ATTENTION_DAYS);
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
  const rank = { overdue: 0, due: 1, waiting: 2 } as const;
  items.sort(
    (a, b) => rank[a.status] - rank[b.status] || (a.dueDate ?? '').localeCompare(b.dueDate ?? '') || a.title.localeCompare(b.title),
  );
  return { today, items, overdue: items.filter((i) => i.status === 'overdue').length };
}
