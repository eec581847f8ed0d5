/**
 * Owners and collection schedules (decision 0022): who owns each indicator and delivery activity (a member of the
 * partnership and their partner organisation, with the free-text owner kept for people without an account), the
 * organisation each member works for, when an indicator's figures are due, and whether contributors may enter
 * figures, change delivery activities and write commentary only for what they or their organisation own.
 */
import type { Kysely } from 'kysely';
import type { Database, Indicator, Role } from '../../adapters/database/schema.ts';
import { nowIso } from '../../adapters/clock.ts';
import { laterTimestamp, lockRows } from '../../adapters/database/concurrency.ts';
import { ForbiddenError, NotFoundError, Validator } from '../../domain/errors.ts';
import { quoteValue } from '../../domain/index.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { updatePartnershipRow } from '../platform/conflictCheckedUpdate.ts';
import { label, normalisePeriod } from '../performance/indicators.ts';

/** Working days after a period ends: at most this many (three months of working days). */
export const MAX_DUE_WORKING_DAYS = 65;

export interface OwnerChoice {
  userId: number;
  name: string;
  email: string;
  role: Role;
  organisationId: number | null;
}

export interface OwnerChoices {
  members: OwnerChoice[];
  organisations: { id: number; name: string }[];
}

/** The people and organisations of a partnership who can own an indicator or activity. */
export async function ownerChoices(db: Kysely<Database>, partnershipId: number): Promise<OwnerChoices> {
  const members = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id as userId', 'users.name', 'users.email', 'memberships.role', 'memberships.organisation_id as organisationId'])
    .where('memberships.partnership_id', '=', partnershipId)
    .orderBy('users.name')
    .execute();
  const organisations = await db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('partnership_id', '=', partnershipId)
    .orderBy('name')
    .execute();
  return { members, organisations };
}

/** Reads an optional id from a form or JSON: '' or null is none; anything else must be a whole number above 0. */
function optionalId(v: Validator, field: string, raw: unknown, what: string): number | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === null || raw === '') return null;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,9}$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) {
    v.add(field, `Choose ${what} from the list (got "${quoteValue(raw)}")`);
    return undefined;
  }
  return n;
}

/** Checks an owner (user and organisation) against the partnership; the organisation defaults to the user's. */
async function checkOwner(
  db: Kysely<Database>,
  v: Validator,
  partnershipId: number,
  raw: { ownerUserId?: unknown; ownerOrganisationId?: unknown },
): Promise<{ owner_user_id: number | null; owner_organisation_id: number | null }> {
  const userId = optionalId(v, 'ownerUserId', raw.ownerUserId, 'a member of the partnership');
  let organisationId = optionalId(v, 'ownerOrganisationId', raw.ownerOrganisationId, 'a partner organisation');
  const choices = await ownerChoices(db, partnershipId);
  const member = userId ? choices.members.find((m) => m.userId === userId) : undefined;
  if (userId && !member) v.add('ownerUserId', `User ${userId} is not a member of this partnership: choose one from the list`);
  if (organisationId && !choices.organisations.some((o) => o.id === organisationId))
    v.add('ownerOrganisationId', `Organisation ${organisationId} is not one of this partnership's organisations: choose one from the list`);
  if (!organisationId && member?.organisationId) organisationId = member.organisationId;
  return { owner_user_id: userId ?? null, owner_organisation_id: organisationId ?? null };
}

export interface IndicatorCollectionInput {
  ownerUserId?: unknown;
  ownerOrganisationId?: unknown;
  /** Blank: the partnership's default. */
  dueWorkingDays?: unknown;
  /** Blank: from the start of the current financial year. */
  collectFrom?: unknown;
  expectedUpdatedAt?: unknown;
}

function workingDays(v: Validator, field: string, raw: unknown, required: boolean): number | null {
  if (!required && (raw === undefined || raw === null || raw === '')) return null;
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (!/^\d{1,3}$/.test(text) || Number(text) > MAX_DUE_WORKING_DAYS) {
    v.add(field, `Enter the number of working days as a whole number from 0 to ${MAX_DUE_WORKING_DAYS} (got "${quoteValue(raw)}")`);
    return null;
  }
  return Number(text);
}

