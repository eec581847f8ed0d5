/**
 * The collection calendar of a partnership (decision 0022): every figure expected of each indicator by the
 * calendar, with its due date and status (received, due, overdue), who owns it, what is a given person's to do,
 * and the completeness score (share of figures received on time) per owner, organisation and partnership.
 * The rules are pure functions in src/domain/collection.ts; this file gathers the rows they need.
 */
import type { Kysely } from 'kysely';
import type { ActivityStatus, Database, Frequency } from '../../adapters/database/schema.ts';
import { todayIso } from '../../adapters/clock.ts';
import {
  collectionCalendar,
  completeness,
  defaultCollectFrom,
  quarterCollection,
  sumCompleteness,
  type Completeness,
  type ExpectedFigure,
  type QuarterCollection,
} from '../../domain/collection.ts';
import { addDays } from '../../domain/workingDays.ts';
import { Validator } from '../../domain/errors.ts';
import { formatDateLong } from '../../domain/dates.ts';
import { collectionSettings, memberStanding, ownedBy } from './owners.ts';
import { label } from '../performance/indicators.ts';

export interface IndicatorCollection {
  indicatorId: number;
  code: string;
  title: string;
  label: string;
  frequency: Frequency;
  /** The free-text owner, kept for people without an account. */
  ownerText: string;
  ownerUserId: number | null;
  ownerName: string | null;
  ownerEmail: string | null;
  ownerOrganisationId: number | null;
  ownerOrganisationName: string | null;
  /** Working days after the period ends, and whether that is the partnership's default. */
  dueWorkingDays: number;
  usesDefault: boolean;
  collectFrom: string;
  expected: ExpectedFigure[];
  overdue: number;
  due: number;
  received: number;
  /** The figure still to come with the earliest due date, if any. */
  next: ExpectedFigure | null;
}

export interface PartnershipCollection {
  today: string;
  defaultWorkingDays: number;
  contributorsOwnOnly: boolean;
  indicators: IndicatorCollection[];
  overdue: number;
  due: number;
}

/** Every partnership indicator's expected figures on `today`. */
export async function partnershipCollection(
  db: Kysely<Database>,
  partnershipId: number,
  today: string = todayIso(),
): Promise<PartnershipCollection> {
  const settings = await collectionSettings(db, partnershipId);
  const rows = await db
    .selectFrom('indicators')
    .leftJoin('users', 'users.id', 'indicators.owner_user_id')
    .leftJoin('organisations', 'organisations.id', 'indicators.owner_organisation_id')
    .select([
      'indicators.id',
      'indicators.code',
      'indicators.title',
      'indicators.frequency',
      'indicators.owner',
      'indicators.owner_user_id',
      'indicators.owner_organisation_id',
      'indicators.due_working_days',
      'indicators.collect_from',
      'users.name as owner_name',
      'users.email as owner_email',
      'organisations.name as organisation_name',
    ])
    .where('indicators.partnership_id', '=', partnershipId)
    .orderBy('indicators.code')
    .orderBy('indicators.id')
    .execute();
  const entered = await db
    .selectFrom('figures')
    .select(['indicator_id', 'period', (eb) => eb.fn.min('entered_at').as('first')])
    .where('partnership_id', '=', partnershipId)
    .groupBy(['indicator_id', 'period'])
    .execute();
  const firstByIndicator = new Map<number, Map<string, string>>();
  for (const e of entered) {
    let m = firstByIndicator.get(e.indicator_id);
    if (!m) firstByIndicator.set(e.indicator_id, (m = new Map<string, string>()));
    m.set(e.period, String(e.first));
  }
  const indicators = rows.map((r): IndicatorCollection => {
    const workingDays = r.due_working_days ?? settings.dueWorkingDays;
    const collectFrom = r.collect_from ?? defaultCollectFrom(today, r.frequency);
    const expected = collectionCalendar({
      collectFrom,
      workingDays,
      today,
      firstEntered: firstByIndicator.get(r.id) ?? new Map<string, string>(),
    });
    const count = (s: ExpectedFigure['status']) => expected.filter((f) => f.status === s).length;
    return {
      indicatorId: r.id,
      code: r.code,
      title: r.title,
      label: label(r),
      frequency: r.frequency,
      ownerText: r.owner,
      ownerUserId: r.owner_user_id,
      ownerName: r.owner_name,
      ownerEmail: r.owner_email,
      ownerOrganisationId: r.owner_organisation_id,
      ownerOrganisationName: r.organisation_name,
      dueWorkingDays: workingDays,
      usesDefault: r.due_working_days === null,
      collectFrom,
      expected,
      overdue: count('overdue'),
      due: count('due'),
      received: count('received'),
      next: expected.find((f) => f.status !== 'received') ?? null,
    };
  });
  return {
    today,
    defaultWorkingDays: settings.dueWorkingDays,
    contributorsOwnOnly: settings.contributorsOwnOnly,
    indicators,
    overdue: indicators.reduce((n, i) => n + i.overdue, 0),
    due: indicators.reduce((n, i) => n + i.due, 0),
  };
}

