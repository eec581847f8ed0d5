/**
 * Partnership plans: a plan period (2008-11, 2016-19) and its versions (the original and each annual refresh).
 * A version is drafted, approved (who, when, at which meeting) and published; next year's refresh starts as a
 * deep copy of a version. The parts of a version (priorities, objectives, risks...) are in planParts.ts.
 */
import type { Kysely, Selectable } from 'kysely';
import type {
  ActivityUpdate,
  CommunicationsEvent,
  CrossCuttingTheme,
  Database,
  DeliveryActivity,
  EngagementMethod,
  FundingAllocation,
  FundingStream,
  GovernanceGroup,
  Objective,
  Plan,
  PlanLink,
  PlanVersion,
  Priority,
  PriorityResource,
  Risk,
} from '../../adapters/database/schema.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { nowIso } from '../../adapters/clock.ts';
import { ConflictError, NotFoundError, ValidationError, Validator } from '../../domain/errors.ts';
import { DATE_PARTS } from '../../domain/dates.ts';
import { getVersionRow, laterTimestamp, versionOfParent, VersionLockedError, type ParentKind } from './planParts.ts';
import { assertFresh, lockRows } from '../../adapters/database/concurrency.ts';
import { forgetVersionTargets, recordVersionTargets } from './planTargets.ts';
import { updatePartnershipRow } from '../platform/conflictCheckedUpdate.ts';

export const PLAN_STATUS_LABELS: Record<string, string> = { draft: 'Draft', approved: 'Approved', published: 'Published' };

export interface PlanWithVersions extends Plan {
  versions: PlanVersion[];
}

export interface PlanInput {
  title?: unknown;
  startYear?: unknown;
  endYear?: unknown;
  /** Label of the first version; "2008-11" style when not given. */
  label?: unknown;
  /** Year the first version covers, when it is not the first year of the plan (a plan first held in CSP Hub at a refresh). */
  year?: unknown;
}

export interface VersionTextInput {
  label?: unknown;
  vision?: unknown;
  foreword?: unknown;
  introduction?: unknown;
  expectedUpdatedAt?: unknown;
}

export interface ApprovalInput {
  approvedBy?: unknown;
  approvedOn?: unknown;
  meeting?: unknown;
}

export interface RefreshInput {
  label?: unknown;
  year?: unknown;
}

function year(v: Validator, field: string, raw: unknown, label: string): number {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d{4}\s*$/.test(raw) ? Number(raw) : NaN;
  if (typeof raw !== 'number' && (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === ''))) {
    v.add(field, `Enter ${label}`);
    return 0;
  }
  if (!Number.isInteger(n) || n < 1998 || n > 2100) {
    v.add(field, `${label.charAt(0).toUpperCase()}${label.slice(1)} must be a year between 1998 and 2100, like 2016`);
    return 0;
  }
  return n;
}

/** "2008-11" for a plan from 2008 to 2011; "2010/11" for a single year. */
export function periodLabel(startYear: number, endYear: number): string {
  return endYear - startYear === 1
    ? `${startYear}/${String(endYear % 100).padStart(2, '0')}`
    : `${startYear}-${String(endYear % 100).padStart(2, '0')}`;
}

