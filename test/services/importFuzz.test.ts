/**
 * Fuzz of the figures CSV, figures XLSX and whole-partnership JSON importers on each engine: a fixed sample of 300
 * malformed inputs (made from valid files with a seeded random source) through the real services, and some of
 * them through the upload pages. Every input is either taken in full or refused with a reason and nothing
 * written; the event loop never stalls for more than 200 ms; memory stays bounded. The heavy run (thousands of
 * inputs) is `npm run bench -- --only fuzz`. To replay a failure: FUZZ_SEED=<seed> FUZZ_ONLY=<input> with this file.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { fuzzImports } from '../support/importFuzz.ts';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20240411;
const ONLY = process.env.FUZZ_ONLY ? Number(process.env.FUZZ_ONLY) : undefined;

for (const engine of ENGINES) {
  describe(`importer fuzz on ${engine}`, { timeout: 240_000 }, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(engine);
    });
    after(() => t.close());

    it(`takes or refuses 300 malformed files cleanly, without stalling (seed ${SEED})`, async () => {
      const report = await fuzzImports(t.app, t.k, {
        seed: SEED,
        counts: { csv: 140, xlsx: 80, json: 80 },
        http: 8,
        only: ONLY,
        log: (line) => console.log(line),
      });
      assert.deepEqual(
        report.failures,
        [],
        `${report.failures.length} failures (replay with FUZZ_SEED=${SEED}):\n${report.failures.slice(0, 10).join('\n')}`,
      );
      // The sample exercises both outcomes of each importer.
      for (const kind of ['csv', 'xlsx', 'json'] as const) {
        if (ONLY !== undefined) break;
        assert.ok(report.byKind[kind].refused > 0, `${kind}: some inputs refused`);
        assert.ok(report.byKind[kind].accepted > 0, `${kind}: some inputs taken`);
      }
    });
  });
}
