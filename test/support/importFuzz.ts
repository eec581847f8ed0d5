/**
 * Fuzzing the importers (issue 11): malformed inputs made from valid ones with a seeded random source (the same
 * seed gives the same inputs), pushed through the real services (figures CSV and XLSX: readFigureFile then
 * enterFigures; whole-partnership JSON: importPartnership) and a sample through the app's upload pages. For every
 * input it checks that the outcome is a success or a ValidationError (never another exception, never a 5xx page),
 * that a refused input wrote nothing (every table's row count unchanged) and that a successful one wrote exactly
 * what it said; over the whole run, that the event loop never stalled for more than 200 ms and memory stayed
 * bounded. Shared by test/services/importFuzz.test.ts (a small fixed sample in `npm test`) and bench/fuzz.ts
 * (thousands, `npm run bench -- --only fuzz`).
 */
import { sql, type Kysely } from 'kysely';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { Database, User } from '../../src/adapters/database/schema.ts';
import { actorOf } from '../../src/http/context.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { ValidationError } from '../../src/domain/errors.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { enterFigures, readFigureFile } from '../../src/services/performance/figures.ts';
import { createPartnership } from '../../src/services/partnerships/partnerships.ts';
import { addMembership } from '../../src/services/partnerships/members.ts';
import { createUser } from '../../src/services/identity/users.ts';
import { exportPartnership } from '../../src/services/transfer/partnershipExport.ts';
import { importPartnership } from '../../src/services/transfer/partnershipImport.ts';
import { TRANSFER_TABLES } from '../../src/services/transfer/partnershipTransferTables.ts';
import { Browser, PASSWORD } from './app.ts';
import { EventLoopWatch, MemoryWatch, mutateBytes, mutateText, NASTY_VALUES, Random } from './fuzz.ts';
import { zipEntries, zipOf } from './zip.ts';

export type FuzzKind = 'csv' | 'xlsx' | 'json';

export interface FuzzInput {
  kind: FuzzKind;
  /** Position in the run: with the seed, all that is needed to make the input again. */
  index: number;
  /** How it was made, for the failure report. */
  how: string;
  filename: string;
  data: Buffer;
}

export interface FuzzOptions {
  seed: number;
  /** Inputs of each kind. */
  counts: Record<FuzzKind, number>;
  /** Of these, how many of each kind also go through the upload pages. */
  http: number;
  /** Largest event-loop stall allowed, ms. */
  maxStallMs?: number;
  /** Largest rise in resident memory allowed, MiB. */
  maxMemoryMiB?: number;
  /** Only this input (with the same seed): to replay a failure. */
  only?: number;
  log?: (line: string) => void;
}

export interface FuzzReport {
  seed: number;
  byKind: Record<FuzzKind, { inputs: number; accepted: number; refused: number }>;
  http: { requests: number; accepted: number; refused: number };
  maxStallMs: number;
  memoryGrowthMiB: number;
  seconds: number;
  failures: string[];
}

// ---------------------------------------------------------------------------------------------------------
// The fixture: a partnership with indicators of each frequency, and valid files for it

const INDICATORS = [
  { code: 'FZ1', title: 'Fuzzed burglaries', unit: 'count', frequency: 'monthly' },
  { code: 'FZ2', title: 'Fuzzed satisfaction', unit: 'percentage', frequency: 'quarterly' },
  { code: 'FZ3', title: 'Fuzzed spending', unit: 'money', frequency: 'annual' },
] as const;

/** A valid figures CSV for the fixture's indicators: codes and titles, a quoted note with a comma, a thousands separator. */
export function validFiguresCsv(): string {
  const lines = ['indicator,period,value,note,source'];
  for (let m = 4; m <= 12; m++) lines.push(`FZ1,2019-${String(m).padStart(2, '0')},${10 + m},,Police recorded crime`);
  lines.push('Fuzzed burglaries,2020-01,"1,234","late reports, two",Police recorded crime');
  lines.push('FZ2,2019-20 Q1,71.5,,Residents survey', 'FZ2,2019/20 Q2,12.5%,,Residents survey');
  lines.push('FZ3,2019/20,"£12,000.50",Budget,Council');
  return `${lines.join('\n')}\n`;
}

export interface Fixture {
  partnershipId: number;
  editor: User;
  admin: User;
  csv: string;
  xlsx: Buffer;
  json: string;
}

