/**
 * Who may do what inside a partnership. Every route and API operation names one of these actions and
 * asks `can(role, action)`; nothing else decides permissions.
 */
import type { Role } from '../../adapters/database/schema.ts';

export const ACTIONS = [
  'partnership.read',
  'partnership.update',
  'partnership.export',
  'organisation.write',
  'member.manage',
  'audit.read',
  'plan.write',
  'plan.approve',
  'activity.update',
  'indicator.write',
  'figure.write',
  'rag.override',
  'commentary.write',
  'highlight.write',
  'assessment.write',
  'assessment.import',
  'review.write',
  'document.generate',
  'meeting.write',
  'action.update',
  'duty.write',
  'scrutiny.write',
] as const;
export type Action = (typeof ACTIONS)[number];

const MINIMUM_ROLE: Record<Action, Role> = {
  'partnership.read': 'viewer',
  'partnership.update': 'admin',
  /** Download everything in the partnership, audit trail included, as one JSON file. */
  'partnership.export': 'admin',
  'organisation.write': 'editor',
  'member.manage': 'admin',
  'audit.read': 'admin',
  'plan.write': 'editor',
  'plan.approve': 'admin',
  'activity.update': 'contributor',
  'indicator.write': 'editor',
  'figure.write': 'contributor',
  'rag.override': 'editor',
  /** Write the lead's commentary on an indicator's period: whoever may enter its figures. */
  'commentary.write': 'contributor',
  /** Write a priority group's monthly highlight report to the Board. */
  'highlight.write': 'contributor',
  /** Define the partnership's area for the strategic assessment. */
  'assessment.write': 'editor',
  /** Import police.uk files into the shared analytical store (replaces those months and forces for everyone). */
  'assessment.import': 'admin',
  /** Write the annual review of a plan: what was done, key outputs, the indicators shown. */
  'review.write': 'editor',
  /** Generate a document (Board pack, annual review, plan) and keep it in the partnership's list; viewers download. */
  'document.generate': 'contributor',
  /** Arrange a governance group's meeting; record its attendees, agenda, papers, decisions, minutes and actions; escalate an item. */
  'meeting.write': 'contributor',
  /** Give a dated update on an action, or close it. */
  'action.update': 'contributor',
  /** Keep the statutory calendar: add duties, record one as done with its evidence. */
  'duty.write': 'editor',
  /** Record the scrutiny committee's recommendations and the partnership's response. */
  'scrutiny.write': 'editor',
};

const RANK: Record<Role, number> = { viewer: 1, contributor: 2, editor: 3, admin: 4 };

export function can(role: Role | null, action: Action): boolean {
  if (role === null) return false;
  return RANK[role] >= RANK[MINIMUM_ROLE[action]];
}
