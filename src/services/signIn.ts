/**
 * Email and password sign-in with rate limiting kept in the database (so it holds across app instances):
 * after MAX_FAILURES_PER_EMAIL failed attempts for one email, or MAX_FAILURES_PER_IP from one address, within
 * the window, further attempts are refused until the window has passed.
 */
import type { Kysely } from 'kysely';
import type { Database, User } from '../db/schema.ts';
import { nowIso } from './clock.ts';
import { verifyPassword } from './passwords.ts';
import { findUserByEmail } from './users.ts';

export const WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 30;

export type SignInResult = { ok: true; user: User } | { ok: false; reason: 'invalid' | 'locked' };

export async function signIn(db: Kysely<Database>, emailInput: string, password: string, ip: string): Promise<SignInResult> {
  const email = (emailInput ?? '').trim().toLowerCase().slice(0, 320);
  const since = new Date(Date.now() - WINDOW_MINUTES * 60_000).toISOString();
  const failures = async (column: 'email' | 'ip', value: string) => {
    const r = await db
      .selectFrom('login_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(column, '=', value)
      .where('succeeded', '=', 0)
      .where('attempted_at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  };
  if ((await failures('email', email)) >= MAX_FAILURES_PER_EMAIL || (await failures('ip', ip)) >= MAX_FAILURES_PER_IP) {
    return { ok: false, reason: 'locked' };
  }
  const user = await findUserByEmail(db, email);
  const valid = (await verifyPassword(user?.password_hash ?? null, password ?? '')) && user !== undefined && !user.disabled;
  await db.insertInto('login_attempts').values({ email, ip, succeeded: valid ? 1 : 0, attempted_at: nowIso() }).execute();
  if (!valid || !user) return { ok: false, reason: 'invalid' };
  // A successful sign-in clears the count for this email.
  await db.deleteFrom('login_attempts').where('email', '=', email).where('succeeded', '=', 0).execute();
  return { ok: true, user };
}

/** Deletes sign-in attempts older than a day: they no longer count towards any limit. */
export async function purgeOldLoginAttempts(db: Kysely<Database>, now = Date.now()): Promise<number> {
  const before = new Date(now - 24 * 60 * 60_000).toISOString();
  const result = await db.deleteFrom('login_attempts').where('attempted_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