/** Sets an indicator's owner and collection schedule. */
export async function setIndicatorCollection(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  indicatorId: number,
  input: IndicatorCollectionInput,
): Promise<Indicator> {
  return updatePartnershipRow(db, actor, {
    table: 'indicators',
    partnershipId,
    id: indicatorId,
    read: async (trx) => {
      const row = await trx
        .selectFrom('indicators')
        .selectAll()
        .where('id', '=', indicatorId)
        .where('partnership_id', '=', partnershipId)
        .executeTakeFirst();
      if (!row) throw new NotFoundError('Indicator');
      return row;
    },
    expectedUpdatedAt: input.expectedUpdatedAt,
    conflictMessage: (before) =>
      `${label(before)} was changed by someone else after you opened it. Its current settings are shown; make your changes again.`,
    values: async (trx, before) => {
      const v = new Validator();
      const owner = await checkOwner(trx, v, partnershipId, input);
      const due = workingDays(v, 'dueWorkingDays', input.dueWorkingDays, false);
      let collectFrom: string | null = null;
      if (input.collectFrom !== undefined && input.collectFrom !== null && input.collectFrom !== '') {
        const p = normalisePeriod(input.collectFrom, before.frequency);
        if ('error' in p) v.add('collectFrom', p.error);
        else collectFrom = p.key;
      }
      v.throwIfAny();
      return { ...owner, due_working_days: due, collect_from: collectFrom };
    },
    entityType: 'indicator',
    summary: (_before, after) => `Set the owner and collection schedule of ${label(after)}`,
  });
}

/** A delivery activity of the partnership, for its owner form. */
export async function getActivity(db: Kysely<Database>, partnershipId: number, activityId: number) {
  const a = await db
    .selectFrom('delivery_activities')
    .selectAll()
    .where('id', '=', activityId)
    .where('partnership_id', '=', partnershipId)
    .executeTakeFirst();
  if (!a) throw new NotFoundError('Activity');
  return a;
}

/** Sets a delivery activity's owner (a member and organisation). */
export async function setActivityOwner(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  activityId: number,
  input: { ownerUserId?: unknown; ownerOrganisationId?: unknown },
): Promise<void> {
  await updatePartnershipRow(db, actor, {
    table: 'delivery_activities',
    partnershipId,
    id: activityId,
    read: async (trx) => {
      const row = await trx
        .selectFrom('delivery_activities')
        .selectAll()
        .where('id', '=', activityId)
        .where('partnership_id', '=', partnershipId)
        .executeTakeFirst();
      if (!row) throw new NotFoundError('Activity');
      return row;
    },
    values: async (trx) => {
      const v = new Validator();
      const owner = await checkOwner(trx, v, partnershipId, input);
      v.throwIfAny();
      return owner;
    },
    entityType: 'delivery_activity',
    summary: (_before, after) => `Set the owner of activity "${after.title}"`,
  });
}

export interface CollectionSettings {
  dueWorkingDays: number;
  contributorsOwnOnly: boolean;
}

