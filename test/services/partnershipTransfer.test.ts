/**
 * Whole-partnership export and import on real databases:
 * - the completeness guard: every table and column of the migrated database (introspected on each engine) is
 *   either exported or excluded with a reason, so a table added later forces a decision;
 * - the demo Safer Rotherham Partnership, filled out so every exported table has rows, exported, imported as a
 *   new partnership and exported again: equal apart from ids and the reset name/slug/timestamps, with the same
 *   row counts in the database;
 * - members without an account on the importing instance left out and listed;
 * - bad files refused with exact messages (JSON path, expected, got) and nothing written;
 * - across engines: SQLite to PostgreSQL to SQLite, unchanged.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { makeUser } from '../support/app.ts';
import {
  allCounts,
  canonical,
  createPeople,
  enrichForTransfer,
  parseExport,
  partnershipCounts,
  PEOPLE,
  type ExportFile,
} from '../support/transfer.ts';
import type { Database, User } from '../../src/adapters/database/schema.ts';
import type { Engine } from '../../src/adapters/database/database.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { actorOf } from '../../src/http/context.ts';
import { findPartnershipByName } from '../../src/services/partnerships/partnerships.ts';
import { exportPartnership } from '../../src/services/transfer/partnershipExport.ts';
import { importPartnership, IMPORT_LIMIT_BYTES, type ImportProblem } from '../../src/services/transfer/partnershipImport.ts';
import { loadConfig } from '../../src/config.ts';
import {
  EXCLUDED_COLUMNS,
  EXCLUDED_TABLES,
  POSTGRES_ONLY_TABLES,
  TRANSFER_TABLES,
} from '../../src/services/transfer/partnershipTransferTables.ts';
import { ValidationError, ForbiddenError } from '../../src/domain/errors.ts';
import { listMembers } from '../../src/services/partnerships/members.ts';
import { partnershipPerformance } from '../../src/services/performance/performance.ts';
import { listPlans, loadPlanDocument } from '../../src/services/plans/plans.ts';
import { getMatrixSettings } from '../../src/services/assessment/assessmentMatrix.ts';
import { getAssessmentArea } from '../../src/services/assessment/assessmentAreas.ts';

const ROTHERHAM = 'Safer Rotherham Partnership';

async function exportText(k: Kysely<Database>, user: User, partnershipId: number): Promise<string> {
  return (await exportPartnership(k, actorOf(user), partnershipId)).chunks.join('');
}

/** A seeded demo database with Rotherham filled out, and its platform administrator. */
async function demoSource(engine: Engine) {
  const db = await freshDb(engine);
  const { admin } = await seedDemo(db.kysely, { email: 'admin@csphub.test', password: 'demo-password-2026' });
  const rotherham = (await findPartnershipByName(db.kysely, ROTHERHAM))!;
  await enrichForTransfer(db.kysely, rotherham.id);
  return { db, admin, rotherhamId: rotherham.id };
}

/** The problems of a refused import, as messages. */
async function refusal(promise: Promise<unknown>): Promise<ImportProblem[]> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof ValidationError, `expected a ValidationError, got ${String(e)}`);
    return e.errors as ImportProblem[];
  }
  assert.fail('the import was accepted');
}

/** The canonical file without its last audit event, which must be the import's own. */
function withoutImportEvent(file: ExportFile): ExportFile {
  const events = file.tables.audit_events!;
  assert.equal(events[events.length - 1]!.entity_type, 'partnership_import');
  return { ...file, tables: { ...file.tables, audit_events: events.slice(0, -1) } };
}

