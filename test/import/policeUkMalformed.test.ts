/**
 * Malformed police.uk street-level files. Each is either refused as a whole (ValidationError in plain words,
 * the store's rows exactly as before) or imported with every bad row reported by row, column and value, and
 * then every line of the file is accounted for: accepted + rejected = the file's data rows. DuckDB's own
 * messages and server folders never reach the person importing.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openCrimeStore, type CrimeStore } from '../../src/adapters/crimeStore/store.ts';
import { importStreetFiles, type ImportSummary } from '../../src/adapters/crimeStore/importer.ts';
import { STREET_COLUMNS } from '../../src/domain/policeUkLayout.ts';
import { ValidationError } from '../../src/domain/errors.ts';
import { STREET_FIXTURES, tempDir } from '../support/policeUk.ts';
import { dataLines, storeCounts } from '../support/policeUkFuzz.ts';

const SOURCE = fs.readFileSync(path.join(STREET_FIXTURES, '2024-01', '2024-01-essex-street.csv'), 'utf8');
const [HEADER, ...REST] = SOURCE.split('\n');
const ROWS = REST.filter((l) => l !== '');
const NAME = '2024-01-essex-street.csv';

/** The fixture file with some rows changed. */
function withRows(change: (rows: string[]) => (string | Buffer)[], header: string | Buffer = HEADER as string): Buffer {
  const parts = [header, ...change([...ROWS])];
  return Buffer.concat(parts.flatMap((p) => [Buffer.isBuffer(p) ? p : Buffer.from(p), Buffer.from('\n')]));
}

/** Raw messages that must never reach people. */
function assertPlain(message: string, dir: string): void {
  assert.ok(!message.includes(dir), `no server folder in: ${message}`);
  assert.doesNotMatch(
    message,
    /Invalid Input Error|IO Error|DuckDB|Found: \d|Possible fixes|state machine|strict_mode|byte sequence mismatch/i,
    message,
  );
}

