/**
 * Fuzzing the police.uk importer, quick sample: 120 malformed street files and zip archives made from valid
 * ones with a fixed seed (test/support/policeUkFuzz.ts), each imported into a real store. Each must be refused
 * (ValidationError, plain words, the store's row counts unchanged) or imported with every row accepted or
 * reported; the event loop must never stall over 200 ms and memory must stay bounded. The heavy run (thousands
 * of inputs, any seed) is `npm run bench -- --only fuzz-police`. A failure prints the seed and the case, which
 * `POLICE_FUZZ_SEED=<seed>` replays.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openCrimeStore, type CrimeStore } from '../../src/adapters/crimeStore/store.ts';
import { importStreetFiles, type ImportSummary } from '../../src/adapters/crimeStore/importer.ts';
import { EventLoopWatch, MemoryWatch } from '../support/fuzz.ts';
import { STREET_FIXTURES, tempDir } from '../support/policeUk.ts';
import { baseFiles, collectHarnessGarbage, fuzzCase, judge, replay, storeCounts } from '../support/policeUkFuzz.ts';

const SEED = Number(process.env.POLICE_FUZZ_SEED ?? 20261202);
const CASES = 120;

describe('police.uk importer under fuzzing', () => {
  let dir: string;
  let store: CrimeStore;

  before(async () => {
    dir = tempDir();
    store = await openCrimeStore(path.join(dir, 'crime.duckdb'));
    await importStreetFiles(store, STREET_FIXTURES);
  });
  after(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`refuses or fully reports ${CASES} malformed street files and zip archives (seed ${SEED}), never stalling or growing without bound`, async () => {
    const bases = baseFiles();
    const work = path.join(dir, 'unpack');
    fs.mkdirSync(work);
    const failures: string[] = [];
    const outcomes = { imported: 0, refused: 0 };
    // The longest event-loop stall while an input is imported (making the inputs is not timed).
    const loop = new EventLoopWatch();
    let stall = 0;
    const memory = new MemoryWatch().start();
    for (let i = 0; i < CASES; i++) {
      const c = fuzzCase(SEED, i, bases);
      const folder = path.join(dir, `case-${i}`);
      fs.mkdirSync(folder);
      const file = path.join(folder, c.name);
      fs.writeFileSync(file, c.content);
      collectHarnessGarbage();
      const before = await storeCounts(store);
      loop.start();
      // Small limits, so that the archive limits are met by small inputs too.
      const outcome: { summary: ImportSummary } | { error: unknown } = await importStreetFiles(store, c.kind === 'zip' ? file : [file], {
        tempDir: work,
        zipLimits: { maxEntries: 50, maxEntryBytes: 16 * 1024 * 1024, maxTotalBytes: 32 * 1024 * 1024 },
      }).then(
        (summary) => ({ summary }),
        (error: unknown) => ({ error }),
      );
      stall = Math.max(stall, loop.stop());
      outcomes['summary' in outcome ? 'imported' : 'refused']++;
      const problems = await judge(store, c, before, outcome, [dir, folder]);
      if (fs.readdirSync(work).length > 0) problems.push('unpacked files left behind');
      if (problems.length > 0) failures.push(replay(SEED, c, problems));
      fs.rmSync(folder, { recursive: true, force: true });
    }
    const growth = memory.stop();
    assert.deepEqual(failures, [], `seed ${SEED}: ${failures.length} of ${CASES} cases failed`);
    // Both outcomes occur, so the sample tests both paths.
    assert.ok(outcomes.imported > 20 && outcomes.refused > 20, `seed ${SEED}: ${JSON.stringify(outcomes)}`);
    assert.ok(stall < 200, `seed ${SEED}: the event loop stalled for ${Math.round(stall)} ms`);
    assert.ok(growth < 400, `seed ${SEED}: memory grew by ${Math.round(growth)} MiB`);
    // The store still imports and answers.
    const summary = await importStreetFiles(store, STREET_FIXTURES);
    assert.equal(summary.rowsRejected, 0);
  });
});
