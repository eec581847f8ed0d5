/**
 * The only place that reads environment variables. Every setting has a development default;
 * settings marked required must be set when NODE_ENV=production.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import path from 'node:path';
import { passwordProblem } from './services/identity/passwords.ts';
import type { OidcConfig } from './adapters/oidc/oidcClient.ts';
import { DEMO_ADMIN_NAME } from './demo/seed.ts';

export type { OidcConfig };

export interface Config {
  port: number;
  host: string;
  production: boolean;
  /** postgres://... to use PostgreSQL; empty for the embedded SQLite file. */
  databaseUrl: string;
  /** PostgreSQL connections of this instance, and how long getting one or running one statement may take. */
  dbPool: { size: number; connectTimeoutMs: number; statementTimeoutMs: number };
  /** Generated documents: how long a claim on a job lasts without a heartbeat, how often idle instances look for work, how many tries a job gets. */
  documentJobs: { leaseMs: number; pollMs: number; maxAttempts: number };
  /** Email (decision 0023): SMTP server as smtp://user:pass@host:587 (empty: emails go to the log and the outbox), and the sender. */
  mail: { smtpUrl: string; from: string };
  /** Whether this instance schedules and sends reminders every few seconds (RUN_REMINDERS; off by default under NODE_ENV=test, whose tests run rounds themselves). */
  runReminders: boolean;
  dataDir: string;
  /** The analytical store of police.uk records (DuckDB file), or ':memory:'. */
  crimeStorePath: string;
  /**
   * Where the police.uk records live (decision 0038): 'postgres', tables in the app's PostgreSQL database shared by
   * every instance (the default when DATABASE_URL is PostgreSQL), or 'duckdb', the file at crimeStorePath (the
   * default on SQLite; CRIME_STORE=duckdb keeps it on PostgreSQL too, for a single instance).
   */
  crimeStore: 'postgres' | 'duckdb';
  /** Folder on the server whose police.uk files and zip archives can be imported from the assessment pages. */
  policeDataDir: string;
  sessionSecret: string;
  sessionTtlHours: number;
  /** Public base URL used in invitation links, e.g. https://csphub.example.org */
  baseUrl: string;
  secureCookies: boolean;
  seedDemo: boolean;
  demoAdminEmail: string;
  demoAdminPassword: string;
  oidc: OidcConfig | null;
  logLevel: string;
  /** Debian's Chromium, which prints PDF documents (plans, reports). */
  chromiumPath: string;
  /**
   * Reverse proxies whose X-Forwarded-For is believed (addresses, CIDR ranges, or proxy-addr's names loopback,
   * linklocal, uniquelocal); empty: the client is whoever opened the connection.
   */
  trustedProxies: string[];
  /** Longest time to receive a whole request, body included (Node's requestTimeout); then 408 and closed. */
  requestTimeoutSeconds: number;
  /** A connection with nothing sent either way for this long is closed (socket timeout). */
  connectionTimeoutSeconds: number;
  /** How long a kept-alive connection waits for its next request. */
  keepAliveTimeoutSeconds: number;
  /** A request body arriving slower than this, over each window, is refused with 408 (0: no check). */
  uploadMinBytesPerSecond: number;
  /** The window of the body-rate check (fixed; shorter in tests). */
  uploadRateWindowMs: number;
  /** Bearer token Prometheus sends to read /metrics; empty: the endpoint is off (404). */
  metricsToken: string;
  /**
   * On SIGTERM: how long requests in flight and document jobs may take to finish before the process exits anyway,
   * and how long running document jobs get before being handed back to the queue for another instance.
   */
  shutdown: { timeoutMs: number; jobGraceMs: number };
  /** Retention: finished or failed generated documents are deleted this many days after they finished (0: kept for ever). */
  documentRetentionDays: number;
  /** Uploaded papers of meetings held more than this many years ago are deleted (0: kept for ever). */
  meetingPaperRetentionYears: number;
  /**
   * The largest partnership JSON file an import accepts, in bytes (IMPORT_LIMIT_MB, default 50, at most 500: one
   * file is read whole, and the import needs several times its size in memory; ADR 0052).
   */
  importLimitBytes: number;
  /** Retention: police.uk uploads and unpacked archives not imported are deleted after this many hours. */
  uploadRetentionHours: number;
  /**
   * Retention of police.uk records: only the newest this many months held are kept, older months being dropped by
   * a daily job (decision 0053); 0 keeps every month.
   */
  crimeRetentionMonths: number;
  /** How often the retention clean-up runs in each instance. */
  cleanupIntervalMs: number;
}

type Env = Record<string, string | undefined>;

