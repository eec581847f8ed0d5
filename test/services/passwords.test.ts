/**
 * New passwords are checked as NCSC and NIST SP 800-63B advise: at least 12 characters, and not a common password
 * (the shipped list of the 10,000 most used, also with numbers, symbols or letter swaps added), not only spaces,
 * not a repeated character or short pattern, not a run of letters, digits or keyboard keys, not containing the
 * person's email or name. The rules apply everywhere a password is set, on each engine: account creation, password
 * change, invitation acceptance, and the demo administrator's setting.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { Browser, makePartnership, makeUser, PASSWORD, startTestApp } from '../support/app.ts';
import { verify } from '@node-rs/argon2';
import { commonPasswordCount, passwordProblem, verifyPassword } from '../../src/services/identity/passwords.ts';
import { hashPassword, PASSWORD_HASH_OPTIONS, passwordHashOptions } from '../../src/adapters/passwordHashing.ts';
import { changePassword, createUser } from '../../src/services/identity/users.ts';
import { acceptInvitation, addMembership, inviteUser } from '../../src/services/partnerships/members.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { ValidationError } from '../../src/domain/errors.ts';
import { loadConfig } from '../../src/config.ts';

const WEAK: [string, RegExp][] = [
  ['aaaaaaaaaaaa', /character or a few characters repeated/],
  ['            ', /only spaces/],
  ['\t\t\t\t\t\t\t\t\t\t\t\t\t', /only spaces/],
  ['abcabcabcabc', /repeated/],
  ['121212121212', /repeated/],
  ['password1234', /too common/],
  ['Password1234!', /too common/],
  ['P@ssw0rd2024!!', /too common/],
  ['!!sunshine2024', /too common/],
  ['qwertyuiop12', /too common/],
  ['1qaz2wsx3edc', /sequence/],
  ['iloveyou1234', /too common/],
  ['Liverpool1892', /too common/],
  ['123456789012', /sequence/],
  ['abcdefghijklmnop', /sequence/],
  ['qwertyuiopas', /sequence/],
  ['zyxwvutsrqpo', /sequence/],
  ['short', /12 characters or more/],
  ['x'.repeat(201), /200 characters or fewer/],
];

const STRONG = [
  PASSWORD,
  'demo-password-2026',
  'ivy chooses a long password',
  'a much longer password',
  'a long enough password',
  'tortoise-lamp-harbour-91',
  'Gz7#kQ2m!pL9',
  'my cat sleeps on the radiator',
];

describe('passwordProblem', () => {
  it('ships a list of 10,000 common passwords', () => {
    assert.equal(commonPasswordCount(), 10_000);
  });

  it('refuses weak passwords with a message that says why', () => {
    for (const [password, reason] of WEAK) assert.match(passwordProblem(password) ?? 'accepted', reason, JSON.stringify(password));
  });

  it('accepts long, uncommon passwords and passphrases', () => {
    for (const password of STRONG)
      assert.equal(passwordProblem(password, { email: 'jo.bloggs@example.org', name: 'Jo Bloggs' }), null, password);
  });

  it("refuses a password containing the person's email, name or the service's name", () => {
    const who = { email: 'priya.sharma@rotherham.gov.uk', name: 'Priya Sharma' };
    for (const password of [
      'priya.sharma-2024!',
      'Priya.Sharma@rotherham.gov.uk',
      'my name is sharma ok',
      'PriyaSharma-tunes',
      'i like csphub a lot',
      'I like CSP Hub a lot',
    ]) {
      assert.match(passwordProblem(password, who) ?? 'accepted', /must not contain/, password);
    }
    // Short parts of a name or email are ordinary words in many passphrases.
    assert.equal(passwordProblem('ivy chooses a long password', { email: 'ivy@example.org', name: 'Ivy Invitee' }), null);
    assert.equal(passwordProblem('demo-password-2026', { email: 'demo-admin@csphub.test', name: 'Demo Administrator' }), null);
  });
});

for (const engine of ENGINES) {
  describe(`weak passwords refused wherever a password is set, on ${engine}`, () => {
    let db: TestDb;
    before(async () => {
      db = await freshDb(engine);
    });
    after(async () => db.drop());

    const refused = (field: string, pattern: RegExp) => (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.match(e.errors.find((x) => x.field === field)?.message ?? JSON.stringify(e.errors), pattern);
      return true;
    };

    it('creating an account', async () => {
      await assert.rejects(
        createUser(db.kysely, SYSTEM_ACTOR, { email: 'weak1@example.org', name: 'Weak One', password: 'password1234' }),
        refused('password', /too common/),
      );
      await assert.rejects(
        createUser(db.kysely, SYSTEM_ACTOR, { email: 'weak2@example.org', name: 'Weak Two', password: '            ' }),
        refused('password', /only spaces/),
      );
      await assert.rejects(
        createUser(db.kysely, SYSTEM_ACTOR, { email: 'weak3@example.org', name: 'Weak Three', password: 'aaaaaaaaaaaa' }),
        refused('password', /repeated/),
      );
      await assert.rejects(
        createUser(db.kysely, SYSTEM_ACTOR, { email: 'gwendolyn@example.org', name: 'Gwendolyn Marsh', password: 'gwendolyn-is-great' }),
        refused('password', /must not contain/),
      );
      assert.equal(
        await db.kysely.selectFrom('users').select('id').where('email', 'like', 'weak%').executeTakeFirst(),
        undefined,
        'nothing written',
      );
    });

    it('changing a password', async () => {
      const u = await makeUser(db.kysely);
      for (const weak of ['password1234', '            ', 'aaaaaaaaaaaa']) {
        await assert.rejects(
          changePassword(db.kysely, u, { currentPassword: PASSWORD, newPassword: weak, confirmPassword: weak }),
          refused('newPassword', /too common|only spaces|repeated/),
        );
      }
    });

    it('the account page says why a new password is refused', async () => {
      const t = await startTestApp(engine);
      try {
        const u = await makeUser(t.k);
        const b = new Browser(t.app);
        await b.signIn(u.email);
        await b.get('/account/password');
        const res = await b.post('/account/password', {
          currentPassword: PASSWORD,
          newPassword: 'Password1234!',
          confirmPassword: 'Password1234!',
        });
        assert.equal(res.status, 400);
        assert.match(res.body, /href="#newPassword">Password is too common/);
      } finally {
        await t.close();
      }
    });

    it('accepting an invitation', async () => {
      const p = await makePartnership(db.kysely, 'Password Partnership');
      const admin = await makeUser(db.kysely);
      await addMembership(db.kysely, SYSTEM_ACTOR, p.id, admin, 'admin');
      const invited = await inviteUser(db.kysely, { userId: admin.id, label: admin.email }, admin, p.id, {
        email: 'marguerite@example.org',
        name: 'Marguerite Lane',
        role: 'viewer',
      });
      assert.equal(invited.kind, 'invited');
      if (invited.kind !== 'invited') return;
      for (const weak of ['password1234', '            ', 'aaaaaaaaaaaa', 'marguerite-2024!']) {
        await assert.rejects(
          acceptInvitation(db.kysely, invited.token, { name: 'Marguerite Lane', password: weak, confirmPassword: weak }),
          refused('password', /too common|only spaces|repeated|must not contain/),
        );
      }
      const user = await acceptInvitation(db.kysely, invited.token, {
        name: 'Marguerite Lane',
        password: 'velvet otters juggle',
        confirmPassword: 'velvet otters juggle',
      });
      assert.equal(user.email, 'marguerite@example.org');
    });
  });
}

describe('password hash cost', () => {
  it('hashes with argon2id at 19 MiB, 2 passes, 1 lane everywhere but the test suite', async () => {
    assert.deepEqual(PASSWORD_HASH_OPTIONS, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
    for (const env of [{}, { NODE_ENV: 'production' }, { NODE_ENV: 'production', CSPHUB_TEST_CHEAP_HASHES: '1' }, { NODE_ENV: 'test' }]) {
      assert.deepEqual(passwordHashOptions(env), PASSWORD_HASH_OPTIONS, JSON.stringify(env));
    }
    // What a server stores (this process without the test suite's setting): the hash names its parameters.
    const setting = process.env.CSPHUB_TEST_CHEAP_HASHES;
    delete process.env.CSPHUB_TEST_CHEAP_HASHES;
    let stored: string;
    try {
      stored = await hashPassword(PASSWORD);
    } finally {
      if (setting !== undefined) process.env.CSPHUB_TEST_CHEAP_HASHES = setting;
    }
    assert.match(stored, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await verifyPassword(stored, PASSWORD), true);
    assert.equal(await verifyPassword(stored, `${PASSWORD}!`), false);
  });

  it('uses the cheap test cost only with NODE_ENV=test and CSPHUB_TEST_CHEAP_HASHES=1, as the test suite runs', async () => {
    assert.deepEqual(passwordHashOptions({ NODE_ENV: 'test', CSPHUB_TEST_CHEAP_HASHES: '1' }), {
      memoryCost: 1024,
      timeCost: 1,
      parallelism: 1,
    });
    const { memoryCost, timeCost, parallelism } = passwordHashOptions();
    const made = await hashPassword(PASSWORD);
    assert.match(made, new RegExp(`^\\$argon2id\\$v=19\\$m=${memoryCost},t=${timeCost},p=${parallelism}\\$`));
    assert.equal(await verify(made, PASSWORD), true);
  });
});

describe('the demo administrator setting', () => {
  it('refuses a weak DEMO_ADMIN_PASSWORD at start-up, naming the setting', () => {
    assert.throws(() => loadConfig({ DEMO_ADMIN_PASSWORD: 'password1234' }), /DEMO_ADMIN_PASSWORD: .*too common/);
    assert.throws(() => loadConfig({ DEMO_ADMIN_PASSWORD: 'aaaaaaaaaaaa' }), /DEMO_ADMIN_PASSWORD: .*repeated/);
    assert.equal(loadConfig({}).demoAdminPassword, 'demo-password-2026');
    assert.equal(
      loadConfig({ SEED_DEMO: 'false', DEMO_ADMIN_PASSWORD: 'password1234' }).seedDemo,
      false,
      'not checked when there is no demo',
    );
  });
});
