/**
 * `npm run restore -- <backup folder> [--force]`: restores a backup made by `npm run backup` into DATA_DIR (or the
 * `sqlite:` file of DATABASE_URL) and CRIME_STORE_PATH, then checks every table's rows against the backup's
 * manifest and brings the schema up to date. Stop the app first; an existing database is replaced only with --force.
 */
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { restoreEmbedded } from '../src/adapters/backup/embeddedBackup.ts';
import { openDatabase } from '../src/adapters/database/database.ts';
import { migrateToLatest } from '../src/adapters/database/migrate.ts';
import { embeddedDatabaseFile, PG_BACKUP_ADVICE } from './backupSettings.ts';

const config = loadConfig();
const args = process.argv.slice(2);
const folder = args.find((a) => !a.startsWith('--'));
if (!folder) {
  console.error('Usage: npm run restore -- <backup folder> [--force]');
  process.exit(2);
}
const sqliteFile = embeddedDatabaseFile(config);
if (!sqliteFile) {
  console.error(PG_BACKUP_ADVICE);
  process.exit(2);
}
try {
  const { mismatches } = await restoreEmbedded({
    folder: path.resolve(folder),
    sqliteFile,
    crimeStorePath: config.crimeStorePath,
    force: args.includes('--force'),
  });
  if (mismatches.length) {
    for (const m of mismatches)
      console.error(`${m.store} table ${m.table}: ${m.expected} rows in the backup, ${m.found ?? 'none'} restored`);
    process.exit(1);
  }
  const db = openDatabase({ databaseUrl: `sqlite:${sqliteFile}`, dataDir: config.dataDir });
  const applied = await migrateToLatest(db);
  await db.close();
  console.log(`Restored ${folder} into ${sqliteFile}: every table's rows match the backup.`);
  if (applied.length) console.log(`Applied migrations: ${applied.join(', ')}`);
} catch (e) {
  console.error(`Restore failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
