/**
 * The targets of a plan version (decision 0014). Indicator targets live with the indicators, not the plan, so a
 * version knows its targets in one of two ways:
 * - once approved, the targets recorded at approval: a copy, in plan_version_targets, of every target then held for
 *   the indicators serving its priorities (recordVersionTargets, called by approveVersion in its transaction);
 * - while draft (or approved before targets were recorded), the targets held now.
 * An indicator serves a priority when it is linked to the priority or one of its objectives, or to the priority
 * (or objective) it was copied from at a refresh, and so on back: links made once carry on through the refreshes.
 * compareTargetSets says, per priority and indicator, which targets were added, removed or changed.
 */
import type { Kysely } from 'kysely';
import type { Database, IndicatorTarget, PlanVersion, TargetFields, TargetKind } from '../../adapters/database/schema.ts';
import { formatPeriodLabel } from '../../domain/index.ts';
import { label as indicatorLabel, TARGET_KIND_LABELS, targetText } from '../performance/indicators.ts';
import type { PlanDocument } from './plans.ts';

/** One target of an indicator serving one priority of a version. */
export interface VersionTarget extends TargetFields {
  priorityId: number;
  indicatorId: number | null;
  indicatorLabel: string;
}

export interface VersionTargets {
  /** 'recorded': as recorded when the version was approved; 'current': the targets held now. */
  source: 'recorded' | 'current';
  recordedAt: string | null;
  targets: VersionTarget[];
}

/** Each id's chain of copies back to the first: id, the id it was copied from, that one's, and so on. */
function lineage(id: number, copiedFrom: Map<number, number | null>): number[] {
  const out = [id];
  const seen = new Set(out);
  let cursor = copiedFrom.get(id) ?? null;
  while (cursor !== null && !seen.has(cursor)) {
    out.push(cursor);
    seen.add(cursor);
    cursor = copiedFrom.get(cursor) ?? null;
  }
  return out;
}

/** The ids of the indicators serving each priority of the version (linked to it, one of its objectives, or what they were copied from). */
export async function servingIndicators(db: Kysely<Database>, partnershipId: number, doc: PlanDocument): Promise<Map<number, Set<number>>> {
  const out = new Map<number, Set<number>>();
  if (doc.priorities.length === 0) return out;
  const versionIds = (
    await db
      .selectFrom('plan_versions')
      .select('id')
      .where('partnership_id', '=', partnershipId)
      .where('plan_id', '=', doc.plan.id)
      .execute()
  ).map((v) => v.id);
  const priorities = await db
    .selectFrom('priorities')
    .select(['id', 'copied_from_priority_id'])
    .where('partnership_id', '=', partnershipId)
    .where('plan_version_id', 'in', versionIds)
    .execute();
  const pids = priorities.map((p) => p.id);
  const objectives = await db
    .selectFrom('objectives')
    .select(['id', 'copied_from_objective_id'])
    .where('partnership_id', '=', partnershipId)
    .where('priority_id', 'in', pids)
    .execute();
  const priorityCopies = new Map(priorities.map((p) => [p.id, p.copied_from_priority_id]));
  const objectiveCopies = new Map(objectives.map((o) => [o.id, o.copied_from_objective_id]));
  const links = await db
    .selectFrom('indicator_links')
    .select(['indicator_id', 'priority_id', 'objective_id'])
    .where('partnership_id', '=', partnershipId)
    .execute();
  for (const p of doc.priorities) {
    const priorityIds = new Set(lineage(p.id, priorityCopies));
    const objectiveIds = new Set(p.objectives.flatMap((o) => lineage(o.id, objectiveCopies)));
    out.set(
      p.id,
      new Set(
        links
          .filter(
            (l) =>
              (l.priority_id !== null && priorityIds.has(l.priority_id)) || (l.objective_id !== null && objectiveIds.has(l.objective_id)),
          )
          .map((l) => l.indicator_id),
      ),
    );
  }
  return out;
}

/** The targets held now for the indicators serving each priority of the version, in priority then indicator order. */
export async function currentTargets(db: Kysely<Database>, partnershipId: number, doc: PlanDocument): Promise<VersionTarget[]> {
  if (doc.priorities.length === 0) return [];
  const servingByPriority = await servingIndicators(db, partnershipId, doc);
  const indicators = await db
    .selectFrom('indicators')
    .select(['id', 'code', 'title'])
    .where('partnership_id', '=', partnershipId)
    .orderBy('code')
    .orderBy('title')
    .orderBy('id')
    .execute();
  const targets = await db.selectFrom('indicator_targets').selectAll().where('partnership_id', '=', partnershipId).orderBy('id').execute();

  const out: VersionTarget[] = [];
  for (const p of doc.priorities) {
    const serving = servingByPriority.get(p.id)!;
    for (const i of indicators.filter((x) => serving.has(x.id))) {
      for (const t of targets.filter((x) => x.indicator_id === i.id))
        out.push({ ...targetFields(t), priorityId: p.id, indicatorId: i.id, indicatorLabel: indicatorLabel(i) });
    }
  }
  return out;
}

