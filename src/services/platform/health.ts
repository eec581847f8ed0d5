/**
 * The service's health, for load balancers and operators (/health): whether the database answers, and whether
 * every migration this process knows is applied.
 */
import type { Db, Engine } from '../../adapters/database/database.ts';
import { isReachable } from '../../adapters/database/database.ts';
import { migrationState, type MigrationState } from '../../adapters/database/migrate.ts';

export interface HealthReport {
  /** True when the database answers and no migration is pending. */
  ok: boolean;
  database: { engine: Engine; reachable: boolean };
  migrations: MigrationState | { error: string };
}

/**
 * A health check over the app's database. Applied migrations only ever grow and this process's list is fixed, so
 * once nothing is pending that stays true: the check remembers it rather than reading the schema tables on every
 * probe. Reachability is checked every time.
 */
export function healthCheck(db: Db): () => Promise<HealthReport> {
  let upToDate: MigrationState | null = null;
  return async () => {
    const reachable = await isReachable(db);
    let migrations: HealthReport['migrations'];
    try {
      migrations = !reachable ? { error: 'database unreachable' } : (upToDate ?? (await migrationState(db)));
      if ('pending' in migrations && migrations.pending.length === 0) upToDate = migrations;
    } catch (e) {
      migrations = { error: (e as Error).message };
    }
    const ok = reachable && 'pending' in migrations && migrations.pending.length === 0;
    return { ok, database: { engine: db.engine, reachable }, migrations };
  };
}
