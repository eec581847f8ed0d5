/**
 * Partnerships are the tenants: every other record belongs to exactly one. A platform administrator creates
 * them; each user has a role in each partnership they belong to.
 */
import type { Kysely } from 'kysely';
import { RISK_SCORINGS, type Database, type Organisation, type Partnership, type Role, type User } from '../../adapters/database/schema.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { nowIso } from '../../adapters/clock.ts';
import { isStorableId } from '../../adapters/database/database.ts';
import { ForbiddenError, NotFoundError, ValidationError, Validator } from '../../domain/errors.ts';
import { cachedForPartnership } from '../platform/snapshotCache.ts';
import { setCurrentPartnership } from '../identity/sessions.ts';
import { listOrganisations } from './organisations.ts';

export interface Population {
  year: number;
  population: number;
}

export interface PartnershipDetails extends Partnership {
  populations: Population[];
}

export interface PartnershipInput {
  name?: unknown;
  areaDescription?: unknown;
  /** One "year: population" pair per line, or an array of pairs (API). */
  populations?: unknown;
  /** Contact details for the public pages (decision 0021); left as they are when not given. */
  contactEmail?: unknown;
  contactPhone?: unknown;
  contactAddress?: unknown;
  /** What the public plan document includes beyond the summary: 'risks', 'funding' (a list, or one value). */
  publicParts?: unknown;
  /** Set by the settings form, which always offers publicParts: an empty choice then means neither. */
  publicPartsShown?: unknown;
  /** How risks are scored: 'words' (3x3 high, medium, low) or 'five' (severity and likelihood 1-5). */
  riskScoring?: unknown;
}

export const PUBLIC_PARTS = ['risks', 'funding'] as const;

/** The public-site settings given in the input, validated; only those given are returned, so other callers leave them alone. */
function validatePublicSettings(input: PartnershipInput, v: Validator) {
  const out: Partial<
    Pick<Partnership, 'contact_email' | 'contact_phone' | 'contact_address' | 'public_risks' | 'public_funding' | 'risk_scoring'>
  > = {};
  if (input.riskScoring !== undefined)
    out.risk_scoring = v.oneOf('riskScoring', input.riskScoring, RISK_SCORINGS, 'Choose how risks are scored: 3x3 words or 5x5 numbers');
  if (input.contactEmail !== undefined) {
    const raw = typeof input.contactEmail === 'string' ? input.contactEmail.trim() : '';
    out.contact_email = raw === '' ? '' : v.email('contactEmail', raw, 'the contact email address');
  }
  if (input.contactPhone !== undefined) {
    const phone = v.text('contactPhone', input.contactPhone, 'the contact telephone number', { required: false, max: 100 });
    if (phone !== '' && !/^[0-9+() -]{6,30}$/.test(phone))
      v.add('contactPhone', `Enter a telephone number like 01709 336080 (got "${phone.slice(0, 40)}")`);
    out.contact_phone = phone;
  }
  if (input.contactAddress !== undefined)
    out.contact_address = v.text('contactAddress', input.contactAddress, 'the contact address', { required: false, max: 1000 });
  if (input.publicParts !== undefined || input.publicPartsShown !== undefined) {
    const parts = (Array.isArray(input.publicParts) ? input.publicParts : input.publicParts ? [input.publicParts] : []).map(String);
    const unknown = parts.filter((x) => !(PUBLIC_PARTS as readonly string[]).includes(x));
    if (unknown.length) v.add('publicParts', `Choose the risk registers or the funding (got "${unknown[0]!.slice(0, 40)}")`);
    out.public_risks = parts.includes('risks') ? 1 : 0;
    out.public_funding = parts.includes('funding') ? 1 : 0;
  }
  return out;
}

export function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'partnership'
  );
}