function targetFields(
  t: Pick<IndicatorTarget, 'kind' | 'value' | 'direction' | 'rate_per' | 'comparison' | 'by_period' | 'span_from' | 'span_to' | 'note'>,
) {
  return {
    kind: t.kind,
    value: t.value === null ? null : Number(t.value),
    direction: t.direction,
    rate_per: t.rate_per === null ? null : Number(t.rate_per),
    comparison: t.comparison,
    by_period: t.by_period,
    span_from: t.span_from,
    span_to: t.span_to,
    note: t.note,
  };
}

/**
 * Records the targets in force for the version's indicators, replacing any recorded before, and stamps the version.
 * Call inside the transaction that approves the version. Returns what was recorded.
 */
export async function recordVersionTargets(
  trx: Kysely<Database>,
  partnershipId: number,
  doc: PlanDocument,
  at: string,
): Promise<VersionTarget[]> {
  const targets = await currentTargets(trx, partnershipId, doc);
  await trx
    .deleteFrom('plan_version_targets')
    .where('partnership_id', '=', partnershipId)
    .where('plan_version_id', '=', doc.version.id)
    .execute();
  if (targets.length) {
    await trx
      .insertInto('plan_version_targets')
      .values(
        targets.map((t) => ({
          plan_version_id: doc.version.id,
          partnership_id: partnershipId,
          priority_id: t.priorityId,
          indicator_id: t.indicatorId,
          indicator_label: t.indicatorLabel.slice(0, 400),
          ...targetFields(t),
          created_at: at,
        })),
      )
      .execute();
  }
  await trx
    .updateTable('plan_versions')
    .set({ targets_recorded_at: at })
    .where('id', '=', doc.version.id)
    .where('partnership_id', '=', partnershipId)
    .execute();
  return targets;
}

/** Forgets the targets recorded for a version (its approval was withdrawn): it follows the current targets again. */
export async function forgetVersionTargets(trx: Kysely<Database>, partnershipId: number, versionId: number): Promise<void> {
  await trx
    .deleteFrom('plan_version_targets')
    .where('partnership_id', '=', partnershipId)
    .where('plan_version_id', '=', versionId)
    .execute();
}

/** The version's targets: as recorded at approval when they were, otherwise the current ones. */
export async function versionTargets(db: Kysely<Database>, partnershipId: number, doc: PlanDocument): Promise<VersionTargets> {
  const v: PlanVersion = doc.version;
  if (v.targets_recorded_at === null) return { source: 'current', recordedAt: null, targets: await currentTargets(db, partnershipId, doc) };
  const order = new Map(doc.priorities.map((p, i) => [p.id, i]));
  const rows = await db
    .selectFrom('plan_version_targets')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('plan_version_id', '=', v.id)
    .orderBy('id')
    .execute();
  const targets = rows
    .map((r) => ({ ...targetFields(r), priorityId: r.priority_id, indicatorId: r.indicator_id, indicatorLabel: r.indicator_label }))
    .sort((a, b) => (order.get(a.priorityId) ?? 0) - (order.get(b.priorityId) ?? 0));
  return { source: 'recorded', recordedAt: v.targets_recorded_at, targets };
}

// ---------- Comparing two versions' targets ----------

export type TargetChangeKind = 'added' | 'removed' | 'changed';

export interface TargetSide {
  kind: TargetKind;
  kindLabel: string;
  /** "Reduce by 5% by 2009/10" */
  text: string;
  period: string;
}

export interface TargetChange {
  kind: TargetChangeKind;
  /** The period the target is for, after the change when it has one ("2010/11", "April 2008 to March 2011"). */
  period: string;
  before: TargetSide | null;
  after: TargetSide | null;
  /** What changed, in words: "Value 5 → 10", "Period 2009/10 → 2010/11". */
  details: string[];
}

export interface IndicatorTargetChanges {
  indicator: string;
  changes: TargetChange[];
}

export interface PriorityTargetChanges {
  /** The priority's title (in the newer version when it is in both). */
  priority: string;
  indicators: IndicatorTargetChanges[];
}

export interface TargetComparison {
  from: Omit<VersionTargets, 'targets'>;
  to: Omit<VersionTargets, 'targets'>;
  priorities: PriorityTargetChanges[];
  counts: Record<TargetChangeKind | 'unchanged', number>;
}

export function targetPeriod(t: Pick<VersionTarget, 'by_period' | 'span_from' | 'span_to'>): string {
  const label = (key: string) => {
    try {
      return formatPeriodLabel(key);
    } catch {
      return key;
    }
  };
  if (t.span_from && t.span_to) return `${label(t.span_from)} to ${label(t.span_to)}`;
  if (t.by_period) return label(t.by_period);
  return 'No period set';
}

