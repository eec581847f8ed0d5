/**
 * What changed between two versions of a plan: priorities, objectives, cross-cutting themes, risks and funding
 * added, dropped, renamed or changed, and the targets of the indicators serving each priority (planTargets.ts). Items are matched through the copied_from_* links a refresh sets, followed
 * back through any versions in between, so a renamed priority is still the same priority.
 */
import type { Kysely } from 'kysely';
import type { Database, PlanVersion } from '../../adapters/database/schema.ts';
import { ValidationError } from '../../domain/errors.ts';
import { describeRiskScore } from '../../domain/riskScores.ts';
import { formatMoney, RISK_LEVEL_LABELS } from './planParts.ts';
import { getVersion, loadPlanDocument, otherVersions, type PlanDocument, type VersionWithPlan } from './plans.ts';
import { compareTargetSets, versionTargets, type TargetComparison, type VersionTargets } from './planTargets.ts';

export type ChangeKind = 'added' | 'dropped' | 'renamed' | 'changed' | 'unchanged';

export interface ItemChange {
  kind: ChangeKind;
  before: string | null;
  after: string | null;
  /** What else changed, in words: "Why it is a priority changed", "Severity Medium → High". */
  details: string[];
}

export interface PriorityChange extends ItemChange {
  objectives: ItemChange[];
}

export interface PlanComparison {
  from: PlanVersion;
  to: PlanVersion;
  text: { field: string; changed: boolean }[];
  priorities: PriorityChange[];
  themes: ItemChange[];
  risks: ItemChange[];
  funding: ItemChange[];
  counts: Record<ChangeKind, number>;
  /** Targets of the indicators serving each priority: added, removed or changed (decision 0014). */
  targets: TargetComparison;
}

interface Item {
  id: number;
  copiedFrom: number | null;
  title: string;
}

/** Pairs items of the older and newer lists by their copy links (through intermediate versions), in the newer order. */
function pair<A extends Item, B extends Item>(
  older: A[],
  newer: B[],
  ancestry: Map<number, number | null>,
): { a: A | null; b: B | null }[] {
  const olderById = new Map(older.map((o) => [o.id, o]));
  const used = new Set<number>();
  const pairs: { a: A | null; b: B | null }[] = [];
  for (const b of newer) {
    let cursor: number | null = b.copiedFrom;
    const seen = new Set<number>();
    while (cursor !== null && !olderById.has(cursor) && !seen.has(cursor)) {
      seen.add(cursor);
      cursor = ancestry.get(cursor) ?? null;
    }
    const a = cursor !== null ? olderById.get(cursor) : undefined;
    if (a && !used.has(a.id)) {
      used.add(a.id);
      pairs.push({ a, b });
    } else pairs.push({ a: null, b });
  }
  for (const a of older) if (!used.has(a.id)) pairs.push({ a, b: null });
  return pairs;
}

function change(a: Item | null, b: Item | null, details: string[]): ItemChange {
  if (!a) return { kind: 'added', before: null, after: b!.title, details: [] };
  if (!b) return { kind: 'dropped', before: a.title, after: null, details: [] };
  if (a.title !== b.title) return { kind: 'renamed', before: a.title, after: b.title, details };
  return { kind: details.length ? 'changed' : 'unchanged', before: a.title, after: b.title, details };
}

function differs(label: string, a: unknown, b: unknown, out: string[]): void {
  if ((a ?? '') !== (b ?? '')) out.push(`${label} changed`);
}

async function ancestryOf(db: Kysely<Database>, partnershipId: number, planId: number) {
  const versionIds = (
    await db.selectFrom('plan_versions').select('id').where('partnership_id', '=', partnershipId).where('plan_id', '=', planId).execute()
  ).map((v) => v.id);
  const priorities = await db
    .selectFrom('priorities')
    .select(['id', 'copied_from_priority_id'])
    .where('partnership_id', '=', partnershipId)
    .where('plan_version_id', 'in', versionIds)
    .execute();
  const pids = priorities.map((p) => p.id);
  const objectives = pids.length
    ? await db
        .selectFrom('objectives')
        .select(['id', 'copied_from_objective_id'])
        .where('partnership_id', '=', partnershipId)
        .where('priority_id', 'in', pids)
        .execute()
    : [];
  const themes = await db
    .selectFrom('cross_cutting_themes')
    .select(['id', 'copied_from_theme_id'])
    .where('partnership_id', '=', partnershipId)
    .where('plan_version_id', 'in', versionIds)
    .execute();
  const risks = await db
    .selectFrom('risks')
    .select(['id', 'copied_from_risk_id'])
    .where('partnership_id', '=', partnershipId)
    .where('plan_version_id', 'in', versionIds)
    .execute();
  const streams = await db
    .selectFrom('funding_streams')
    .select(['id', 'copied_from_stream_id'])
    .where('partnership_id', '=', partnershipId)
    .where('plan_version_id', 'in', versionIds)
    .execute();
  return {
    priority: new Map(priorities.map((r) => [r.id, r.copied_from_priority_id])),
    objective: new Map(objectives.map((r) => [r.id, r.copied_from_objective_id])),
    theme: new Map(themes.map((r) => [r.id, r.copied_from_theme_id])),
    risk: new Map(risks.map((r) => [r.id, r.copied_from_risk_id])),
    stream: new Map(streams.map((r) => [r.id, r.copied_from_stream_id])),
  };
}

