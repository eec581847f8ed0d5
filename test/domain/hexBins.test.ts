import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classOf, densityClasses, hexBin, hexCentre, hexOf, hexSide } from '../../src/domain/hexBins.ts';

describe('hexagon density', () => {
  it('puts a point in the hexagon whose centre is nearest', () => {
    const size = 100;
    for (const [q, r] of [
      [0, 0],
      [2, -1],
      [-3, 4],
    ] as const) {
      const c = hexCentre(q, r, size);
      assert.deepEqual(hexOf(c.x + 30, c.y - 40, size), { q, r });
    }
    // Just past the edge between (0,0) and (1,0): x = side·√3/2 is that edge.
    assert.deepEqual(hexOf((100 * Math.sqrt(3)) / 2 + 1, 0, 100), { q: 1, r: 0 });
    assert.deepEqual(hexOf((100 * Math.sqrt(3)) / 2 - 1, 0, 100), { q: 0, r: 0 });
  });

  it('chooses a plain hexagon size so the area is about the number asked across', () => {
    assert.equal(hexSide(20_000, 10_000, 20), 750); // 20 km / (20·√3) = 577 m → 750
    assert.equal(hexSide(500, 500, 20), 50);
  });

  it('counts weighted points into hexagons, the busiest first, and skips points without a place', () => {
    const points = [
      { longitude: -1.35, latitude: 53.43, count: 5 },
      { longitude: -1.35001, latitude: 53.43001, count: 2 }, // about a metre away: same hexagon
      { longitude: -1.2, latitude: 53.5, count: 1 },
      { longitude: Number.NaN, latitude: 53.5, count: 4 },
    ];
    const g = hexBin(points, { side: 500 });
    assert.equal(g.radius, 500);
    assert.equal(g.total, 8);
    assert.equal(g.skipped, 1);
    assert.deepEqual(
      g.hexagons.map((h) => h.count),
      [7, 1],
    );
    // The busiest hexagon's centre is within a hexagon's side of its points (about 111 km a degree of latitude).
    const top = g.hexagons[0]!;
    assert.ok(Math.abs(top.latitude - 53.43) * 111_000 < 500);
    assert.ok(Math.abs(top.longitude + 1.35) * 111_000 * Math.cos((53.43 * Math.PI) / 180) < 500);
    // Equal area enough: the two points about 11.5 km apart in x·y are 1 km-side hexagons apart by about that much.
    const [a, b] = g.hexagons;
    const d = Math.hypot(a!.x - b!.x, a!.y - b!.y);
    assert.ok(Math.abs(d - 12_600) < 1_000, `distance ${d}`);
    assert.deepEqual(hexBin([]).hexagons, []);
  });

  it('makes legend classes that cover every count without overlapping', () => {
    const counts = [1, 1, 2, 3, 5, 8, 13, 21, 34, 55];
    const classes = densityClasses(counts);
    assert.equal(classes[0]!.from, 1);
    assert.equal(classes.at(-1)!.to, 55);
    for (let i = 1; i < classes.length; i++) assert.equal(classes[i]!.from, classes[i - 1]!.to + 1);
    for (const c of counts) assert.ok(classOf(c, classes) >= 0);
    assert.deepEqual(densityClasses([4, 4, 4]), [{ from: 1, to: 4 }]);
  });
});
