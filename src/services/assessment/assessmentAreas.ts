/**
 * A partnership's area for its strategic assessment: the local authorities that police.uk LSOA names start
 * with ('Rotherham' for 'Rotherham 012A') and/or LSOA codes, typed or pasted as a list or as an ONS
 * LSOA-to-local-authority lookup CSV (LSOA21CD, LSOA21NM, LAD22CD, LAD22NM ...).
 */
import type { Generated, Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import { LSOA_CODE } from '../../domain/policeUkLayout.ts';
import { recordAudit, type Actor } from '../platform/audit.ts';
import { nowIso } from '../../adapters/clock.ts';
import { lockRows } from '../../adapters/database/concurrency.ts';
import { Validator } from '../../domain/errors.ts';

interface AssessmentAreasTable {
  id: Generated<number>;
  partnership_id: number;
  local_authorities: string;
  lsoa_codes: string;
  updated_at: string;
}

type WithAreas = Kysely<Database & { assessment_areas: AssessmentAreasTable }>;
const withAreas = (db: Kysely<Database>): WithAreas => db.withTables<{ assessment_areas: AssessmentAreasTable }>();

export interface AssessmentArea {
  localAuthorities: string[];
  lsoaCodes: string[];
  updatedAt: string;
}

export interface AssessmentAreaInput {
  /** One local authority name per line. */
  localAuthorities?: unknown;
  /** LSOA codes separated by commas, spaces or lines, or an LSOA lookup CSV with a header row. */
  lsoaCodes?: unknown;
}

const MAX_CODES = 20_000;

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field.trim());
      field = '';
    } else field += ch;
  }
  out.push(field.trim());
  return out;
}

/**
 * LSOA codes from a typed list or a lookup CSV. In a lookup (first line names an LSOA code column such as
 * LSOA21CD), only the rows whose local authority name (LADnnNM) is one of `localAuthorities` are kept, unless
 * none are given. Problems are added to the validator with their line.
 */
export function parseLsoaCodes(raw: string, localAuthorities: readonly string[], v: Validator): string[] {
  const lines = raw.replace(/^\uFEFF/, '').split(/\r?\n/);
  const codes = new Set<string>();
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.toUpperCase());
  const codeColumn = header.findIndex((h) => /^LSOA\d{2}CD$/.test(h) || h === 'LSOA CODE');
  if (codeColumn !== -1) {
    const nameColumn = header.findIndex((h) => /^LAD\d{2}NM$/.test(h) || /^LTLA\d{2}NM$/.test(h));
    const wanted = new Set(localAuthorities.map((n) => n.toLowerCase()));
    lines.slice(1).forEach((line, i) => {
      if (line.trim() === '') return;
      const fields = splitCsvLine(line);
      if (wanted.size > 0 && nameColumn !== -1 && !wanted.has((fields[nameColumn] ?? '').toLowerCase())) return;
      const code = (fields[codeColumn] ?? '').toUpperCase();
      if (LSOA_CODE.test(code)) codes.add(code);
      else v.add('lsoaCodes', `Line ${i + 2}: "${code}" is not an LSOA code (like E01007626)`);
    });
  } else {
    lines.forEach((line, i) => {
      for (const token of line.split(/[\s,;]+/).filter((t) => t !== '')) {
        const code = token.toUpperCase();
        if (LSOA_CODE.test(code)) codes.add(code);
        else v.add('lsoaCodes', `Line ${i + 1}: "${token}" is not an LSOA code (like E01007626)`);
      }
    });
  }
  if (codes.size > MAX_CODES) v.add('lsoaCodes', `Give at most ${MAX_CODES.toLocaleString('en-GB')} LSOA codes`);
  return [...codes].sort();
}

export async function getAssessmentArea(db: Kysely<Database>, partnershipId: number): Promise<AssessmentArea | null> {
  const row = await withAreas(db).selectFrom('assessment_areas').selectAll().where('partnership_id', '=', partnershipId).executeTakeFirst();
  if (!row) return null;
  const list = (s: string) => s.split('\n').filter((x) => x !== '');
  return { localAuthorities: list(row.local_authorities), lsoaCodes: list(row.lsoa_codes), updatedAt: row.updated_at };
}

export async function saveAssessmentArea(
  db: Kysely<Database>,
  actor: Actor,
  partnershipId: number,
  input: AssessmentAreaInput,
): Promise<AssessmentArea> {
  const v = new Validator();
  const names = [
    ...new Set(
      (typeof input.localAuthorities === 'string' ? input.localAuthorities : '')
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
  for (const n of names) if (n.length > 100) v.add('localAuthorities', `"${n.slice(0, 20)}..." is longer than 100 characters`);
  if (names.length > 50) v.add('localAuthorities', 'Give at most 50 local authorities');
  const codes = parseLsoaCodes(typeof input.lsoaCodes === 'string' ? input.lsoaCodes : '', names, v);
  if (names.length === 0 && codes.length === 0 && v.errors.length === 0) {
    v.add('localAuthorities', 'Enter the local authorities in the area, or LSOA codes');
  }
  v.throwIfAny();
  const area: AssessmentArea = { localAuthorities: names, lsoaCodes: codes, updatedAt: nowIso() };
  return db.transaction().execute(async (trx) => {
    await lockRows(trx, 'partnerships', partnershipId); // one area per partnership, perhaps not made yet
    const k = withAreas(trx);
    const before = await getAssessmentArea(trx, partnershipId);
    const values = { local_authorities: names.join('\n'), lsoa_codes: codes.join('\n'), updated_at: area.updatedAt };
    if (before) await k.updateTable('assessment_areas').set(values).where('partnership_id', '=', partnershipId).execute();
    else
      await k
        .insertInto('assessment_areas')
        .values({ partnership_id: partnershipId, ...values })
        .execute();
    await recordAudit(trx, actor, {
      partnershipId,
      action: before ? 'update' : 'create',
      entityType: 'assessment_area',
      entityId: partnershipId,
      summary: `Set the assessment area: ${names.join(', ') || 'no local authorities'}; ${codes.length} LSOA codes`,
      before: before ? { localAuthorities: before.localAuthorities, lsoaCodes: before.lsoaCodes.length } : undefined,
      after: { localAuthorities: names, lsoaCodes: codes.length },
    });
    return area;
  });
}
