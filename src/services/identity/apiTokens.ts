/**
 * Personal API tokens: created and revoked by their owner, shown once, stored as SHA-256 hashes.
 * A request with a token acts with exactly the owner's permissions.
 */
import type { Kysely } from 'kysely';
import type { ApiToken, Database, User } from '../../adapters/database/schema.ts';
import { recordAudit } from '../platform/audit.ts';
import { nowIso } from '../../adapters/clock.ts';
import { NotFoundError, Validator } from '../../domain/errors.ts';
import { newSecret, sha256 } from './tokens.ts';

export const TOKEN_PREFIX = 'csphub_';

export type ApiTokenSummary = Omit<ApiToken, 'token_hash'>;

export async function listTokens(db: Kysely<Database>, userId: number): Promise<ApiTokenSummary[]> {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .execute();
}

export async function createToken(
  db: Kysely<Database>,
  user: User,
  nameInput: unknown,
): Promise<{ token: string; summary: ApiTokenSummary }> {
  const v = new Validator();
  const name = v.text('name', nameInput, 'a name for the token', { max: 100 });
  v.throwIfAny();
  const token = TOKEN_PREFIX + newSecret();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('api_tokens')
      .values({
        user_id: user.id,
        name,
        token_hash: sha256(token),
        prefix: token.slice(0, 12),
        created_at: nowIso(),
        last_used_at: null,
        revoked_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const { token_hash: _h, ...summary } = row;
    await recordAudit(
      trx,
      { userId: user.id, label: user.email },
      {
        partnershipId: null,
        action: 'create',
        entityType: 'api_token',
        entityId: row.id,
        summary: `Created API token ${name}`,
        after: summary,
      },
    );
    return { token, summary };
  });
}

export async function revokeToken(db: Kysely<Database>, user: User, tokenId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', tokenId)
      .where('user_id', '=', user.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('API token');
    const revokedAt = nowIso();
    await trx.updateTable('api_tokens').set({ revoked_at: revokedAt }).where('id', '=', tokenId).execute();
    await recordAudit(
      trx,
      { userId: user.id, label: user.email },
      {
        partnershipId: null,
        action: 'update',
        entityType: 'api_token',
        entityId: tokenId,
        summary: `Revoked API token ${row.name}`,
        before: { revoked_at: null },
        after: { revoked_at: revokedAt },
      },
    );
  });
}

/** The user a bearer token belongs to, or null if it is unknown, revoked or the user is disabled. */
export async function userForToken(db: Kysely<Database>, token: string): Promise<User | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select(['api_tokens.id as token_id', 'api_tokens.last_used_at'])
    .where('api_tokens.token_hash', '=', sha256(token))
    .where('api_tokens.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row || row.disabled) return null;
  const { token_id, last_used_at, ...user } = row;
  // Record use at most once a minute to keep API reads cheap.
  const now = nowIso();
  if (!last_used_at || Date.parse(now) - Date.parse(last_used_at) > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', token_id).execute();
  }
  return user;
}
