/**
 * Safer Rotherham's 2016/17 list of 38 indicators and the quarterly series printed in the review of the 2018-21
 * plan, loaded as the demo loads them, and every figure the review works out from those series reproduced by the
 * engine: year totals, the change between years, the change on the quarter before and the yearly means.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { createPartnership } from '../../src/services/partnerships/partnerships.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { partnershipPerformance, quarterByYear, type IndicatorPerformance } from '../../src/services/performance/performance.ts';
import { ROTHERHAM_2016_INDICATORS, ROTHERHAM_REVIEW_INDICATORS, seedPerformance } from '../../src/demo/performance.ts';

for (const engine of ENGINES) {
  describe(`Rotherham 2016/17 indicators and the 2018-21 review on ${engine}`, () => {
    let db: TestDb;
    let all: IndicatorPerformance[];
    const byCode = (code: string) => {
      const p = all.find((x) => x.indicator.code === code);
      assert.ok(p, code);
      return p;
    };
    const year = (code: string, fy: string) => {
      const y = quarterByYear(byCode(code))?.find((r) => r.year === fy);
      assert.ok(y, `${code} ${fy}`);
      return y;
    };
    const at = (code: string, period: string) => {
      const p = byCode(code).periods.find((x) => x.period === period);
      assert.ok(p, `${code} ${period}`);
      return p;
    };

    before(async () => {
      db = await freshDb(engine);
      const p = await createPartnership(db.kysely, SYSTEM_ACTOR, null, {
        name: 'Safer Rotherham test',
        populations: [
          { year: 2018, population: 263_400 },
          { year: 2019, population: 264_700 },
        ],
      });
      await seedPerformance(db.kysely, SYSTEM_ACTOR, p.id, [...ROTHERHAM_2016_INDICATORS, ...ROTHERHAM_REVIEW_INDICATORS]);
      all = await partnershipPerformance(db.kysely, p.id);
    });
    after(() => db.drop());

    it('holds the 38 indicators of the 2016/17 list, each with a unit, polarity and OBA question', () => {
      const list = all.filter((x) => /^SRP \d+$/.test(x.indicator.code));
      assert.equal(list.length, 38);
      assert.deepEqual(
        list.map((x) => Number(x.indicator.code.slice(4))).sort((a, b) => a - b),
        Array.from({ length: 38 }, (_, i) => i + 1),
      );
      assert.equal(byCode('SRP 17').indicator.title, 'Reduction in the number of anti-social behaviour incidents reported to the Police');
      assert.equal(byCode('SRP 17').indicator.polarity, 'lower_is_better');
      assert.equal(byCode('SRP 5').indicator.polarity, 'higher_is_better');
      assert.equal(byCode('SRP 38').indicator.title, 'Reduced re-offending rates');
      for (const oba of ['how_much', 'how_well', 'better_off'])
        assert.ok(
          list.some((x) => x.indicator.oba_category === oba),
          oba,
        );
    });

    it('reproduces the anti-social behaviour figures: 881 fewer incidents (13%) in 2019/20, and 81% up in Q1 2020/21', () => {
      assert.equal(year('SRP 17', '2018/19').total, 6621);
      const y = year('SRP 17', '2019/20');
      assert.equal(y.total, 5740);
      assert.equal(y.change, -881, '881 fewer ASB incidents were reported in 2019-20 than in 2018-19');
      assert.equal(y.percentChange, -13.3);
      assert.equal(Math.round(y.percentChange), -13, 'a 13% reduction, as printed');
      // The year to date at Q4 is the same total.
      assert.equal(at('SRP 17', '2019-20 Q4').yearToDate, 5740);
      const q1 = at('SRP 17', '2020-21 Q1');
      assert.equal(q1.previousPeriod, '2019-20 Q4');
      assert.equal(q1.previousValue, 1275);
      assert.equal(q1.percentChangeOnPrevious, 80.6);
      assert.equal(Math.round(q1.percentChangeOnPrevious), 81, 'an 81% increase on the previous three months, as printed');
      assert.equal(q1.direction, 'worsening', 'up on Q1 2019/20 (1,654)');
    });

    it('ships SPC settings on the anti-social behaviour series: limits fixed on 2018/19, lockdown quarter left out (issue 16)', () => {
      const xmr = byCode('SRP 17').xmr!;
      // 2018/19's four quarters (2,064, 1,832, 1,461, 1,264) fix the mean: 6,621 / 4 = 1,655.25.
      assert.equal(xmr.phases[0]!.usedPoints, 4);
      assert.equal(xmr.phases[0]!.mean, 1655.25);
      assert.deepEqual(
        xmr.points.filter((x) => x.excluded).map((x) => x.index),
        [8],
        'Q1 2020/21, the ninth quarter, is left out of the limits',
      );
    });

    it('reproduces the survey means: 42% in 2018/19 and 39% in 2019/20 think anti-social behaviour is a problem', () => {
      const a = year('SRP 22', '2018/19');
      assert.equal(a.total, null, 'percentages are not added up');
      assert.equal(a.mean, 42.25);
      assert.equal(Math.round(a.mean), 42);
      const b = year('SRP 22', '2019/20');
      assert.equal(b.complete, 3, 'no survey in March 2020');
      assert.equal(Math.round(b.mean!), 39);
    });

    it('reproduces the year totals the review prints', () => {
      assert.equal(year('SRP 14', '2019/20').total, 2913, 'referrals into domestic abuse support services in 2019-20');
      assert.equal(year('SRP 34', '2019/20').total, 2696, 'violent crime offences in 2019-20');
      assert.equal(year('SRP R3', '2019/20').total, 352, 'knife offences in 2019-20');
      assert.equal(year('SRP R2', '2019/20').total, 324, 'CCE intelligence reports in 2019-20');
      assert.equal(year('SRP R4', '2018/19').total, 112, 'actions to disrupt organised crime groups in 2018-19');
      const marac = year('SRP R1', '2018/19').total! + year('SRP R1', '2019/20').total!;
      assert.equal(marac, 108, 'vulnerable or repeat victims supported over 2018-19 and 2019-20');
      // A year with one quarter in has no total, and the grouped chart shows the missing quarters.
      const partial = year('SRP 34', '2020/21');
      assert.equal(partial.total, null);
      assert.deepEqual(partial.quarters, [507, null, null, null]);
    });
  });
}
