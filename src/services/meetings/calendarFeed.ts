/**
 * Subscribing to a partnership's meetings from a calendar program (Outlook, Google Calendar...): each member can
 * make a secret link; the program fetches it without a session. Only the token's SHA-256 is kept; making a new
 * link replaces the old one, and the link stops working when the person leaves the partnership (platform administrators, who may open every
 * partnership, keep theirs).
 */
import type { Kysely } from 'kysely';
import type { Database, Meeting } from '../../adapters/database/schema.ts';
import { nowIso } from '../../adapters/clock.ts';
import { newSecret, sha256 } from '../identity/tokens.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';

/** Makes (or replaces) the person's secret feed token for the partnership; the token is shown once. */
export async function createFeedToken(db: Kysely<Database>, actor: Actor, partnershipId: number, userId: number): Promise<string> {
  const token = `cal_${newSecret(24)}`;
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('calendar_feed_tokens').where('partnership_id', '=', partnershipId).where('user_id', '=', userId).execute();
    const row = await trx
      .insertInto('calendar_feed_tokens')
      .values({ partnership_id: partnershipId, user_id: userId, token_hash: sha256(token), created_at: nowIso() })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      partnershipId,
      action: 'create',
      entityType: 'calendar_feed_token',
      entityId: row.id,
      summary: 'Made a new calendar subscription link (any earlier link stops working)',
      after: row,
    });
  });
  return token;
}

export async function hasFeedToken(db: Kysely<Database>, partnershipId: number, userId: number): Promise<string | null> {
  const row = await db
    .selectFrom('calendar_feed_tokens')
    .select('created_at')
    .where('partnership_id', '=', partnershipId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.created_at ?? null;
}

/** The partnership and its meetings for a feed token, or null when the token is unknown or its owner has left. */
export async function meetingsForFeed(
  db: Kysely<Database>,
  token: string,
): Promise<{ partnership: { id: number; name: string }; meetings: Meeting[] } | null> {
  if (!/^cal_[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  const row = await db
    .selectFrom('calendar_feed_tokens')
    .leftJoin('memberships', (j) =>
      j
        .onRef('memberships.partnership_id', '=', 'calendar_feed_tokens.partnership_id')
        .onRef('memberships.user_id', '=', 'calendar_feed_tokens.user_id'),
    )
    .innerJoin('users', 'users.id', 'calendar_feed_tokens.user_id')
    .innerJoin('partnerships', 'partnerships.id', 'calendar_feed_tokens.partnership_id')
    .select(['partnerships.id', 'partnerships.name'])
    .where('calendar_feed_tokens.token_hash', '=', sha256(token))
    .where('users.disabled', '=', 0)
    // Still a member, or a platform administrator (who may open every partnership).
    .where((eb) => eb.or([eb('memberships.id', 'is not', null), eb('users.is_platform_admin', '=', 1)]))
    .executeTakeFirst();
  if (!row) return null;
  const meetings = await db
    .selectFrom('meetings')
    .selectAll()
    .where('partnership_id', '=', row.id)
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
  return { partnership: row, meetings };
}
