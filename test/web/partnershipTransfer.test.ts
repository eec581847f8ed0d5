/**
 * Whole-partnership export and import through the real app on each engine: the settings page's export link and
 * download, the platform administrator's import page (upload, error summary with every problem, result page),
 * the API routes and their OpenAPI entries, and who may do what (editors refused, other partnerships 404,
 * only platform administrators import).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { api, Browser, makePartnership, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { allCounts, parseExport, partnershipCounts, type ExportFile } from '../support/transfer.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { findPartnershipByName } from '../../src/services/partnerships/partnerships.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { listAudit } from '../../src/services/platform/audit.ts';
import type { User } from '../../src/adapters/database/schema.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { createPlan } from '../../src/services/plans/plans.ts';
import { createPart } from '../../src/services/plans/planParts.ts';
import { addAgendaItem, addPaper, createMeeting } from '../../src/services/meetings/meetings.ts';
import { uploadPaper } from '../../src/services/meetings/papers.ts';
import { exportPartnership } from '../../src/services/transfer/partnershipExport.ts';

const DEMO_PASSWORD = 'demo-password-2026';

async function download(t: TestApp, browser: Browser, url: string) {
  return t.app.inject({ method: 'GET', url, headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
}

for (const engine of ENGINES) {
  describe(`partnership export and import pages and API on ${engine}`, { timeout: 180_000 }, () => {
    let t: TestApp;
    let rotherham: number;
    let rochford: number;
    let platform: Browser;
    let platformToken: string;
    let admin: Browser;
    let adminToken: string;
    let editor: Browser;
    let editorToken: string;
    let adminUser: User;
    let text: string;

    before(async () => {
      // Raised above the default 50 MB, as a server moving large partnerships would (ADR 0052).
      t = await startTestApp(engine, { IMPORT_LIMIT_MB: '60' });
      await seedDemo(t.k, { email: 'platform@csphub.test', password: DEMO_PASSWORD });
      rotherham = (await findPartnershipByName(t.k, 'Safer Rotherham Partnership'))!.id;
      rochford = (await findPartnershipByName(t.k, 'Rochford Community Safety Partnership'))!.id;
      platform = new Browser(t.app);
      assert.equal((await platform.signIn('platform@csphub.test', DEMO_PASSWORD)).status, 303);
      const platformUser = await t.k.selectFrom('users').selectAll().where('email', '=', 'platform@csphub.test').executeTakeFirstOrThrow();
      platformToken = (await createToken(t.k, platformUser, 'transfer')).token;
      adminUser = await memberOf(t.k, rotherham, 'admin');
      admin = new Browser(t.app);
      await admin.signIn(adminUser.email);
      adminToken = (await createToken(t.k, adminUser, 'transfer')).token;
      const editorUser = await memberOf(t.k, rotherham, 'editor');
      editor = new Browser(t.app);
      await editor.signIn(editorUser.email);
      editorToken = (await createToken(t.k, editorUser, 'transfer')).token;
    });
    after(async () => t.close());

    it("offers the export on the partnership's settings page and downloads the whole partnership", async () => {
      const settings = await admin.get(`/partnerships/${rotherham}/settings`);
      assert.equal(settings.status, 200);
      assert.match(settings.body, /<h2 class="govuk-heading-m" id="export">Export this partnership<\/h2>/);
      assert.match(settings.body, new RegExp(`href="/partnerships/${rotherham}/export.json"`));
      const before = await partnershipCounts(t.k, rotherham);
      const res = await download(t, admin, `/partnerships/${rotherham}/export.json`);
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.match(
        String(res.headers['content-disposition']),
        /^attachment; filename="safer-rotherham-partnership-export-\d{4}-\d{2}-\d{2}\.json"/,
      );
      assert.equal(Number(res.headers['content-length']), Buffer.byteLength(res.body));
      text = res.body;
      const file = parseExport(text);
      assert.equal(file.tables.partnerships![0]!.name, 'Safer Rotherham Partnership');
      for (const [table, n] of Object.entries(before)) assert.equal(file.tables[table]!.length, n, table);
      // The download itself is in the audit trail, with who made it.
      const audit = await listAudit(t.k, { partnershipId: rotherham, entityType: 'partnership_export' });
      assert.equal(audit.total, 1);
      assert.equal(audit.events[0]!.actor, adminUser.email);
    });

    it('refuses the export to editors and to administrators of other partnerships', async () => {
      assert.equal((await download(t, editor, `/partnerships/${rotherham}/export.json`)).statusCode, 403);
      assert.equal((await download(t, admin, `/partnerships/${rochford}/export.json`)).statusCode, 404);
      assert.equal((await api(t.app, editorToken, 'GET', `/api/v1/partnerships/${rotherham}/export`)).status, 403);
      assert.equal((await api(t.app, adminToken, 'GET', `/api/v1/partnerships/${rochford}/export`)).status, 404);
      assert.doesNotMatch((await editor.get(`/partnerships/${rotherham}/settings`)).body, /export\.json/);
    });

    it('exports through the API the same file as the page', async () => {
      const res = await api(t.app, adminToken, 'GET', `/api/v1/partnerships/${rotherham}/export`);
      assert.equal(res.status, 200);
      const viaApi = parseExport(res.body);
      const viaPage = parseExport(text);
      // The page's download added one audit event (and named its administrator) since.
      assert.deepEqual(viaApi.tables.partnerships, viaPage.tables.partnerships);
      assert.deepEqual(viaApi.tables.figures, viaPage.tables.figures);
      assert.equal(viaApi.tables.audit_events!.length, viaPage.tables.audit_events!.length + 1);
    });

    it('imports an uploaded file as a new partnership and shows what came in', async () => {
      const list = await platform.get('/admin/partnerships');
      assert.match(list.body, /href="\/admin\/partnerships\/import"/);
      const form = await platform.get('/admin/partnerships/import');
      assert.equal(form.status, 200);
      assert.match(form.body, /enctype="multipart\/form-data"/);
      const res = await platform.postFile(
        '/admin/partnerships/import',
        'file',
        { filename: 'rotherham.json', data: Buffer.from(text), type: 'application/json' },
        { name: 'Rotherham Imported' },
      );
      assert.equal(res.status, 303, res.body.slice(0, 2000));
      const m = /^\/partnerships\/(\d+)\/import-result$/.exec(res.location ?? '');
      assert.ok(m, res.location);
      const id = Number(m[1]);
      const page = await platform.get(res.location!);
      assert.equal(page.status, 200);
      assert.match(page.body, /Rotherham Imported has been imported/);
      assert.match(page.body, /<h1 class="govuk-heading-l">Rotherham Imported was imported<\/h1>/);
      assert.match(page.body, /\/public\/partnerships\/rotherham-imported/);
      const file = parseExport(text);
      assert.match(
        page.body,
        new RegExp(`Figures</th><td class="govuk-table__cell govuk-table__cell--numeric">${file.tables.figures!.length}</td>`),
      );
      assert.match(page.body, /Every member of the exported partnership has an account here/);
      const counts = await partnershipCounts(t.k, id);
      assert.equal(counts.figures, file.tables.figures!.length);
      assert.equal(counts.audit_events, file.tables.audit_events!.length + 1);
      for (const url of [
        `/partnerships/${id}`,
        `/partnerships/${id}/performance`,
        `/partnerships/${id}/plans`,
        `/partnerships/${id}/indicators`,
      ])
        assert.equal((await platform.get(url)).status, 200, url);
      // A partnership created here has no import record.
      const plain = await platform.get(`/partnerships/${rochford}/import-result`);
      assert.equal(plain.status, 200);
      assert.match(plain.body, /was created on this CSP Hub, not imported from a file/);
    });

    it('lists every problem of a bad upload, keeps the name, and writes nothing', async () => {
      const before = await allCounts(t.k);
      const f = JSON.parse(text) as ExportFile;
      f.tables.figures![0]!.value = '12';
      f.tables.figures![1]!.indicator_id = 999999;
      const res = await platform.postFile(
        '/admin/partnerships/import',
        'file',
        { filename: 'edited.json', data: Buffer.from(JSON.stringify(f)) },
        { name: 'Broken import' },
      );
      assert.equal(res.status, 400);
      assert.match(res.body, /<title>Error: Import a partnership/);
      assert.match(res.body, /govuk-error-summary/);
      assert.match(res.body, /<a href="#file">The file has 2 problems, listed below. Nothing has been imported<\/a>/);
      assert.match(res.body, /Problems in edited\.json/);
      assert.match(
        res.body,
        /<code>tables\.figures\[0\]\.value<\/code><\/td>\s*<td class="govuk-table__cell">a number of 0 or more and at most 1,000,000,000,000<\/td>\s*<td class="govuk-table__cell">&quot;12&quot; \(text\)<\/td>/,
      );
      assert.match(res.body, /<code>tables\.figures\[1\]\.indicator_id<\/code>/);
      assert.match(res.body, /value="Broken import"/);

      const truncated = await platform.postFile('/admin/partnerships/import', 'file', {
        filename: 'cut.json',
        data: Buffer.from(text.slice(0, 5000)),
      });
      assert.equal(truncated.status, 400);
      assert.match(truncated.body, /The file is not valid JSON: .* at the end of the file \(line \d+\): the file may be cut short/);

      const clash = await platform.postFile('/admin/partnerships/import', 'file', { filename: 'rotherham.json', data: Buffer.from(text) });
      assert.equal(clash.status, 400);
      assert.match(
        clash.body,
        /<a href="#name">A partnership called &quot;Safer Rotherham Partnership&quot; already exists here. Enter a different name for the imported partnership<\/a>/,
      );

      const none = await platform.post('/admin/partnerships/import', { name: 'No file' });
      assert.equal(none.status, 400);
      assert.match(none.body, /Choose a CSP Hub partnership export file \(.json\)/);
      assert.deepEqual(await allCounts(t.k), before);
    });

    it('keeps the import to platform administrators', async () => {
      const before = await allCounts(t.k);
      const res = await admin.postFile(
        '/admin/partnerships/import',
        'file',
        { filename: 'rotherham.json', data: Buffer.from(text) },
        { name: 'Sneaky copy' },
      );
      assert.equal(res.status, 403);
      assert.equal((await admin.get('/admin/partnerships/import')).status, 403);
      const viaApi = await t.app.inject({
        method: 'POST',
        url: '/api/v1/partnership-imports?name=Sneaky',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        payload: text,
      });
      assert.equal(viaApi.statusCode, 403);
      assert.deepEqual(await allCounts(t.k), before);
    });

    it('imports through the API, with problems as JSON path, expected and got', async () => {
      const post = (payload: string, query = '') =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/partnership-imports${query}`,
          headers: { authorization: `Bearer ${platformToken}`, 'content-type': 'application/json' },
          payload,
        });
      const ok = await post(text, '?name=Rotherham%20via%20API');
      assert.equal(ok.statusCode, 201, ok.body);
      const result = ok.json<{
        partnership: { id: number; name: string; slug: string };
        counts: Record<string, number>;
        membersLeftOut: unknown[];
      }>();
      assert.equal(result.partnership.name, 'Rotherham via API');
      assert.equal(result.partnership.slug, 'rotherham-via-api');
      assert.equal(result.counts.figures, parseExport(text).tables.figures!.length);

      const before = await allCounts(t.k);
      const f = JSON.parse(text) as ExportFile;
      f.formatVersion = 7;
      const bad = await post(JSON.stringify(f), '?name=Never');
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(bad.json<{ problems: unknown[] }>().problems, [
        {
          field: 'file',
          path: 'formatVersion',
          expected: '1 (the only format version this CSP Hub reads)',
          got: '7 (a number)',
          message: 'formatVersion: expected 1 (the only format version this CSP Hub reads), got 7 (a number)',
        },
      ]);
      const cut = await post(text.slice(0, 300), '?name=Never');
      assert.equal(cut.statusCode, 400);
      assert.match(
        cut.json<{ problems: { message: string }[] }>().problems[0]!.message,
        /^The file is not valid JSON: .*the file may be cut short$/,
      );
      assert.equal((await api(t.app, 'csphub_not-a-token', 'POST', '/api/v1/partnership-imports', {})).status, 401);
      assert.deepEqual(await allCounts(t.k), before);
    });

    it('carries a meeting with an uploaded paper (its bytes) and linked papers (links to its own pages get the new ids); the copy serves the file byte for byte', async () => {
      const source = (await makePartnership(t.k, 'Safer Paperton')).id;
      const sourceAdmin = await memberOf(t.k, source, 'admin');
      const { version } = await createPlan(t.k, SYSTEM_ACTOR, source, { title: 'Paperton plan', startYear: 2025, endYear: 2028 });
      const group = await createPart(t.k, SYSTEM_ACTOR, source, 'group', version.id, { name: 'Joint Action Group' });
      const meeting = await createMeeting(t.k, SYSTEM_ACTOR, source, { groupId: group.id, date: '2026-03-12', time: '10:00' });
      const item = await addAgendaItem(t.k, SYSTEM_ACTOR, source, meeting.id, {
        kind: 'item',
        title: 'Hotspots',
        presenterUserId: sourceAdmin.id,
      });
      // Every byte value, after a PDF header: base64 must carry them all.
      const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256))]);
      const uploaded = await uploadPaper(t.k, SYSTEM_ACTOR, source, meeting.id, {
        title: 'Hotspot analysis',
        agendaItemId: item.id,
        file: { filename: 'hotspots.pdf', data: bytes },
      });
      await addPaper(t.k, SYSTEM_ACTOR, source, meeting.id, { title: 'Police briefing', url: 'https://example.org/briefing' });
      // Links to pages of the same partnership (issue 18): within CSP Hub, full on this instance and on the exporting
      // one; and links that must stay: another partnership's page, an outside site with a path that looks the same.
      const links: Record<string, string> = {
        'Board pack': `/partnerships/${source}/reports/quarterly?period=2025-26%20Q3`,
        'Last meeting': `/partnerships/${source}/meetings/${meeting.id}#agenda`,
        'The plan': `http://localhost:3000/partnerships/${source}/plan-versions/${version.id}`,
        'Group actions': `/partnerships/${source}/actions?group=${group.id}&status=open`,
        'Old hub meeting': `https://old-hub.example.org/partnerships/${source}/meetings/${meeting.id}/pack`,
        'Other partnership': `/partnerships/${rotherham}/performance`,
        'Look-alike': `https://example.org/partnerships/${source}/meetings/${meeting.id}`,
      };
      for (const [title, url] of Object.entries(links)) await addPaper(t.k, SYSTEM_ACTOR, source, meeting.id, { title, url });

      const exported = await api(
        t.app,
        (await createToken(t.k, sourceAdmin, 'paperton')).token,
        'GET',
        `/api/v1/partnerships/${source}/export`,
      );
      assert.equal(exported.status, 200);
      const file = parseExport(exported.body);
      assert.deepEqual(file.tables.meeting_paper_files, [
        { paper_id: uploaded.id, partnership_id: source, content: bytes.toString('base64') },
      ]);
      // The file names the instance it came from; here it says another, as if moved between instances.
      assert.equal((file as unknown as { app: { baseUrl: string } }).app.baseUrl, 'http://localhost:3000');
      (file as unknown as { app: { baseUrl: string } }).app.baseUrl = 'https://old-hub.example.org/';
      const imported = await t.app.inject({
        method: 'POST',
        url: '/api/v1/partnership-imports?name=Paperton%20copy',
        headers: { authorization: `Bearer ${platformToken}`, 'content-type': 'application/json' },
        payload: JSON.stringify(file),
      });
      assert.equal(imported.statusCode, 201, imported.body);
      const copy = imported.json<{ partnership: { id: number }; counts: Record<string, number> }>();
      assert.equal(copy.counts.meeting_paper_files, 1);
      const [newMeeting] = (await api(t.app, platformToken, 'GET', `/api/v1/partnerships/${copy.partnership.id}/meetings`)).json<
        { id: number }[]
      >();
      assert.ok(newMeeting && newMeeting.id !== meeting.id);
      const details = (
        await api(t.app, platformToken, 'GET', `/api/v1/partnerships/${copy.partnership.id}/meetings/${newMeeting.id}`)
      ).json<{
        agenda: { presenterUserId: number | null; papers: { id: number }[] }[];
        papers: { id: number; title: string; url: string; fileName: string | null }[];
      }>();
      assert.equal(details.agenda[0]!.presenterUserId, sourceAdmin.id, 'the presenter, matched by email');
      const paper = details.papers.find((p) => p.fileName === 'hotspots.pdf')!;
      assert.notEqual(paper.id, uploaded.id);
      assert.deepEqual(
        details.agenda[0]!.papers.map((p) => p.id),
        [paper.id],
        'filed under the copied item',
      );
      // The address is the copy's own, not the one stored on the exporting side.
      assert.equal(paper.url, `/partnerships/${copy.partnership.id}/meetings/${newMeeting.id}/papers/${paper.id}/file`);
      const page = await platform.get(`/partnerships/${copy.partnership.id}/meetings/${newMeeting.id}`);
      assert.ok(page.body.includes(`href="${paper.url}"`));
      const fetched = await download(t, platform, paper.url);
      assert.equal(fetched.statusCode, 200);
      assert.equal(fetched.headers['content-type'], 'application/pdf');
      assert.ok(fetched.rawPayload.equals(bytes), 'byte for byte');
      const linked = details.papers.find((p) => p.fileName === null)!;
      assert.deepEqual([linked.title, linked.url], ['Police briefing', 'https://example.org/briefing']);
      const newVersion = await t.k
        .selectFrom('plan_versions')
        .select('id')
        .where('partnership_id', '=', copy.partnership.id)
        .executeTakeFirstOrThrow();
      const newGroup = await t.k
        .selectFrom('governance_groups')
        .select('id')
        .where('partnership_id', '=', copy.partnership.id)
        .executeTakeFirstOrThrow();
      const c = copy.partnership.id;
      assert.deepEqual(Object.fromEntries(details.papers.filter((p) => p.title in links).map((p) => [p.title, p.url])), {
        'Board pack': `/partnerships/${c}/reports/quarterly?period=2025-26%20Q3`,
        'Last meeting': `/partnerships/${c}/meetings/${newMeeting.id}#agenda`,
        'The plan': `http://localhost:3000/partnerships/${c}/plan-versions/${newVersion.id}`,
        'Group actions': `/partnerships/${c}/actions?group=${newGroup.id}&status=open`,
        'Old hub meeting': `https://old-hub.example.org/partnerships/${c}/meetings/${newMeeting.id}/pack`,
        'Other partnership': links['Other partnership'],
        'Look-alike': links['Look-alike'],
      });
      assert.notEqual(newVersion.id, version.id);
      assert.notEqual(newGroup.id, group.id);
      // A file whose bytes are not base64 is refused, naming the place.
      const bad = JSON.parse(exported.body) as ExportFile;
      bad.tables.meeting_paper_files![0]!.content = 'not base64!';
      const refused = await t.app.inject({
        method: 'POST',
        url: '/api/v1/partnership-imports?name=Never%20paper',
        headers: { authorization: `Bearer ${platformToken}`, 'content-type': 'application/json' },
        payload: JSON.stringify(bad),
      });
      assert.equal(refused.statusCode, 400);
      assert.deepEqual(
        refused.json<{ problems: { path: string; expected: string }[] }>().problems.map((p) => [p.path, p.expected]),
        [['tables.meeting_paper_files[0].content', "a file's bytes as base64 text"]],
      );
    });

    it('accepts a file over the default 50 MB when IMPORT_LIMIT_MB allows it', async () => {
      const small = (await makePartnership(t.k, 'Safer Bigfile')).id;
      const exported = (await exportPartnership(t.k, SYSTEM_ACTOR, small)).chunks.join('');
      // 51 MB of JSON whitespace inside the file: over the old limit, cheap to make and to parse.
      const data = Buffer.concat([Buffer.from('{'), Buffer.alloc(51 * 1024 * 1024, ' '), Buffer.from(exported.slice(1))]);
      assert.match((await platform.get('/admin/partnerships/import')).body, /The largest file accepted is 60 MB\./);
      const res = await platform.postFile(
        '/admin/partnerships/import',
        'file',
        { filename: 'big.json', data, type: 'application/json' },
        { name: 'Bigfile copy' },
      );
      assert.equal(res.status, 303, res.body.slice(0, 2000));
      assert.ok(await findPartnershipByName(t.k, 'Bigfile copy'));
    });

    it('documents both operations in the OpenAPI document', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
        paths: Record<string, Record<string, { summary: string; requestBody?: unknown }>>;
      }>();
      assert.match(doc.paths['/api/v1/partnerships/{partnershipId}/export']!.get!.summary, /Export the whole partnership/);
      const imp = doc.paths['/api/v1/partnership-imports']!.post!;
      assert.match(imp.summary, /Import a partnership export file/);
      assert.ok(imp.requestBody, 'the file format is documented as the request body');
    });
  });
}
