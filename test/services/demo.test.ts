/** The demo data goes in through the services on an empty database, once, and is complete and audited. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { isEmpty, seedDemo } from '../../src/demo/seed.ts';
import { DEMO_PARTNERSHIPS } from '../../src/demo/partnerships.ts';
import { findPartnershipByName, getPartnership } from '../../src/services/partnerships/partnerships.ts';
import { listOrganisations } from '../../src/services/partnerships/organisations.ts';
import { signIn } from '../../src/services/identity/signIn.ts';
import { listAudit } from '../../src/services/platform/audit.ts';
import { listIndicators } from '../../src/services/performance/indicators.ts';
import { listCommentary } from '../../src/services/performance/commentary.ts';
import { listHighlightReports } from '../../src/services/performance/highlightReports.ts';
import { loadQuarterlyReport } from '../../src/presentation/documents/quarterlyReport.ts';
import { parseReportQuarter } from '../../src/domain/reportQuarter.ts';
import { ROTHERHAM_HIGHLIGHT_REPORTS, ROTHERHAM_Q4_COMMENTARY } from '../../src/demo/commentary.ts';
import { listReviews } from '../../src/services/plans/reviews.ts';
import { loadAnnualReview } from '../../src/presentation/documents/annualReview.ts';
import { listMeetings, loadMeeting } from '../../src/services/meetings/meetings.ts';
import { actionsForMeeting } from '../../src/services/meetings/actions.ts';
import { listDuties } from '../../src/services/meetings/statutoryCalendar.ts';

for (const engine of ENGINES) {
  describe(`demo data on ${engine}`, () => {
    let db: TestDb;
    before(async () => {
      db = await freshDb(engine);
    });
    after(() => db.drop());

    it('creates the three seed partnerships with their organisations and a demo administrator', async () => {
      assert.equal(await isEmpty(db.kysely), true);
      await seedDemo(db.kysely, { email: 'admin@csphub.test', password: 'demo-password-2026' });
      assert.equal(await isEmpty(db.kysely), false);
      assert.deepEqual(
        DEMO_PARTNERSHIPS.map((d) => d.name),
        ['Safer Rotherham Partnership', 'Rochford Community Safety Partnership', 'Rutland Community Safety Partnership'],
      );
      for (const demo of DEMO_PARTNERSHIPS) {
        const found = await findPartnershipByName(db.kysely, demo.name);
        assert.ok(found, `${demo.name} exists`);
        const p = await getPartnership(db.kysely, found.id);
        assert.equal(p.populations.length, demo.populations.length);
        const orgs = await listOrganisations(db.kysely, p.id);
        assert.deepEqual(orgs.map((o) => o.name).sort(), demo.organisations.map((o) => o.name).sort());
        assert.ok(
          orgs.some((o) => o.type === 'responsible_authority'),
          `${demo.name} has responsible authorities`,
        );
        const audit = await listAudit(db.kysely, { partnershipId: p.id, entityType: 'organisation', pageSize: 200 });
        assert.equal(audit.total, demo.organisations.length, 'every organisation created is in the audit trail');
      }
      await checkRotherhamCommentary(db);
      await checkRutlandMeetings(db);
      // Safer Rotherham's review of its 2018-21 plan, with its figures worked out from the review's quarterly series.
      const rotherham = (await findPartnershipByName(db.kysely, 'Safer Rotherham Partnership'))!;
      const reviews = await listReviews(db.kysely, rotherham.id);
      assert.deepEqual(
        reviews.map((r) => [r.title, r.start_year, r.end_year]),
        [['Review of the Safer Rotherham Partnership Plan', 2018, 2021]],
      );
      const review = await loadAnnualReview(db.kysely, rotherham.id, reviews[0]!.id);
      assert.deepEqual(
        review.priorities.map((p) => p.title),
        [
          'Protecting vulnerable children',
          'Protecting vulnerable adults',
          'Building confident and cohesive communities',
          'Domestic abuse and sexual offences',
          'Serious and organised crime',
        ],
      );
      assert.ok(
        review.priorities.every(
          (p) => p.keyOutputs.length >= 3 && p.narrative !== '' && p.areas.length >= 3 && p.areas.every((a) => a.narrative !== ''),
        ),
        'every priority has its story, outputs and areas',
      );
      const shown = new Map(
        review.priorities
          .flatMap((p) => p.areas.flatMap((a) => a.indicators))
          .map((i) => [i.label.split(' ').slice(0, 2).join(' '), i.yearTexts]),
      );
      assert.deepEqual([...shown.keys()].sort(), ['SRP 14', 'SRP 17', 'SRP 22', 'SRP 34', 'SRP R1', 'SRP R2', 'SRP R3', 'SRP R4']);
      assert.equal(shown.get('SRP 14')![1], '2,913', 'referrals into domestic abuse support services in 2019/20');
      assert.deepEqual(shown.get('SRP 17')!.slice(0, 2), ['6,621', '5,740'], '881 fewer anti-social behaviour incidents');
      assert.equal(shown.get('SRP R1')!.slice(0, 2).join(' + '), '45 + 63', '108 victims supported over two years');
      const reviewAudit = await listAudit(db.kysely, { partnershipId: rotherham.id, entityType: 'review_area', pageSize: 200 });
      assert.equal(
        reviewAudit.total,
        review.priorities.reduce((n, p) => n + p.areas.length, 0),
        'every objective area written is in the audit trail',
      );
      for (const other of ['Rochford Community Safety Partnership', 'Rutland Community Safety Partnership']) {
        assert.equal((await listReviews(db.kysely, (await findPartnershipByName(db.kysely, other))!.id)).length, 0);
      }

      const result = await signIn(db.kysely, 'admin@csphub.test', 'demo-password-2026', '127.0.0.1');
      assert.equal(result.ok, true);
      assert.equal(result.ok && result.user.is_platform_admin ? true : false, true);
    });
  });
}

/** Safer Rotherham's Q4 2019/20 commentary and March 2020 highlight reports, written and shown in the Board pack. */
async function checkRotherhamCommentary(db: TestDb): Promise<void> {
  const rotherham = await findPartnershipByName(db.kysely, 'Safer Rotherham Partnership');
  assert.ok(rotherham);
  const indicators = await listIndicators(db.kysely, rotherham.id);
  assert.ok(ROTHERHAM_Q4_COMMENTARY.length >= 5, 'several indicators have commentary');
  for (const c of ROTHERHAM_Q4_COMMENTARY) {
    const indicator = indicators.find((i) => i.code === c.code);
    assert.ok(indicator, c.code);
    const written = await listCommentary(db.kysely, rotherham.id, indicator.id);
    assert.deepEqual(
      written.map((w) => [w.period, w.text]),
      [[c.period, c.text]],
      `${c.code} commentary`,
    );
  }
  // The review's figures, as the commentary quotes them.
  assert.match(ROTHERHAM_Q4_COMMENTARY.find((c) => c.code === 'SRP 17')!.text, /881 \(13%\) fewer/);
  assert.match(ROTHERHAM_Q4_COMMENTARY.find((c) => c.code === 'SRP 14')!.text, /2,913/);
  const reports = await listHighlightReports(db.kysely, rotherham.id);
  assert.equal(reports.total, ROTHERHAM_HIGHLIGHT_REPORTS.length);
  assert.ok(
    reports.reports.every((r) => r.month === '2020-03' && r.board_requests !== ''),
    'March 2020 reports, each with requests to the Board',
  );
  const audit = await listAudit(db.kysely, { partnershipId: rotherham.id, entityType: 'highlight_report' });
  assert.equal(audit.total, ROTHERHAM_HIGHLIGHT_REPORTS.length, 'every highlight report is in the audit trail');
  assert.equal(
    (await listAudit(db.kysely, { partnershipId: rotherham.id, entityType: 'indicator_commentary' })).total,
    ROTHERHAM_Q4_COMMENTARY.length,
  );

  const pack = await loadQuarterlyReport(db.kysely, rotherham.id, parseReportQuarter('2019/20 Q4'));
  const shown = pack.groups.flatMap((g) => g.indicators.flatMap((i) => i.commentary.map((c) => ({ label: i.label, ...c }))));
  assert.equal(shown.length, ROTHERHAM_Q4_COMMENTARY.length, 'all of it is in the Q4 Board pack');
  assert.ok(shown.every((c) => c.periodText === 'Q4 2019/20'));
  const da = pack.groups.find((g) => g.title.startsWith('Reducing the Threat of Domestic Abuse'));
  assert.ok(da, 'the domestic abuse priority');
  const latest = da.highlights[0];
  assert.ok(latest, 'its highlight report');
  assert.equal(latest.monthText, 'March 2020');
  assert.match(latest.boardRequests, /review of commissioned domestic abuse services/);
  const q3 = await loadQuarterlyReport(db.kysely, rotherham.id, parseReportQuarter('2019/20 Q3'));
  assert.equal(q3.groups.flatMap((g) => [...g.highlights, ...g.indicators.flatMap((i) => i.commentary)]).length, 0, 'nothing for Q3');
}