/** A positive number from the environment, or the default; anything else stops the app at start-up. */
function positive(env: Env, name: string, fallback: number, options: { integer?: boolean } = {}): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || (options.integer && !Number.isInteger(n)))
    throw new Error(`${name} must be a positive ${options.integer ? 'whole number' : 'number'}, got "${raw}"`);
  return n;
}

function required(env: Env, name: string, production: boolean, fallback: string): string {
  const value = env[name];
  if (value !== undefined && value !== '') return value;
  if (production) throw new Error(`${name} must be set when NODE_ENV=production`);
  return fallback;
}

/** The demo platform administrator's name (src/demo/seed.ts); their password must not contain it. */

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUSTED_PROXIES: comma-separated addresses, CIDR ranges (10.0.0.0/8, fd00::/8) or proxy-addr's names. */
function trustedProxies(value: string | undefined): string[] {
  const entries = (value ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (PROXY_NAMES.has(entry)) continue;
    const [address, prefix, ...rest] = entry.split('/');
    const version = isIP(address ?? '');
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 6 ? 128 : 32));
    if (!version || !prefixOk || rest.length) {
      throw new Error(
        `TRUSTED_PROXIES must list IP addresses or CIDR ranges separated by commas (or loopback, linklocal, uniquelocal), got "${entry}"`,
      );
    }
  }
  return entries;
}

/** A number setting: at least `min` (seconds or bytes per second), decimals allowed. */
function numberSetting(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || !Number.isFinite(value) || value < min) {
    throw new Error(`${name} must be a number${min > 0 ? ` greater than 0` : ' (0 or more)'}, got "${raw}"`);
  }
  return value;
}

/** IMPORT_LIMIT_MB: megabytes, above 0 and at most 500 (Node cannot hold a longer text than about 512 MB to parse). */
function importLimitBytes(env: Env): number {
  const mb = positive(env, 'IMPORT_LIMIT_MB', 50);
  if (mb > 500) throw new Error(`IMPORT_LIMIT_MB must be at most 500, got "${env.IMPORT_LIMIT_MB}"`);
  return Math.round(mb * 1024 * 1024);
}

/**
 * CRIME_RETENTION_MONTHS: 0 (keep every month) or a whole number of months, at least 24: the analysis compares
 * 12 months with the 12 before, so fewer would take its comparison away.
 */
function crimeRetentionMonths(value: string | undefined): number {
  const raw = (value ?? '').trim();
  if (raw === '') return 0;
  const months = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(months === 0 || months >= 24))
    throw new Error(
      `CRIME_RETENTION_MONTHS must be 0 (keep every month) or a whole number of months of at least 24 (the analysis compares 12 months with the 12 before), got "${value}"`,
    );
  return months;
}

/** METRICS_TOKEN: empty (metrics off) or at least 16 characters without spaces, as a bearer token must be. */
function metricsToken(value: string | undefined): string {
  const token = (value ?? '').trim();
  if (token && !/^[A-Za-z0-9._~+/=-]{16,200}$/.test(token))
    throw new Error('METRICS_TOKEN must be 16 to 200 letters, digits or . _ ~ + / = - (no spaces), or empty to turn /metrics off');
  return token;
}

/** SMTP_URL: empty, or an smtp:// or smtps:// address. */
function smtpUrl(value: string | undefined): string {
  const v = (value ?? '').trim();
  if (v === '') return '';
  let ok: boolean;
  try {
    ok = ['smtp:', 'smtps:'].includes(new URL(v).protocol);
  } catch {
    ok = false;
  }
  if (!ok) throw new Error('SMTP_URL must be an smtp:// or smtps:// address, like smtp://user:pass@host:587');
  return v;
}

/** The demo administrator's password meets the same rules as any other (checked only when the demo is seeded). */
function demoAdminPassword(env: Env, seedDemo: boolean): string {
  const password = env.DEMO_ADMIN_PASSWORD ?? 'demo-password-2026';
  const problem = seedDemo
    ? passwordProblem(password, { email: env.DEMO_ADMIN_EMAIL ?? 'admin@csphub.test', name: DEMO_ADMIN_NAME })
    : null;
  if (problem) throw new Error(`DEMO_ADMIN_PASSWORD: ${problem}`);
  return password;
}

/** CRIME_STORE: 'postgres' needs a PostgreSQL DATABASE_URL; unset means PostgreSQL's own tables when there is one. */
function crimeStoreKind(env: Env): 'postgres' | 'duckdb' {
  const postgres = /^postgres(ql)?:\/\//.test(env.DATABASE_URL ?? '');
  const chosen = env.CRIME_STORE;
  if (chosen === undefined || chosen === '') return postgres ? 'postgres' : 'duckdb';
  if (chosen !== 'postgres' && chosen !== 'duckdb') throw new Error(`CRIME_STORE must be postgres or duckdb, got "${chosen}"`);
  if (chosen === 'postgres' && !postgres) throw new Error('CRIME_STORE=postgres needs DATABASE_URL to be a PostgreSQL database');
  return chosen;
}

