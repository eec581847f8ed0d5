/**
 * Sign-in limits on each engine: they hold under real concurrency (100 simultaneous wrong passwords reach the
 * password check at most the limit's number of times), and they slow an attacker without locking the owner out:
 * per email and address, per address, and a looser limit per email from which the account's usual networks
 * (where it signed in successfully lately) are exempt.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { makeUser, PASSWORD } from '../support/app.ts';
import {
  MAX_FAILURES_PER_EMAIL,
  MAX_FAILURES_PER_EMAIL_AND_IP,
  MAX_FAILURES_PER_IP,
  networkOf,
  purgeOldLoginAttempts,
  signIn,
  type SignInResult,
} from '../../src/services/identity/signIn.ts';

const reasons = (results: SignInResult[]) => results.map((r) => (r.ok ? 'ok' : r.reason));
const count = (results: SignInResult[], reason: string) => reasons(results).filter((r) => r === reason).length;

describe('networkOf', () => {
  it('groups IPv4 addresses by /24 and IPv6 by /64, IPv4-mapped addresses as IPv4', () => {
    assert.equal(networkOf('203.0.113.7'), '203.0.113.0/24');
    assert.equal(networkOf('::ffff:203.0.113.99'), '203.0.113.0/24');
    assert.equal(networkOf('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(networkOf('2001:db8:1:2::9'), '2001:db8:1:2::/64');
    assert.equal(networkOf('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(networkOf('::1'), '0:0:0:0::/64');
    assert.equal(networkOf('not an address'), 'not an address');
  });
});

for (const engine of ENGINES) {
  describe(`sign-in limits on ${engine}`, { timeout: 120_000 }, () => {
    let db: TestDb;
    before(async () => {
      db = await freshDb(engine);
    });
    after(async () => db.drop());

    it('100 simultaneous wrong passwords for one email reach the password check at most the limit', async () => {
      const u = await makeUser(db.kysely);
      const burst = await Promise.all(
        Array.from({ length: 100 }, (_, i) => signIn(db.kysely, u.email, `wrong password ${i}`, '192.0.2.10')),
      );
      const checked = count(burst, 'invalid');
      assert.ok(checked <= MAX_FAILURES_PER_EMAIL_AND_IP, `${checked} password checks for a limit of ${MAX_FAILURES_PER_EMAIL_AND_IP}`);
      assert.equal(count(burst, 'locked'), 100 - checked);
      // Refused attempts leave nothing behind; each checked one is a failure that counts.
      const failures = await db.kysely
        .selectFrom('login_attempts')
        .select('id')
        .where('email', '=', u.email)
        .where('succeeded', '=', 0)
        .execute();
      assert.equal(failures.length, checked);
      // Whatever the burst used, the window allows exactly the limit of checks in all.
      const after: SignInResult[] = [];
      for (let i = checked; i < MAX_FAILURES_PER_EMAIL_AND_IP + 2; i++)
        after.push(await signIn(db.kysely, u.email, `wrong again ${i}`, '192.0.2.10'));
      assert.deepEqual(reasons(after), [...Array<string>(MAX_FAILURES_PER_EMAIL_AND_IP - checked).fill('invalid'), 'locked', 'locked']);
      assert.equal(count([await signIn(db.kysely, u.email, PASSWORD, '192.0.2.10')], 'locked'), 1, 'even the right password waits');
    });

    it('100 simultaneous wrong passwords from 100 addresses reach the check at most the per-email limit', async () => {
      const u = await makeUser(db.kysely);
      const burst = await Promise.all(
        Array.from({ length: 100 }, (_, i) => signIn(db.kysely, u.email, `wrong password ${i}`, `198.18.${i}.1`)),
      );
      assert.ok(
        count(burst, 'invalid') <= MAX_FAILURES_PER_EMAIL,
        `${count(burst, 'invalid')} checks for a limit of ${MAX_FAILURES_PER_EMAIL}`,
      );
    });

    it('a spray from one address over many emails is stopped at the per-address limit, in parallel too', async () => {
      const emails = Array.from({ length: 60 }, (_, i) => `sprayed${i}-${Date.now()}@example.org`);
      const burst = await Promise.all(emails.map((email) => signIn(db.kysely, email, 'Summer2024!!xx', '192.0.2.77')));
      assert.ok(count(burst, 'invalid') <= MAX_FAILURES_PER_IP);
      const u = await makeUser(db.kysely);
      // Top up to the limit one by one, then even a real account's right password is refused from there.
      for (let i = count(burst, 'invalid'); i < MAX_FAILURES_PER_IP; i++)
        await signIn(db.kysely, `topup${i}@example.org`, 'x', '192.0.2.77');
      assert.deepEqual(await signIn(db.kysely, u.email, PASSWORD, '192.0.2.77'), { ok: false, reason: 'locked', scope: 'address' });
      assert.equal((await signIn(db.kysely, u.email, PASSWORD, '192.0.2.78')).ok, true, 'the next address is not affected');
    });

    it('an attacker at one address locks only that address out of the account', async () => {
      const u = await makeUser(db.kysely);
      for (let i = 0; i < MAX_FAILURES_PER_EMAIL_AND_IP; i++)
        assert.equal((await signIn(db.kysely, u.email, `guess ${i}`, '203.0.113.5')).ok, false);
      assert.deepEqual(await signIn(db.kysely, u.email, PASSWORD, '203.0.113.5'), { ok: false, reason: 'locked', scope: 'address' });
      const owner = await signIn(db.kysely, u.email, PASSWORD, '198.51.100.20');
      assert.equal(owner.ok, true, 'the owner elsewhere signs in');
      // The owner's success clears only their own address's failures: the attacker stays locked.
      assert.deepEqual(await signIn(db.kysely, u.email, PASSWORD, '203.0.113.5'), { ok: false, reason: 'locked', scope: 'address' });
    });

    it("attackers at many addresses are refused, while the owner's usual network still works", async () => {
      const u = await makeUser(db.kysely);
      assert.equal((await signIn(db.kysely, u.email, PASSWORD, '198.51.100.20')).ok, true, 'the owner signs in from the office');
      // A distributed guess: a few tries from each of many addresses, past the per-email limit.
      const attempts: SignInResult[] = [];
      for (let a = 0; attempts.length < MAX_FAILURES_PER_EMAIL + 3; a++) {
        for (let i = 0; i < 3; i++) attempts.push(await signIn(db.kysely, u.email, `guess ${a}-${i}`, `203.0.${a}.9`));
      }
      assert.equal(count(attempts, 'invalid'), MAX_FAILURES_PER_EMAIL);
      assert.deepEqual(await signIn(db.kysely, u.email, 'another guess!', '203.0.99.9'), { ok: false, reason: 'locked', scope: 'account' });
      assert.deepEqual(
        await signIn(db.kysely, u.email, PASSWORD, '203.0.99.10'),
        { ok: false, reason: 'locked', scope: 'account' },
        'a new network waits, even with the right password',
      );
      // The office's network (another address in the same /24, as with a pool of NAT addresses) still works.
      assert.equal((await signIn(db.kysely, u.email, PASSWORD, '198.51.100.21')).ok, true);
      assert.equal((await signIn(db.kysely, u.email, 'a typo in it', '198.51.100.20')).ok, false);
      assert.equal((await signIn(db.kysely, u.email, PASSWORD, '198.51.100.20')).ok, true);
    });

    it('the window passes: old failures no longer count', async () => {
      const u = await makeUser(db.kysely);
      const old = new Date(Date.now() - 16 * 60_000).toISOString();
      await db.kysely
        .insertInto('login_attempts')
        .values(Array.from({ length: 40 }, () => ({ email: u.email, ip: '192.0.2.200', succeeded: 0, attempted_at: old })))
        .execute();
      assert.equal((await signIn(db.kysely, u.email, PASSWORD, '192.0.2.200')).ok, true);
    });

    it('keeps failures for a day and successful sign-ins (the usual networks) for 30 days', async () => {
      const at = (days: number) => new Date(Date.now() - days * 24 * 60 * 60_000).toISOString();
      const email = `purge-${Date.now()}@example.org`;
      await db.kysely
        .insertInto('login_attempts')
        .values([
          { email, ip: '192.0.2.1', succeeded: 0, attempted_at: at(2) },
          { email, ip: '192.0.2.1', succeeded: 0, attempted_at: at(0.5) },
          { email, ip: '192.0.2.1', succeeded: 1, attempted_at: at(20) },
          { email, ip: '192.0.2.1', succeeded: 1, attempted_at: at(31) },
        ])
        .execute();
      assert.ok((await purgeOldLoginAttempts(db.kysely)) >= 2);
      const left = await db.kysely
        .selectFrom('login_attempts')
        .select(['succeeded', 'attempted_at'])
        .where('email', '=', email)
        .orderBy('attempted_at')
        .execute();
      assert.deepEqual(
        left.map((r) => Number(r.succeeded)),
        [1, 0],
      );
    });
  });
}
