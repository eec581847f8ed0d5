/** What the cycle pages share: the partnership's paths and breadcrumbs, form values, an expected figure for a table. */
import type { FastifyRequest } from 'fastify';
import { partnershipPage, type Crumb } from '../../partnershipPage.ts';
import type { OwnerChoices } from '../../../../services/cycle/owners.ts';
import { formatPeriodLabel } from '../../../../domain/index.ts';
import type { ExpectedFigure } from '../../../../domain/collection.ts';

export const pid = (r: FastifyRequest) => partnershipPage(r).id;
export const base = (r: FastifyRequest) => partnershipPage(r).base;
export const crumbs = (r: FastifyRequest, extra: Crumb[] = []) => partnershipPage(r).crumbs(extra);
export const str = (v: unknown) => (typeof v === 'string' ? v : '');

const STATUS_TEXT: Record<ExpectedFigure['status'], string> = { received: 'Received', due: 'Due', overdue: 'Overdue' };
const STATUS_TAG: Record<ExpectedFigure['status'], string> = {
  received: 'govuk-tag--green',
  due: 'govuk-tag--blue',
  overdue: 'govuk-tag--red',
};

/** An expected figure for a table: labels, status tag and whether it came in on time. */
export function expectedView(f: ExpectedFigure) {
  return {
    ...f,
    periodLabel: formatPeriodLabel(f.period),
    statusText: f.status === 'received' && f.onTime === false ? 'Received late' : STATUS_TEXT[f.status],
    tagClass: f.status === 'received' && f.onTime === false ? 'govuk-tag--yellow' : STATUS_TAG[f.status],
  };
}

/** The owner's two select lists (a member with an account, an organisation) with the chosen values selected. */
export function ownerItems(choices: OwnerChoices, v: Record<string, string>) {
  return {
    memberItems: [
      { value: '', text: 'No one with an account' },
      ...choices.members.map((m) => ({
        value: String(m.userId),
        text: `${m.name} (${m.email})`,
        selected: v.ownerUserId === String(m.userId),
      })),
    ],
    organisationItems: [
      { value: '', text: "The owner's organisation, or none" },
      ...choices.organisations.map((o) => ({ value: String(o.id), text: o.name, selected: v.ownerOrganisationId === String(o.id) })),
    ],
  };
}
