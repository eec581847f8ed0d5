/**
 * The strategic assessment API with a personal token, on each engine: two years of generated police.uk files in the
 * app's store, figures checked against a count of the files made without the code under test; the comparison, the
 * seasonality and the matrix read; the matrix settings replaced (validated with JSON field names, audited, with a
 * conflict check); a missing area is a 409; viewers cannot write; the OpenAPI document lists every operation.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { openDatabase, type Db } from '../../src/adapters/database/database.ts';
import type { CrimeData } from '../../src/services/assessment/crimeData.ts';
import { api, makePartnership, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { readStreetRows, tempDir } from '../support/policeUk.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { DEFAULT_FORCES, writeStreetFiles } from '../../src/adapters/crimeStore/generator.ts';
import { importStreetFiles } from '../../src/adapters/crimeStore/importer.ts';
import { saveAssessmentArea } from '../../src/services/assessment/assessmentAreas.ts';
import { SYSTEM_ACTOR, listAudit } from '../../src/services/platform/audit.ts';
import { updatePartnership } from '../../src/services/partnerships/partnerships.ts';

const ASB = 'Anti-social behaviour';
const ALL = 'All crime (excluding anti-social behaviour)';

interface Change {
  label: string;
  previous: number;
  current: number;
  currentRate: number | null;
  percentageChange: number | null;
  significance: { significant: boolean; pValue: number; test: string; description: string };
}
interface Issue {
  rank: number;
  name: string;
  count: number | null;
  score: number;
  concern: number | null;
  harmWeight: number;
}

for (const engine of ENGINES) {
  describe(`strategic assessment API on ${engine}`, { timeout: 120_000 }, () => {
    let t: TestApp;
    let dir: string;
    let pid: number;
    let editor: string;
    let viewer: string;
    let rows: ReturnType<typeof readStreetRows>;
    const url = (rest: string) => `/api/v1/partnerships/${pid}/assessment${rest}`;

    before(async () => {
      dir = tempDir();
      const files = path.join(dir, 'files');
      await writeStreetFiles(files, {
        seed: 21,
        firstMonth: '2023-01',
        months: 24,
        rowsPerMonth: 700,
        forces: DEFAULT_FORCES.filter((f) => f.slug === 'south-yorkshire'),
      });
      rows = readStreetRows(files);
      t = await startTestApp(engine, { CRIME_STORE_PATH: path.join(dir, 'crime.duckdb') });
      await importStreetFiles(await t.app.crimeData.store(), files);
      const p = await makePartnership(t.k, 'Safer Apishire');
      pid = p.id;
      await updatePartnership(t.k, SYSTEM_ACTOR, pid, { name: 'Safer Apishire', populations: [{ year: 2024, population: 264_000 }] });
      editor = (await createToken(t.k, await memberOf(t.k, pid, 'editor'), 'e')).token;
      viewer = (await createToken(t.k, await memberOf(t.k, pid, 'viewer'), 'v')).token;
    });
    after(async () => {
      await t.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const count = (la: string, from: string, to: string, filter: (type: string) => boolean) =>
      rows.filter((r) => r.lsoaName.startsWith(`${la} `) && r.month >= from && r.month <= to && filter(r.crimeType)).length;

    it('answers 409 with the reason until the area is defined', async () => {
      for (const rest of ['', '/seasonality', '/matrix', '/comparison?authorities=Sheffield%2C%20556000']) {
        const res = await api(t.app, viewer, 'GET', url(rest));
        assert.equal(res.status, 409, rest);
        assert.match(res.json<{ message: string }>().message, /Define the partnership's area first/);
      }
      await saveAssessmentArea(t.k, SYSTEM_ACTOR, pid, { localAuthorities: 'Rotherham', lsoaCodes: '' });
    });

    it('gives the analysis with the counts in the files', async () => {
      const res = await api(t.app, viewer, 'GET', url('?end=2024-12'));
      assert.equal(res.status, 200, res.body);
      const a = res.json<{
        current: { from: string; to: string };
        totals: Change[];
        byCrimeType: Change[];
        monthly: { month: string; crime: number; asb: number }[];
      }>();
      assert.deepEqual([a.current.from, a.current.to], ['2024-01', '2024-12']);
      const crime = a.totals.find((x) => x.label === ALL)!;
      assert.equal(
        crime.previous,
        count('Rotherham', '2023-01', '2023-12', (x) => x !== ASB),
      );
      assert.equal(
        crime.current,
        count('Rotherham', '2024-01', '2024-12', (x) => x !== ASB),
      );
      assert.equal(crime.currentRate, (crime.current / 264_000) * 1000);
      assert.equal(typeof crime.significance.pValue, 'number');
      assert.equal(crime.significance.test, 'exact conditional binomial test (ratio of two Poisson counts)');
      assert.ok(crime.significance.description.includes(`two-sided, p ${crime.significance.pValue < 0.001 ? '<' : '='}`));
      const burglary = a.byCrimeType.find((x) => x.label === 'Burglary')!;
      assert.equal(
        burglary.current,
        count('Rotherham', '2024-01', '2024-12', (x) => x === 'Burglary'),
      );
      assert.equal(a.monthly.length, 24);
      assert.equal(
        a.monthly.find((m) => m.month === '2023-07')!.asb,
        count('Rotherham', '2023-07', '2023-07', (x) => x === ASB),
      );
      // A month that is not held falls back to the latest.
      assert.equal((await api(t.app, viewer, 'GET', url('?end=2031-01'))).json<{ current: { to: string } }>().current.to, '2024-12');
      assert.equal((await api(t.app, viewer, 'GET', url('?end=nonsense'))).status, 400);
    });

    it('gives the seasonality over every month held', async () => {
      const res = await api(t.app, viewer, 'GET', url('/seasonality'));
      assert.equal(res.status, 200, res.body);
      const s = res.json<{ months: number; profile: { name: string; years: number; crimeAverage: number; crimeIndex: number }[] }>();
      assert.equal(s.months, 24);
      assert.equal(s.profile.length, 12);
      const march = s.profile[2]!;
      assert.equal(march.name, 'March');
      assert.equal(march.years, 2);
      assert.equal(
        march.crimeAverage,
        (count('Rotherham', '2023-03', '2023-03', (x) => x !== ASB) + count('Rotherham', '2024-03', '2024-03', (x) => x !== ASB)) / 2,
      );
      const meanIndex = s.profile.reduce((sum, p) => sum + p.crimeIndex, 0) / 12;
      assert.ok(Math.abs(meanIndex - 100) < 1e-9);
    });

    it('compares with local authorities and refuses a bad choice', async () => {
      const res = await api(
        t.app,
        viewer,
        'GET',
        url('/comparison?end=2024-12&authorities=Sheffield%2C%20556000&authorities=Barnsley%2C%20246000'),
      );
      assert.equal(res.status, 200, res.body);
      const c = res.json<{
        comparators: { name: string; counts: Record<string, number>; rates: Record<string, number> }[];
        groupAverage: Record<string, number>;
      }>();
      assert.deepEqual(
        c.comparators.map((x) => x.name),
        ['Sheffield', 'Barnsley'],
      );
      const sheffield = count('Sheffield', '2024-01', '2024-12', (x) => x !== ASB);
      const barnsley = count('Barnsley', '2024-01', '2024-12', (x) => x !== ASB);
      assert.equal(c.comparators[0]!.counts[ALL], sheffield);
      assert.equal(c.comparators[0]!.rates[ALL], (sheffield / 556_000) * 1000);
      assert.ok(Math.abs(c.groupAverage[ALL]! - ((sheffield + barnsley) / 802_000) * 1000) < 1e-9);
      const bad = await api(t.app, viewer, 'GET', url('/comparison?authorities=Sheffield'));
      assert.equal(bad.status, 400);
      assert.equal(bad.json<{ problems: { field: string }[] }>().problems[0]!.field, 'authorities');
      assert.equal((await api(t.app, viewer, 'GET', url('/comparison'))).status, 400);
      assert.equal((await api(t.app, viewer, 'GET', url('/comparison?partnerships=999999'))).status, 400);
    });

    it('ranks the matrix, and replaces its settings with validation, audit and a conflict check', async () => {
      const first = await api(t.app, viewer, 'GET', url('/matrix?end=2024-12'));
      assert.equal(first.status, 200, first.body);
      const issues = first.json<{ issues: Issue[] }>().issues;
      assert.equal(issues.length, 14);
      assert.deepEqual(
        issues.map((i) => i.rank),
        issues.map((_i, n) => n + 1),
      );
      for (let n = 1; n < issues.length; n++) assert.ok(issues[n - 1]!.score >= issues[n]!.score);
      assert.equal(
        issues.find((i) => i.name === 'Burglary')!.count,
        count('Rotherham', '2024-01', '2024-12', (x) => x === 'Burglary'),
      );

      const settings = await api(t.app, viewer, 'GET', url('/matrix/settings'));
      assert.deepEqual(settings.json<{ updatedAt: string | null; harmWeights: Record<string, number> }>().updatedAt, null);
      assert.equal(settings.json<{ harmWeights: Record<string, number> }>().harmWeights.Burglary, 50);

      const body = {
        weights: { volume: 0, trend: 0, harm: 1, concern: 1 },
        concern: { Burglary: 90, Littering: 80 },
        otherIssues: ['Littering'],
      };
      assert.equal((await api(t.app, viewer, 'PUT', url('/matrix/settings'), body)).status, 403);
      const saved = await api(t.app, editor, 'PUT', url('/matrix/settings'), body);
      assert.equal(saved.status, 200, saved.body);
      const after = saved.json<{ updatedAt: string; concern: Record<string, number>; otherIssues: string[] }>();
      assert.deepEqual(after.concern, { Burglary: 90, Littering: 80 });
      assert.deepEqual(after.otherIssues, ['Littering']);
      const ranked = (await api(t.app, viewer, 'GET', url('/matrix'))).json<{ issues: Issue[] }>().issues;
      assert.equal(ranked.length, 15);
      // Harm and concern only: Burglary (harm 50, the highest concern) first, then Violence (the highest harm).
      assert.deepEqual(
        ranked.slice(0, 2).map((i) => i.name),
        ['Burglary', 'Violence and sexual offences'],
      );
      assert.equal(ranked.find((i) => i.name === 'Littering')!.count, null);
      const audit = await listAudit(t.k, { partnershipId: pid });
      assert.ok(
        audit.events.some((e) => e.entity_type === 'assessment_matrix' && /harm 1, public concern 1; 1 other issues/.test(e.summary)),
      );

      const stale = await api(t.app, editor, 'PUT', url('/matrix/settings'), { ...body, expectedUpdatedAt: '2000-01-01T00:00:00.000Z' });
      assert.equal(stale.status, 409);
      assert.equal(
        (
          await api(t.app, editor, 'PUT', url('/matrix/settings'), {
            ...body,
            weights: { volume: 1, trend: 1, harm: 1, concern: 1 },
            expectedUpdatedAt: after.updatedAt,
          })
        ).status,
        200,
      );

      const unknown = await api(t.app, editor, 'PUT', url('/matrix/settings'), {
        weights: { volume: 1, trend: 1, harm: 1, concern: 1 },
        concern: { Graffiti: 10 },
      });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.json<{ problems: { field: string }[] }>().problems[0]!.field, 'concern.Graffiti');
      const zero = await api(t.app, editor, 'PUT', url('/matrix/settings'), { weights: { volume: 0, trend: 0, harm: 0, concern: 0 } });
      assert.equal(zero.status, 400);
      assert.equal(zero.json<{ problems: { field: string }[] }>().problems[0]!.field, 'weights.volume');
      const harm = await api(t.app, editor, 'PUT', url('/matrix/settings'), {
        weights: { volume: 1, trend: 1, harm: 1, concern: 1 },
        harmWeights: { Burglary: 5000 },
      });
      assert.equal(harm.status, 400);
      assert.equal(harm.json<{ problems: { field: string }[] }>().problems[0]!.field, 'harmWeights.Burglary');
      // Nothing was half-written by the refused requests.
      assert.deepEqual((await api(t.app, viewer, 'GET', url('/matrix/settings'))).json<{ concern: Record<string, number> }>().concern, {
        Burglary: 90,
        Littering: 80,
      });
    });

    it('lists the assessment operations in the OpenAPI document, and keeps other partnerships out', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
        paths: Record<string, Record<string, unknown>>;
      }>();
      for (const p of ['', '/seasonality', '/comparison', '/matrix', '/matrix/settings'])
        assert.ok(doc.paths[`/api/v1/partnerships/{partnershipId}/assessment${p}`]?.get, p);
      assert.ok(doc.paths['/api/v1/partnerships/{partnershipId}/assessment/matrix/settings']?.put);
      const other = await makePartnership(t.k, 'Elsewhere');
      assert.equal((await api(t.app, viewer, 'GET', `/api/v1/partnerships/${other.id}/assessment/matrix`)).status, 404);
    });
  });
}

/**
 * Two instances of the app on one PostgreSQL database, in this process (each its own database pool and crime store
 * pool, as two servers have): the analysis the second instance serves from its cache (the map route, as the page)
 * is not served again once the first imports police.uk records into the shared store: the cache key reads the
 * store's files' record from the database on every request (decision 0053). Both apps here share this process's
 * cache, as two servers would not; the key read from the database is what keeps either of them up to date.
 */
