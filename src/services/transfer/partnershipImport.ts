/**
 * Whole-partnership import: reads a file written by partnershipExport.ts (on this instance or another, on either
 * database engine) and creates a NEW partnership from it. The whole file is checked before anything is written;
 * every problem is reported with its JSON path, what was expected and what the file has. The rows then go in
 * inside one transaction, parents before children, each with a new id and its references translated; people
 * are matched to existing accounts by email (memberships of people without an account here are left out and
 * listed). The import is recorded in the new partnership's audit trail.
 */
import type { Kysely } from 'kysely';
import type { Database, Role, User } from '../../adapters/database/schema.ts';
import { allowsNegative, figureValueProblem, MAX_FIGURE_VALUE, parsePeriodKey, periodKey } from '../../domain/index.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { nowIso } from '../../adapters/clock.ts';
import { ForbiddenError, ValidationError, type FieldError } from '../../domain/errors.ts';
import { anyDb, type AnyDb } from './partnershipExport.ts';
import {
  PAGE_SIZE,
  TRANSFER_FORMAT,
  TRANSFER_FORMAT_VERSION,
  TRANSFER_TABLES,
  type ColumnSpec,
  type TableSpec,
} from './partnershipTransferTables.ts';
import { slugify } from '../partnerships/partnerships.ts';
import { ownBuffer, runOffThread } from '../platform/offThread.ts';
import { remapPartnershipLink } from './paperLinks.ts';

/**
 * The largest file accepted unless IMPORT_LIMIT_MB says otherwise (ADR 0052). A demo partnership is about 0.2 MB;
 * ten busy years with a full audit trail, a few MB; uploaded meeting papers add a third more than their size.
 */
export const IMPORT_LIMIT_BYTES = 50 * 1024 * 1024;

/** The limit as people read it: "50 MB", "0.5 MB". */
export function megabytesText(bytes: number): string {
  return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
}

/** What is said of a file over the limit: the limit, and the setting that raises it. */
export function importLimitMessage(limitBytes: number, size?: string): string {
  const limit = megabytesText(limitBytes);
  return `${size ? `The file is ${size}` : `The file is larger than ${limit}`}: the largest partnership file this CSP Hub imports is ${limit}. An administrator of the server can raise it with the IMPORT_LIMIT_MB setting`;
}
/** At most this many problems are listed; the count of the rest is given. */
export const MAX_PROBLEMS = 100;

export interface ImportProblem extends FieldError {
  /** Where in the file, as a JSON path such as tables.figures[3].value. */
  path: string;
  expected: string;
  got: string;
}

export interface ImportResult {
  partnership: { id: number; name: string; slug: string };
  counts: Record<string, number>;
  /** Members whose email has no account on this instance: not added. */
  membersLeftOut: { email: string; name: string; role: Role }[];
  /** People in the file (figure enterers, audit trail) without an account here: their rows keep the email as text. */
  peopleWithoutAccount: number;
  source: { exportedAt: string; app: string };
}

type Row = Record<string, unknown>;
type FileTables = Record<string, Row[]>;

