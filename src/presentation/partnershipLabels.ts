/**
 * How people read the partnership's own words on pages: roles (with what each may do), types of partner
 * organisation, and the tables of a whole-partnership export. One copy each, for every page that shows them.
 */
import type { OrganisationType, Role } from '../adapters/database/schema.ts';

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
