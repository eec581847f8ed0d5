/**
 * Whole-partnership export: one JSON file with every row that belongs to the partnership, table by table as
 * listed in partnershipTransferTables.ts, that another CSP Hub instance can import (partnershipImport.ts).
 *
 * The file is written a row per line, tables in import order and rows in key order, so two exports of the same
 * data are byte-for-byte equal apart from `exportedAt`. Rows are read in pages of PAGE_SIZE inside one
 * read transaction (a consistent snapshot: no reference can dangle because of a change made mid-export) and
 * turned into text at once; only the text is kept, never a whole table of row objects.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import { APP_NAME, APP_VERSION } from '../../adapters/appVersion.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { nowIso } from '../../adapters/clock.ts';
import {
  EXCLUDED_COLUMNS,
  EXCLUDED_TABLES,
  PAGE_SIZE,
  TRANSFER_FORMAT,
  TRANSFER_FORMAT_VERSION,
  TRANSFER_TABLES,
  type TableSpec,
} from './partnershipTransferTables.ts';
import { getPartnership } from '../partnerships/partnerships.ts';

/** Kysely over tables named at run time: the transfer code is driven by the table list, not by typed queries. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;
export const anyDb = (db: Kysely<Database>): AnyDb => db;

export interface PartnershipExport {
  fileName: string;
  /** The file's text, in pieces as written. */
  chunks: string[];
  bytes: number;
  counts: Record<string, number>;
}

type Row = Record<string, unknown>;

/** The national catalogue's ids by code and codes by id, which the file uses instead of instance-specific ids. */
export async function catalogueCodes(db: Kysely<Database>): Promise<Map<number, string>> {
  const rows = await db.selectFrom('indicators').select(['id', 'code']).where('partnership_id', 'is', null).execute();
  return new Map(rows.map((r) => [r.id, r.code]));
}

/** The rows of one table that belong to the partnership, a page at a time, in key order. */
async function* pagesOf(db: AnyDb, spec: TableSpec, partnershipId: number): AsyncGenerator<Row[]> {
  const columns = Object.keys(spec.columns);
  let after: number | null = null;
  for (;;) {
    let q = db.selectFrom(spec.table).select(columns);
    if (spec.scope === 'partnership') q = q.where('id', '=', partnershipId);
    else if (spec.scope === 'partnership_id') q = q.where('partnership_id', '=', partnershipId);
    else q = q.where('id', 'in', usersOf(db, partnershipId));
    if (after !== null) q = q.where(spec.key, '>', after);
    const size = spec.pageSize ?? PAGE_SIZE;
    const rows = (await q.orderBy(spec.key).limit(size).execute()) as Row[];
    if (rows.length) yield rows;
    if (rows.length < size) return;
    after = rows[rows.length - 1]![spec.key] as number;
  }
}

/** Ids of every person a partnership row refers to (members, who entered figures, who did what in the audit trail). */
function usersOf(db: AnyDb, partnershipId: number) {
  const selects = TRANSFER_TABLES.flatMap((t) =>
    Object.entries(t.columns)
      .filter(([, c]) => c.kind === 'user')
      .map(([name]) =>
        db.selectFrom(t.table).select(`${name} as user_id`).where('partnership_id', '=', partnershipId).where(name, 'is not', null),
      ),
  );

  return selects.reduce((q, s) => q.union(s));
}

/** A database row as it appears in the file: booleans as true/false, JSON text as JSON, catalogue ids as codes. */
function fileRow(spec: TableSpec, row: Row, catalogue: Map<number, string>): Row {
  const out: Row = {};
  for (const [name, c] of Object.entries(spec.columns)) {
    const v = row[name] ?? null;
    if (c.kind === 'boolean') out[name] = v === null ? null : Number(v) !== 0;
    else if (c.kind === 'json' || c.kind === 'ref_list') out[name] = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
    else if (c.kind === 'catalogue') out[name] = v === null ? null : (catalogue.get(Number(v)) ?? null);
    else if (c.kind === 'bytes') out[name] = v === null ? null : Buffer.from(v as Uint8Array).toString('base64');
    else if (typeof v === 'bigint') out[name] = Number(v);
    else out[name] = v;
  }
  return out;
}

/** Writes the export of a partnership, piece by piece, to `write`; returns the number of rows of each table. */
export async function writePartnershipExport(
  db: Kysely<Database>,
  partnershipId: number,
  write: (text: string) => void,
  exportedAt = nowIso(),
  baseUrl?: string,
): Promise<Record<string, number>> {
  const k = anyDb(db);
  const catalogue = await catalogueCodes(db);
  const counts: Record<string, number> = {};
  write('{\n');
  write(`  "format": ${JSON.stringify(TRANSFER_FORMAT)},\n`);
  write(`  "formatVersion": ${TRANSFER_FORMAT_VERSION},\n`);
  write(`  "exportedAt": ${JSON.stringify(exportedAt)},\n`);
  // The instance's address lets the importer recognise full links to this partnership's pages (paperLinks.ts).
  write(`  "app": ${JSON.stringify({ name: APP_NAME, version: APP_VERSION, ...(baseUrl ? { baseUrl } : {}) })},\n`);
  write(`  "notIncluded": ${JSON.stringify({ tables: EXCLUDED_TABLES, columns: EXCLUDED_COLUMNS })},\n`);
  write('  "tables": {');
  for (const [t, spec] of TRANSFER_TABLES.entries()) {
    write(`${t === 0 ? '' : ','}\n    ${JSON.stringify(spec.table)}: [`);
    let n = 0;
    for await (const page of pagesOf(k, spec, partnershipId)) {
      for (const row of page) write(`${n++ === 0 ? '' : ','}\n      ${JSON.stringify(fileRow(spec, row, catalogue))}`);
    }
    write(n === 0 ? ']' : '\n    ]');
    counts[spec.table] = n;
  }
  write('\n  }\n}\n');
  return counts;
}

/**
 * Exports a partnership inside one read transaction and records the download in the audit trail (after the
 * snapshot, so a file never contains its own export event).
 */
export async function exportPartnership(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  options: { baseUrl?: string } = {},
): Promise<PartnershipExport> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const partnership = await getPartnership(trx, partnershipId);
      const chunks: string[] = [];
      let bytes = 0;
      const exportedAt = nowIso();
      const counts = await writePartnershipExport(
        trx,
        partnershipId,
        (text) => {
          chunks.push(text);
          bytes += Buffer.byteLength(text);
        },
        exportedAt,
        options.baseUrl,
      );
      const rows = Object.values(counts).reduce((a, b) => a + b, 0);
      await recordAudit(trx, actor, {
        partnershipId,
        action: 'create',
        entityType: 'partnership_export',
        entityId: partnershipId,
        summary: `Exported the whole partnership as JSON (${rows.toLocaleString('en-GB')} rows)`,
        after: { exportedAt, formatVersion: TRANSFER_FORMAT_VERSION, counts },
      });
      const date = exportedAt.slice(0, 10);
      return { fileName: `${partnership.slug}-export-${date}.json`, chunks, bytes, counts };
    });
}
