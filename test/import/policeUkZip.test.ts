/**
 * Zip archives of police.uk files: the limits on what an archive may unpack to (checked while inflating, not
 * from the sizes the archive declares), damaged archives refused in plain words, and nothing left behind in the
 * temporary folder or written to the store when an archive is refused.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Readable } from 'node:stream';
import { openCrimeStore, type CrimeStore } from '../../src/adapters/crimeStore/store.ts';
import { importStreetFiles } from '../../src/adapters/crimeStore/importer.ts';
import { extractStreetFilesFromZip } from '../../src/adapters/crimeStore/zip.ts';
import { ValidationError } from '../../src/domain/errors.ts';
import { STREET_FIXTURES, csvFiles, tempDir, writeZip } from '../support/policeUk.ts';

const ESSEX_JAN = path.join(STREET_FIXTURES, '2024-01', '2024-01-essex-street.csv');

/** Row counts per table: what a refused import must leave unchanged. */
async function counts(store: CrimeStore): Promise<Record<string, number>> {
  const [row] = await store.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM street_records) AS records, (SELECT count(*) FROM street_files) AS files,
            (SELECT count(*) FROM lsoas) AS lsoas, (SELECT count(*) FROM lsoa_forces) AS lsoa_forces`,
  );
  return { ...row };
}

/** Deflates `bytes` zeros in 1 MiB pieces (a zip bomb's payload) without holding them in memory. */
async function deflatedZeros(bytes: number): Promise<Buffer> {
  const zero = Buffer.alloc(1024 * 1024);
  const pieces = function* () {
    for (let left = bytes; left > 0; left -= zero.length) yield zero.subarray(0, Math.min(left, zero.length));
  };
  const chunks: Buffer[] = [];
  for await (const chunk of Readable.from(pieces()).pipe(zlib.createDeflateRaw({ level: 9 }))) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${String(error)}`);
  return error.errors.map((e) => e.message).join('\n');
}