const TOP_LEVEL_KEYS = ['format', 'formatVersion', 'exportedAt', 'app', 'notIncluded', 'tables'];
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Base64 text as the exporter writes it (Buffer's standard alphabet, padded to a multiple of 4). */
const BASE64 = { test: (v: string) => v.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(v) };

/** How a value looks in an error message: its JSON, shortened, and its type when that is the point. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing (the key is missing)';
  if (v === null) return 'null';
  if (typeof v === 'string') return `"${v.length > 60 ? `${v.slice(0, 57)}...` : v}" (text)`;
  if (typeof v === 'number') return `${v} (a number)`;
  if (typeof v === 'boolean') return `${v} (true or false)`;
  if (Array.isArray(v)) return `a list of ${v.length} item${v.length === 1 ? '' : 's'}`;
  return 'an object';
}

class Problems {
  readonly list: ImportProblem[] = [];
  total = 0;
  add(path: string, expected: string, got: string): void {
    this.total += 1;
    if (this.list.length < MAX_PROBLEMS)
      this.list.push({ field: 'file', path, expected, got, message: `${path}: expected ${expected}, got ${got}` });
  }
  throwIfAny(): void {
    if (this.total === 0) return;
    const list = [...this.list];
    if (this.total > this.list.length) {
      const more = this.total - this.list.length;
      list.push({ field: 'file', path: '', expected: '', got: '', message: `... and ${more} more problem${more === 1 ? '' : 's'}` });
    }
    throw new ValidationError(list);
  }
}

/** Where JSON.parse gave up, from its message, or null when the message does not say. */
function errorPosition(message: string, length: number): number | null {
  const m = /at position (\d+)/.exec(message);
  if (m) return Number(m[1]);
  return /end of JSON input/i.test(message) ? length : null;
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const DIGIT = (c: number) => c >= 0x30 && c <= 0x39;
const HEX = /^[0-9a-fA-F]{4}$/;

/** What a read of JsonScanner returns when the text so far is good (otherwise it returns the offset at fault). */
const GOOD = -1;
/** What JsonScanner.value returns when it opened an object or a list, and what afterValue returns when a value follows. */
const MORE = -2;
const OBJECT = 1;
const ARRAY = 2;

/**
 * Reads JSON text once from the start, for jsonErrorOffset. Each read returns GOOD (or MORE) or the offset of the
 * first character no valid JSON could continue with; `stack` holds the objects and lists still open.
 */
class JsonScanner {
  private i = 0;
  private readonly n: number;
  private readonly stack: number[] = [];
  constructor(private readonly text: string) {
    this.n = text.length;
  }

  /** The offset at fault, or GOOD (-1) when the whole text is one valid JSON value. */
  scan(): number {
    for (;;) {
      const value = this.value();
      if (value === MORE) continue;
      if (value !== GOOD) return value;
      const after = this.afterValue();
      if (after !== MORE) return after;
    }
  }

  private skip(): void {
    while (this.i < this.n && WHITESPACE.has(this.text.charCodeAt(this.i))) this.i++;
  }

  /** A value is expected: reads a string, number or literal, or opens an object or list (then MORE). */
  private value(): number {
    this.skip();
    if (this.i >= this.n) return this.n;
    const c = this.text[this.i]!;
    if (c === '{' || c === '[') return this.open(c);
    if (c === '"') return this.string();
    if (c === '-' || DIGIT(c.charCodeAt(0))) return this.number();
    return this.literal(c);
  }

  /** At `{` or `[`: an empty object or list is a whole value (GOOD); otherwise it stays open (MORE), an object's first key read. */
  private open(c: '{' | '['): number {
    this.i++;
    this.skip();
    if (this.i >= this.n) return this.n;
    if (this.text[this.i] === (c === '{' ? '}' : ']')) {
      this.i++;
      return GOOD;
    }
    this.stack.push(c === '{' ? OBJECT : ARRAY);
    if (c === '{') {
      const bad = this.key();
      if (bad !== GOOD) return bad;
    }
    return MORE;
  }

  /** After a value: a comma (MORE: a value follows), the end of its object or list, or the end of the text (GOOD). */
  private afterValue(): number {
    for (;;) {
      this.skip();
      if (this.stack.length === 0) return this.i < this.n ? this.i : GOOD;
      if (this.i >= this.n) return this.n;
      const top = this.stack[this.stack.length - 1];
      if (this.text[this.i] === ',') {
        this.i++;
        if (top === OBJECT) {
          this.skip();
          const bad = this.key();
          if (bad !== GOOD) return bad;
        }
        return MORE;
      }
      if (this.text[this.i] === (top === OBJECT ? '}' : ']')) {
        this.i++;
        this.stack.pop();
        continue;
      }
      return this.i;
    }
  }

  /** true, false or null. */
  private literal(c: string): number {
    const word = c === 't' ? 'true' : c === 'f' ? 'false' : c === 'n' ? 'null' : '';
    if (!word) return this.i;
    for (let k = 0; k < word.length; k++, this.i++) {
      if (this.i >= this.n) return this.n;
      if (this.text[this.i] !== word[k]) return this.i;
    }
    return GOOD;
  }

  /** A string at i (a quote); i then after it. */
  private string(): number {
    const { text, n } = this;
    this.i++;
    while (this.i < n) {
      const c = text.charCodeAt(this.i);
      if (c === 0x22) {
        this.i++;
        return GOOD;
      }
      if (c < 0x20) return this.i;
      if (c === 0x5c) {
        const bad = this.escape();
        if (bad !== GOOD) return bad;
        continue;
      }
      this.i++;
    }
    return n;
  }

  /** A backslash escape at i inside a string; i then after it. */
  private escape(): number {
    const { text, n, i } = this;
    if (i + 1 >= n) return n;
    const e = text[i + 1]!;
    if (e === 'u') {
      const hex = text.slice(i + 2, i + 6);
      if (hex.length < 4) return /^[0-9a-fA-F]*$/.test(hex) ? n : i + 2 + hex.search(/[^0-9a-fA-F]/);
      if (!HEX.test(hex)) return i + 2 + hex.search(/[^0-9a-fA-F]/);
      this.i += 6;
      return GOOD;
    }
    if (!'"\\/bfnrt'.includes(e)) return i + 1;
    this.i += 2;
    return GOOD;
  }

  private digits(): boolean {
    const from = this.i;
    while (this.i < this.n && DIGIT(this.text.charCodeAt(this.i))) this.i++;
    return this.i > from;
  }

  /** A number at i. */
  private number(): number {
    const { text, n } = this;
    if (text[this.i] === '-') this.i++;
    if (this.i >= n) return n;
    if (text[this.i] === '0') this.i++;
    else if (!this.digits()) return this.i;
    if (text[this.i] === '.') {
      this.i++;
      if (this.i >= n) return n;
      if (!this.digits()) return this.i;
    }
    if (text[this.i] === 'e' || text[this.i] === 'E') {
      this.i++;
      if (text[this.i] === '+' || text[this.i] === '-') this.i++;
      if (this.i >= n) return n;
      if (!this.digits()) return this.i;
    }
    return GOOD;
  }

  /** After an object's opening brace or a comma in it: the key, the colon. */
  private key(): number {
    if (this.i >= this.n) return this.n;
    if (this.text[this.i] !== '"') return this.i;
    const bad = this.string();
    if (bad !== GOOD) return bad;
    this.skip();
    if (this.i >= this.n) return this.n;
    if (this.text[this.i] !== ':') return this.i;
    this.i++;
    return GOOD;
  }
}

/**
 * The offset of the first character that no valid JSON could continue with (the text's length when it is cut
 * short; -1 when it is valid JSON). One pass over the text, whatever its size: used when V8's message gives no
 * position ("Unexpected token"), in place of searching for the longest valid prefix by parsing it again and again.
 */
export function jsonErrorOffset(text: string): number {
  return new JsonScanner(text).scan();
}

/** Line and column (from 1) of an offset in the text, counting lines without copying the text. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
    line += 1;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Parses the file's text, turning a syntax error into a problem that says where (line and column). */
export function parseImportFile(text: string): unknown {
  if (text.trim() === '') throw new ValidationError([{ field: 'file', message: 'The file is empty' }]);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const found = errorPosition(message, text.length) ?? jsonErrorOffset(text);
    const position = found < 0 ? text.length : found;
    const { line, column } = lineAndColumn(text, position);
    const what = message.replace(/ in JSON at position \d+.*$/s, '').replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '');
    const where =
      position >= text.length ? `the end of the file (line ${line}): the file may be cut short` : `line ${line}, column ${column}`;
    const problem: ImportProblem = { field: 'file', path: '$', expected: 'valid JSON', got: `${what} at ${where}`, message: '' };
    problem.message = `The file is not valid JSON: ${what} at ${where}`;
    throw new ValidationError([problem]);
  }
}