export async function collectionSettings(db: Kysely<Database>, partnershipId: number): Promise<CollectionSettings> {
  const row = await db
    .selectFrom('partnerships')
    .select(['figures_due_working_days', 'contributors_own_only'])
    .where('id', '=', partnershipId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Partnership');
  return { dueWorkingDays: row.figures_due_working_days, contributorsOwnOnly: row.contributors_own_only === 1 };
}

/** The partnership's default due date and the contributors' restriction; `organisations` maps member ids to organisations. */
export async function setCollectionSettings(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  input: { dueWorkingDays?: unknown; contributorsOwnOnly?: unknown; organisations?: Record<string, unknown> },
): Promise<CollectionSettings> {
  return db.transaction().execute(async (trx) => {
    await lockRows(trx, 'partnerships', partnershipId);
    const before = await trx.selectFrom('partnerships').selectAll().where('id', '=', partnershipId).executeTakeFirstOrThrow();
    const v = new Validator();
    const due = workingDays(v, 'dueWorkingDays', input.dueWorkingDays, true);
    const ownOnly = input.contributorsOwnOnly === true || input.contributorsOwnOnly === 'yes' || input.contributorsOwnOnly === 'true';
    const choices = await ownerChoices(trx, partnershipId);
    const changes: { userId: number; organisationId: number | null; name: string }[] = [];
    for (const [key, raw] of Object.entries(input.organisations ?? {})) {
      const member = choices.members.find((m) => String(m.userId) === key);
      const field = `organisation-${key}`;
      if (!member) {
        v.add(field, `User ${quoteValue(key)} is not a member of this partnership`);
        continue;
      }
      const id = optionalId(v, field, raw, 'a partner organisation');
      if (id && !choices.organisations.some((o) => o.id === id))
        v.add(field, `Organisation ${id} is not one of this partnership's organisations (for ${member.name})`);
      else if (id !== undefined && id !== member.organisationId)
        changes.push({ userId: member.userId, organisationId: id, name: member.name });
    }
    v.throwIfAny();
    const after = await trx
      .updateTable('partnerships')
      .set({ figures_due_working_days: due!, contributors_own_only: ownOnly ? 1 : 0, updated_at: laterTimestamp(before.updated_at) })
      .where('id', '=', partnershipId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'update',
      entityType: 'partnership',
      entityId: partnershipId,
      summary: `Figures due ${due} working days after each period${ownOnly ? '; contributors enter only their own figures' : ''}`,
      before: { figures_due_working_days: before.figures_due_working_days, contributors_own_only: before.contributors_own_only },
      after: { figures_due_working_days: after.figures_due_working_days, contributors_own_only: after.contributors_own_only },
    });
    for (const c of changes) {
      await trx
        .updateTable('memberships')
        .set({ organisation_id: c.organisationId })
        .where('partnership_id', '=', partnershipId)
        .where('user_id', '=', c.userId)
        .execute();
      await recordAudit(trx, actor, {
        partnershipId,
        action: 'update',
        entityType: 'membership',
        entityId: c.userId,
        summary: `${c.name} works for ${choices.organisations.find((o) => o.id === c.organisationId)?.name ?? 'no organisation'}`,
        after: { organisation_id: c.organisationId, updated_at: nowIso() },
      });
    }
    return { dueWorkingDays: after.figures_due_working_days, contributorsOwnOnly: after.contributors_own_only === 1 };
  });
}

