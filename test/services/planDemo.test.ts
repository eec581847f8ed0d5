/** The seed documents' plans in the demo data, on each engine: the published counts of priorities, themes, risks, groups and funding. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { findPartnershipByName } from '../../src/services/partnerships/partnerships.ts';
import { listPlans, loadPlanDocument, publishedSummary, type PlanDocument } from '../../src/services/plans/plans.ts';

for (const engine of ENGINES) {
  describe(`demo plans on ${engine}`, () => {
    let db: TestDb;
    const docs = new Map<string, PlanDocument>();
    before(async () => {
      db = await freshDb(engine);
      await seedDemo(db.kysely, { email: 'admin@csphub.test', password: 'demo-password-2026' });
      for (const name of ['Safer Rotherham Partnership', 'Rochford Community Safety Partnership', 'Rutland Community Safety Partnership']) {
        const p = (await findPartnershipByName(db.kysely, name))!;
        for (const plan of await listPlans(db.kysely, p.id)) {
          for (const v of plan.versions)
            docs.set(`${name} ${plan.start_year}-${plan.end_year} ${v.label}`, await loadPlanDocument(db.kysely, p.id, v.id));
        }
      }
    });
    after(() => db.drop());

    it('has the four seed plans, approved and published', () => {
      assert.deepEqual([...docs.keys()].sort(), [
        'Rochford Community Safety Partnership 2008-2011 2010/11 review',
        'Rutland Community Safety Partnership 2008-2011 2008-11',
        'Safer Rotherham Partnership 2009-2012 2010/11 refresh',
        'Safer Rotherham Partnership 2016-2019 2016-19',
      ]);
      for (const d of docs.values()) assert.equal(d.version.status, 'published');
    });

    it('Rutland 2008-11: four priorities, three cross-cutting themes, risk registers, resources and the calendar as published', () => {
      const d = docs.get('Rutland Community Safety Partnership 2008-2011 2008-11')!;
      assert.deepEqual(
        d.priorities.map((p) => p.title),
        ['Anti Social Behaviour', 'Road Safety', 'Volume Crime', 'Reducing Re-Offending'],
      );
      assert.deepEqual(
        d.themes.map((t) => t.title),
        ['Alcohol misuse', 'Drug misuse', 'Social exclusion'],
      );
      assert.deepEqual(
        d.priorities.map((p) => p.risks.length),
        [4, 1, 3, 5],
      );
      const levels = d.priorities.flatMap((p) => p.risks.map((r) => `${r.severity[0]}${r.likelihood[0]}`)).join(' ');
      assert.equal(levels, 'hm hh mm ml mm mm mm hh hl hm mm hh hh');
      const money = d.priorities.flatMap((p) => p.resources.filter((r) => r.amount_pence !== null).map((r) => r.amount_pence! / 100));
      assert.deepEqual(money, [21_700, 3_000, 40_000, 5_000, 8_000]);
      assert.equal(d.events.length, 9);
      assert.equal(d.events[0]!.event_date, '2008-04-27');
      assert.equal(d.engagement.length, 5);
      assert.equal(d.groups.find((g) => g.name === 'Joint Action Group')!.meeting_frequency, 'Every 2 weeks');
    });

    it('Rochford 2010/11: six priorities and the sub groups under the Steering Group', () => {
      const d = docs.get('Rochford Community Safety Partnership 2008-2011 2010/11 review')!;
      assert.equal(d.priorities.length, 6);
      assert.equal(d.priorities[0]!.title, 'Reduce anti-social behaviour by 10% during 2010/2011');
      const steering = d.groups.find((g) => g.name === 'Steering Group')!;
      assert.match(steering.purpose, /over £2,000/);
      assert.equal(
        d.groups.filter((g) => g.reports_to_group_id === steering.id && g.name !== 'Reference Group').length,
        7,
        'seven sub groups',
      );
    });

    it('Safer Rotherham 2010/11: seven priorities with improvement priorities, and the governance groups', () => {
      const d = docs.get('Safer Rotherham Partnership 2009-2012 2010/11 refresh')!;
      assert.equal(d.version.year, 2010);
      assert.equal(d.priorities.length, 7);
      assert.deepEqual(
        d.priorities.map((p) => p.objectives.length),
        [3, 1, 1, 4, 4, 1, 1],
      );
      assert.ok(d.priorities[0]!.objectives[0]!.activities.length > 0);
      assert.deepEqual(
        d.groups.map((g) => g.name),
        [
          'Rotherham Partnership',
          'Safe Theme Board',
          'Safer Rotherham Partnership',
          'Joint Action Group',
          'Priority Groups',
          'Neighbourhood Action Groups',
        ],
      );
    });

    it('Safer Rotherham 2016-19: six priorities, the alcohol & substance misuse theme across all, the £224,550 Community Safety Fund; it is the public summary', async () => {
      const d = docs.get('Safer Rotherham Partnership 2016-2019 2016-19')!;
      assert.equal(d.priorities.length, 6);
      assert.deepEqual(
        d.priorities.map((p) => p.objectives.length),
        [4, 2, 3, 2, 2, 1],
      );
      assert.equal(d.themes.length, 1);
      assert.equal(d.themes[0]!.title, 'Alcohol & Substance Misuse');
      assert.equal(d.themes[0]!.priorityIds.length, 6);
      assert.equal(d.streams[0]!.amount_pence, 22_455_000);
      assert.equal(d.streams[0]!.funder, 'South Yorkshire Police & Crime Commissioner');
      const summary = await publishedSummary(db.kysely, 'safer-rotherham-partnership');
      assert.equal(summary.document.version.id, d.version.id);
    });
  });
}