describe('police.uk zip archives', () => {
  let dir: string;
  let work: string;
  let store: CrimeStore;

  before(async () => {
    dir = tempDir();
    work = path.join(dir, 'extract');
    fs.mkdirSync(work);
    store = await openCrimeStore(path.join(dir, 'crime.duckdb'));
    await importStreetFiles(store, STREET_FIXTURES);
  });
  after(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a zip bomb while inflating it, although its header declares a small size, and leaves nothing behind', async () => {
    const before = await counts(store);
    const zip = path.join(dir, 'bomb.zip');
    // 256 MiB of zeros deflate to about 250 KB; the headers claim the entry holds 6,019 bytes.
    writeZip(zip, { '2024-01/2024-01-essex-street.csv': { compressed: await deflatedZeros(256 * 1024 * 1024), declaredSize: 6019 } });
    assert.ok(fs.statSync(zip).size < 400_000);
    const started = Date.now();
    const message = await refusal(importStreetFiles(store, zip, { tempDir: work }));
    assert.match(message, /^bomb\.zip was not imported: 2024-01\/2024-01-essex-street\.csv expands to more than 100 times its packed size/);
    assert.doesNotMatch(message, new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'no server folder in the message');
    assert.ok(Date.now() - started < 5_000, 'stopped early, not after inflating everything');
    assert.deepEqual(fs.readdirSync(work), [], 'the partly extracted file is removed');
    assert.deepEqual(await counts(store), before);
  });

  it('limits the size of one entry, the total, and the number of entries, whatever the headers say', async () => {
    // Incompressible rows (random crime IDs), so the ratio limit does not apply; the header row keeps them street files.
    const header = fs.readFileSync(ESSEX_JAN, 'utf8').split('\n')[0];
    const rows = (n: number) =>
      `${header}\n${Array.from({ length: n }, () => `${crypto.randomUUID()},2024-01,Essex Police,Essex Police,,,No Location,,,Drugs,,`).join('\n')}\n`;
    const big = rows(3000); // about 180 KB
    const zip = path.join(dir, 'big.zip');
    writeZip(zip, { '2024-01/2024-01-essex-street.csv': { data: big, declaredSize: 100 } });
    const one = await refusal(extractStreetFilesFromZip(zip, { tempDir: work, limits: { maxEntryBytes: 100 * 1024 } }));
    assert.match(
      one,
      /^big\.zip was not imported: 2024-01\/2024-01-essex-street\.csv unpacks to more than 100 KB, the most one file may be/,
    );
    assert.deepEqual(fs.readdirSync(work), []);

    const two = path.join(dir, 'two.zip');
    writeZip(two, { '2024-01/2024-01-essex-street.csv': rows(1000), '2024-02/2024-02-essex-street.csv': rows(1000) });
    const total = await refusal(extractStreetFilesFromZip(two, { tempDir: work, limits: { maxTotalBytes: 100 * 1024 } }));
    assert.match(total, /^two\.zip was not imported: its street-level files unpack to more than 100 KB in all/);
    assert.deepEqual(fs.readdirSync(work), [], 'the first file, already extracted, is removed too');

    const many = path.join(dir, 'many.zip');
    writeZip(many, Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`notes-${i}.txt`, 'x'])));
    const entries = await refusal(extractStreetFilesFromZip(many, { tempDir: work, limits: { maxEntries: 4 } }));
    assert.match(entries, /^many\.zip was not imported: it holds 5 files, more than the 4 an archive may hold/);
    assert.deepEqual(fs.readdirSync(work), []);

    // Within the limits the same archives are read.
    const ok = await extractStreetFilesFromZip(two, { tempDir: work, limits: { maxTotalBytes: 200 * 1024 } });
    assert.equal(ok.files.length, 2);
    await ok.cleanup();
    assert.deepEqual(fs.readdirSync(work), []);
  });

  it('refuses damaged archives in plain words: truncated, corrupted data, wrong checksum, wrong declared size', async () => {
    const before = await counts(store);
    const good = path.join(dir, 'good.zip');
    writeZip(
      good,
      Object.fromEntries(
        csvFiles(STREET_FIXTURES).map((f) => [path.relative(STREET_FIXTURES, f).split(path.sep).join('/'), fs.readFileSync(f)]),
      ),
    );
    const bytes = fs.readFileSync(good);
    const damaged = path.join(dir, 'damaged.zip');
    const cases: [string, Buffer][] = [
      ['truncated', bytes.subarray(0, Math.floor(bytes.length / 2))],
      ['not a zip', Buffer.from('Crime ID,Month\n')],
      ['empty', Buffer.alloc(0)],
      // Bytes of the first entry's deflated data changed: inflating fails or the checksum differs.
      ['corrupted', Buffer.concat([bytes.subarray(0, 200), Buffer.alloc(300, 0xff), bytes.subarray(500)])],
    ];
    // The central directory claims a size far beyond the file.
    const hugeDirectory = Buffer.from(bytes);
    hugeDirectory.writeUInt32LE(0xfffffff0, hugeDirectory.length - 22 + 12);
    cases.push(['central directory beyond the file', hugeDirectory]);
    for (const [label, content] of cases) {
      fs.writeFileSync(damaged, content);
      const message = await refusal(importStreetFiles(store, damaged, { tempDir: work }));
      assert.match(message, /^damaged\.zip was not imported: (it is not a readable zip archive|the archive is damaged)/, label);
      assert.match(message, /police\.uk/, `${label}: says what to do`);
      assert.deepEqual(fs.readdirSync(work), [], label);
    }
    const wrongCrc = path.join(dir, 'crc.zip');
    writeZip(wrongCrc, { '2024-01/2024-01-essex-street.csv': { data: fs.readFileSync(ESSEX_JAN), crc: 12345 } });
    assert.match(
      await refusal(importStreetFiles(store, wrongCrc, { tempDir: work })),
      /^crc\.zip was not imported: the archive is damaged \(2024-01\/2024-01-essex-street\.csv/,
    );
    const wrongSize = path.join(dir, 'size.zip');
    writeZip(wrongSize, { '2024-01/2024-01-essex-street.csv': { data: fs.readFileSync(ESSEX_JAN), declaredSize: 10 } });
    assert.match(
      await refusal(importStreetFiles(store, wrongSize, { tempDir: work })),
      /^size\.zip was not imported: the archive is damaged/,
    );
    assert.deepEqual(fs.readdirSync(work), []);
    assert.deepEqual(await counts(store), before);
  });

  it('imports an archive of hundreds of small street files (read a hundred files at a time)', async () => {
    const [header, row] = fs.readFileSync(ESSEX_JAN, 'utf8').split('\n');
    const entries: Record<string, string> = {};
    for (let i = 0; i < 250; i++) {
      const month = `20${10 + (i % 12)}-${String(1 + (Math.floor(i / 12) % 12)).padStart(2, '0')}`;
      entries[`${month}/${month}-force-${Math.floor(i / 144)}-street.csv`] = `${header}\n${row!.replace('2024-01', month)}\n`;
    }
    const zip = path.join(dir, 'many-small.zip');
    writeZip(zip, entries);
    const fresh = await openCrimeStore(path.join(dir, 'many.duckdb'));
    try {
      const summary = await importStreetFiles(fresh, zip, { tempDir: work });
      assert.equal(summary.files.length, 250);
      assert.equal(summary.rowsAccepted, 250);
      assert.deepEqual(await counts(fresh), { records: 250, files: 250, lsoas: 1, lsoa_forces: 2 });
    } finally {
      fresh.close();
    }
    assert.deepEqual(fs.readdirSync(work), []);
  });
});
