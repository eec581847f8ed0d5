/**
 * An email job whose instance dies mid-send is sent by another, on each engine: one instance (its own process)
 * claims the job and starts sending it to a real SMTP server in the test process, which holds the message; the test
 * kills that instance (SIGKILL) there. Once its lease runs out another instance's runner takes the job up and the
 * message arrives once, with the job done on its second attempt and one copy in the outbox. And a runner kept busy
 * by a slow SMTP server for longer than its lease renews the leases of the batch it claimed, so a second runner
 * polling all the while takes none of them: each email arrives once.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { startDyingMailer } from '../support/dyingMailer.ts';
import { addJob } from '../../src/adapters/jobs/jobQueue.ts';
import { createMailer } from '../../src/adapters/mail/mailer.ts';
import { CycleRunner } from '../../src/services/cycle/reminders.ts';

// Long enough that the dead instance still holds the job when the other first looks, on a busy machine.
const LEASE_MS = 2000;

/** An SMTP server that holds every message until `release` and keeps those it accepts. */
async function startServer() {
  const state = { hold: true, held: 0, delayMs: 0, mails: [] as ParsedMail[], onHeld: () => undefined as void };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      if (state.hold) {
        state.held += 1;
        stream.resume();
        state.onHeld();
        return; // never answered: the sender waits, as on a slow or stuck mail server
      }
      simpleParser(stream)
        .then((mail) => {
          state.mails.push(mail);
          // A slow server: the message is kept at once but acknowledged only after delayMs.
          setTimeout(callback, state.delayMs);
        })
        .catch(callback);
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return { server, state, url };
}

for (const engine of ENGINES) {
  describe(`an email job whose instance dies on ${engine}`, { timeout: 90_000 }, () => {
    let db: TestDb;
    let smtp: Awaited<ReturnType<typeof startServer>>;
    before(async () => {
      db = await freshDb(engine);
      smtp = await startServer();
    });
    after(async () => {
      smtp.server.close();
      await db.drop();
    });

    it('is sent once by another instance after the one holding it is killed mid-send', async () => {
      await addJob(db.kysely, {
        kind: 'email',
        partnershipId: null,
        dedupeKey: 'killed-mid-send',
        payload: { partnershipId: null, to: 'owner@example.org', subject: 'Overdue action: Patrol plan', text: 'Due last week.' },
      });
      const held = new Promise<void>((resolve) => (smtp.state.onHeld = resolve));
      const dying = startDyingMailer(db.openOptions, smtp.url, LEASE_MS);
      await held;
      const running = await db.kysely.selectFrom('jobs').selectAll().where('dedupe_key', '=', 'killed-mid-send').executeTakeFirstOrThrow();
      assert.equal(running.status, 'running', 'held by the instance that is sending it');
      dying.child.kill('SIGKILL');
      assert.equal(await dying.exited, 'SIGKILL');

      smtp.state.hold = false;
      const other = new CycleRunner(db.kysely, createMailer({ smtpUrl: smtp.url, from: 'hub@example.org', log: () => undefined }), {
        baseUrl: 'http://localhost:3000',
        secret: 's',
        leaseMs: LEASE_MS,
        pollMs: 60_000,
        maxAttempts: 3,
      });
      // Not while the dead instance's lease lasts; then sent.
      assert.equal((await other.tick()).sent, 0);
      await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 100));
      assert.equal((await other.tick()).sent, 1);
      await other.stop();
      assert.equal(smtp.state.mails.length, 1);
      assert.equal(smtp.state.mails[0]!.subject, 'Overdue action: Patrol plan');
      const done = await db.kysely.selectFrom('jobs').selectAll().where('dedupe_key', '=', 'killed-mid-send').executeTakeFirstOrThrow();
      assert.deepEqual([done.status, done.attempts, done.claimed_by === other.holder], ['done', 2, true]);
      const outbox = await db.kysely.selectFrom('emails').select(['subject', 'status']).where('job_id', '=', done.id).execute();
      assert.deepEqual(outbox, [{ subject: 'Overdue action: Patrol plan', status: 'sent' }]);
    });

    it('sends each email of a batch once while a slow SMTP server keeps one runner busy past its lease and another keeps polling', async () => {
      // Four emails at 700 ms each keep the first runner busy for about three leases of 900 ms.
      const lease = 900;
      smtp.state.hold = false;
      smtp.state.delayMs = 700;
      smtp.state.mails.length = 0;
      const subjects = ['Slow 1', 'Slow 2', 'Slow 3', 'Slow 4'];
      for (const subject of subjects)
        await addJob(db.kysely, {
          kind: 'email',
          partnershipId: null,
          dedupeKey: `slow:${subject}`,
          payload: { partnershipId: null, to: 'owner@example.org', subject, text: 'Due soon.' },
        });
      const runner = () =>
        new CycleRunner(db.kysely, createMailer({ smtpUrl: smtp.url, from: 'hub@example.org', log: () => undefined }), {
          baseUrl: 'http://localhost:3000',
          secret: 's',
          leaseMs: lease,
          pollMs: 60_000,
          maxAttempts: 3,
        });
      const [first, second] = [runner(), runner()];
      const busy = first.tick();
      let done = false;
      void busy.finally(() => (done = true));
      let secondSent = 0;
      while (!done) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        secondSent += (await second.tick()).sent;
      }
      const firstSent = (await busy).sent;
      await Promise.all([first.stop(), second.stop()]);
      assert.deepEqual(smtp.state.mails.map((m) => m.subject).sort(), subjects, 'each email arrives once');
      assert.deepEqual([firstSent, secondSent], [4, 0]);
      const jobs = await db.kysely.selectFrom('jobs').selectAll().where('dedupe_key', 'like', 'slow:%').orderBy('id').execute();
      assert.deepEqual(
        jobs.map((j) => [j.status, j.attempts, j.claimed_by === first.holder]),
        subjects.map(() => ['done', 1, true]),
      );
      const outbox = await db.kysely.selectFrom('emails').select('subject').where('subject', 'like', 'Slow %').execute();
      assert.equal(outbox.length, 4);
    });
  });
}
