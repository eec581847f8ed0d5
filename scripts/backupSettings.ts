/** Where `npm run backup` and `npm run restore` find the embedded database, and what they say on PostgreSQL. */
import path from 'node:path';
import type { Config } from '../src/config.ts';

/** The SQLite file the app uses, or null on PostgreSQL. */
export function embeddedDatabaseFile(config: Config): string | null {
  if (config.databaseUrl.startsWith('postgres://') || config.databaseUrl.startsWith('postgresql://')) return null;
  if (config.databaseUrl.startsWith('sqlite:')) return path.resolve(config.databaseUrl.slice('sqlite:'.length));
  return path.join(config.dataDir, 'csphub.sqlite');
}

export const PG_BACKUP_ADVICE = `DATABASE_URL is PostgreSQL: back it up with pg_dump and restore with pg_restore, for example
  pg_dump --format=custom --file=csphub-$(date +%Y%m%dT%H%M).dump "$DATABASE_URL"
  pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" csphub-<time>.dump
(see the README, "Backups"). The crime store file (CRIME_STORE_PATH) is copied separately.`;
