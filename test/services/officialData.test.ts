/**
 * Importing the official tables (Home Office crime by CSP, ONS populations) and the evidence built on them, on both
 * engines: every figure checked is worked out again here from the fixture files' text, without the code under test.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { dataVersion } from '../../src/services/platform/snapshotCache.ts';
import { getImport, importFinished, startImport } from '../../src/services/evidence/officialImport.ts';
import {
  officialCounts,
  peerComparison,
  populationsForRates,
  saveOfficialLink,
  suggestCsp,
  listCsps,
} from '../../src/services/evidence/officialData.ts';
import { createPartnership } from '../../src/services/partnerships/partnerships.ts';
import { ValidationError } from '../../src/domain/errors.ts';
import { chiSquareQuantile } from '../../src/domain/specialFunctions.ts';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'official');
const CSV = path.join(FIXTURES, 'crime-by-csp.csv');
const XLSX = path.join(FIXTURES, 'crime-by-csp.xlsx');
const POPULATION = path.join(FIXTURES, 'population-mye4.csv');

/** The fixture's rows as plain objects (no field in it has a comma). */
function fixtureRows() {
  const [, ...lines] = fs.readFileSync(CSV, 'utf8').trim().split(/\r?\n/);
  return lines.map((l) => {
    const c = l.split(',');
    return { year: Number(c[0]!.slice(0, 4)), csp: c[3]!, group: c[5]!, count: Number(c[8]) };
  });
}

function populationOf(name: string, year: number): number {
  const [header, ...lines] = fs.readFileSync(POPULATION, 'utf8').trim().split(/\r?\n/);
  const col = header!.split(',').indexOf(`Mid-${year}`);
  return Number(lines.map((l) => l.split(',')).find((c) => c[1] === name)![col]);
}

async function runImport(db: TestDb, kind: string, file: string, fileName = path.basename(file)) {
  const id = await startImport(db.kysely, SYSTEM_ACTOR, { kind, filePath: file, fileName });
  await importFinished(id);
  return getImport(db.kysely, id);
}

