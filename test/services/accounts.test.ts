import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { makePartnership, makeUser, PASSWORD } from '../support/app.ts';
import { signIn, purgeOldLoginAttempts, MAX_FAILURES_PER_EMAIL_AND_IP } from '../../src/services/identity/signIn.ts';
import { createSession, findSession, destroySession } from '../../src/services/identity/sessions.ts';
import {
  acceptInvitation,
  addMembership,
  changeRole,
  findInvitation,
  inviteUser,
  listMembers,
  removeMember,
} from '../../src/services/partnerships/members.ts';
import { createToken, revokeToken, userForToken } from '../../src/services/identity/apiTokens.ts';
import { changePassword } from '../../src/services/identity/users.ts';
import { organisationSignIn } from '../../src/services/identity/organisationSignIn.ts';
import { SYSTEM_ACTOR, listAudit } from '../../src/services/platform/audit.ts';
import { ValidationError } from '../../src/domain/errors.ts';
import { sha256 } from '../../src/services/identity/tokens.ts';

for (const engine of ENGINES) {
  describe(`accounts, sessions and invitations on ${engine}`, () => {
    let db: TestDb;
    before(async () => {
      db = await freshDb(engine);
    });
    after(async () => db.drop());

    it('stores argon2id hashes, never passwords, and signs in case-insensitively by email', async () => {
      const u = await makeUser(db.kysely, { email: 'Mixed.Case@Example.org' });
      assert.equal(u.email, 'mixed.case@example.org');
      assert.match(u.password_hash!, /^\$argon2id\$/);
      assert.ok(!u.password_hash!.includes(PASSWORD));
      const ok = await signIn(db.kysely, ' MIXED.case@example.org ', PASSWORD, '10.0.0.1');
      assert.equal(ok.ok, true);
      const bad = await signIn(db.kysely, 'mixed.case@example.org', 'wrong password!', '10.0.0.1');
      assert.deepEqual(bad, { ok: false, reason: 'invalid' });
      assert.deepEqual(await signIn(db.kysely, 'nobody@example.org', PASSWORD, '10.0.0.1'), { ok: false, reason: 'invalid' });
    });

    it('locks an email at an address after repeated failures there, even with the right password', async () => {
      const u = await makeUser(db.kysely);
      for (let i = 0; i < MAX_FAILURES_PER_EMAIL_AND_IP; i++)
        assert.equal((await signIn(db.kysely, u.email, 'nope nope nope', '10.0.0.2')).ok, false);
      assert.deepEqual(await signIn(db.kysely, u.email, PASSWORD, '10.0.0.2'), { ok: false, reason: 'locked', scope: 'address' });
      assert.equal((await signIn(db.kysely, u.email, PASSWORD, '10.0.0.3')).ok, true, 'another address is not locked out');
    });

    it('prunes sign-in attempts older than a day and keeps recent ones', async () => {
      const old = new Date(Date.now() - 2 * 24 * 60 * 60_000).toISOString();
      await db.kysely
        .insertInto('login_attempts')
        .values({ email: 'old@example.org', ip: '10.0.0.1', succeeded: 0, attempted_at: old })
        .execute();
      await signIn(db.kysely, 'recent@example.org', 'wrong password here', '10.0.0.2');
      assert.equal(await purgeOldLoginAttempts(db.kysely), 1);
      const left = await db.kysely
        .selectFrom('login_attempts')
        .select('email')
        .where('email', 'in', ['old@example.org', 'recent@example.org'])
        .execute();
      assert.deepEqual(
        left.map((r) => r.email),
        ['recent@example.org'],
      );
    });

    it('links an organisation account once, with its audit record, even when two first sign-ins race', async () => {
      const u = await makeUser(db.kysely);
      const [a, b] = await Promise.all([
        organisationSignIn(db.kysely, { subject: 'https://idp.example|first', email: u.email }),
        organisationSignIn(db.kysely, { subject: 'https://idp.example|second', email: u.email.toUpperCase() }),
      ]);
      assert.deepEqual([a.ok, b.ok].sort(), [false, true], 'one links the account, the other is refused');
      const refused = a.ok ? b : a;
      assert.deepEqual(refused, { ok: false, reason: 'linked-elsewhere' });
      const row = await db.kysely.selectFrom('users').select('oidc_subject').where('id', '=', u.id).executeTakeFirstOrThrow();
      const linked = (a.ok ? a : b) as { ok: true; user: { oidc_subject: string | null } };
      assert.equal(row.oidc_subject, linked.user.oidc_subject);
      const events = await db.kysely
        .selectFrom('audit_events')
        .select(['summary', 'after_json'])
        .where('entity_type', '=', 'user')
        .where('entity_id', '=', String(u.id))
        .where('action', '=', 'update')
        .execute();
      assert.equal(events.length, 1);
      assert.equal(events[0]!.summary, 'Linked organisation sign-in (OpenID Connect)');
      assert.deepEqual(JSON.parse(events[0]!.after_json!), { oidc_subject: row.oidc_subject });
      // Signing in again with the linked subject writes nothing more; nobody without an account gets in.
      assert.equal((await organisationSignIn(db.kysely, { subject: row.oidc_subject!, email: u.email })).ok, true);
      assert.deepEqual(await organisationSignIn(db.kysely, { subject: 'https://idp.example|x', email: 'nobody-here@example.org' }), {
        ok: false,
        reason: 'no-account',
      });
    });

    it('sessions are stored hashed, found by token and ended by sign-out', async () => {
      const u = await makeUser(db.kysely);
      const token = await createSession(db.kysely, u.id, 1);
      const row = await db.kysely.selectFrom('sessions').selectAll().where('user_id', '=', u.id).executeTakeFirstOrThrow();
      assert.equal(row.id, sha256(token));
      assert.notEqual(row.id, token);
      assert.equal((await findSession(db.kysely, token))?.user.id, u.id);
      await destroySession(db.kysely, token);
      assert.equal(await findSession(db.kysely, token), null);
    });

    it('expired sessions are refused', async () => {
      const u = await makeUser(db.kysely);
      const token = await createSession(db.kysely, u.id, -1);
      assert.equal(await findSession(db.kysely, token), null);
    });

    it('changes a password only with the current one and a strong new one', async () => {
      const u = await makeUser(db.kysely);
      await assert.rejects(
        changePassword(db.kysely, u, {
          currentPassword: 'wrong',
          newPassword: 'a much longer password',
          confirmPassword: 'a much longer password',
        }),
        ValidationError,
      );
      await assert.rejects(
        changePassword(db.kysely, u, { currentPassword: PASSWORD, newPassword: 'short', confirmPassword: 'short' }),
        /12 characters/,
      );
      await assert.rejects(
        changePassword(db.kysely, u, {
          currentPassword: PASSWORD,
          newPassword: 'a much longer password',
          confirmPassword: 'different one here',
        }),
        /do not match/,
      );
      await changePassword(db.kysely, u, {
        currentPassword: PASSWORD,
        newPassword: 'a much longer password',
        confirmPassword: 'a much longer password',
      });
      assert.equal((await signIn(db.kysely, u.email, 'a much longer password', '10.0.0.9')).ok, true);
      assert.equal((await signIn(db.kysely, u.email, PASSWORD, '10.0.0.9')).ok, false);
    });

    it('invites a new person by a one-time link and adds an existing user directly', async () => {
      const p = await makePartnership(db.kysely, 'Invite CSP');
      const admin = await makeUser(db.kysely);
      await addMembership(db.kysely, SYSTEM_ACTOR, p.id, admin, 'admin');
      const actor = { userId: admin.id, label: admin.email };
      const result = await inviteUser(db.kysely, actor, admin, p.id, {
        email: 'New.Person@example.org',
        name: 'New Person',
        role: 'contributor',
      });
      assert.equal(result.kind, 'invited');
      if (result.kind !== 'invited') return;
      const stored = await db.kysely.selectFrom('invitations').selectAll().executeTakeFirstOrThrow();
      assert.equal(stored.token_hash, sha256(result.token));
      await assert.rejects(
        acceptInvitation(db.kysely, result.token, { name: 'New Person', password: 'short', confirmPassword: 'short' }),
        ValidationError,
      );
      const user = await acceptInvitation(db.kysely, result.token, {
        name: 'New Person',
        password: 'a long enough password',
        confirmPassword: 'a long enough password',
      });
      assert.equal(user.email, 'new.person@example.org');
      assert.equal(await findInvitation(db.kysely, result.token), undefined, 'the link works once');
      assert.deepEqual(
        (await listMembers(db.kysely, p.id)).map((m) => [m.email, m.role]).sort(),
        [
          [admin.email, 'admin'],
          ['new.person@example.org', 'contributor'],
        ].sort(),
      );
      const existing = await makeUser(db.kysely);
      const added = await inviteUser(db.kysely, actor, admin, p.id, { email: existing.email, name: 'x', role: 'viewer' });
      assert.equal(added.kind, 'added');
      await assert.rejects(
        inviteUser(db.kysely, actor, admin, p.id, { email: existing.email, name: 'x', role: 'viewer' }),
        /already a user/,
      );
      await assert.rejects(inviteUser(db.kysely, actor, admin, p.id, { email: 'not-an-email', name: '', role: 'boss' }), (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.deepEqual(
          e.errors.map((x) => x.field),
          ['email', 'name', 'role'],
        );
        return true;
      });
      const audit = await listAudit(db.kysely, { partnershipId: p.id });
      assert.ok(audit.events.some((e) => e.summary === 'Invited new.person@example.org as contributor'));
      assert.ok(!audit.events.some((e) => (e.after_json ?? '').includes(result.token)), 'the audit trail never holds the invitation token');
    });

    it('keeps at least one administrator', async () => {
      const p = await makePartnership(db.kysely, 'Last admin CSP');
      const admin = await makeUser(db.kysely);
      const viewer = await makeUser(db.kysely);
      await addMembership(db.kysely, SYSTEM_ACTOR, p.id, admin, 'admin');
      await addMembership(db.kysely, SYSTEM_ACTOR, p.id, viewer, 'viewer');
      await assert.rejects(changeRole(db.kysely, SYSTEM_ACTOR, p.id, admin.id, 'editor'), /at least one administrator/);
      await assert.rejects(removeMember(db.kysely, SYSTEM_ACTOR, p.id, admin.id), /at least one administrator/);
      await changeRole(db.kysely, SYSTEM_ACTOR, p.id, viewer.id, 'admin');
      await changeRole(db.kysely, SYSTEM_ACTOR, p.id, admin.id, 'editor');
      await removeMember(db.kysely, SYSTEM_ACTOR, p.id, admin.id);
      assert.deepEqual(
        (await listMembers(db.kysely, p.id)).map((m) => m.role),
        ['admin'],
      );
    });

    it('API tokens are shown once, stored hashed, and stop working when revoked', async () => {
      const u = await makeUser(db.kysely);
      const { token, summary } = await createToken(db.kysely, u, 'Spreadsheet');
      assert.match(token, /^csphub_/);
      const row = await db.kysely.selectFrom('api_tokens').selectAll().where('id', '=', summary.id).executeTakeFirstOrThrow();
      assert.equal(row.token_hash, sha256(token));
      assert.equal((await userForToken(db.kysely, token))?.id, u.id);
      assert.equal(await userForToken(db.kysely, `${token}x`), null);
      await revokeToken(db.kysely, u, summary.id);
      assert.equal(await userForToken(db.kysely, token), null);
      const other = await makeUser(db.kysely);
      const second = await createToken(db.kysely, u, 'Other');
      await assert.rejects(revokeToken(db.kysely, other, second.summary.id), /not found/, "nobody revokes someone else's token");
    });
  });
}
