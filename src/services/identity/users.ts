/**
 * User accounts: looking one up by email, creating one (demo data, tests, the platform administrator) and changing
 * one's own password. Each change is written with its audit record in one transaction.
 */
import type { Kysely } from 'kysely';
import type { Database, User } from '../../adapters/database/schema.ts';
import { inTransaction } from '../../adapters/database/database.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { nowIso } from '../../adapters/clock.ts';
import { ValidationError, Validator } from '../../domain/errors.ts';
import { hashPassword } from '../../adapters/passwordHashing.ts';
import { passwordProblem, verifyPassword } from './passwords.ts';
import { destroyOtherSessions } from './sessions.ts';

export type PublicUser = Omit<User, 'password_hash'>;

export function publicUser(u: User): PublicUser {
  const { password_hash: _omit, ...rest } = u;
  return rest;
}

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

/** Creates a user account (used by demo data, invitations and the platform administrator). */
export async function createUser(
  db: Kysely<Database>,
  actor: Actor,
  input: { email: string; name: string; password: string | null; isPlatformAdmin?: boolean },
): Promise<User> {
  const v = new Validator();
  const email = v.email('email', input.email);
  const name = v.text('name', input.name, 'a name', { max: 200 });
  if (input.password !== null) {
    const problem = passwordProblem(input.password, { email, name });
    if (problem) v.add('password', problem);
  }
  v.throwIfAny();
  if (await findUserByEmail(db, email))
    throw new ValidationError([{ field: 'email', message: 'A user with this email address already exists' }]);
  const passwordHash = input.password === null ? null : await hashPassword(input.password);
  return inTransaction(db, async (trx) => {
    const now = nowIso();
    const user = await trx
      .insertInto('users')
      .values({
        email,
        name,
        password_hash: passwordHash,
        is_platform_admin: input.isPlatformAdmin ? 1 : 0,
        disabled: 0,
        oidc_subject: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId: null,
      action: 'create',
      entityType: 'user',
      entityId: user.id,
      summary: `Created user ${email}`,
      after: publicUser(user),
    });
    return user;
  });
}

/**
 * Changes the user's own password. With `keepSessionId` (the browser session that asked), every other session of
 * the user ends in the same transaction: whoever knew the old password is signed out everywhere else.
 */
export async function changePassword(
  db: Kysely<Database>,
  user: User,
  input: { currentPassword: string; newPassword: string; confirmPassword: string },
  options: { keepSessionId?: string } = {},
): Promise<void> {
  const v = new Validator();
  if (!input.currentPassword) v.add('currentPassword', 'Enter your current password');
  else if (!(await verifyPassword(user.password_hash, input.currentPassword)))
    v.add('currentPassword', 'Your current password is not correct');
  const problem = passwordProblem(input.newPassword ?? '', { email: user.email, name: user.name });
  if (problem) v.add('newPassword', problem);
  else if (input.newPassword !== input.confirmPassword) v.add('confirmPassword', 'The passwords do not match');
  v.throwIfAny();
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: nowIso() }).where('id', '=', user.id).execute();
    await recordAudit(
      trx,
      { userId: user.id, label: user.email },
      { partnershipId: null, action: 'update', entityType: 'user', entityId: user.id, summary: 'Changed password' },
    );
    if (options.keepSessionId !== undefined) await destroyOtherSessions(trx, user.id, options.keepSessionId);
  });
}
