/**
 * The same races as test/services/concurrentSaves.test.ts, through the app: eight requests at once to the JSON API
 * (a personal token) and to the forms (a signed-in browser), each with what it read before any of them saved.
 * Exactly one request succeeds and the others are answered 409 (the conflict page, or JSON), never 500; where
 * saves are serialised every request succeeds.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { api, Browser, makePartnership, memberOf, startTestApp, type Response, type TestApp } from '../support/app.ts';
import { buildFixture, CONTESTS, type ContestContext } from '../support/conflicts.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';

const WRITERS = 8;

function outcome(responses: Response[], success: number[]): { won: number; conflicts: number; other: string[] } {
  return {
    won: responses.filter((r) => success.includes(r.status)).length,
    conflicts: responses.filter((r) => r.status === 409).length,
    other: responses.filter((r) => !success.includes(r.status) && r.status !== 409).map((r) => `${r.status}: ${r.body.slice(0, 300)}`),
  };
}

for (const engine of ENGINES) {
  describe(`concurrent saves through the app on ${engine}`, () => {
    let t: TestApp;
    let ctx: ContestContext;
    let token: string;
    let browser: Browser;

    before(async () => {
      t = await startTestApp(engine);
      const p = await makePartnership(t.k, `Web race ${engine}`);
      const admin = await memberOf(t.k, p.id, 'admin');
      const actor = { userId: admin.id, label: admin.email };
      ctx = { k: t.k, actor, partnershipId: p.id, fixture: await buildFixture(t.k, actor, p.id) };
      token = (await createToken(t.k, admin, 'racing')).token;
      browser = new Browser(t.app);
      await browser.signIn(admin.email);
    });
    after(async () => t.close());

    it('eight requests creating organisations with the same name at once: one is created, the other refused (400 or 409), never 500', async () => {
      const body = { name: `Same name ${engine} ${Date.now()}`, type: 'other' };
      const url = `/api/v1/partnerships/${ctx.partnershipId}/organisations`;
      const responses = await Promise.all(Array.from({ length: WRITERS }, () => api(t.app, token, 'POST', url, body)));
      const statuses = responses.map((r) => r.status);
      assert.equal(statuses.filter((x) => x === 201).length, 1, statuses.join(', '));
      assert.deepEqual(
        statuses.filter((x) => x !== 201 && x !== 400 && x !== 409),
        [],
        'refused as invalid or as a conflict, never a server error',
      );
    });

    for (const contest of CONTESTS) {
      const expected = contest.winners === 'one' ? 1 : WRITERS;
      if (contest.via.includes('api'))
        it(`${contest.name}: through the API ${contest.winners === 'one' ? 'one request wins, the others get 409' : 'every request succeeds'}`, async () => {
          const writers = await contest.open(ctx);
          const call = writers.api!;
          const responses = await Promise.all(
            Array.from({ length: WRITERS }, (_x, n) => api(t.app, token, call.method, call.url, call.body(n))),
          );
          const o = outcome(responses, [200, 201]);
          assert.deepEqual(o.other, [], 'only success or 409, never a 500');
          assert.equal(o.won, expected);
          assert.equal(o.conflicts, WRITERS - expected);
          for (const r of responses.filter((x) => x.status === 409)) assert.equal(r.json<{ error: string }>().error, 'Conflict');
          await writers.after?.(o.won);
        });
      if (contest.via.includes('form'))
        it(`${contest.name}: through the form ${contest.winners === 'one' ? 'one save wins, the others see the conflict page' : 'every save succeeds'}`, async () => {
          const writers = await contest.open(ctx);
          const form = writers.form!;
          const responses = await Promise.all(Array.from({ length: WRITERS }, (_x, n) => browser.post(form.url, form.fields(n))));
          const o = outcome(responses, [303]);
          assert.deepEqual(o.other, [], 'only success or 409, never a 500');
          assert.equal(o.won, expected);
          assert.equal(o.conflicts, WRITERS - expected);
          for (const r of responses.filter((x) => x.status === 409))
            assert.match(r.body, /changed by someone else after you opened (it|them)/);
          await writers.after?.(o.won);
        });
    }
  });
}
