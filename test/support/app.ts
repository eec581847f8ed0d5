/**
 * The real app on a real test database, driven through fastify.inject with a cookie jar and CSRF handling,
 * so tests read as what a person does in the browser.
 */
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Engine } from '../../src/adapters/database/database.ts';
import type { Database, Role, User } from '../../src/adapters/database/schema.ts';
import { buildApp, type RouteRecord } from '../../src/http/app.ts';
import { createUser } from '../../src/services/identity/users.ts';
import { createPartnership, type PartnershipDetails } from '../../src/services/partnerships/partnerships.ts';
import { addMembership } from '../../src/services/partnerships/members.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { freshDb, type TestDb } from './db.ts';

export const PASSWORD = 'correct horse battery staple';

export interface TestApp {
  app: FastifyInstance & { routeRecords: RouteRecord[] };
  db: TestDb;
  k: Kysely<Database>;
  config: Config;
  close(): Promise<void>;
}

export async function startTestApp(engine: Engine, overrides: Record<string, string> = {}): Promise<TestApp> {
  const db = await freshDb(engine);
  const config = loadConfig({
    SESSION_SECRET: 'test-secret-0123456789',
    BASE_URL: 'http://localhost:3000',
    CRIME_STORE_PATH: ':memory:',
    ...overrides,
  });
  const app = await buildApp({ db, config, oidc: null });
  await app.ready();
  return {
    app,
    db,
    k: db.kysely,
    config,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

let counter = 0;
export async function makeUser(k: Kysely<Database>, opts: { platformAdmin?: boolean; email?: string } = {}): Promise<User> {
  counter += 1;
  return createUser(k, SYSTEM_ACTOR, {
    email: opts.email ?? `user${counter}-${Date.now()}@example.org`,
    name: `Test User ${counter}`,
    password: PASSWORD,
    isPlatformAdmin: opts.platformAdmin,
  });
}

export async function makePartnership(k: Kysely<Database>, name: string): Promise<PartnershipDetails> {
  return createPartnership(k, SYSTEM_ACTOR, null, {
    name,
    areaDescription: `${name} area`,
    populations: [{ year: 2019, population: 100_000 }],
  });
}

export async function memberOf(k: Kysely<Database>, partnershipId: number, role: Role, opts: { email?: string } = {}): Promise<User> {
  const u = await makeUser(k, opts);
  await addMembership(k, SYSTEM_ACTOR, partnershipId, u, role);
  return u;
}

export interface Response {
  status: number;
  body: string;
  headers: Record<string, string | string[] | number | undefined>;
  location?: string;
  json<T = unknown>(): T;
}

/** A browser-like client: keeps cookies, follows nothing automatically, fills in the CSRF token. */
export class Browser {
  cookies = new Map<string, string>();
  private csrf = '';
  constructor(private readonly app: FastifyInstance) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: { headers: Record<string, unknown>; body: string }) {
    const set = res.headers['set-cookie'];
    for (const c of ([] as string[]).concat((set as string | string[] | undefined) ?? [])) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c) || /max-age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m) this.csrf = m[1]!;
  }

  private wrap(res: { statusCode: number; body: string; headers: Record<string, string | string[] | number | undefined> }): Response {
    return {
      status: res.statusCode,
      body: res.body,
      headers: res.headers,
      location: res.headers.location as string | undefined,
      json: <T>() => JSON.parse(res.body) as T,
    };
  }

  async get(url: string): Promise<Response> {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader() } });
    this.remember(res);
    return this.wrap(res);
  }

  /** Submits a form as the browser would, with the CSRF token of the last page seen (fetched from / if none). */
  async post(url: string, form: Record<string, string> = {}, opts: { csrf?: boolean } = {}): Promise<Response> {
    if (opts.csrf !== false && !this.csrf) await this.get('/sign-in');
    const payload = new URLSearchParams({ ...(opts.csrf === false ? {} : { _csrf: this.csrf }), ...form }).toString();
    const res = await this.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    });
    this.remember(res);
    return this.wrap(res);
  }

  /** Submits a multipart form with one file, as a browser does for a file upload. */
  async postFile(
    url: string,
    field: string,
    file: { filename: string; data: Buffer; type?: string },
    form: Record<string, string> = {},
  ): Promise<Response> {
    return (await this.prepareFile(url, field, file, form))();
  }

  /**
   * Builds the upload of postFile and returns the function that sends it, so that a test measuring the server
   * (event loop, memory) can leave the client's work of building a large request outside the measurement.
   */
  async prepareFile(
    url: string,
    field: string,
    file: { filename: string; data: Buffer; type?: string },
    form: Record<string, string> = {},
  ): Promise<() => Promise<Response>> {
    if (!this.csrf) await this.get('/sign-in');
    const boundary = `----csphub${Date.now()}`;
    const parts: Buffer[] = [];
    for (const [name, value] of Object.entries({ _csrf: this.csrf, ...form })) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    }
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${file.filename}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    );
    const payload = Buffer.concat(parts);
    return async () => {
      const res = await this.app.inject({
        method: 'POST',
        url,
        payload,
        headers: { cookie: this.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      this.remember(res);
      return this.wrap(res);
    };
  }

  async signIn(email: string, password = PASSWORD): Promise<Response> {
    await this.get('/sign-in');
    const res = await this.post('/sign-in', { email, password });
    // The CSRF token is bound to the session: load a page to pick up the new one.
    if (res.status === 303) await this.get('/account');
    return res;
  }
}

/**
 * Uploads an official data file as a platform administrator does at /admin/official-data, then follows the import
 * page until the import has finished; the finished page's HTML.
 */
export async function importOfficialFile(
  platform: Browser,
  kind: string,
  file: { filename: string; data: Buffer; type: string },
): Promise<string> {
  const res = await platform.postFile('/admin/official-data', 'file', file, { kind });
  assert.equal(res.status, 303, res.body.slice(0, 300));
  for (let i = 0; i < 200; i++) {
    const page = await platform.get(res.location!);
    if (!page.body.includes('id="import-running"')) return page.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the import did not finish');
}

export async function api(
  app: FastifyInstance,
  token: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
): Promise<Response> {
  const res = await app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: res.statusCode,
    body: res.body,
    headers: res.headers,
    location: res.headers.location,
    json: <T>() => JSON.parse(res.body) as T,
  };
}

/**
 * A Board pack as a finished document job leaves it, written straight to the table: for tests of what later
 * happens to generated documents (backups, retention). With `content`, the file is stored with it.
 */
export async function insertFinishedDocument(
  k: Kysely<Database>,
  partnershipId: number,
  opts: { title?: string; finishedAt?: string; content?: Buffer } = {},
): Promise<number> {
  const at = opts.finishedAt ?? new Date().toISOString();
  const file = opts.content
    ? { file_name: 'board-pack.docx', content_type: 'application/octet-stream', content: opts.content, size_bytes: opts.content.length }
    : {};
  const { id } = await k
    .insertInto('document_jobs')
    .values({
      partnership_id: partnershipId,
      kind: 'board_pack',
      format: 'docx',
      title: opts.title ?? 'Board pack',
      params_json: '{}',
      status: 'done',
      progress: 100,
      stage: 'Finished',
      error: null,
      requested_by_user_id: null,
      requested_by: 'test',
      requested_by_name: 'Test',
      created_at: at,
      heartbeat_at: at,
      finished_at: at,
      ...file,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}