/** Parses population figures from "2019: 264,984" lines or from [{year, population}] (API). */
export function parsePopulations(raw: unknown, v: Validator): Population[] {
  const result: Population[] = [];
  const seen = new Set<number>();
  const push = (year: unknown, population: unknown, where: string) => {
    const y = Number(year);
    const p = Number(typeof population === 'string' ? population.replace(/[,\s]/g, '') : population);
    if (!Number.isInteger(y) || y < 1990 || y > 2100)
      v.add('populations', `${where}: the year must be a whole number between 1990 and 2100 (got "${String(year)}")`);
    else if (!Number.isInteger(p) || p <= 0 || p > 20_000_000)
      v.add('populations', `${where}: the population must be a whole number greater than 0 (got "${String(population)}")`);
    else if (seen.has(y)) v.add('populations', `${where}: the year ${y} is given twice`);
    else {
      seen.add(y);
      result.push({ year: y, population: p });
    }
  };
  if (Array.isArray(raw)) {
    raw.forEach((item: unknown, i) => {
      const o = (item ?? {}) as Record<string, unknown>;
      push(o.year, o.population, `Population ${i + 1}`);
    });
  } else if (typeof raw === 'string') {
    raw.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === '') return;
      const m = /^\s*(\S+)\s*[:=]\s*(.+?)\s*$/.exec(line);
      if (!m) v.add('populations', `Line ${i + 1}: write each line as "year: population", like "2019: 264,984" (got "${line.trim()}")`);
      else push(m[1], m[2], `Line ${i + 1}`);
    });
  } else if (raw !== undefined && raw !== null) {
    v.add('populations', 'Populations must be a list of years and populations');
  }
  return result.sort((a, b) => a.year - b.year);
}

export function formatPopulations(populations: Population[]): string {
  return populations.map((p) => `${p.year}: ${p.population.toLocaleString('en-GB')}`).join('\n');
}

function validate(input: PartnershipInput) {
  const v = new Validator();
  const name = v.text('name', input.name, 'the partnership name', { max: 200 });
  const areaDescription = v.text('areaDescription', input.areaDescription ?? '', 'a description of the area', {
    required: false,
    max: 5000,
  });
  const populations = parsePopulations(input.populations, v);
  const publicSettings = validatePublicSettings(input, v);
  v.throwIfAny();
  return { name, areaDescription, populations, publicSettings };
}