export async function createFixture(k: Kysely<Database>, seed: number): Promise<Fixture> {
  const p = await createPartnership(k, SYSTEM_ACTOR, null, {
    name: `Fuzz Partnership ${seed}`,
    areaDescription: 'Fuzzshire',
    populations: [{ year: 2019, population: 100_000 }],
  });
  const editor = await createUser(k, SYSTEM_ACTOR, { email: `fuzz-editor-${seed}@example.org`, name: 'Fuzz Editor', password: PASSWORD });
  const admin = await createUser(k, SYSTEM_ACTOR, {
    email: `fuzz-admin-${seed}@example.org`,
    name: 'Fuzz Admin',
    password: PASSWORD,
    isPlatformAdmin: true,
  });
  await addMembership(k, SYSTEM_ACTOR, p.id, editor, 'editor');
  for (const i of INDICATORS)
    await createIndicator(k, SYSTEM_ACTOR, p.id, {
      ...i,
      polarity: 'lower_is_better',
      obaCategory: 'better_off',
      baselineValue: '100',
      baselinePeriod: '2018/19',
      targetKind: 'percentage_change',
      targetDirection: 'reduce',
      targetValue: '5',
      targetBy: '2019/20',
    });
  const csv = validFiguresCsv();
  const rows = (await readFigureFile('fixture.csv', Buffer.from(csv))).map((r) => ({ ...r }));
  await enterFigures(k, actorOf(editor), p.id, rows);
  const json = (await exportPartnership(k, SYSTEM_ACTOR, p.id)).chunks.join('');
  return { partnershipId: p.id, editor, admin, csv, xlsx: await workbookOf(Papa.parse<string[]>(csv.trim()).data), json };
}