describe('malformed police.uk street-level files', () => {
  let dir: string;
  let store: CrimeStore;
  let n = 0;

  before(async () => {
    dir = tempDir();
    store = await openCrimeStore(path.join(dir, 'crime.duckdb'));
    await importStreetFiles(store, STREET_FIXTURES);
  });
  after(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function write(content: Buffer | string, name = NAME): string {
    const file = path.join(dir, `case-${++n}`, name);
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, content);
    return file;
  }

  /** Imports a file that must be refused; returns the message after checking that nothing changed. */
  async function refused(content: Buffer | string): Promise<string> {
    const before = await storeCounts(store);
    const error = await importStreetFiles(store, [write(content)]).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(
      error instanceof ValidationError,
      `expected a refusal, got ${error === null ? 'an import' : error instanceof Error ? error.message : 'something else'}`,
    );
    assert.deepEqual(await storeCounts(store), before, 'a refused import changes nothing');
    const message = error.errors.map((e) => e.message).join('\n');
    assertPlain(message, dir);
    return message;
  }

  /** Imports a file whose bad rows are reported; checks that every data line is accounted for. */
  async function reported(content: Buffer): Promise<ImportSummary> {
    const summary = await importStreetFiles(store, [write(content)]);
    assert.equal(summary.rowsAccepted + summary.rowsRejected, dataLines(content), 'every line accepted or reported');
    for (const r of summary.rejections) {
      assertPlain(r.reason, dir);
      assert.ok((r.value ?? '').length <= 501, 'values are cut short for the page');
    }
    return summary;
  }

  it('refuses a file whose header row is not the police.uk one, saying what is wrong with it', async () => {
    const columns = [...STREET_COLUMNS];
    assert.match(
      await refused(`Crime ID,Month,Crime type\nabc,2024-01,Burglary\n`),
      /^2024-01-essex-street\.csv does not start with the police\.uk header row: it has 3 columns, street-level files have 12 \(Crime ID, Month, Reported by,/,
    );
    const renamed = columns.map((c) => (c === 'Reported by' ? 'Reportd by' : c)).join(',');
    assert.match(
      await refused(withRows((r) => r, renamed)),
      /does not start with the police\.uk header row: column 3 is "Reportd by" where street-level files have "Reported by"/,
    );
    assert.match(
      await refused(withRows((r) => r, columns.reverse().join(','))),
      /column 1 is "Context" where street-level files have "Crime ID"/,
    );
    assert.match(await refused(''), /^2024-01-essex-street\.csv is empty/);
    assert.match(
      await refused(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0x10, 0x0a])),
      /does not start with the police\.uk header row: it is not text/,
    );
    // An outcomes file renamed as a street file.
    assert.match(
      await refused('Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type\n'),
      /it has 10 columns, street-level files have 12/,
    );
  });

  it('reports bad months, coordinates and crime types by row and column, and keeps the good rows', async () => {
    const summary = await reported(
      withRows((r) => {
        r[0] = r[0]!.replace(',2024-01,', ',2024-13,');
        r[1] = r[1]!.replace(/,0\.\d+,51/, ',NaN,51');
        r[2] = r[2]!.replace(/,0\.\d+,51/, ',Infinity,51');
        r[3] = r[3]!.replace(/,0\.\d+,51/, ',1e309,51');
        r[4] = r[4]!.replace(/,51\.\d+,/, ',91,');
        r[5] = r[5]!.replace(/,0\.\d+,51\.\d+,/, ',,51.5,');
        return r;
      }),
    );
    assert.deepEqual(
      summary.rejections.map((x) => [x.row, x.column, x.value]),
      [
        [2, 'Month', '2024-13'],
        [3, 'Longitude', 'NaN'],
        [4, 'Longitude', 'Infinity'],
        [5, 'Longitude', '1e309'],
        [6, 'Latitude', '91'],
        [7, 'Latitude', '51.5'],
      ],
    );
    assert.equal(summary.rowsAccepted, ROWS.length - 6);
  });

  it('reports rows of binary junk, text that is not UTF-8, control characters and a very long row in plain words', async () => {
    const junk = Buffer.from(
      Array.from({ length: 300 }, (_, i) => (i * 37 + 11) % 256).filter((b) => b !== 0x0a && b !== 0x0d && b !== 0x22),
    );
    const summary = await reported(
      withRows((r) => [
        r[0]!,
        junk,
        Buffer.concat([Buffer.from(r[1]!.slice(0, 20)), Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), Buffer.from(r[1]!.slice(20))]),
        r[2]!.replace('Essex Police', 'Essex\u0000Police'),
        r[3]!.replace('On or near', `On or near ${'x'.repeat(3_000_000)}`),
        ...r.slice(4),
      ]),
    );
    const byRow = new Map(summary.rejections.map((x) => [x.row, x]));
    assert.deepEqual([...byRow.keys()], [3, 4, 5, 6]);
    assert.match(byRow.get(3)!.reason, /^Expected 12 columns, found \d+$|not UTF-8 text/);
    assert.match(byRow.get(4)!.reason, /not UTF-8 text/);
    assert.match(byRow.get(5)!.reason, /control character/);
    assert.match(byRow.get(6)!.reason, /longer than 2,000,000 characters/);
    assert.ok(byRow.get(6)!.value!.endsWith('…'));
  });

  it('numbers rows right when unreadable rows and rows with bad values alternate', async () => {
    const summary = await reported(
      withRows((r) => [
        r[0]!,
        'junk',
        r[1]!.replace(',2024-01,', ',2024-02,'),
        'junk,junk',
        'more junk',
        r[2]!.replace(/E01\d{6}/, 'E0199'),
        ...r.slice(3),
      ]),
    );
    assert.deepEqual(
      summary.rejections.map((x) => [x.row, x.column]),
      [
        [3, 'row'],
        [4, 'Month'],
        [5, 'row'],
        [6, 'row'],
        [7, 'LSOA code'],
      ],
    );
  });

  it('refuses a file with thousands of rows that cannot be read, without reading each one into a report', async () => {
    const message = await refused(withRows((r) => [...r, ...Array.from({ length: 5000 }, (_, i) => `junk row ${i}`)]));
    assert.match(
      message,
      new RegExp(
        `^2024-01-essex-street\\.csv was not imported: 5,000 of its ${(ROWS.length + 5000).toLocaleString('en-GB')} rows cannot be read as police\\.uk rows`,
      ),
    );
  });

  it('refuses a file with a quote that is opened and not closed on the same row, naming the row', async () => {
    const message = await refused(withRows((r) => [r[0]!, r[1]!, r[2]!.replace('On or near', '"On or near'), ...r.slice(3)]));
    assert.match(message, /^2024-01-essex-street\.csv was not imported: row 4 opens a quote \(".*\) that is not closed on that row/);
    // Closed some rows later: the rows in between run together.
    const later = await refused(
      withRows((r) => [
        r[0]!,
        r[1]!.replace('On or near', '"On or near'),
        r[2]!,
        r[3]!.replace('On or near', 'On or" near'),
        ...r.slice(4),
      ]),
    );
    assert.match(later, /row 3 opens a quote/);
  });

  it('refuses a carriage return inside a row and a row too long to read, naming the row', async () => {
    assert.match(
      await refused(withRows((r) => [r[0]!, r[1]!, r[2]!.replace('Essex Police,0', 'Essex\rPolice,0'), ...r.slice(3)])),
      /^2024-01-essex-street\.csv was not imported: row 4 has a carriage return/,
    );
    // 50 million characters on one row: more than DuckDB's reader takes at all.
    assert.match(
      await refused(withRows((r) => [r[0]!, 'y'.repeat(50_000_000), ...r.slice(1)])),
      /^2024-01-essex-street\.csv was not imported: row 3 is longer than 2,000,000 characters/,
    );
  });

  it('refuses a file none of whose rows can be imported, instead of emptying its month', async () => {
    const before = await store.query<{ n: number }>(`SELECT count(*) AS n FROM street_records WHERE month = '2024-01' AND force = 'essex'`);
    assert.ok((before[0]?.n ?? 0) > 0);
    const message = await refused(withRows((r) => r.map((row) => row.replace(',2024-01,', ',2023-01,'))));
    assert.match(
      message,
      new RegExp(
        `^2024-01-essex-street\\.csv was not imported: none of its ${ROWS.length} rows can be imported \\(row 2: Month does not match the file name \\(2024-01\\)`,
      ),
    );
  });

  it('imports a file with only the header row, and blank lines, as police.uk publishes them', async () => {
    const work = path.join(dir, 'blank');
    fs.mkdirSync(work);
    fs.writeFileSync(path.join(work, '2024-05-essex-street.csv'), `${HEADER}\n`);
    const june = ROWS.slice(0, 2).map((r) => r.replace(',2024-01,', ',2024-06,'));
    fs.writeFileSync(path.join(work, '2024-06-essex-street.csv'), `${HEADER}\r\n${june[0]}\r\n\r\n${june[1]}\r\n`);
    const summary = await importStreetFiles(store, work);
    assert.deepEqual(
      summary.files.map((f) => [f.file, f.rowsAccepted, f.rowsRejected]),
      [
        ['2024-05-essex-street.csv', 0, 0],
        ['2024-06-essex-street.csv', 2, 0],
      ],
    );
  });
});