export interface IndicatorQuarterCollection extends QuarterCollection {
  /** Who owns the indicator, in words ('' when nobody does). */
  ownerText: string;
}

/**
 * How each indicator's figures for a quarter (ending `quarterEnd`) came in, by the calendar of the collection page
 * as it stands on `today`: on time, late, missing, not yet due or not expected; by indicator id.
 */
export async function collectionForQuarter(
  db: Kysely<Database>,
  partnershipId: number,
  quarterEnd: string,
  today: string = todayIso(),
): Promise<Map<number, IndicatorQuarterCollection>> {
  const collection = await partnershipCollection(db, partnershipId, today);
  return new Map(
    collection.indicators.map((i) => [
      i.indicatorId,
      {
        ...quarterCollection(i.expected, quarterEnd),
        ownerText: [i.ownerName ?? i.ownerText, i.ownerOrganisationName].filter(Boolean).join(', '),
      },
    ]),
  );
}

/** One indicator's expected figures (for its page and the API). */
export async function indicatorCollection(
  db: Kysely<Database>,
  partnershipId: number,
  indicatorId: number,
  today: string = todayIso(),
): Promise<IndicatorCollection | null> {
  const all = await partnershipCollection(db, partnershipId, today);
  return all.indicators.find((i) => i.indicatorId === indicatorId) ?? null;
}

export interface ActivityDue {
  activityId: number;
  planId: number;
  versionId: number;
  title: string;
  status: ActivityStatus;
  dueDate: string | null;
  lastUpdate: string | null;
}

/** An activity still under way is due an update when it has had none in this many days. */
export const ACTIVITY_UPDATE_DAYS = 30;

export interface MyWork {
  today: string;
  /** Expected figures not yet received, of indicators the person or their organisation owns. */
  figures: (ExpectedFigure & { indicatorId: number; label: string; frequency: Frequency })[];
  indicators: IndicatorCollection[];
  activities: ActivityDue[];
  /** The organisation the person works for in this partnership (what they own through it is theirs too). */
  organisationId: number | null;
}

/** What is a person's to do in a partnership: their figures due and overdue, and activities due an update. */
export async function myWork(db: Kysely<Database>, partnershipId: number, userId: number, today: string = todayIso()): Promise<MyWork> {
  const standing = await memberStanding(db, partnershipId, userId);
  const who = { userId, organisationId: standing.organisationId };
  const collection = await partnershipCollection(db, partnershipId, today);
  const indicators = collection.indicators.filter((i) =>
    ownedBy({ owner_user_id: i.ownerUserId, owner_organisation_id: i.ownerOrganisationId }, who),
  );
  const figures = indicators
    .flatMap((i) =>
      i.expected
        .filter((f) => f.status !== 'received')
        .map((f) => ({ ...f, indicatorId: i.indicatorId, label: i.label, frequency: i.frequency })),
    )
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.label.localeCompare(b.label));
  return {
    today,
    figures,
    indicators,
    activities: await activitiesDueUpdate(db, partnershipId, who, today),
    organisationId: who.organisationId,
  };
}

/**
 * The id of each plan's latest agreed (not draft) version: where delivery goes on, so where activities are due an
 * update and risks due a review.
 */
export async function latestAgreedVersions(db: Kysely<Database>, partnershipId: number): Promise<{ id: number; plan_id: number }[]> {
  const versions = await db
    .selectFrom('plan_versions')
    .select(['id', 'plan_id'])
    .where('partnership_id', '=', partnershipId)
    .where('status', '!=', 'draft')
    .orderBy('id')
    .execute();
  const latest = new Map<number, { id: number; plan_id: number }>();
  for (const v of versions) latest.set(v.plan_id, v);
  return [...latest.values()];
}

