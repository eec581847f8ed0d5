/**
 * Sessions live in the database, so several app instances can share one PostgreSQL. The cookie holds a random
 * token; the table holds only its SHA-256.
 */
import type { Kysely } from 'kysely';
import type { Database, User } from '../../adapters/database/schema.ts';
import { isoPlus, nowIso } from '../../adapters/clock.ts';
import { newSecret, sha256 } from './tokens.ts';

export interface SessionWithUser {
  id: string;
  currentPartnershipId: number | null;
  user: User;
}

export async function createSession(
  db: Kysely<Database>,
  userId: number,
  ttlHours: number,
  currentPartnershipId: number | null = null,
): Promise<string> {
  const token = newSecret();
  await db
    .insertInto('sessions')
    .values({
      id: sha256(token),
      user_id: userId,
      current_partnership_id: currentPartnershipId,
      created_at: nowIso(),
      expires_at: isoPlus(ttlHours * 3600_000),
    })
    .execute();
  return token;
}

/** Starts the session of someone who has just signed in, ending the one the browser had before (if any). */
export async function replaceSession(
  db: Kysely<Database>,
  userId: number,
  ttlHours: number,
  previousToken: string | undefined,
): Promise<string> {
  if (previousToken) await destroySession(db, previousToken);
  return createSession(db, userId, ttlHours);
}

export async function findSession(db: Kysely<Database>, token: string): Promise<SessionWithUser | null> {
  if (!token || token.length > 100) return null;
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.id as session_id', 'sessions.current_partnership_id', 'sessions.expires_at'])
    .where('sessions.id', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.expires_at < nowIso() || row.disabled) return null;
  const { session_id, current_partnership_id, expires_at: _e, ...user } = row;
  return { id: session_id, currentPartnershipId: current_partnership_id, user };
}

export async function setCurrentPartnership(db: Kysely<Database>, sessionId: string, partnershipId: number): Promise<void> {
  await db.updateTable('sessions').set({ current_partnership_id: partnershipId }).where('id', '=', sessionId).execute();
}

export async function destroySession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sha256(token)).execute();
}

/** Ends every other session of a user, e.g. after a password change. */
export async function destroyOtherSessions(db: Kysely<Database>, userId: number, keepSessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '!=', keepSessionId).execute();
}

export async function purgeExpiredSessions(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', nowIso()).execute();
}
