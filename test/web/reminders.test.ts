/**
 * Reminders and chasers as durable email jobs, on each engine, with a real SMTP server in the test process
 * (smtp-server) whose messages are parsed with mailparser: an owner receives the chaser for an overdue figure,
 * follows its link, enters the figure, and the overdue flag and the completeness score change; two app instances on
 * one database running their rounds at once send each reminder exactly once; a refused send is retried, then failed
 * with its reason; the administrators' outbox lists jobs and emails.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { ENGINES } from '../support/db.ts';
import { api, Browser, makePartnership, makeUser, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { createIndicator } from '../../src/services/performance/indicators.ts';
import { setIndicatorCollection } from '../../src/services/cycle/owners.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { openDatabase } from '../../src/adapters/database/database.ts';
import { buildApp } from '../../src/http/app.ts';
import { todayIso } from '../../src/adapters/clock.ts';
import { addDays } from '../../src/domain/workingDays.ts';
import { expectedPeriods, periodContaining } from '../../src/domain/collection.ts';
import { CycleRunner, weekStart } from '../../src/services/cycle/reminders.ts';
import { createMailer } from '../../src/adapters/mail/mailer.ts';
import { createRecommendation } from '../../src/services/meetings/scrutiny.ts';
import { raiseScrutinyAction } from '../../src/services/meetings/actions.ts';
import { addAgendaItem, addPaper, createMeeting } from '../../src/services/meetings/meetings.ts';
import { loadMeetingPack, meetingPackDocument } from '../../src/presentation/documents/meetingPack.ts';
import { toDocx } from '../../src/presentation/documents/docx.ts';
import { docxParagraphs } from '../support/documents.ts';
import { createPlan } from '../../src/services/plans/plans.ts';
import { createPart } from '../../src/services/plans/planParts.ts';

interface Inbox {
  server: SMTPServer;
  port: number;
  mails: ParsedMail[];
  refuse: boolean;
}

async function startInbox(): Promise<Inbox> {
  const inbox: Inbox = { server: undefined as unknown as SMTPServer, port: 0, mails: [], refuse: false };
  inbox.server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      if (inbox.refuse) {
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 })));
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          inbox.mails.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => inbox.server.listen(0, '127.0.0.1', resolve));
  inbox.port = (inbox.server.server.address() as AddressInfo).port;
  return inbox;
}

for (const engine of ENGINES) {
  describe(`reminders by email on ${engine}`, { timeout: 120_000 }, () => {
    let inbox: Inbox;
    let t: TestApp;
    let pid: number;
    let base: string;
    let indicatorId: number;
    let owner: { id: number; email: string; name: string };
    let ownerBrowser: Browser;
    let token: string;
    /** The meeting whose paper deadline is tomorrow (the paper reminder test). */
    let soonMeetingId = 0;
    /** The meeting whose paper deadline was yesterday (the paper chaser test). */
    let lateMeetingId = 0;
    const today = todayIso();
    // Collected from two months back: at least one month overdue whatever the date.
    const collectFrom = periodContaining(addDays(today, -75), 'monthly');

    before(async () => {
      inbox = await startInbox();
      t = await startTestApp(engine, { SMTP_URL: `smtp://127.0.0.1:${inbox.port}`, MAIL_FROM: 'CSP Hub <hub@example.org>' });
      const p = await makePartnership(t.k, 'Safer Remindshire');
      pid = p.id;
      base = `/partnerships/${pid}`;
      owner = await memberOf(t.k, pid, 'contributor');
      indicatorId = (
        await createIndicator(t.k, SYSTEM_ACTOR, pid, {
          code: 'ASB1',
          title: 'ASB incidents',
          unit: 'count',
          polarity: 'lower_is_better',
          frequency: 'monthly',
          obaCategory: 'better_off',
        })
      ).id;
      await setIndicatorCollection(t.k, SYSTEM_ACTOR, pid, indicatorId, { ownerUserId: owner.id, collectFrom });
      ownerBrowser = new Browser(t.app);
      await ownerBrowser.signIn(owner.email);
      token = (await createToken(t.k, owner as never, 'reminders')).token;
    });
    after(async () => {
      await t.close();
      await new Promise<void>((resolve) => inbox.server.close(() => resolve()));
    });

    it('chases the owner, whose link leads to the form; entering the figure clears the overdue flag and moves the score', async () => {
      const round = await t.app.cycleRunner.tick();
      assert.ok(round.sent >= 1, `sent ${round.sent}`);
      const chaser = inbox.mails.find((m) => m.subject?.startsWith('Overdue: ASB1 ASB incidents'));
      assert.ok(chaser, `a chaser among ${inbox.mails.map((m) => m.subject).join(' | ')}`);
      assert.equal(chaser.to && !Array.isArray(chaser.to) ? chaser.to.text : '', owner.email);
      assert.equal(chaser.from?.text, '"CSP Hub" <hub@example.org>');
      const link = /http:\/\/localhost:3000(\/partnerships\/\d+\/my-figures)/.exec(chaser.text ?? '')?.[1];
      assert.equal(link, `${base}/my-figures`);
      // A second round sends nothing again.
      assert.equal((await t.app.cycleRunner.tick()).sent, 0);

      const period = expectedPeriods(collectFrom, today)[0]!;
      const before = (await api(t.app, token, 'GET', `/api/v1${base}/indicators/${indicatorId}/collection`)).json<{
        expected: { period: string; status: string }[];
      }>();
      assert.equal(before.expected.find((f) => f.period === period)!.status, 'overdue');
      const scoreBefore = (await api(t.app, token, 'GET', `/api/v1${base}/completeness`)).json<{ partnership: { late: number } }>();

      const page = await ownerBrowser.get(link);
      assert.equal(page.status, 200);
      const field = `value-${indicatorId}-${period}`;
      assert.match(page.body, new RegExp(`name="${field}"`));
      assert.equal((await ownerBrowser.post(link, { [field]: '42' })).status, 303);

      const afterwards = (await api(t.app, token, 'GET', `/api/v1${base}/indicators/${indicatorId}/collection`)).json<{
        expected: { period: string; status: string; onTime: boolean }[];
      }>();
      assert.deepEqual((({ status, onTime }) => ({ status, onTime }))(afterwards.expected.find((f) => f.period === period)!), {
        status: 'received',
        onTime: false,
      });
      const scoreAfter = (await api(t.app, token, 'GET', `/api/v1${base}/completeness`)).json<{ partnership: { late: number } }>();
      assert.equal(scoreAfter.partnership.late, scoreBefore.partnership.late + 1);
    });

    it('sends a reminder due once exactly once when two instances run their rounds at once', async () => {
      const second = await createIndicator(t.k, SYSTEM_ACTOR, pid, {
        code: 'BUR1',
        title: 'Burglary',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'monthly',
        obaCategory: 'better_off',
      });
      await setIndicatorCollection(t.k, SYSTEM_ACTOR, pid, second.id, { ownerUserId: owner.id, collectFrom });
      const otherDb = openDatabase(t.db.openOptions);
      const otherApp = await buildApp({ db: otherDb, config: t.config, oidc: null });
      await otherApp.ready();
      try {
        const before = inbox.mails.length;
        await Promise.all([t.app.cycleRunner.tick(), otherApp.cycleRunner.tick(), t.app.cycleRunner.tick(), otherApp.cycleRunner.tick()]);
        const subjects = inbox.mails.slice(before).map((m) => m.subject ?? '');
        const expected = expectedPeriods(collectFrom, today).length;
        assert.ok(subjects.length >= 1);
        assert.ok(subjects.every((s) => s.includes('BUR1 Burglary')));
        assert.equal(new Set(subjects).size, subjects.length, `no email twice: ${subjects.join(' | ')}`);
        assert.ok(subjects.length <= expected);
        const jobs = await t.k.selectFrom('jobs').select(['status']).where('dedupe_key', 'like', `%:${second.id}:%`).execute();
        assert.equal(jobs.length, subjects.length);
        assert.ok(jobs.every((j) => j.status === 'done'));
      } finally {
        await otherApp.close();
        await otherDb.close();
      }
    });

    it('retries a refused send with backoff, then fails it with the reason; the outbox lists both', async () => {
      inbox.refuse = true;
      const runner = new CycleRunner(
        t.k,
        createMailer({ smtpUrl: `smtp://127.0.0.1:${inbox.port}`, from: 'hub@example.org', log: () => undefined }),
        {
          baseUrl: 'http://localhost:3000',
          secret: 'test-secret-0123456789',
          leaseMs: 10_000,
          pollMs: 60_000,
          maxAttempts: 2,
          backoffMs: 1,
        },
      );
      const third = await createIndicator(t.k, SYSTEM_ACTOR, pid, {
        code: 'VIO1',
        title: 'Violence',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'monthly',
        obaCategory: 'better_off',
      });
      await setIndicatorCollection(t.k, SYSTEM_ACTOR, pid, third.id, { ownerUserId: owner.id, collectFrom });
      await runner.tick();
      const queued = await t.k.selectFrom('jobs').selectAll().where('dedupe_key', 'like', `%:${third.id}:%`).execute();
      assert.ok(queued.length >= 1);
      assert.ok(
        queued.every((j) => j.status === 'queued' && j.attempts === 1 && /550|Mailbox unavailable/.test(j.last_error ?? '')),
        JSON.stringify(queued.map((j) => [j.status, j.attempts, j.last_error])),
      );
      await new Promise((r) => setTimeout(r, 20));
      await runner.tick();
      const failed = await t.k.selectFrom('jobs').selectAll().where('dedupe_key', 'like', `%:${third.id}:%`).execute();
      assert.ok(
        failed.every((j) => j.status === 'failed' && j.attempts === 2),
        JSON.stringify(failed.map((j) => [j.status, j.attempts])),
      );
      inbox.refuse = false;

      const admin = await makeUser(t.k, { platformAdmin: true });
      const b = new Browser(t.app);
      await b.signIn(admin.email);
      const page = await b.get('/admin/outbox');
      assert.equal(page.status, 200);
      assert.match(page.body, /Overdue: ASB1 ASB incidents/);
      assert.match(page.body, /Mailbox unavailable/);
      assert.equal((await ownerBrowser.get('/admin/outbox')).status, 403);
      // The same in the API.
      const json = (await api(t.app, (await createToken(t.k, admin, 'outbox')).token, 'GET', '/api/v1/admin/outbox')).json<{
        jobs: { status: string; attempts: number; lastError: string | null }[];
        emails: { subject: string }[];
      }>();
      assert.ok(json.jobs.some((j) => j.status === 'failed' && j.attempts === 2 && /Mailbox unavailable/.test(j.lastError ?? '')));
      assert.ok(json.emails.some((e) => /^Overdue: ASB1 ASB incidents/.test(e.subject)));
      assert.equal(
        (await api(t.app, (await createToken(t.k, await makeUser(t.k), 'no outbox')).token, 'GET', '/api/v1/admin/outbox')).status,
        403,
      );
    });

    it('emails a single-use, rate-limited password reset link, answering the same for unknown addresses', async () => {
      const person = await memberOf(t.k, pid, 'viewer');
      const anon = new Browser(t.app);
      await anon.get('/forgot-password');
      const known = await anon.post('/forgot-password', { email: person.email });
      const unknown = await anon.post('/forgot-password', { email: 'nobody-here@example.org' });
      assert.equal(known.status, 303);
      assert.equal(unknown.status, 303);
      const flashOf = async () => (await anon.get('/sign-in')).body.match(/If the address has an account/g)?.length ?? 0;
      assert.equal(await flashOf(), 1);
      assert.equal((await anon.post('/forgot-password', { email: 'not an address' })).status, 400);
      const before = inbox.mails.length;
      await t.app.cycleRunner.tick();
      const mail = inbox.mails.slice(before).find((m) => m.subject === 'Reset your CSP Hub password');
      assert.ok(mail);
      assert.equal(
        inbox.mails.slice(before).filter((m) => m.subject === 'Reset your CSP Hub password').length,
        1,
        'none for the unknown address',
      );
      const path = /http:\/\/localhost:3000(\/reset-password\/[A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
      assert.ok(path);
      const outboxRow = await t.k.selectFrom('emails').select('text_body').where('to_address', '=', person.email).executeTakeFirstOrThrow();
      assert.match(outboxRow.text_body, /\[link withheld\]/);
      assert.ok(!outboxRow.text_body.includes(path));
      assert.match((await anon.get(path)).body, /name="newPassword"/);
      assert.equal((await anon.post(path, { newPassword: 'short', confirmPassword: 'short' })).status, 400);
      const newPassword = 'a brand new passphrase 2026';
      assert.equal((await anon.post(path, { newPassword, confirmPassword: newPassword })).status, 303);
      const again = await anon.post(path, { newPassword, confirmPassword: newPassword });
      assert.equal(again.status, 400);
      assert.match(again.body, /expired or has already been used/);
      assert.equal((await new Browser(t.app).signIn(person.email, newPassword)).status, 303);
      // Three requests an hour per address: the fourth and later queue nothing.
      for (let n = 0; n < 4; n++) await anon.post('/forgot-password', { email: person.email });
      const resets = await t.k.selectFrom('password_resets').select('id').where('email', '=', person.email).execute();
      assert.equal(resets.length, 3);
    });

    it("reminds an action's owner before it is due and chases once it is overdue, linking to the action", async () => {
      const rec = await createRecommendation(t.k, SYSTEM_ACTOR, pid, {
        committee: 'Remindshire scrutiny panel',
        receivedOn: '2026-01-15',
        recommendation: 'Review the night-time economy plan',
      });
      const raise = async (title: string, dueDate: string, ownerUserId = String(owner.id)) =>
        (await raiseScrutinyAction(t.k, SYSTEM_ACTOR, pid, rec.id, { title, ownerUserId, dueDate })).id;
      const overdueId = await raise('Audit the taxi marshals', addDays(today, -3));
      await raise('Brief the licensing committee', addDays(today, 1));
      await raise('Write the annual summary', addDays(today, 60));
      const before = inbox.mails.length;
      await t.app.cycleRunner.tick();
      const mails = inbox.mails.slice(before);
      const chaser = mails.find((m) => m.subject === 'Overdue action: Audit the taxi marshals');
      assert.ok(chaser, mails.map((m) => m.subject).join(' | '));
      assert.equal(chaser.to && !Array.isArray(chaser.to) ? chaser.to.text : '', owner.email);
      assert.match(chaser.text ?? '', /^The action "Audit the taxi marshals".* was due on .* and is still open\.$/m);
      assert.match(
        chaser.text ?? '',
        /own this action in CSP Hub\. To stop reminders and chasers:\s+http:\/\/localhost:3000\/unsubscribe\/\d+\/[0-9a-f]+\s*$/,
        'the unsubscribe link closes the email',
      );
      assert.match(chaser.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '', /\/unsubscribe\/\d+\//);
      assert.ok(
        mails.some((m) => m.subject?.startsWith('Reminder: action due on ') && m.subject.endsWith(': Brief the licensing committee')),
      );
      assert.ok(!mails.some((m) => m.subject?.includes('Write the annual summary')), 'not yet: due in 60 days');
      const link = /http:\/\/localhost:3000(\/partnerships\/\d+\/actions\/\d+)/.exec(chaser.text ?? '')?.[1];
      assert.equal(link, `${base}/actions/${overdueId}`);
      const page = await ownerBrowser.get(link);
      assert.equal(page.status, 200);
      assert.match(page.body, /Audit the taxi marshals/);
      // Once each: the next round sends no action email again.
      const sent = inbox.mails.length;
      await t.app.cycleRunner.tick();
      assert.ok(!inbox.mails.slice(sent).some((m) => m.subject?.includes('action')));
    });

    it('reminds the presenter of an agenda item with no paper before the deadline, once, linking to the meeting', async () => {
      const { version } = await createPlan(t.k, SYSTEM_ACTOR, pid, { title: 'Remindshire plan', startYear: 2025, endYear: 2028 });
      const group = await createPart(t.k, SYSTEM_ACTOR, pid, 'group', version.id, { name: 'Joint Action Group' });
      const soon = await createMeeting(t.k, SYSTEM_ACTOR, pid, {
        groupId: group.id,
        title: 'JAG',
        date: addDays(today, 8),
        time: '10:00',
        paperDeadline: addDays(today, 1),
      });
      soonMeetingId = soon.id;
      const later = await createMeeting(t.k, SYSTEM_ACTOR, pid, {
        groupId: group.id,
        title: 'Later JAG',
        date: addDays(today, 40),
        time: '10:00',
        paperDeadline: addDays(today, 30),
      });
      // The presenter is chosen on the agenda form from the partnership's members; anyone else is refused.
      const admin = new Browser(t.app);
      await admin.signIn((await memberOf(t.k, pid, 'admin')).email);
      const page = await admin.get(`${base}/meetings/${soon.id}`);
      assert.match(page.body, new RegExp(`name="presenterUserId"[\\s\\S]*<option value="${owner.id}"`));
      const stranger = await makeUser(t.k);
      const refused = await admin.post(`${base}/meetings/${soon.id}/agenda-items`, {
        kind: 'item',
        title: 'Night-time economy',
        presenterUserId: String(stranger.id),
      });
      assert.equal(refused.status, 400);
      assert.match(refused.body, /href="#agenda-items-presenterUserId">Select a member of the partnership as presenter/);
      const added = await admin.post(`${base}/meetings/${soon.id}/agenda-items`, {
        kind: 'item',
        title: 'Night-time economy',
        presenterUserId: String(owner.id),
      });
      assert.equal(added.status, 303);
      // The same through the API; the presenter's name is the member's when none is typed.
      const item = (
        await api(t.app, token, 'POST', `/api/v1${base}/meetings/${soon.id}/agenda-items`, {
          kind: 'item',
          title: 'Taxi marshals',
          presenterUserId: owner.id,
        })
      ).json<{ id: number; presenterUserId: number; presenter: string }>();
      assert.equal(item.presenterUserId, owner.id);
      const ownerName = (await t.k.selectFrom('users').select('name').where('id', '=', owner.id).executeTakeFirstOrThrow()).name;
      assert.equal(item.presenter, ownerName);
      // Its paper is in: no reminder for it. The later meeting's deadline is a month away: none yet.
      await addPaper(t.k, SYSTEM_ACTOR, pid, soon.id, {
        title: 'Taxi marshals paper',
        url: 'https://example.org/p.pdf',
        agendaItemId: item.id,
      });
      await addAgendaItem(t.k, SYSTEM_ACTOR, pid, later.id, { kind: 'item', title: 'Summer plan', presenterUserId: owner.id });

      const before = inbox.mails.length;
      await t.app.cycleRunner.tick();
      const mails = inbox.mails.slice(before).filter((m) => m.subject?.startsWith('Paper due by '));
      assert.deepEqual(
        mails.map((m) => m.subject!.replace(/^Paper due by [^:]+: /, '')),
        ['Night-time economy'],
      );
      const [mail] = mails;
      assert.equal(mail!.to && !Array.isArray(mail!.to) ? mail!.to.text : '', owner.email);
      assert.match(mail!.text ?? '', /You present "Night-time economy" at JAG on .*\. Its paper is due by .* and none has been added yet/);
      assert.match(mail!.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '', /\/unsubscribe\/\d+\//);
      const link = /http:\/\/localhost:3000(\/partnerships\/\d+\/meetings\/\d+)#papers/.exec(mail!.text ?? '')?.[1];
      assert.equal(link, `${base}/meetings/${soon.id}`);
      assert.equal((await ownerBrowser.get(link)).status, 200);
      // Once: the next round sends no paper reminder again.
      const sent = inbox.mails.length;
      await t.app.cycleRunner.tick();
      assert.ok(!inbox.mails.slice(sent).some((m) => m.subject?.startsWith('Paper due by ')));
    });

    it('chases the presenter once when the paper deadline has passed with no paper, linking to the item shown as paper overdue', async () => {
      const groupId = (
        await t.k.selectFrom('meetings').select('governance_group_id').where('id', '=', soonMeetingId).executeTakeFirstOrThrow()
      ).governance_group_id!;
      const late = await createMeeting(t.k, SYSTEM_ACTOR, pid, {
        groupId,
        title: 'Late JAG',
        date: addDays(today, 3),
        time: '10:00',
        paperDeadline: addDays(today, -1),
      });
      lateMeetingId = late.id;
      // Held yesterday: nothing is chased or shown for it any more.
      const held = await createMeeting(t.k, SYSTEM_ACTOR, pid, {
        groupId,
        title: 'Held JAG',
        date: addDays(today, -1),
        time: '10:00',
        paperDeadline: addDays(today, -3),
      });
      const add = (meetingId: number, title: string, presenter: { presenterUserId?: number; presenter?: string }) =>
        addAgendaItem(t.k, SYSTEM_ACTOR, pid, meetingId, { kind: 'item', title, ...presenter });
      const overdue = await add(late.id, 'Street drinking paper', { presenterUserId: owner.id });
      const named = await add(late.id, 'Licensing update', { presenter: 'Licensing manager' });
      const filed = await add(late.id, 'CCTV review', { presenterUserId: owner.id });
      await addPaper(t.k, SYSTEM_ACTOR, pid, late.id, { title: 'CCTV paper', url: 'https://example.org/cctv.pdf', agendaItemId: filed.id });
      const noPresenter = await add(late.id, 'Any other business', {});
      await add(held.id, 'Held meeting paper', { presenterUserId: owner.id });

      // Two runners, each on its own database connection (as two instances are), claim the same overdue paper at once.
      const otherDb = openDatabase(t.db.openOptions);
      const otherMailer = createMailer({ ...t.config.mail, log: () => undefined });
      const other = new CycleRunner(otherDb.kysely, otherMailer, {
        baseUrl: t.config.baseUrl,
        secret: t.config.sessionSecret,
        ...t.config.documentJobs,
      });
      const before = inbox.mails.length;
      try {
        await Promise.all([t.app.cycleRunner.tick(), other.tick()]);
      } finally {
        otherMailer.close();
        await otherDb.close();
      }
      const chasers = inbox.mails.slice(before).filter((m) => m.subject?.startsWith('Paper overdue: '));
      assert.deepEqual(
        chasers.map((m) => m.subject),
        ['Paper overdue: Street drinking paper'],
      );
      const chaserJobs = await t.k
        .selectFrom('jobs')
        .select(['status', 'attempts'])
        .where('dedupe_key', 'like', `paper-chaser:${pid}:${overdue.id}:%`)
        .execute();
      assert.deepEqual(chaserJobs, [{ status: 'done', attempts: 1 }], 'one job, claimed and sent once');
      const [chaser] = chasers;
      assert.equal(chaser!.to && !Array.isArray(chaser!.to) ? chaser!.to.text : '', owner.email);
      assert.match(
        chaser!.text ?? '',
        /The paper for "Street drinking paper", which you present at Late JAG on .*, was due by .* and none has been added yet/,
      );
      assert.match(chaser!.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '', /\/unsubscribe\/\d+\//);
      const link = /http:\/\/localhost:3000(\/partnerships\/\d+\/meetings\/\d+)#item-(\d+)/.exec(chaser!.text ?? '');
      assert.deepEqual([link?.[1], Number(link?.[2])], [`${base}/meetings/${late.id}`, overdue.id]);
      // The link opens the meeting at the item, shown as paper overdue; so is the item presented by name only.
      const page = await ownerBrowser.get(link![1]!);
      assert.equal(page.status, 200);
      const itemHtml = (id: number) => new RegExp(`<li data-kind="item" id="item-${id}">[\\s\\S]*?</li>`).exec(page.body)?.[0] ?? '';
      assert.match(itemHtml(overdue.id), /Street drinking paper[\s\S]*Paper overdue/);
      assert.match(itemHtml(named.id), /Paper overdue/);
      assert.doesNotMatch(itemHtml(filed.id), /Paper overdue/);
      assert.doesNotMatch(itemHtml(noPresenter.id), /Paper overdue/);
      // The papers section lists them too, each linked to its item.
      const overdueList = /<ul class="govuk-list" id="papers-overdue-list">([\s\S]*?)<\/ul>/.exec(page.body)?.[1] ?? '';
      assert.deepEqual(
        [...overdueList.matchAll(/href="#item-(\d+)">([^<]+)<\/a>, presented by ([^<]+)<\/li>/g)].map((m) => [Number(m[1]), m[2], m[3]]),
        [
          [overdue.id, 'Street drinking paper', owner.name],
          [named.id, 'Licensing update', 'Licensing manager'],
        ],
      );
      // And so does the meeting pack (read back from its DOCX): a fact under each item and a table in Papers.
      const yesterday = new Date(`${addDays(today, -1)}T12:00:00Z`).toLocaleDateString('en-GB', {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
      });
      const status = `Paper overdue: due by ${yesterday}, none added yet`;
      const pack = docxParagraphs(await toDocx(meetingPackDocument(await loadMeetingPack(t.k, pid, late.id)))).map((x) => x.text);
      const after = (title: string) =>
        pack.slice(pack.findIndex((x) => x.endsWith(title))).find((x) => x.startsWith('Paper') || x.startsWith('Decision'));
      assert.equal(after('Street drinking paper'), `Paper: ${status}`);
      assert.equal(after('Licensing update'), `Paper: ${status}`);
      assert.equal(pack.filter((x) => x === `Paper: ${status}`).length, 2);
      const table = pack.slice(pack.indexOf('Papers overdue'));
      assert.deepEqual(table.slice(1, 10), [
        'Agenda item',
        'Presented by',
        'Status',
        'Street drinking paper',
        owner.name,
        status,
        'Licensing update',
        'Licensing manager',
        status,
      ]);
      const details = (await api(t.app, token, 'GET', `/api/v1${base}/meetings/${late.id}`)).json<{
        agenda: { title: string; paperOverdue: boolean }[];
      }>();
      assert.deepEqual(
        details.agenda.map((i) => [i.title, i.paperOverdue]),
        [
          ['Street drinking paper', true],
          ['Licensing update', true],
          ['CCTV review', false],
          ['Any other business', false],
        ],
      );
      // Once: the next round chases no more (the same dedupe key and job claim as every reminder).
      const sent = inbox.mails.length;
      await t.app.cycleRunner.tick();
      assert.ok(!inbox.mails.slice(sent).some((m) => m.subject?.startsWith('Paper overdue: ')));
    });

    it('emails the invitation link to a person invited, which opens the page to join; the outbox keeps no link', async () => {
      const admin = new Browser(t.app);
      await admin.signIn((await memberOf(t.k, pid, 'admin')).email);
      await admin.get(`${base}/users/invite`);
      const invited = await admin.post(`${base}/users/invite`, {
        name: 'Ivy Invitee',
        email: 'ivy.invitee@example.org',
        role: 'contributor',
      });
      assert.equal(invited.status, 200);
      assert.match(invited.body, /id="invitation-emailed">We are emailing ivy.invitee@example.org/);
      await t.app.cycleRunner.tick();
      const mail = inbox.mails.find((m) => m.subject === 'You are invited to join Safer Remindshire on CSP Hub');
      assert.ok(mail, inbox.mails.map((m) => m.subject).join(' | '));
      assert.equal(mail.to && !Array.isArray(mail.to) ? mail.to.text : '', 'ivy.invitee@example.org');
      const link = /http:\/\/localhost:3000(\/invitations\/[A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
      assert.ok(link, mail.text);
      assert.ok(invited.body.includes(link), 'the same link as shown on screen');
      const page = await new Browser(t.app).get(link);
      assert.equal(page.status, 200);
      assert.match(page.body, /Accept your invitation/);
      const kept = await t.k.selectFrom('emails').select('text_body').where('subject', '=', mail.subject!).executeTakeFirstOrThrow();
      assert.ok(!kept.text_body.includes(link) && kept.text_body.includes('[link withheld]'));
    });

    it('sends the weekly digest to those who ask for it, once a week, with links to act; its own link stops it', async () => {
      // Weeks start on Monday: 2 December 2026 is a Wednesday; a Monday is its own week's start.
      assert.equal(weekStart('2026-12-02'), '2026-11-30');
      assert.equal(weekStart('2026-11-30'), '2026-11-30');
      assert.equal(weekStart('2027-01-03'), '2026-12-28');
      const digestOf = () => inbox.mails.filter((m) => m.subject?.startsWith('Your week in CSP Hub'));
      await t.app.cycleRunner.tick();
      assert.equal(digestOf().length, 0, 'nobody asked for it yet');
      await ownerBrowser.get('/account/email');
      assert.equal((await ownerBrowser.post('/account/email', { reminders: 'yes', digest: 'yes' })).status, 303);
      assert.match((await ownerBrowser.get('/account/email')).body, /name="digest" type="checkbox" value="yes" checked/);
      await t.app.cycleRunner.tick();
      const [digest] = digestOf();
      assert.ok(digest, inbox.mails.map((m) => m.subject).join(' | '));
      assert.equal(digest.to && !Array.isArray(digest.to) ? digest.to.text : '', owner.email);
      assert.match(digest.subject!, /: \d+ things need your attention$/);
      assert.match(digest.text ?? '', /Safer Remindshire \(\d+, \d+ overdue\):/);
      assert.match(digest.text ?? '', /OVERDUE: Action: Audit the taxi marshals/);
      assert.match(digest.text ?? '', new RegExp(`http://localhost:3000${base}/my-figures\\?period=`));
      await t.app.cycleRunner.tick();
      assert.equal(digestOf().length, 1, 'once a week');
      const link = /http:\/\/localhost:3000(\/unsubscribe\/\d+\/[0-9a-f]+\/digest)/.exec(digest.text ?? '')?.[1];
      assert.ok(link);
      const anon = new Browser(t.app);
      await anon.get(link);
      assert.match((await anon.post(link)).body, /id="unsubscribed">You will no longer get the weekly digest/);
      const user = await t.k
        .selectFrom('users')
        .select(['weekly_digest', 'email_reminders'])
        .where('id', '=', owner.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(user, { weekly_digest: 0, email_reminders: 1 });
    });

    it('stops reminders through the unsubscribe link in the email', async () => {
      const chaser = inbox.mails.find((m) => m.subject?.startsWith('Overdue: ASB1'))!;
      const link = /http:\/\/localhost:3000(\/unsubscribe\/\d+\/[0-9a-f]+)/.exec(chaser.text ?? '')?.[1];
      assert.ok(link);
      assert.match(
        chaser.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '',
        /<http:\/\/localhost:3000\/unsubscribe\/\d+\//,
      );
      const anon = new Browser(t.app);
      await anon.get(link);
      assert.equal((await anon.post(link.replace(/[0-9a-f]{40}$/, '0'.repeat(40)))).status, 404);
      await anon.get(link);
      const done = await anon.post(link);
      assert.match(done.body, /id="unsubscribed"/);
      const fourth = await createIndicator(t.k, SYSTEM_ACTOR, pid, {
        code: 'DRG1',
        title: 'Drugs',
        unit: 'count',
        polarity: 'lower_is_better',
        frequency: 'monthly',
        obaCategory: 'better_off',
      });
      await setIndicatorCollection(t.k, SYSTEM_ACTOR, pid, fourth.id, { ownerUserId: owner.id, collectFrom });
      const rec = await createRecommendation(t.k, SYSTEM_ACTOR, pid, {
        committee: 'Panel',
        receivedOn: '2026-01-15',
        recommendation: 'More',
      });
      await raiseScrutinyAction(t.k, SYSTEM_ACTOR, pid, rec.id, {
        title: 'Unsubscribed action',
        ownerUserId: String(owner.id),
        dueDate: addDays(today, -1),
      });
      await addAgendaItem(t.k, SYSTEM_ACTOR, pid, soonMeetingId, { kind: 'item', title: 'Unsubscribed paper', presenterUserId: owner.id });
      await addAgendaItem(t.k, SYSTEM_ACTOR, pid, lateMeetingId, { kind: 'item', title: 'Unsubscribed late', presenterUserId: owner.id });
      const before = inbox.mails.length;
      await t.app.cycleRunner.tick();
      assert.ok(!inbox.mails.slice(before).some((m) => m.subject?.includes('DRG1')));
      assert.ok(!inbox.mails.slice(before).some((m) => m.subject?.includes('Unsubscribed paper')), 'no paper reminder either');
      assert.ok(!inbox.mails.slice(before).some((m) => m.subject?.includes('Unsubscribed late')), 'no paper chaser either');
      assert.ok(!inbox.mails.slice(before).some((m) => m.subject?.includes('Unsubscribed action')), 'no action chaser either');
      // Turned on again from the account page.
      await ownerBrowser.get('/account/email');
      await ownerBrowser.post('/account/email', { reminders: 'yes' });
      await t.app.cycleRunner.tick();
      assert.ok(inbox.mails.slice(before).some((m) => m.subject?.includes('DRG1')));
    });
  });
}