function expectedOf(c: ColumnSpec, spec: TableSpec, partnershipId: unknown): string {
  const orNull = 'nullable' in c && c.nullable ? ' or null' : '';
  switch (c.kind) {
    case 'id':
      return `a whole number above 0, not used by another row of tables.${spec.table}`;
    case 'partnership':
      return `${String(partnershipId)} (the id in tables.partnerships)`;
    case 'ref':
      return `the id of a row in tables.${c.table}${orNull}`;
    case 'ref_list':
      return `a list of ids of rows in tables.${c.table}`;
    case 'user':
      return `the id of a person in tables.users${orNull}`;
    case 'catalogue':
      return 'the code of an indicator in the national catalogue (like "NI 15") or null';
    case 'integer':
      return `a whole number${orNull}`;
    case 'number':
      return `a number${orNull}`;
    case 'figure':
      // (A figure or baseline of a score or money indicator may also be below zero: see checkSignedFigures.)
      return `a number of 0 or more and at most ${MAX_FIGURE_VALUE.toLocaleString('en-GB')}${orNull}`;
    case 'period':
      return `a period like "2019-04" (a month), "2019-20 Q1" (a quarter) or "2019/20" (a financial year)${orNull}`;
    case 'boolean':
      return `true or false${orNull}`;
    case 'json':
      return `a JSON value${orNull}`;
    case 'timestamp':
      return `a date and time like "2024-04-01T09:30:00.000Z"${orNull}`;
    case 'date':
      return `a date like "2024-04-01"${orNull}`;
    case 'bytes':
      return `a file's bytes as base64 text${orNull}`;
    case 'text':
      return c.enum ? `one of ${c.enum.map((e) => `"${e}"`).join(', ')}${orNull}` : `text${orNull}`;
  }
}

