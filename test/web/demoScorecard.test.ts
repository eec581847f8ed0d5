/**
 * The demo scorecards (issue 4): on each engine, the seeded demo data shows every partnership's indicators under
 * the plan priorities they serve, each priority's indicators grouped by the three outcome-based accountability
 * questions. The expected membership is written out here from the seed documents, not taken from the demo code:
 * - Rutland plan 2008-11, the targets tables of each priority;
 * - Safer Rotherham plan 2016-19, "Performance Indicators 2016/17", numbered 1-38 under six headings;
 * - Safer Rotherham plan 2010/11, the headline indicators by the priority whose subject each measures;
 * - Rochford 2010/11, the 2009/10 results table, where the same subject is a 2010/11 priority.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../support/db.ts';
import { Browser, startTestApp, type TestApp } from '../support/app.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { findPartnershipByName } from '../../src/services/partnerships/partnerships.ts';
import { listIndicatorDetails, OBA_LABELS } from '../../src/services/performance/indicators.ts';

const srp = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `SRP ${from + i}`);
const UNLINKED = 'Indicators not linked to a priority';

/** Partnership → scorecard sections in page order → indicator codes. */
const EXPECTED: Record<string, [section: string, plan: string | null, codes: string[]][]> = {
  'Safer Rotherham Partnership': [
    ['Reducing the Threat of Child Sexual Exploitation (CSE) and the Harm to Victims and Survivors', '2016-19', srp(1, 5)],
    ['Building Confident and Cohesive Communities', '2016-19', srp(6, 10)],
    ['Reducing the Threat of Domestic Abuse and reducing the harm to victims and survivors', '2016-19', srp(11, 16)],
    ['Reducing and Managing Anti-social Behaviour (ASB) and Criminal Damage', '2016-19', srp(17, 27)],
    ['Reducing the Risk of Becoming a Victim of Domestic Burglary', '2016-19', srp(28, 32)],
    ['Reducing Violent Crime and Sexual Offences', '2016-19', srp(33, 38)],
    ['Serious Acquisitive Crime', '2010/11 refresh', ['NI 16']],
    ['Reducing Re-Offending and Managing Offending Behaviour', '2010/11 refresh', ['NI 111', 'NI 18']],
    ['Serious Violent Crime', '2010/11 refresh', ['NI 20']],
    ['Improving lives by reducing the harm caused by substance misuse', '2010/11 refresh', ['NI 40']],
    [
      'Reducing and managing perceptions of crime and anti-social behaviour and improving community confidence and public satisfaction',
      '2010/11 refresh',
      ['NI 17'],
    ],
    [UNLINKED, null, ['SRP R1', 'SRP R2', 'SRP R3', 'SRP R4', 'SRP D1']],
  ],
  'Rochford Community Safety Partnership': [
    ['Reduce anti-social behaviour by 10% during 2010/2011', '2010/11 review', ['RCH 2']],
    [
      'Reduce the number of repeat incidents of domestic violence cases reviewed at MARAC and increase reporting rates of domestic abuse by 10%',
      '2010/11 review',
      ['RCH 3', 'RCH 4'],
    ],
    [
      'Reduce alcohol related disorder by 5% during 2010/2011 and increase baseline data on drug offences and service provision',
      '2010/11 review',
      ['RCH 5'],
    ],
    [UNLINKED, null, ['RCH 1', 'RCH 6']],
  ],
  'Rutland Community Safety Partnership': [
    ['Anti Social Behaviour', '2008-11', ['NI 111', 'NI 42', 'NI 17', 'NI 41']],
    ['Road Safety', '2008-11', ['NI 47', 'NI 48', 'RUT L1']],
    ['Volume Crime', '2008-11', ['RUT L2', 'NI 16', 'NI 39']],
  ],
};

interface Section {
  title: string;
  plan: string | null;
  groups: { question: string; ids: number[] }[];
}

