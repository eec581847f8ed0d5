/**
 * Sign-in with an organisation account (OpenID Connect, src/adapters/oidc): the identity the organisation's
 * identity provider confirmed is matched to an existing CSP Hub account by email (people join by invitation, so no
 * account is created here). The first such sign-in links the account to the provider's subject; the link and its
 * audit record are written in one transaction, with the account's row locked so two first sign-ins at the same
 * moment cannot link it twice.
 */
import type { Kysely } from 'kysely';
import type { Database, User } from '../../adapters/database/schema.ts';
import type { OidcIdentity } from '../../adapters/oidc/oidcClient.ts';
import { lockRows } from '../../adapters/database/concurrency.ts';
import { nowIso } from '../../adapters/clock.ts';
import { recordAudit } from '../platform/audit.ts';
import { findUserByEmail } from './users.ts';

export type OrganisationSignInResult =
  | { ok: true; user: User }
  /** `no-account`: no usable CSP Hub account has this email; `linked-elsewhere`: it is linked to another organisation account. */
  | { ok: false; reason: 'no-account' | 'linked-elsewhere' };

export async function organisationSignIn(
  db: Kysely<Database>,
  identity: Pick<OidcIdentity, 'subject' | 'email'>,
): Promise<OrganisationSignInResult> {
  return db.transaction().execute(async (trx): Promise<OrganisationSignInResult> => {
    const found = await findUserByEmail(trx, identity.email);
    if (!found) return { ok: false, reason: 'no-account' };
    await lockRows(trx, 'users', found.id);
    // Read again under the lock: another first sign-in may have linked the account meanwhile.
    const user = await trx.selectFrom('users').selectAll().where('id', '=', found.id).executeTakeFirst();
    if (!user || user.disabled) return { ok: false, reason: 'no-account' };
    if (user.oidc_subject && user.oidc_subject !== identity.subject) return { ok: false, reason: 'linked-elsewhere' };
    if (user.oidc_subject) return { ok: true, user };
    const updatedAt = nowIso();
    await trx.updateTable('users').set({ oidc_subject: identity.subject, updated_at: updatedAt }).where('id', '=', user.id).execute();
    await recordAudit(
      trx,
      { userId: user.id, label: user.email },
      {
        partnershipId: null,
        action: 'update',
        entityType: 'user',
        entityId: user.id,
        summary: 'Linked organisation sign-in (OpenID Connect)',
        after: { oidc_subject: identity.subject },
      },
    );
    return { ok: true, user: { ...user, oidc_subject: identity.subject, updated_at: updatedAt } };
  });
}
