/**
 * The web app's police.uk imports (src/services/assessment/crimeData.ts): uploaded files and unpacked archives are deleted
 * once their import has finished, whatever the outcome; leftovers of a stopped process are removed at start-up;
 * an import that fails shows plain words and logs the raw error for operators.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CrimeData } from '../../src/services/assessment/crimeData.ts';
import { EXTRACT_PREFIX } from '../../src/adapters/crimeStore/zip.ts';
import { plainImportFailure } from '../../src/services/assessment/crimeData.ts';
import { STREET_FIXTURES, csvFiles, tempDir, writeZip } from '../support/policeUk.ts';

const DAY = 24 * 60 * 60 * 1000;

async function finished(crimeData: CrimeData, partnershipId: number) {
  await crimeData.idle();
  const job = crimeData.jobFor(partnershipId);
  assert.ok(job?.finished);
  return job;
}

describe('police.uk imports in the web app', () => {
  let dir: string;
  let importDir: string;
  let crimeData: CrimeData;
  const logged: { message: string; err: unknown }[] = [];

  before(() => {
    dir = tempDir();
    importDir = path.join(dir, 'police-uk');
    fs.mkdirSync(importDir);
    crimeData = new CrimeData(path.join(dir, 'crime.duckdb'), importDir, { log: (message, err) => logged.push({ message, err }) });
  });
  after(async () => {
    await crimeData.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Files left in the police.uk folder and its work folder. */
  const leftovers = () => (fs.readdirSync(importDir, { recursive: true }) as string[]).sort();

  it('deletes an uploaded folder once its import has finished, and keeps the folders put there by the operator', async () => {
    fs.cpSync(STREET_FIXTURES, path.join(importDir, 'operator-2024'), { recursive: true });
    fs.cpSync(STREET_FIXTURES, path.join(importDir, 'upload-abc12345'), { recursive: true });
    crimeData.startImport(1, 'upload-abc12345', 'admin@example.org');
    const job = await finished(crimeData, 1);
    assert.deepEqual(job.errors, []);
    assert.equal(job.summary?.files.length, 6);
    crimeData.startImport(1, 'operator-2024', 'admin@example.org');
    assert.deepEqual((await finished(crimeData, 1)).errors, []);
    assert.ok(!fs.existsSync(path.join(importDir, 'upload-abc12345')), 'the upload is deleted');
    assert.ok(fs.existsSync(path.join(importDir, 'operator-2024')), "the operator's folder stays");
    assert.ok(!leftovers().some((f) => f.includes(EXTRACT_PREFIX)));
    fs.rmSync(path.join(importDir, 'operator-2024'), { recursive: true });
  });

  it('deletes an uploaded zip archive and what was unpacked from it, after a successful and after a refused import', async () => {
    const entries = Object.fromEntries(
      csvFiles(STREET_FIXTURES).map((f) => [path.relative(STREET_FIXTURES, f).split(path.sep).join('/'), fs.readFileSync(f)]),
    );
    writeZip(path.join(importDir, 'upload-abc12346-police.zip'), entries);
    crimeData.startImport(1, 'upload-abc12346-police.zip', 'admin@example.org');
    assert.deepEqual((await finished(crimeData, 1)).errors, []);
    assert.deepEqual(
      leftovers().filter((f) => !f.startsWith('.work')),
      [],
    );
    assert.deepEqual(fs.readdirSync(path.join(importDir, '.work')), [], 'nothing unpacked is left');

    // A damaged archive: refused, and deleted all the same.
    fs.writeFileSync(path.join(importDir, 'upload-abc12347-police.zip'), 'not a zip');
    crimeData.startImport(1, 'upload-abc12347-police.zip', 'admin@example.org');
    const job = await finished(crimeData, 1);
    assert.match(job.errors[0]?.message ?? '', /^upload-abc12347-police\.zip was not imported: it is not a readable zip archive/);
    assert.deepEqual(
      leftovers().filter((f) => !f.startsWith('.work')),
      [],
    );
    assert.deepEqual(fs.readdirSync(path.join(importDir, '.work')), []);
  });

  it('removes uploads and unpacked folders older than a day at start-up, and nothing else', async () => {
    const old = new Date(Date.now() - 2 * DAY);
    const make = (rel: string, folder: boolean, when?: Date) => {
      const p = path.join(importDir, rel);
      if (folder) fs.mkdirSync(p, { recursive: true });
      else {
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, 'x');
      }
      if (when) fs.utimesSync(p, when, when);
    };
    make('upload-old00001', true, old);
    make('upload-old00002-police.zip', false, old);
    make('upload-new00001', true);
    make('operator-old', true, old);
    make('2024-01-essex-street.csv', false, old);
    make(`.work/${EXTRACT_PREFIX}old`, true, old);
    make(`.work/${EXTRACT_PREFIX}new`, true);
    // (Leftovers of other runs in the system's temporary folder, given as full paths, are not this test's.)
    const removed = crimeData.removeLeftovers().filter((r) => !path.isAbsolute(r));
    assert.deepEqual(removed.sort(), ['.work/' + EXTRACT_PREFIX + 'old', 'upload-old00001', 'upload-old00002-police.zip']);
    assert.deepEqual(fs.readdirSync(importDir).sort(), ['.work', '2024-01-essex-street.csv', 'operator-old', 'upload-new00001']);
    assert.deepEqual(fs.readdirSync(path.join(importDir, '.work')), [`${EXTRACT_PREFIX}new`]);
  });

  it('shows a refused file in plain words, without server folders, and logs what DuckDB said for operators', async () => {
    const lines = fs.readFileSync(path.join(STREET_FIXTURES, '2024-01', '2024-01-essex-street.csv'), 'utf8').split('\n');
    fs.mkdirSync(path.join(importDir, 'carriage-return'));
    fs.writeFileSync(
      path.join(importDir, 'carriage-return', '2024-01-essex-street.csv'),
      [lines[0], lines[1], lines[2]!.replace('Essex Police,0', 'Essex\rPolice,0'), ...lines.slice(3)].join('\n'),
    );
    logged.length = 0;
    crimeData.startImport(1, 'carriage-return', 'admin@example.org');
    const job = await finished(crimeData, 1);
    assert.equal(job.errors.length, 1);
    assert.match(job.errors[0]!.message, /^2024-01-essex-street\.csv was not imported: row 3 has a carriage return/);
    assert.ok(!job.errors[0]!.message.includes(dir));
    assert.equal(logged.length, 1);
    assert.match(String((logged[0]!.err as Error).message), /CSV Parser state machine/);
  });

  it('turns an unexpected failure into plain words with a reference, and logs the raw error with it', async () => {
    // The store's path is a folder: DuckDB cannot open it, and its message names the server path.
    const broken = path.join(dir, 'not-a-store');
    fs.mkdirSync(broken);
    const failing = new CrimeData(broken, importDir, { log: (message, err) => logged.push({ message, err }) });
    fs.cpSync(STREET_FIXTURES, path.join(importDir, 'fixtures'), { recursive: true });
    logged.length = 0;
    const started = failing.startImport(2, 'fixtures', 'admin@example.org');
    await failing.idle();
    const job = failing.jobFor(2)!;
    assert.equal(job.errors.length, 1);
    const message = job.errors[0]!.message;
    assert.equal(
      message,
      `The import failed because of a problem on the server, and nothing was changed. Try again; if it fails again, tell your administrator and give them this reference: ${started.id}.`,
    );
    assert.equal(logged.length, 1);
    assert.match(logged[0]!.message, new RegExp(started.id));
    assert.match(String((logged[0]!.err as Error).message), new RegExp(broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await failing.close();
  });

  it('says what to do about the server problems people can act on', () => {
    const cases: [unknown, RegExp][] = [
      [
        new Error('Out of Memory Error: failed to allocate data of size 2.0 GiB (1.9 GiB/2.0 GiB used)'),
        /ran out of memory.*fewer files at once/,
      ],
      [Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), /ran out of disk space/],
      [new Error('IO Error: Could not write file "/srv/csphub/data/crime.duckdb.wal": No space left on device'), /ran out of disk space/],
      [
        new Error(
          'IO Error: Could not set lock on file "/srv/csphub/data/crime.duckdb": Conflicting lock is held in /usr/bin/node (PID 4242)',
        ),
        /nother program is using the police\.uk store/,
      ],
      [
        new Error('IO Error: No files found that match the pattern "/srv/csphub/police-uk/x/2024-01-essex-street.csv"'),
        /removed from the server while it was being imported/,
      ],
    ];
    for (const [error, expected] of cases) {
      const message = plainImportFailure(error, 'ref-1');
      assert.match(message, expected);
      assert.match(message, /nothing was changed/i);
      assert.doesNotMatch(message, /\/srv|IO Error|PID/);
    }
  });
});