export async function listPlans(db: Kysely<Database>, partnershipId: number): Promise<PlanWithVersions[]> {
  const plans = await db
    .selectFrom('plans')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .orderBy('start_year', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const versions = await db
    .selectFrom('plan_versions')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .orderBy('year')
    .orderBy('id')
    .execute();
  return plans.map((p) => ({ ...p, versions: versions.filter((v) => v.plan_id === p.id) }));
}

/** A version with its plan. */
export type VersionWithPlan = PlanVersion & { plan: Plan };

export async function getVersion(db: Kysely<Database>, partnershipId: number, versionId: number): Promise<VersionWithPlan> {
  const version = await getVersionRow(db, partnershipId, versionId);
  const plan = await db.selectFrom('plans').selectAll().where('id', '=', version.plan_id).executeTakeFirstOrThrow();
  return { ...version, plan };
}

function validatePlan(input: PlanInput) {
  const v = new Validator();
  const title = v.text('title', input.title, 'the title of the plan', { max: 200 });
  const startYear = year(v, 'startYear', input.startYear, 'the first year');
  const endYear = year(v, 'endYear', input.endYear, 'the last year');
  if (startYear && endYear && (endYear <= startYear || endYear - startYear > 5))
    v.add('endYear', 'The plan must end 1 to 5 years after it starts, like 2008 to 2011');
  const label = v.text('label', input.label ?? '', 'a label for the first version', { required: false, max: 100 });
  let firstYear = startYear;
  if (input.year !== undefined && input.year !== null && input.year !== '') {
    firstYear = year(v, 'year', input.year, 'the year of the first version');
    if (firstYear && startYear && endYear && (firstYear < startYear || firstYear >= endYear))
      v.add('year', 'The year of the first version must be within the plan period');
  }
  v.throwIfAny();
  return { title, startYear, endYear, firstYear, label: label || periodLabel(startYear, endYear) };
}

/** Creates a plan period with its first version, in draft. */
export async function createPlan(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  input: PlanInput,
): Promise<{ plan: Plan; version: PlanVersion }> {
  const data = validatePlan(input);
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const plan = await trx
      .insertInto('plans')
      .values({
        partnership_id: partnershipId,
        title: data.title,
        start_year: data.startYear,
        end_year: data.endYear,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const version = await trx
      .insertInto('plan_versions')
      .values({
        plan_id: plan.id,
        partnership_id: partnershipId,
        label: data.label,
        year: data.firstYear,
        status: 'draft',
        vision: '',
        foreword: '',
        introduction: '',
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'plan',
      entityId: plan.id,
      summary: `Created plan ${plan.title} (${periodLabel(plan.start_year, plan.end_year)})`,
      after: { plan, version },
    });
    return { plan, version };
  });
}

/** Edits the vision, foreword and introduction (and label) of a draft version. */
export async function updateVersionText(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  versionId: number,
  input: VersionTextInput,
): Promise<PlanVersion> {
  await getVersionRow(db, partnershipId, versionId);
  const v = new Validator();
  const label = v.text('label', input.label, 'a label for the version', { max: 100 });
  const vision = v.text('vision', input.vision ?? '', 'the vision', { required: false, max: 5000 });
  const foreword = v.text('foreword', input.foreword ?? '', 'the foreword', { required: false, max: 20000 });
  const introduction = v.text('introduction', input.introduction ?? '', 'the introduction', { required: false, max: 20000 });
  v.throwIfAny();
  return updatePartnershipRow(db, actor, {
    table: 'plan_versions',
    partnershipId,
    id: versionId,
    read: async (trx) => {
      const before = await getVersionRow(trx, partnershipId, versionId);
      if (before.status !== 'draft') throw new VersionLockedError(before);
      return before;
    },
    expectedUpdatedAt: input.expectedUpdatedAt,
    conflictMessage: (before) =>
      `${before.label} was changed by someone else after you opened it. Their version is shown; make your changes again.`,
    values: async (trx, before) => {
      const clash = await trx
        .selectFrom('plan_versions')
        .select('id')
        .where('plan_id', '=', before.plan_id)
        .where('label', '=', label)
        .where('id', '!=', versionId)
        .executeTakeFirst();
      if (clash) throw new ValidationError([{ field: 'label', message: 'Another version of this plan already has this label' }]);
      return { label, vision, foreword, introduction };
    },
    entityType: 'plan_version',
    summary: (_before, after) => `Updated the vision, foreword and introduction of ${after.label}`,
  });
}

/** Records the approval of a draft version: who approved it, when, at which meeting. */
export async function approveVersion(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  versionId: number,
  input: ApprovalInput,
): Promise<PlanVersion> {
  await getVersionRow(db, partnershipId, versionId);
  const v = new Validator();
  const approvedBy = v.text('approvedBy', input.approvedBy, 'who approved the plan', { max: 200 });
  const meeting = v.text('meeting', input.meeting, 'the meeting that approved it', { max: 200 });
  const approvedOn = v.date('approvedOn', input.approvedOn, 'the date it was approved', { required: true });
  if (approvedOn !== null && approvedOn > nowIso().slice(0, 10))
    v.add('approvedOn', 'The date it was approved must be today or in the past', DATE_PARTS);
  v.throwIfAny();
  return db.transaction().execute(async (trx) => {
    await lockRows(trx, 'plan_versions', versionId);
    const before = await getVersionRow(trx, partnershipId, versionId);
    if (before.status !== 'draft') throw new ConflictError(`${before.label} is already ${before.status}`);
    const priorities = await trx.selectFrom('priorities').select('id').where('plan_version_id', '=', versionId).limit(1).executeTakeFirst();
    if (!priorities) throw new ValidationError([{ field: 'approvedBy', message: 'Add at least one priority before the plan is approved' }]);
    const updatedAt = laterTimestamp(before.updated_at);
    await trx
      .updateTable('plan_versions')
      .set({ status: 'approved', approved_by: approvedBy, approved_at: approvedOn, approval_meeting: meeting, updated_at: updatedAt })
      .where('id', '=', versionId)
      .execute();
    // The targets agreed with the plan: those in force now for the indicators serving its priorities (decision 0014).
    const targets = await recordVersionTargets(trx, partnershipId, await loadPlanDocument(trx, partnershipId, versionId), updatedAt);
    const superseded = await markSuperseded(trx, partnershipId, before.plan_id, updatedAt);
    const after = await getVersionRow(trx, partnershipId, versionId);
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'update',
      entityType: 'plan_version',
      entityId: versionId,
      summary: `Recorded approval of ${after.label} by ${approvedBy} at ${meeting}, with ${targets.length} indicator ${targets.length === 1 ? 'target' : 'targets'}${superseded.length ? `; it supersedes ${superseded.map((x) => x.label).join(', ')}` : ''}`,
      before,
      after: { ...after, targets, superseded },
    });
    return after;
  });
}