/** True when the value has the column's type (references are resolved afterwards, once every id is known). */
function valueFits(c: ColumnSpec, v: unknown, partnershipId: unknown, catalogue: Map<string, number>): boolean {
  if (v === null) return ('nullable' in c && c.nullable === true) || c.kind === 'catalogue';
  switch (c.kind) {
    case 'id':
    case 'ref':
    case 'user':
      return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
    case 'ref_list':
      return Array.isArray(v) && v.every((id) => typeof id === 'number' && Number.isSafeInteger(id) && id > 0);
    case 'partnership':
      return v === partnershipId;
    case 'catalogue':
      return typeof v === 'string' && catalogue.has(v);
    case 'integer':
      return typeof v === 'number' && Number.isSafeInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'figure':
      // Below zero is checked against the indicator's unit once every row is read (checkSignedFigures).
      return typeof v === 'number' && figureValueProblem(v, 'score') === null;
    case 'period':
      return typeof v === 'string' && isPeriodKey(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'json':
      return v !== undefined;
    case 'timestamp':
      return typeof v === 'string' && TIMESTAMP.test(v);
    case 'date':
      return typeof v === 'string' && DATE.test(v);
    case 'bytes':
      return typeof v === 'string' && BASE64.test(v);
    case 'text':
      return typeof v === 'string' && (!c.enum || c.enum.includes(v));
  }
}

/** True for a period key as the app stores it: "2019-04", "2019-20 Q1" or "2019/20". */
function isPeriodKey(v: string): boolean {
  try {
    return periodKey(parsePeriodKey(v)) === v;
  } catch {
    return false;
  }
}

const isObject = (v: unknown): v is Row => v !== null && typeof v === 'object' && !Array.isArray(v);

/** One of each row's unique keys (beyond the id), as the database enforces them; `whereNull` limits it to current rows. */
const UNIQUE: Record<string, { columns: string[]; whereNull?: string; caseInsensitive?: boolean }[]> = {
  users: [{ columns: ['email'], caseInsensitive: true }],
  partnership_populations: [{ columns: ['year'] }],
  meeting_paper_files: [{ columns: ['paper_id'] }],
  organisations: [{ columns: ['name'] }],
  memberships: [{ columns: ['user_id'] }],
  plan_versions: [{ columns: ['plan_id', 'label'] }],
  theme_priorities: [{ columns: ['theme_id', 'priority_id'] }],
  indicator_baselines: [{ columns: ['indicator_id'] }],
  figures: [{ columns: ['indicator_id', 'period'], whereNull: 'superseded_at' }],
  indicator_commentary: [{ columns: ['indicator_id', 'period'], whereNull: 'superseded_at' }],
  highlight_reports: [{ columns: ['priority_id', 'month'] }],
  performance_settings: [{ columns: ['partnership_id'] }],
  assessment_areas: [{ columns: ['partnership_id'] }],
  assessment_matrix_settings: [{ columns: ['partnership_id'] }],
};

/** The file's envelope checked: everything but its tables. */
interface CheckedEnvelope {
  file: Row;
  /** The name and version of the app that wrote the file, as one text ('' when not given). */
  app: string;
  /** The exporting instance's origin, like https://csphub.example.org ('' when not given): its full links are remapped. */
  origin: string;
  tables: Row;
}

/**
 * Checks the file's envelope (format, version, top-level keys, exportedAt, app, notIncluded, tables an object of
 * known tables). A file of another format or version, or without tables, is not read any further.
 */
function checkEnvelope(doc: unknown, problems: Problems): CheckedEnvelope {
  if (!isObject(doc)) {
    problems.add('$', 'an object with format, formatVersion and tables', describeValue(doc));
    problems.throwIfAny();
  }
  const file = doc as Row;
  if (file.format !== TRANSFER_FORMAT)
    problems.add('format', `"${TRANSFER_FORMAT}" (a CSP Hub partnership export)`, describeValue(file.format));
  if (file.formatVersion !== TRANSFER_FORMAT_VERSION) {
    problems.add(
      'formatVersion',
      `${TRANSFER_FORMAT_VERSION} (the only format version this CSP Hub reads)`,
      describeValue(file.formatVersion),
    );
  }
  // A file of another format or version is not read any further: its other problems would only be noise.
  problems.throwIfAny();
  for (const key of Object.keys(file))
    if (!TOP_LEVEL_KEYS.includes(key)) problems.add(key, `only the keys ${TOP_LEVEL_KEYS.join(', ')}`, `the key "${key}"`);
  if (typeof file.exportedAt !== 'string' || !TIMESTAMP.test(file.exportedAt))
    problems.add('exportedAt', 'a date and time like "2024-04-01T09:30:00.000Z"', describeValue(file.exportedAt));
  // app and notIncluded may be left out, but when present they must be what the export writes.
  if (file.app !== undefined) {
    if (!isObject(file.app))
      problems.add('app', 'an object with the name and version of the app that wrote the file', describeValue(file.app));
    else
      for (const part of ['name', 'version', 'baseUrl'])
        if (file.app[part] !== undefined && typeof file.app[part] !== 'string')
          problems.add(`app.${part}`, 'text', describeValue(file.app[part]));
  }
  if (file.notIncluded !== undefined && !isObject(file.notIncluded))
    problems.add('notIncluded', 'an object listing what the export left out and why', describeValue(file.notIncluded));
  const appPart = (v: unknown) => (typeof v === 'string' ? v : '');
  const app = isObject(file.app) ? `${appPart(file.app.name)} ${appPart(file.app.version)}`.trim() : '';
  const origin = isObject(file.app) ? originOf(appPart(file.app.baseUrl)) : '';
  if (!isObject(file.tables)) {
    problems.add('tables', 'an object with a list of rows for each table', describeValue(file.tables));
    problems.throwIfAny();
  }
  const tables = file.tables as Row;
  for (const name of Object.keys(tables))
    if (!TRANSFER_TABLES.some((t) => t.table === name))
      problems.add(`tables.${name}`, 'only tables that CSP Hub exports', `the table "${name}"`);
  return { file, app, origin, tables };
}

/** The origin of an address (https://host[:port]), or '' when it is not a web address. */
function originOf(url: string): string {
  try {
    const u = new URL(url);
    return /^https?:$/.test(u.protocol) ? u.origin : '';
  } catch {
    return '';
  }
}

/** What checking the rows learns as it goes, table by table in import order. */
interface RowCheck {
  problems: Problems;
  catalogue: Map<string, number>;
  /** The ids of each table's rows. */
  ids: Map<string, Set<number>>;
  /** The exported partnership's id, once tables.partnerships[0] is read: every tenant column must equal it. */
  partnershipId: unknown;
}

/** Checks one row's columns and types (and that its id is new); the row's known columns, defaults filled in. */
function checkRow(spec: TableSpec, item: Row, at: string, check: RowCheck): Row {
  const { problems, catalogue } = check;
  const seen = check.ids.get(spec.table)!;
  const row: Row = {};
  for (const key of Object.keys(item))
    if (!(key in spec.columns))
      problems.add(`${at}.${key}`, `only the columns ${Object.keys(spec.columns).join(', ')}`, `the column "${key}"`);
  for (const [name, c] of Object.entries(spec.columns)) {
    let v = item[name];
    if (v === undefined && 'default' in c && c.default !== undefined) v = c.default;
    if (typeof v === 'string' && c.kind === 'text' && v.includes('\u0000')) {
      // PostgreSQL cannot store the null character in text: refused here on both engines alike.
      problems.add(
        `${at}.${name}`,
        'text without the null character (code 0), which cannot be stored',
        `${describeValue(v)} with a null character`,
      );
      continue;
    }
    if (!valueFits(c, v, check.partnershipId, catalogue)) {
      problems.add(`${at}.${name}`, expectedOf(c, spec, check.partnershipId), describeValue(v));
      continue;
    }
    if (c.kind === 'id') {
      if (seen.has(v as number))
        problems.add(`${at}.${name}`, expectedOf(c, spec, check.partnershipId), `${String(v)} (already the id of another row)`);
      seen.add(v as number);
    }
    row[name] = v;
  }
  return row;
}

/** Checks a table's rows: each row, and the table's unique keys across its rows. */
function checkTable(spec: TableSpec, list: unknown, check: RowCheck): Row[] {
  const { problems } = check;
  const path = `tables.${spec.table}`;
  const rows: Row[] = [];
  check.ids.set(spec.table, new Set<number>());
  if (!Array.isArray(list)) {
    problems.add(path, 'a list of rows (an empty list when there are none)', describeValue(list));
    return rows;
  }
  if (spec.table === 'partnerships' && list.length !== 1) problems.add(path, 'exactly 1 row (the partnership)', `${list.length} rows`);
  const uniques = (UNIQUE[spec.table] ?? []).map((u) => ({ ...u, seen: new Map<string, number>() }));
  list.forEach((item: unknown, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(item)) {
      problems.add(at, 'an object (one row)', describeValue(item));
      return;
    }
    const row = checkRow(spec, item, at, check);
    if (spec.table === 'partnerships' && i === 0) check.partnershipId = row.id;
    for (const u of uniques) {
      if (u.whereNull && row[u.whereNull] !== null) continue;
      const key = JSON.stringify(
        u.columns.map((col) => (u.caseInsensitive && typeof row[col] === 'string' ? row[col].toLowerCase() : row[col])),
      );
      const other = u.seen.get(key);
      if (other !== undefined)
        problems.add(
          at,
          `${u.columns.join(' and ')} not already used by ${path}[${other}]${u.whereNull ? ` (among rows whose ${u.whereNull} is null)` : ''}`,
          `the same ${u.columns.join(' and ')} again`,
        );
      else u.seen.set(key, i);
    }
    rows.push(row);
  });
  return rows;
}

