/**
 * How things are named on pages, in the API's documentation, in documents and in downloads: one copy of each label,
 * for every place that shows it. The indicator and plan-part label maps are defined with the services that word
 * their own messages and form choices with them (a service cannot import this layer); they are exported from here
 * so that pages, documents and exports all take their labels from one file.
 */
import type { OrganisationType, Role } from '../adapters/database/schema.ts';
import type { DirectionOfTravel, Rag } from '../domain/index.ts';
import type { QuarterCollection, QuarterCollectionStatus } from '../domain/collection.ts';

export {
  FREQUENCY_LABELS,
  OBA_LABELS,
  PERIOD_EXAMPLES,
  POLARITY_LABELS,
  TARGET_KIND_LABELS,
  TRAJECTORY_FORM_LABELS,
  UNIT_LABELS,
} from '../services/performance/indicators.ts';
export { ACTIVITY_STATUS_LABELS, RAG_LABELS, RESOURCE_KIND_LABELS, RISK_LEVEL_LABELS } from '../services/plans/planParts.ts';
import { RAG_LABELS } from '../services/plans/planParts.ts';

export const DIRECTION_LABELS: Record<DirectionOfTravel, string> = {
  improving: 'Improving',
  worsening: 'Worsening',
  'no change': 'No change',
  increasing: 'Increasing',
  decreasing: 'Decreasing',
};

/** A RAG status as read: 'Red', or 'Amber (overridden)' when set by hand. */
export function ragLabel(rag: Rag, overridden = false): string {
  return `${RAG_LABELS[rag]}${overridden ? ' (overridden)' : ''}`;
}

/** Label-and-value items for GOV.UK radios and selects, in the order of `values`. */
export const items = <T extends string>(values: readonly T[], labels: Record<T, string>) =>
  values.map((v) => ({ value: v, text: labels[v] }));

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  editor: 'Editor',
  contributor: 'Contributor',
  viewer: 'Viewer',
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: 'Manages the partnership, its users and settings, and reads the audit trail',
  editor: 'Edits plans, indicators and partner organisations',
  contributor: 'Enters figures, progress updates, commentary and highlight reports',
  viewer: 'Reads everything in the partnership',
};

export const ORGANISATION_TYPE_LABELS: Record<OrganisationType, string> = {
  responsible_authority: 'Responsible authority',
  co_operating_body: 'Co-operating body',
  voluntary_community: 'Voluntary or community organisation',
  other: 'Other',
};

/** Export tables whose name does not read well on its own. */
const TABLE_LABELS: Record<string, string> = {
  users: 'People matched to accounts here',
  partnerships: 'Partnership',
  rag_overrides: 'RAG overrides',
  indicator_links: 'Indicator links to priorities and objectives',
  theme_priorities: 'Theme–priority links',
};

/** A table's name as people read it: plan_versions → Plan versions. */
export function tableLabel(table: string): string {
  const s = TABLE_LABELS[table] ?? table.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** How an indicator's figures for a quarter came in (the collection calendar). */
export const QUARTER_COLLECTION_LABELS: Record<QuarterCollectionStatus, string> = {
  on_time: 'On time',
  late: 'Late',
  missing: 'Missing',
  not_due: 'Not yet due',
  not_expected: 'Not expected',
};

/** The counts behind a quarter's collection status: '3 expected: 1 on time, 1 late, 1 missing'. */
export function quarterCollectionDetail(c: QuarterCollection): string {
  if (c.expected === 0) return 'No figure expected for the quarter by the collection calendar';
  const parts = [
    [c.onTime, 'on time'],
    [c.late, 'late'],
    [c.missing, 'missing'],
    [c.notDue, 'not yet due'],
  ].filter(([n]) => Number(n) > 0);
  return `${c.expected} expected: ${parts.map(([n, w]) => `${n} ${w}`).join(', ')}`;
}
