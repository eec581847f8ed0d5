/**
 * The web app's police.uk imports (src/services/assessment/crimeData.ts): uploaded files and unpacked archives are deleted
 * once their import has finished, whatever the outcome; leftovers of a stopped process are removed at start-up;
 * an import that fails shows plain words and logs the raw error for operators.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CrimeData } from '../../src/services/assessment/crimeData.ts';
import { EXTRACT_PREFIX } from '../../src/adapters/crimeStore/zip.ts';
import { plainImportFailure } from '../../src/services/assessment/crimeData.ts';
import { STREET_FIXTURES, csvFiles, tempDir, writeZip } from '../support/policeUk.ts';
import { writeStreetFiles } from '../../src/adapters/crimeStore/generator.ts';
import { importStreetFiles } from '../../src/adapters/crimeStore/importer.ts';
import {
  listImportedFiles,
  listLocalAuthorities,
  openCrimeStore,
  storeRowCounts,
  type CrimeStore,
} from '../../src/adapters/crimeStore/store.ts';
import { strategicAssessment } from '../../src/services/assessment/strategicAssessment.ts';
import { monthlyCounts } from '../../src/services/assessment/seasonality.ts';
import { compareAreas } from '../../src/services/assessment/comparison.ts';
import { crimeRecordsByMonth } from '../../src/adapters/database/migrations/165_crime_records_by_month.ts';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { loadConfig } from '../../src/config.ts';
import { loadAnalysis, loadAnalysisCached } from '../../src/services/assessment/assessmentAnalysis.ts';
import { saveAssessmentArea } from '../../src/services/assessment/assessmentAreas.ts';
import { getPartnership } from '../../src/services/partnerships/partnerships.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { applyCrimeRetention, runCrimeRetentionJobs, scheduleCrimeRetention } from '../../src/services/assessment/crimeRetention.ts';
import { makePartnership } from '../support/app.ts';
import { sql } from 'kysely';
import {
  areaAnalysisGroups,
  crimeAndAsbByLsoa,
  crimeAndAsbByMonth,
  recordGroups,
  recordsByPoint,
} from '../../src/adapters/crimeStore/queries.ts';
import { areaRecords } from '../../src/services/assessment/strategicAssessment.ts';
import { seasonalProfile } from '../../src/services/assessment/seasonality.ts';
import { areaHexMap } from '../../src/services/assessment/areaEvidence.ts';
import { ANTI_SOCIAL_BEHAVIOUR } from '../../src/domain/policeUkLayout.ts';
import type { HexGrid } from '../../src/domain/hexBins.ts';

const DAY = 24 * 60 * 60 * 1000;

async function finished(crimeData: CrimeData, partnershipId: number) {
  await crimeData.idle();
  const job = await crimeData.jobFor(partnershipId);
  assert.ok(job?.finished);
  return job;
}

describe('police.uk imports in the web app', () => {
  let dir: string;
  let importDir: string;
  let crimeData: CrimeData;
  const logged: { message: string; err: unknown }[] = [];

  before(() => {
    dir = tempDir();
    importDir = path.join(dir, 'police-uk');
    fs.mkdirSync(importDir);
    crimeData = new CrimeData(path.join(dir, 'crime.duckdb'), importDir, { log: (message, err) => logged.push({ message, err }) });
  });
  after(async () => {
    await crimeData.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Files left in the police.uk folder and its work folder. */
  const leftovers = () => (fs.readdirSync(importDir, { recursive: true }) as string[]).sort();

  it('deletes an uploaded folder once its import has finished, and keeps the folders put there by the operator', async () => {
    fs.cpSync(STREET_FIXTURES, path.join(importDir, 'operator-2024'), { recursive: true });
    fs.cpSync(STREET_FIXTURES, path.join(importDir, 'upload-abc12345'), { recursive: true });
    await crimeData.startImport(1, 'upload-abc12345', 'admin@example.org');
    const job = await finished(crimeData, 1);
    assert.deepEqual(job.errors, []);
    assert.equal(job.summary?.files.length, 6);
    await crimeData.startImport(1, 'operator-2024', 'admin@example.org');
    assert.deepEqual((await finished(crimeData, 1)).errors, []);
    assert.ok(!fs.existsSync(path.join(importDir, 'upload-abc12345')), 'the upload is deleted');
    assert.ok(fs.existsSync(path.join(importDir, 'operator-2024')), "the operator's folder stays");
    assert.ok(!leftovers().some((f) => f.includes(EXTRACT_PREFIX)));
    fs.rmSync(path.join(importDir, 'operator-2024'), { recursive: true });
  });

  it('deletes an uploaded zip archive and what was unpacked from it, after a successful and after a refused import', async () => {
    const entries = Object.fromEntries(
      csvFiles(STREET_FIXTURES).map((f) => [path.relative(STREET_FIXTURES, f).split(path.sep).join('/'), fs.readFileSync(f)]),
    );
    writeZip(path.join(importDir, 'upload-abc12346-police.zip'), entries);
    await crimeData.startImport(1, 'upload-abc12346-police.zip', 'admin@example.org');
    assert.deepEqual((await finished(crimeData, 1)).errors, []);
    assert.deepEqual(
      leftovers().filter((f) => !f.startsWith('.work')),
      [],
    );
    assert.deepEqual(fs.readdirSync(path.join(importDir, '.work')), [], 'nothing unpacked is left');

    // A damaged archive: refused, and deleted all the same.
    fs.writeFileSync(path.join(importDir, 'upload-abc12347-police.zip'), 'not a zip');
    await crimeData.startImport(1, 'upload-abc12347-police.zip', 'admin@example.org');
    const job = await finished(crimeData, 1);
    assert.match(job.errors[0]?.message ?? '', /^upload-abc12347-police\.zip was not imported: it is not a readable zip archive/);
    assert.deepEqual(
      leftovers().filter((f) => !f.startsWith('.work')),
      [],
    );
    assert.deepEqual(fs.readdirSync(path.join(importDir, '.work')), []);
  });

  it('removes uploads and unpacked folders older than a day at start-up, and nothing else', async () => {
    const old = new Date(Date.now() - 2 * DAY);
    const make = (rel: string, folder: boolean, when?: Date) => {
      const p = path.join(importDir, rel);
      if (folder) fs.mkdirSync(p, { recursive: true });
      else {
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, 'x');
      }
      if (when) fs.utimesSync(p, when, when);
    };
    make('upload-old00001', true, old);
    make('upload-old00002-police.zip', false, old);
    make('upload-new00001', true);
    make('operator-old', true, old);
    make('2024-01-essex-street.csv', false, old);
    make(`.work/${EXTRACT_PREFIX}old`, true, old);
    make(`.work/${EXTRACT_PREFIX}new`, true);
    // (Leftovers of other runs in the system's temporary folder, given as full paths, are not this test's.)
    const removed = crimeData.removeLeftovers().filter((r) => !path.isAbsolute(r));
    assert.deepEqual(removed.sort(), ['.work/' + EXTRACT_PREFIX + 'old', 'upload-old00001', 'upload-old00002-police.zip']);
    assert.deepEqual(fs.readdirSync(importDir).sort(), ['.work', '2024-01-essex-street.csv', 'operator-old', 'upload-new00001']);
    assert.deepEqual(fs.readdirSync(path.join(importDir, '.work')), [`${EXTRACT_PREFIX}new`]);
  });

  it('shows a refused file in plain words, without server folders, and logs what DuckDB said for operators', async () => {
    const lines = fs.readFileSync(path.join(STREET_FIXTURES, '2024-01', '2024-01-essex-street.csv'), 'utf8').split('\n');
    fs.mkdirSync(path.join(importDir, 'carriage-return'));
    fs.writeFileSync(
      path.join(importDir, 'carriage-return', '2024-01-essex-street.csv'),
      [lines[0], lines[1], lines[2]!.replace('Essex Police,0', 'Essex\rPolice,0'), ...lines.slice(3)].join('\n'),
    );
    logged.length = 0;
    await crimeData.startImport(1, 'carriage-return', 'admin@example.org');
    const job = await finished(crimeData, 1);
    assert.equal(job.errors.length, 1);
    assert.match(job.errors[0]!.message, /^2024-01-essex-street\.csv was not imported: row 3 has a carriage return/);
    assert.ok(!job.errors[0]!.message.includes(dir));
    assert.equal(logged.length, 1);
    assert.match(String((logged[0]!.err as Error).message), /CSV Parser state machine/);
  });

  it('turns an unexpected failure into plain words with a reference, and logs the raw error with it', async () => {
    // The store's path is a folder: DuckDB cannot open it, and its message names the server path.
    const broken = path.join(dir, 'not-a-store');
    fs.mkdirSync(broken);
    const failing = new CrimeData(broken, importDir, { log: (message, err) => logged.push({ message, err }) });
    fs.cpSync(STREET_FIXTURES, path.join(importDir, 'fixtures'), { recursive: true });
    logged.length = 0;
    const started = await failing.startImport(2, 'fixtures', 'admin@example.org');
    await failing.idle();
    const job = (await failing.jobFor(2))!;
    assert.equal(job.errors.length, 1);
    const message = job.errors[0]!.message;
    assert.equal(
      message,
      `The import failed because of a problem on the server, and nothing was changed. Try again; if it fails again, tell your administrator and give them this reference: ${started.id}.`,
    );
    assert.equal(logged.length, 1);
    assert.match(logged[0]!.message, new RegExp(started.id));
    assert.match(String((logged[0]!.err as Error).message), new RegExp(broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await failing.close();
  });

  it('reads CRIME_RETENTION_MONTHS as off, or at least the 24 months the analysis compares', () => {
    const base = { SESSION_SECRET: 'test-secret-0123456789' };
    assert.equal(loadConfig(base).crimeRetentionMonths, 0);
    assert.equal(loadConfig({ ...base, CRIME_RETENTION_MONTHS: '36' }).crimeRetentionMonths, 36);
    for (const wrong of ['12', '2.5', 'two years', '-24'])
      assert.throws(
        () => loadConfig({ ...base, CRIME_RETENTION_MONTHS: wrong }),
        /CRIME_RETENTION_MONTHS must be 0 \(keep every month\) or a whole number of months of at least 24/,
      );
  });

  it('says what to do about the server problems people can act on', () => {
    const cases: [unknown, RegExp][] = [
      [
        new Error('Out of Memory Error: failed to allocate data of size 2.0 GiB (1.9 GiB/2.0 GiB used)'),
        /ran out of memory.*fewer files at once/,
      ],
      [Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), /ran out of disk space/],
      [new Error('IO Error: Could not write file "/srv/csphub/data/crime.duckdb.wal": No space left on device'), /ran out of disk space/],
      [
        new Error(
          'IO Error: Could not set lock on file "/srv/csphub/data/crime.duckdb": Conflicting lock is held in /usr/bin/node (PID 4242)',
        ),
        /nother program is using the police\.uk store/,
      ],
      [
        new Error('IO Error: No files found that match the pattern "/srv/csphub/police-uk/x/2024-01-essex-street.csv"'),
        /removed from the server while it was being imported/,
      ],
    ];
    for (const [error, expected] of cases) {
      const message = plainImportFailure(error, 'ref-1');
      assert.match(message, expected);
      assert.match(message, /nothing was changed/i);
      assert.doesNotMatch(message, /\/srv|IO Error|PID/);
    }
  });
});