/** Compares two versions of the same plan, older first. */
export async function compareVersions(
  db: Kysely<Database>,
  partnershipId: number,
  fromVersionId: number,
  toVersionId: number,
): Promise<PlanComparison> {
  const older = await loadPlanDocument(db, partnershipId, fromVersionId);
  const newer = await loadPlanDocument(db, partnershipId, toVersionId);
  if (older.plan.id !== newer.plan.id) throw new ValidationError([{ field: 'from', message: 'Choose two versions of the same plan' }]);
  if (older.version.id === newer.version.id)
    throw new ValidationError([{ field: 'from', message: 'Choose two different versions to compare' }]);
  const ancestry = await ancestryOf(db, partnershipId, older.plan.id);
  return compareDocuments(
    older,
    newer,
    ancestry,
    await versionTargets(db, partnershipId, older),
    await versionTargets(db, partnershipId, newer),
  );
}

/** A version compared with another: which, of the plan's other versions, and what changed (none without another version). */
export interface VersionComparison {
  version: VersionWithPlan;
  /** The plan's other versions, oldest first. */
  others: PlanVersion[];
  /** The version compared with, or null when there is none to compare with. */
  otherId: number | null;
  comparison: PlanComparison | null;
}

/**
 * Compares a version with another, whichever is older first: the one asked for, else the one it was copied from,
 * else (with `orLatest`, as the page does) the plan's latest other version.
 */
export async function compareVersionWith(
  db: Kysely<Database>,
  partnershipId: number,
  versionId: number,
  asked: number | undefined,
  options: { orLatest: boolean },
): Promise<VersionComparison> {
  const version = await getVersion(db, partnershipId, versionId);
  const others = await otherVersions(db, partnershipId, version);
  const otherId = asked ?? version.copied_from_version_id ?? (options.orLatest ? (others[others.length - 1]?.id ?? null) : null);
  if (otherId === null) return { version, others, otherId, comparison: null };
  const other = await getVersion(db, partnershipId, otherId);
  const [older, newer] =
    other.year < version.year || (other.year === version.year && other.id < version.id) ? [other, version] : [version, other];
  return { version, others, otherId, comparison: await compareVersions(db, partnershipId, older.id, newer.id) };
}

