import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openCrimeStore, type CrimeStore } from '../../src/adapters/crimeStore/store.ts';
import { importStreetFiles, type ImportProgress } from '../../src/adapters/crimeStore/importer.ts';
import { ValidationError } from '../../src/domain/errors.ts';
import { MALFORMED_FIXTURE, STREET_FIXTURES, csvFiles, readStreetRows, tempDir, writeZip } from '../support/policeUk.ts';

interface Snapshot {
  perFile: string;
  fingerprint: string;
}

/** What the store holds, row by row: counts per (month, force) and an order-independent checksum of every row. */
async function snapshot(store: CrimeStore): Promise<Snapshot> {
  const perFile = await store.query(`SELECT month, force, count(*) AS n FROM street_records GROUP BY ALL ORDER BY ALL`);
  const files = await store.query(`SELECT month, force, rows_accepted, rows_rejected FROM street_files ORDER BY ALL`);
  const [sum] = await store.query<{ h: string | null }>(
    `SELECT CAST(sum(hash(month, force, crime_id, longitude, latitude, lsoa_code, crime_type, outcome)) AS VARCHAR) AS h FROM street_records`,
  );
  return { perFile: JSON.stringify({ perFile, files }), fingerprint: sum?.h ?? 'empty' };
}

describe('police.uk street-level importer', () => {
  let dir: string;
  let store: CrimeStore;
  const fixtureRows = readStreetRows(STREET_FIXTURES);

  before(async () => {
    dir = tempDir();
    store = await openCrimeStore(path.join(dir, 'crime.duckdb'));
  });
  after(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports a folder of real-layout files: every row accepted, counted per month and force', async () => {
    const progress: ImportProgress[] = [];
    const summary = await importStreetFiles(store, STREET_FIXTURES, { onProgress: (p) => progress.push(p) });
    assert.equal(summary.rowsAccepted, fixtureRows.length);
    assert.equal(summary.rowsRejected, 0);
    assert.deepEqual(summary.rejections, []);
    assert.equal(summary.files.length, 6);
    for (const f of summary.files) {
      assert.equal(f.rowsAccepted, fixtureRows.filter((r) => r.file === f.file).length, f.file);
      assert.equal(f.replaced, false);
    }
    const stored = await store.query<{ month: string; force: string; n: number; asb: number; located: number }>(
      `SELECT month, force, count(*) AS n, count(*) FILTER (crime_type = 'Anti-social behaviour') AS asb, count(lsoa_code) AS located
         FROM street_records GROUP BY ALL ORDER BY ALL`,
    );
    for (const s of stored) {
      const rows = fixtureRows.filter((r) => r.file === `${s.month}-${s.force}-street.csv`);
      assert.equal(s.n, rows.length);
      assert.equal(s.asb, rows.filter((r) => r.crimeType === 'Anti-social behaviour').length);
      assert.equal(s.located, rows.filter((r) => r.lsoaCode !== '').length);
    }
    // The LSOAs seen, with their local authority and the forces that report in them.
    const lsoas = await store.query<{ code: string; name: string; local_authority: string; forces: string }>(
      `SELECT l.code, l.name, l.local_authority, string_agg(f.force, ',' ORDER BY f.force) AS forces FROM lsoas l JOIN lsoa_forces f USING (code) GROUP BY ALL`,
    );
    const located = fixtureRows.filter((r) => r.lsoaCode !== '');
    assert.equal(lsoas.length, new Set(located.map((r) => r.lsoaCode)).size);
    for (const l of lsoas) {
      const seen = located.filter((r) => r.lsoaCode === l.code);
      assert.equal(l.name, seen[0]?.lsoaName);
      assert.equal(l.local_authority, l.name.replace(/ \d{3}[A-Z]$/, ''));
      assert.equal(l.forces, [...new Set(seen.map((r) => r.file.replace(/^\d{4}-\d{2}-(.*)-street\.csv$/, '$1')))].sort().join(','));
    }
    const [coords] = await store.query<{ lon: number }>(`SELECT sum(longitude) AS lon FROM street_records`);
    const expected = fixtureRows.reduce((s, r) => s + (r.longitude === '' ? 0 : Number(r.longitude)), 0);
    assert.ok(Math.abs((coords?.lon ?? 0) - expected) < 1e-6);
    // The progress bar reaches every byte and every row.
    const last = progress.at(-1);
    assert.equal(last?.stage, 'done');
    assert.equal(last?.bytesDone, last?.bytesTotal);
    assert.equal(last?.rowsRead, fixtureRows.length);
    assert.ok(progress.some((p) => p.stage === 'reading' && p.filesDone === 0));
  });

  it('re-importing the same files replaces them: nothing doubles, nothing changes', async () => {
    const before = await snapshot(store);
    const summary = await importStreetFiles(store, csvFiles(STREET_FIXTURES));
    assert.ok(summary.files.every((f) => f.replaced));
    assert.deepEqual(await snapshot(store), before);
  });

  it('re-importing a month and force with different rows replaces only that month and force', async () => {
    const work = tempDir();
    try {
      const source = path.join(STREET_FIXTURES, '2024-02', '2024-02-essex-street.csv');
      const lines = fs
        .readFileSync(source, 'utf8')
        .split('\n')
        .filter((l) => l !== '');
      const target = path.join(work, '2024-02-essex-street.csv');
      fs.writeFileSync(target, `${lines.slice(0, 6).join('\n')}\n`);
      const summary = await importStreetFiles(store, [target]);
      assert.equal(summary.rowsAccepted, 5);
      const counts = await store.query<{ month: string; force: string; n: number }>(
        `SELECT month, force, count(*) AS n FROM street_records GROUP BY ALL`,
      );
      const n = (m: string, f: string) => counts.find((c) => c.month === m && c.force === f)?.n;
      assert.equal(n('2024-02', 'essex'), 5);
      assert.equal(n('2024-01', 'essex'), fixtureRows.filter((r) => r.file === '2024-01-essex-street.csv').length);
      assert.equal(n('2024-02', 'south-yorkshire'), fixtureRows.filter((r) => r.file === '2024-02-south-yorkshire-street.csv').length);
      // Put the full file back for the tests that follow.
      await importStreetFiles(store, [source]);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it('reports each malformed row with its file, row, column and value, and keeps the good rows', async () => {
    const summary = await importStreetFiles(store, [MALFORMED_FIXTURE]);
    assert.equal(summary.rowsAccepted, 4);
    assert.equal(summary.rowsRejected, 6);
    const file = '2024-04-essex-street.csv';
    const lines = fs.readFileSync(MALFORMED_FIXTURE, 'utf8').split('\n');
    assert.deepEqual(
      summary.rejections.map((r) => ({ ...r })),
      [
        { file, row: 5, column: 'Month', value: '2024-03', reason: 'Month does not match the file name (2024-04)' },
        { file, row: 6, column: 'Crime type', value: 'Antisocial behaviour', reason: 'Not a police.uk crime type' },
        { file, row: 7, column: 'Longitude', value: 'east', reason: 'Longitude must be a number from -180 to 180, or empty' },
        { file, row: 8, column: 'LSOA code', value: 'X01000001', reason: 'LSOA code must be E01 or W01 followed by six digits, or empty' },
        { file, row: 9, column: 'row', value: lines[8], reason: 'Expected 12 columns, found 10' },
        { file, row: 10, column: 'row', value: lines[9], reason: 'Expected 12 columns, found 13' },
      ],
    );
    const stored = await store.query<{ crime_type: string; lsoa_code: string | null }>(
      `SELECT crime_type, lsoa_code FROM street_records WHERE month = '2024-04' ORDER BY crime_type`,
    );
    const good = [2, 3, 4, 11].map((line) => (lines[line - 1] as string).split(','));
    assert.deepEqual(
      stored.map((r) => r.crime_type),
      good.map((f) => f[9]).sort(),
    );
    assert.equal(stored.filter((r) => r.lsoa_code === null).length, 1);
    const [record] = await store.query<{ rows_accepted: number; rows_rejected: number }>(
      `SELECT rows_accepted, rows_rejected FROM street_files WHERE month = '2024-04'`,
    );
    assert.deepEqual({ ...record }, { rows_accepted: 4, rows_rejected: 6 });
  });

  it('a failed or cancelled import leaves the store exactly as it was', async () => {
    const before = await snapshot(store);
    // Cancelled just before the commit: inside the transaction the old rows were already deleted and the new ones
    // inserted (the re-import uses a smaller copy of one file, so the contents really differ).
    const work = tempDir();
    let sawReplacement = false;
    try {
      const source = path.join(STREET_FIXTURES, '2024-01', '2024-01-essex-street.csv');
      const smaller = path.join(work, '2024-01-essex-street.csv');
      fs.writeFileSync(smaller, fs.readFileSync(source, 'utf8').split('\n').slice(0, 4).join('\n') + '\n');
      await assert.rejects(
        importStreetFiles(store, [smaller, MALFORMED_FIXTURE], {
          onProgress: (p) => {
            if (p.stage !== 'committing') return;
            sawReplacement = true;
            throw new Error('cancelled by the user');
          },
        }),
        /cancelled by the user/,
      );
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
    assert.equal(sawReplacement, true);
    assert.deepEqual(await snapshot(store), before);
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await assert.rejects(importStreetFiles(store, STREET_FIXTURES, { signal: controller.signal }), /stopped/);
    assert.deepEqual(await snapshot(store), before);
  });

  it('refuses the whole import when a file is not a police.uk street file, and changes nothing', async () => {
    const before = await snapshot(store);
    const work = tempDir();
    try {
      const wrongHeader = path.join(work, '2024-05-essex-street.csv');
      fs.writeFileSync(wrongHeader, 'Crime ID,Month,Crime type\nabc,2024-05,Burglary\n');
      const wrongName = path.join(work, 'burglary.csv');
      fs.writeFileSync(wrongName, 'x\n');
      const error = await importStreetFiles(store, [
        path.join(STREET_FIXTURES, '2024-01', '2024-01-essex-street.csv'),
        wrongHeader,
        wrongName,
      ]).catch((e: unknown) => e);
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(
        error.errors.map((e) => e.message.split(' ').slice(0, 4).join(' ')),
        ['2024-05-essex-street.csv does not start', 'burglary.csv is not a'],
      );
      const twice = await importStreetFiles(store, [
        path.join(STREET_FIXTURES, '2024-01', '2024-01-essex-street.csv'),
        path.join(STREET_FIXTURES, '2024-01', '2024-01-essex-street.csv'),
      ]).catch((e: unknown) => e);
      assert.ok(twice instanceof ValidationError && /both for essex in 2024-01/.test(twice.message));
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
    assert.deepEqual(await snapshot(store), before);
  });

  it('imports the street files from a zip archive and skips the other police.uk files in it', async () => {
    const work = tempDir();
    const fresh = await openCrimeStore(path.join(work, 'zip.duckdb'));
    try {
      const entries: Record<string, Buffer> = {};
      for (const file of csvFiles(STREET_FIXTURES))
        entries[path.relative(STREET_FIXTURES, file).split(path.sep).join('/')] = fs.readFileSync(file);
      entries['2024-01/2024-01-essex-outcomes.csv'] = Buffer.from('Crime ID,Month\n');
      const zip = path.join(work, 'police.zip');
      writeZip(zip, entries);
      const summary = await importStreetFiles(fresh, zip);
      assert.equal(summary.rowsAccepted, fixtureRows.length);
      assert.deepEqual(summary.skippedFiles, ['2024-01/2024-01-essex-outcomes.csv']);
      const fromZip = await snapshot(fresh);
      const [n] = await fresh.query<{ n: number }>(`SELECT count(*) AS n FROM street_records`);
      assert.equal(n?.n, fixtureRows.length);
      assert.notEqual(fromZip.fingerprint, 'empty');
    } finally {
      fresh.close();
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
