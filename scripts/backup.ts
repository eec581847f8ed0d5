/**
 * `npm run backup [-- --out <folder>]`: backs up the embedded deployment (the SQLite database with the generated
 * documents, and the DuckDB crime store) into a new timestamped folder, by default `<DATA_DIR>/../backups`. Safe
 * while the app runs. On PostgreSQL it explains pg_dump instead (README, "Backups").
 */
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { backupEmbedded } from '../src/adapters/backup/embeddedBackup.ts';
import { embeddedDatabaseFile, PG_BACKUP_ADVICE } from './backupSettings.ts';

const config = loadConfig();
const outIndex = process.argv.indexOf('--out');
const outDir = path.resolve(outIndex > 0 ? (process.argv[outIndex + 1] ?? '') : path.join(config.dataDir, '..', 'backups'));
const sqliteFile = embeddedDatabaseFile(config);
if (!sqliteFile) {
  console.error(PG_BACKUP_ADVICE);
  process.exit(2);
}
try {
  const { folder, manifest } = await backupEmbedded({ sqliteFile, crimeStorePath: config.crimeStorePath, outDir });
  const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
  const crime = manifest.crimeStore ? Object.values(manifest.crimeStore).reduce((a, b) => a + b, 0) : 0;
  console.log(`Backed up ${Object.keys(manifest.tables).length} tables (${rows} rows) and ${crime} crime store rows into ${folder}`);
} catch (e) {
  console.error(`Backup failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
