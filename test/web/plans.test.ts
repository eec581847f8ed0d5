/**
 * Partnership plans through the real app on each engine, as officers use them: create a plan, validation with the
 * error summary, two editors and a conflict, approval and publication, the public summary signed out, a refresh
 * and the comparison, and the API.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { api, Browser, makePartnership, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { listPlans, loadPlanDocument } from '../../src/services/plans/plans.ts';
import { listParts } from '../../src/services/plans/planParts.ts';
import { createOrganisation } from '../../src/services/partnerships/organisations.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { buildPlanReport } from '../../src/presentation/documents/planDocument.ts';

function idFrom(location: string | undefined, pattern: RegExp): number {
  const m = pattern.exec(location ?? '');
  assert.ok(m, `redirected to ${location}`);
  return Number(m[1]);
}

for (const engine of ENGINES) {
  describe(`plans in the app on ${engine}`, () => {
    let t: TestApp;
    let p: { id: number; name: string; slug: string };
    let editor: Browser;
    let admin: Browser;
    let contributor: Browser;
    let versionId: number;
    let priorityId: number;

    before(async () => {
      t = await startTestApp(engine);
      p = await makePartnership(t.k, 'Safer Webtown Partnership');
      editor = new Browser(t.app);
      admin = new Browser(t.app);
      contributor = new Browser(t.app);
      await editor.signIn((await memberOf(t.k, p.id, 'editor')).email);
      await admin.signIn((await memberOf(t.k, p.id, 'admin')).email);
      await contributor.signIn((await memberOf(t.k, p.id, 'contributor')).email);
    });
    after(() => t.close());

    it('creates a plan after showing what is wrong with the form', async () => {
      const base = `/partnerships/${p.id}/plans`;
      assert.match((await editor.get(base)).body, /No plans have been created yet/);
      await editor.get(`${base}/new`);
      let res = await editor.post(`${base}/new`, { title: '', startYear: '16', endYear: '' });
      assert.equal(res.status, 400);
      assert.match(res.body, /govuk-error-summary/);
      assert.match(res.body, /href="#title">Enter the title of the plan/);
      assert.match(res.body, /href="#startYear">The first year must be a year between 1998 and 2100/);
      assert.match(res.body, /href="#endYear">Enter the last year/);
      assert.equal((await listPlans(t.k, p.id)).length, 0, 'nothing written');
      res = await editor.post(`${base}/new`, { title: 'Partnership Plan', startYear: '2016', endYear: '2019' });
      assert.equal(res.status, 303);
      versionId = idFrom(res.location, /plan-versions\/(\d+)$/);
      const page = await editor.get(res.location!);
      assert.equal(page.status, 200);
      assert.match(page.body, /Partnership Plan 2016-19/);
      assert.match(page.body, /Contents/);
      assert.match((await contributor.get(`/partnerships/${p.id}/plans/new`)).body, /You do not have permission/);
    });

    it('adds priorities, objectives, activities with progress, risks and funding through the forms', async () => {
      const v = `/partnerships/${p.id}/plan-versions/${versionId}`;
      await editor.get(`${v}/priorities/new`);
      let res = await editor.post(`${v}/priorities/new`, { title: '' });
      assert.equal(res.status, 400);
      assert.match(res.body, /href="#title">Enter the priority/);
      res = await editor.post(`${v}/priorities/new`, {
        title: 'Anti-social behaviour',
        why: 'The concern raised most often by residents',
        whatWeWillDo: 'Act quickly on reports',
      });
      assert.equal(res.status, 303);
      priorityId = idFrom(res.location, /priorities\/(\d+)$/);
      const pbase = `/partnerships/${p.id}/priorities/${priorityId}`;
      res = await editor.post(`${pbase}/objectives/new`, { title: 'Reduce repeat calls' });
      assert.equal(res.status, 303);
      const objectiveId = (await listParts(t.k, p.id, 'objective', priorityId))[0]!.id;
      // A contributor records delivery: activities and progress updates, but not plan content.
      res = await contributor.post(`/partnerships/${p.id}/objectives/${objectiveId}/activities/new`, {
        title: 'Street surgeries',
        status: 'in_progress',
        rag: 'amber',
        'dueDate-day': '31',
        'dueDate-month': '2',
        'dueDate-year': '2017',
      });
      assert.equal(res.status, 400);
      assert.match(res.body, /href="#dueDate-day">The due date must be a real date/);
      // Cross-field: the due date may not come before the start date.
      res = await contributor.post(`/partnerships/${p.id}/objectives/${objectiveId}/activities/new`, {
        title: 'Street surgeries',
        status: 'in_progress',
        'startDate-day': '1',
        'startDate-month': '4',
        'startDate-year': '2017',
        'dueDate-day': '31',
        'dueDate-month': '3',
        'dueDate-year': '2017',
      });
      assert.equal(res.status, 400);
      assert.match(res.body, /href="#dueDate-day">The due date must be the same as or after the start date, 1 April 2017/);
      assert.match(res.body, /id="startDate-month" name="startDate-month" type="text" value="4"/);
      // The lead is chosen from the partnership's members and organisations, or "someone else" named in the box.
      const form = await contributor.get(`/partnerships/${p.id}/objectives/${objectiveId}/activities/new`);
      assert.match(
        form.body,
        /<select class="govuk-select" id="lead" name="lead"[^>]*>[\s\S]*<option value="\(someone else\)">Someone else/,
      );
      res = await contributor.post(`/partnerships/${p.id}/objectives/${objectiveId}/activities/new`, {
        title: 'Street surgeries',
        status: 'in_progress',
        lead: '(someone else)',
        leadOther: '',
      });
      assert.equal(res.status, 400);
      assert.match(res.body, /href="#leadOther">Enter the name of the lead/);
      res = await contributor.post(`/partnerships/${p.id}/objectives/${objectiveId}/activities/new`, {
        title: 'Street surgeries',
        status: 'in_progress',
        rag: 'amber',
        lead: '(someone else)',
        leadOther: 'Neighbourhood Policing Team',
        dueDate: '31/3/2017',
      });
      assert.equal(res.status, 303);
      const activity = (await listParts(t.k, p.id, 'activity', objectiveId))[0]!;
      assert.equal(activity.lead, 'Neighbourhood Policing Team', 'the name is stored, as the API writes it');
      const activityId = activity.id;
      const edit = await contributor.get(`/partnerships/${p.id}/activities/${activityId}/edit`);
      assert.match(edit.body, /<option value="\(someone else\)" selected>Someone else/);
      assert.match(edit.body, /id="leadOther" name="leadOther" type="text" value="Neighbourhood Policing Team"/);
      // Partners involved are ticked from the partnership's organisations, others typed; stored as one text (issue 15).
      for (const name of ['South Yorkshire Police', 'Webtown Council'])
        await createOrganisation(t.k, SYSTEM_ACTOR, p.id, { name, type: 'other' });
      const newForm = await contributor.get(`/partnerships/${p.id}/objectives/${objectiveId}/activities/new`);
      assert.match(
        newForm.body,
        /<legend[^>]*>\s*Partners involved \(optional\)[\s\S]*name="partners" type="checkbox" value="South Yorkshire Police"/,
      );
      res = await contributor.post(`/partnerships/${p.id}/objectives/${objectiveId}/activities/new`, {
        title: 'Youth diversion',
        status: 'in_progress',
        partners: 'Webtown Council',
        partnersOther: 'Youth club, Webtown Council',
      });
      assert.equal(res.status, 303);
      const diversion = (await listParts(t.k, p.id, 'activity', objectiveId)).find((a) => a.title === 'Youth diversion')!;
      assert.equal(diversion.partners, 'Webtown Council, Youth club', 'one text, each name once, as the API writes it');
      const diversionEdit = await contributor.get(`/partnerships/${p.id}/activities/${diversion.id}/edit`);
      assert.match(diversionEdit.body, /name="partners" type="checkbox" value="Webtown Council" checked/);
      assert.doesNotMatch(diversionEdit.body, /value="South Yorkshire Police" checked/);
      assert.match(diversionEdit.body, /id="partnersOther" name="partnersOther" type="text" value="Youth club"/);
      res = await contributor.post(`/partnerships/${p.id}/activities/${activityId}/progress-updates/new`, {
        updateDate: '2016-06-30',
        note: 'Three surgeries held',
        rag: 'green',
      });
      assert.equal(res.status, 303);
      assert.equal((await contributor.post(`${pbase}/objectives/new`, { title: 'Not allowed' })).status, 403);
      res = await contributor.post(`/partnerships/${p.id}/activities/${activityId}/progress-updates/new`, {
        updateDate: '2016-09-30',
        note: 'Surgeries moved to evenings',
        rag: 'amber',
      });
      assert.equal(res.status, 303);
      const activityPage = await contributor.get(`/partnerships/${p.id}/activities/${activityId}`);
      assert.equal(activityPage.status, 200);
      assert.match(
        activityPage.body,
        /30 September 2016<\/td><td class="govuk-table__cell">Surgeries moved to evenings[\s\S]*30 June 2016<\/td><td class="govuk-table__cell">Three surgeries held/,
        'dated updates, newest first',
      );
      res = await editor.post(`${pbase}/risks/new`, {
        risk: 'Reporting line withdrawn',
        severity: 'high',
        likelihood: 'medium',
        responsiblePartner: 'Community Safety Team',
      });
      assert.equal(res.status, 303);
      res = await editor.post(`${pbase}/resources/new`, { kind: 'money', description: 'Youth project', amount: '£21,700' });
      assert.equal(res.status, 303);
      res = await editor.post(`${v}/funding-streams/new`, { name: 'Community Safety Fund', amount: '224,550', approvalThreshold: '2,000' });
      assert.equal(res.status, 303);
      const streamId = (await listParts(t.k, p.id, 'stream', versionId))[0]!.id;
      res = await editor.post(`/partnerships/${p.id}/funding-streams/${streamId}/allocations/new`, {
        project: 'Street surgeries',
        priorityId: String(priorityId),
        amount: '5000',
        boardApproved: 'no',
        spent: '',
      });
      assert.equal(res.status, 303);
      res = await editor.post(`${v}/engagement-methods/new`, { method: 'Neighbourhood surgeries', description: 'Residents meet officers' });
      assert.equal(res.status, 303);

      const page = await editor.get(pbase);
      assert.equal(page.status, 200);
      assert.match(page.body, /Street surgeries/);
      assert.match(page.body, /Surgeries moved to evenings/);
      assert.match(page.body, /and 1 earlier update/);
      assert.match(page.body, /Risk matrix/);
      assert.match(page.body, /app-risk-matrix__cell--high-medium">\s*<strong>1<\/strong>/);
      assert.match(page.body, /£21,700/);
      const funding = await editor.get(`${v}/funding`);
      assert.match(funding.body, /£224,550/);
      assert.match(funding.body, /Needs Board approval/);
      // Money typed as people write it — "£1.2m", "£1.2 million", "£500k" — is read alike, shown back in words,
      // and an ambiguous amount is refused with the reason, writing nothing (issue 15).
      res = await editor.post(`${v}/funding-streams/new`, { name: 'Serious Violence Duty', amount: '£1.2m', approvalThreshold: '£500k' });
      assert.equal(res.status, 303);
      const svd = (await listParts(t.k, p.id, 'stream', versionId)).find((x) => x.name === 'Serious Violence Duty')!;
      assert.deepEqual([svd.amount_pence, svd.approval_threshold_pence], [120_000_000, 50_000_000]);
      assert.match((await editor.get(`${v}/funding`)).body, /£1,200,000 \(£1.2 million\) from|£1,200,000 \(£1.2 million\)\. Allocated/);
      const editStream = await editor.get(`/partnerships/${p.id}/funding-streams/${svd.id}/edit`);
      assert.match(editStream.body, /For example, 21,700, £1.2m or £1.2 million\. Read as £1,200,000 \(£1.2 million\)/);
      const allocations = `/partnerships/${p.id}/funding-streams/${streamId}/allocations/new`;
      const ambiguous = await editor.post(allocations, {
        project: 'Vans',
        priorityId: String(priorityId),
        amount: '1.200',
        boardApproved: 'no',
      });
      assert.equal(ambiguous.status, 400);
      assert.match(
        ambiguous.body,
        /href="#amount">The amount allocated is ambiguous: write pence with two figures, like 1.20, or thousands with a comma, like 1,200/,
      );
      const range = await editor.post(`${pbase}/resources/new`, { kind: 'money', description: 'Vans', amount: '£1m-£2m' });
      assert.match(range.body, /The amount is a range or more than one amount: enter one amount/);
      res = await editor.post(`${pbase}/resources/new`, { kind: 'money', description: 'CCTV', amount: '£1.2 million' });
      assert.equal(res.status, 303);
      assert.equal((await listParts(t.k, p.id, 'resource', priorityId)).find((x) => x.description === 'CCTV')?.amount_pence, 120_000_000);
      assert.equal((await listParts(t.k, p.id, 'allocation', streamId)).length, 1, 'the refused allocation wrote nothing');
    });

    it('tells the second of two editors saving the same priority that there is a conflict, and shows the newer version', async () => {
      const second = new Browser(t.app);
      await second.signIn((await memberOf(t.k, p.id, 'editor')).email);
      const url = `/partnerships/${p.id}/priorities/${priorityId}/edit`;
      const first = await editor.get(url);
      await second.get(url);
      const seen = /name="expectedUpdatedAt" value="([^"]+)"/.exec(first.body)![1]!;
      let res = await editor.post(url, {
        title: 'Anti-social behaviour and nuisance',
        why: 'The concern raised most often by residents',
        expectedUpdatedAt: seen,
      });
      assert.equal(res.status, 303);
      res = await second.post(url, { title: 'ASB', expectedUpdatedAt: seen });
      assert.equal(res.status, 409);
      assert.match(res.body, /changed by someone else/);
      assert.match(res.body, /value="Anti-social behaviour and nuisance"/, 'the form shows the newer version');
      assert.match(res.body, /What you tried to save was/);
      assert.match(res.body, /<dd>ASB<\/dd>/);
      const doc = await loadPlanDocument(t.k, p.id, versionId);
      assert.equal(doc.priorities[0]!.title, 'Anti-social behaviour and nuisance');
    });

    it('records approval (admin only), publishes, and shows the public summary signed out', async () => {
      const v = `/partnerships/${p.id}/plan-versions/${versionId}`;
      const anonymous = new Browser(t.app);
      assert.equal((await anonymous.get(`/public/partnerships/${p.slug}`)).status, 404, 'nothing published yet');
      assert.equal((await editor.get(`${v}/approve`)).status, 403);
      await admin.get(`${v}/approve`);
      let res = await admin.post(`${v}/approve`, { approvedBy: '', approvedOn: 'soon', meeting: '' });
      assert.equal(res.status, 400);
      assert.match(res.body, /Enter who approved the plan/);
      assert.match(res.body, /must be a real date/);
      res = await admin.post(`${v}/publish`, { confirm: 'yes' });
      assert.equal(res.status, 409, 'not approved yet');
      res = await admin.post(`${v}/approve`, {
        approvedBy: 'Partnership Board',
        approvedOn: '24/3/2016',
        meeting: 'Board meeting, 24 March 2016',
      });
      assert.equal(res.status, 303);
      // Approved content is fixed.
      res = await editor.post(`/partnerships/${p.id}/priorities/${priorityId}/edit`, { title: 'Late change' });
      assert.equal(res.status, 409);
      assert.match(res.body, /can no longer be changed/);
      res = await admin.post(`${v}/publish`, { confirm: 'yes' });
      assert.equal(res.status, 303);
      const page = await admin.get(v);
      assert.match(page.body, /Published/);
      assert.match(page.body, /24 March 2016 by Partnership Board/);

      const pub = await anonymous.get(`/public/partnerships/${p.slug}`);
      assert.equal(pub.status, 200);
      assert.match(pub.body, /Anti-social behaviour and nuisance/);
      assert.match(pub.body, /The concern raised most often by residents/);
      assert.match(pub.body, /Neighbourhood surgeries/);
      assert.match(String(pub.headers['content-security-policy']), /script-src 'self' 'nonce-/);
      assert.doesNotMatch(pub.body, /Street surgeries/, 'delivery detail is not in the public summary');
      assert.equal((await anonymous.get('/public/partnerships/no-such-partnership')).status, 404);
    });

    it('starts a refresh as a copy and compares it with the published version', async () => {
      const v = `/partnerships/${p.id}/plan-versions/${versionId}`;
      const form = await editor.get(`${v}/refresh`);
      assert.match(form.body, /value="2017\/18 refresh"/);
      let res = await editor.post(`${v}/refresh`, { label: '2016-19', year: '2017' });
      assert.equal(res.status, 400);
      assert.match(res.body, /already has this label/);
      res = await editor.post(`${v}/refresh`, { label: '2017/18 refresh', year: '2017' });
      assert.equal(res.status, 303);
      const refreshId = idFrom(res.location, /plan-versions\/(\d+)$/);
      const copy = await loadPlanDocument(t.k, p.id, refreshId);
      assert.equal(copy.priorities.length, 1);
      const newPriority = copy.priorities[0]!.id;
      res = await editor.post(`/partnerships/${p.id}/priorities/${newPriority}/edit`, {
        title: 'Anti-social behaviour',
        why: 'Still the top concern',
      });
      assert.equal(res.status, 303);
      res = await editor.post(`/partnerships/${p.id}/plan-versions/${refreshId}/priorities/new`, { title: 'Domestic abuse' });
      assert.equal(res.status, 303);
      const compare = await editor.get(`/partnerships/${p.id}/plan-versions/${refreshId}/compare`);
      assert.equal(compare.status, 200);
      assert.match(compare.body, /From 2016-19 to 2017\/18 refresh/);
      assert.match(compare.body, /Anti-social behaviour and nuisance → Anti-social behaviour/);
      assert.match(compare.body, /Renamed/);
      assert.match(
        compare.body,
        /Domestic abuse<\/th>\s*<td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--green">\s*Added/,
      );
      // The public summary still shows the published version, not the draft refresh.
      assert.match((await new Browser(t.app).get(`/public/partnerships/${p.slug}`)).body, /Anti-social behaviour and nuisance/);
    });

    it('shows the governance structure as a diagram and a table', async () => {
      const { version } = (await listPlans(t.k, p.id))[0]!.versions.filter((x) => x.status === 'draft').map((x) => ({ version: x }))[0]!;
      const v = `/partnerships/${p.id}/plan-versions/${version.id}`;
      let res = await editor.post(`${v}/governance-groups/new`, {
        name: 'Partnership Board',
        chair: 'Council leader',
        memberOrganisations: 'Council\nPolice',
      });
      assert.equal(res.status, 303);
      const board = (await listParts(t.k, p.id, 'group', version.id))[0]!.id;
      res = await editor.post(`${v}/governance-groups/new`, {
        name: 'Joint Action Group',
        meetingFrequency: 'Every two weeks',
        reportsToGroupId: String(board),
      });
      assert.equal(res.status, 303);
      res = await editor.post(`/partnerships/${p.id}/governance-groups/${board}/edit`, {
        name: 'Partnership Board',
        reportsToGroupId: String(board + 1),
      });
      assert.equal(res.status, 400);
      assert.match(res.body, /cannot report to a group that reports to it|Select the group it reports to from the list/);
      const page = await editor.get(`${v}/governance`);
      assert.match(page.body, /<svg[^>]*role="img"/);
      assert.match(page.body, /Joint Action Group<\/th>/);
      assert.match(page.body, /<li>Partnership Board<ul class="govuk-list app-tree">\s*<li>Joint Action Group<\/li>/);
    });

    it('reads and writes plans over the API with the same rules', async () => {
      const editorUser = await memberOf(t.k, p.id, 'editor');
      const token = (await createToken(t.k, editorUser, 'api')).token;
      let res = await api(t.app, token, 'POST', `/api/v1/partnerships/${p.id}/plans`, {
        title: 'API Plan',
        startYear: 2020,
        endYear: 2023,
      });
      assert.equal(res.status, 201);
      const created = res.json<{ plan: { id: number }; version: { id: number; status: string } }>();
      assert.equal(created.version.status, 'draft');
      const vid = created.version.id;
      res = await api(t.app, token, 'POST', `/api/v1/partnerships/${p.id}/plan-versions/${vid}/priorities`, { title: '' });
      assert.equal(res.status, 400);
      res = await api(t.app, token, 'POST', `/api/v1/partnerships/${p.id}/plan-versions/${vid}/priorities`, {
        title: 'Violence',
        why: 'Rising',
      });
      assert.equal(res.status, 201);
      const priority = res.json<{ id: number; updatedAt: string }>();
      res = await api(t.app, token, 'POST', `/api/v1/partnerships/${p.id}/priorities/${priority.id}/risks`, {
        risk: 'Funding cut',
        severity: 'high',
        likelihood: 'low',
      });
      assert.equal(res.status, 201);
      res = await api(t.app, token, 'PUT', `/api/v1/partnerships/${p.id}/priorities/${priority.id}`, {
        title: 'Serious violence',
        expectedUpdatedAt: priority.updatedAt,
      });
      assert.equal(res.status, 200);
      res = await api(t.app, token, 'PUT', `/api/v1/partnerships/${p.id}/priorities/${priority.id}`, {
        title: 'Old copy',
        expectedUpdatedAt: priority.updatedAt,
      });
      assert.equal(res.status, 409);
      res = await api(t.app, token, 'GET', `/api/v1/partnerships/${p.id}/plan-versions/${vid}`);
      assert.equal(res.status, 200);
      const doc = res.json<{ label: string; priorities: { title: string; risks: { severity: string }[] }[] }>();
      assert.equal(doc.label, '2020-23');
      assert.equal(doc.priorities[0]!.title, 'Serious violence');
      assert.equal(doc.priorities[0]!.risks[0]!.severity, 'high');
      res = await api(t.app, token, 'POST', `/api/v1/partnerships/${p.id}/plan-versions/${vid}/approve`, {
        approvedBy: 'Board',
        approvedOn: '2020-03-01',
        meeting: 'Board',
      });
      assert.equal(res.status, 403, 'editors cannot approve');
    });

    it('scores risks 5x5 once the partnership chooses it, with the score and band in words and overdue reviews flagged', async () => {
      const settings = await admin.post(`/partnerships/${p.id}/settings`, { name: p.name, riskScoring: 'five' });
      assert.equal(settings.status, 303);
      const newRisk = `/partnerships/${p.id}/priorities/${priorityId}/risks/new`;
      const form = await editor.get(newRisk);
      assert.match(form.body, /name="severityScore" type="radio" value="4"[^>]*>\s*<label[^>]*>\s*4 Major/);
      assert.doesNotMatch(form.body, /name="severity" type="radio"/, 'the 3x3 words are not asked');
      let res = await editor.post(newRisk, { risk: 'Youth service funding ends' });
      assert.equal(res.status, 400);
      assert.match(res.body, /href="#severityScore">Select the severity/);
      res = await editor.post(newRisk, {
        risk: 'Youth service funding ends',
        severityScore: '4',
        likelihoodScore: '4',
        mitigation: 'Bid to the Police and Crime Commissioner',
        residualSeverityScore: '4',
        residualLikelihoodScore: '2',
        'reviewDate-day': '1',
        'reviewDate-month': '1',
        'reviewDate-year': '2020',
      });
      assert.equal(res.status, 303);
      const risk = (await listParts(t.k, p.id, 'risk', priorityId)).find((r) => r.risk === 'Youth service funding ends')!;
      assert.deepEqual([risk.severity_score, risk.likelihood_score, risk.severity, risk.likelihood], [4, 4, 'high', 'high']);
      const page = await editor.get(`/partnerships/${p.id}/priorities/${priorityId}`);
      assert.match(page.body, /16, extreme \(major, likely\)/, 'score and band in words, not colour only');
      assert.match(page.body, /8, high \(major, unlikely\)/, 'the residual score');
      assert.match(page.body, /1 January 2020 <strong class="govuk-tag govuk-tag--red">Review overdue<\/strong>/);
      assert.match(
        page.body,
        /Severity 4 major<\/th>(\s*<td[^>]*>[\s\S]*?<\/td>){3}\s*<td class="govuk-table__cell app-risk-grid__cell app-risk-band--extreme">\s*<span class="govuk-body-s">16, extreme<\/span>\s*<br><strong>1 risk<\/strong>/,
      );
      // The plan document and the risk register download give the 5x5 scores too, not the 3x3 words.
      const report = JSON.stringify(await buildPlanReport(t.k, p.id, versionId));
      assert.match(report, /"Score before mitigation".*"Score after mitigation"/);
      assert.match(report, /"Youth service funding ends","16, extreme \(major, likely\)","8, high \(major, unlikely\)"/);
      const csv = await editor.get(`/partnerships/${p.id}/plan-versions/${versionId}/risks.csv`);
      assert.match(csv.body, /Priority,Risk,Score before mitigation,Score after mitigation,/);
      assert.match(csv.body, /Youth service funding ends,"16, extreme \(major, likely\)","8, high \(major, unlikely\)",/);
      assert.equal((await admin.post(`/partnerships/${p.id}/settings`, { name: p.name, riskScoring: 'words' })).status, 303);
      assert.match(
        (await editor.get(`/partnerships/${p.id}/plan-versions/${versionId}/risks.csv`)).body,
        /Priority,Risk,Severity,Likelihood,[\s\S]*Youth service funding ends,High,High,/,
        'back to the words',
      );
    });
  });
}
