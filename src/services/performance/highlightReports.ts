/**
 * Highlight reports: each priority group's monthly report to the Board, written by its chair or lead: the progress
 * made, the milestones achieved and coming next, the issues and risks, what the group asks the Board to decide, and
 * an optional overall RAG. One report per priority and month; changes are audited and checked for conflicts. The
 * quarterly report (the Board pack) shows the reports of its three months.
 */
import type { Kysely } from 'kysely';
import { RAGS, type Database, type HighlightReport, type Priority, type RagStatus } from '../../adapters/database/schema.ts';
import { formatPeriodLabel, monthKey, readPeriodText } from '../../domain/index.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { updateWithConflictCheck } from '../platform/conflictCheckedUpdate.ts';
import { nowIso } from '../../adapters/clock.ts';
import { laterTimestamp, lockRows } from '../../adapters/database/concurrency.ts';
import { NotFoundError, ValidationError, Validator } from '../../domain/errors.ts';
import { currentPlanVersion } from '../plans/plans.ts';

export const HIGHLIGHT_TEXT_MAX_LENGTH = 5000;

export interface HighlightReportInput {
  /** '2020-03', 'March 2020', 'Mar 2020' or '03/2020'. */
  month?: unknown;
  progress?: unknown;
  milestonesAchieved?: unknown;
  milestonesNext?: unknown;
  issuesRisks?: unknown;
  boardRequests?: unknown;
  /** 'red', 'amber', 'green' or blank for none. */
  rag?: unknown;
  /** The `updatedAt` of the report as it was opened: the save is refused if it has changed since. */
  expectedUpdatedAt?: unknown;
}

/** A report with the title of its priority and its author's name. */
export interface HighlightReportDetails extends HighlightReport {
  priorityTitle: string;
  author: string;
  /** 'March 2020' */
  monthLabel: string;
}

/** A month as people type it (March 2020, Mar 2020, 3/2020, 2020-03), as 'YYYY-MM'; null when it cannot be read. */
export function parseReportMonth(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  try {
    const p = readPeriodText(raw, 'month') as { year: number; month: number };
    return p.year < 2000 || p.year > 2100 ? null : monthKey(p.year, p.month);
  } catch {
    return null;
  }
}

interface ValidReport {
  month: string;
  progress: string;
  milestones_achieved: string;
  milestones_next: string;
  issues_risks: string;
  board_requests: string;
  rag: RagStatus | null;
}

function validate(input: HighlightReportInput): ValidReport {
  const v = new Validator();
  const monthRaw = typeof input.month === 'string' ? input.month.trim() : '';
  const month = parseReportMonth(monthRaw);
  if (monthRaw === '') v.add('month', 'Enter the month the report covers, like March 2020');
  else if (month === null) v.add('month', `Enter the month like March 2020 or 2020-03 (got "${monthRaw.slice(0, 40)}")`);
  else if (month > nowIso().slice(0, 7))
    v.add('month', `${formatPeriodLabel(month)} has not started yet: report on this month or an earlier one`);
  const max = HIGHLIGHT_TEXT_MAX_LENGTH;
  const progress = v.text('progress', input.progress, 'the progress made this month', { max });
  const achieved = v.text('milestonesAchieved', input.milestonesAchieved ?? '', 'the milestones achieved', { required: false, max });
  const next = v.text('milestonesNext', input.milestonesNext ?? '', 'the next milestones', { required: false, max });
  const issues = v.text('issuesRisks', input.issuesRisks ?? '', 'the issues and risks', { required: false, max });
  const requests = v.text('boardRequests', input.boardRequests ?? '', 'the requests to the Board', { required: false, max });
  const ragRaw = input.rag === undefined || input.rag === null ? '' : input.rag;
  const rag = ragRaw === '' ? null : v.oneOf('rag', ragRaw, RAGS, 'Select red, amber or green as the overall status, or no status');
  v.throwIfAny();
  return {
    month: month!,
    progress,
    milestones_achieved: achieved,
    milestones_next: next,
    issues_risks: issues,
    board_requests: requests,
    rag,
  };
}

