/**
 * Users of a partnership: their roles, invitations by link, role changes and removal. A partnership always
 * keeps at least one administrator.
 */
import type { Kysely } from 'kysely';
import { ROLES, type Database, type Role, type User } from '../../adapters/database/schema.ts';
import { inTransaction } from '../../adapters/database/database.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { isoPlus, nowIso } from '../../adapters/clock.ts';
import { NotFoundError, ValidationError, Validator } from '../../domain/errors.ts';
import { hashPassword } from '../../adapters/passwordHashing.ts';
import { passwordProblem } from '../identity/passwords.ts';
import { newSecret, sha256 } from '../identity/tokens.ts';
import { findUserByEmail, publicUser } from '../identity/users.ts';
import { addJob } from '../../adapters/jobs/jobQueue.ts';

export const INVITATION_DAYS = 14;

export interface Member {
  userId: number;
  email: string;
  name: string;
  role: Role;
  since: string;
}

export interface PendingInvitation {
  id: number;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
}

export async function listMembers(db: Kysely<Database>, partnershipId: number): Promise<Member[]> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id as userId', 'users.email', 'users.name', 'memberships.role', 'memberships.created_at as since'])
    .where('memberships.partnership_id', '=', partnershipId)
    .orderBy('users.name')
    .execute();
  return rows;
}

export async function listPendingInvitations(db: Kysely<Database>, partnershipId: number): Promise<PendingInvitation[]> {
  return db
    .selectFrom('invitations')
    .select(['id', 'email', 'name', 'role', 'created_at as createdAt', 'expires_at as expiresAt'])
    .where('partnership_id', '=', partnershipId)
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', nowIso())
    .orderBy('id', 'desc')
    .execute();
}

export async function getMember(db: Kysely<Database>, partnershipId: number, userId: number): Promise<Member> {
  const m = (await listMembers(db, partnershipId)).find((x) => x.userId === userId);
  if (!m) throw new NotFoundError('User');
  return m;
}

export type InviteResult = { kind: 'added'; member: Member } | { kind: 'invited'; invitation: PendingInvitation; token: string };

/**
 * Adds an existing user to the partnership straight away, or creates an invitation whose link (returned once,
 * stored only as a hash) lets a new person set their password and join.
 */
export async function inviteUser(
  db: Kysely<Database>,
  actor: Actor,
  inviter: User,
  partnershipId: number,
  input: { email?: unknown; name?: unknown; role?: unknown },
  /** With the app's address, the invitation link is also emailed to the person (a durable email job). */
  options: { baseUrl?: string } = {},
): Promise<InviteResult> {
  const v = new Validator();
  const email = v.email('email', input.email);
  const name = v.text('name', input.name, 'their full name', { max: 200 });
  const role = v.oneOf('role', input.role, ROLES, 'Select a role');
  v.throwIfAny();
  return db.transaction().execute(async (trx) => {
    const existing = await findUserByEmail(trx, email);
    if (existing) {
      const already = await trx
        .selectFrom('memberships')
        .select('id')
        .where('partnership_id', '=', partnershipId)
        .where('user_id', '=', existing.id)
        .executeTakeFirst();
      if (already) throw new ValidationError([{ field: 'email', message: `${email} is already a user of this partnership` }]);
      const m = await trx
        .insertInto('memberships')
        .values({ partnership_id: partnershipId, user_id: existing.id, role, created_at: nowIso() })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, {
        partnershipId,
        action: 'create',
        entityType: 'membership',
        entityId: m.id,
        summary: `Added ${email} as ${role}`,
        after: { email, role },
      });
      return { kind: 'added', member: { userId: existing.id, email, name: existing.name, role, since: m.created_at } };
    }
    const token = newSecret();
    const inv = await trx
      .insertInto('invitations')
      .values({
        partnership_id: partnershipId,
        email,
        name,
        role,
        token_hash: sha256(token),
        invited_by: inviter.id,
        created_at: nowIso(),
        expires_at: isoPlus(INVITATION_DAYS * 86_400_000),
        accepted_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'invitation',
      entityId: inv.id,
      summary: `Invited ${email} as ${role}`,
      after: inv,
    });
    if (options.baseUrl)
      await queueInvitationEmail(trx, inviter, partnershipId, { email, name, link: `${options.baseUrl}/invitations/${token}` });
    return { kind: 'invited', token, invitation: { id: inv.id, email, name, role, createdAt: inv.created_at, expiresAt: inv.expires_at } };
  });
}

/** The invitation email, sent by whichever instance claims the job; the link is kept out of the outbox once sent. */
async function queueInvitationEmail(
  db: Kysely<Database>,
  inviter: User,
  partnershipId: number,
  to: { email: string; name: string; link: string },
): Promise<void> {
  const partnership = await db.selectFrom('partnerships').select('name').where('id', '=', partnershipId).executeTakeFirstOrThrow();
  await addJob(db, {
    kind: 'email',
    partnershipId,
    dedupeKey: null,
    payload: {
      partnershipId,
      to: to.email,
      subject: `You are invited to join ${partnership.name} on CSP Hub`,
      text: [
        `Hello ${to.name},`,
        '',
        `${inviter.name} has invited you to join ${partnership.name} on CSP Hub, where the partnership keeps its plan, figures and meetings.`,
        '',
        'Choose a password and join here:',
        to.link,
        '',
        `The link works once, for ${INVITATION_DAYS} days. If you were not expecting this, ignore this email.`,
      ].join('\n'),
      withhold: to.link,
    },
  });
}

