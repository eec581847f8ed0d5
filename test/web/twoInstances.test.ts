/**
 * Two app processes (src/main.ts) on one PostgreSQL database behind a round-robin proxy (issue 19), checked through
 * the proxy as people and scripts use it: a sign-in made on one instance holds on the other; a figure entered on
 * one shows on the other's dashboard at once (its cache was warm); a document asked for on one is generated and
 * downloaded through the other; a police.uk import started on one writes the shared PostgreSQL crime store (decision
 * 0038), and the other shows its progress, its outcome and the analysis of its records; and stopping one instance (SIGTERM) while requests are in flight, one of them
 * still sending its body, loses no saved data: every write acknowledged is in the database, and the other instance
 * carries on alone.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { STREET_FIXTURES, tempDir } from '../support/policeUk.ts';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { makePartnership, memberOf, PASSWORD } from '../support/app.ts';
import { startAppProcess, type AppProcess } from '../support/appProcess.ts';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/roundRobinProxy.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A browser through the proxy: keeps cookies and the page's CSRF token; `backend` pins a request to one instance. */
class Client {
  private cookies = new Map<string, string>();
  private csrf = '';
  constructor(private readonly base: string) {}

  async request(method: 'GET' | 'POST', path: string, options: { form?: Record<string, string>; backend?: number } = {}) {
    const headers: Record<string, string> = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (options.backend !== undefined) headers['x-test-backend'] = String(options.backend);
    let body: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams({ _csrf: this.csrf, ...options.form }).toString();
    }
    const res = await fetch(this.base + path, { method, headers, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(pair!.slice(0, i));
      else this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    const text = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(text);
    if (m) this.csrf = m[1]!;
    return { status: res.status, body: text, servedBy: Number(res.headers.get('x-served-by')), location: res.headers.get('location') };
  }
}

for (const engine of ENGINES.filter((e) => e === 'postgres')) {
  describe('two instances on one PostgreSQL database behind a round-robin proxy', () => {
    let db: TestDb;
    let a: AppProcess;
    let b: AppProcess;
    let proxy: RoundRobinProxy;
    let partnershipId: number;
    let indicatorId: number;
    let email: string;
    let token: string;
    let police: string;

    const api = (method: string, path: string, body?: unknown, backend?: number) =>
      fetch(proxy.url + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(backend !== undefined ? { 'x-test-backend': String(backend) } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    before(async () => {
      db = await freshDb(engine);
      partnershipId = (await makePartnership(db.kysely, 'Two Instances Partnership')).id;
      indicatorId = (
        await createIndicator(db.kysely, SYSTEM_ACTOR, partnershipId, {
          code: 'T1',
          title: 'Burglary of homes',
          unit: 'count',
          polarity: 'lower_is_better',
          frequency: 'quarterly',
          obaCategory: 'how_much',
        })
      ).id;
      const admin = await memberOf(db.kysely, partnershipId, 'admin');
      email = admin.email;
      token = (await createToken(db.kysely, admin, 'two instances')).token;
      // The police.uk files on instance 0's server (instance 1 has none: it only reads the shared store).
      police = tempDir();
      fs.cpSync(STREET_FIXTURES, path.join(police, 'a', 'police-2024'), { recursive: true });
      fs.mkdirSync(path.join(police, 'b'));
      // Both start at once: the schema is already migrated by freshDb, so this also shows two start-ups agreeing.
      const env = { TRUSTED_PROXIES: '127.0.0.1', SHUTDOWN_JOB_GRACE_SECONDS: '0' };
      [a, b] = await Promise.all([
        startAppProcess(db, { ...env, POLICE_DATA_DIR: path.join(police, 'a') }),
        startAppProcess(db, { ...env, POLICE_DATA_DIR: path.join(police, 'b') }),
      ]);
      proxy = await startRoundRobinProxy([a, b]);
    });
    after(async () => {
      await proxy?.close();
      await Promise.all([a?.stop(), b?.stop()]);
      await db.drop();
      if (police) fs.rmSync(police, { recursive: true, force: true });
    });

    it('keeps a sign-in made on one instance on the other, request after request', async () => {
      const person = new Client(proxy.url);
      await person.request('GET', '/sign-in', { backend: 0 });
      const signIn = await person.request('POST', '/sign-in', { form: { email, password: PASSWORD }, backend: 1 });
      assert.equal(signIn.status, 303, signIn.body.slice(0, 500));
      const served = new Set<number>();
      for (let i = 0; i < 4; i++) {
        const page = await person.request('GET', '/account');
        assert.equal(page.status, 200, `signed in on instance ${page.servedBy}`);
        assert.match(page.body, new RegExp(email.replace(/[.+]/g, '\\$&')));
        served.add(page.servedBy);
      }
      assert.deepEqual([...served].sort(), [0, 1], 'both instances served the signed-in person');
    });

    it('shows a figure entered on one instance on the other’s dashboard at once', async () => {
      const person = new Client(proxy.url);
      await person.request('GET', '/sign-in');
      await person.request('POST', '/sign-in', { form: { email, password: PASSWORD } });
      const url = `/partnerships/${partnershipId}/performance`;
      // Warm instance 1's cache of the dashboard.
      const cold = await person.request('GET', url, { backend: 1 });
      assert.equal(cold.status, 200);
      assert.doesNotMatch(cold.body, />4,321</);
      const saved = await api(
        'POST',
        `/api/v1/partnerships/${partnershipId}/figures`,
        { figures: [{ indicatorId, period: '2019/20 Q1', value: 4321 }] },
        0,
      );
      assert.ok(saved.ok, await saved.text());
      const warm = await person.request('GET', url, { backend: 1 });
      assert.match(warm.body, /4,321/, 'instance 1 shows the figure entered on instance 0');
    });

    it('generates a document asked for on one instance and serves it from the other', async () => {
      const asked = await api(
        'POST',
        `/api/v1/partnerships/${partnershipId}/documents`,
        { kind: 'board_pack', format: 'docx', quarter: '2019/20 Q4' },
        0,
      );
      assert.equal(asked.status, 202);
      const job = (await asked.json()) as { id: number };
      let status = '';
      for (let i = 0; i < 600 && status !== 'done' && status !== 'failed'; i++) {
        const seen = await api('GET', `/api/v1/partnerships/${partnershipId}/documents/${job.id}`, undefined, 1);
        status = ((await seen.json()) as { status: string }).status;
        if (status !== 'done') await sleep(100);
      }
      assert.equal(status, 'done');
      const file = await api('GET', `/api/v1/partnerships/${partnershipId}/documents/${job.id}/file`, undefined, 1);
      assert.equal(file.status, 200);
      const bytes = Buffer.from(await file.arrayBuffer());
      assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'a DOCX (zip) file');
    });

    it('shows a police.uk import started on one instance, its outcome and its records, on the other', async () => {
      const person = new Client(proxy.url);
      await person.request('GET', '/sign-in');
      await person.request('POST', '/sign-in', { form: { email, password: PASSWORD } });
      const base = `/partnerships/${partnershipId}/assessment`;
      await person.request('GET', `${base}/area`, { backend: 1 });
      const area = await person.request('POST', `${base}/area`, { form: { localAuthorities: 'Rotherham', lsoaCodes: '' }, backend: 1 });
      assert.equal(area.status, 303, area.body.slice(0, 500));
      await person.request('GET', `${base}/import`, { backend: 0 });
      const started = await person.request('POST', `${base}/import`, { form: { source: 'police-2024' }, backend: 0 });
      assert.equal(started.status, 303, started.body.slice(0, 500));
      let page = '';
      for (let i = 0; i < 300 && !/Rows accepted/.test(page) && !/There is a problem/.test(page); i++) {
        page = (await person.request('GET', `${base}/import`, { backend: 1 })).body;
        if (!/Rows accepted/.test(page)) await sleep(100);
      }
      const rows = fs
        .readdirSync(STREET_FIXTURES, { recursive: true })
        .filter((f) => String(f).endsWith('.csv'))
        .reduce(
          (n, f) =>
            n +
            fs
              .readFileSync(path.join(STREET_FIXTURES, String(f)), 'utf8')
              .trim()
              .split('\n').length -
            1,
          0,
        );
      assert.match(
        page,
        new RegExp(`Rows accepted\\s*</dt>\\s*<dd[^>]*>\\s*${rows}\\s*<`),
        'instance 1 shows the import of instance 0, finished',
      );
      assert.match(page, /Import of police-2024/);
      const [{ n }] = (await db.kysely
        .selectFrom('street_records' as never)
        .select((e) => e.fn.countAll<number>().as('n'))
        .execute()) as [{ n: number }];
      assert.equal(Number(n), rows, 'the records are in the shared PostgreSQL store');
      // Instance 1 analyses the records instance 0 imported (it has no police.uk files or store of its own).
      const analysis = await api('GET', `/api/v1/partnerships/${partnershipId}/assessment?end=2024-03`, undefined, 1);
      assert.equal(analysis.status, 200, await analysis.clone().text());
      const body = (await analysis.json()) as { lsoaCount: number; totals: { current: number | null }[] };
      assert.ok(body.lsoaCount > 0);
      assert.ok(
        body.totals.some((t) => (t.current ?? 0) > 0),
        'instance 1 counts the records imported on instance 0',
      );
    });

    it('loses no saved data when one instance is stopped mid-request', async () => {
      // A write to instance 0 still sending its body when the signal comes.
      const body = JSON.stringify({ figures: [{ indicatorId, period: '2019/20 Q2', value: 777 }] });
      const u = new URL(proxy.url);
      const slow = http.request({
        host: u.hostname,
        port: u.port,
        path: `/api/v1/partnerships/${partnershipId}/figures`,
        method: 'POST',
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-test-backend': '0',
        },
      });
      const slowAnswer = new Promise<number>((resolve, reject) => {
        slow.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        slow.on('error', reject);
      });
      const begun = () => a.output().split(`"url":"/api/v1/partnerships/${partnershipId}/figures"`).length;
      const before = begun();
      slow.write(body.slice(0, 10));
      // Instance 0 has begun the request (logged it) and waits for the rest of its body.
      for (let i = 0; i < 400 && begun() === before; i++) await sleep(25);
      assert.ok(begun() > before, 'instance 0 began the request');

      // Meanwhile a stream of writes through the round robin; some land on the stopping instance.
      const acknowledged: string[] = [];
      const writes = Array.from({ length: 12 }, async (_x, i) => {
        await sleep(i * 40);
        const period = `${2010 + i}/${String(11 + i).slice(-2)} Q3`;
        for (let attempt = 0; attempt < 5; attempt++) {
          const res = await api('POST', `/api/v1/partnerships/${partnershipId}/figures`, {
            figures: [{ indicatorId, period, value: 100 + i }],
          });
          await res.arrayBuffer();
          if (res.ok) {
            acknowledged.push(period);
            return;
          }
          // Refused as unavailable (503) by the stopping instance; or, on a busy machine, a connection the kernel had
          // queued for it just as it stopped listening is reset before the app read it, which the proxy answers 502.
          // Either way nothing was written, and the client retries (a figure for the same period is replaced, not added).
          assert.ok([502, 503].includes(res.status), `a refused write is refused as unavailable, to be retried (got ${res.status})`);
          await sleep(100);
        }
      });
      a.child.kill('SIGTERM');
      await sleep(300);
      slow.end(body.slice(10));
      const slowStatus = await slowAnswer;
      assert.ok(slowStatus >= 200 && slowStatus < 300, `the write in flight on the stopping instance was answered ${slowStatus}`);
      await Promise.all(writes);
      assert.equal(await a.exited, 0, a.output().slice(-2000));
      assert.equal(acknowledged.length, 12, 'every write succeeded, on the instance left if not the first time');

      const stored = await db.kysely
        .selectFrom('figures')
        .select(['period', 'value'])
        .where('indicator_id', '=', indicatorId)
        .where('superseded_at', 'is', null)
        .execute();
      const periods = new Set(stored.map((f) => f.period.replace('-', '/'))); // stored as 2019-20 Q1
      for (const period of [...acknowledged, '2019/20 Q1', '2019/20 Q2'])
        assert.ok(periods.has(period), `${period} saved: ${JSON.stringify(stored)}`);
      assert.equal(stored.find((f) => f.period === '2019-20 Q2')?.value, 777);
      // The instance left serves on, through the proxy.
      const after = await api('GET', `/api/v1/partnerships/${partnershipId}/indicators/${indicatorId}/figures`);
      assert.equal(after.status, 200);
    });
  });
}
