/**
 * The police.uk importers' fuzzing, shared by the quick sample in `npm test` (test/import/policeUkFuzz.test.ts,
 * test/web/assessmentImport.test.ts) and the heavy run in `npm run bench -- --only fuzz-police`
 * (bench/fuzzPolice.ts): malformed inputs made from valid ones with a fixed seed (the same seed and index give
 * the same input, so a failure can be replayed), and the oracle that judges what the importer did with each.
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { CrimeStore } from '../../src/adapters/crimeStore/store.ts';
import type { ImportSummary } from '../../src/adapters/crimeStore/importer.ts';
import { DEFAULT_FORCES, streetFileChunks } from '../../src/adapters/crimeStore/generator.ts';
import { CRIME_TYPES, STREET_COLUMNS } from '../../src/domain/policeUkLayout.ts';
import { ValidationError } from '../../src/domain/errors.ts';
import type { Browser } from './app.ts';
import { NASTY_VALUES, Random, mutateBytes, mutateText } from './fuzz.ts';
import { MALFORMED_FIXTURE, STREET_FIXTURES, csvFiles, zipBytes, type ZipEntrySpec } from './policeUk.ts';

/**
 * Collects the harness's own garbage (inputs of megabytes are made between imports) when the heap has grown,
 * so that collecting it does not pause the event loop while an import is being timed.
 */
export function collectHarnessGarbage(): void {
  if (process.memoryUsage().heapUsed < 64 * 1024 * 1024) return;
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** Row counts of every table in the store: a refused import must leave them as they were. */
export async function storeCounts(store: CrimeStore): Promise<Record<string, number>> {
  const [row] = await store.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM street_records) AS records, (SELECT count(*) FROM street_files) AS files,
            (SELECT count(*) FROM lsoas) AS lsoas, (SELECT count(*) FROM lsoa_forces) AS lsoa_forces`,
  );
  return { ...row };
}

/**
 * The data rows of a street-level file, counted without the code under test: the lines after the header
 * (split on line feeds), not counting blank ones (empty, or only a carriage return).
 */
export function dataLines(content: Buffer | string): number {
  const lines = (Buffer.isBuffer(content) ? content.toString('latin1') : content).split('\n').slice(1);
  return lines.filter((l) => l !== '' && l !== '\r').length;
}

/** A valid street-level file to start from. */
export interface BaseFile {
  /** Base name, `YYYY-MM-<force>-street.csv`. */
  name: string;
  text: string;
}

/** The fixtures, the malformed fixture and a larger generated file (about 2,000 rows). */
export function baseFiles(): BaseFile[] {
  const files = [...csvFiles(STREET_FIXTURES), MALFORMED_FIXTURE].map((f) => ({
    name: path.basename(f),
    text: fs.readFileSync(f, 'utf8'),
  }));
  const force = DEFAULT_FORCES[2]!.slug;
  files.push({
    name: `2024-05-${force}-street.csv`,
    text: [...streetFileChunks({ seed: 7, firstMonth: '2024-05', months: 1, rowsPerMonth: 8000 }, '2024-05', force)].join(''),
  });
  return files;
}

export interface FuzzCase {
  index: number;
  kind: 'csv' | 'zip';
  /** The name it is imported under (a street file name, or an archive name). */
  name: string;
  content: Buffer;
  /** What was done to the valid input, for the failure message. */
  how: string[];
}

/** Columns whose values the importer checks, by position in a row. */
const CHECKED = ['Month', 'Reported by', 'Longitude', 'Latitude', 'LSOA code', 'Crime type'].map((c) =>
  STREET_COLUMNS.indexOf(c as (typeof STREET_COLUMNS)[number]),
);

/** One mutation aimed at the street layout (a generic text mutation otherwise). */
function mutateStreet(random: Random, text: string, how: string[]): string {
  const lines = text.split('\n');
  const row = () => random.int(1, Math.max(1, lines.length - 2));
  switch (random.int(0, 11)) {
    case 0: {
      const i = row();
      const fields = (lines[i] ?? '').split(',');
      const col = random.pick(CHECKED);
      fields[col] = random.pick([
        ...NASTY_VALUES,
        '2023-12',
        '181',
        '-91',
        'E0100000',
        'W01000001 ',
        random.pick(CRIME_TYPES).toLowerCase(),
      ]);
      lines[i] = fields.join(',');
      how.push(`row ${i + 1}: ${STREET_COLUMNS[col]} set to a nasty value`);
      return lines.join('\n');
    }
    case 1: {
      const i = row();
      lines.splice(i, 0, random.bytes(random.int(1, 400)).toString('latin1'));
      how.push(`binary junk inserted as row ${i + 1}`);
      return lines.join('\n');
    }
    case 2: {
      const at = random.int(0, text.length);
      how.push(`a quote inserted at character ${at}`);
      return `${text.slice(0, at)}"${text.slice(at)}`;
    }
    case 3: {
      const at = random.int(0, text.length);
      how.push(`a carriage return inserted at character ${at}`);
      return `${text.slice(0, at)}\r${text.slice(at)}`;
    }
    case 4:
      how.push('line ends made CRLF');
      return text.replace(/\n/g, '\r\n');
    case 5:
      how.push('byte order mark added');
      return `\uFEFF${text}`;
    case 6: {
      const i = row();
      const width = random.chance(0.5) ? random.int(2_000_001, 2_300_000) : random.int(10_000, 200_000);
      lines.splice(i, 0, random.chance(0.5) ? 'x'.repeat(width) : `${lines[i]}${'y'.repeat(width)}`);
      how.push(`a row of ${width} characters inserted as row ${i + 1}`);
      return lines.join('\n');
    }
    case 7: {
      const i = row();
      lines.splice(i, 0, '', '   ', ',,,,,,,,,,,');
      how.push(`blank and empty rows inserted at row ${i + 1}`);
      return lines.join('\n');
    }
    case 8:
      how.push('every month changed');
      return lines.map((l, i) => (i === 0 ? l : l.replace(/,(\d{4})-(\d{2}),/, ',1999-$2,'))).join('\n');
    case 9:
      how.push('only the header');
      return `${lines[0]}\n`;
    default:
      how.push('generic text mutation');
      return mutateText(random, text);
  }
}

