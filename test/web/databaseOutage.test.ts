/**
 * A PostgreSQL outage, as an operator would see it: the app runs as `npm start` runs it (its own process) on a
 * PostgreSQL cluster of the test's own, which the test stops (`pg_ctl stop -m fast`) while requests are in flight
 * and starts again. While the database is away the process stays up, pages answer with the 503 "service
 * unavailable" page, the API with 503 JSON and /health with 503, each at once rather than hanging; when the
 * database is back the same session's pages are served again, with no restart. SQLite is embedded in the process,
 * so it has no outage of this kind.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/adapters/database/database.ts';
import { migrateToLatest } from '../../src/adapters/database/migrate.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { createSession } from '../../src/services/identity/sessions.ts';
import { requestDocument } from '../../src/services/documents/documentJobs.ts';
import { makePartnership, memberOf } from '../support/app.ts';
import { startRealApp, type RunningApp } from '../support/browser.ts';
import { pgBin, startThrowawayPg, type ThrowawayPg } from '../support/throwawayPg.ts';

const available = pgBin() !== null;

describe('a PostgreSQL outage', { skip: available ? false : 'PostgreSQL server binaries are not installed' }, () => {
  let pg: ThrowawayPg;
  let server: RunningApp;
  let cookie: string;
  let token: string;
  let partnershipId: number;

  before(async () => {
    pg = await startThrowawayPg();
    const db = openDatabase({ databaseUrl: pg.url, dataDir: '' });
    await migrateToLatest(db);
    const p = await makePartnership(db.kysely, 'Outage Partnership');
    partnershipId = p.id;
    const admin = await memberOf(db.kysely, p.id, 'admin');
    cookie = `csphub_session=${await createSession(db.kysely, admin.id, 1, p.id)}`;
    token = (await createToken(db.kysely, admin, 'outage')).token;
    // A document asked for just before the outage: the background runner works on it while the database goes away.
    await requestDocument(db.kysely, { userId: admin.id, label: admin.email, name: admin.name }, p.id, {
      kind: 'board_pack',
      format: 'docx',
      quarter: '2019/20 Q4',
    });
    await db.close();
    // The app as `npm start` runs it, on the throwaway cluster (the engine argument only matters when no URL is given).
    server = await startRealApp('sqlite', { DATABASE_URL: pg.url, SEED_DEMO: 'false', DOCUMENT_POLL_SECONDS: '0.2', LOG_LEVEL: 'fatal' });
  });

  after(async () => {
    await server?.stop();
    pg?.destroy();
  });

  const page = () => fetch(`${server.url}/partnerships/${partnershipId}`, { headers: { cookie }, redirect: 'manual' });
  const apiCall = () =>
    fetch(`${server.url}/api/v1/partnerships/${partnershipId}/organisations`, { headers: { authorization: `Bearer ${token}` } });
  const health = () => fetch(`${server.url}/health`);
  const alive = () => !/CSP Hub exited|Emitted 'error' event|Unhandled|uncaught/i.test(server.output());

  it('answers 503 while the database is away, stays up, and serves again by itself when it is back', async () => {
    assert.equal((await page()).status, 200, 'the partnership page before the outage');
    assert.equal((await health()).status, 200);

    // Requests in flight while the cluster stops: each is answered (served, or 503), none hangs or kills the process.
    const inFlight = Array.from({ length: 12 }, (_x, i) =>
      (i % 2 ? page() : apiCall()).then(
        (r) => r.status,
        (e: unknown) => `failed: ${String(e)}`,
      ),
    );
    await pg.stop();
    const statuses = await Promise.all(inFlight);
    assert.deepEqual(
      statuses.filter((s) => s !== 200 && s !== 503),
      [],
      'each request in flight was served or answered 503',
    );

    // Give idle connections' errors and the document runner's polling time to surface.
    await new Promise((r) => setTimeout(r, 2500));
    for (let round = 0; round < 2; round++) {
      const started = Date.now();
      const down = await page();
      assert.equal(down.status, 503);
      assert.equal(down.headers.get('retry-after'), '30');
      const html = await down.text();
      assert.match(html, /<h1 class="govuk-heading-l">Sorry, the service is unavailable<\/h1>/);
      assert.match(html, /<title>Sorry, the service is unavailable – CSP Hub<\/title>/);
      const downApi = await apiCall();
      assert.equal(downApi.status, 503);
      assert.deepEqual(Object.keys((await downApi.json()) as object).sort(), ['error', 'message']);
      const downHealth = await health();
      assert.equal(downHealth.status, 503);
      // Liveness is the process's, whatever cookie the caller sends: a browser signed in must not see it fail.
      const live = await fetch(`${server.url}/health/live`, { headers: { cookie } });
      assert.equal(live.status, 200, 'liveness with a session cookie while the database is away');
      assert.equal(((await downHealth.json()) as { database: { reachable: boolean } }).database.reachable, false);
      assert.ok(Date.now() - started < 5000, `answered at once while the database is away (${Date.now() - started} ms)`);
    }
    assert.ok(alive(), `the process is still running:\n${server.output()}`);

    await pg.start();
    let back = 0;
    for (let i = 0; i < 50 && back !== 200; i++) {
      back = (await page()).status;
      if (back !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(back, 200, 'the same session is served again once the database is back');
    assert.equal((await apiCall()).status, 200);
    assert.equal((await health()).status, 200);

    // The background document runner, which kept looking for work through the outage, still generates documents.
    const asked = await fetch(`${server.url}/api/v1/partnerships/${partnershipId}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'board_pack', format: 'docx', quarter: '2019/20 Q3' }),
    });
    assert.equal(asked.status, 202);
    const self = asked.headers.get('location')!;
    let status = '';
    for (let i = 0; i < 100 && status !== 'done' && status !== 'failed'; i++) {
      status = (
        (await (await fetch(`${server.url}${self}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { status: string }
      ).status;
      if (status !== 'done') await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 'done');
    assert.ok(alive(), `the process is still running:\n${server.output()}`);
  });
});
