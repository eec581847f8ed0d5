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
  // Graceful shutdown (SIGTERM from an orchestrator, or Ctrl-C): stop accepting connections, let the requests in
  // flight finish (a new request on a kept-alive connection gets 503 and the connection is closed), give running
  // document jobs SHUTDOWN_JOB_GRACE_SECONDS and hand the rest back to the queue for another instance, wait for a
  // police.uk import, close Chromium, the crime store and the database pool, then exit. If that takes longer than
  // SHUTDOWN_TIMEOUT_SECONDS the process exits anyway, with code 1.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'Stopping: no new requests; finishing those in flight');
    const deadline = setTimeout(() => {
      app.log.error(`Did not stop within ${config.shutdown.timeoutMs / 1000} s: exiting anyway`);
      process.exit(1);
    }, config.shutdown.timeoutMs);
    deadline.unref();
    let code = 0;
    try {
      await app.close();
      await db.close();
      app.log.info('Stopped');
    } catch (err) {
      app.log.error({ err }, 'Stopping failed');
      code = 1;
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