export async function createPartnership(
  db: Kysely<Database>,
  actor: Actor,
  creator: User | null,
  input: PartnershipInput,
): Promise<PartnershipDetails> {
  if (creator && !creator.is_platform_admin) throw new ForbiddenError('Only a platform administrator can create partnerships');
  const { name, areaDescription, populations } = validate(input);
  return db.transaction().execute(async (trx) => {
    let slug = slugify(name);
    for (let n = 2; await trx.selectFrom('partnerships').select('id').where('slug', '=', slug).executeTakeFirst(); n++)
      slug = `${slugify(name)}-${n}`;
    const now = nowIso();
    const p = await trx
      .insertInto('partnerships')
      .values({ name, slug, area_description: areaDescription, fy_start_month: 4, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (populations.length)
      await trx
        .insertInto('partnership_populations')
        .values(populations.map((x) => ({ partnership_id: p.id, ...x })))
        .execute();
    const details = { ...p, populations };
    await recordAudit(trx, actor, {
      partnershipId: p.id,
      action: 'create',
      entityType: 'partnership',
      entityId: p.id,
      summary: `Created partnership ${name}`,
      after: details,
    });
    return details;
  });
}

export async function updatePartnership(
  db: Kysely<Database>,
  actor: Actor,
  id: number,
  input: PartnershipInput,
): Promise<PartnershipDetails> {
  const { name, areaDescription, populations, publicSettings } = validate(input);
  return db.transaction().execute(async (trx) => {
    const before = await getPartnership(trx, id);
    const p = await trx
      .updateTable('partnerships')
      .set({ name, area_description: areaDescription, ...publicSettings, updated_at: nowIso() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.deleteFrom('partnership_populations').where('partnership_id', '=', id).execute();
    if (populations.length)
      await trx
        .insertInto('partnership_populations')
        .values(populations.map((x) => ({ partnership_id: id, ...x })))
        .execute();
    const after = { ...p, populations };
    await recordAudit(trx, actor, {
      partnershipId: id,
      action: 'update',
      entityType: 'partnership',
      entityId: id,
      summary: `Updated partnership ${name}`,
      before,
      after,
    });
    return after;
  });
}

export async function getPartnership(db: Kysely<Database>, id: number): Promise<PartnershipDetails> {
  const p = await db.selectFrom('partnerships').selectAll().where('id', '=', id).executeTakeFirst();
  if (!p) throw new NotFoundError('Partnership');
  const populations = await db
    .selectFrom('partnership_populations')
    .select(['year', 'population'])
    .where('partnership_id', '=', id)
    .orderBy('year')
    .execute();
  return { ...p, populations };
}

export async function findPartnershipByName(db: Kysely<Database>, name: string): Promise<Partnership | undefined> {
  return db.selectFrom('partnerships').selectAll().where('name', '=', name).executeTakeFirst();
}

export interface PartnershipWithRole extends Partnership {
  role: Role;
}

/** The partnerships a user can switch between, with their role in each. */
export async function partnershipsForUser(db: Kysely<Database>, user: User): Promise<PartnershipWithRole[]> {
  if (user.is_platform_admin) {
    const all = await db.selectFrom('partnerships').selectAll().orderBy('name').execute();
    return all.map((p) => ({ ...p, role: 'admin' }));
  }
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('partnerships', 'partnerships.id', 'memberships.partnership_id')
    .selectAll('partnerships')
    .select('memberships.role')
    .where('memberships.user_id', '=', user.id)
    .orderBy('partnerships.name')
    .execute();
  return rows;
}

/** The user's role in a partnership: platform administrators act as administrators everywhere. */
export async function roleIn(db: Kysely<Database>, user: User, partnershipId: number): Promise<Role | null> {
  if (user.is_platform_admin) {
    const exists = await db.selectFrom('partnerships').select('id').where('id', '=', partnershipId).executeTakeFirst();
    return exists ? 'admin' : null;
  }
  const m = await db
    .selectFrom('memberships')
    .select('role')
    .where('partnership_id', '=', partnershipId)
    .where('user_id', '=', user.id)
    .executeTakeFirst();
  return m?.role ?? null;
}

/** The partnerships a user belongs to, each in full (populations included) with the user's role. */
export async function partnershipDetailsForUser(db: Kysely<Database>, user: User): Promise<(PartnershipDetails & { role: Role })[]> {
  const mine = await partnershipsForUser(db, user);
  return Promise.all(mine.map(async (p) => ({ ...(await getPartnership(db, p.id)), role: p.role })));
}

/**
 * Makes a partnership the current one of a browser session (the switcher), if the user may see it: outsiders are
 * told it does not exist.
 */
export async function switchPartnership(db: Kysely<Database>, user: User, sessionId: string | null, partnershipId: number): Promise<void> {
  if ((await roleIn(db, user, partnershipId)) === null) throw new NotFoundError('Partnership');
  if (sessionId) await setCurrentPartnership(db, sessionId, partnershipId);
}

export interface PartnershipOverview {
  organisations: Organisation[];
  memberCount: number;
}

/**
 * What a partnership's overview page shows besides the partnership itself. Opening the overview makes the
 * partnership the session's current one (`rememberInSession`: the session's id, when it is not current yet).
 */
export async function partnershipOverview(
  db: Kysely<Database>,
  partnershipId: number,
  rememberInSession: string | null,
): Promise<PartnershipOverview> {
  if (rememberInSession) await setCurrentPartnership(db, rememberInSession, partnershipId);
  const organisations = await listOrganisations(db, partnershipId);
  const { n } = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('partnership_id', '=', partnershipId)
    .executeTakeFirstOrThrow();
  return { organisations, memberCount: Number(n) };
}

export interface PartnershipAccessDetails {
  partnership: PartnershipDetails;
  role: Role;
  /** The partnership's data version when the request began (src/services/platform/snapshotCache.ts). */
  version: number;
}

/**
 * The user's role in a partnership (as `roleIn`), the partnership (as `getPartnership`) and its data version, in
 * one query per request: populations come from the cache for that version. Null when the partnership does not
 * exist or the user is not a member.
 */
export async function partnershipAccess(db: Kysely<Database>, user: User, partnershipId: number): Promise<PartnershipAccessDetails | null> {
  const row = await db
    .selectFrom('partnerships')
    .leftJoin('memberships', (join) =>
      join.onRef('memberships.partnership_id', '=', 'partnerships.id').on('memberships.user_id', '=', user.id),
    )
    .leftJoin('partnership_versions', 'partnership_versions.partnership_id', 'partnerships.id')
    .selectAll('partnerships')
    .select(['memberships.role as member_role', 'partnership_versions.version as data_version'])
    .where('partnerships.id', '=', partnershipId)
    .executeTakeFirst();
  if (!row) return null;
  const { member_role, data_version, ...partnership } = row;
  const role: Role | null = user.is_platform_admin ? 'admin' : member_role;
  if (role === null) return null;
  const version = data_version ?? 0;
  const populations = await cachedForPartnership(
    db,
    partnershipId,
    'populations',
    () =>
      db
        .selectFrom('partnership_populations')
        .select(['year', 'population'])
        .where('partnership_id', '=', partnershipId)
        .orderBy('year')
        .execute(),
    version,
  );
  return { partnership: { ...partnership, populations: populations.map((p) => ({ ...p })) }, role, version };
}

/** An id given as text or a number; anything that cannot be a stored id (PostgreSQL's are 32-bit) is not found. */
export function assertValidId(raw: unknown, what: string): number {
  const n = Number(raw);
  if (!isStorableId(n)) throw new NotFoundError(what);
  return n;
}

export { ValidationError };