async function workbookOf(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Figures');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------------------
// Inputs

/** One to three text mutations of a valid file. */
function mutatedText(random: Random, text: string): string {
  let out = text;
  for (let n = random.int(1, 3); n > 0; n--) out = mutateText(random, out);
  return out;
}

function csvInput(random: Random, index: number, fixture: Fixture): FuzzInput {
  const text = mutatedText(random, fixture.csv);
  return {
    kind: 'csv',
    index,
    how: 'text mutations of the valid CSV',
    filename: random.chance(0.9) ? 'figures.csv' : 'figures.txt',
    data: Buffer.from(text, random.chance(0.95) ? 'utf8' : 'latin1'),
  };
}

/** A cell as a workbook might hold it: text, or a number where the text is one. */
function cellOf(random: Random, v: string): unknown {
  const n = Number(v);
  if (v.trim() !== '' && !Number.isNaN(n) && random.chance(0.6)) return n;
  if (random.chance(0.03)) return new Date(Date.UTC(random.int(1900, 2100), random.int(0, 11), 1));
  if (random.chance(0.02)) return { formula: 'SUM(1,2)', result: random.pick([3, '#N/A', NASTY_VALUES[6]!]) };
  return v;
}

async function xlsxInput(random: Random, index: number, fixture: Fixture): Promise<FuzzInput> {
  const way = random.int(0, 9);
  if (way <= 3) {
    // The cells of a mutated CSV, written as a workbook (numbers as numbers), sometimes with a cell far away.
    const rows = Papa.parse<string[]>(mutatedText(random, fixture.csv)).data.map((r) => r.map((v) => cellOf(random, v)));
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(random.chance(0.9) ? 'Figures' : 'Other');
    for (const r of rows) ws.addRow(r);
    if (random.chance(0.2)) ws.getCell(random.pick(['A1048576', 'XFD1', 'C65536', 'AZ2', 'BA3'])).value = random.pick(NASTY_VALUES);
    return { kind: 'xlsx', index, how: 'cells of a mutated CSV', filename: 'figures.xlsx', data: Buffer.from(await wb.xlsx.writeBuffer()) };
  }
  if (way <= 6) {
    // The workbook's XML mutated (the sheet, the shared strings or another part), zipped again.
    const entries = zipEntries(fixture.xlsx);
    const target = random.chance(0.6) ? (entries.find((e) => e.name.includes('worksheets/sheet')) ?? entries[0]!) : random.pick(entries);
    const xml = mutateText(random, target.data.toString('utf8'), random.pick(['>', '<', '"', ' ']));
    const data = zipOf(
      entries.map((e) =>
        e === target ? { name: e.name, data: Buffer.from(xml), declaredSize: random.chance(0.05) ? random.int(0, 100) : undefined } : e,
      ),
    );
    return { kind: 'xlsx', index, how: `XML of ${target.name} mutated`, filename: 'figures.xlsx', data };
  }
  return {
    kind: 'xlsx',
    index,
    how: 'bytes of the valid workbook mutated',
    filename: 'figures.xlsx',
    data: mutateBytes(random, fixture.xlsx),
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A random place in a JSON document: its container and key. */
function somewhere(random: Random, doc: Json): { parent: Json[] | { [key: string]: Json }; key: string | number } | null {
  let node: Json = doc;
  let found: { parent: Json[] | { [key: string]: Json }; key: string | number } | null = null;
  for (let depth = 0; depth < 6; depth++) {
    if (Array.isArray(node)) {
      if (node.length === 0) break;
      const key = random.int(0, node.length - 1);
      found = { parent: node, key };
      node = node[key]!;
    } else if (node !== null && typeof node === 'object') {
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const key = random.pick(keys);
      found = { parent: node, key };
      node = node[key]!;
    } else break;
    if (random.chance(0.25)) break;
  }
  return found;
}

const NASTY_JSON: readonly Json[] = [
  null,
  true,
  false,
  0,
  -1,
  -0,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  1e12 + 1,
  '',
  ' ',
  [],
  {},
  [[[[[]]]]],
  { id: 1 },
  'null',
  '2024-13-45T99:99:99Z',
  '1',
  ...NASTY_VALUES,
];

function jsonInput(random: Random, index: number, fixture: Fixture): FuzzInput {
  if (random.chance(0.35))
    return {
      kind: 'json',
      index,
      how: 'text mutations of the valid export',
      filename: 'export.json',
      data: Buffer.from(mutatedText(random, fixture.json)),
    };
  const doc = JSON.parse(fixture.json) as Json;
  if (random.chance(0.15)) {
    // Changes that keep the file valid: another layout, tables in another order, a byte-order mark.
    const tables = (doc as { tables: Record<string, Json> }).tables;
    const names = Object.keys(tables);
    const reordered = Object.fromEntries(
      names
        .map((n, i) => names[(i + random.int(0, names.length - 1)) % names.length]!)
        .filter((n, i, all) => all.indexOf(n) === i)
        .map((n) => [n, tables[n]!]),
    );
    for (const n of names) if (!(n in reordered)) reordered[n] = tables[n]!;
    const text = JSON.stringify({ ...(doc as object), tables: reordered }, null, random.pick([0, 1, 2, '\t']));
    return {
      kind: 'json',
      index,
      how: 'the valid export laid out again',
      filename: 'export.json',
      data: Buffer.from(`${random.chance(0.3) ? '\uFEFF' : ''}${text}`),
    };
  }
  const ops: string[] = [];
  for (let n = random.int(1, 3); n > 0; n--) {
    const at = somewhere(random, doc);
    if (!at) continue;
    const { parent, key } = at;
    const op = random.int(0, 5);
    if (op <= 2) {
      // A copy: the list's arrays and objects must not be shared between places (a later edit would make a cycle).
      const value = structuredClone(random.pick(NASTY_JSON));
      (parent as Record<string | number, Json>)[key] = value;
      ops.push(`set ${String(key)} to ${JSON.stringify(value)?.slice(0, 30)}`);
    } else if (op === 3) {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      ops.push(`delete ${String(key)}`);
    } else if (op === 4) {
      const value = (parent as Record<string | number, Json>)[key]!;
      if (Array.isArray(parent)) parent.splice(key as number, 0, ...Array.from({ length: random.int(1, 5) }, () => structuredClone(value)));
      else (parent as Record<string, Json>)[`${key}_copy`] = structuredClone(value);
      ops.push(`duplicate ${String(key)}`);
    } else {
      // A deep nest where a value was.
      let deep: Json = 1;
      for (let d = random.int(10, 2_000); d > 0; d--) deep = [deep];
      (parent as Record<string | number, Json>)[key] = deep;
      ops.push(`nest ${String(key)}`);
    }
  }
  let text = JSON.stringify(doc);
  // Numbers JSON.stringify cannot write: Infinity as JSON's 1e309.
  if (random.chance(0.1)) text = text.replace(/"value":\d+(\.\d+)?/, '"value":1e309');
  return { kind: 'json', index, how: `JSON edits: ${ops.join('; ') || 'none'}`, filename: 'export.json', data: Buffer.from(text) };
}

/** The inputs of a run, in order; with the same seed, the same inputs. */
export async function makeInputs(fixture: Fixture, seed: number, counts: Record<FuzzKind, number>): Promise<FuzzInput[]> {
  const inputs: FuzzInput[] = [];
  const random = new Random(seed);
  let index = 0;
  for (let i = 0; i < counts.csv; i++) inputs.push(csvInput(random, index++, fixture));
  for (let i = 0; i < counts.xlsx; i++) inputs.push(await xlsxInput(random, index++, fixture));
  for (let i = 0; i < counts.json; i++) inputs.push(jsonInput(random, index++, fixture));
  return inputs;
}

// ---------------------------------------------------------------------------------------------------------
// Running them

/** Row counts of every table, in one query. */
async function tableCounts(k: Kysely<Database>, tables: string[]): Promise<Record<string, number>> {
  const r = await sql<
    Record<string, string | number>
  >`select ${sql.join(tables.map((t) => sql`(select count(*) from ${sql.table(t)}) as ${sql.ref(t)}`))}`.execute(k);
  return Object.fromEntries(tables.map((t) => [t, Number(r.rows[0]![t])]));
}

function differences(before: Record<string, number>, after: Record<string, number>, expected: Record<string, number> = {}): string[] {
  return Object.keys(before)
    .filter((t) => after[t]! - before[t]! !== (expected[t] ?? 0))
    .map((t) => `${t}: ${before[t]} -> ${after[t]} (expected ${before[t]! + (expected[t] ?? 0)})`);
}

function preview(data: Buffer): string {
  const s = data
    .subarray(0, 300)
    .toString('latin1')
    .replace(/[^\x20-\x7e\n]/g, '?');
  return `${data.length} bytes: ${JSON.stringify(s)}${data.length > 300 ? '...' : ''}`;
}

/** Runs a fuzz of the three importers on a database and app; the report lists every failure with how to replay it. */
export async function fuzzImports(app: FastifyInstance, k: Kysely<Database>, options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const { seed } = options;
  const fixture = await createFixture(k, seed);
  const all = await makeInputs(fixture, seed, options.counts);
  const inputs = options.only === undefined ? all : all.filter((i) => i.index === options.only);
  const tables = (await k.introspection.getTables())
    .map((t) => t.name)
    .filter((t) => !['sessions', 'login_attempts', 'kysely_migration', 'kysely_migration_lock'].includes(t));
  const report: FuzzReport = {
    seed,
    byKind: {
      csv: { inputs: 0, accepted: 0, refused: 0 },
      xlsx: { inputs: 0, accepted: 0, refused: 0 },
      json: { inputs: 0, accepted: 0, refused: 0 },
    },
    http: { requests: 0, accepted: 0, refused: 0 },
    maxStallMs: 0,
    memoryGrowthMiB: 0,
    seconds: 0,
    failures: [],
  };
  const fail = (input: FuzzInput, what: string) =>
    report.failures.push(
      `seed ${seed}, input ${input.index} (${input.kind}, ${input.how}): ${what}\n  replay: FUZZ_SEED=${seed} FUZZ_ONLY=${input.index}\n  input: ${preview(input.data)}`,
    );

  // The pages, signed in as the editor and as a platform administrator.
  const editor = new Browser(app);
  await editor.signIn(fixture.editor.email);
  const admin = new Browser(app);
  await admin.signIn(fixture.admin.email);
  // Starting up is not what is measured: the reader's worker starts on first use, and each page's templates are
  // compiled the first time it is shown (a tenth of a second or so, once for the life of the process).
  await editor.postFile(`/partnerships/${fixture.partnershipId}/figures/upload`, 'file', {
    filename: 'warm-up.csv',
    data: Buffer.from('indicator,period,value\nFZ1,2019-04,x\n'),
  });
  await admin.postFile('/admin/partnerships/import', 'file', {
    filename: 'warm-up.json',
    data: Buffer.from('{}'),
    type: 'application/json',
  });
  await admin.postFile(
    '/admin/partnerships/import',
    'file',
    { filename: 'warm-up.json', data: Buffer.from(fixture.json), type: 'application/json' },
    { name: `Fuzz warm-up ${seed}` },
  );

  const loop = new EventLoopWatch().start();
  const memory = new MemoryWatch().start();
  const httpDone: Record<FuzzKind, number> = { csv: 0, xlsx: 0, json: 0 };
  for (const input of inputs) {
    const stats = report.byKind[input.kind];
    stats.inputs += 1;
    const before = await tableCounts(k, tables);
    try {
      if (input.kind === 'json') {
        const result = await importPartnership(k, actorOf(fixture.admin), fixture.admin, input.data, {
          name: `Fuzz import ${seed}-${input.index}`,
        });
        stats.accepted += 1;
        const expected: Record<string, number> = { partnership_versions: 1 };
        for (const spec of TRANSFER_TABLES) if (spec.table !== 'users') expected[spec.table] = result.counts[spec.table] ?? 0;
        expected.audit_events = (expected.audit_events ?? 0) + 1;
        const wrong = differences(before, await tableCounts(k, tables), expected);
        if (wrong.length) fail(input, `the import wrote other than it said: ${wrong.join('; ')}`);
      } else {
        const rows = await readFigureFile(input.filename, input.data);
        const result = await enterFigures(k, actorOf(fixture.editor), fixture.partnershipId, rows);
        stats.accepted += 1;
        const written = result.created + result.revised;
        const wrong = differences(before, await tableCounts(k, tables), { figures: written, audit_events: written });
        if (wrong.length) fail(input, `the upload wrote other than it said (${JSON.stringify(result)}): ${wrong.join('; ')}`);
      }
    } catch (e) {
      if (!(e instanceof ValidationError)) {
        fail(input, `threw ${e instanceof Error ? `${e.name}: ${e.message.slice(0, 500)}` : String(e)}`);
        continue;
      }
      stats.refused += 1;
      if (e.errors.length === 0 || e.errors.some((x) => typeof x.message !== 'string' || x.message === ''))
        fail(input, 'refused without saying why');
      const wrong = differences(before, await tableCounts(k, tables));
      if (wrong.length) fail(input, `refused but wrote: ${wrong.join('; ')}`);
    }

    // A sample through the upload pages: 303 or 400, never a 5xx, nothing written when refused.
    if (httpDone[input.kind] < options.http) {
      httpDone[input.kind] += 1;
      report.http.requests += 1;
      const countsBefore = await tableCounts(k, tables);
      const res =
        input.kind === 'json'
          ? await admin.postFile(
              '/admin/partnerships/import',
              'file',
              { filename: input.filename, data: input.data, type: 'application/json' },
              { name: `Fuzz page import ${seed}-${input.index}` },
            )
          : await editor.postFile(`/partnerships/${fixture.partnershipId}/figures/upload`, 'file', {
              filename: input.filename,
              data: input.data,
            });
      if (res.status === 303) report.http.accepted += 1;
      else if (res.status === 400 || res.status === 413) {
        report.http.refused += 1;
        if (!/govuk-error-summary/.test(res.body)) fail(input, `the upload page answered ${res.status} without an error summary`);
        const wrong = differences(countsBefore, await tableCounts(k, tables));
        if (wrong.length) fail(input, `the upload page refused the file but wrote: ${wrong.join('; ')}`);
      } else fail(input, `the upload page answered ${res.status}: ${res.body.slice(0, 300)}`);
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 25));
  report.maxStallMs = loop.stop();
  report.memoryGrowthMiB = memory.stop();
  report.seconds = (Date.now() - started) / 1000;
  const maxStall = options.maxStallMs ?? 200;
  if (report.maxStallMs > maxStall)
    report.failures.push(`seed ${seed}: the event loop stalled for ${report.maxStallMs.toFixed(0)} ms (at most ${maxStall} allowed)`);
  const maxMemory = options.maxMemoryMiB ?? 512;
  if (report.memoryGrowthMiB > maxMemory)
    report.failures.push(`seed ${seed}: resident memory grew by ${report.memoryGrowthMiB.toFixed(0)} MiB (at most ${maxMemory} allowed)`);
  options.log?.(
    `fuzz seed ${seed}: ${JSON.stringify(report.byKind)}, pages ${JSON.stringify(report.http)}, longest stall ${report.maxStallMs.toFixed(0)} ms, memory +${report.memoryGrowthMiB.toFixed(0)} MiB, ${report.seconds.toFixed(1)} s`,
  );
  return report;
}
