/**
 * Police.uk uploads through the web app: uploads are deleted once imported, leftovers of a stopped process are
 * removed at start-up, a zip bomb is refused in plain words, the import page names no server folder, and a
 * fuzzed sample of malformed uploads (test/support/policeUkFuzz.ts) never gets a 5xx, never half-writes and
 * never holds up other requests.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ENGINES } from '../support/db.ts';
import { Browser, makePartnership, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { STREET_FIXTURES, csvFiles, tempDir, zipBytes } from '../support/policeUk.ts';
import { EventLoopWatch } from '../support/fuzz.ts';
import {
  baseFiles,
  collectHarnessGarbage,
  fuzzCase,
  judgeWeb,
  replay,
  storeCounts,
  uploadAndImport,
  type FuzzCase,
  type WebTarget,
} from '../support/policeUkFuzz.ts';

const SEED = Number(process.env.POLICE_FUZZ_SEED ?? 20261202);
const WEB_CASES = 16;
const DAY = 24 * 60 * 60 * 1000;

for (const engine of ENGINES) {
  describe(`police.uk uploads through the web app on ${engine}`, () => {
    let t: TestApp;
    let dir: string;
    let police: string;
    let target: WebTarget;
    let batches = 0;
    const batch = () => `fuzz${engine}${String(++batches).padStart(6, '0')}`;

    before(async () => {
      dir = tempDir();
      police = path.join(dir, 'police-uk');
      // Left by a process that stopped two days ago, and an upload of a minute ago.
      fs.mkdirSync(path.join(police, 'upload-stale0001'), { recursive: true });
      fs.writeFileSync(path.join(police, 'upload-stale0002-police.zip'), 'x');
      fs.mkdirSync(path.join(police, '.work', 'csphub-police-zip-stale'), { recursive: true });
      fs.mkdirSync(path.join(police, 'upload-recent01'));
      const old = new Date(Date.now() - 2 * DAY);
      for (const p of ['upload-stale0001', 'upload-stale0002-police.zip', '.work/csphub-police-zip-stale'])
        fs.utimesSync(path.join(police, p), old, old);
      t = await startTestApp(engine, { CRIME_STORE_PATH: path.join(dir, 'crime.duckdb'), POLICE_DATA_DIR: police });
      const p = await makePartnership(t.k, 'Fuzzed Safer');
      const admin = new Browser(t.app);
      await admin.signIn((await memberOf(t.k, p.id, 'admin')).email);
      target = { app: t.app, admin, partnershipId: p.id, importDir: police };
    });
    after(async () => {
      await t.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('removes uploads and unpacked archives older than a day at start-up, and keeps the recent upload', () => {
      assert.deepEqual(fs.readdirSync(police).sort(), ['.work', 'upload-recent01']);
      assert.deepEqual(fs.readdirSync(path.join(police, '.work')), []);
      fs.rmSync(path.join(police, 'upload-recent01'), { recursive: true });
    });

    it('imports an uploaded file and then deletes it; the page names no server folder', async () => {
      const files = csvFiles(STREET_FIXTURES);
      const c: FuzzCase = { index: -1, kind: 'csv', name: path.basename(files[0]!), content: fs.readFileSync(files[0]!), how: ['valid'] };
      const id = batch();
      const outcome = await uploadAndImport(target, c, id);
      assert.equal(outcome.refused, false, outcome.page);
      assert.match(outcome.page, /Rows accepted/);
      assert.ok(!outcome.page.includes(dir), 'no server folder on the page');
      assert.deepEqual(
        fs.readdirSync(police).filter((f) => f.startsWith('upload-')),
        [],
        'the upload is deleted',
      );
    });

    it('refuses an uploaded zip bomb in plain words, deletes it and leaves the store as it was', async () => {
      const store = await t.app.crimeData.store();
      const before = await storeCounts(store);
      const bomb = zipBytes({
        '2024-01/2024-01-essex-street.csv': { compressed: zlib.deflateRawSync(Buffer.alloc(64 * 1024 * 1024)), declaredSize: 6019 },
      });
      const c: FuzzCase = { index: -1, kind: 'zip', name: 'police.zip', content: bomb, how: ['bomb'] };
      const id = batch();
      const outcome = await uploadAndImport(target, c, id);
      assert.equal(outcome.refused, true);
      assert.match(
        outcome.page,
        new RegExp(`upload-${id}-police\\.zip was not imported: 2024-01/2024-01-essex-street\\.csv expands to more than 100 times`),
      );
      assert.deepEqual(await judgeWeb(target, store, c, before, outcome, id), []);
    });

    it(`refuses or fully reports ${WEB_CASES} fuzzed uploads (seed ${SEED}) without a server error or holding up other requests`, async () => {
      const store = await t.app.crimeData.store();
      const bases = baseFiles();
      const failures: string[] = [];
      // The longest event-loop stall while an upload is imported (making the inputs is not timed).
      const loop = new EventLoopWatch();
      let stall = 0;
      const healthMs: number[] = [];
      for (let i = 0; i < WEB_CASES; i++) {
        const c = fuzzCase(SEED + 1, i, bases);
        const before = await storeCounts(store);
        const id = batch();
        collectHarnessGarbage();
        loop.start();
        const outcome = await uploadAndImport(target, c, id);
        stall = Math.max(stall, loop.stop());
        healthMs.push(...outcome.healthMs);
        const problems = await judgeWeb(target, store, c, before, outcome, id);
        if (problems.length > 0) failures.push(replay(SEED + 1, c, problems));
      }
      assert.deepEqual(failures, []);
      assert.ok(stall < 200, `seed ${SEED + 1}: the event loop stalled for ${Math.round(stall)} ms`);
      assert.ok(Math.max(...healthMs) < 200, `seed ${SEED + 1}: /health took ${Math.round(Math.max(...healthMs))} ms during an import`);
    });
  });
}