/** The scorecard page as sections: heading, plan caption, and each table's caption with the indicators linked in it. */
function sections(body: string): Section[] {
  const main = body.slice(body.indexOf('<main'));
  return main
    .split('<h2 class="govuk-heading-m" data-priority>')
    .slice(1)
    .map((chunk) => {
      const heading = chunk.slice(0, chunk.indexOf('</h2>'));
      const plan = /<span class="govuk-caption-m">([^<]*)<\/span>/.exec(heading)?.[1] ?? null;
      const title = heading
        .replace(/<span[^>]*>[^<]*<\/span>/, '')
        .trim()
        .replace(/&amp;/g, '&')
        .replace(/&#39;/g, "'");
      const groups = chunk
        .split('<caption class="govuk-table__caption govuk-table__caption--s">')
        .slice(1)
        .map((t) => ({
          question: t.slice(0, t.indexOf('</caption>')).trim(),
          ids: [...t.slice(0, t.indexOf('</table>')).matchAll(/href="\/partnerships\/\d+\/indicators\/(\d+)"/g)].map((m) => Number(m[1])),
        }));
      return { title, plan, groups };
    });
}

for (const engine of ENGINES) {
  describe(`demo scorecards on ${engine}`, () => {
    let t: TestApp;
    let admin: Browser;

    before(async () => {
      t = await startTestApp(engine);
      await seedDemo(t.k, { email: 'demo-admin@csphub.test', password: 'demo-password-2026' });
      admin = new Browser(t.app);
      await admin.signIn('demo-admin@csphub.test', 'demo-password-2026');
    });
    after(() => t.close());

    for (const [name, expected] of Object.entries(EXPECTED)) {
      it(`groups ${name}'s indicators under the priorities they serve, by the three OBA questions`, async () => {
        const p = await findPartnershipByName(t.k, name);
        assert.ok(p);
        const indicators = await listIndicatorDetails(t.k, p.id);
        const byId = new Map(indicators.map((i) => [i.id, i]));
        const res = await admin.get(`/partnerships/${p.id}/performance/scorecard`);
        assert.equal(res.status, 200);
        const found = sections(res.body);

        assert.deepEqual(
          found.map((s) => s.title),
          expected.map(([title]) => title),
          'the priorities with indicators, latest plan first, then the unlinked ones',
        );
        for (const [i, [title, plan, codes]] of expected.entries()) {
          const s = found[i]!;
          if (plan) assert.match(s.plan ?? '', new RegExp(`${plan.replace(/[/]/g, '\\/')}$`), `${title}: plan named`);
          const shown = s.groups.flatMap((g) => g.ids.map((id) => byId.get(id)!.code));
          assert.deepEqual([...shown].sort(), [...codes].sort(), `${title}: its indicators`);
          // Grouped by the OBA question of each indicator, in the order how much, how well, better off.
          const order = Object.values(OBA_LABELS);
          assert.deepEqual(
            s.groups.map((g) => g.question),
            [...s.groups.map((g) => g.question)].sort((a, b) => order.indexOf(a) - order.indexOf(b)),
            `${title}: question order`,
          );
          for (const g of s.groups) {
            assert.ok(g.ids.length > 0, `${title}: no empty group`);
            for (const id of g.ids)
              assert.equal(g.question, OBA_LABELS[byId.get(id)!.oba_category], `${title}: ${byId.get(id)!.code} under its OBA question`);
          }
        }
        // Every indicator of the partnership is on the scorecard at least once.
        const everywhere = new Set(found.flatMap((s) => s.groups.flatMap((g) => g.ids)));
        assert.deepEqual(
          [...everywhere].sort((a, b) => a - b),
          indicators.map((i) => i.id).sort((a, b) => a - b),
        );
      });
    }

    it('puts the domestic abuse indicators of Safer Rotherham 2016-19 under all three questions', async () => {
      const p = (await findPartnershipByName(t.k, 'Safer Rotherham Partnership'))!;
      const byId = new Map((await listIndicatorDetails(t.k, p.id)).map((i) => [i.id, i.code]));
      const da = sections((await admin.get(`/partnerships/${p.id}/performance/scorecard`)).body).find((s) =>
        s.title.startsWith('Reducing the Threat of Domestic Abuse'),
      )!;
      const codes = Object.fromEntries(da.groups.map((g) => [g.question, g.ids.map((id) => byId.get(id))]));
      // Referrals, IDVA support and awareness initiatives are counts of what was done; reporting and positive
      // outcomes are how well; fewer repeat MARAC cases is whether victims are better off.
      assert.deepEqual(codes, {
        'How much did we do?': ['SRP 14', 'SRP 15', 'SRP 16'],
        'How well did we do it?': ['SRP 11', 'SRP 12'],
        'Is anyone better off?': ['SRP 13'],
      });
    });
  });
}