for (const engine of ENGINES) {
  describe(`official data on ${engine}`, { timeout: 120_000 }, () => {
    let db: TestDb;
    let dir: string;
    let rotherham: { id: number };
    const rows = fixtureRows();

    before(async () => {
      db = await freshDb(engine);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'official-'));
      rotherham = await createPartnership(db.kysely, SYSTEM_ACTOR, null, {
        name: 'Safer Rotherham',
        areaDescription: 'Rotherham',
        populations: [{ year: 2019, population: 264_984 }],
      });
    });
    after(async () => {
      await db.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('imports the Home Office CSV: every row, the counts by group and year, audited', async () => {
      const done = await runImport(db, 'crime', CSV);
      assert.equal(done.status, 'done', done.message);
      assert.equal(done.rowsWritten, rows.length);
      assert.equal(done.years, '2021/22, 2022/23');
      const stored = await db.kysely
        .selectFrom('official_crime_counts')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(stored.n), rows.length);
      assert.equal((await listCsps(db.kysely)).length, 12);
      assert.equal(suggestCsp('Safer Rotherham', await listCsps(db.kysely)), 'Rotherham');
      const audit = await db.kysely.selectFrom('audit_events').selectAll().where('entity_type', '=', 'official_data_import').execute();
      assert.equal(audit.length, 1);
      assert.match(audit[0]!.summary, /crime-by-csp\.csv: 768 rows, 12 CSPs, financial years 2021\/22, 2022\/23/);
    });

    it("shows the partnership's counts by offence group and year with the change, from the CSV", async () => {
      assert.equal(await officialCounts(db.kysely, rotherham.id), null);
      await saveOfficialLink(db.kysely, SYSTEM_ACTOR, rotherham.id, { cspName: 'rotherham', peerMethod: 'computed' });
      const c = (await officialCounts(db.kysely, rotherham.id))!;
      assert.equal(c.cspName, 'Rotherham');
      assert.deepEqual(c.yearLabels, ['2021/22', '2022/23']);
      const mine = rows.filter((r) => r.csp === 'Rotherham');
      const sum = (f: (r: (typeof rows)[number]) => boolean) => mine.filter(f).reduce((s, r) => s + r.count, 0);
      const all = c.rows[0]!;
      assert.equal(all.group, 'All offences');
      assert.deepEqual(all.counts, [sum((r) => r.year === 2021), sum((r) => r.year === 2022)]);
      const theft = c.rows.find((r) => r.group === 'Sexual offences')!;
      const before = sum((r) => r.year === 2021 && r.group === 'Sexual offences');
      const after = sum((r) => r.year === 2022 && r.group === 'Sexual offences');
      assert.deepEqual(theft.counts, [before, after]);
      assert.equal(theft.change, Math.round(((after - before) / before) * 1000) / 10);
      // Without ONS figures, the rate uses the population typed in (2019) and says so.
      assert.equal(c.rates[1]!.population?.source, 'entered');
      assert.equal(c.rates[1]!.population?.year, 2019);
    });

    it('the XLSX with one sheet per year gives the same tables, and importing it again changes nothing', async () => {
      const first = await officialCounts(db.kysely, rotherham.id);
      const x = await runImport(db, 'crime', XLSX);
      assert.equal(x.status, 'done', x.message);
      assert.deepEqual(await officialCounts(db.kysely, rotherham.id), first);
      const again = await runImport(db, 'crime', XLSX);
      assert.equal(again.status, 'done');
      assert.deepEqual(await officialCounts(db.kysely, rotherham.id), first);
      const n = await db.kysely
        .selectFrom('official_crime_counts')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(n.n), rows.length);
    });

    it('refuses a file with bad rows, naming row, column and value, and keeps every table as it was', async () => {
      const before = await officialCounts(db.kysely, rotherham.id);
      const lines = fs.readFileSync(CSV, 'utf8').split('\r\n');
      lines[3] = lines[3]!.replace(/^2021\/22/, '2021/23');
      lines[10] = lines[10]!.replace(/,\d+$/, ',lots');
      // A whole new year that would otherwise be added: nothing of it may be written.
      lines.push(lines[1]!.replace(/^2021\/22/, '2023/24'));
      const bad = path.join(dir, 'bad.csv');
      fs.writeFileSync(bad, lines.join('\r\n'));
      const r = await runImport(db, 'crime', bad);
      assert.equal(r.status, 'failed');
      assert.deepEqual(
        r.problems.map((p) => [p.row, p.column, p.value]),
        [
          [4, 'Financial Year', '2021/23'],
          [11, 'Offence Count', 'lots'],
        ],
      );
      assert.match(
        r.message,
        /Nothing was imported: the file has 2 problems\. First: row 4, Financial Year: must be a financial year such as 2022\/23 \(got "2021\/23"\)/,
      );
      assert.deepEqual(await officialCounts(db.kysely, rotherham.id), before);
      const header = path.join(dir, 'header.csv');
      fs.writeFileSync(header, 'Financial Year,CSP Name\n2022/23,Rotherham\n');
      const h = await runImport(db, 'crime', header);
      assert.equal(h.status, 'failed');
      assert.ok(h.problems.some((p) => p.row === 1 && p.column === 'Offence Count' && /no "Offence Count" column/.test(p.message)));
    });

    it('imports ONS populations; rates then use the estimate of the right year, named', async () => {
      // The import raises every partnership's data version, so cached dashboards and SPC summaries (keyed on it) are
      // worked out again with the new populations.
      const version = await dataVersion(db.kysely, rotherham.id);
      const p = await runImport(db, 'population', POPULATION);
      assert.equal(p.status, 'done', p.message);
      assert.ok((await dataVersion(db.kysely, rotherham.id)) > version, 'the data version rises');
      assert.equal(p.years, 'mid-2021, mid-2022');
      const pops = await populationsForRates(db.kysely, rotherham.id);
      assert.deepEqual(pops, [
        { year: 2019, population: 264_984, source: 'entered' },
        { year: 2021, population: populationOf('Rotherham', 2021), source: 'ons' },
        { year: 2022, population: populationOf('Rotherham', 2022), source: 'ons' },
      ]);
      const c = (await officialCounts(db.kysely, rotherham.id))!;
      assert.equal(c.rates[1]!.population?.source, 'ons');
      assert.equal(c.rates[1]!.population?.year, 2022);
      assert.equal(c.rates[1]!.rate, (c.rates[1]!.count / populationOf('Rotherham', 2022)) * 1000);
      // Again: the same table, not twice the rows.
      assert.equal((await runImport(db, 'population', POPULATION)).status, 'done');
      const n = await db.kysely
        .selectFrom('official_populations')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 24);
    });

    it('compares with the most similar CSPs as a funnel with exact Poisson limits, the average pooled over the group', async () => {
      const cmp = (await peerComparison(db.kysely, rotherham.id, { group: 'Sexual offences', year: '2022' }))!;
      assert.equal(cmp.yearLabel, '2022/23');
      assert.deepEqual(cmp.populationYears, [2022]);
      assert.equal(cmp.peers.length, 11); // all others in a 12-CSP table (fewer than 15)
      assert.deepEqual(cmp.features, ['population (log)', 'density (log people per sq km)']);
      // Nearest first: Barnsley and Doncaster are nearer Rotherham in size and density than Sheffield or Rutland.
      const order = cmp.peers.map((p) => p.name);
      assert.ok(order.indexOf('Barnsley') < order.indexOf('Rutland'));
      const f = cmp.funnel!;
      const names = ['Rotherham', ...order];
      const count = (n: string) =>
        rows.filter((r) => r.csp === n && r.year === 2022 && r.group === 'Sexual offences').reduce((s, r) => s + r.count, 0);
      const totalCount = names.reduce((s, n) => s + count(n), 0);
      const totalPeople = names.reduce((s, n) => s + populationOf(n, 2022), 0);
      assert.ok(Math.abs(f.average - (totalCount / totalPeople) * 1000) < 1e-9);
      const me = f.points.find((p) => p.isSubject)!;
      assert.equal(me.count, count('Rotherham'));
      const expected = (f.average * me.population) / 1000;
      assert.ok(Math.abs(me.upper95 - (chiSquareQuantile(0.975, 2 * expected + 2) / 2 / me.population) * 1000) < 1e-9);
      assert.ok(Math.abs(me.lower998 - (chiSquareQuantile(0.001, 2 * expected) / 2 / me.population) * 1000) < 1e-9);
      assert.ok(me.lower998 < me.lower95 && me.lower95 < f.average && f.average < me.upper95 && me.upper95 < me.upper998);
      const higher = f.points.filter((p) => p.rate > me.rate).length;
      assert.equal(me.rank, higher + 1);
    });

    it('uses peers chosen by hand, refusing names not in the table, with an audit record', async () => {
      await assert.rejects(
        saveOfficialLink(db.kysely, SYSTEM_ACTOR, rotherham.id, {
          cspName: 'Rotherham',
          peerMethod: 'chosen',
          peers: 'Barnsley\nAtlantis\nRotherham',
        }),
        (e: unknown) =>
          e instanceof ValidationError &&
          e.errors.some((x) => x.field === 'peers' && x.message === 'Line 2: "Atlantis" is not a CSP in the Home Office table') &&
          e.errors.some((x) => x.message === 'Line 3: "Rotherham" is the partnership\'s own CSP'),
      );
      await saveOfficialLink(db.kysely, SYSTEM_ACTOR, rotherham.id, {
        cspName: 'Rotherham',
        peerMethod: 'chosen',
        peers: 'Barnsley\nDoncaster',
      });
      const cmp = (await peerComparison(db.kysely, rotherham.id, {}))!;
      assert.equal(cmp.group, 'All offences');
      assert.deepEqual(
        cmp.funnel!.points.map((p) => p.name),
        ['Rotherham', 'Barnsley', 'Doncaster'],
      );
      const audit = await db.kysely
        .selectFrom('audit_events')
        .select('summary')
        .where('entity_type', '=', 'official_link')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.summary),
        [
          'Set the Home Office CSP to Rotherham and the peer group to the most similar CSPs',
          'Set the Home Office CSP to Rotherham and the peer group to 2 chosen CSPs',
        ],
      );
    });
  });
}