/** Publishes an approved version: it becomes the partnership's public summary. */
export async function publishVersion(db: Kysely<Database>, actor: Actor, partnershipId: number, versionId: number): Promise<PlanVersion> {
  return updatePartnershipRow(db, actor, {
    table: 'plan_versions',
    partnershipId,
    id: versionId,
    read: async (trx) => {
      const before = await getVersionRow(trx, partnershipId, versionId);
      if (before.status === 'published') throw new ConflictError(`${before.label} is already published`);
      if (before.status !== 'approved') throw new ConflictError(`${before.label} must be approved before it is published`);
      return before;
    },
    values: async (trx) => {
      // What the public documents show besides the plan is fixed now, from the partnership's settings (issue 13).
      const shown = await trx
        .selectFrom('partnerships')
        .select(['public_risks', 'public_funding'])
        .where('id', '=', partnershipId)
        .executeTakeFirstOrThrow();
      return {
        status: 'published' as const,
        published_at: nowIso(),
        public_risks: shown.public_risks,
        public_funding: shown.public_funding,
      };
    },
    entityType: 'plan_version',
    summary: (_before, after) => `Published ${after.label}`,
  });
}

export interface WithdrawalInput {
  reason?: unknown;
  expectedUpdatedAt?: unknown;
}

/**
 * Takes an approved or published version back to draft, with the reason: its approval and publication are cleared
 * (the audit event keeps them), the targets recorded at approval are forgotten, and the public summary falls back to
 * the partnership's previous published version, if there is one.
 */
export async function withdrawApproval(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  versionId: number,
  input: WithdrawalInput,
): Promise<PlanVersion> {
  await getVersionRow(db, partnershipId, versionId);
  const v = new Validator();
  const reason = v.text('reason', input.reason, 'why the approval is being withdrawn', { max: 2000 });
  v.throwIfAny();
  return db.transaction().execute(async (trx) => {
    await lockRows(trx, 'plan_versions', versionId);
    const before = await getVersionRow(trx, partnershipId, versionId);
    if (before.status === 'draft') throw new ConflictError(`${before.label} is a draft: there is no approval to withdraw`);
    assertFresh(
      input.expectedUpdatedAt,
      before.updated_at,
      `${before.label} was changed by someone else after you opened it. Check it and try again.`,
    );
    const now = laterTimestamp(before.updated_at);
    await forgetVersionTargets(trx, partnershipId, versionId);
    const after = await trx
      .updateTable('plan_versions')
      .set({
        status: 'draft',
        approved_by: null,
        approved_at: null,
        approval_meeting: null,
        published_at: null,
        public_risks: null,
        public_funding: null,
        targets_recorded_at: null,
        withdrawn_at: now,
        withdrawal_reason: reason,
        updated_at: now,
      })
      .where('id', '=', versionId)
      .where('partnership_id', '=', partnershipId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const restored = await markSuperseded(trx, partnershipId, before.plan_id, now);
    const was = before.status === 'published' ? 'published' : 'approved';
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'update',
      entityType: 'plan_version',
      entityId: versionId,
      summary: `Withdrew the approval of ${after.label} (it was ${was}) and returned it to draft: ${reason}`,
      before,
      after: { ...after, superseded: restored },
    });
    return after;
  });
}