/** The `index`-th case of the run with this seed: a mutated street file or a mutated or lying zip archive. */
export function fuzzCase(seed: number, index: number, bases: BaseFile[]): FuzzCase {
  const random = new Random((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const how: string[] = [];
  // Text is written as UTF-8 or as Latin-1 (so that some files hold bytes that are not UTF-8).
  const encoding: BufferEncoding = random.chance(0.5) ? 'utf8' : 'latin1';
  const mutated = (base: BaseFile): Buffer => {
    let text = base.text;
    for (let n = random.int(1, 3); n > 0; n--) text = mutateStreet(random, text, how);
    return Buffer.from(text, encoding);
  };
  if (random.chance(0.7)) {
    const base = random.pick(bases);
    how.push(`from ${base.name}, written as ${encoding}`);
    return { index, kind: 'csv', name: base.name, content: mutated(base), how };
  }
  const entries: Record<string, Buffer> = {};
  for (let n = random.int(1, 3); n > 0; n--) {
    const base = random.pick(bases);
    entries[`${base.name.slice(0, 7)}/${base.name}`] = random.chance(0.5) ? mutated(base) : Buffer.from(base.text);
  }
  if (random.chance(0.2)) entries['2024-01/2024-01-essex-outcomes.csv'] = Buffer.from('Crime ID,Month\n');
  how.push(`zip of ${Object.keys(entries).join(', ')}`);
  const specs: Record<string, ZipEntrySpec> = { ...entries };
  const first = Object.keys(entries)[0]!;
  const choice = random.int(0, 9);
  if (choice === 0) {
    // A small bomb: 8 MiB of zeros (an entry may grow at most 100 times).
    specs[first] = { compressed: zlib.deflateRawSync(Buffer.alloc(8 * 1024 * 1024)), declaredSize: random.int(0, 10_000) };
    how.push('a zip bomb entry');
  } else if (choice === 1) {
    const data = entries[first]!;
    specs[first] = random.chance(0.5) ? { data, declaredSize: random.int(0, data.length * 2) } : { data, crc: random.int(0, 2 ** 32 - 1) };
    how.push('declared size or checksum wrong');
  }
  let content = zipBytes(specs);
  if (choice >= 2 && random.chance(0.7)) {
    content = mutateBytes(random, content);
    how.push('bytes mutated');
  }
  return { index, kind: 'zip', name: 'police.zip', content, how };
}

/** Words that mean a raw error or a server folder reached a person. */
const RAW =
  /Invalid Input Error|IO Error|Out of Memory Error|Parser Error|Binder Error|Catalog Error|DuckDB|Found: \d|Possible fixes|state machine|strict_mode|byte sequence mismatch|\bZ_[A-Z_]+\b|ERR_[A-Z_]+|RangeError|TypeError|\/tmp\/|csphub-police-zip-/;

/** What a person sees of an import's outcome must be plain words with no server folder. */
export function rawWords(text: string, folders: string[]): string | null {
  const raw = RAW.exec(text)?.[0];
  if (raw) return `raw error text "${raw}" shown`;
  const folder = folders.find((f) => f && text.includes(f));
  return folder ? `server folder ${folder} shown` : null;
}

/** The problems with what the importer did with one case: an empty list when all is well. */
export async function judge(
  store: CrimeStore,
  c: FuzzCase,
  before: Record<string, number>,
  outcome: { summary: ImportSummary } | { error: unknown },
  folders: string[],
): Promise<string[]> {
  const problems: string[] = [];
  if ('error' in outcome) {
    const error = outcome.error;
    if (!(error instanceof ValidationError)) {
      problems.push(`unexpected ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      return problems;
    }
    for (const e of error.errors) {
      const raw = rawWords(e.message, folders);
      if (raw) problems.push(`${raw}: ${e.message.slice(0, 300)}`);
    }
    const after = await storeCounts(store);
    if (JSON.stringify(after) !== JSON.stringify(before))
      problems.push(`refused, yet the store changed: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
    return problems;
  }
  const { summary } = outcome;
  if (c.kind === 'csv' && summary.rowsAccepted + summary.rowsRejected !== dataLines(c.content))
    problems.push(`${summary.rowsAccepted} accepted + ${summary.rowsRejected} rejected, but the file has ${dataLines(c.content)} rows`);
  for (const r of summary.rejections) {
    const raw = rawWords(`${r.reason} ${r.file}`, folders);
    if (raw) problems.push(`${raw} in a rejected row: ${r.reason.slice(0, 300)}`);
    if ((r.value ?? '').length > 501) problems.push(`a rejected value of ${(r.value ?? '').length} characters is shown whole`);
  }
  for (const f of summary.files) {
    const [held] = await store.query<{ n: number }>(`SELECT count(*) AS n FROM street_records WHERE month = $month AND force = $force`, {
      month: f.month,
      force: f.force,
    });
    if (held?.n !== f.rowsAccepted) problems.push(`${f.file}: ${f.rowsAccepted} rows accepted but ${held?.n ?? 0} held`);
    if (f.rowsAccepted === 0 && f.rowsRejected > 0) problems.push(`${f.file}: imported with no row accepted`);
  }
  return problems;
}

/** A failure report that lets the case be replayed. */
export function replay(seed: number, c: FuzzCase, problems: string[]): string {
  return `seed ${seed}, case ${c.index} (${c.kind} ${c.name}, ${c.content.length} bytes; ${c.how.join('; ')}): ${problems.join(' | ')}`;
}

// ---------------------------------------------------------------------------------------------------------
// Through the web app: the upload as the import page's script sends it, the import, and its page.

export interface WebTarget {
  app: FastifyInstance;
  /** Signed in as an administrator of the partnership. */
  admin: Browser;
  partnershipId: number;
  importDir: string;
}

export interface WebOutcome {
  /** Every response status seen, in order. */
  statuses: number[];
  /** The import page once the import has finished (or the upload's answer when the upload was refused). */
  page: string;
  refused: boolean;
  /** Milliseconds /health took while the import ran (other users' requests). */
  healthMs: number[];
}

/** Uploads a case as the browser does, imports it, and waits for the import page to show the outcome. */
export async function uploadAndImport(target: WebTarget, c: FuzzCase, batch: string): Promise<WebOutcome> {
  const base = `/partnerships/${target.partnershipId}/assessment`;
  const statuses: number[] = [];
  const healthMs: number[] = [];
  const first = await target.admin.get(`${base}/import`);
  statuses.push(first.status);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(first.body)?.[1] ?? '';
  const cookie = [...target.admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const upload = await target.app.inject({
    method: 'POST',
    url: `${base}/upload?batch=${batch}&name=${encodeURIComponent(c.name)}`,
    payload: c.content,
    headers: { cookie, 'content-type': c.kind === 'zip' ? 'application/zip' : 'text/csv', 'x-csrf-token': csrf },
  });
  statuses.push(upload.statusCode);
  if (upload.statusCode !== 200) return { statuses, page: upload.body, refused: true, healthMs };
  const { source } = JSON.parse(upload.body) as { source: string };
  const started = await target.admin.post(`${base}/import`, { source });
  statuses.push(started.status);
  for (let i = 0; i < 3000; i++) {
    const t0 = performance.now();
    const health = await target.app.inject({ method: 'GET', url: '/health' });
    healthMs.push(performance.now() - t0);
    statuses.push(health.statusCode);
    const page = await target.admin.get(`${base}/import`);
    statuses.push(page.status);
    if (!page.body.includes('id="import-progress"'))
      return { statuses, page: page.body, refused: page.body.includes('The import did not happen'), healthMs };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`The import of case ${c.index} did not finish`);
}

/** The problems with what the web app did with one case. */
export async function judgeWeb(
  target: WebTarget,
  store: CrimeStore,
  c: FuzzCase,
  before: Record<string, number>,
  outcome: WebOutcome,
  batch: string,
): Promise<string[]> {
  const problems: string[] = [];
  const server = outcome.statuses.filter((s) => s >= 500);
  if (server.length > 0) problems.push(`server errors ${server.join(', ')}`);
  const raw = rawWords(outcome.page, [target.importDir]);
  if (raw) problems.push(`${raw} on the page`);
  if (outcome.refused) {
    const after = await storeCounts(store);
    if (JSON.stringify(after) !== JSON.stringify(before))
      problems.push(`refused, yet the store changed: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
  } else if (!/Rows accepted/.test(outcome.page)) {
    problems.push('neither a summary nor a refusal on the page');
  }
  const left = fs.readdirSync(target.importDir).filter((f) => f.startsWith(`upload-${batch}`));
  if (left.length > 0) problems.push(`upload left behind: ${left.join(', ')}`);
  const work = path.join(target.importDir, '.work');
  if (fs.existsSync(work) && fs.readdirSync(work).length > 0) problems.push('unpacked files left behind');
  return problems;
}
