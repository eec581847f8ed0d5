/**
 * Meetings through the pages and the API on both engines: a JAG meeting raises an action and an exception, the
 * exception is escalated onto the next Strategic Group agenda, the action is carried to the next JAG until it is
 * closed; errors name the field; the meeting pack downloads as DOCX with the agenda, previous minutes and action
 * log; overdue statutory duties show on the home page; the calendar feed is fetched without a session through the
 * secret link and parsed back with ical.js.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { ENGINES } from '../support/db.ts';
import { api, Browser, makePartnership, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { buildMeetingFixture, type MeetingIds } from '../support/meetings.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { createMeeting } from '../../src/services/meetings/meetings.ts';
import { deleteOldPaperFiles } from '../../src/services/meetings/papers.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { loadMeetingPack, meetingPackDocument } from '../../src/presentation/documents/meetingPack.ts';
import { docxParagraphs, openPdf } from '../support/documents.ts';

for (const engine of ENGINES) {
  describe(`meetings pages and API on ${engine}`, () => {
    let t: TestApp;
    let pid: number;
    let ids: MeetingIds;
    let browser: Browser;
    let token: string;

    before(async () => {
      t = await startTestApp(engine);
      pid = (await makePartnership(t.k, 'Rutland CSP')).id;
      ids = await buildMeetingFixture(t.k, pid);
      const admin = await memberOf(t.k, pid, 'admin');
      browser = new Browser(t.app);
      assert.equal((await browser.signIn(admin.email)).status, 303);
      token = (await createToken(t.k, admin, 'meetings')).token;
    });
    after(async () => t.close());

    it('walks a JAG meeting: exception escalated to the Strategic Group, action carried until closed', async () => {
      const base = `/partnerships/${pid}`;
      // Arrange the Strategic Group's next meeting through the form; a bad time is named.
      const bad = await browser.post(`${base}/meetings/new`, { groupId: String(ids.strategicId), date: '2026-02-03', time: 'teatime' });
      assert.equal(bad.status, 400);
      assert.match(bad.body, /href="#time">Enter the start time like 14:00 or 2pm \(got &quot;teatime&quot;\)/);
      // The date is the GOV.UK date input: a missing box is named and linked; the paper deadline may not follow the meeting.
      assert.match((await browser.get(`${base}/meetings/new`)).body, /name="date-day"[\s\S]*name="date-month"[\s\S]*name="date-year"/);
      const noMonth = await browser.post(`${base}/meetings/new`, {
        groupId: String(ids.strategicId),
        'date-day': '3',
        'date-month': '',
        'date-year': '2026',
        time: '2pm',
      });
      assert.equal(noMonth.status, 400);
      assert.match(noMonth.body, /href="#date-month">The date of the meeting must include a month/);
      assert.match(noMonth.body, /govuk-input--error" id="date-month"/, 'the month box is marked');
      assert.doesNotMatch(noMonth.body, /govuk-input--error" id="date-day"/, 'the day box is not');
      assert.match(noMonth.body, /id="date-day" name="date-day" type="text" value="3"/, 'the boxes keep what was typed');
      const lateDeadline = await browser.post(`${base}/meetings/new`, {
        groupId: String(ids.strategicId),
        'date-day': '3',
        'date-month': '2',
        'date-year': '2026',
        time: '2pm',
        'paperDeadline-day': '4',
        'paperDeadline-month': '2',
        'paperDeadline-year': '2026',
      });
      assert.equal(lateDeadline.status, 400);
      assert.match(
        lateDeadline.body,
        /href="#paperDeadline-day">The paper deadline must be the same as or before the meeting, 3 February 2026/,
      );
      const sg = await browser.post(`${base}/meetings/new`, {
        groupId: String(ids.strategicId),
        'date-day': '3',
        'date-month': '2',
        'date-year': '2026',
        time: '2pm',
        location: 'Catmose, Oakham',
      });
      assert.equal(sg.status, 303);
      const sgHref = sg.location!.replace(/#.*/, '');
      const jag = `${base}/meetings/${ids.meetingId}`;

      assert.equal((await browser.post(`${jag}/agenda-items`, { kind: 'exception', title: 'Rise in ASB at the skate park' })).status, 303);
      const page = await browser.get(jag);
      const itemId = /<option value="(\d+)">\d+\. Rise in ASB at the skate park<\/option>/.exec(page.body)![1]!;
      const noGroup = await browser.post(`${jag}/escalations`, { agendaItemId: itemId, targetGroupId: '' });
      assert.equal(noGroup.status, 400);
      assert.match(noGroup.body, /href="#escalations-targetGroupId"/);
      assert.equal(
        (await browser.post(`${jag}/escalations`, { agendaItemId: itemId, targetGroupId: String(ids.strategicId) })).status,
        303,
      );
      const sgPage = await browser.get(sgHref);
      assert.match(
        sgPage.body,
        /<strong>Rise in ASB at the skate park<\/strong> <span class="govuk-body-s">\(Escalated from another group; Chair of Joint Action Group\)/,
      );
      assert.match(
        sgPage.body,
        /Escalated from <a class="govuk-link" href="\/partnerships\/\d+\/meetings\/\d+">Joint Action Group, Thursday 8 January 2026, 10:00/,
      );

      // Raise an action; the next JAG lists it as carried forward until it is closed.
      const noTitle = await browser.post(`${jag}/actions`, { title: '', ownerName: 'Inspector' });
      assert.equal(noTitle.status, 400);
      assert.match(noTitle.body, /href="#actions-title">Enter what is to be done/);
      const early = await browser.post(`${jag}/actions`, {
        title: 'Diversionary youth sessions',
        ownerName: 'Youth service',
        'dueDate-day': '2',
        'dueDate-month': '1',
        'dueDate-year': '2026',
      });
      assert.equal(early.status, 400);
      assert.match(early.body, /href="#actions-dueDate-day">The due date must be the same as or after the meeting, 8 January 2026/);
      assert.equal(
        (
          await browser.post(`${jag}/actions`, {
            title: 'Diversionary youth sessions',
            ownerName: 'Youth service',
            dueDate: '2026-01-30',
            priorityId: String(ids.planPriorityId),
          })
        ).status,
        303,
      );
      await browser.post(`${jag}/minutes`, { minutes: 'Agreed youth sessions at the skate park.' });
      const jag2 = await createMeeting(t.k, SYSTEM_ACTOR, pid, { groupId: ids.jagId, date: '2026-01-22', time: '10:00' });
      const jag3 = await createMeeting(t.k, SYSTEM_ACTOR, pid, { groupId: ids.jagId, date: '2026-02-05', time: '10:00' });
      const at2 = await browser.get(`${base}/meetings/${jag2.id}`);
      const carried = at2.body.slice(at2.body.indexOf('id="carried-actions"'));
      assert.match(carried, /Diversionary youth sessions/);
      assert.match(carried, /Priority: Anti-social behaviour/);
      const actionId = /href="\/partnerships\/\d+\/actions\/(\d+)\?meeting=\d+">Diversionary youth sessions/.exec(at2.body)![1]!;
      const closed = await browser.post(`${base}/actions/${actionId}/updates`, {
        note: 'Sessions running weekly',
        status: 'closed',
        updateDate: '2026-01-22',
        meetingId: String(jag2.id),
      });
      assert.equal(closed.status, 303);
      assert.equal(closed.location, `${base}/meetings/${jag2.id}#actions`);
      const at3 = await browser.get(`${base}/meetings/${jag3.id}`);
      assert.match(at3.body, /The action &quot;Diversionary youth sessions&quot; is closed/); // the message of the update just saved
      const actionsAt3 = at3.body.slice(at3.body.indexOf('id="actions"'));
      assert.doesNotMatch(actionsAt3, /Diversionary youth sessions/);
      assert.match(actionsAt3, /Patrol plan for the skate park/); // still open
      const log = await browser.get(`${base}/actions?group=${ids.jagId}&status=closed`);
      assert.match(log.body, /Diversionary youth sessions/);

      // The pack of the second JAG, generated as a document job: agenda, the first meeting's minutes, the action log.
      const cookie = () => [...browser.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
      const packJob = async (format: string) => {
        const asked = await browser.post(`${base}/meetings/${jag2.id}/pack`, { format });
        assert.equal(asked.status, 303);
        assert.match(String(asked.location), new RegExp(`^${base}/documents/\\d+$`));
        await t.app.documentRunner.idle();
        const page = await browser.get(`${base}/meetings/${jag2.id}`);
        assert.match(page.body, /id="pack-list"/);
        return t.app.inject({ method: 'GET', url: `${asked.location}/download`, headers: { cookie: cookie() } });
      };
      const res = await packJob('docx');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-disposition']), /Joint-Action-Group-meeting-pack-2026-01-22\.docx/);
      const text = docxParagraphs(res.rawPayload)
        .map((p) => p.text)
        .join('\n');
      assert.match(text, /Minutes of the previous meeting/);
      assert.match(text, /Agreed youth sessions at the skate park\./);
      assert.match(text, /Diversionary youth sessions/);
      assert.match(text, /Actions carried forward from earlier meetings/);
      // The same pack printed as PDF by Chromium.
      const pdfRes = await packJob('pdf');
      assert.equal(pdfRes.statusCode, 200);
      assert.equal(pdfRes.headers['content-type'], 'application/pdf');
      const pdf = openPdf(pdfRes.rawPayload).text.replace(/\s+/g, ' ');
      assert.match(pdf, /Minutes of the previous meeting/);
      assert.match(pdf, /Diversionary youth sessions/);
    });

    it('changes a meeting from its form, refusing a stale save, and deletes it after saying what goes and what stays', async () => {
      const base = `/partnerships/${pid}`;
      const m = await createMeeting(t.k, SYSTEM_ACTOR, pid, { groupId: ids.jagId, date: '2026-09-03', time: '10:00' });
      const href = `${base}/meetings/${m.id}`;
      assert.match((await browser.get(href)).body, new RegExp(`href="${href}/edit">Change the meeting's details`));
      const form = await browser.get(`${href}/edit`);
      assert.equal(form.status, 200);
      const stamp = /name="expectedUpdatedAt" value="([^"]+)"/.exec(form.body)![1]!;
      const bad = await browser.post(`${href}/edit`, { date: '31 September 2026', time: '10:00', expectedUpdatedAt: stamp });
      assert.equal(bad.status, 400);
      assert.match(
        bad.body,
        /The date of the meeting must be a real date, like 2026-03-27 or 27 March 2026 \(got &quot;31 September 2026&quot;\)/,
      );
      const ok = await browser.post(`${href}/edit`, {
        date: '2026-09-10',
        time: '14:30',
        location: 'Rutland Hall',
        expectedUpdatedAt: stamp,
      });
      assert.equal(ok.status, 303);
      const page = await browser.get(href);
      assert.match(page.body, /Rutland Hall/);
      // The same stale form again: refused with the other person's version shown.
      const stale = await browser.post(`${href}/edit`, { date: '2026-09-17', time: '10:00', expectedUpdatedAt: stamp });
      assert.equal(stale.status, 409);
      assert.match(stale.body, /changed by someone else/);
      assert.match(stale.body, /value="Rutland Hall"/);
      // An action raised at it is kept when it is deleted; the page says so before anything is deleted.
      await browser.post(`${href}/actions`, { title: 'Check the CCTV coverage', ownerName: 'Duty inspector' });
      const confirm = await browser.get(`${href}/delete`);
      assert.equal(confirm.status, 200);
      assert.match(confirm.body, /id="kept">\s*<li>1 action raised at it: they stay in the group's action log/);
      assert.equal((await browser.get(href)).status, 200, 'nothing deleted by showing the page');
      const done = await browser.post(`${href}/delete`, {
        expectedUpdatedAt: /name="expectedUpdatedAt" value="([^"]+)"/.exec(confirm.body)![1]!,
      });
      assert.equal(done.status, 303);
      assert.equal(done.location, `${base}/meetings`);
      assert.equal((await browser.get(href)).status, 404);
      const log = await browser.get(`${base}/actions?group=${ids.jagId}`);
      assert.match(log.body, /Check the CCTV coverage/);
    });

    it('flags overdue duties on the home page and keeps the statutory calendar', async () => {
      const base = `/partnerships/${pid}`;
      const home = await browser.get(base);
      assert.match(home.body, /id="overdue-duties"/);
      assert.match(home.body, /Serious Violence Duty strategy review, due 31 January 2026/);
      assert.equal((await browser.post(`${base}/statutory-calendar/standard`)).status, 303);
      const cal = await browser.get(`${base}/statutory-calendar`);
      for (const title of [
        'Annual strategic assessment',
        'Reducing reoffending strategy',
        'Plan sent to the Police and Crime Commissioner',
      ])
        assert.ok(cal.body.includes(title), title);
      const bad = await browser.post(`${base}/statutory-calendar/duties/${ids.dutyId}/completions`, { completedOn: 'yesterday' });
      assert.equal(bad.status, 400);
      assert.match(
        bad.body,
        new RegExp(
          `href="#done-${ids.dutyId}-completedOn-day">The date it was done must be a real date, like 2026-03-27 or 27 March 2026 \\(got &quot;yesterday&quot;\\)`,
        ),
      );
      await browser.post(`${base}/statutory-calendar/duties/${ids.dutyId}/completions`, {
        completedOn: '2026-01-30',
        evidence: 'Strategic Group review',
      });
      assert.doesNotMatch((await browser.get(base)).body, /Serious Violence Duty strategy review, due/);
    });

    it('serves the meetings as an iCalendar feed through a secret link, parsed back by ical.js', async () => {
      const made = await browser.post(`/partnerships/${pid}/calendar-feed`);
      const url = /id="feed-url">([^<]+)</.exec(made.body)![1]!;
      const path = new URL(url).pathname;
      const res = await t.app.inject({ method: 'GET', url: path });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/calendar/);
      assert.ok(
        res.body.split('\r\n').every((line) => Buffer.byteLength(line) <= 75),
        'lines folded at 75 octets',
      );
      const calendar = ICAL.Component.fromString(res.body);
      const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
      const first = events.find((e) => e.uid === `meeting-${ids.meetingId}@localhost:3000`)!;
      assert.equal(first.summary, 'Joint Action Group');
      assert.equal(first.location, 'Council Offices, Oakham');
      assert.equal(first.startDate.toJSDate().toISOString(), '2026-01-08T10:00:00.000Z');
      assert.equal(first.endDate.toJSDate().toISOString(), '2026-01-08T12:00:00.000Z');
      const sg = events.find((e) => e.summary === 'Strategic Group')!;
      assert.equal(sg.location, 'Catmose, Oakham');
      assert.match(String(sg.description), /Agenda, papers and actions: http:\/\/localhost:3000\/partnerships\/\d+\/meetings\/\d+/);
      assert.equal(
        (await t.app.inject({ method: 'GET', url: path.replace(/cal_[^/]+/, 'cal_abcdefghijklmnopqrstuvwxyz') })).statusCode,
        404,
      );
    });

    it('filters the audit trail with date inputs; pages and the API say which part of a date is wrong (issue 15)', async () => {
      const audit = `/partnerships/${pid}/audit`;
      const form = await browser.get(audit);
      assert.match(form.body, /name="from-day"[\s\S]*name="from-month"[\s\S]*name="from-year"[\s\S]*name="to-day"/);
      assert.doesNotMatch(form.body, /type="date"/);
      const [y, m, d] = new Date().toISOString().slice(0, 10).split('-').map(Number) as [number, number, number];
      const boxes = (name: string, day: number | string, month: number | string, year: number | string) =>
        `${name}-day=${day}&${name}-month=${month}&${name}-year=${year}`;
      const today = await browser.get(`${audit}?entityType=meeting&${boxes('from', d, m, y)}&${boxes('to', '', '', '')}`);
      assert.equal(today.status, 200);
      assert.match(today.body, /class="govuk-table"/, "today's meetings are listed");
      assert.match(today.body, new RegExp(`name="from-day"[^>]*value="${d}"`), 'the boxes show the date used');
      const future = await browser.get(`${audit}?${boxes('from', 1, 1, y + 2)}&${boxes('to', '', '', '')}`);
      assert.match(future.body, /No changes match these filters/);
      const noMonth = await browser.get(`${audit}?${boxes('from', 1, '', 2026)}&${boxes('to', '', '', '')}`);
      assert.equal(noMonth.status, 400);
      assert.match(noMonth.body, /href="#from-month">The first date must include a month/);
      assert.match(
        noMonth.body,
        /id="from-month" name="from-month" type="text" inputmode="numeric"[^>]*govuk-input--error|govuk-input--error[^>]*id="from-month"/,
      );
      const backwards = await browser.get(`${audit}?${boxes('from', 10, 3, 2026)}&${boxes('to', 1, 3, 2026)}`);
      assert.equal(backwards.status, 400);
      assert.match(backwards.body, /href="#to-day">The last date must be on or after the first date \(10 March 2026\)/);
      // The API reads the same dates as text and names the wrong parts, here and wherever it takes a date.
      const p = `/api/v1/partnerships/${pid}`;
      type Problems = { problems: { field: string; message: string; parts?: string[] }[] };
      const badMonth = await api(t.app, token, 'GET', `${p}/audit?from=2026-13-01`);
      assert.equal(badMonth.status, 400);
      assert.deepEqual(badMonth.json<Problems>().problems[0], {
        field: 'from',
        message: 'The first date must be a real date, like 2026-03-27 or 27 March 2026 (got "2026-13-01")',
        parts: ['month'],
      });
      const listed = await api(
        t.app,
        token,
        'GET',
        `${p}/audit?from=${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}&entityType=meeting`,
      );
      assert.ok(listed.json<{ total: number }>().total > 0);
      const meeting = await api(t.app, token, 'POST', `${p}/meetings`, { groupId: ids.jagId, date: '2026-03-32', time: '10:00' });
      assert.equal(meeting.status, 400);
      assert.deepEqual(meeting.json<Problems>().problems.find((x) => x.field === 'date')?.parts, ['day']);
      const spec = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
        paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: unknown }> }> }>>;
      }>();
      assert.match(JSON.stringify(spec.paths['/api/v1/partnerships/{partnershipId}/audit']?.get?.responses['400']), /"parts"/);
    });

    it('offers the same over the API, with errors naming the field', async () => {
      const p = `/api/v1/partnerships/${pid}`;
      const created = await api(t.app, token, 'POST', `${p}/meetings`, {
        groupId: ids.jagId,
        date: '2026-03-05',
        time: '10:00',
        paperDeadline: '2026-02-26',
      });
      assert.equal(created.status, 201);
      const meeting = created.json<{ id: number; startsAt: string; paperDeadline: string }>();
      assert.equal(meeting.startsAt, '2026-03-05T10:00');
      const bad = await api(t.app, token, 'POST', `${p}/meetings`, {
        groupId: ids.jagId,
        date: '2026-03-05',
        time: '10:00',
        paperDeadline: '2026-03-06',
      });
      assert.equal(bad.status, 400);
      assert.match(bad.body, /paperDeadline/);
      const item = await api(t.app, token, 'POST', `${p}/meetings/${meeting.id}/agenda-items`, {
        kind: 'board_pack',
        quarter: '2025/26 Q3',
      });
      assert.equal(item.status, 201);
      assert.equal(item.json<{ title: string }>().title, 'Quarterly report (Board pack): Q3 2025/26');
      const detail = await api(t.app, token, 'GET', `${p}/meetings/${meeting.id}`);
      const d = detail.json<{ agenda: { kind: string }[]; carriedActions: { title: string }[]; previous: { id: number } }>();
      assert.deepEqual(
        d.agenda.map((a) => a.kind),
        ['board_pack'],
      );
      assert.ok(d.carriedActions.some((a) => a.title === 'Patrol plan for the skate park'));
      const log = await api(t.app, token, 'GET', `${p}/actions?status=all`);
      assert.ok(log.json<{ title: string }[]>().length >= 2);
      const rec = await api(t.app, token, 'PUT', `${p}/scrutiny-recommendations/${ids.recommendationId}/response`, {
        responseStatus: 'accepted',
        response: 'We will publish them quarterly',
        respondedOn: '2025-12-10',
      });
      assert.equal(rec.status, 200);
      const sAction = await api(t.app, token, 'POST', `${p}/scrutiny-recommendations/${ids.recommendationId}/actions`, {
        title: 'Publish ASB case review figures',
        ownerName: 'Community safety manager',
      });
      assert.equal(sAction.status, 201);
      assert.equal(sAction.json<{ scrutinyRecommendationId: number }>().scrutinyRecommendationId, ids.recommendationId);
      const duties = await api(t.app, token, 'GET', `${p}/statutory-duties`);
      assert.ok(duties.json<{ title: string }[]>().some((x) => x.title === 'Serious Violence Duty strategy review'));
      const openapi = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      assert.ok(openapi.body.includes('/partnerships/{partnershipId}/meetings/{meetingId}/escalations'));
    });

    it('uploads papers checked by their content, serves them to readers, removes them, and changes and deletes the meeting over the API', async () => {
      const base = `/partnerships/${pid}`;
      const m = await createMeeting(t.k, SYSTEM_ACTOR, pid, {
        groupId: ids.strategicId,
        date: '2026-11-20',
        time: '10:00',
        paperDeadline: '2026-11-13',
      });
      const href = `${base}/meetings/${m.id}`;
      const pdf = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n');
      const docx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('\0\0[Content_Types].xml word/document.xml')]);
      // Refused: a program renamed .pdf, and a Word file named .pdf; nothing is kept.
      const exe = await browser.postFile(`${href}/papers/upload`, 'file', { filename: 'minutes.pdf', data: Buffer.from('MZ\x90\0\x03\0') });
      assert.equal(exe.status, 400);
      assert.match(exe.body, /href="#upload-file">&quot;minutes.pdf&quot; is not a PDF, Word \(DOCX\)/);
      const misnamed = await browser.postFile(`${href}/papers/upload`, 'file', { filename: 'report.pdf', data: docx });
      assert.equal(misnamed.status, 400);
      assert.match(misnamed.body, /contains a Word \(DOCX\) file but its name ends .pdf: rename it to end .docx/);
      const ok = await browser.postFile(
        `${href}/papers/upload`,
        'file',
        { filename: 'police-report.pdf', data: pdf },
        { title: 'Police report' },
      );
      assert.equal(ok.status, 303);
      const page = await browser.get(href);
      const papers = page.body.slice(page.body.indexOf('id="papers"'), page.body.indexOf('id="actions"'));
      assert.match(papers, /Papers are due by/);
      const fileHref = new RegExp(`href="(${href}/papers/(\\d+)/file)">Police report</a> \\(police-report.pdf, \\d+ bytes\\)`).exec(papers);
      assert.ok(fileHref, 'the uploaded paper is listed with its file');
      assert.match(papers, /After the deadline/);
      // The pack names the uploaded file rather than printing a path that means nothing on paper.
      const packDoc = meetingPackDocument(await loadMeetingPack(t.k, pid, m.id));
      const paperRows = packDoc.sections
        .flatMap((sec) => sec.blocks)
        .flatMap((b) => (b.kind === 'table' && b.caption === 'Papers' ? b.rows : []));
      assert.deepEqual(
        paperRows.map((r) => [r[0], r[2]]),
        [['Police report', 'Uploaded to CSP Hub: police-report.pdf']],
      );
      // A viewer of the partnership downloads it, byte for byte.
      const viewer = new Browser(t.app);
      await viewer.signIn((await memberOf(t.k, pid, 'viewer')).email);
      const got = await t.app.inject({
        method: 'GET',
        url: fileHref[1]!,
        headers: { cookie: [...viewer.cookies].map(([n, v]) => `${n}=${v}`).join('; ') },
      });
      assert.equal(got.statusCode, 200);
      assert.equal(got.headers['content-type'], 'application/pdf');
      assert.deepEqual(got.rawPayload, pdf);
      assert.equal((await viewer.post(`${href}/papers/${fileHref[2]}/delete`)).status, 403);

      // The API: upload (base64), download, remove; change and delete the meeting.
      const p = `/api/v1/partnerships/${pid}/meetings/${m.id}`;
      const bad = await api(t.app, token, 'POST', `${p}/paper-files`, {
        fileName: 'x.csv',
        contentBase64: Buffer.from('a\0b').toString('base64'),
      });
      assert.equal(bad.status, 400);
      const up = await api(t.app, token, 'POST', `${p}/paper-files`, { fileName: 'Budget.docx', contentBase64: docx.toString('base64') });
      assert.equal(up.status, 201);
      const paper = up.json<{ id: number; title: string; fileName: string; sizeBytes: number }>();
      assert.deepEqual([paper.title, paper.fileName, paper.sizeBytes], ['Budget', 'Budget.docx', docx.length]);
      const file = await api(t.app, token, 'GET', `${p}/papers/${paper.id}/file`);
      assert.equal(file.status, 200);
      assert.match(String(file.headers['content-type']), /wordprocessingml/);
      assert.equal((await api(t.app, token, 'DELETE', `${p}/papers/${paper.id}`)).status, 200);
      assert.equal((await api(t.app, token, 'GET', `${p}/papers/${paper.id}/file`)).status, 404);
      const audit = await t.k
        .selectFrom('audit_events')
        .select(['action', 'summary'])
        .where('entity_type', '=', 'meeting_paper')
        .where('partnership_id', '=', pid)
        .execute();
      assert.ok(audit.some((a) => a.action === 'delete' && /Removed the paper "Budget"/.test(a.summary)));
      const changed = await api(t.app, token, 'PUT', p, {
        date: '2026-11-27',
        time: '2pm',
        location: 'Oakham',
        expectedUpdatedAt: m.updated_at,
      });
      assert.equal(changed.status, 200);
      assert.equal(changed.json<{ startsAt: string }>().startsAt, '2026-11-27T14:00');
      const stale = await api(t.app, token, 'PUT', p, { date: '2026-11-28', time: '2pm', expectedUpdatedAt: m.updated_at });
      assert.equal(stale.status, 409);
      // Retention: papers of meetings held more than a year before 2028-01-01 go; a year before 2027-06-01, not yet.
      assert.equal(await deleteOldPaperFiles(t.k, 1, new Date('2027-06-01T00:00:00Z')), 0);
      assert.equal((await deleteOldPaperFiles(t.k, 1, new Date('2028-01-01T00:00:00Z'))) >= 1, true);
      assert.equal((await viewer.get(fileHref[1]!)).status, 404);
      const gone = await api(
        t.app,
        token,
        'DELETE',
        `${p}?expectedUpdatedAt=${encodeURIComponent(changed.json<{ updatedAt: string }>().updatedAt)}`,
      );
      assert.equal(gone.status, 200);
      assert.equal((await api(t.app, token, 'GET', p)).status, 404);
    });
  });
}