/** One of the partnership's plan priorities: the tenant boundary for highlight reports. */
export async function getReportingPriority(db: Kysely<Database>, partnershipId: number, priorityId: number): Promise<Priority> {
  const row = await db
    .selectFrom('priorities')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('id', '=', priorityId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Priority');
  return row;
}

function detailsQuery(db: Kysely<Database>) {
  return db
    .selectFrom('highlight_reports')
    .innerJoin('priorities', 'priorities.id', 'highlight_reports.priority_id')
    .leftJoin('users', 'users.id', 'highlight_reports.written_by_user_id')
    .selectAll('highlight_reports')
    .select(['priorities.title as priority_title', 'users.name as user_name']);
}

function details(row: HighlightReport & { priority_title: string; user_name: string | null }): HighlightReportDetails {
  const { priority_title, user_name, ...rest } = row;
  return { ...rest, priorityTitle: priority_title, author: user_name ?? rest.written_by, monthLabel: formatPeriodLabel(rest.month) };
}

async function assertMonthFree(db: Kysely<Database>, priorityId: number, month: string, exceptId?: number): Promise<void> {
  let q = db.selectFrom('highlight_reports').select('id').where('priority_id', '=', priorityId).where('month', '=', month);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) {
    throw new ValidationError([
      {
        field: 'month',
        message: `There is already a highlight report for ${formatPeriodLabel(month)} for this priority: change that report instead`,
      },
    ]);
  }
}

export async function createHighlightReport(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  priorityId: number,
  input: HighlightReportInput,
): Promise<HighlightReportDetails> {
  const priority = await getReportingPriority(db, partnershipId, priorityId);
  const data = validate(input);
  return db.transaction().execute(async (trx) => {
    await lockRows(trx, 'priorities', priorityId); // one report per priority and month: its reports are written one at a time
    await assertMonthFree(trx, priorityId, data.month);
    const now = nowIso();
    const row = await trx
      .insertInto('highlight_reports')
      .values({
        partnership_id: partnershipId,
        priority_id: priorityId,
        ...data,
        written_by: actor.label,
        written_by_user_id: actor.userId,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'highlight_report',
      entityId: row.id,
      summary: `Wrote the ${formatPeriodLabel(data.month)} highlight report for ${priority.title}`,
      after: row,
    });
    return getHighlightReport(trx, partnershipId, row.id);
  });
}

export async function updateHighlightReport(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  id: number,
  input: HighlightReportInput,
): Promise<HighlightReportDetails> {
  const { priority_id: priorityId } = await getHighlightReport(db, partnershipId, id);
  const data = validate(input);
  const { details: after } = await updateWithConflictCheck(db, actor, {
    // One report per priority and month: the priority's reports are written one at a time.
    table: 'priorities',
    id: priorityId,
    read: (trx) => getHighlightReport(trx, partnershipId, id),
    expectedUpdatedAt: input.expectedUpdatedAt,
    conflictMessage: (before) =>
      `The ${before.monthLabel} highlight report for ${before.priorityTitle} was changed by ${before.written_by} after you opened it. Their version is shown below; make your changes again.`,
    update: async (trx, before) => {
      await assertMonthFree(trx, before.priority_id, data.month, id);
      const row = await trx
        .updateTable('highlight_reports')
        .set({ ...data, written_by: actor.label, written_by_user_id: actor.userId, updated_at: laterTimestamp(before.updated_at) })
        .where('id', '=', id)
        .where('partnership_id', '=', partnershipId)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { row, details: await getHighlightReport(trx, partnershipId, id) };
    },
    audit: (before, { row }) => {
      const { priorityTitle: _p, author: _a, monthLabel: _m, ...beforeRow } = before;
      return {
        partnershipId,
        action: 'update',
        entityType: 'highlight_report',
        entityId: id,
        summary: `Updated the ${formatPeriodLabel(row.month)} highlight report for ${before.priorityTitle}`,
        before: beforeRow,
        after: row,
      };
    },
  });
  return after;
}

