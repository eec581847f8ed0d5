import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_SUPPRESSION_THRESHOLD,
  isValidSuppressionThreshold,
  SECONDARY_SUPPRESSION_MARK,
  suppressCount,
  suppressGroup,
  type SuppressedGroup,
} from '../../src/domain/suppression.ts';
import * as domain from '../../src/domain/index.ts';

describe('suppressCount (primary suppression)', () => {
  test('counts of 1 to 4 show as <5 by default; 0 and 5 upwards show as themselves', () => {
    assert.equal(DEFAULT_SUPPRESSION_THRESHOLD, 5);
    for (const c of [1, 2, 3, 4]) assert.deepEqual(suppressCount(c), { display: '<5', suppressed: 'primary' });
    assert.deepEqual(suppressCount(0), { display: '0', suppressed: null });
    assert.deepEqual(suppressCount(5), { display: '5', suppressed: null });
    assert.deepEqual(suppressCount(2167), { display: '2,167', suppressed: null });
  });

  test('the partnership threshold changes the cut-off and the label', () => {
    assert.deepEqual(suppressCount(9, { threshold: 10 }), { display: '<10', suppressed: 'primary' });
    assert.deepEqual(suppressCount(10, { threshold: 10 }), { display: '10', suppressed: null });
    assert.deepEqual(suppressCount(2, { threshold: 3 }), { display: '<3', suppressed: 'primary' });
  });

  test('rejects figures that are not counts and thresholds that protect nothing', () => {
    assert.throws(() => suppressCount(-1), RangeError);
    assert.throws(() => suppressCount(2.5), /whole-number count/);
    assert.throws(() => suppressCount(Number.NaN), TypeError);
    assert.throws(() => suppressCount(3, { threshold: 2 }), /threshold must be a whole number from 3 to 100/);
    assert.throws(() => suppressCount(3, { threshold: 5.5 }), RangeError);
    assert.throws(() => suppressCount(3, { threshold: 101 }), RangeError);
  });

  test('isValidSuppressionThreshold accepts whole numbers from 3 to 100', () => {
    for (const ok of [3, 5, 10, 100]) assert.equal(isValidSuppressionThreshold(ok), true, String(ok));
    for (const bad of [0, 1, 2, 4.5, 101, -5, Number.NaN, Number.POSITIVE_INFINITY])
      assert.equal(isValidSuppressionThreshold(bad), false, String(bad));
  });
});

describe('suppressGroup (secondary suppression of the total)', () => {
  test('nothing small: every cell and the total are shown', () => {
    const g = suppressGroup([152, 2080, 0, 5]);
    assert.deepEqual(
      g.cells.map((c) => c.display),
      ['152', '2,080', '0', '5'],
    );
    assert.deepEqual(g.total, { display: '2,237', suppressed: null });
    assert.equal(g.anySuppressed, false);
  });

  test('one small cell: the cell is <5 and the total is withheld, the other cells are shown', () => {
    const g = suppressGroup([3, 20, 41]);
    assert.deepEqual(g.cells, [
      { display: '<5', suppressed: 'primary' },
      { display: '20', suppressed: null },
      { display: '41', suppressed: null },
    ]);
    assert.deepEqual(g.total, { display: SECONDARY_SUPPRESSION_MARK, suppressed: 'secondary' });
    assert.equal(g.anySuppressed, true);
  });

  test('the cases the "next smallest cell" rule gets wrong are protected', () => {
    for (const counts of [
      [1, 5],
      [3, 5, 5],
      [1, 1, 50],
      [4, 4],
      [1, 1, 1, 1],
    ]) {
      const g = suppressGroup(counts);
      assert.equal(g.total.display, '[c]', JSON.stringify(counts));
      assert.ok(!JSON.stringify(g).includes(`"${counts.reduce((a, b) => a + b, 0)}"`), `total of ${JSON.stringify(counts)} not shown`);
    }
  });

  test('an empty group totals 0; a bad cell is named', () => {
    assert.deepEqual(suppressGroup([]), { cells: [], total: { display: '0', suppressed: null }, anySuppressed: false });
    assert.throws(() => suppressGroup([5, -2]), /counts\[1\] must not be negative/);
  });

  test('results carry display strings and flags only, never a suppressed value', () => {
    const g = suppressGroup([2, 7, 9], { threshold: 10 });
    const text = JSON.stringify(g);
    for (const hidden of ['2', '7', '9', '18'])
      assert.ok(!new RegExp(`"${hidden}"|:${hidden}\\b`).test(text), `${hidden} leaked in ${text}`);
    assert.deepEqual(
      g.cells.map((c) => c.display),
      ['<10', '<10', '<10'],
    );
  });
});

/** Every table of `length` cells with values 0..max. */
function* tables(length: number, max: number): Generator<number[]> {
  if (length === 0) {
    yield [];
    return;
  }
  for (const rest of tables(length - 1, max)) for (let v = 0; v <= max; v++) yield [...rest, v];
}

function signature(g: SuppressedGroup): string {
  return JSON.stringify([g.cells.map((c) => c.display), g.total.display]);
}

describe('suppressed counts cannot be worked back (brute force, reader knows the rule)', () => {
  for (const threshold of [3, 5, 10]) {
    for (const [length, max] of [
      [1, 14],
      [2, 14],
      [3, 12],
      [4, 8],
    ] as const) {
      test(`threshold ${threshold}, ${length} cell(s) of 0..${max}`, () => {
        // Everything a reader sees for each table, and the tables that look the same.
        const lookAlikes = new Map<string, number[][]>();
        const all = [...tables(length, max)];
        for (const t of all) {
          const key = signature(suppressGroup(t, { threshold }));
          const list = lookAlikes.get(key);
          if (list) list.push(t);
          else lookAlikes.set(key, [t]);
        }
        let checked = 0;
        for (const t of all) {
          const g = suppressGroup(t, { threshold });
          const same = lookAlikes.get(signature(g))!;
          g.cells.forEach((cell, i) => {
            if (cell.suppressed === null) {
              assert.equal(cell.display, t[i]!.toLocaleString('en-GB'));
              return;
            }
            const possible = new Set(same.map((s) => s[i]));
            assert.ok(possible.size >= 2, `cell ${i} of ${JSON.stringify(t)} can be worked back to ${[...possible].join()}`);
            // Every possible value is a small count consistent with the label.
            for (const v of possible) assert.ok(v! >= 1 && v! < threshold, `${v} behind ${cell.display}`);
            checked++;
          });
          if (g.total.suppressed === null) assert.equal(g.total.display, t.reduce((a, b) => a + b, 0).toLocaleString('en-GB'));
        }
        assert.ok(checked > 0, 'some cells were suppressed');
      });
    }
  }

  test('the "next smallest cell" alternative would fail this check (why the total is withheld instead)', () => {
    // Cells [1, 5] with the 5 hidden and the total 6 shown: the hidden pair is a count of 1-4 and a count of 5 or
    // more summing to 6, so only (1, 5) fits.
    const candidates = [...tables(2, 14)].filter(([a, b]) => a! >= 1 && a! < 5 && b! >= 5 && a! + b! === 6);
    assert.deepEqual(candidates, [[1, 5]]);
  });
});

describe('domain index', () => {
  test('exports the suppression API', () => {
    assert.equal(domain.suppressGroup([3]).cells[0]!.display, '<5');
    assert.equal(domain.DEFAULT_SUPPRESSION_THRESHOLD, 5);
    assert.equal(domain.SECONDARY_SUPPRESSION_MARK, '[c]');
  });
});