export async function findInvitation(db: Kysely<Database>, token: string) {
  if (!token || token.length > 100) return undefined;
  const inv = await db
    .selectFrom('invitations')
    .innerJoin('partnerships', 'partnerships.id', 'invitations.partnership_id')
    .selectAll('invitations')
    .select('partnerships.name as partnership_name')
    .where('token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!inv || inv.accepted_at !== null || inv.expires_at < nowIso()) return undefined;
  return inv;
}

/** Accepts an invitation: creates the account with the chosen password and the membership. */
export async function acceptInvitation(
  db: Kysely<Database>,
  token: string,
  input: { name?: unknown; password?: unknown; confirmPassword?: unknown },
): Promise<User> {
  const inv = await findInvitation(db, token);
  if (!inv) throw new NotFoundError('Invitation');
  const v = new Validator();
  const name = v.text('name', input.name, 'your full name', { max: 200 });
  const password = typeof input.password === 'string' ? input.password : '';
  const problem = passwordProblem(password, { email: inv.email, name });
  if (problem) v.add('password', problem);
  else if (password !== input.confirmPassword) v.add('confirmPassword', 'The passwords do not match');
  v.throwIfAny();
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    if (await findUserByEmail(trx, inv.email))
      throw new ValidationError([{ field: 'name', message: 'An account with this email address already exists: sign in instead' }]);
    const now = nowIso();
    const user = await trx
      .insertInto('users')
      .values({
        email: inv.email,
        name,
        password_hash: passwordHash,
        is_platform_admin: 0,
        disabled: 0,
        oidc_subject: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const actor: Actor = { userId: user.id, label: user.email };
    await recordAudit(trx, actor, {
      partnershipId: inv.partnership_id,
      action: 'create',
      entityType: 'user',
      entityId: user.id,
      summary: `${inv.email} accepted the invitation`,
      after: publicUser(user),
    });
    const m = await trx
      .insertInto('memberships')
      .values({ partnership_id: inv.partnership_id, user_id: user.id, role: inv.role, created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId: inv.partnership_id,
      action: 'create',
      entityType: 'membership',
      entityId: m.id,
      summary: `Joined as ${inv.role}`,
      after: { email: inv.email, role: inv.role },
    });
    await trx.updateTable('invitations').set({ accepted_at: now }).where('id', '=', inv.id).execute();
    return user;
  });
}

async function assertNotLastAdmin(db: Kysely<Database>, partnershipId: number, userId: number) {
  const admins = await db
    .selectFrom('memberships')
    .select('user_id')
    .where('partnership_id', '=', partnershipId)
    .where('role', '=', 'admin')
    .execute();
  if (admins.length === 1 && admins[0]!.user_id === userId) {
    throw new ValidationError([
      { field: 'role', message: 'A partnership must keep at least one administrator: make someone else an administrator first' },
    ]);
  }
}

export async function changeRole(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  userId: number,
  roleInput: unknown,
): Promise<Member> {
  await getMember(db, partnershipId, userId); // not found before invalid
  const v = new Validator();
  const role = v.oneOf('role', roleInput, ROLES, 'Select a role');
  v.throwIfAny();
  return db.transaction().execute(async (trx) => {
    const before = await getMember(trx, partnershipId, userId);
    if (before.role === 'admin' && role !== 'admin') await assertNotLastAdmin(trx, partnershipId, userId);
    await trx.updateTable('memberships').set({ role }).where('partnership_id', '=', partnershipId).where('user_id', '=', userId).execute();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'update',
      entityType: 'membership',
      entityId: userId,
      summary: `Changed role of ${before.email} to ${role}`,
      before: { role: before.role },
      after: { role },
    });
    return { ...before, role };
  });
}

/** Removes a user from the partnership (ending their sessions there); returns them as they were. */
export async function removeMember(db: Kysely<Database>, actor: Actor, partnershipId: number, userId: number): Promise<Member> {
  return db.transaction().execute(async (trx) => {
    const before = await getMember(trx, partnershipId, userId);
    if (before.role === 'admin') await assertNotLastAdmin(trx, partnershipId, userId);
    await trx.deleteFrom('memberships').where('partnership_id', '=', partnershipId).where('user_id', '=', userId).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', userId).where('current_partnership_id', '=', partnershipId).execute();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'delete',
      entityType: 'membership',
      entityId: userId,
      summary: `Removed ${before.email} from the partnership`,
      before,
    });
    return before;
  });
}

/** Adds a membership directly (demo data and partnership creation). */
export async function addMembership(db: Kysely<Database>, actor: Actor, partnershipId: number, user: User, role: Role): Promise<void> {
  await inTransaction(db, async (trx) => {
    const m = await trx
      .insertInto('memberships')
      .values({ partnership_id: partnershipId, user_id: user.id, role, created_at: nowIso() })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'membership',
      entityId: m.id,
      summary: `Added ${user.email} as ${role}`,
      after: { email: user.email, role },
    });
  });
}