/**
 * Imports recorded in the app's database (decision 0038), on each engine: on PostgreSQL the records go to the
 * shared PostgreSQL store, on SQLite to the DuckDB file. Either way the assessment reads the same figures as a
 * DuckDB store of the same files, a refused file writes nothing, another CrimeData on the same database (as
 * another instance has) shows the import, and a month and force claimed by another import is not imported.
 */
for (const engine of ENGINES) {
  describe(`police.uk imports recorded in the ${engine} database`, () => {
    let db: TestDb;
    let dir: string;
    let importDir: string;
    let crimeData: CrimeData;
    let other: CrimeData;
    let reference: CrimeStore;
    let partnershipId: number;

    before(async () => {
      db = await freshDb(engine);
      partnershipId = (await makePartnership(db.kysely, 'Shared Store Partnership')).id;
      dir = tempDir();
      importDir = path.join(dir, 'police-uk');
      await writeStreetFiles(path.join(importDir, 'generated'), { seed: 19, firstMonth: '2023-01', months: 24, rowsPerMonth: 1500 });
      const options = {
        db: db.kysely,
        heartbeatMs: 50,
        ...(engine === 'postgres' ? { sharedStoreUrl: db.openOptions.databaseUrl } : {}),
      };
      crimeData = new CrimeData(path.join(dir, 'crime.duckdb'), importDir, options);
      other = new CrimeData(path.join(dir, 'other.duckdb'), importDir, options);
      reference = await openCrimeStore(':memory:');
      await importStreetFiles(reference, path.join(importDir, 'generated'));
    });
    after(async () => {
      reference.close();
      await crimeData.close();
      await other.close();
      await db.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it(`imports into the ${engine === 'postgres' ? 'shared PostgreSQL' : 'DuckDB'} store, and the analysis reads the same figures as the DuckDB path`, async () => {
      await crimeData.startImport(partnershipId, 'generated', 'admin@example.org');
      const job = await finished(crimeData, partnershipId);
      assert.deepEqual(job.errors, []);
      const store = await crimeData.store();
      assert.equal(store.engine, engine === 'postgres' ? 'postgres' : 'duckdb');
      assert.deepEqual(await storeRowCounts(store), await storeRowCounts(reference));
      assert.ok((await storeRowCounts(store)).records > 30_000);
      const area = { localAuthorities: ['Rotherham'] };
      const populations = [{ year: 2024, population: 268_000 }];
      const ours = await strategicAssessment(store, { area, windowEnd: '2024-12', populations });
      assert.ok(ours.totals.some((t) => (t.current ?? 0) > 0));
      assert.deepEqual(ours, await strategicAssessment(reference, { area, windowEnd: '2024-12', populations }));
      assert.deepEqual(await monthlyCounts(store, area), await monthlyCounts(reference, area));
      const comparators = [{ name: 'Doncaster', area: { localAuthorities: ['Doncaster'] }, population: 310_000 }];
      const self = { name: 'Rotherham', area, population: 268_000 };
      assert.deepEqual(
        await compareAreas(store, self, comparators, '2024-12'),
        await compareAreas(reference, self, comparators, '2024-12'),
      );
      assert.deepEqual(await listLocalAuthorities(store), await listLocalAuthorities(reference));
      const withoutTime = (files: Awaited<ReturnType<typeof listImportedFiles>>) => files.map((f) => ({ ...f, importedAt: '' }));
      assert.deepEqual(withoutTime(await listImportedFiles(store)), withoutTime(await listImportedFiles(reference)));
      // Another instance reads the import, its outcome and summary from the database.
      const seen = await other.jobFor(partnershipId);
      assert.equal(seen?.id, job.id);
      assert.equal(seen?.finished, true);
      assert.equal(seen?.summary?.rowsAccepted, job.summary?.rowsAccepted);
      assert.equal(seen?.progress?.stage, 'done');
      assert.deepEqual(await db.kysely.selectFrom('crime_import_claims').selectAll().execute(), [], 'claims are released');
    });

    it("counts the analysis page's figures in one read of the area's records: as the records counted one by one, and as the separate reads", async () => {
      const store = await crimeData.store();
      const area = await areaRecords(store, { localAuthorities: ['Rotherham'] });
      // A window ending mid-way: months held after it (seasonality only) and before its current year.
      const months = { from: '2022-07', currentFrom: '2023-07', to: '2024-06' };
      const single = await areaAnalysisGroups(store, area, months);

      // Independently: every record of the store, counted here.
      const codes = new Set(area.codes);
      const records = (
        await store.query<{
          month: string;
          crime_type: string;
          lsoa_code: string | null;
          lsoa_name: string | null;
          outcome: string | null;
          longitude: number | null;
          latitude: number | null;
        }>(`SELECT month, crime_type, lsoa_code, lsoa_name, outcome, longitude, latitude FROM street_records`)
      ).filter((r) => r.lsoa_code !== null && codes.has(r.lsoa_code));
      assert.ok(records.length > 1000);
      const tally = <T>(map: Map<string, T>, key: string, start: () => T, add: (t: T) => void) => {
        const t = map.get(key) ?? start();
        add(t);
        map.set(key, t);
      };
      const byMonthAndType = new Map<string, { month: string; crimeType: string; count: number }>();
      const byMonth = new Map<string, { month: string; asb: boolean; count: number }>();
      const crimeByLsoa = new Map<string, { code: string; name: string; count: number }>();
      const byOutcome = new Map<string, { outcome: string | null; count: number }>();
      const byLsoa = new Map<string, { code: string; crime: number; asb: number }>();
      const byPoint = new Map<string, { longitude: number; latitude: number; crime: number; asb: number }>();
      for (const r of records) {
        const asb = r.crime_type === ANTI_SOCIAL_BEHAVIOUR;
        const code = r.lsoa_code!;
        tally(
          byMonth,
          `${r.month}|${asb}`,
          () => ({ month: r.month, asb, count: 0 }),
          (t) => t.count++,
        );
        if (r.month >= months.from && r.month <= months.to)
          tally(
            byMonthAndType,
            `${r.month}|${r.crime_type}`,
            () => ({ month: r.month, crimeType: r.crime_type, count: 0 }),
            (t) => t.count++,
          );
        if (r.month < months.currentFrom || r.month > months.to) continue;
        tally(
          byLsoa,
          code,
          () => ({ code, crime: 0, asb: 0 }),
          (t) => (asb ? t.asb++ : t.crime++),
        );
        if (r.longitude !== null && r.latitude !== null) {
          const [longitude, latitude] = [Number(r.longitude), Number(r.latitude)];
          tally(
            byPoint,
            `${longitude}|${latitude}`,
            () => ({ longitude, latitude, crime: 0, asb: 0 }),
            (t) => (asb ? t.asb++ : t.crime++),
          );
        }
        if (asb) continue;
        tally(
          crimeByLsoa,
          code,
          () => ({ code, name: r.lsoa_name!, count: 0 }),
          (t) => {
            t.count++;
            if (r.lsoa_name! > t.name) t.name = r.lsoa_name!;
          },
        );
        tally(
          byOutcome,
          String(r.outcome),
          () => ({ outcome: r.outcome, count: 0 }),
          (t) => t.count++,
        );
      }
      const sorted = <T>(xs: Iterable<T>) =>
        [...xs]
          .map((x) => [JSON.stringify(x), x] as const)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([, x]) => x);
      assert.ok(
        single.byMonth.some((m) => m.month > months.to),
        'months after the window count for seasonality',
      );
      assert.ok(byOutcome.has('null') || byOutcome.size > 3);
      assert.deepEqual(sorted(single.groups.byMonthAndType), sorted(byMonthAndType.values()));
      assert.deepEqual(sorted(single.groups.byLsoa), sorted(crimeByLsoa.values()));
      assert.deepEqual(sorted(single.groups.byOutcome), sorted(byOutcome.values()));
      assert.deepEqual(sorted(single.byMonth), sorted(byMonth.values()));
      assert.deepEqual(sorted(single.byLsoa), sorted(byLsoa.values()));
      assert.deepEqual(sorted(single.byPoint), sorted(byPoint.values()));

      // The separate reads it replaces on the analysis page answer the same.
      const groups = await recordGroups(store, area, months);
      assert.deepEqual(sorted(single.groups.byMonthAndType), sorted(groups.byMonthAndType));
      assert.deepEqual(sorted(single.groups.byLsoa), sorted(groups.byLsoa));
      assert.deepEqual(sorted(single.groups.byOutcome), sorted(groups.byOutcome));
      assert.deepEqual(sorted(single.byMonth), sorted(await crimeAndAsbByMonth(store, area)));
      assert.deepEqual(sorted(single.byLsoa), sorted(await crimeAndAsbByLsoa(store, area, months.currentFrom, months.to)));
      assert.deepEqual(sorted(single.byPoint), sorted(await recordsByPoint(store, area, months.currentFrom, months.to)));

      // And the page's figures made from it are those of the separate reads.
      await saveAssessmentArea(db.kysely, SYSTEM_ACTOR, partnershipId, { localAuthorities: 'Rotherham', lsoaCodes: '' });
      const partnership = await getPartnership(db.kysely, partnershipId);
      const page = await loadAnalysis(db.kysely, crimeData, partnership, months.to, { map: 'asb' });
      const request = { area: { localAuthorities: ['Rotherham'] }, windowEnd: months.to, populations: partnership.populations };
      assert.deepEqual(page.assessment, await strategicAssessment(store, request));
      assert.deepEqual(page.seasonality, await seasonalProfile(store, request.area));
      const hexes = (grid: HexGrid | null) => sorted((grid?.hexagons ?? []).map((h) => [h.q, h.r, h.count]));
      const separate = await areaHexMap(store, request.area, page.assessment.current, 'asb');
      assert.ok(separate.total > 100);
      assert.deepEqual(hexes(page.hexMap), hexes(separate));
      assert.deepEqual(
        [page.hexMap?.radius, page.hexMap?.total, page.hexMap?.classes],
        [separate.radius, separate.total, separate.classes],
      );
    });

    if (engine === 'postgres')
      it('keeps each month in its own partition, loads the same rows by INSERT as by COPY, and partitions an existing store (migration 165)', async () => {
        const store = await crimeData.store();
        const counts = await storeRowCounts(store);
        const area = { localAuthorities: ['Rotherham'] };
        const populations = [{ year: 2024, population: 268_000 }];
        const analysis = await strategicAssessment(store, { area, windowEnd: '2024-12', populations });
        const placed = () =>
          store.query<{ partition: string; month: string }>(
            `SELECT DISTINCT tableoid::regclass::text AS partition, month FROM street_records ORDER BY month`,
          );
        const months = Array.from({ length: 24 }, (_, i) => `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
        const expected = months.map((m) => ({ partition: `street_records_y${m.slice(0, 4)}m${m.slice(5)}`, month: m }));
        assert.deepEqual(await placed(), expected);
        // The batched INSERT path (decision 0038, kept for the benchmark) writes the same store.
        if (store.engine !== 'postgres') throw new Error('expected the PostgreSQL store');
        await importStreetFiles(store, path.join(importDir, 'generated'), { pgLoad: 'insert' });
        assert.deepEqual(await storeRowCounts(store), counts);
        assert.deepEqual(await strategicAssessment(store, { area, windowEnd: '2024-12', populations }), analysis);
        // A database whose store predates partitioning: its rows move into their months' partitions.
        const migration = crimeRecordsByMonth('postgres');
        await migration.down(db.kysely);
        const kind = async () =>
          (await store.query<{ relkind: string }>(`SELECT relkind FROM pg_class WHERE oid = to_regclass('street_records')`))[0]?.relkind;
        assert.equal(await kind(), 'r');
        await migration.up(db.kysely);
        assert.equal(await kind(), 'p');
        assert.deepEqual(await placed(), expected);
        assert.deepEqual(await storeRowCounts(store), counts);
        assert.deepEqual(await strategicAssessment(store, { area, windowEnd: '2024-12', populations }), analysis);
        const indexes = await store.query<{ indexname: string }>(
          `SELECT indexname FROM pg_indexes WHERE tablename = 'street_records' ORDER BY indexname`,
        );
        assert.deepEqual(
          indexes.map((i) => i.indexname),
          ['street_records_force', 'street_records_lsoa_month'],
        );
      });

    it('writes nothing for a refused file, and shows the refusal to every instance', async () => {
      const store = await crimeData.store();
      const before = await storeRowCounts(store);
      const lines = fs.readFileSync(path.join(importDir, 'generated', '2024-01', '2024-01-south-yorkshire-street.csv'), 'utf8').split('\n');
      fs.mkdirSync(path.join(importDir, 'bad'));
      fs.writeFileSync(
        path.join(importDir, 'bad', '2024-01-south-yorkshire-street.csv'),
        [lines[0], lines[1], `${lines[2]}"unclosed`, ...lines.slice(3)].join('\n'),
      );
      await crimeData.startImport(partnershipId, 'bad', 'admin@example.org');
      const job = await finished(crimeData, partnershipId);
      assert.equal(job.errors.length, 1);
      assert.match(job.errors[0]!.message, /^2024-01-south-yorkshire-street\.csv was not imported/);
      assert.deepEqual(await storeRowCounts(store), before);
      assert.deepEqual((await other.jobFor(partnershipId))?.errors, job.errors);
    });

    it('does not import a month and force another import holds, and takes over a claim whose instance stopped', async () => {
      const store = await crimeData.store();
      const before = await storeRowCounts(store);
      fs.mkdirSync(path.join(importDir, 'one-month'));
      fs.cpSync(path.join(importDir, 'generated', '2024-02'), path.join(importDir, 'one-month'), { recursive: true });
      const lease = (ms: number) => new Date(Date.now() + ms).toISOString();
      await db.kysely
        .insertInto('crime_imports')
        .values({
          id: 'elsewhere',
          partnership_id: partnershipId,
          source: 'upload-x',
          started_by: 'b@example.org',
          started_at: '2000-01-01T00:00:00.000Z',
          heartbeat_at: lease(0),
        })
        .execute();
      await db.kysely
        .insertInto('crime_import_claims')
        .values({ month: '2024-02', force: 'south-yorkshire', import_id: 'elsewhere', lease_until: lease(60_000) })
        .execute();
      await crimeData.startImport(partnershipId, 'one-month', 'admin@example.org');
      const refused = await finished(crimeData, partnershipId);
      assert.match(
        refused.errors[0]?.message ?? '',
        /^south-yorkshire 2024-02 is being imported just now by another import \(upload-x, started by b@example\.org\)/,
      );
      assert.deepEqual(await storeRowCounts(store), before);
      // The other import's instance stopped: its lease runs out and the next import goes ahead.
      await db.kysely
        .updateTable('crime_import_claims')
        .set({ lease_until: lease(-1000) })
        .execute();
      await crimeData.startImport(partnershipId, 'one-month', 'admin@example.org');
      const imported = await finished(crimeData, partnershipId);
      assert.deepEqual(imported.errors, []);
      assert.equal(
        imported.summary?.files.every((f) => f.replaced),
        true,
      );
      assert.deepEqual(await storeRowCounts(store), before, 'the month is replaced, not added to');
      // An unfinished import whose instance stopped renewing it is shown as failed.
      await db.kysely
        .updateTable('crime_imports')
        .set({ started_at: '2100-01-01T00:00:00.000Z', heartbeat_at: '2000-01-01T00:00:00.000Z' })
        .where('id', '=', 'elsewhere')
        .execute();
      assert.match((await other.jobFor(partnershipId))?.errors[0]?.message ?? '', /stopped before it finished/);
    });

    it(
      'lets only one of two instances starting the same month and force at the same moment write it (PostgreSQL)',
      { skip: engine !== 'postgres' },
      async (t) => {
        // Two instances (two CrimeData on the shared store), each for its own partnership, import the same month and
        // forces at once, ten times over. Whichever claims it first writes; the other is refused with the clash, or, when
        // the first has already finished, replaces the month again. Either way the month is never written twice over.
        const store = await crimeData.store();
        const before = await storeRowCounts(store);
        // Partnerships of their own: the test above left an unfinished import dated in 2100 on the first.
        const first = (await makePartnership(db.kysely, 'First Racing Partnership')).id;
        const second = (await makePartnership(db.kysely, 'Second Racing Partnership')).id;
        let refusals = 0;
        for (let round = 0; round < 10; round++) {
          await Promise.all([
            crimeData.startImport(first, 'one-month', 'admin@example.org'),
            other.startImport(second, 'one-month', 'other@example.org'),
          ]);
          const jobs = [await finished(crimeData, first), await finished(other, second)];
          for (const job of jobs)
            for (const e of job.errors) {
              assert.match(e.message, /^[a-z-]+ 2024-02 is being imported just now by another import/);
              refusals += 1;
            }
          assert.ok(
            jobs.some((j) => j.errors.length === 0),
            'one of the two imported it',
          );
          assert.deepEqual(await storeRowCounts(store), before, `round ${round}: the month is held once`);
        }
        assert.equal((await db.kysely.selectFrom('crime_import_claims').selectAll().execute()).length, 0, 'every claim is released');
        // Not asserted (it depends on timing), but worth seeing when the test is read: how often the two overlapped.
        t.diagnostic(`two instances, same month and force, 10 rounds: ${refusals} refused`);
      },
    );

    it('drops the months older than the retention setting by a durable job, audited; newer months and their analysis stay; a second run changes nothing', async () => {
      const store = await crimeData.store();
      const area = { localAuthorities: ['Rotherham'] };
      const populations = [{ year: 2024, population: 268_000 }];
      const analysis = await strategicAssessment(store, { area, windowEnd: '2024-12', populations });
      const counts = await storeRowCounts(store);
      const files = await listImportedFiles(store);
      const byMonth = async () =>
        Object.fromEntries(
          (await store.query<{ month: string; n: number }>(`SELECT month, count(*) AS n FROM street_records GROUP BY month`)).map((r) => [
            r.month,
            Number(r.n),
          ]),
        ) as Record<string, number>;
      const before = await byMonth();
      const old = Object.keys(before)
        .filter((m) => m < '2024-01')
        .sort();
      assert.equal(old.length, 12);
      const oldRecords = old.reduce((n, m) => n + before[m]!, 0);
      const lease = { holder: 'retention-test', leaseMs: 60_000, maxAttempts: 3 };
      // The analysis page's cache (decision 0053): the same analysis while nothing changed, computed again after.
      await saveAssessmentArea(db.kysely, SYSTEM_ACTOR, partnershipId, { localAuthorities: 'Rotherham', lsoaCodes: '' });
      const partnership = await getPartnership(db.kysely, partnershipId);
      const cachedBefore = await loadAnalysisCached(db.kysely, crimeData, partnership, '2024-12');
      assert.equal(await loadAnalysisCached(db.kysely, crimeData, partnership, '2024-12'), cachedBefore, 'served from the cache');
      const { store: _s1, ...uncachedBefore } = await loadAnalysis(db.kysely, crimeData, partnership, '2024-12');
      const { store: _s2, ...cachedFields } = cachedBefore;
      assert.deepEqual(cachedFields, uncachedBefore);
      assert.equal(cachedBefore.months.length, 24);
      const audits = () => db.kysely.selectFrom('audit_events').selectAll().where('entity_type', '=', 'police_uk_months').execute();

      // Keep the newest 12 months held (2024): the day's job is added once, whichever instance adds it.
      const today = new Date('2026-12-03T06:00:00Z');
      assert.equal(await scheduleCrimeRetention(db.kysely, 12, today), true);
      assert.equal(await scheduleCrimeRetention(db.kysely, 12, today), false);
      const [outcome, ...more] = await runCrimeRetentionJobs(db.kysely, () => crimeData.store(), lease);
      assert.equal(more.length, 0);
      assert.deepEqual(outcome, { cutoff: '2024-01', months: old, records: oldRecords });
      const job = await db.kysely.selectFrom('jobs').selectAll().where('kind', '=', 'crime-retention').executeTakeFirstOrThrow();
      assert.equal(job.status, 'done');

      const after = await byMonth();
      assert.deepEqual(
        Object.keys(after).sort(),
        Object.keys(before)
          .filter((m) => m >= '2024-01')
          .sort(),
      );
      for (const m of Object.keys(after)) assert.equal(after[m], before[m], `${m} is untouched`);
      assert.deepEqual(await storeRowCounts(store), {
        ...counts,
        records: counts.records - oldRecords,
        files: files.filter((f) => f.month >= '2024-01').length,
      });
      assert.deepEqual(
        await listImportedFiles(store),
        files.filter((f) => f.month >= '2024-01'),
      );
      if (store.engine === 'postgres') {
        const partitions = await store.query<{ name: string }>(
          `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'street_records'::regclass ORDER BY 1`,
        );
        assert.deepEqual(
          partitions.map((p) => p.name),
          Object.keys(after)
            .sort()
            .map((m) => `street_records_y${m.slice(0, 4)}m${m.slice(5)}`),
          "the old months' partitions are dropped, not emptied",
        );
        const leftover = await store.query<{ n: number }>(`SELECT count(*) AS n FROM pg_class WHERE relname LIKE 'street_records_y2023%'`);
        assert.equal(Number(leftover[0]!.n), 0);
      }
      // The analysis of the months kept is unchanged; the year before them is now missing, and says so.
      const kept = await strategicAssessment(store, { area, windowEnd: '2024-12', populations });
      assert.deepEqual(kept.current, analysis.current);
      assert.deepEqual(kept.hotspots, analysis.hotspots);
      assert.deepEqual(kept.outcomes, analysis.outcomes);
      assert.deepEqual(
        kept.totals.map((t) => [t.label, t.current]),
        analysis.totals.map((t) => [t.label, t.current]),
      );
      assert.deepEqual(kept.missingMonths, old);

      // The retention run changed the store: the cached analysis is not served again.
      const cachedAfter = await loadAnalysisCached(db.kysely, crimeData, partnership, '2024-12');
      assert.notEqual(cachedAfter, cachedBefore);
      assert.deepEqual(
        cachedAfter.months,
        cachedBefore.months.filter((m) => m >= '2024-01'),
      );
      assert.deepEqual(
        cachedAfter.assessment?.totals.map((t) => [t.label, t.current]),
        kept.totals.map((t) => [t.label, t.current]),
      );
      assert.deepEqual(cachedAfter.assessment?.missingMonths, old);
      assert.equal(await loadAnalysisCached(db.kysely, crimeData, partnership, '2024-12'), cachedAfter);
      // So does a change of the area (an audited change of the partnership's data).
      await saveAssessmentArea(db.kysely, SYSTEM_ACTOR, partnershipId, { localAuthorities: 'Rotherham\nDoncaster', lsoaCodes: '' });
      const wider = await loadAnalysisCached(db.kysely, crimeData, await getPartnership(db.kysely, partnershipId), '2024-12');
      assert.notEqual(wider, cachedAfter);
      assert.ok(wider.assessment!.lsoaCount > kept.lsoaCount);

      const audited = await audits();
      assert.equal(audited.length, 1);
      assert.equal(audited[0]!.action, 'delete');
      assert.equal(
        audited[0]!.summary.startsWith(`Dropped the police.uk records of 2023-01 to 2023-12 (12 months, ${oldRecords} records)`),
        true,
      );

      // Again, by the next day's job and directly: nothing older to drop, nothing recorded, nothing changed.
      assert.equal(await scheduleCrimeRetention(db.kysely, 12, new Date('2026-12-04T06:00:00Z')), true);
      assert.deepEqual(await runCrimeRetentionJobs(db.kysely, () => crimeData.store(), lease), [
        { cutoff: '2024-01', months: [], records: 0 },
      ]);
      assert.deepEqual(await applyCrimeRetention(db.kysely, store, 12), { cutoff: '2024-01', months: [], records: 0 });
      assert.deepEqual(await byMonth(), after);
      assert.equal((await audits()).length, 1);
      assert.deepEqual(await strategicAssessment(store, { area, windowEnd: '2024-12', populations }), kept);
    });

    it(
      engine === 'postgres'
        ? 'rolls the drop back when its audit record cannot be written, and the retry drops and audits it'
        : 'audits a drop whose audit record could not be written at the retry, once',
      async () => {
        const store = await crimeData.store();
        const audits = () =>
          db.kysely.selectFrom('audit_events').selectAll().where('entity_type', '=', 'police_uk_months').orderBy('id').execute();
        const already = (await audits()).length;
        const monthsHeld = async () => [...new Set((await listImportedFiles(store)).map((f) => f.month))].sort();
        const [oldest] = await store.query<{ n: number }>(`SELECT count(*) AS n FROM street_records WHERE month = '2024-01'`);
        const records = Number(oldest!.n);
        assert.ok(records > 0);
        assert.equal((await monthsHeld())[0], '2024-01');
        // The app's database refuses the retention's audit record (a trigger): a real failure of that write.
        if (engine === 'postgres') {
          await sql`CREATE FUNCTION refuse_retention_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$`.execute(
            db.kysely,
          );
          await sql`CREATE TRIGGER refuse_retention_audit BEFORE INSERT ON audit_events FOR EACH ROW WHEN (NEW.entity_type = 'police_uk_months') EXECUTE FUNCTION refuse_retention_audit()`.execute(
            db.kysely,
          );
        } else
          await sql`CREATE TRIGGER refuse_retention_audit BEFORE INSERT ON audit_events FOR EACH ROW WHEN NEW.entity_type = 'police_uk_months' BEGIN SELECT RAISE(ABORT, 'audit refused'); END`.execute(
            db.kysely,
          );
        const lease = { holder: 'retention-retry', leaseMs: 60_000, maxAttempts: 3 };
        const logged: string[] = [];
        const run = () => runCrimeRetentionJobs(db.kysely, () => crimeData.store(), lease, { backoffMs: 0, log: (m) => logged.push(m) });
        assert.equal(await scheduleCrimeRetention(db.kysely, 11, new Date('2026-12-05T06:00:00Z')), true);
        assert.deepEqual(await run(), []);
        assert.match(logged[0] ?? '', /will be retried: .*audit refused/);
        const job = () =>
          db.kysely.selectFrom('jobs').selectAll().where('dedupe_key', '=', 'crime-retention:2026-12-05').executeTakeFirstOrThrow();
        assert.equal((await job()).status, 'queued');
        assert.equal((await audits()).length, already, 'nothing audited');
        if (engine === 'postgres') {
          // One transaction: the drop went back with the audit record.
          assert.equal((await monthsHeld())[0], '2024-01');
          const partition = await store.query<{ n: number }>(`SELECT count(*) AS n FROM street_records_y2024m01`);
          assert.equal(Number(partition[0]!.n), records);
        } else {
          // DuckDB cannot share the app's transaction: the month is gone, and the store remembers it is not audited yet.
          assert.equal((await monthsHeld())[0], '2024-02');
        }

        await sql`DROP TRIGGER refuse_retention_audit${sql.raw(engine === 'postgres' ? ' ON audit_events' : '')}`.execute(db.kysely);
        if (engine === 'postgres') await sql`DROP FUNCTION refuse_retention_audit()`.execute(db.kysely);
        const [retried, ...more] = await run();
        assert.equal(more.length, 0);
        assert.deepEqual(
          retried,
          engine === 'postgres' ? { cutoff: '2024-02', months: ['2024-01'], records } : { cutoff: '2024-02', months: [], records: 0 }, // dropped by the first attempt, audited by this one
        );
        assert.equal((await job()).status, 'done');
        assert.equal((await monthsHeld())[0], '2024-02');
        const audited = await audits();
        assert.equal(audited.length, already + 1);
        assert.equal(audited.at(-1)!.summary.startsWith(`Dropped the police.uk records of 2024-01 (1 month, ${records} records)`), true);
        // Once: later runs find nothing to drop and nothing left to audit.
        assert.deepEqual(await applyCrimeRetention(db.kysely, store, 11), { cutoff: '2024-02', months: [], records: 0 });
        assert.equal((await audits()).length, already + 1);
      },
    );
  });
}
