import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_FORCES, generatedLsoas, writeStreetFiles } from '../../src/adapters/crimeStore/generator.ts';
import { CRIME_TYPES, OUTCOME_CATEGORIES, STREET_COLUMNS } from '../../src/domain/policeUkLayout.ts';
import { csvFiles, readStreetRows, tempDir } from '../support/policeUk.ts';

describe('police.uk street-level file generator', () => {
  let dir: string;
  before(() => {
    dir = tempDir();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const options = { seed: 42, firstMonth: '2023-01', months: 12, rowsPerMonth: 3000 };

  it('is deterministic: the same seed writes the same bytes, another seed does not', async () => {
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    const c = path.join(dir, 'c');
    await writeStreetFiles(a, options);
    await writeStreetFiles(b, options);
    await writeStreetFiles(c, { ...options, seed: 43 });
    const read = (root: string) => csvFiles(root).map((f) => [path.relative(root, f), fs.readFileSync(f, 'utf8')]);
    assert.deepEqual(read(a), read(b));
    assert.notDeepEqual(read(a), read(c));
  });

  it('writes the police.uk layout: file per force per month, 12 columns, header row', async () => {
    const root = path.join(dir, 'a');
    const files = csvFiles(root).map((f) => path.relative(root, f).split(path.sep).join('/'));
    const expected = [];
    for (let m = 1; m <= 12; m++) {
      const month = `2023-${String(m).padStart(2, '0')}`;
      for (const force of DEFAULT_FORCES) expected.push(`${month}/${month}-${force.slug}-street.csv`);
    }
    assert.deepEqual(files, expected.sort());
    for (const file of csvFiles(root)) {
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      assert.equal(lines[0], STREET_COLUMNS.join(','));
      assert.equal(lines.at(-1), '', 'ends with a newline');
      for (const line of lines.slice(1, -1)) assert.equal(line.split(',').length, 12, line);
    }
  });

  it('produces realistic records: all crime types, ASB without ID or outcome, real outcomes, LSOAs named after the local authority', () => {
    const rows = readStreetRows(path.join(dir, 'a'));
    assert.ok(Math.abs(rows.length - 36_000) < 1_000, `${rows.length} rows`);
    const types = new Set(rows.map((r) => r.crimeType));
    assert.deepEqual([...types].sort(), [...CRIME_TYPES].sort());
    const share = (type: string) => rows.filter((r) => r.crimeType === type).length / rows.length;
    assert.ok(share('Violence and sexual offences') > 0.27 && share('Violence and sexual offences') < 0.36);
    assert.ok(share('Anti-social behaviour') > 0.15 && share('Anti-social behaviour') < 0.24);
    assert.ok(share('Possession of weapons') < 0.02);
    for (const r of rows) {
      assert.equal(r.reportedBy.endsWith('Police'), true);
      if (r.crimeType === 'Anti-social behaviour') {
        assert.equal(r.crimeId, '');
        assert.equal(r.outcome, '');
      } else {
        assert.match(r.crimeId, /^[0-9a-f]{64}$/);
        assert.ok((OUTCOME_CATEGORIES as readonly string[]).includes(r.outcome), r.outcome);
      }
      if (r.lsoaCode === '') {
        assert.equal(r.longitude, '');
        assert.equal(r.lsoaName, '');
      } else {
        assert.match(r.lsoaCode, /^E01\d{6}$/);
        assert.match(r.lsoaName, /^[A-Z][A-Za-z-]+ \d{3}[A-D]$/);
        assert.ok(Number.isFinite(Number(r.longitude)) && Number.isFinite(Number(r.latitude)));
      }
    }
    const noLocation = rows.filter((r) => r.lsoaCode === '').length / rows.length;
    assert.ok(noLocation > 0.005 && noLocation < 0.03, String(noLocation));
    const lsoas = generatedLsoas(DEFAULT_FORCES, 42);
    const rotherham = lsoas.filter((l) => l.localAuthority === 'Rotherham');
    assert.equal(rotherham.length, 167);
    assert.ok(rotherham.every((l) => l.name.startsWith('Rotherham ')));
    assert.equal(new Set(lsoas.map((l) => l.code)).size, lsoas.length);
    assert.ok(new Set(rows.map((r) => r.lsoaCode)).size > 1000, 'many LSOAs');
  });

  it('has seasonality: more ASB in July than in January, more burglary in January than in July', () => {
    const rows = readStreetRows(path.join(dir, 'a'));
    const count = (type: string, month: string) => rows.filter((r) => r.crimeType === type && r.month === month).length;
    assert.ok(count('Anti-social behaviour', '2023-07') > 1.3 * count('Anti-social behaviour', '2023-01'));
    assert.ok(count('Burglary', '2023-01') > count('Burglary', '2023-07'));
  });
});