function compareDocuments(
  older: PlanDocument,
  newer: PlanDocument,
  ancestry: Awaited<ReturnType<typeof ancestryOf>>,
  olderTargets: VersionTargets,
  newerTargets: VersionTargets,
): PlanComparison {
  const text = (['vision', 'foreword', 'introduction'] as const).map((field) => ({
    field,
    changed: older.version[field] !== newer.version[field],
  }));

  const asItem = <T extends { id: number; title: string }>(x: T, copiedFrom: number | null) => ({ ...x, copiedFrom });
  const priorityPairs = pair(
    older.priorities.map((p) => asItem(p, p.copied_from_priority_id)),
    newer.priorities.map((p) => asItem(p, p.copied_from_priority_id)),
    ancestry.priority,
  );
  const priorities = priorityPairs.map(({ a, b }) => {
    const details: string[] = [];
    if (a && b) {
      differs('Why it is a priority', a.why, b.why, details);
      differs('What we will do', a.what_we_will_do, b.what_we_will_do, details);
      differs('Geographical context', a.geographical_context, b.geographical_context, details);
      differs('Lead organisation', a.leadOrganisation, b.leadOrganisation, details);
      differs('Lead officer', a.lead_officer, b.lead_officer, details);
      if (a.position !== b.position) details.push(`Moved from position ${a.position} to ${b.position}`);
    }
    const objectives = pair(
      (a?.objectives ?? []).map((o) => asItem(o, o.copied_from_objective_id)),
      (b?.objectives ?? []).map((o) => asItem(o, o.copied_from_objective_id)),
      ancestry.objective,
    ).map(({ a: oa, b: ob }) => {
      const d: string[] = [];
      if (oa && ob) differs('Description', oa.description, ob.description, d);
      return change(oa, ob, d);
    });
    return { ...change(a, b, details), objectives };
  });

  const themes = pair(
    older.themes.map((t) => asItem(t, t.copied_from_theme_id)),
    newer.themes.map((t) => asItem(t, t.copied_from_theme_id)),
    ancestry.theme,
  ).map(({ a, b }) => {
    const d: string[] = [];
    if (a && b) {
      differs('Description', a.description, b.description, d);
      const names = (doc: PlanDocument, ids: number[]) =>
        doc.priorities
          .filter((p) => ids.includes(p.id))
          .map((p) => p.title)
          .sort()
          .join(', ');
      const before = names(older, a.priorityIds);
      const after = names(newer, b.priorityIds);
      if (before !== after) d.push(`Priorities it cuts across: ${before || 'none'} → ${after || 'none'}`);
    }
    return change(a, b, d);
  });

  const riskItems = (doc: PlanDocument) =>
    doc.priorities.flatMap((p) => p.risks.map((r) => ({ ...r, title: `${r.risk} (${p.title})`, copiedFrom: r.copied_from_risk_id })));
  const risks = pair(riskItems(older), riskItems(newer), ancestry.risk).map(({ a, b }) => {
    const d: string[] = [];
    if (a && b) {
      riskScoreChanges(a, b, d);
      differs('Actions to mitigate', a.mitigation, b.mitigation, d);
      differs('Partner responsible', a.responsible_partner, b.responsible_partner, d);
    }
    return change(a, b, d);
  });

  const funding = pair(
    older.streams.map((s) => ({ ...s, title: s.name, copiedFrom: s.copied_from_stream_id })),
    newer.streams.map((s) => ({ ...s, title: s.name, copiedFrom: s.copied_from_stream_id })),
    ancestry.stream,
  ).map(({ a, b }) => {
    const d: string[] = [];
    if (a && b) {
      if (a.amount_pence !== b.amount_pence) d.push(`Amount ${formatMoney(a.amount_pence)} → ${formatMoney(b.amount_pence)}`);
      if (a.allocatedPence !== b.allocatedPence) d.push(`Allocated ${formatMoney(a.allocatedPence)} → ${formatMoney(b.allocatedPence)}`);
    }
    return change(a, b, d);
  });

  const counts: Record<ChangeKind, number> = { added: 0, dropped: 0, renamed: 0, changed: 0, unchanged: 0 };
  for (const c of [...priorities, ...priorities.flatMap((p) => p.objectives), ...themes, ...risks, ...funding]) counts[c.kind] += 1;
  const targets = compareTargetSets(olderTargets, newerTargets, priorityPairs);
  return { from: older.version, to: newer.version, text, priorities, themes, risks, funding, counts, targets };
}

type RiskScores = Pick<
  PlanDocument['priorities'][number]['risks'][number],
  'severity' | 'likelihood' | 'severity_score' | 'likelihood_score' | 'residual_severity_score' | 'residual_likelihood_score'
>;

/** A risk's score changes in words: 5x5 scores when both versions have them ("Score before mitigation 6, moderate (...) → 16, ..."), otherwise the 3x3 words. */
function riskScoreChanges(a: RiskScores, b: RiskScores, d: string[]): void {
  const onScale = (v: number | null): v is number => v !== null && Number.isInteger(v) && v >= 1 && v <= 5;
  const score = (s: number | null, l: number | null) => (onScale(s) && onScale(l) ? describeRiskScore(s, l) : null);
  const [aIn, bIn] = [score(a.severity_score, a.likelihood_score), score(b.severity_score, b.likelihood_score)];
  if (aIn !== null && bIn !== null) {
    if (aIn !== bIn) d.push(`Score before mitigation ${aIn} → ${bIn}`);
    const [aRes, bRes] = [
      score(a.residual_severity_score, a.residual_likelihood_score),
      score(b.residual_severity_score, b.residual_likelihood_score),
    ];
    if (aRes !== bRes) d.push(`Score after mitigation ${aRes ?? 'not scored'} → ${bRes ?? 'not scored'}`);
    return;
  }
  if (a.severity !== b.severity) d.push(`Severity ${RISK_LEVEL_LABELS[a.severity]} → ${RISK_LEVEL_LABELS[b.severity]}`);
  if (a.likelihood !== b.likelihood) d.push(`Likelihood ${RISK_LEVEL_LABELS[a.likelihood]} → ${RISK_LEVEL_LABELS[b.likelihood]}`);
  const bRes = score(b.residual_severity_score, b.residual_likelihood_score);
  if (bIn !== null && aIn === null) d.push(`Scored 1 to 5: before mitigation ${bIn}${bRes ? `, after mitigation ${bRes}` : ''}`);
}
