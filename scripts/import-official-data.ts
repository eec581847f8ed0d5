/**
 * `npx tsx scripts/import-official-data.ts <kind> <file>`: imports an official data file from the server's disk
 * (for a file over the page's and the API's upload limit) through the same importer as /admin/official-data: every
 * row checked first, each problem printed with its row, column and value, nothing written when there is any, then
 * the kind's tables replaced in one transaction; recorded as an import (with its progress) and audited as the
 * system. Kinds: crime, population, deprivation, boundaries, fingertips, roads. Exit code 1 when refused.
 */
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/adapters/database/database.ts';
import { migrateToLatest } from '../src/adapters/database/migrate.ts';
import { KIND_TEXT, OFFICIAL_KINDS, fileTypeOf, getImport, importFinished, startImport } from '../src/services/evidence/officialImport.ts';
import { SYSTEM_ACTOR } from '../src/services/platform/audit.ts';
import { ValidationError, ConflictError } from '../src/domain/errors.ts';

const [kind, file] = process.argv.slice(2);
if (!kind || !file || !OFFICIAL_KINDS.includes(kind as never)) {
  console.error(
    `Usage: npx tsx scripts/import-official-data.ts <kind> <file>\nKinds:\n${OFFICIAL_KINDS.map((k) => `  ${k}: ${KIND_TEXT[k]} (${fileTypeOf(k).text})`).join('\n')}`,
  );
  process.exit(2);
}
if (!fileTypeOf(kind).name.test(file)) {
  console.error(`${file} is not ${fileTypeOf(kind).text}`);
  process.exit(2);
}

const config = loadConfig();
const db = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
let code: number;
try {
  await migrateToLatest(db);
  const id = await startImport(db.kysely, SYSTEM_ACTOR, {
    kind,
    filePath: path.resolve(file),
    fileName: path.basename(file),
    onProgress: (stage, rows) => process.stdout.write(`\r${stage}: ${rows.toLocaleString('en-GB')} rows   `),
  });
  await importFinished(id);
  const done = await getImport(db.kysely, id);
  process.stdout.write('\n');
  console.log(`Import ${id} (${KIND_TEXT[done.kind]}): ${done.message}`);
  for (const p of done.problems)
    console.log(
      `  ${p.unit ?? 'row'} ${p.row}${p.sheet ? ` of sheet ${p.sheet}` : ''}, ${p.column} ${JSON.stringify(p.value)}: ${p.message}`,
    );
  code = done.status === 'done' ? 0 : 1;
} catch (e) {
  if (!(e instanceof ValidationError || e instanceof ConflictError)) throw e;
  console.error(e instanceof ValidationError ? e.errors.map((x) => x.message).join('\n') : e.message);
  code = 1;
} finally {
  await db.close();
}
process.exit(code);
