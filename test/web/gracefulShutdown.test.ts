/**
 * Graceful shutdown of the real process (src/main.ts) on each engine: SIGTERM arrives while a request is still
 * being received; the app stops accepting connections, finishes that request (its figure is saved and answered),
 * hands the document jobs it was generating back to the queue (not left "running" under its name), closes its
 * pools and exits with code 0. Readiness and liveness answer while it runs.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { makePartnership, memberOf } from '../support/app.ts';
import { startAppProcess } from '../support/appProcess.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens a request and sends only the first part of its body; `finish` sends the rest and resolves with the answer. */
function halfSentRequest(
  url: string,
  path: string,
  token: string,
  body: string,
): { finish(): Promise<{ status: number; body: string }>; sent: Promise<void> } {
  const u = new URL(url);
  const req = http.request({
    host: u.hostname,
    port: u.port,
    path,
    method: 'POST',
    agent: false,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
  });
  const half = Math.floor(body.length / 2);
  const sent = new Promise<void>((resolve) => req.write(body.slice(0, half), () => resolve()));
  return {
    sent,
    finish: async () => {
      req.end(body.slice(half));
      return answer;
    },
  };
}

function connects(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const req = http.get({ host: u.hostname, port: u.port, path: '/health/live', agent: false }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
  });
}

for (const engine of ENGINES) {
  describe(`graceful shutdown of the app process on ${engine}`, () => {
    let db: TestDb;
    let partnershipId: number;
    let indicatorId: number;
    let token: string;

    before(async () => {
      db = await freshDb(engine);
      partnershipId = (await makePartnership(db.kysely, `Shutdown ${engine}`)).id;
      indicatorId = (
        await createIndicator(db.kysely, SYSTEM_ACTOR, partnershipId, {
          code: 'S1',
          title: 'Anti-social behaviour incidents',
          unit: 'count',
          polarity: 'lower_is_better',
          frequency: 'quarterly',
          obaCategory: 'how_much',
        })
      ).id;
      token = (await createToken(db.kysely, await memberOf(db.kysely, partnershipId, 'admin'), 'shutdown')).token;
    });
    after(() => db.drop());

    it('finishes the request in flight, hands running document jobs back and exits 0 on SIGTERM', async () => {
      const app = await startAppProcess(db, { SHUTDOWN_JOB_GRACE_SECONDS: '0', CHROMIUM_PATH: '/usr/bin/chromium' });
      try {
        assert.equal((await fetch(`${app.url}/health/live`)).status, 200);
        assert.equal((await fetch(`${app.url}/health/ready`)).status, 200);
        // PDF documents take Chromium a few seconds: some are being generated when the signal comes.
        for (let i = 0; i < 4; i++) {
          const res = await fetch(`${app.url}/api/v1/partnerships/${partnershipId}/documents`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ kind: 'board_pack', format: 'pdf', quarter: '2019/20 Q4' }),
          });
          assert.equal(res.status, 202);
        }
        for (let i = 0; i < 400; i++) {
          const running = await db.kysely.selectFrom('document_jobs').select('id').where('status', '=', 'running').execute();
          if (running.length) break;
          await sleep(25);
        }

        const body = JSON.stringify({ figures: [{ indicatorId, period: '2019/20 Q1', value: 321 }] });
        const request = halfSentRequest(app.url, `/api/v1/partnerships/${partnershipId}/figures`, token, body);
        await request.sent;
        // The server has begun the request (it has its headers and is reading the body) when the signal comes.
        for (let i = 0; i < 400 && !app.output().includes(`"url":"/api/v1/partnerships/${partnershipId}/figures"`); i++) await sleep(25);
        assert.match(app.output(), /"msg":"incoming request"/);
        app.child.kill('SIGTERM');
        // The listener closes as the signal is handled; a loaded machine may take a moment to get there.
        let accepting = true;
        for (let i = 0; i < 50 && accepting; i++) {
          await sleep(100);
          accepting = await connects(app.url);
        }
        assert.equal(accepting, false, 'no new connections once stopping');
        assert.equal(app.child.exitCode, null, 'still running: a request is in flight');
        const answer = await request.finish();
        assert.ok(answer.status >= 200 && answer.status < 300, `the request in flight is answered: ${answer.status} ${answer.body}`);
        assert.equal(await app.exited, 0, app.output());
      } finally {
        await app.stop();
      }

      const figure = await db.kysely
        .selectFrom('figures')
        .select(['value'])
        .where('indicator_id', '=', indicatorId)
        .where('superseded_at', 'is', null)
        .executeTakeFirst();
      assert.equal(figure?.value, 321, 'the figure of the request in flight was saved');
      const jobs = await db.kysely.selectFrom('document_jobs').select(['id', 'status', 'claimed_by', 'stage', 'attempts']).execute();
      assert.equal(jobs.filter((j) => j.status === 'running').length, 0, `no job left running: ${JSON.stringify(jobs)}`);
      assert.ok(
        jobs.some((j) => j.status === 'queued' && j.stage === 'Waiting to start again' && j.attempts === 0),
        `a job being generated was handed back without counting the attempt: ${JSON.stringify(jobs)}`,
      );
      assert.ok(jobs.every((j) => j.claimed_by === null));
      const lines = app.output();
      assert.match(lines, /"msg":"Stopping: no new requests; finishing those in flight"/);
      assert.match(lines, /"msg":"Stopped"/);
    });
  });
}