/** Rutland's JAG meeting with its actions, carried to the next JAG, and its exception on the Strategic Group's agenda. */
async function checkRutlandMeetings(db: TestDb): Promise<void> {
  const rutland = await findPartnershipByName(db.kysely, 'Rutland Community Safety Partnership');
  assert.ok(rutland);
  const meetings = await listMeetings(db.kysely, rutland.id);
  assert.deepEqual(
    meetings.map((m) => [m.group_name, m.starts_at]),
    [
      ['Joint Action Group', '2008-05-14T10:00'],
      ['Joint Action Group', '2008-05-28T10:00'],
      ['Community Safety Strategic Group', '2008-06-10T14:00'],
    ],
  );
  const first = await actionsForMeeting(db.kysely, meetings[0]!);
  assert.equal(first.raised.length, 2);
  assert.equal(first.raised[0]!.servesTitle, 'Priority: Anti Social Behaviour');
  assert.deepEqual(
    (await actionsForMeeting(db.kysely, meetings[1]!)).carried.map((a) => a.id).sort(),
    first.raised.map((a) => a.id).sort(),
  );
  const board = await loadMeeting(db.kysely, rutland.id, meetings[2]!.id);
  assert.deepEqual(
    board.agenda.map((i) => [i.kind, i.title]),
    [['escalation', 'Diversionary activity funding will run out in July']],
  );
  assert.equal((await listDuties(db.kysely, rutland.id)).length, 6);
}
