/**
 * Helpers for the whole-partnership export and import tests: a demo partnership filled out so that every
 * exported table has rows, a form of an export file with ids replaced by positions (so files from different
 * databases compare), and row counts read straight from the database.
 */
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { enrichMeetingsForTransfer } from './meetings.ts';
import type { Database, User } from '../../src/adapters/database/schema.ts';
import { actorOf } from '../../src/http/context.ts';
import { createUser, findUserByEmail } from '../../src/services/identity/users.ts';
import { addMembership } from '../../src/services/partnerships/members.ts';
import { createPart, updatePart } from '../../src/services/plans/planParts.ts';
import { approveVersion, startRefresh } from '../../src/services/plans/plans.ts';
import { createIndicator, setAmberTolerance, setSuppressionThreshold } from '../../src/services/performance/indicators.ts';
import { enterFigures } from '../../src/services/performance/figures.ts';
import { overrideRag } from '../../src/services/performance/ragOverrides.ts';
import { saveSpcMark } from '../../src/services/performance/spcMarks.ts';
import { saveAssessmentArea } from '../../src/services/assessment/assessmentAreas.ts';
import { saveOfficialLink } from '../../src/services/evidence/officialData.ts';
import { saveMatrixSettings } from '../../src/services/assessment/assessmentMatrix.ts';
import { TRANSFER_TABLES } from '../../src/services/transfer/partnershipTransferTables.ts';
import { CRIME_TYPES } from '../../src/domain/policeUkLayout.ts';
import { PASSWORD } from './app.ts';
import { buildPlanFixture } from './plans.ts';

export const PEOPLE = [
  { email: 'alice.analyst@rotherham.example.org', name: 'Alice Analyst', role: 'editor' as const },
  { email: 'bob.board@rotherham.example.org', name: 'Bob Board', role: 'viewer' as const },
];

/** Accounts for the people of the enriched partnership (all, or the first `count`), on another database. */
export async function createPeople(k: Kysely<Database>, count = PEOPLE.length): Promise<User[]> {
  const users: User[] = [];
  for (const p of PEOPLE.slice(0, count))
    users.push(
      (await findUserByEmail(k, p.email)) ??
        (await createUser(k, { userId: null, label: 'test' }, { email: p.email, name: p.name, password: PASSWORD })),
    );
  return users;
}

/**
 * Adds to a (demo) partnership what the demo data lacks, through the services: members, a plan with one of every
 * part and its refresh (copied_from links), a group reporting to a later group, a national indicator linked to a
 * priority and an objective, figures with a revision entered by members, a RAG override, settings and the
 * strategic assessment's area and matrix.
 */
export async function enrichForTransfer(k: Kysely<Database>, partnershipId: number): Promise<void> {
  const [alice, bob] = await createPeople(k);
  await addMembership(k, { userId: null, label: 'test' }, partnershipId, alice!, 'editor');
  await addMembership(k, { userId: null, label: 'test' }, partnershipId, bob!, 'viewer');
  const a = actorOf(alice!);
  const ids = await buildPlanFixture(k, partnershipId);
  // A group that reports to a group created after it: a reference to a later row of the same table.
  const first = await createPart(k, a, partnershipId, 'group', ids.versionId!, { name: 'Early group' });
  const later = await createPart(k, a, partnershipId, 'group', ids.versionId!, { name: 'Later board' });
  await updatePart(k, a, partnershipId, 'group', first.id, { name: 'Early group', reportsToGroupId: String(later.id) });
  // A risk owned by a member (175_risk_owners): the owner is carried by email like the other owners.
  await createPart(k, a, partnershipId, 'risk', ids.priorityId!, {
    risk: 'Owned risk (transfer test)',
    severity: 'high',
    likelihood: 'low',
    severityScore: '4',
    likelihoodScore: '2',
    ownerUserId: String(bob!.id),
  });
  const refresh = await startRefresh(k, a, partnershipId, ids.versionId!, { label: '2017/18 refresh', year: 2017 });
  const catalogue = await k
    .selectFrom('indicators')
    .select('id')
    .where('partnership_id', 'is', null)
    .where('code', '=', 'NI 16')
    .executeTakeFirstOrThrow();
  const indicator = await createIndicator(k, a, partnershipId, {
    title: 'Serious acquisitive crime (transfer test)',
    code: 'NI 16 (transfer)',
    unit: 'rate_per_1000',
    polarity: 'lower_is_better',
    frequency: 'quarterly',
    obaCategory: 'better_off',
    catalogueIndicatorId: catalogue.id,
    priorityIds: [ids.priorityId],
    objectiveIds: [ids.objectiveId],
    baselineValue: 12.34,
    baselinePeriod: '2015/16',
    targetKind: 'percentage_change',
    targetValue: 5,
    targetDirection: 'reduce',
    targetBy: '2018/19',
    isPublic: 'yes',
  });
  await enterFigures(k, a, partnershipId, [
    { indicatorId: indicator.id, period: '2016-17 Q1', value: '3.25', note: 'First count' },
    { indicatorId: indicator.id, period: '2016-17 Q2', value: '2.5' },
  ]);
  // Approving the refresh records the targets in force for its priorities (plan_version_targets).
  await approveVersion(k, a, partnershipId, refresh.id, {
    approvedBy: 'Partnership Board',
    approvedOn: '2017-03-30',
    meeting: 'Board, 30 March 2017',
  });
  // A revision by another member: the first figure is kept as history.
  await enterFigures(k, actorOf(bob!), partnershipId, [
    { indicatorId: indicator.id, period: '2016-17 Q1', value: '3.5', note: 'Revised after audit' },
  ]);
  await overrideRag(k, a, partnershipId, indicator.id, { period: '2016-17 Q2', rag: 'amber', reason: 'Partial data for the quarter' });
  await saveSpcMark(k, a, partnershipId, indicator.id, {
    kind: 'point',
    period: '2016-17 Q2',
    excluded: 'yes',
    reason: 'Partial data',
    note: 'Two weeks missing',
  });
  await setAmberTolerance(k, a, partnershipId, '7.5');
  await setSuppressionThreshold(k, a, partnershipId, '10');
  await saveAssessmentArea(k, a, partnershipId, { localAuthorities: 'Rotherham', lsoaCodes: '' });
  // The Home Office CSP list is national (imported on each instance); the partnership's link to it is exported.
  for (const name of ['Rotherham', 'Barnsley'])
    if (!(await k.selectFrom('official_csps').select('id').where('name', '=', name).executeTakeFirst()))
      await k.insertInto('official_csps').values({ name, force_name: 'South Yorkshire' }).execute();
  await saveOfficialLink(k, a, partnershipId, { cspName: 'Rotherham', peerMethod: 'chosen', peers: 'Barnsley' });
  const form: Record<string, string> = {
    weightVolume: '30',
    weightTrend: '20',
    weightHarm: '40',
    weightConcern: '10',
    volumeBasis: 'rate',
    otherIssues: 'Fly-tipping',
  };
  [...CRIME_TYPES, 'Fly-tipping'].forEach((t, i) => {
    form[`issue_${i}`] = t;
    form[`harm_${i}`] = String(5 + i);
    form[`concern_${i}`] = i === 0 ? '42.5' : '';
  });
  await saveMatrixSettings(k, a, partnershipId, form);
  await enrichMeetingsForTransfer(k, partnershipId, alice!);
}

