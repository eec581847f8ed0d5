import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkBoundaryFeature,
  checkCollection,
  lsoaChoropleth,
  projectBoundaries,
  valueClassOf,
  valueClasses,
  type MultiPolygonCoordinates,
} from '../../src/domain/lsoaBoundaries.ts';

const square = (lon: number, lat: number, d: number): MultiPolygonCoordinates => [
  [
    [
      [lon, lat],
      [lon + d, lat],
      [lon + d, lat + d],
      [lon, lat + d],
      [lon, lat],
    ],
  ],
];
const feature = (properties: Record<string, unknown>, geometry: unknown) => ({ type: 'Feature', properties, geometry });

describe('LSOA boundaries: checks', () => {
  it('keeps a Polygon as MultiPolygon coordinates with its code, name, edition and extent', () => {
    const seen = new Set<string>();
    const c = checkBoundaryFeature(
      feature({ LSOA21CD: 'E01000001', LSOA21NM: 'Rotherham 001A' }, { type: 'Polygon', coordinates: square(-1.3, 53.4, 0.01)[0] }),
      0,
      seen,
    );
    assert.ok('boundary' in c);
    assert.equal(c.boundary.code, 'E01000001');
    assert.equal(c.boundary.codeYear, '2021');
    assert.equal(c.boundary.name, 'Rotherham 001A');
    assert.deepEqual(c.boundary.polygons, square(-1.3, 53.4, 0.01));
    assert.deepEqual(c.boundary.bbox, { minLongitude: -1.3, minLatitude: 53.4, maxLongitude: -1.29, maxLatitude: 53.41 });
    assert.ok(seen.has('E01000001'));
    // The same code again is a problem of the second feature.
    const again = checkBoundaryFeature(
      feature({ LSOA21CD: 'E01000001' }, { type: 'MultiPolygon', coordinates: square(-1.3, 53.4, 0.01) }),
      1,
      seen,
    );
    assert.deepEqual(again, {
      problems: [{ row: 2, unit: 'feature', column: 'properties.LSOA21CD', value: 'E01000001', message: 'the same LSOA is given twice' }],
    });
  });

  it('names the feature, the property and the value of each problem', () => {
    const problems = (f: unknown) => {
      const c = checkBoundaryFeature(f, 4, new Set());
      return 'problems' in c ? c.problems.map((p) => `${p.row} ${p.column} ${p.value}: ${p.message}`) : [];
    };
    assert.deepEqual(problems(feature({ name: 'x' }, { type: 'Polygon', coordinates: square(-1, 53, 0.1)[0] })), [
      '5 properties name: no LSOA code: give it in a property such as LSOA11CD or LSOA21CD',
    ]);
    assert.deepEqual(problems(feature({ LSOA11CD: 'S01000001' }, { type: 'Point', coordinates: [-1, 53] })), [
      '5 properties.LSOA11CD S01000001: must be an LSOA code such as E01000001',
      '5 geometry.type Point: must be Polygon or MultiPolygon',
    ]);
    // British National Grid metres, an open ring, a ring too short.
    assert.match(
      problems(feature({ LSOA11CD: 'E01000001' }, { type: 'Polygon', coordinates: square(445000, 390000, 100)[0] }))[0]!,
      /^5 geometry.coordinates\[0\]\[0\] \[445000,390000\]: .*British National Grid/,
    );
    const open = square(-1, 53, 0.1)[0]![0]!
      .slice(0, 4)
      .concat([[-1, 53.05]]);
    assert.match(
      problems(feature({ LSOA11CD: 'E01000001' }, { type: 'Polygon', coordinates: [open] }))[0]!,
      /^5 geometry.coordinates\[0\] .*a ring must end where it starts/,
    );
    assert.match(
      problems(
        feature(
          { LSOA11CD: 'E01000001' },
          {
            type: 'MultiPolygon',
            coordinates: [
              [
                [
                  [-1, 53],
                  [-1.1, 53],
                  [-1, 53],
                ],
              ],
            ],
          },
        ),
      )[0]!,
      /^5 geometry.coordinates\[0\]\[0\] .*at least four positions/,
    );
    assert.deepEqual(checkCollection({ type: 'Feature' }), {
      problems: [{ row: 0, unit: 'feature', column: 'type', value: 'Feature', message: 'the file must be a GeoJSON FeatureCollection' }],
    });
  });
});