export function loadConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const oidcIssuer = env.OIDC_ISSUER ?? '';
  const baseUrl = (env.BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  const seedDemo = (env.SEED_DEMO ?? 'true') !== 'false';
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    production,
    databaseUrl: env.DATABASE_URL ?? '',
    dbPool: {
      size: positive(env, 'DB_POOL_SIZE', 10, { integer: true }),
      connectTimeoutMs: positive(env, 'DB_CONNECT_TIMEOUT_MS', 5_000, { integer: true }),
      statementTimeoutMs: positive(env, 'DB_STATEMENT_TIMEOUT_MS', 30_000, { integer: true }),
    },
    documentJobs: {
      leaseMs: positive(env, 'DOCUMENT_LEASE_SECONDS', 15) * 1000,
      pollMs: positive(env, 'DOCUMENT_POLL_SECONDS', 5) * 1000,
      maxAttempts: positive(env, 'DOCUMENT_MAX_ATTEMPTS', 3, { integer: true }),
    },
    mail: { smtpUrl: smtpUrl(env.SMTP_URL), from: env.MAIL_FROM ?? 'CSP Hub <no-reply@csphub.invalid>' },
    runReminders: env.RUN_REMINDERS ? env.RUN_REMINDERS === 'true' : env.NODE_ENV !== 'test',
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    crimeStorePath:
      env.CRIME_STORE_PATH === ':memory:'
        ? ':memory:'
        : path.resolve(env.CRIME_STORE_PATH ?? path.join(env.DATA_DIR ?? 'data', 'crime.duckdb')),
    crimeStore: crimeStoreKind(env),
    policeDataDir: path.resolve(env.POLICE_DATA_DIR ?? path.join(env.DATA_DIR ?? 'data', 'police-uk')),
    sessionSecret: required(env, 'SESSION_SECRET', production, randomBytes(32).toString('hex')),
    sessionTtlHours: Number(env.SESSION_TTL_HOURS ?? 12),
    baseUrl,
    secureCookies: env.SECURE_COOKIES ? env.SECURE_COOKIES === 'true' : baseUrl.startsWith('https://'),
    seedDemo,
    demoAdminEmail: env.DEMO_ADMIN_EMAIL ?? 'admin@csphub.test',
    demoAdminPassword: demoAdminPassword(env, seedDemo),
    oidc: oidcIssuer
      ? {
          issuer: oidcIssuer,
          clientId: required(env, 'OIDC_CLIENT_ID', true, ''),
          clientSecret: env.OIDC_CLIENT_SECRET ?? '',
          redirectUri: env.OIDC_REDIRECT_URI ?? `${baseUrl}/auth/oidc/callback`,
          label: env.OIDC_LABEL ?? 'Sign in with your organisation account',
        }
      : null,
    logLevel: env.LOG_LEVEL ?? 'info',
    chromiumPath: env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    trustedProxies: trustedProxies(env.TRUSTED_PROXIES),
    requestTimeoutSeconds: numberSetting(env, 'REQUEST_TIMEOUT_SECONDS', 3600, 0.001),
    connectionTimeoutSeconds: numberSetting(env, 'CONNECTION_TIMEOUT_SECONDS', 120, 0.001),
    keepAliveTimeoutSeconds: numberSetting(env, 'KEEP_ALIVE_TIMEOUT_SECONDS', 72, 0.001),
    uploadMinBytesPerSecond: numberSetting(env, 'UPLOAD_MIN_BYTES_PER_SECOND', 1024, 0),
    uploadRateWindowMs: 10_000,
    metricsToken: metricsToken(env.METRICS_TOKEN),
    shutdown: {
      timeoutMs: numberSetting(env, 'SHUTDOWN_TIMEOUT_SECONDS', 30, 0.001) * 1000,
      jobGraceMs: numberSetting(env, 'SHUTDOWN_JOB_GRACE_SECONDS', 10, 0) * 1000,
    },
    documentRetentionDays: numberSetting(env, 'DOCUMENT_RETENTION_DAYS', 90, 0),
    meetingPaperRetentionYears: numberSetting(env, 'MEETING_PAPER_RETENTION_YEARS', 0, 0),
    importLimitBytes: importLimitBytes(env),
    uploadRetentionHours: numberSetting(env, 'UPLOAD_RETENTION_HOURS', 24, 0.001),
    crimeRetentionMonths: crimeRetentionMonths(env.CRIME_RETENTION_MONTHS),
    cleanupIntervalMs: positive(env, 'CLEANUP_INTERVAL_MINUTES', 60) * 60_000,
  };
}
