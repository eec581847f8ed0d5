/**
 * Forgotten passwords (decision 0023): a person asks for a link by email address; the answer is the same whether or
 * not the address has an account. With an account, a single-use token valid for an hour is emailed (as a durable
 * email job); its SHA-256 is kept. Requests are limited per address and per network; every request is recorded so
 * that the limits hold for addresses without an account too. Using the link sets the new password, ends every
 * session of the person and uses the token up, in one transaction.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import { isoPlus, nowIso } from '../../adapters/clock.ts';
import { addJob } from '../../adapters/jobs/jobQueue.ts';
import { ValidationError, Validator } from '../../domain/errors.ts';
import { recordAudit } from '../platform/audit.ts';
import { hashPassword } from '../../adapters/passwordHashing.ts';
import { passwordProblem } from './passwords.ts';
import { newSecret, sha256 } from './tokens.ts';

export const RESET_LINK_MINUTES = 60;
/** Requests in an hour: per email address, and per network address. */
export const RESETS_PER_EMAIL_PER_HOUR = 3;
export const RESETS_PER_IP_PER_HOUR = 10;

/**
 * Records a request and, when the address has an account and the limits allow, queues the email with the link.
 * Returns nothing either way, so the page says the same thing whether or not the address exists.
 */
export async function requestPasswordReset(db: Kysely<Database>, rawEmail: unknown, ip: string, baseUrl: string): Promise<void> {
  const v = new Validator();
  const email = v.email('email', rawEmail);
  v.throwIfAny();
  const hourAgo = isoPlus(-3_600_000);
  const count = async (column: 'email' | 'ip', value: string) =>
    Number(
      (
        await db
          .selectFrom('password_resets')
          .select((eb) => eb.fn.countAll().as('n'))
          .where(column, '=', value)
          .where('created_at', '>', hourAgo)
          .executeTakeFirstOrThrow()
      ).n,
    );
  if ((await count('email', email)) >= RESETS_PER_EMAIL_PER_HOUR || (await count('ip', ip)) >= RESETS_PER_IP_PER_HOUR) return;
  const user = await db.selectFrom('users').select(['id', 'name', 'email', 'disabled']).where('email', '=', email).executeTakeFirst();
  const token = user && !user.disabled ? newSecret() : null;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('password_resets')
      .values({
        email,
        user_id: token ? user!.id : null,
        token_hash: token ? sha256(token) : null,
        ip,
        created_at: nowIso(),
        expires_at: isoPlus(RESET_LINK_MINUTES * 60_000),
        used_at: null,
      })
      .execute();
    if (!token) return;
    const link = `${baseUrl}/reset-password/${token}`;
    await addJob(trx, {
      kind: 'email',
      partnershipId: null,
      dedupeKey: null,
      payload: {
        partnershipId: null,
        to: user!.email,
        subject: 'Reset your CSP Hub password',
        text: [
          `Hello ${user!.name},`,
          '',
          'Someone (we hope you) asked to reset your CSP Hub password. Choose a new one here:',
          link,
          '',
          `The link works once, for ${RESET_LINK_MINUTES} minutes. If you did not ask, ignore this email: your password stays as it is.`,
        ].join('\n'),
        withhold: link,
      },
    });
  });
}

/** Whether a reset link can still be used (for the page before the form is sent). */
export async function resetTokenValid(db: Kysely<Database>, token: string): Promise<boolean> {
  const row = await db
    .selectFrom('password_resets')
    .select(['id'])
    .where('token_hash', '=', sha256(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', nowIso())
    .executeTakeFirst();
  return row !== undefined;
}

const EXPIRED = 'This link has expired or has already been used: ask for a new one';

/** Sets a new password with a reset link, once; every session of the person ends. */
export async function resetPassword(
  db: Kysely<Database>,
  token: string,
  input: { newPassword?: unknown; confirmPassword?: unknown },
): Promise<void> {
  const row = await db
    .selectFrom('password_resets')
    .innerJoin('users', 'users.id', 'password_resets.user_id')
    .select(['password_resets.id', 'users.id as userId', 'users.email', 'users.name'])
    .where('password_resets.token_hash', '=', sha256(token))
    .where('password_resets.used_at', 'is', null)
    .where('password_resets.expires_at', '>', nowIso())
    .executeTakeFirst();
  if (!row) throw new ValidationError([{ field: 'newPassword', message: EXPIRED }]);
  const password = typeof input.newPassword === 'string' ? input.newPassword : '';
  const v = new Validator();
  const problem = passwordProblem(password, { email: row.email, name: row.name });
  if (problem) v.add('newPassword', problem);
  else if (password !== input.confirmPassword) v.add('confirmPassword', 'The passwords do not match');
  v.throwIfAny();
  const hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    // Used once: of two requests with the same link at once, only the first one's conditional update counts.
    const used = await trx
      .updateTable('password_resets')
      .set({ used_at: nowIso() })
      .where('id', '=', row.id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) === 0) throw new ValidationError([{ field: 'newPassword', message: EXPIRED }]);
    await trx.updateTable('users').set({ password_hash: hash, updated_at: nowIso() }).where('id', '=', row.userId).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', row.userId).execute();
    await recordAudit(
      trx,
      { userId: row.userId, label: row.email },
      { partnershipId: null, action: 'update', entityType: 'user', entityId: row.userId, summary: 'Reset password with an emailed link' },
    );
  });
}
