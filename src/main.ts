/**
 * `npm start`: opens the database (SQLite file under ./data by default, PostgreSQL with DATABASE_URL), brings
 * the schema up to date, seeds the demo partnerships on an empty database and serves CSP Hub.
 */
import { loadConfig } from './config.ts';
import { openDatabase } from './adapters/database/database.ts';
import { migrateToLatest } from './adapters/database/migrate.ts';
import { isEmpty, seedDemo } from './demo/seed.ts';
import { purgeExpiredSessions } from './services/identity/sessions.ts';
import { purgeOldLoginAttempts } from './services/identity/signIn.ts';
import { buildApp } from './http/app.ts';
import { OidcClient } from './adapters/oidc/oidcClient.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  // Problems of the database's connections are logged by the app once it is built; until then, to the console.
  let dbLog = (message: string, error: unknown) => console.error(message, error instanceof Error ? error.message : error);
  const db = openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    pool: config.dbPool,
    log: (message, error) => dbLog(message, error),
  });
  const applied = await migrateToLatest(db);
  if (applied.length) console.log(`Applied migrations: ${applied.join(', ')}`);
  if (config.seedDemo && (await isEmpty(db.kysely))) {
    console.log('Empty database: creating the demo partnerships...');
    await seedDemo(db.kysely, { email: config.demoAdminEmail, password: config.demoAdminPassword });
    console.log(`Demo partnerships created.`);
  }
  await purgeExpiredSessions(db.kysely);
  await purgeOldLoginAttempts(db.kysely);
  const app = await buildApp({ db, config, oidc: config.oidc ? new OidcClient(config.oidc) : null }, { logger: true });
  if (config.production && !config.trustedProxies.length) {
    app.log.warn(
      'TRUSTED_PROXIES is empty: behind a reverse proxy every request seems to come from the proxy, so sign-in limits per address would apply to everyone at once. List the proxy addresses in TRUSTED_PROXIES.',
    );
  }
  dbLog = (message, error) => app.log.warn({ err: error }, message);
  await app.listen({ port: config.port, host: config.host });
  console.log('');
  console.log(`CSP Hub is running on http://localhost:${config.port} (database: ${db.engine}, ${db.location})`);
  if (config.seedDemo) console.log(`Demo sign-in: ${config.demoAdminEmail} / ${config.demoAdminPassword}`);
  const stop = async () => {
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