if (ENGINES.includes('postgres'))
  describe('the cached analysis on two instances of one PostgreSQL database', { timeout: 120_000 }, () => {
    let dir: string;
    let db: TestDb;
    let apps: (FastifyInstance & { crimeData: CrimeData })[] = [];
    let second: Db;
    before(async () => {
      dir = tempDir();
      db = await freshDb('postgres');
      const config = loadConfig({
        SESSION_SECRET: 'test-secret-0123456789',
        BASE_URL: 'http://localhost:3000',
        DATABASE_URL: db.openOptions.databaseUrl,
      });
      assert.equal(config.crimeStore, 'postgres');
      second = openDatabase(db.openOptions);
      apps = [await buildApp({ db, config, oidc: null }), await buildApp({ db: second, config, oidc: null })];
      for (const app of apps) await app.ready();
    });
    after(async () => {
      for (const app of apps) await app.close();
      await second.close();
      await db.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('shows on one instance the records another imported, though it had the analysis cached', async () => {
      const files = path.join(dir, 'files');
      await writeStreetFiles(files, {
        seed: 23,
        firstMonth: '2024-01',
        months: 12,
        rowsPerMonth: 300,
        forces: DEFAULT_FORCES.filter((f) => f.slug === 'south-yorkshire'),
      });
      const rows = readStreetRows(files);
      // The first eleven months now, December later.
      const [early, december] = [path.join(dir, 'early'), path.join(dir, 'december')];
      for (const entry of fs.readdirSync(files))
        fs.cpSync(path.join(files, entry), path.join(entry === '2024-12' ? december : early, entry), { recursive: true });
      await importStreetFiles(await apps[0]!.crimeData.store(), early);
      const p = await makePartnership(db.kysely, 'Safer Twinshire');
      await saveAssessmentArea(db.kysely, SYSTEM_ACTOR, p.id, { localAuthorities: 'Rotherham', lsoaCodes: '' });
      const token = (await createToken(db.kysely, await memberOf(db.kysely, p.id, 'viewer'), 'v')).token;
      const crimeWithPoint = (to: string) =>
        rows.filter(
          (r) => r.lsoaName.startsWith('Rotherham ') && r.month <= to && r.crimeType !== ASB && r.longitude !== '' && r.latitude !== '',
        ).length;
      const map = async (instance: number) => {
        const res = await api(apps[instance]!, token, 'GET', `/api/v1/partnerships/${p.id}/assessment/map?end=2024-12&kind=crime`);
        assert.equal(res.status, 200, res.body);
        return res.json<{ total: number }>().total;
      };

      // December is not held yet: the window ends in November, on either instance, and the second serves it again.
      const november = crimeWithPoint('2024-11');
      assert.ok(november > 100);
      assert.equal(await map(1), november);
      assert.equal(await map(1), november);
      // The first instance imports December into the shared store: the second shows the year to December at once.
      await importStreetFiles(await apps[0]!.crimeData.store(), december);
      const year = crimeWithPoint('2024-12');
      assert.ok(year > november);
      assert.equal(await map(1), year);
      assert.equal(await map(0), year);
    });
  });
