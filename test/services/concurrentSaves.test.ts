/**
 * Real concurrency on each engine: eight writers save the same thing at once, each with what it read before any
 * of them saved. Where the save carries a conflict check exactly one wins and the others get a ConflictError
 * (never another error); where saves are serialised (figures, commentary written regardless, settings kept one
 * per partnership) every save succeeds, one after the other. The rows raced on are listed in test/support/conflicts.ts.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { makePartnership } from '../support/app.ts';
import { buildFixture, CONTESTS, type ContestContext } from '../support/conflicts.ts';
import { ConflictError } from '../../src/domain/errors.ts';

const WRITERS = 8;

for (const engine of ENGINES) {
  describe(`concurrent saves through the services on ${engine}`, () => {
    let db: TestDb;
    let ctx: ContestContext;
    const actor = { userId: null, label: 'racer@example.org' };

    before(async () => {
      db = await freshDb(engine);
      const p = await makePartnership(db.kysely, `Race ${engine}`);
      ctx = { k: db.kysely, actor, partnershipId: p.id, fixture: await buildFixture(db.kysely, actor, p.id) };
    });
    after(async () => db.drop());

    for (const contest of CONTESTS) {
      it(`${contest.name}: ${contest.winners === 'one' ? 'exactly one of' : 'each of'} ${WRITERS} writers at once succeeds`, async () => {
        const writers = await contest.open(ctx);
        const results = await Promise.allSettled(Array.from({ length: WRITERS }, (_x, n) => writers.service(n)));
        const won = results.filter((r) => r.status === 'fulfilled').length;
        const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
        const unexpected = lost.filter((e) => !(e instanceof ConflictError));
        assert.deepEqual(unexpected.map(String), [], 'a lost race is a ConflictError, never anything else');
        assert.equal(won, contest.winners === 'one' ? 1 : WRITERS, `${won} of ${WRITERS} saves succeeded`);
        await writers.after?.(won);
      });
    }
  });
}