for (const engine of ENGINES) {
  describe(`whole-partnership export and import on ${engine}`, { timeout: 180_000 }, () => {
    let db: TestDb;
    let k: Kysely<Database>;
    let admin: User;
    let rotherhamId: number;
    let text: string;
    let file: ExportFile;

    before(async () => {
      ({ db, admin, rotherhamId } = await demoSource(engine));
      k = db.kysely;
    });
    after(async () => db.drop());

    it('lists every table and column of the migrated database as exported or excluded with a reason', async () => {
      const tables = await k.introspection.getTables({ withInternalKyselyTables: true });
      const names = tables.map((t) => t.name).sort();
      const decided = new Set([...TRANSFER_TABLES.map((t) => t.table), ...Object.keys(EXCLUDED_TABLES)]);
      const undecided = names.filter((n) => !decided.has(n));
      assert.deepEqual(
        undecided,
        [],
        `tables neither exported nor excluded (add them to src/services/transfer/partnershipTransferTables.ts): ${undecided.join(', ')}`,
      );
      const stale = [...decided].filter((n) => !names.includes(n) && !(engine === 'sqlite' && POSTGRES_ONLY_TABLES.includes(n)));
      assert.deepEqual(stale, [], 'tables in the transfer list that the database does not have');
      for (const spec of TRANSFER_TABLES) {
        const columns = tables
          .find((t) => t.name === spec.table)!
          .columns.map((c) => c.name)
          .sort();
        const listed = [...Object.keys(spec.columns), ...Object.keys(EXCLUDED_COLUMNS[spec.table] ?? {})].sort();
        assert.deepEqual(columns, listed, `columns of ${spec.table}: database vs transfer list`);
        for (const reason of Object.values(EXCLUDED_COLUMNS[spec.table] ?? {})) assert.ok(reason.length > 20);
      }
      for (const reason of Object.values(EXCLUDED_TABLES)) assert.ok(reason.length > 20);
    });

    it('orders the tables so that each comes after every other table it refers to', () => {
      TRANSFER_TABLES.forEach((spec, i) => {
        for (const [name, c] of Object.entries(spec.columns)) {
          if ((c.kind !== 'ref' && c.kind !== 'ref_list') || c.table === spec.table) continue;
          const j = TRANSFER_TABLES.findIndex((t) => t.table === c.table);
          assert.ok(j >= 0 && j < i, `${spec.table}.${name} refers to ${c.table}, which must come first`);
        }
      });
    });

    it('exports every row of the partnership, and only its rows, table by table in a stable order', async () => {
      const before = await partnershipCounts(k, rotherhamId);
      text = await exportText(k, admin, rotherhamId);
      file = parseExport(text);
      assert.equal(file.formatVersion, 1);
      assert.match(file.exportedAt, /^\d{4}-\d{2}-\d{2}T/);
      assert.deepEqual(
        Object.keys(file.tables),
        TRANSFER_TABLES.map((t) => t.table),
      );
      for (const spec of TRANSFER_TABLES) assert.ok(file.tables[spec.table]!.length > 0, `the fixture has rows in ${spec.table}`);
      for (const [table, n] of Object.entries(before)) assert.equal(file.tables[table]!.length, n, `${table}: file vs database`);
      assert.deepEqual(file.tables.users!.map((u) => u.email).sort(), PEOPLE.map((p) => p.email).sort());
      assert.deepEqual(
        Object.keys(file.tables.users![0]!),
        ['id', 'email', 'name'],
        'people are written without password hashes or privileges',
      );
      assert.ok(!text.includes('$argon2'), 'no password hash anywhere');
      for (const spec of TRANSFER_TABLES) {
        const ids = file.tables[spec.table]!.map((r) => r[spec.key] as number);
        assert.deepEqual(
          ids,
          [...ids].sort((a, b) => a - b),
          `${spec.table} rows in key order`,
        );
      }
      // Ids stay as references inside the file: every figure names an indicator of the file.
      const indicatorIds = new Set(file.tables.indicators!.map((i) => i.id));
      assert.ok(file.tables.figures!.every((f) => indicatorIds.has(f.indicator_id)));
      assert.ok(
        file.tables.indicators!.some((i) => i.catalogue_indicator_id === 'NI 16'),
        'national indicators are named by code',
      );
      assert.ok(
        file.tables.figures!.some((f) => f.superseded_at !== null),
        'revision history is exported',
      );
      // The download is audited after the snapshot, so the file never holds its own export event.
      const after = await partnershipCounts(k, rotherhamId);
      assert.equal(after.audit_events, before.audit_events! + 1);
      const again = parseExport(await exportText(k, admin, rotherhamId));
      const events = again.tables.audit_events!;
      assert.equal(events[events.length - 1]!.entity_type, 'partnership_export');
      assert.deepEqual(
        { ...again.tables, audit_events: events.slice(0, -1), users: again.tables.users!.filter((u) => u.id !== admin.id) },
        file.tables,
        'a second export is the same file',
      );
    });

    it('imports the file as a new partnership with new ids, and exports it again unchanged', async () => {
      const result = await importPartnership(k, actorOf(admin), admin, text, { name: `${ROTHERHAM} (copy)` });
      const id = result.partnership.id;
      assert.notEqual(id, rotherhamId);
      assert.equal(result.partnership.slug, 'safer-rotherham-partnership-copy');
      assert.deepEqual(result.membersLeftOut, []);
      assert.equal(result.peopleWithoutAccount, 0);
      const counts = await partnershipCounts(k, id);
      for (const spec of TRANSFER_TABLES) {
        if (spec.scope !== 'partnership_id') continue;
        const expected = file.tables[spec.table]!.length + (spec.table === 'audit_events' ? 1 : 0);
        assert.equal(counts[spec.table], expected, `${spec.table}: rows in the new partnership`);
        assert.equal(result.counts[spec.table], file.tables[spec.table]!.length, `${spec.table}: rows reported`);
      }
      const second = parseExport(await exportText(k, admin, id));
      assert.deepEqual(canonical(withoutImportEvent(second)), canonical(file));
      const oldIds = new Set(file.tables.priorities!.map((p) => p.id));
      assert.ok(
        second.tables.priorities!.every((p) => !oldIds.has(p.id)),
        'every priority has a new id',
      );

      // The copy works like the original: members and roles, dashboard, plans, settings.
      const roles = async (pid: number) => (await listMembers(k, pid)).map((m) => `${m.email} ${m.role}`).sort();
      assert.deepEqual(await roles(id), await roles(rotherhamId));
      const dashboard = async (pid: number) =>
        (await partnershipPerformance(k, pid)).map((p) => [p.indicator.title, p.latest?.value ?? null, p.latest?.rag ?? null]);
      assert.deepEqual(await dashboard(id), await dashboard(rotherhamId));
      const plans = await listPlans(k, id);
      assert.equal(plans.length, (await listPlans(k, rotherhamId)).length);
      for (const plan of plans) for (const v of plan.versions) assert.ok((await loadPlanDocument(k, id, v.id)).priorities.length >= 0);
      assert.deepEqual(
        { ...(await getMatrixSettings(k, id)), updatedAt: null },
        { ...(await getMatrixSettings(k, rotherhamId)), updatedAt: null },
      );
      assert.deepEqual(await getAssessmentArea(k, id), await getAssessmentArea(k, rotherhamId));
    });

    it('refuses a name or web address that is already used, writing nothing', async () => {
      const before = await allCounts(k);
      const problems = await refusal(importPartnership(k, actorOf(admin), admin, text));
      assert.deepEqual(problems, [
        {
          field: 'name',
          message: `A partnership called "${ROTHERHAM}" already exists here. Enter a different name for the imported partnership`,
        },
      ]);
      const clash = await refusal(importPartnership(k, actorOf(admin), admin, text, { name: 'SAFER ROTHERHAM PARTNERSHIP (copy)' }));
      assert.match(clash[0]!.message, /already exists here/);
      assert.deepEqual(await allCounts(k), before);
    });

    it('lets only a platform administrator import', async () => {
      const editor = await makeUser(k);
      await assert.rejects(importPartnership(k, actorOf(editor), editor, text, { name: 'Not allowed' }), ForbiddenError);
    });

    it('refuses bad files with the exact problem and writes nothing', async () => {
      const before = await allCounts(k);
      const attempt = (doc: unknown) =>
        refusal(
          importPartnership(k, actorOf(admin), admin, typeof doc === 'string' ? doc : JSON.stringify(doc), {
            name: 'Bad file partnership',
          }),
        );
      const edited = (change: (f: ExportFile) => void) => {
        const f = JSON.parse(text) as ExportFile;
        change(f);
        return f;
      };

      const truncated = await attempt(text.slice(0, Math.floor(text.length / 2)));
      assert.equal(truncated.length, 1);
      assert.match(
        truncated[0]!.message,
        /^The file is not valid JSON: .+ at the end of the file \(line \d+\): the file may be cut short$/,
      );
      const broken = await attempt('{\n  "format": "csphub-partnership",\n  "formatVersion": 1,\n  "tables": {x}\n}');
      assert.equal(broken[0]!.message, "The file is not valid JSON: Expected property name or '}' at line 4, column 14");

      const version = await attempt(edited((f) => (f.formatVersion = 2)));
      assert.deepEqual(
        version.map((p) => p.message),
        ['formatVersion: expected 1 (the only format version this CSP Hub reads), got 2 (a number)'],
      );
      const other = await attempt({ hello: 'world' });
      assert.deepEqual(
        other.map((p) => p.path),
        ['format', 'formatVersion'],
      );

      const textValue = await attempt(edited((f) => (f.tables.figures![0]!.value = '12')));
      assert.deepEqual(textValue, [
        {
          field: 'file',
          path: 'tables.figures[0].value',
          expected: 'a number of 0 or more and at most 1,000,000,000,000',
          got: '"12" (text)',
          message: 'tables.figures[0].value: expected a number of 0 or more and at most 1,000,000,000,000, got "12" (text)',
        },
      ]);

      // Below zero only for a figure or baseline of a score or money indicator (issue 16); these are counts.
      const negative = await attempt(edited((f) => (f.tables.figures![0]!.value = -3)));
      assert.deepEqual(
        negative.map((p) => p.message),
        ['tables.figures[0].value: expected a number of 0 or more and at most 1,000,000,000,000, got -3 (below zero)'],
      );

      // A table, or the app or notIncluded object, that is null or of the wrong type is refused, not read as empty.
      const nulls = await attempt(
        edited((f) => {
          (f.tables as Record<string, unknown>).figures = null;
          (f.tables as Record<string, unknown>).risks = { id: 1 };
          (f as unknown as Record<string, unknown>).app = null;
          (f as unknown as Record<string, unknown>).notIncluded = ['audit'];
        }),
      );
      assert.deepEqual(nulls.map((p) => p.message).sort(), [
        'app: expected an object with the name and version of the app that wrote the file, got null',
        'notIncluded: expected an object listing what the export left out and why, got a list of 1 item',
        'tables.figures: expected a list of rows (an empty list when there are none), got null',
        'tables.risks: expected a list of rows (an empty list when there are none), got an object',
      ]);
      // A table missing from the file (a file from a release before the table existed) is read as empty.
      const older = edited((f) => delete f.tables.highlight_reports);
      assert.ok(!('highlight_reports' in older.tables));

      const dangling = await attempt(edited((f) => (f.tables.figures![1]!.indicator_id = 999999)));
      assert.deepEqual(
        dangling.map((p) => p.message),
        [
          'tables.figures[1].indicator_id: expected the id of a row in tables.indicators, got 999999 (no row of tables.indicators has this id)',
        ],
      );

      const several = await attempt(
        edited((f) => {
          f.tables.organisations![0]!.type = 'council';
          delete f.tables.plans![0]!.title;
          f.tables.risks![0]!.extra = 1;
          f.tables.indicators![0]!.catalogue_indicator_id = 'NI 999';
          (f.tables as Record<string, unknown>).widgets = [];
          f.tables.plan_links![1]!.id = f.tables.plan_links![0]!.id;
        }),
      );
      assert.deepEqual(several.map((p) => p.message).sort(), [
        'tables.indicators[0].catalogue_indicator_id: expected the code of an indicator in the national catalogue (like "NI 15") or null, got "NI 999" (text)',
        'tables.organisations[0].type: expected one of "responsible_authority", "co_operating_body", "voluntary_community", "other", got "council" (text)',
        `tables.plan_links[1].id: expected a whole number above 0, not used by another row of tables.plan_links, got ${file.tables.plan_links![0]!.id as number} (already the id of another row)`,
        'tables.plans[0].title: expected text, got nothing (the key is missing)',
        `tables.risks[0].extra: expected only the columns ${Object.keys(TRANSFER_TABLES.find((t) => t.table === 'risks')!.columns).join(', ')}, got the column "extra"`,
        'tables.widgets: expected only tables that CSP Hub exports, got the table "widgets"',
      ]);

      const revisions = await attempt(edited((f) => (f.tables.figures!.find((x) => x.superseded_at !== null)!.superseded_at = null)));
      assert.equal(revisions.length, 1);
      assert.match(
        revisions[0]!.message,
        /^tables\.figures\[\d+\]: expected indicator_id and period not already used by tables\.figures\[\d+\] \(among rows whose superseded_at is null\), got the same indicator_id and period again$/,
      );

      const many = await attempt(edited((f) => f.tables.audit_events!.forEach((e) => (e.created_at = 'yesterday'))));
      assert.equal(many.length, 101);
      assert.equal(many[100]!.message, `... and ${file.tables.audit_events!.length - 100} more problems`);

      assert.deepEqual(
        (await attempt('   ')).map((p) => p.message),
        ['The file is empty'],
      );
      const huge = await refusal(importPartnership(k, actorOf(admin), admin, Buffer.alloc(IMPORT_LIMIT_BYTES + 1, 32)));
      assert.deepEqual(
        huge.map((p) => p.message),
        [
          'The file is 50.0 MB: the largest partnership file this CSP Hub imports is 50 MB. An administrator of the server can raise it with the IMPORT_LIMIT_MB setting',
        ],
      );
      // IMPORT_LIMIT_MB: 50 MB unless set; above 0 and at most 500.
      assert.equal(loadConfig({}).importLimitBytes, IMPORT_LIMIT_BYTES);
      assert.equal(loadConfig({ IMPORT_LIMIT_MB: '120' }).importLimitBytes, 120 * 1024 * 1024);
      assert.throws(() => loadConfig({ IMPORT_LIMIT_MB: '0' }), /IMPORT_LIMIT_MB must be a positive number, got "0"/);
      assert.throws(() => loadConfig({ IMPORT_LIMIT_MB: '501' }), /IMPORT_LIMIT_MB must be at most 500, got "501"/);
      // The limit the server sets (IMPORT_LIMIT_MB) is the one applied.
      const overSetting = await refusal(
        importPartnership(k, actorOf(admin), admin, Buffer.alloc(3 * 1024 * 1024, 32), { limitBytes: 2 * 1024 * 1024 }),
      );
      assert.deepEqual(
        overSetting.map((p) => [p.expected, p.message]),
        [
          [
            'a file of at most 2 MB (IMPORT_LIMIT_MB)',
            'The file is 3.0 MB: the largest partnership file this CSP Hub imports is 2 MB. An administrator of the server can raise it with the IMPORT_LIMIT_MB setting',
          ],
        ],
      );

      assert.deepEqual(await allCounts(k), before, 'nothing was written by any refused import');
    });

    if (engine === 'postgres') {
      it('rolls back everything when the database refuses a row part-way through', async () => {
        const before = await allCounts(k);
        const f = JSON.parse(text) as ExportFile;
        f.tables.organisations![2]!.name = 'x'.repeat(201);
        const problems = await refusal(
          importPartnership(k, actorOf(admin), admin, JSON.stringify(f), { name: 'Half written partnership' }),
        );
        assert.equal(problems.length, 1);
        assert.equal(problems[0]!.path, 'tables.organisations[2]');
        assert.equal(
          problems[0]!.message,
          'tables.organisations[2]: the database refused the row: value too long for type character varying(200)',
        );
        assert.deepEqual(await allCounts(k), before);
      });
    }

    it('matches members by email on another database and leaves out those without an account, saying so', async () => {
      const target = await freshDb(engine);
      try {
        const platform = await makeUser(target.kysely, { platformAdmin: true });
        await createPeople(target.kysely, 1); // Alice has an account there; Bob does not.
        const result = await importPartnership(target.kysely, actorOf(platform), platform, text);
        assert.equal(result.partnership.name, ROTHERHAM);
        assert.equal(result.partnership.slug, 'safer-rotherham-partnership');
        assert.deepEqual(result.membersLeftOut, [{ email: PEOPLE[1]!.email, name: PEOPLE[1]!.name, role: 'viewer' }]);
        assert.equal(result.peopleWithoutAccount, 1);
        const members = await listMembers(target.kysely, result.partnership.id);
        assert.deepEqual(
          members.map((m) => [m.email, m.role]),
          [[PEOPLE[0]!.email, 'editor']],
        );
        // Bob's revision keeps his email as text, without a link to an account.
        const revised = await target.kysely
          .selectFrom('figures')
          .selectAll()
          .where('partnership_id', '=', result.partnership.id)
          .where('note', '=', 'Revised after audit')
          .executeTakeFirstOrThrow();
        assert.equal(revised.entered_by, PEOPLE[1]!.email);
        assert.equal(revised.entered_by_user_id, null);
        const alice = await target.kysely.selectFrom('users').select('id').where('email', '=', PEOPLE[0]!.email).executeTakeFirstOrThrow();
        const first = await target.kysely
          .selectFrom('figures')
          .selectAll()
          .where('partnership_id', '=', result.partnership.id)
          .where('note', '=', 'First count')
          .executeTakeFirstOrThrow();
        assert.equal(first.entered_by_user_id, alice.id);
      } finally {
        await target.drop();
      }
    });
  });
}

