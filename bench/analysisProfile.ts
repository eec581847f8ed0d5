/**
 * Where the time of one partnership's analysis page goes on the shared PostgreSQL store (issue 19): the page's
 * loader (`loadAnalysis`, everything the page shows but the HTML) is run in this process, each statement to the
 * crime store timed, on a throwaway database holding a generated year (3 forces, default 200,000 rows), the area
 * being Rotherham. Prints, for the uncached loader (`--runs` runs after one unmeasured) and the cached one
 * (`loadAnalysisCached`), the median time and CPU (this process's, and on PostgreSQL the server's processes for the
 * database, read from /proc when the server runs on this machine), and for one uncached run each store statement
 * with its time.
 *
 *   CSPHUB_BENCH_PG_URL=postgres://postgres@127.0.0.1:55432/postgres npx tsx bench/analysisProfile.ts [--rows 200000] [--runs 15]
 *   … --keep                 # keep the database (its URL is printed) and reuse it with --database <url>
 *   … --store duckdb         # the crime store a DuckDB file (as SQLite deployments have), the same generated year
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { writeStreetFiles } from '../src/adapters/crimeStore/generator.ts';
import { importStreetFiles } from '../src/adapters/crimeStore/importer.ts';
import { openCrimeStore, openPgCrimeStore } from '../src/adapters/crimeStore/store.ts';
import { openDatabase } from '../src/adapters/database/database.ts';
import { migrateToLatest } from '../src/adapters/database/migrate.ts';
import { CrimeData } from '../src/services/assessment/crimeData.ts';
import { loadAnalysis, loadAnalysisCached } from '../src/services/assessment/assessmentAnalysis.ts';
import { saveAssessmentArea } from '../src/services/assessment/assessmentAreas.ts';
import { createPartnership, getPartnership } from '../src/services/partnerships/partnerships.ts';
import { SYSTEM_ACTOR } from '../src/services/platform/audit.ts';
import { createDatabase } from './apphost.ts';
import { sql } from 'kysely';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    runs: { type: 'string', default: '15' },
    keep: { type: 'boolean', default: false },
    database: { type: 'string' },
    store: { type: 'string', default: 'postgres' },
  },
});
const postgresUrl = process.env.CSPHUB_BENCH_PG_URL ?? process.env.DATABASE_URL ?? '';
if (!values.database && !/^postgres(ql)?:\/\//.test(postgresUrl)) throw new Error('Set CSPHUB_BENCH_PG_URL to a PostgreSQL server');

if (values.store !== 'postgres' && values.store !== 'duckdb') throw new Error('--store is postgres or duckdb');
const duck = values.store === 'duckdb';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const created = values.database ? null : await createDatabase('postgres', postgresUrl);
const databaseUrl = values.database ?? created!.databaseUrl;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-profile-'));
const app = openDatabase({ databaseUrl, dataDir });
try {
  const duckFile = path.join(dataDir, 'crime.duckdb');
  if (created || duck) {
    const folder = path.join(dataDir, 'files');
    await writeStreetFiles(folder, { seed: 2024, firstMonth: '2024-01', months: 12, rowsPerMonth: Math.round(Number(values.rows) / 12) });
    if (duck) {
      const store = await openCrimeStore(duckFile);
      await importStreetFiles(store, folder, { tempDir: dataDir });
      store.close();
    }
    if (created && !duck) {
      const store = openPgCrimeStore(databaseUrl);
      await importStreetFiles(store, folder, { tempDir: dataDir });
      await store.query('ANALYZE street_records');
      store.close();
    }
  }
  if (created) {
    await migrateToLatest(app);
    const p = await createPartnership(app.kysely, SYSTEM_ACTOR, null, {
      name: 'Safer Rotherham Partnership',
      areaDescription: 'Rotherham',
      populations: [{ year: 2024, population: 268_000 }],
    });
    await saveAssessmentArea(app.kysely, SYSTEM_ACTOR, p.id, { localAuthorities: 'Rotherham', lsoaCodes: '' });
  }
  const id = (
    await app.kysely.selectFrom('partnerships').select('id').where('name', '=', 'Safer Rotherham Partnership').executeTakeFirstOrThrow()
  ).id;
  const partnership = await getPartnership(app.kysely, id);
  const crimeData = duck
    ? new CrimeData(duckFile, dataDir, { db: app.kysely })
    : new CrimeData(':memory:', dataDir, { db: app.kysely, sharedStoreUrl: databaseUrl });
  const store = await crimeData.store();
  // Each statement to the crime store, timed.
  const statements: { sql: string; ms: number }[] = [];
  const query = store.query.bind(store) as (text: string, params?: Record<string, unknown>) => Promise<unknown[]>;
  store.query = (async (text: string, params?: Record<string, unknown>) => {
    const t = performance.now();
    try {
      return await query(text, params);
    } finally {
      statements.push({ sql: text.replace(/\s+/g, ' ').slice(0, 90), ms: performance.now() - t });
    }
  }) as typeof store.query;

  // CPU seconds of the database server's processes for this database (PostgreSQL on this machine), else 0.
  const serverPids = async () =>
    duck
      ? []
      : (
          await app.kysely
            .selectFrom(sql<{ pid: number }>`pg_stat_activity`.as('a'))
            .select('pid')
            .where(sql<boolean>`datname = current_database()`)
            .execute()
        ).map((r) => r.pid);
  const serverCpu = (pids: number[]) =>
    pids.reduce((sum, pid) => {
      try {
        const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return sum + (Number(fields[11]) + Number(fields[12])) / 100;
      } catch {
        return sum;
      }
    }, 0);
  const time = async (load: () => Promise<unknown>, runs: number) => {
    await load();
    const ms: number[] = [];
    const appCpu: number[] = [];
    const dbCpu: number[] = [];
    const pids = await serverPids();
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const c = process.cpuUsage();
      const s = serverCpu(pids);
      await load();
      ms.push(performance.now() - t);
      const used = process.cpuUsage(c);
      appCpu.push((used.user + used.system) / 1000);
      dbCpu.push((serverCpu(pids) - s) * 1000);
    }
    return Object.assign(ms, { appCpu, dbCpu });
  };
  const runs = Number(values.runs);
  const loadAtStart = os.loadavg()[0]!.toFixed(1);
  const uncached = await time(() => loadAnalysis(app.kysely, crimeData, partnership, '2024-12'), runs);
  statements.length = 0;
  const t = performance.now();
  await loadAnalysis(app.kysely, crimeData, partnership, '2024-12');
  const one = performance.now() - t;
  const inStore = statements.reduce((s, x) => s + x.ms, 0);
  const listed = [...statements];
  const cached = await time(() => loadAnalysisCached(app.kysely, crimeData, partnership, '2024-12'), runs);
  console.log(
    `load average at the start ${loadAtStart}, at the end ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ${os.cpus().length} CPUs`,
  );
  console.log(`crime store: ${duck ? 'DuckDB file' : 'PostgreSQL'}, ${values.rows} generated rows`);
  const cpu = (xs: { appCpu: number[]; dbCpu: number[] }) =>
    `CPU median ${median(xs.appCpu).toFixed(0)} ms here${duck ? '' : ` + ${median(xs.dbCpu).toFixed(0)} ms in PostgreSQL`}`;
  console.log(
    `loadAnalysis (uncached): median ${median(uncached).toFixed(0)} ms, max ${Math.max(...uncached).toFixed(0)} ms over ${runs}; ${cpu(uncached)}`,
  );
  console.log(
    `loadAnalysisCached (after its first run): median ${median(cached).toFixed(1)} ms, max ${Math.max(...cached).toFixed(1)} ms; ${cpu(cached)}`,
  );
  console.log(
    `One uncached run: ${one.toFixed(0)} ms, ${listed.length} crime-store statements (${inStore.toFixed(0)} ms summed; they overlap where run together):`,
  );
  for (const s of listed) console.log(`  ${s.ms.toFixed(1).padStart(7)} ms  ${s.sql}`);
  await crimeData.close();
} finally {
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (created && !values.keep) await created.drop();
  else if (created) console.log(`Kept ${databaseUrl}`);
}
