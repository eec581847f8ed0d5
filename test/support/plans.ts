/**
 * A small but complete plan version (one of every part), built through the services, and valid request bodies
 * for the plan API: what the authorisation walk needs to call every plan route with real identifiers.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/adapters/database/schema.ts';
import { SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';
import { createPlan } from '../../src/services/plans/plans.ts';
import { createPart, PART_KINDS, PART_PARAM, PART_SPECS, type PartInput, type PartKind } from '../../src/services/plans/planParts.ts';
import type { RouteRecord } from '../../src/http/app.ts';

export type PlanIds = Record<string, number>;

/** A valid input for a part: its required fields filled in. */
export function validPartInput(kind: PartKind): PartInput {
  const input: PartInput = {};
  for (const f of PART_SPECS[kind].fields) {
    if (!f.required) continue;
    if (f.kind === 'date') input[f.name] = '2016-04-01';
    else if (f.kind === 'money') input[f.name] = 100;
    else if (f.kind === 'choice') input[f.name] = f.choices!.find((c) => c.value !== '')!.value;
    else input[f.name] = `Walk ${Math.random().toFixed(6)}`;
  }
  return input;
}

/** A draft 2016-19 plan with one of every part; returns the id of each under its URL parameter name. */
export async function buildPlanFixture(k: Kysely<Database>, partnershipId: number): Promise<PlanIds> {
  const { plan, version } = await createPlan(k, SYSTEM_ACTOR, partnershipId, {
    title: `Walk plan ${Math.random().toFixed(6)}`,
    startYear: 2016,
    endYear: 2019,
  });
  const ids: PlanIds = { planId: plan.id, versionId: version.id };
  const parentOf: Record<string, number> = { version: version.id };
  // Parents before children: PART_KINDS lists priority, objective, activity, update... in that order.
  const order: PartKind[] = [
    'priority',
    'objective',
    'activity',
    'stream',
    ...PART_KINDS.filter((x) => !['priority', 'objective', 'activity', 'stream'].includes(x)),
  ];
  for (const kind of order) {
    const spec = PART_SPECS[kind];
    const row = await createPart(k, SYSTEM_ACTOR, partnershipId, kind, parentOf[spec.parent]!, validPartInput(kind));
    ids[PART_PARAM[kind]] = row.id;
    parentOf[kind] = row.id;
  }
  return ids;
}

/** Names of the URL parameters of plan routes, for placeholders. */
export const PLAN_PARAMS = ['planId', 'versionId', ...PART_KINDS.map((k) => PART_PARAM[k])];

/** A valid API body for a plan route, or undefined when the route is not a plan route. */
export function planApiBody(route: RouteRecord): { body: unknown } | undefined {
  const url = route.url;
  if (url.endsWith('/plans')) return { body: { title: 'Walk plan', startYear: 2016, endYear: 2019 } };
  if (url.endsWith('/plan-versions/:versionId')) return { body: { label: `Walk ${Math.random()}` } };
  if (url.endsWith('/approve')) return { body: { approvedBy: 'Board', approvedOn: '2016-03-24', meeting: 'Board meeting' } };
  if (url.endsWith('/publish')) return { body: undefined };
  if (url.endsWith('/withdraw')) return { body: { reason: 'Walk: figures out of date' } };
  if (url.endsWith('/refresh')) return { body: { label: `Walk ${Math.random()}`, year: 2017 } };
  for (const kind of PART_KINDS) {
    const seg = PART_SPECS[kind].segment;
    if (url.endsWith(`/${seg}`) || url.endsWith(`/${seg}/:${PART_PARAM[kind]}`)) return { body: validPartInput(kind) };
  }
  return undefined;
}

/** Routes that destroy their target: they need a fresh fixture for each call. */
export function isDestructive(route: RouteRecord): boolean {
  return route.method === 'DELETE' || route.url.endsWith('/delete');
}
