/**
 * Email and password sign-in with limits kept in the database (so they hold across app instances), designed in
 * ADR 0016. Within a window of WINDOW_MINUTES, failed attempts are limited
 * - per email and address (MAX_FAILURES_PER_EMAIL_AND_IP): someone guessing from one place is stopped there;
 * - per address (MAX_FAILURES_PER_IP): one place trying many accounts is stopped;
 * - per email from everywhere (MAX_FAILURES_PER_EMAIL, looser): guesses spread over many addresses are stopped,
 *   except from the account's usual networks (where it signed in successfully in the last USUAL_NETWORK_DAYS),
 *   so nobody can lock the owner out of their account from elsewhere.
 *
 * The limits hold under concurrency on both engines: each attempt is recorded (as a failure) before anything is
 * counted, and the counts include it and every attempt still being checked. Of N simultaneous attempts, the one
 * counting last sees all N, so at most the limit's number of attempts go on to the (slow) password check. An
 * attempt refused by a limit is removed again, so refusals do not extend the wait.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Kysely } from 'kysely';
import type { Database, User } from '../../adapters/database/schema.ts';
import { verifyPassword } from './passwords.ts';
import { findUserByEmail } from './users.ts';

export const WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_EMAIL_AND_IP = 5;
export const MAX_FAILURES_PER_IP = 30;
export const MAX_FAILURES_PER_EMAIL = 10;
export const USUAL_NETWORK_DAYS = 30;
/** Failed attempts older than this are deleted by purgeOldLoginAttempts. */
const KEEP_FAILURES_HOURS = 24;

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'invalid' }
  /** `address`: too many failures from this address (for this email or any); `account`: for this email from everywhere. */
  | { ok: false; reason: 'locked'; scope: 'address' | 'account' };

/** The network an address belongs to for "usual network": IPv4 /24, IPv6 /64 (IPv4-mapped IPv6 as IPv4). */
export function networkOf(ipInput: string): string {
  const ip = ipInput.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) return networkOf(mapped[1]!);
  if (isIPv4(ip)) return `${ip.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIPv6(ip)) {
    const [head, tail] = ip.split('%')[0]!.split('::') as [string, string | undefined];
    const left = head ? head.split(':') : [];
    const right = tail === undefined ? [] : tail ? tail.split(':') : [];
    const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
    return `${groups
      .slice(0, 4)
      .map((g) => g.replace(/^0+(?=.)/, ''))
      .join(':')}::/64`;
  }
  return ip;
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

export async function signIn(db: Kysely<Database>, emailInput: string, password: string, ipInput: string): Promise<SignInResult> {
  const email = (emailInput ?? '').trim().toLowerCase().slice(0, 320);
  const ip = (ipInput ?? '').slice(0, 64);
  const since = minutesAgo(WINDOW_MINUTES);

  // 1. Record the attempt first, as a failure until the password proves otherwise (committed on its own).
  const attempt = await db
    .insertInto('login_attempts')
    .values({ email, ip, succeeded: 0, attempted_at: new Date().toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();

  // 2. Count failures in the window, this attempt and those still being checked included, in one query.
  const counts = await db
    .selectFrom('login_attempts')
    .select((eb) => [
      eb.fn
        .sum<number | string>(
          eb
            .case()
            .when(eb.and([eb('email', '=', email), eb('ip', '=', ip)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('pair'),
      eb.fn.sum<number | string>(eb.case().when('ip', '=', ip).then(1).else(0).end()).as('address'),
      eb.fn.sum<number | string>(eb.case().when('email', '=', email).then(1).else(0).end()).as('account'),
    ])
    .where('succeeded', '=', 0)
    .where('attempted_at', '>=', since)
    .where((eb) => eb.or([eb('email', '=', email), eb('ip', '=', ip)]))
    .executeTakeFirstOrThrow();
  let refused: 'address' | 'account' | null = null;
  if (Number(counts.pair) > MAX_FAILURES_PER_EMAIL_AND_IP || Number(counts.address) > MAX_FAILURES_PER_IP) refused = 'address';
  else if (Number(counts.account) > MAX_FAILURES_PER_EMAIL && !(await isUsualNetwork(db, email, ip))) refused = 'account';
  if (refused) {
    await db.deleteFrom('login_attempts').where('id', '=', attempt.id).execute();
    return { ok: false, reason: 'locked', scope: refused };
  }

  // 3. The slow check, then the attempt's outcome.
  const user = await findUserByEmail(db, email);
  const valid = (await verifyPassword(user?.password_hash ?? null, password ?? '')) && user !== undefined && !user.disabled;
  if (!valid || !user) return { ok: false, reason: 'invalid' };
  await db.updateTable('login_attempts').set({ succeeded: 1 }).where('id', '=', attempt.id).execute();
  // A successful sign-in clears the failures for this email from this address only: an attacker's failures from
  // elsewhere keep counting against them.
  await db.deleteFrom('login_attempts').where('email', '=', email).where('ip', '=', ip).where('succeeded', '=', 0).execute();
  return { ok: true, user };
}

/** Whether the account signed in successfully from this address's network within USUAL_NETWORK_DAYS. */
async function isUsualNetwork(db: Kysely<Database>, email: string, ip: string): Promise<boolean> {
  const rows = await db
    .selectFrom('login_attempts')
    .select('ip')
    .distinct()
    .where('email', '=', email)
    .where('succeeded', '=', 1)
    .where('attempted_at', '>=', minutesAgo(USUAL_NETWORK_DAYS * 24 * 60))
    .execute();
  const network = networkOf(ip);
  return rows.some((r) => networkOf(r.ip) === network);
}

/**
 * Deletes sign-in attempts that no longer count: failures older than a day, and successful sign-ins (which mark
 * an account's usual networks) older than USUAL_NETWORK_DAYS.
 */
export async function purgeOldLoginAttempts(db: Kysely<Database>, now = Date.now()): Promise<number> {
  const failuresBefore = new Date(now - KEEP_FAILURES_HOURS * 60 * 60_000).toISOString();
  const successesBefore = new Date(now - USUAL_NETWORK_DAYS * 24 * 60 * 60_000).toISOString();
  const result = await db
    .deleteFrom('login_attempts')
    .where((eb) =>
      eb.or([eb.and([eb('succeeded', '=', 0), eb('attempted_at', '<', failuresBefore)]), eb('attempted_at', '<', successesBefore)]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
