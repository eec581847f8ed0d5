import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { choroplethSvg, classShade, fitToBox, simplifyLine, simplifyRing } from '../../src/presentation/charts/choroplethMap.ts';
import { DENSITY_SHADES } from '../../src/presentation/charts/hexMap.ts';

describe('choropleth map drawing', () => {
  it('fits the extent in the box, north up, keeping its shape', () => {
    const fit = fitToBox({ minX: -1000, maxX: 1000, minY: -500, maxY: 500 }, 640, 8);
    assert.equal(fit.scale, (640 - 16) / 2000);
    assert.deepEqual(fit.at({ x: -1000, y: 500 }), { x: 8, y: (fit.height - 1000 * fit.scale) / 2 });
    const se = fit.at({ x: 1000, y: -500 });
    assert.equal(se.x, 632);
    assert.ok(se.y > fit.at({ x: 1000, y: 500 }).y, 'south is lower down');
    // A tall area is limited to 1.25 times the width.
    const tall = fitToBox({ minX: 0, maxX: 100, minY: 0, maxY: 10_000 }, 640, 8);
    assert.equal(tall.scale, 624 / 8000);
    assert.equal(tall.height, 796);
  });

  it('simplifies lines within the tolerance and never collapses a ring', () => {
    const wiggly = Array.from({ length: 101 }, (_, i) => ({ x: i, y: i % 2 === 0 ? 0 : 0.2 }));
    assert.deepEqual(simplifyLine(wiggly, 0.5), [
      { x: 0, y: 0 },
      { x: 100, y: 0 },
    ]);
    assert.equal(simplifyLine(wiggly, 0.1).length, 101);
    const circle = Array.from({ length: 64 }, (_, i) => ({ x: 100 * Math.cos((i * Math.PI) / 32), y: 100 * Math.sin((i * Math.PI) / 32) }));
    const ring = simplifyRing([...circle, circle[0]!], 2);
    assert.ok(ring.length >= 8 && ring.length < 64, String(ring.length));
    assert.ok(simplifyRing([...circle, circle[0]!], 1000).length >= 3);
  });

  it('draws one shaded path per shape, light to dark by class, with its title and description', () => {
    const square = (x: number) => [
      [
        { x, y: 0 },
        { x: x + 10, y: 0 },
        { x: x + 10, y: 10 },
        { x, y: 10 },
        { x, y: 0 },
      ],
    ];
    const svg = choroplethSvg({
      shapes: [
        { rings: square(0), shade: 0 },
        { rings: square(10), shade: 2 },
      ],
      bounds: { minX: 0, maxX: 20, minY: 0, maxY: 10 },
      classCount: 3,
      id: 'm',
      title: 'Crime by LSOA',
      description: 'Two LSOAs',
    });
    assert.match(svg, /role="img" aria-labelledby="m-title m-desc"/);
    assert.deepEqual(
      [...svg.matchAll(/<path d="M[^"]+Z" fill="([^"]+)"/g)].map((m) => m[1]),
      [DENSITY_SHADES[0], DENSITY_SHADES[4]],
    );
    assert.equal(classShade(1, 3), DENSITY_SHADES[2]);
    assert.match(svg, /<title id="m-title">Crime by LSOA<\/title>/);
  });
});