/** A person's role in a partnership and the organisation they work for (platform administrators: admin). */
export async function memberStanding(
  db: Kysely<Database>,
  partnershipId: number,
  userId: number | null,
): Promise<{ role: Role | null; organisationId: number | null }> {
  if (userId === null) return { role: 'admin', organisationId: null };
  const user = await db.selectFrom('users').select('is_platform_admin').where('id', '=', userId).executeTakeFirst();
  const m = await db
    .selectFrom('memberships')
    .select(['role', 'organisation_id'])
    .where('partnership_id', '=', partnershipId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return { role: user?.is_platform_admin ? 'admin' : (m?.role ?? null), organisationId: m?.organisation_id ?? null };
}

/** Whether an owner (user, organisation) is this person or their organisation. */
export function ownedBy(
  owner: { owner_user_id: number | null; owner_organisation_id: number | null },
  who: { userId: number | null; organisationId: number | null },
): boolean {
  return (
    (who.userId !== null && owner.owner_user_id === who.userId) ||
    (who.organisationId !== null && owner.owner_organisation_id === who.organisationId)
  );
}

/**
 * Refuses figures for indicators a contributor does not own, when the partnership limits contributors to their
 * own (editors and administrators enter any). Called by every way figures are entered (grid, upload, API, "my figures").
 */
export async function assertMayEnterFigures(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  indicators: readonly Pick<Indicator, 'id' | 'code' | 'title' | 'owner_user_id' | 'owner_organisation_id'>[],
): Promise<void> {
  const settings = await collectionSettings(db, partnershipId);
  if (!settings.contributorsOwnOnly) return;
  const standing = await memberStanding(db, partnershipId, actor.userId);
  if (standing.role !== 'contributor' && standing.role !== 'viewer') return;
  const others = indicators.filter((i) => !ownedBy(i, { userId: actor.userId, organisationId: standing.organisationId }));
  if (others.length > 0) {
    const names = [...new Set(others.map((i) => label(i)))];
    throw new ForbiddenError(
      `You can enter figures only for indicators you or your organisation own. Not yours: ${names.slice(0, 10).join('; ')}${names.length > 10 ? ` and ${names.length - 10} more` : ''}`,
    );
  }
}

/**
 * Whether a person may change a delivery activity and its progress updates: contributors (and viewers) only those
 * they or their organisation own when the partnership limits contributors to their own; editors and administrators
 * any. `activityId` null asks about adding a new activity, which a limited contributor may not.
 */
export async function mayDeliverActivity(
  db: Kysely<Database>,
  userId: number | null,
  partnershipId: number,
  activityId: number | null,
): Promise<boolean> {
  const settings = await collectionSettings(db, partnershipId);
  if (!settings.contributorsOwnOnly) return true;
  const standing = await memberStanding(db, partnershipId, userId);
  if (standing.role !== 'contributor' && standing.role !== 'viewer') return true;
  if (activityId === null) return false;
  const activity = await getActivity(db, partnershipId, activityId);
  return ownedBy(activity, { userId, organisationId: standing.organisationId });
}

/**
 * For pages listing activities: whether the person may add an activity, and a test of each activity they may change
 * (with its progress updates), by the same rule as `mayDeliverActivity`.
 */
export async function activityDelivery(
  db: Kysely<Database>,
  userId: number | null,
  partnershipId: number,
): Promise<{ mayAdd: boolean; mayChange: (a: { owner_user_id: number | null; owner_organisation_id: number | null }) => boolean }> {
  const settings = await collectionSettings(db, partnershipId);
  const standing = await memberStanding(db, partnershipId, userId);
  const limited = settings.contributorsOwnOnly && (standing.role === 'contributor' || standing.role === 'viewer');
  return {
    mayAdd: !limited,
    mayChange: (a) => !limited || ownedBy(a, { userId, organisationId: standing.organisationId }),
  };
}

/** Refuses a change to a delivery activity or its progress updates that `mayDeliverActivity` does not allow. */
export async function assertMayDeliverActivity(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  activityId: number | null,
): Promise<void> {
  if (await mayDeliverActivity(db, actor.userId, partnershipId, activityId)) return;
  if (activityId === null)
    throw new ForbiddenError('You can change only delivery activities you or your organisation own: ask an editor to add a new one');
  const activity = await getActivity(db, partnershipId, activityId);
  throw new ForbiddenError(
    `You can change only delivery activities (and their progress updates) you or your organisation own. Not yours: ${activity.title}`,
  );
}

/**
 * Whether a person may write the lead's commentary on an indicator: by the same rule as figures, contributors (and
 * viewers) only on indicators they or their organisation own when the partnership limits contributors to their own;
 * editors and administrators on any.
 */
export async function mayWriteCommentary(
  db: Kysely<Database>,
  userId: number | null,
  partnershipId: number,
  indicator: Pick<Indicator, 'owner_user_id' | 'owner_organisation_id'>,
): Promise<boolean> {
  const settings = await collectionSettings(db, partnershipId);
  if (!settings.contributorsOwnOnly) return true;
  const standing = await memberStanding(db, partnershipId, userId);
  if (standing.role !== 'contributor' && standing.role !== 'viewer') return true;
  return ownedBy(indicator, { userId, organisationId: standing.organisationId });
}

/** Refuses commentary that `mayWriteCommentary` does not allow (a 403 naming the indicator). */
export async function assertMayWriteCommentary(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  indicator: Pick<Indicator, 'code' | 'title' | 'owner_user_id' | 'owner_organisation_id'>,
): Promise<void> {
  if (await mayWriteCommentary(db, actor.userId, partnershipId, indicator)) return;
  throw new ForbiddenError(`You can write commentary only on indicators you or your organisation own. Not yours: ${label(indicator)}`);
}