describe('LSOA choropleth: projection and classes', () => {
  it('projects around the middle of the extent, metres east and north, equal distances on the ground', () => {
    const p = projectBoundaries([{ code: 'E01000001', polygons: square(-1.01, 52.99, 0.02) }]);
    assert.deepEqual(p.origin, { longitude: -1, latitude: 53 });
    const ring = p.shapes[0]!.rings[0]!;
    // 0.02 degrees of latitude is about 2,224 m; of longitude at 53°N, cos(53°) of that.
    assert.ok(Math.abs(ring[2]!.y - ring[0]!.y - 2223.9) < 1);
    assert.ok(Math.abs(ring[1]!.x - ring[0]!.x - 2223.9 * Math.cos((53 * Math.PI) / 180)) < 1);
    assert.ok(Math.abs(ring[0]!.x + ring[1]!.x) < 1e-6, 'centred east-west');
    assert.deepEqual(p.bounds.minX, ring[0]!.x);
    assert.deepEqual(p.bounds.maxY, ring[2]!.y);
  });

  it('classes counts and rates by quantiles, none on its own, every value in one class', () => {
    assert.deepEqual(valueClasses([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5), [
      { from: 0, to: 0 },
      { from: 1, to: 3 },
      { from: 4, to: 6 },
      { from: 7, to: 8 },
      { from: 9, to: 10 },
    ]);
    const rates = [0.4, 1.25, 2.5, 7.0, 12.3, 30.1];
    const classes = valueClasses(rates, 5, 1);
    assert.deepEqual(classes, [
      { from: 0.1, to: 1.3 },
      { from: 1.4, to: 2.5 },
      { from: 2.6, to: 7 },
      { from: 7.1, to: 12.3 },
      { from: 12.4, to: 30.1 },
    ]);
    for (let i = 1; i < classes.length; i++)
      assert.equal(Math.round((classes[i]!.from - classes[i - 1]!.to) * 10), 1, 'classes touch at 0.1');
    for (const r of rates) assert.ok(valueClassOf(r, classes, 1) >= 0, String(r));
    assert.equal(valueClassOf(30.1, classes, 1), classes.length - 1);
    assert.deepEqual(valueClasses([]), []);
  });

  it('shades rates when every LSOA has residents, counts otherwise; LSOAs without a boundary named', () => {
    const boundaries = [
      { code: 'E01000001', name: 'A', polygons: square(-1, 53, 0.01) },
      { code: 'E01000002', name: 'B', polygons: square(-0.99, 53, 0.01) },
      { code: 'E01000009', name: 'Elsewhere', polygons: square(0, 52, 0.01) },
    ];
    const counts = new Map([
      ['E01000001', 3],
      ['E01000002', 12],
      ['E01000003', 5],
    ]);
    const input = { areaCodes: ['E01000001', 'E01000002', 'E01000003'], boundaries, counts };
    const rated = lsoaChoropleth({
      ...input,
      populations: new Map([
        ['E01000001', 1500],
        ['E01000002', 1600],
      ]),
    });
    assert.equal(rated.measure, 'rate');
    assert.deepEqual(
      rated.lsoas.map((l) => [l.code, l.count, l.rate]),
      [
        ['E01000002', 12, 7.5],
        ['E01000001', 3, 2],
      ],
    );
    assert.equal(rated.total, 15);
    assert.deepEqual(rated.withoutBoundary, ['E01000003']);
    assert.equal(rated.countWithoutBoundary, 5);
    assert.deepEqual(
      rated.projected.shapes.map((s) => s.code),
      ['E01000002', 'E01000001'],
    );
    assert.ok(rated.lsoas[0]!.class > rated.lsoas[1]!.class);
    const counted = lsoaChoropleth({ ...input, populations: new Map([['E01000001', 1500]]) });
    assert.equal(counted.measure, 'count');
    assert.equal(counted.decimals, 0);
    assert.equal(counted.lsoas[1]!.rate, 2);
    assert.equal(counted.lsoas[0]!.population, null);
  });
});