if (ENGINES.includes('postgres')) {
  describe('whole-partnership export and import across engines', { timeout: 180_000 }, () => {
    const dbs: TestDb[] = [];
    after(async () => {
      for (const d of dbs) await d.drop();
    });

    /** Imports a file into a fresh database of the engine (with the people's accounts) and exports it again. */
    async function through(engine: Engine, text: string): Promise<{ text: string; counts: Record<string, number> }> {
      const target = await freshDb(engine);
      dbs.push(target);
      const platform = await makeUser(target.kysely, { platformAdmin: true });
      await createPeople(target.kysely);
      const result = await importPartnership(target.kysely, actorOf(platform), platform, text);
      const counts = await partnershipCounts(target.kysely, result.partnership.id);
      return { text: await exportText(target.kysely, platform, result.partnership.id), counts };
    }

    it('moves the demo partnership from SQLite to PostgreSQL and from PostgreSQL to SQLite unchanged', async () => {
      const source = await demoSource('sqlite');
      dbs.push(source.db);
      const original = parseExport(await exportText(source.db.kysely, source.admin, source.rotherhamId));
      const inPostgres = await through('postgres', JSON.stringify(original));
      const fromPostgres = parseExport(inPostgres.text);
      assert.deepEqual(canonical(withoutImportEvent(fromPostgres)), canonical(original));
      for (const spec of TRANSFER_TABLES) {
        if (spec.scope === 'partnership_id')
          assert.equal(
            inPostgres.counts[spec.table],
            original.tables[spec.table]!.length + (spec.table === 'audit_events' ? 1 : 0),
            spec.table,
          );
      }
      const backInSqlite = parseExport((await through('sqlite', inPostgres.text)).text);
      const events = backInSqlite.tables.audit_events!;
      assert.deepEqual(
        canonical({ ...backInSqlite, tables: { ...backInSqlite.tables, audit_events: events.slice(0, -2) } }),
        canonical(original),
      );
      assert.deepEqual(
        events.slice(-2).map((e) => e.entity_type),
        ['partnership_import', 'partnership_import'],
      );
    });

    it('moves a partnership seeded on PostgreSQL to SQLite unchanged', async () => {
      const source = await demoSource('postgres');
      dbs.push(source.db);
      const original = parseExport(await exportText(source.db.kysely, source.admin, source.rotherhamId));
      const inSqlite = parseExport((await through('sqlite', JSON.stringify(original))).text);
      assert.deepEqual(canonical(withoutImportEvent(inSqlite)), canonical(original));
    });
  });
}