/** Checks every reference, once every table's ids are known. */
function checkReferences(tables: FileTables, check: RowCheck): void {
  for (const spec of TRANSFER_TABLES) {
    const refs = Object.entries(spec.columns).filter(([, c]) => c.kind === 'ref' || c.kind === 'user');
    tables[spec.table]!.forEach((row, i) => {
      for (const [name, c] of refs) {
        const v = row[name];
        if (v === null || v === undefined) continue;
        const target = c.kind === 'ref' ? c.table : 'users';
        if (!check.ids.get(target)!.has(v as number)) {
          check.problems.add(
            `tables.${spec.table}[${i}].${name}`,
            expectedOf(c, spec, check.partnershipId),
            `${v as number} (no row of tables.${target} has this id)`,
          );
        }
      }
    });
  }
}

/** The tables whose figure-like values may be below zero, for an indicator whose unit allows it (scores, money). */
const SIGNED_FIGURE_TABLES = new Set(['figures', 'indicator_baselines']);

/** Values below zero: only figures and baselines of a score or money indicator; targets and counts never. */
function checkSignedFigures(tables: FileTables, check: RowCheck): void {
  const units = new Map((tables.indicators ?? []).map((row) => [row.id, row.unit as string]));
  for (const spec of TRANSFER_TABLES) {
    const figureColumns = Object.entries(spec.columns).filter(([, c]) => c.kind === 'figure');
    tables[spec.table]!.forEach((row, i) => {
      for (const [name, c] of figureColumns) {
        const v = row[name];
        if (typeof v !== 'number' || v >= 0) continue;
        const unit = units.get(row.indicator_id);
        if (SIGNED_FIGURE_TABLES.has(spec.table) && allowsNegative(unit)) continue;
        check.problems.add(`tables.${spec.table}[${i}].${name}`, expectedOf(c, spec, check.partnershipId), `${v} (below zero)`);
      }
    });
  }
}

/**
 * Checks the whole parsed file against the table list: the envelope, every row's columns and types, ids, unique
 * keys and every reference. Throws a ValidationError listing the problems; returns the tables when there are none.
 */
export function validateImportFile(
  doc: unknown,
  catalogue: Map<string, number>,
): { tables: FileTables; exportedAt: string; app: string; origin: string } {
  const problems = new Problems();
  const envelope = checkEnvelope(doc, problems);
  const check: RowCheck = { problems, catalogue, ids: new Map(), partnershipId: undefined };
  const tables: FileTables = {};
  for (const spec of TRANSFER_TABLES) {
    // A table a file of an earlier release lacks is empty; one that is there must be a list (null is not "none").
    const list = envelope.tables[spec.table] === undefined ? [] : envelope.tables[spec.table];
    tables[spec.table] = checkTable(spec, list, check);
  }
  checkReferences(tables, check);
  checkSignedFigures(tables, check);
  problems.throwIfAny();
  return { tables, exportedAt: envelope.file.exportedAt as string, app: envelope.app, origin: envelope.origin };
}

/** Rows of a table sent from the import worker to the event loop in one piece: small enough to parse in moments. */
export const IMPORT_PAGE_ROWS = 500;

/** A checked file, its rows as JSON text a page at a time (cheap to pass between threads; see loadCheckedTables). */
export interface CheckedImportFile {
  exportedAt: string;
  app: string;
  origin: string;
  pages: Record<string, string[]>;
}