function side(t: VersionTarget): TargetSide {
  return {
    kind: t.kind,
    kindLabel: TARGET_KIND_LABELS[t.kind],
    text: targetText(t as unknown as IndicatorTarget),
    period: targetPeriod(t),
  };
}

const periodKey = (t: VersionTarget) =>
  t.span_from || t.span_to ? `span:${t.span_from ?? ''}:${t.span_to ?? ''}` : `by:${t.by_period ?? ''}`;

function differences(a: VersionTarget, b: VersionTarget): string[] {
  const d: string[] = [];
  const show = (x: string | number | null) => (x === null || x === '' ? 'none' : typeof x === 'number' ? x.toLocaleString('en-GB') : x);
  if (a.kind !== b.kind) d.push(`Kind ${TARGET_KIND_LABELS[a.kind]} → ${TARGET_KIND_LABELS[b.kind]}`);
  if (a.value !== b.value) d.push(`Value ${show(a.value)} → ${show(b.value)}`);
  if (a.direction !== b.direction) d.push(`Direction ${show(a.direction)} → ${show(b.direction)}`);
  if (a.rate_per !== b.rate_per) d.push(`Rate per ${show(a.rate_per)} → ${show(b.rate_per)}`);
  if (a.comparison !== b.comparison) d.push(`Comparison ${show(a.comparison)} → ${show(b.comparison)}`);
  if (targetPeriod(a) !== targetPeriod(b)) d.push(`Period ${targetPeriod(a)} → ${targetPeriod(b)}`);
  if (a.note !== b.note) d.push('Note changed');
  return d;
}

/** Pairs one indicator's targets on each side by period; an indicator's only target on each side is the same target, whatever its period. */
function pairTargets(older: VersionTarget[], newer: VersionTarget[]): { a: VersionTarget | null; b: VersionTarget | null }[] {
  const left = [...older];
  const pairs: { a: VersionTarget | null; b: VersionTarget | null }[] = [];
  const unmatched: VersionTarget[] = [];
  for (const b of newer) {
    const i = left.findIndex((a) => periodKey(a) === periodKey(b));
    if (i >= 0) pairs.push({ a: left.splice(i, 1)[0]!, b });
    else unmatched.push(b);
  }
  if (older.length === 1 && newer.length === 1 && unmatched.length === 1 && left.length === 1)
    pairs.push({ a: left.pop()!, b: unmatched.pop()! });
  for (const b of unmatched) pairs.push({ a: null, b });
  for (const a of left) pairs.push({ a, b: null });
  return pairs;
}

const indicatorKey = (t: VersionTarget) => (t.indicatorId !== null ? `id:${t.indicatorId}` : `label:${t.indicatorLabel}`);

/**
 * What changed in the targets of the indicators serving each priority, between an older and a newer version. The
 * priorities come paired (the same priority in both, or only in one) in the order the plan comparison lists them.
 */
export function compareTargetSets(
  older: VersionTargets,
  newer: VersionTargets,
  priorities: { a: { id: number; title: string } | null; b: { id: number; title: string } | null }[],
): TargetComparison {
  const counts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  const result: PriorityTargetChanges[] = [];
  for (const { a, b } of priorities) {
    const olderTargets = a ? older.targets.filter((t) => t.priorityId === a.id) : [];
    const newerTargets = b ? newer.targets.filter((t) => t.priorityId === b.id) : [];
    const keys = [...new Set([...newerTargets, ...olderTargets].map(indicatorKey))];
    const indicators: IndicatorTargetChanges[] = [];
    for (const key of keys) {
      const before = olderTargets.filter((t) => indicatorKey(t) === key);
      const after = newerTargets.filter((t) => indicatorKey(t) === key);
      const changes: TargetChange[] = [];
      for (const pair of pairTargets(before, after)) {
        if (pair.a && pair.b) {
          const details = differences(pair.a, pair.b);
          if (details.length === 0) {
            counts.unchanged += 1;
            continue;
          }
          changes.push({ kind: 'changed', period: targetPeriod(pair.b), before: side(pair.a), after: side(pair.b), details });
        } else if (pair.b) changes.push({ kind: 'added', period: targetPeriod(pair.b), before: null, after: side(pair.b), details: [] });
        else if (pair.a) changes.push({ kind: 'removed', period: targetPeriod(pair.a), before: side(pair.a), after: null, details: [] });
      }
      for (const c of changes) counts[c.kind] += 1;
      if (changes.length) indicators.push({ indicator: (after[0] ?? before[0])!.indicatorLabel, changes });
    }
    if (indicators.length) result.push({ priority: (b ?? a)!.title, indicators });
  }
  const meta = (v: VersionTargets) => ({ source: v.source, recordedAt: v.recordedAt });
  return { from: meta(older), to: meta(newer), priorities: result, counts };
}