/** Activities of each plan's latest agreed version owned by the person (or their organisation) and due an update. */
async function activitiesDueUpdate(
  db: Kysely<Database>,
  partnershipId: number,
  who: { userId: number | null; organisationId: number | null },
  today: string,
): Promise<ActivityDue[]> {
  const versions = await latestAgreedVersions(db, partnershipId);
  if (versions.length === 0) return [];
  const rows = await db
    .selectFrom('delivery_activities')
    .leftJoin('activity_updates', 'activity_updates.activity_id', 'delivery_activities.id')
    .select([
      'delivery_activities.id',
      'delivery_activities.plan_version_id',
      'delivery_activities.title',
      'delivery_activities.status',
      'delivery_activities.due_date',
      'delivery_activities.owner_user_id',
      'delivery_activities.owner_organisation_id',
      (eb) => eb.fn.max('activity_updates.update_date').as('last_update'),
    ])
    .where('delivery_activities.partnership_id', '=', partnershipId)
    .where(
      'delivery_activities.plan_version_id',
      'in',
      versions.map((v) => v.id),
    )
    .where('delivery_activities.status', 'not in', ['complete', 'cancelled'])
    .groupBy([
      'delivery_activities.id',
      'delivery_activities.plan_version_id',
      'delivery_activities.title',
      'delivery_activities.status',
      'delivery_activities.due_date',
      'delivery_activities.owner_user_id',
      'delivery_activities.owner_organisation_id',
    ])
    .orderBy('delivery_activities.id')
    .execute();
  const since = addDays(today, -ACTIVITY_UPDATE_DAYS);
  const planOf = new Map(versions.map((v) => [v.id, v.plan_id]));
  return rows
    .filter((r) => ownedBy(r, who))
    .filter((r) => r.last_update === null || String(r.last_update) < since)
    .map((r) => ({
      activityId: r.id,
      planId: planOf.get(r.plan_version_id)!,
      versionId: r.plan_version_id,
      title: r.title,
      status: r.status,
      dueDate: r.due_date,
      lastUpdate: r.last_update === null ? null : String(r.last_update),
    }));
}

export interface CompletenessRow {
  key: string;
  name: string;
  completeness: Completeness;
}

export interface CompletenessReport {
  from: string;
  to: string;
  today: string;
  partnership: Completeness;
  owners: CompletenessRow[];
  organisations: CompletenessRow[];
  indicators: (CompletenessRow & { indicatorId: number })[];
}

/**
 * Reads the window of a completeness report (due dates from and to: the GOV.UK date input's boxes on the page, an
 * ISO or written date over the API); by default the last 12 months. Errors say which part is wrong (issue 15).
 */
export function completenessWindow(raw: { from?: unknown; to?: unknown }, today: string = todayIso()): { from: string; to: string } {
  const v = new Validator();
  const from = v.date('from', raw.from, 'the first due date') ?? addDays(today, -365);
  const to = v.date('to', raw.to, 'the last due date') ?? today;
  if (v.errors.length === 0) v.dateOrder('to', from, to, `The last due date must be on or after the first (${formatDateLong(from)})`);
  v.throwIfAny();
  return { from, to };
}

/** The completeness score per owner, organisation and indicator, and for the partnership, over a window of due dates. */
export async function completenessReport(
  db: Kysely<Database>,
  partnershipId: number,
  window: { from: string; to: string },
  today: string = todayIso(),
): Promise<CompletenessReport> {
  const collection = await partnershipCollection(db, partnershipId, today);
  const w = { ...window, today };
  const indicators = collection.indicators.map((i) => ({
    key: String(i.indicatorId),
    indicatorId: i.indicatorId,
    name: i.label,
    completeness: completeness(i.expected, w),
  }));
  const group = (keyOf: (i: IndicatorCollection) => string | null, nameOf: (i: IndicatorCollection) => string): CompletenessRow[] => {
    const parts = new Map<string, { name: string; list: Completeness[] }>();
    collection.indicators.forEach((i, index) => {
      const key = keyOf(i);
      if (key === null) return;
      const entry = parts.get(key) ?? { name: nameOf(i), list: [] };
      entry.list.push(indicators[index]!.completeness);
      parts.set(key, entry);
    });
    return [...parts.entries()]
      .map(([key, e]) => ({ key, name: e.name, completeness: sumCompleteness(e.list) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  };
  return {
    ...window,
    today,
    partnership: sumCompleteness(indicators.map((i) => i.completeness)),
    owners: group(
      (i) => (i.ownerUserId !== null ? `user-${i.ownerUserId}` : i.ownerText ? `text-${i.ownerText}` : 'none'),
      (i) => i.ownerName ?? (i.ownerText || 'No owner'),
    ),
    organisations: group(
      (i) => (i.ownerOrganisationId !== null ? String(i.ownerOrganisationId) : 'none'),
      (i) => i.ownerOrganisationName ?? 'No organisation',
    ),
    indicators,
  };
}