/**
 * Reads and checks a whole file (in the import worker: the parse and the checks take a second or more for a large
 * file, which must not hold up other requests). Throws a ValidationError listing the problems.
 */
export function checkImportFile(data: Uint8Array, catalogue: Map<string, number>): CheckedImportFile {
  const raw = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  const doc = parseImportFile(raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw);
  const { tables, exportedAt, app, origin } = validateImportFile(doc, catalogue);
  const pages: Record<string, string[]> = {};
  for (const [table, rows] of Object.entries(tables)) {
    pages[table] = [];
    for (let i = 0; i < rows.length; i += IMPORT_PAGE_ROWS) pages[table].push(JSON.stringify(rows.slice(i, i + IMPORT_PAGE_ROWS)));
  }
  return { exportedAt, app, origin, pages };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The checked tables as rows again, a page at a time with a turn for other requests between pages. */
async function loadCheckedTables(checked: CheckedImportFile): Promise<FileTables> {
  const tables: FileTables = {};
  for (const [table, pages] of Object.entries(checked.pages)) {
    const rows: Row[] = [];
    for (const page of pages) {
      for (const row of JSON.parse(page) as Row[]) rows.push(row);
      await turn();
    }
    tables[table] = rows;
  }
  return tables;
}

/** A file row as a database row for the new partnership (without its id). */
function databaseRow(
  spec: TableSpec,
  row: Row,
  map: (table: string, id: number) => number | null,
  partnershipId: number,
  userIds: Map<number, number>,
  catalogue: Map<string, number>,
): Row {
  const out: Row = {};
  for (const [name, c] of Object.entries(spec.columns)) {
    const v = row[name];
    if (c.kind === 'id') continue;
    if (c.kind === 'partnership') out[name] = partnershipId;
    else if (c.kind === 'ref') out[name] = v === null ? null : map(c.table, v as number);
    else if (c.kind === 'ref_list') out[name] = JSON.stringify((v as number[]).map((id) => map(c.table, id)).filter((id) => id !== null));
    else if (c.kind === 'user') out[name] = v === null ? null : (userIds.get(v as number) ?? null);
    else if (c.kind === 'catalogue') out[name] = v === null ? null : catalogue.get(v as string)!;
    else if (c.kind === 'boolean') out[name] = v === null ? null : v ? 1 : 0;
    else if (c.kind === 'json') out[name] = v === null ? null : JSON.stringify(v);
    else if (c.kind === 'bytes') out[name] = v === null ? null : Buffer.from(v as string, 'base64');
    else out[name] = v;
  }
  return out;
}

function refused(path: string, e: unknown): ValidationError {
  const message = e instanceof Error ? e.message : String(e);
  const problem: ImportProblem = {
    field: 'file',
    path,
    expected: 'a row the database accepts',
    got: `refused: ${message}`,
    message: `${path}: the database refused the row: ${message}`,
  };
  return new ValidationError([problem]);
}

export interface ImportOptions {
  /** A name for the new partnership instead of the one in the file (needed when the file's name is taken here). */
  name?: unknown;
  /** This instance's base URL (BASE_URL): full links to it, like those to the exporting instance, are remapped too. */
  baseUrl?: string;
  /** The largest file accepted, in bytes (the IMPORT_LIMIT_MB setting); IMPORT_LIMIT_BYTES when not given. */
  limitBytes?: number;
}

/** Refuses a file larger than the limit before anything reads it. */
function assertImportSize(data: string | Buffer, limitBytes: number): void {
  const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  if (bytes <= limitBytes) return;
  const size = `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const problem: ImportProblem = {
    field: 'file',
    path: '$',
    expected: `a file of at most ${megabytesText(limitBytes)} (IMPORT_LIMIT_MB)`,
    got: size,
    message: importLimitMessage(limitBytes, size),
  };
  throw new ValidationError([problem]);
}

/** A file read and checked, its rows back on the event loop, with the national catalogue's ids by code. */
interface CheckedFile {
  tables: FileTables;
  exportedAt: string;
  app: string;
  origin: string;
  catalogue: Map<string, number>;
}

/** Parses and checks the file off the event loop (in the import worker); its rows come back a page at a time. */
async function readCheckedFile(db: Kysely<Database>, data: string | Buffer): Promise<CheckedFile> {
  const catalogueRows = await db.selectFrom('indicators').select(['id', 'code']).where('partnership_id', 'is', null).execute();
  const catalogue = new Map(catalogueRows.map((r) => [r.code, r.id]));
  const payload = await ownBuffer(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  const checked = await runOffThread(
    'checkImportFile',
    { data: payload, catalogue: [...catalogue] },
    { what: 'The file', transfer: [payload] },
  );
  return { tables: await loadCheckedTables(checked), exportedAt: checked.exportedAt, app: checked.app, origin: checked.origin, catalogue };
}

/** The new partnership's name (the one asked for, or the file's) and web address, both of which must be free here. */
async function newPartnershipName(db: Kysely<Database>, source: Row, requestedName: unknown): Promise<{ name: string; slug: string }> {
  const requested = typeof requestedName === 'string' ? requestedName.trim() : '';
  const name = requested || (source.name as string);
  if (name.length > 200) throw new ValidationError([{ field: 'name', message: 'The partnership name must be 200 characters or fewer' }]);
  if (name === '') throw new ValidationError([{ field: 'name', message: 'Enter a name for the imported partnership' }]);
  const slug =
    requested && requested !== source.name
      ? slugify(requested)
      : /^[a-z0-9-]{1,100}$/.test(source.slug as string)
        ? (source.slug as string)
        : slugify(name);
  const sameName = await db
    .selectFrom('partnerships')
    .select('name')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
  if (sameName)
    throw new ValidationError([
      {
        field: 'name',
        message: `A partnership called "${sameName.name}" already exists here. Enter a different name for the imported partnership`,
      },
    ]);
  const sameSlug = await db.selectFrom('partnerships').select('name').where('slug', '=', slug).executeTakeFirst();
  if (sameSlug)
    throw new ValidationError([
      {
        field: 'name',
        message: `The web address /public/partnerships/${slug} is already used by "${sameSlug.name}". Enter a different name for the imported partnership`,
      },
    ]);
  return { name, slug };
}

/** The people of the file matched to accounts here by email (never created): their id in the file → the account's id. */
async function matchPeople(db: Kysely<Database>, people: Row[]): Promise<Map<number, number>> {
  const userIds = new Map<number, number>();
  for (let i = 0; i < people.length; i += PAGE_SIZE) {
    const page = people.slice(i, i + PAGE_SIZE);
    const found = await db
      .selectFrom('users')
      .select(['id', 'email'])
      .where(
        'email',
        'in',
        page.map((p) => (p.email as string).toLowerCase()),
      )
      .execute();
    const byEmail = new Map(found.map((u) => [u.email.toLowerCase(), u.id]));
    for (const p of page) {
      const id = byEmail.get((p.email as string).toLowerCase());
      if (id !== undefined) userIds.set(p.id as number, id);
    }
  }
  return userIds;
}

/** One import's rows going into the database, inside its transaction: what every table's insert needs and adds to. */
class ImportRun {
  readonly newIds = new Map<string, Map<number, number>>(TRANSFER_TABLES.map((t) => [t.table, new Map()]));
  readonly counts: Record<string, number> = {};
  readonly membersLeftOut: ImportResult['membersLeftOut'] = [];
  partnershipId = 0;
  /** Tables whose rows others refer to: inserted one at a time, to learn each new id. */
  private readonly referenced = new Set(
    TRANSFER_TABLES.flatMap((t) => Object.values(t.columns).flatMap((c) => (c.kind === 'ref' || c.kind === 'ref_list' ? [c.table] : []))),
  );
  private readonly personOf: Map<number, Row>;

  constructor(
    private readonly trx: AnyDb,
    private readonly file: CheckedFile,
    private readonly userIds: Map<number, number>,
  ) {
    this.personOf = new Map(file.tables.users!.map((p) => [p.id as number, p]));
  }

  /** The new id of a row of the file, or null when it did not come in. */
  readonly map = (table: string, id: number): number | null => this.newIds.get(table)!.get(id) ?? null;

  private databaseRow(spec: TableSpec, row: Row): Row {
    return databaseRow(spec, row, this.map, this.partnershipId, this.userIds, this.file.catalogue);
  }

  /**
   * Linked papers that point at a page of this partnership in CSP Hub get the new ids in their address (uploaded
   * papers' addresses are worked out when read, paperView). Other addresses are left as they are.
   */
  async remapPaperLinks(baseUrl: string | undefined): Promise<void> {
    const origins = [this.file.origin, originOf(baseUrl ?? '')].filter((o) => o !== '');
    const oldPartnershipId = this.file.tables.partnerships![0]!.id as number;
    const map = (table: string, id: number): number | null =>
      table === 'users' ? (this.userIds.get(id) ?? null) : this.newIds.has(table) ? this.map(table, id) : null;
    for (const row of this.file.tables.meeting_papers!) {
      if (typeof row.file_name === 'string' || typeof row.url !== 'string') continue;
      const url = remapPartnershipLink(row.url, { oldPartnershipId, newPartnershipId: this.partnershipId, origins, map });
      const id = this.map('meeting_papers', row.id as number);
      if (url !== row.url && id !== null) await this.trx.updateTable('meeting_papers').set({ url }).where('id', '=', id).execute();
    }
  }

  /** Every table in import order (parents before children). */
  async insertAll(name: string, slug: string): Promise<void> {
    for (const spec of TRANSFER_TABLES) {
      if (spec.scope === 'users') this.counts.users = this.userIds.size;
      else if (spec.scope === 'partnership') await this.insertPartnership(spec, name, slug);
      else await this.insertTable(spec);
    }
  }

  private async insertPartnership(spec: TableSpec, name: string, slug: string): Promise<void> {
    const source = this.file.tables.partnerships![0]!;
    const now = nowIso();
    const values = {
      ...databaseRow(spec, source, this.map, 0, this.userIds, this.file.catalogue),
      name,
      slug,
      created_at: now,
      updated_at: now,
    };
    const inserted: Row = await this.trx.insertInto('partnerships').values(values).returning('id').executeTakeFirstOrThrow();
    this.partnershipId = inserted.id as number;
    this.newIds.get('partnerships')!.set(source.id as number, this.partnershipId);
    this.counts.partnerships = 1;
  }

  private async insertTable(spec: TableSpec): Promise<void> {
    const rows = this.file.tables[spec.table]!;
    const kept = this.keptRows(spec, rows);
    this.counts[spec.table] = kept.length;
    const selfRefs = Object.entries(spec.columns)
      .filter(([, c]) => c.kind === 'ref' && c.table === spec.table)
      .map(([n]) => n);
    if (!this.referenced.has(spec.table) && selfRefs.length === 0) await this.insertPages(spec, kept);
    else await this.insertOneByOne(spec, kept, rows, selfRefs);
  }

  /** The rows that go in: a row of a person without an account here (a membership) is left out and listed. */
  private keptRows(spec: TableSpec, rows: Row[]): Row[] {
    const userColumn = Object.entries(spec.columns).find(([, c]) => c.kind === 'user' && !c.nullable)?.[0];
    if (!userColumn) return rows;
    return rows.filter((row) => {
      if (this.userIds.has(row[userColumn] as number)) return true;
      const person = this.personOf.get(row[userColumn] as number)!;
      this.membersLeftOut.push({ email: person.email as string, name: person.name as string, role: row.role as Role });
      return false;
    });
  }

  /** Rows nothing refers to: a page at a time. */
  private async insertPages(spec: TableSpec, kept: Row[]): Promise<void> {
    for (let i = 0; i < kept.length; i += 100) {
      const page = kept.slice(i, i + 100);
      try {
        await this.trx
          .insertInto(spec.table)
          .values(page.map((row) => this.databaseRow(spec, row)))
          .execute();
      } catch (e) {
        throw refused(`tables.${spec.table}[${i}..${i + page.length - 1}]`, e);
      }
    }
  }

  /**
   * Rows others refer to: one at a time, to learn each new id. A reference to a row of the same table that is not
   * in yet (a group reporting to a later group) is filled in once the whole table is in.
   */
  private async insertOneByOne(spec: TableSpec, kept: Row[], rows: Row[], selfRefs: string[]): Promise<void> {
    const later: { id: number; column: string; old: number }[] = [];
    for (const row of kept) {
      const values = this.databaseRow(spec, row);
      let inserted: Row;
      try {
        inserted = await this.trx.insertInto(spec.table).values(values).returning(spec.key).executeTakeFirstOrThrow();
      } catch (e) {
        throw refused(`tables.${spec.table}[${rows.indexOf(row)}]`, e);
      }
      const id = inserted[spec.key] as number;
      this.newIds.get(spec.table)!.set(row[spec.key] as number, id);
      for (const column of selfRefs)
        if (row[column] !== null && values[column] === null) later.push({ id, column, old: row[column] as number });
    }
    for (const l of later)
      await this.trx
        .updateTable(spec.table)
        .set({ [l.column]: this.map(spec.table, l.old) })
        .where(spec.key, '=', l.id)
        .execute();
  }
}

/** Records the import in the new partnership's audit trail (the import page reads it back: importRecord). */
async function recordImport(trx: Kysely<Database>, actor: Actor, result: ImportResult): Promise<void> {
  const { partnership, counts, source } = result;
  const rowsIn = Object.entries(counts)
    .filter(([t]) => t !== 'users')
    .reduce((a, [, n]) => a + n, 0);
  await recordAudit(trx, actor, {
    partnershipId: partnership.id,
    action: 'create',
    entityType: 'partnership_import',
    entityId: partnership.id,
    summary: `Imported ${partnership.name} from a file exported on ${source.exportedAt.slice(0, 10)}${source.app ? ` by ${source.app}` : ''} (${rowsIn.toLocaleString('en-GB')} rows)`,
    after: result,
  });
}

/**
 * Imports a partnership export as a new partnership. Only platform administrators may. The file is checked whole
 * first; then every row and the import's audit record go in inside one transaction.
 */
export async function importPartnership(
  db: Kysely<Database>,
  actor: Actor,
  user: User,
  data: string | Buffer,
  options: ImportOptions = {},
): Promise<ImportResult> {
  if (!user.is_platform_admin) throw new ForbiddenError('Only a platform administrator can import a partnership');
  assertImportSize(data, options.limitBytes ?? IMPORT_LIMIT_BYTES);
  const file = await readCheckedFile(db, data);
  const { name, slug } = await newPartnershipName(db, file.tables.partnerships![0]!, options.name);
  const people = file.tables.users!;
  const userIds = await matchPeople(db, people);
  return anyDb(db)
    .transaction()
    .execute(async (trx) => {
      const run = new ImportRun(trx, file, userIds);
      await run.insertAll(name, slug);
      await run.remapPaperLinks(options.baseUrl);
      const result: ImportResult = {
        partnership: { id: run.partnershipId, name, slug },
        counts: run.counts,
        membersLeftOut: run.membersLeftOut,
        peopleWithoutAccount: people.length - userIds.size,
        source: { exportedAt: file.exportedAt, app: file.app },
      };
      await recordImport(trx as Kysely<Database>, actor, result);
      return result;
    });
}

/** The record of how a partnership was imported, from its audit trail; null when it was not imported. */
export async function importRecord(
  db: Kysely<Database>,
  partnershipId: number,
): Promise<(ImportResult & { importedAt: string; importedBy: string }) | null> {
  const event = await db
    .selectFrom('audit_events')
    .select(['after_json', 'created_at', 'actor'])
    .where('partnership_id', '=', partnershipId)
    .where('entity_type', '=', 'partnership_import')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!event?.after_json) return null;
  const result = JSON.parse(event.after_json) as ImportResult;
  // Only this instance's own import event counts: an imported file can carry the import events of its source.
  if (result.partnership?.id !== partnershipId) return null;
  return { ...result, importedAt: event.created_at, importedBy: event.actor };
}