export async function getHighlightReport(db: Kysely<Database>, partnershipId: number, id: number): Promise<HighlightReportDetails> {
  const row = await detailsQuery(db)
    .where('highlight_reports.partnership_id', '=', partnershipId)
    .where('highlight_reports.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Highlight report');
  return details(row);
}

export interface HighlightReportPage {
  reports: HighlightReportDetails[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
}

/** The partnership's highlight reports, newest month first, optionally for one priority and a range of months. */
export async function listHighlightReports(
  db: Kysely<Database>,
  partnershipId: number,
  options: { priorityId?: number; from?: string; to?: string; page?: number; pageSize?: number } = {},
): Promise<HighlightReportPage> {
  let q = db.selectFrom('highlight_reports').where('highlight_reports.partnership_id', '=', partnershipId);
  if (options.priorityId !== undefined) q = q.where('highlight_reports.priority_id', '=', options.priorityId);
  if (options.from) q = q.where('highlight_reports.month', '>=', options.from);
  if (options.to) q = q.where('highlight_reports.month', '<=', options.to);
  const { count } = await q.select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow();
  const total = Number(count);
  const pageSize = Math.min(Math.max(1, Math.floor(options.pageSize ?? 12)), 200);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pageCount);
  let rows = detailsQuery(db).where('highlight_reports.partnership_id', '=', partnershipId);
  if (options.priorityId !== undefined) rows = rows.where('highlight_reports.priority_id', '=', options.priorityId);
  if (options.from) rows = rows.where('highlight_reports.month', '>=', options.from);
  if (options.to) rows = rows.where('highlight_reports.month', '<=', options.to);
  const list = await rows
    .orderBy('highlight_reports.month', 'desc')
    .orderBy('priorities.position')
    .orderBy('highlight_reports.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return { reports: list.map(details), total, page, pageCount, pageSize };
}

/** The highlight reports of any of the given priorities for any of the given months, newest month first. */
export async function highlightReportsFor(
  db: Kysely<Database>,
  partnershipId: number,
  priorityIds: number[],
  months: string[],
): Promise<HighlightReportDetails[]> {
  if (priorityIds.length === 0 || months.length === 0) return [];
  const rows = await detailsQuery(db)
    .where('highlight_reports.partnership_id', '=', partnershipId)
    .where('highlight_reports.priority_id', 'in', priorityIds)
    .where('highlight_reports.month', 'in', months)
    .orderBy('highlight_reports.month', 'desc')
    .execute();
  return rows.map(details);
}

/** The priorities of the partnership's current plan version (for this financial year), in plan order. */
export async function currentPriorities(
  db: Kysely<Database>,
  partnershipId: number,
): Promise<{ priorities: Priority[]; versionId: number | null }> {
  const today = nowIso().slice(0, 7);
  const [y, m] = today.split('-').map(Number) as [number, number];
  const version = await currentPlanVersion(db, partnershipId, m >= 4 ? y : y - 1);
  if (!version) return { priorities: [], versionId: null };
  const priorities = await db
    .selectFrom('priorities')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('plan_version_id', '=', version.id)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return { priorities, versionId: version.id };
}

/** Form values for editing a report. */
export function inputFromReport(r: HighlightReport): Record<string, string> {
  return {
    month: formatPeriodLabel(r.month),
    progress: r.progress,
    milestonesAchieved: r.milestones_achieved,
    milestonesNext: r.milestones_next,
    issuesRisks: r.issues_risks,
    boardRequests: r.board_requests,
    rag: r.rag ?? '',
    expectedUpdatedAt: r.updated_at,
  };
}