type Row = Record<string, unknown>;
export interface ExportFile {
  format: string;
  formatVersion: number;
  exportedAt: string;
  tables: Record<string, Row[]>;
}

/**
 * The file with every id replaced by the row's position in its table, every reference by the position of the row
 * it names, every person by their email, and the partnership row's name, slug and timestamps (reset on import)
 * left out: two exports of the same partnership from any two databases are then deepEqual.
 */
export function canonical(file: ExportFile): Record<string, unknown[]> {
  const position = new Map<string, Map<unknown, number>>();
  for (const spec of TRANSFER_TABLES) position.set(spec.table, new Map((file.tables[spec.table] ?? []).map((r, i) => [r.id, i])));
  const emailOf = new Map((file.tables.users ?? []).map((u) => [u.id, u.email]));
  const out: Record<string, unknown[]> = {};
  for (const spec of TRANSFER_TABLES) {
    const rows = (file.tables[spec.table] ?? []).map((row) => {
      const c: Row = {};
      for (const [name, col] of Object.entries(spec.columns)) {
        const v = row[name];
        if (col.kind === 'id' || col.kind === 'partnership') continue;
        if (col.kind === 'ref') c[name] = v === null ? null : `#${position.get(col.table)!.get(v)}`;
        else if (col.kind === 'ref_list') c[name] = (v as number[]).map((id) => `#${position.get(col.table)!.get(id)}`);
        else if (col.kind === 'user') c[name] = v === null ? null : emailOf.get(v);
        else c[name] = v;
      }
      if (spec.table === 'partnerships') for (const f of ['name', 'slug', 'created_at', 'updated_at']) delete c[f];
      return c;
    });
    out[spec.table] = rows;
  }
  // People: those the rows name (a later export also names whoever exported or imported it).
  const named = new Set(
    TRANSFER_TABLES.flatMap((spec) =>
      Object.entries(spec.columns).flatMap(([name, col]) => (col.kind === 'user' ? out[spec.table]!.map((r) => (r as Row)[name]) : [])),
    ),
  );
  out.users = (out.users as Row[]).filter((u) => named.has(u.email)).sort((a, b) => String(a.email).localeCompare(String(b.email)));
  return out;
}

/** Rows of each exported table that belong to the partnership, counted in the database itself. */
export async function partnershipCounts(k: Kysely<Database>, partnershipId: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const spec of TRANSFER_TABLES) {
    if (spec.scope !== 'partnership_id') continue;
    const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(spec.table)} where partnership_id = ${partnershipId}`.execute(
      k,
    );
    counts[spec.table] = Number(r.rows[0]!.n);
  }
  return counts;
}

/** Rows in every table of the database, to show that a refused import wrote nothing anywhere. */
export async function allCounts(k: Kysely<Database>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of await k.introspection.getTables()) {
    const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(t.name)}`.execute(k);
    counts[t.name] = Number(r.rows[0]!.n);
  }
  return counts;
}

export function parseExport(text: string): ExportFile {
  const file = JSON.parse(text) as ExportFile;
  assert.equal(file.format, 'csphub-partnership');
  return file;
}
