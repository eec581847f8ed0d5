/**
 * Audit trail: every create, update and delete records who, when, what, and the values before and after.
 * Services call recordAudit inside the same transaction as the change, so a change never lands without its record.
 */
import type { Kysely } from 'kysely';
import type { AuditEvent, Database } from '../../adapters/database/schema.ts';
import { nowIso } from '../../adapters/clock.ts';
import { bumpDataVersion } from './snapshotCache.ts';
import { Validator } from '../../domain/errors.ts';
import { formatDateLong } from '../../domain/dates.ts';

export interface Actor {
  userId: number | null;
  /** Email of the person, or a label such as "system (demo data)". */
  label: string;
}

export const SYSTEM_ACTOR: Actor = { userId: null, label: 'system' };

export interface AuditEntry {
  partnershipId: number | null;
  action: 'create' | 'update' | 'delete';
  entityType: string;
  entityId: number | string;
  summary: string;
  before?: unknown;
  after?: unknown;
}

/** Fields never written to the audit trail. */
const SECRET_FIELDS = new Set(['password_hash', 'token_hash']);

function toJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (key, v: unknown) => (SECRET_FIELDS.has(key) ? '[redacted]' : v));
}

export async function recordAudit(db: Kysely<Database>, actor: Actor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      partnership_id: entry.partnershipId,
      user_id: actor.userId,
      actor: actor.label,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: String(entry.entityId),
      summary: entry.summary,
      before_json: toJson(entry.before),
      after_json: toJson(entry.after),
      created_at: nowIso(),
    })
    .execute();
  // Caches of the partnership's data are keyed on its version (src/services/platform/snapshotCache.ts): raise it once per
  // transaction (a batch of figures records an event per figure), or with every event made outside one.
  if (entry.partnershipId !== null) {
    const bumped = db.isTransaction ? (versionsRaised.get(db) ?? new Set<number>()) : null;
    if (!bumped?.has(entry.partnershipId)) {
      await bumpDataVersion(db, entry.partnershipId);
      if (bumped) versionsRaised.set(db, bumped.add(entry.partnershipId));
    }
  }
}

/** Partnerships whose data version a transaction has already raised. */
const versionsRaised = new WeakMap<object, Set<number>>();

export interface AuditFilter {
  partnershipId: number;
  entityType?: string;
  action?: string;
  actor?: string;
  from?: string; // YYYY-MM-DD
  to?: string; // YYYY-MM-DD
  page?: number;
  pageSize?: number;
}

/**
 * The dates of an audit trail filter: the GOV.UK date input's boxes on the page, an ISO or written date over the
 * API. Either may be left out; a wrong one is refused with the part that is wrong (issue 15).
 */
export function auditFilterDates(raw: { from?: unknown; to?: unknown }): { from?: string; to?: string } {
  const v = new Validator();
  const from = v.date('from', raw.from, 'the first date');
  const to = v.date('to', raw.to, 'the last date');
  if (from !== null) v.dateOrder('to', from, to, `The last date must be on or after the first date (${formatDateLong(from)})`);
  v.throwIfAny();
  return { ...(from !== null && { from }), ...(to !== null && { to }) };
}

export interface AuditPage {
  events: (AuditEvent & { changes: AuditChange[] })[];
  total: number;
  page: number;
  pageCount: number;
  entityTypes: string[];
}

export interface AuditChange {
  field: string;
  before: string;
  after: string;
}

/** Field-by-field differences between the before and after values of an event, for display. */
export function auditChanges(event: Pick<AuditEvent, 'before_json' | 'after_json'>): AuditChange[] {
  const before = parseObject(event.before_json);
  const after = parseObject(event.after_json);
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => !['created_at', 'updated_at'].includes(f));
  return fields.map((field) => ({ field, before: show(before[field]), after: show(after[field]) })).filter((c) => c.before !== c.after);
}

function parseObject(json: string | null): Record<string, unknown> {
  if (!json) return {};
  const v: unknown = JSON.parse(json);
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
}

function show(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export async function listAudit(db: Kysely<Database>, filter: AuditFilter): Promise<AuditPage> {
  const pageSize = Math.min(Math.max(filter.pageSize ?? 25, 1), 200);
  let q = db.selectFrom('audit_events').where('partnership_id', '=', filter.partnershipId);
  if (filter.entityType) q = q.where('entity_type', '=', filter.entityType);
  if (filter.action) q = q.where('action', '=', filter.action as AuditEvent['action']);
  if (filter.actor) q = q.where('actor', 'like', `%${filter.actor.toLowerCase()}%`);
  if (filter.from && /^\d{4}-\d{2}-\d{2}$/.test(filter.from)) q = q.where('created_at', '>=', filter.from);
  if (filter.to && /^\d{4}-\d{2}-\d{2}$/.test(filter.to)) q = q.where('created_at', '<', `${filter.to}T99`);
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const pageCount = Math.max(1, Math.ceil(Number(total) / pageSize));
  const page = Math.min(Math.max(filter.page ?? 1, 1), pageCount);
  const rows = await q
    .selectAll()
    .orderBy('id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const types = await db
    .selectFrom('audit_events')
    .where('partnership_id', '=', filter.partnershipId)
    .select('entity_type')
    .distinct()
    .orderBy('entity_type')
    .execute();
  return {
    events: rows.map((r) => ({ ...r, changes: auditChanges(r) })),
    total: Number(total),
    page,
    pageCount,
    entityTypes: types.map((t) => t.entity_type),
  };
}