/**
 * Marks which versions of a plan are superseded (decision 0021): every approved or published version older (by year,
 * then id) than the plan's newest approved or published version; the newest and the drafts are not. Called in the
 * transaction of each approval and withdrawal, so a withdrawn approval brings the version it superseded back.
 * Returns the versions superseded now, with their labels.
 */
async function markSuperseded(
  trx: Kysely<Database>,
  partnershipId: number,
  planId: number,
  at: string,
): Promise<{ id: number; label: string }[]> {
  const versions = await trx
    .selectFrom('plan_versions')
    .select(['id', 'label', 'status', 'superseded_at'])
    .where('partnership_id', '=', partnershipId)
    .where('plan_id', '=', planId)
    .orderBy('year', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const newest = versions.find((v) => v.status !== 'draft');
  const out: { id: number; label: string }[] = [];
  for (const v of versions) {
    const should = newest !== undefined && v.id !== newest.id && v.status !== 'draft' && versions.indexOf(v) > versions.indexOf(newest);
    if (should && v.superseded_at === null)
      await trx.updateTable('plan_versions').set({ superseded_at: at }).where('id', '=', v.id).execute();
    if (!should && v.superseded_at !== null)
      await trx.updateTable('plan_versions').set({ superseded_at: null }).where('id', '=', v.id).execute();
    if (should) out.push({ id: v.id, label: v.label });
  }
  return out;
}

// ---------- Next year's refresh: the copy, step by step ----------

/** Where the copied rows go: the refresh's transaction, the columns every copy starts with, and those of rows that name their version. */
interface CopyInto {
  trx: Kysely<Database>;
  stamp: { partnership_id: number; created_at: string; updated_at: string };
  inVersion: { partnership_id: number; plan_version_id: number; created_at: string; updated_at: string };
}

/** Copies the priorities with their objectives, delivery activities, resources and risks; returns each old priority's copy. */
async function copyPriorities({ trx, stamp, inVersion }: CopyInto, doc: PlanDocument): Promise<Map<number, number>> {
  const priorityMap = new Map<number, number>();
  for (const p of doc.priorities) {
    const np = await trx
      .insertInto('priorities')
      .values({
        ...stamp,
        plan_version_id: inVersion.plan_version_id,
        position: p.position,
        title: p.title,
        why: p.why,
        what_we_will_do: p.what_we_will_do,
        geographical_context: p.geographical_context,
        lead_organisation_id: p.lead_organisation_id,
        lead_officer: p.lead_officer,
        copied_from_priority_id: p.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    priorityMap.set(p.id, np.id);
    for (const o of p.objectives) {
      const no = await trx
        .insertInto('objectives')
        .values({
          ...stamp,
          priority_id: np.id,
          position: o.position,
          title: o.title,
          description: o.description,
          copied_from_objective_id: o.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const a of o.activities) {
        await trx
          .insertInto('delivery_activities')
          .values({
            ...inVersion,
            objective_id: no.id,
            position: a.position,
            title: a.title,
            lead: a.lead,
            partners: a.partners,
            start_date: a.start_date,
            due_date: a.due_date,
            status: a.status,
            rag: a.rag,
            copied_from_activity_id: a.id,
            owner_user_id: a.owner_user_id,
            owner_organisation_id: a.owner_organisation_id,
          })
          .execute();
      }
    }
    for (const r of p.resources) {
      await trx
        .insertInto('priority_resources')
        .values({
          ...inVersion,
          priority_id: np.id,
          position: r.position,
          kind: r.kind,
          description: r.description,
          amount_pence: r.amount_pence,
          funding_source: r.funding_source,
        })
        .execute();
    }
    for (const r of p.risks) {
      await trx
        .insertInto('risks')
        .values({
          ...inVersion,
          priority_id: np.id,
          position: r.position,
          risk: r.risk,
          severity: r.severity,
          likelihood: r.likelihood,
          mitigation: r.mitigation,
          responsible_partner: r.responsible_partner,
          review_date: r.review_date,
          copied_from_risk_id: r.id,
          severity_score: r.severity_score,
          likelihood_score: r.likelihood_score,
          residual_severity_score: r.residual_severity_score,
          residual_likelihood_score: r.residual_likelihood_score,
          owner_user_id: r.owner_user_id,
          owner_organisation_id: r.owner_organisation_id,
        })
        .execute();
    }
  }
  return priorityMap;
}

/** Copies the cross-cutting themes, linked to the copies of their priorities. */
async function copyThemes({ trx, stamp, inVersion }: CopyInto, doc: PlanDocument, priorityMap: Map<number, number>): Promise<void> {
  for (const t of doc.themes) {
    const nt = await trx
      .insertInto('cross_cutting_themes')
      .values({ ...inVersion, position: t.position, title: t.title, description: t.description, copied_from_theme_id: t.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const links = t.priorityIds.map((id) => priorityMap.get(id)).filter((id): id is number => id !== undefined);
    if (links.length)
      await trx
        .insertInto('theme_priorities')
        .values(links.map((priority_id) => ({ partnership_id: stamp.partnership_id, theme_id: nt.id, priority_id })))
        .execute();
  }
}

/** Copies the governance groups, then points each copy at the copy of the group it reports to. */
async function copyGroups({ trx, inVersion }: CopyInto, doc: PlanDocument): Promise<void> {
  const groupMap = new Map<number, number>();
  for (const g of doc.groups) {
    const ng = await trx
      .insertInto('governance_groups')
      .values({
        ...inVersion,
        position: g.position,
        name: g.name,
        purpose: g.purpose,
        chair: g.chair,
        member_organisations: g.member_organisations,
        meeting_frequency: g.meeting_frequency,
        reports_to_group_id: null,
        copied_from_group_id: g.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    groupMap.set(g.id, ng.id);
  }
  for (const g of doc.groups) {
    if (g.reports_to_group_id !== null && groupMap.has(g.reports_to_group_id)) {
      await trx
        .updateTable('governance_groups')
        .set({ reports_to_group_id: groupMap.get(g.reports_to_group_id)! })
        .where('id', '=', groupMap.get(g.id)!)
        .execute();
    }
  }
}

/** Copies the engagement methods, the communications calendar and the links to other plans. */
async function copyEngagementAndLinks({ trx, inVersion }: CopyInto, doc: PlanDocument): Promise<void> {
  for (const e of doc.engagement)
    await trx
      .insertInto('engagement_methods')
      .values({ ...inVersion, position: e.position, method: e.method, description: e.description })
      .execute();
  for (const e of doc.events)
    await trx
      .insertInto('communications_events')
      .values({ ...inVersion, position: e.position, event_date: e.event_date, event: e.event, attendees: e.attendees })
      .execute();
  for (const l of doc.links)
    await trx
      .insertInto('plan_links')
      .values({ ...inVersion, position: l.position, title: l.title, url: l.url, relationship: l.relationship })
      .execute();
}

/** Copies the funding streams and their allocations (to the copies of their priorities), not yet approved or spent: spend stays with its year. */
async function copyFunding({ trx, inVersion }: CopyInto, doc: PlanDocument, priorityMap: Map<number, number>): Promise<void> {
  for (const s of doc.streams) {
    const ns = await trx
      .insertInto('funding_streams')
      .values({
        ...inVersion,
        position: s.position,
        name: s.name,
        funder: s.funder,
        amount_pence: s.amount_pence,
        approval_threshold_pence: s.approval_threshold_pence,
        notes: s.notes,
        copied_from_stream_id: s.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const a of s.allocations) {
      await trx
        .insertInto('funding_allocations')
        .values({
          ...inVersion,
          funding_stream_id: ns.id,
          priority_id: a.priority_id === null ? null : (priorityMap.get(a.priority_id) ?? null),
          position: a.position,
          project: a.project,
          amount_pence: a.amount_pence,
          board_approved: 0,
          spent_pence: 0,
        })
        .execute();
    }
  }
}

/**
 * Starts next year's refresh: a new draft version that is a deep copy of this one, each copied row pointing at
 * its original (copied_from_*), so the two versions can be compared. Progress updates and spend stay with the
 * year they belong to.
 */
export async function startRefresh(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  versionId: number,
  input: RefreshInput,
): Promise<PlanVersion> {
  const source = await getVersion(db, partnershipId, versionId);
  const v = new Validator();
  const label = v.text('label', input.label, 'a label for the refresh', { max: 100 });
  const y = year(v, 'year', input.year, 'the year the refresh covers');
  if (y && (y < source.plan.start_year || y >= source.plan.end_year))
    v.add('year', `The year must be within the plan period, from ${source.plan.start_year} to ${source.plan.end_year - 1}`);
  v.throwIfAny();
  return db.transaction().execute(async (trx) => {
    const clash = await trx
      .selectFrom('plan_versions')
      .select('id')
      .where('plan_id', '=', source.plan_id)
      .where('label', '=', label)
      .executeTakeFirst();
    if (clash) throw new ValidationError([{ field: 'label', message: 'Another version of this plan already has this label' }]);
    const now = nowIso();
    const stamp = { partnership_id: partnershipId, created_at: now, updated_at: now };
    const version = await trx
      .insertInto('plan_versions')
      .values({
        ...stamp,
        plan_id: source.plan_id,
        label,
        year: y,
        status: 'draft',
        vision: source.vision,
        foreword: source.foreword,
        introduction: source.introduction,
        copied_from_version_id: source.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const doc = await loadPlanDocument(trx, partnershipId, versionId);
    const into = { trx, stamp, inVersion: { ...stamp, plan_version_id: version.id } };
    const priorityMap = await copyPriorities(into, doc);
    await copyThemes(into, doc, priorityMap);
    await copyGroups(into, doc);
    await copyEngagementAndLinks(into, doc);
    await copyFunding(into, doc, priorityMap);
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'plan_version',
      entityId: version.id,
      summary: `Started refresh ${label} as a copy of ${source.label}`,
      after: version,
    });
    return version;
  });
}

// ---------- The whole plan ----------

export interface ActivityWithUpdates extends DeliveryActivity {
  updates: ActivityUpdate[];
}
export interface ObjectiveWithActivities extends Objective {
  activities: ActivityWithUpdates[];
}
export interface PriorityDocument extends Priority {
  leadOrganisation: string | null;
  objectives: ObjectiveWithActivities[];
  resources: PriorityResource[];
  risks: Risk[];
  themes: string[];
}
export interface ThemeDocument extends CrossCuttingTheme {
  priorityIds: number[];
}
export interface StreamDocument extends FundingStream {
  allocations: FundingAllocation[];
  allocatedPence: number;
  spentPence: number;
}
export interface PlanDocument {
  version: PlanVersion;
  plan: Plan;
  priorities: PriorityDocument[];
  themes: ThemeDocument[];
  groups: GovernanceGroup[];
  engagement: EngagementMethod[];
  events: CommunicationsEvent[];
  links: PlanLink[];
  streams: StreamDocument[];
}

/** The parts of a plan version kept in position order, each table with `partnership_id` and `plan_version_id`. */
type PositionedPart =
  | 'priorities'
  | 'delivery_activities'
  | 'priority_resources'
  | 'risks'
  | 'cross_cutting_themes'
  | 'governance_groups'
  | 'engagement_methods'
  | 'plan_links'
  | 'funding_streams'
  | 'funding_allocations';

/** One part table's rows for a version, in position order (ties by id). */
async function partRows<T extends PositionedPart>(db: Kysely<Database>, table: T, scope: { p: number; v: number }) {
  const from: PositionedPart = table; // the union, not T, so Kysely sees the columns every part table has
  const rows = await db
    .selectFrom(from)
    .selectAll()
    .where('partnership_id', '=', scope.p)
    .where('plan_version_id', '=', scope.v)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows as unknown as Selectable<Database[T]>[];
}

/** A version's priorities with their objectives, delivery activities and updates, resources and risks, in order. */
async function priorityRows(db: Kysely<Database>, scope: { p: number; v: number }) {
  const [priorities, activities, updates, resources, risks] = await Promise.all([
    partRows(db, 'priorities', scope),
    partRows(db, 'delivery_activities', scope),
    db
      .selectFrom('activity_updates')
      .selectAll()
      .where('partnership_id', '=', scope.p)
      .where('plan_version_id', '=', scope.v)
      .orderBy('update_date', 'desc')
      .orderBy('id', 'desc')
      .execute(),
    partRows(db, 'priority_resources', scope),
    partRows(db, 'risks', scope),
  ]);
  const pids = priorities.map((p) => p.id);
  const objectives = pids.length
    ? await db
        .selectFrom('objectives')
        .selectAll()
        .where('partnership_id', '=', scope.p)
        .where('priority_id', 'in', pids)
        .orderBy('position')
        .orderBy('id')
        .execute()
    : [];
  return { priorities, objectives, activities, updates, resources, risks };
}

/** A version's cross-cutting themes (with their priorities), governance, engagement, events, links and funding, in order. */
async function versionParts(db: Kysely<Database>, scope: { p: number; v: number }) {
  const [themes, groups, engagement, events, links, streams, allocations] = await Promise.all([
    partRows(db, 'cross_cutting_themes', scope),
    partRows(db, 'governance_groups', scope),
    partRows(db, 'engagement_methods', scope),
    db
      .selectFrom('communications_events')
      .selectAll()
      .where('partnership_id', '=', scope.p)
      .where('plan_version_id', '=', scope.v)
      .orderBy('event_date')
      .orderBy('id')
      .execute(),
    partRows(db, 'plan_links', scope),
    partRows(db, 'funding_streams', scope),
    partRows(db, 'funding_allocations', scope),
  ]);
  const themeLinks = themes.length
    ? await db
        .selectFrom('theme_priorities')
        .selectAll()
        .where('partnership_id', '=', scope.p)
        .where(
          'theme_id',
          'in',
          themes.map((t) => t.id),
        )
        .execute()
    : [];
  return { themes, themeLinks, groups, engagement, events, links, streams, allocations };
}

/** Everything in a version, in order, as one structure for the plan page, the public summary and the comparison. */
export async function loadPlanDocument(db: Kysely<Database>, partnershipId: number, versionId: number): Promise<PlanDocument> {
  const { plan, ...version } = await getVersion(db, partnershipId, versionId);
  const scope = { p: partnershipId, v: versionId };
  const { priorities, objectives, activities, updates, resources, risks } = await priorityRows(db, scope);
  const { themes, themeLinks, groups, engagement, events, links, streams, allocations } = await versionParts(db, scope);
  const orgs = await db.selectFrom('organisations').select(['id', 'name']).where('partnership_id', '=', scope.p).execute();
  const orgName = new Map(orgs.map((o) => [o.id, o.name]));
  const themeDocs = themes.map((t) => ({ ...t, priorityIds: themeLinks.filter((l) => l.theme_id === t.id).map((l) => l.priority_id) }));
  return {
    version,
    plan,
    priorities: priorities.map((p) => ({
      ...p,
      leadOrganisation: p.lead_organisation_id === null ? null : (orgName.get(p.lead_organisation_id) ?? null),
      objectives: objectives
        .filter((o) => o.priority_id === p.id)
        .map((o) => ({
          ...o,
          activities: activities
            .filter((a) => a.objective_id === o.id)
            .map((a) => ({ ...a, updates: updates.filter((u) => u.activity_id === a.id) })),
        })),
      resources: resources
        .filter((r) => r.priority_id === p.id)
        .map((r) => ({ ...r, amount_pence: r.amount_pence === null ? null : Number(r.amount_pence) })),
      risks: risks.filter((r) => r.priority_id === p.id),
      themes: themeDocs.filter((t) => t.priorityIds.includes(p.id)).map((t) => t.title),
    })),
    themes: themeDocs,
    groups,
    engagement,
    events,
    links,
    streams: streams.map((s) => {
      const own = allocations
        .filter((a) => a.funding_stream_id === s.id)
        .map((a) => ({ ...a, amount_pence: Number(a.amount_pence), spent_pence: Number(a.spent_pence) }));
      return {
        ...s,
        amount_pence: Number(s.amount_pence),
        approval_threshold_pence: s.approval_threshold_pence === null ? null : Number(s.approval_threshold_pence),
        allocations: own,
        allocatedPence: own.reduce((sum, a) => sum + a.amount_pence, 0),
        spentPence: own.reduce((sum, a) => sum + a.spent_pence, 0),
      };
    }),
  };
}

/** The other versions of a version's plan, oldest first: to go to, or to compare with. */
export async function otherVersions(
  db: Kysely<Database>,
  partnershipId: number,
  version: Pick<PlanVersion, 'id' | 'plan_id'>,
): Promise<PlanVersion[]> {
  return db
    .selectFrom('plan_versions')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('plan_id', '=', version.plan_id)
    .where('id', '!=', version.id)
    .orderBy('year')
    .orderBy('id')
    .execute();
}

/** Everything in a version (as loadPlanDocument), with the other versions of its plan. */
export async function loadVersionWithOthers(
  db: Kysely<Database>,
  partnershipId: number,
  versionId: number,
): Promise<{ doc: PlanDocument; others: PlanVersion[] }> {
  const doc = await loadPlanDocument(db, partnershipId, versionId);
  return { doc, others: await otherVersions(db, partnershipId, doc.version) };
}

/** Everything in the version a priority, objective, activity or funding stream is in; NotFound if it is not the partnership's. */
export async function loadPlanDocumentOf(db: Kysely<Database>, partnershipId: number, kind: ParentKind, id: number): Promise<PlanDocument> {
  const version = await versionOfParent(db, partnershipId, kind, id);
  return loadPlanDocument(db, partnershipId, version.id);
}

/** The current published version of a partnership's plans, by its public address; NotFound if none is published. */
export async function publishedSummary(
  db: Kysely<Database>,
  slug: string,
): Promise<{ partnership: { id: number; name: string; slug: string; area_description: string }; document: PlanDocument }> {
  const partnership = await db
    .selectFrom('partnerships')
    .select(['id', 'name', 'slug', 'area_description'])
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (!partnership) throw new NotFoundError('Partnership');
  const latest = await db
    .selectFrom('plan_versions')
    .select('id')
    .where('partnership_id', '=', partnership.id)
    .where('status', '=', 'published')
    .orderBy('year', 'desc')
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!latest) throw new NotFoundError('Published plan');
  return { partnership, document: await loadPlanDocument(db, partnership.id, latest.id) };
}

/**
 * The current plan version for a financial year (by its starting year): of the plans covering that year (else the
 * latest plan), the latest published version, else the latest approved, else the latest version. Null without a plan.
 */
export async function currentPlanVersion(db: Kysely<Database>, partnershipId: number, fyStart: number): Promise<PlanVersion | null> {
  const plans = await db
    .selectFrom('plans')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .orderBy('start_year', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const plan = plans.find((p) => p.start_year <= fyStart && fyStart < p.end_year) ?? plans[0];
  if (!plan) return null;
  const versions = await db
    .selectFrom('plan_versions')
    .selectAll()
    .where('plan_id', '=', plan.id)
    .where('partnership_id', '=', partnershipId)
    .orderBy('year', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return versions.find((v) => v.status === 'published') ?? versions.find((v) => v.status === 'approved') ?? versions[0] ?? null;
}

/** The plan version in force in a period, and why it is the one (for the Board pack to say). */
export interface VersionInForce {
  version: PlanVersion;
  plan: Plan;
  /** True when the plan's years cover the period; false when its years have ended and no later plan had been approved. */
  covers: boolean;
}

/**
 * The plan version in force at the end of a period (a Board pack's quarter): of the versions approved (or published)
 * on or before `endDate`, for a financial year no later than `fyStart`, one whose plan's years cover `fyStart`; else,
 * when no approved plan covers it, the latest approved before it, which stays in force until a later one is approved.
 * A draft, or a plan approved only after the period, is never used. Null when no version qualifies.
 */
export async function planVersionInForce(
  db: Kysely<Database>,
  partnershipId: number,
  fyStart: number,
  endDate: string,
): Promise<VersionInForce | null> {
  const rows = await db
    .selectFrom('plan_versions')
    .innerJoin('plans', 'plans.id', 'plan_versions.plan_id')
    .selectAll('plan_versions')
    .select(['plans.start_year as plan_start_year', 'plans.end_year as plan_end_year'])
    .where('plan_versions.partnership_id', '=', partnershipId)
    .where('plans.partnership_id', '=', partnershipId)
    .where('plan_versions.status', 'in', ['approved', 'published'])
    .where('plan_versions.approved_at', 'is not', null)
    .where('plans.start_year', '<=', fyStart)
    .execute();
  const candidates = rows
    .filter((v) => v.approved_at !== null && v.approved_at.slice(0, 10) <= endDate && v.year <= fyStart)
    .sort(
      (a, b) =>
        b.plan_start_year - a.plan_start_year || b.year - a.year || (b.approved_at ?? '').localeCompare(a.approved_at ?? '') || b.id - a.id,
    );
  const covering = candidates.find((v) => v.plan_start_year <= fyStart && fyStart < v.plan_end_year);
  const chosen = covering ?? candidates[0];
  if (!chosen) return null;
  const plan = await db
    .selectFrom('plans')
    .selectAll()
    .where('id', '=', chosen.plan_id)
    .where('partnership_id', '=', partnershipId)
    .executeTakeFirstOrThrow();
  const { plan_start_year: _s, plan_end_year: _e, ...version } = chosen;
  return { version, plan, covers: covering !== undefined };
}
