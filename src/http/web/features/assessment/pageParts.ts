/**
 * What the strategic assessment's pages share: their address, their breadcrumbs, the chooser of the 12-month
 * window and the other partnerships offered as comparators.
 */
import type { FastifyRequest } from 'fastify';
import { formatPeriodLabel } from '../../../../domain/index.ts';
import type { ComparablePartnership } from '../../../../services/assessment/assessmentComparators.ts';
import { formatNumber } from '../../../../presentation/charts/index.ts';

/** /partnerships/<id>/assessment */
export function assessmentBase(request: FastifyRequest): string {
  return `/partnerships/${request.access!.partnership.id}/assessment`;
}

/** Home › the partnership › Strategic assessment. */
export function assessmentCrumbs(request: FastifyRequest): { text: string; href: string }[] {
  return [
    { text: 'Home', href: '/' },
    { text: request.access!.partnership.name, href: `/partnerships/${request.access!.partnership.id}` },
    { text: 'Strategic assessment', href: assessmentBase(request) },
  ];
}

/** The months held as choices of the window's last month, the one shown selected. */
export function monthItems(months: readonly string[], end: string | undefined): { value: string; text: string; selected: boolean }[] {
  return months.map((m) => ({ value: m, text: formatPeriodLabel(m), selected: m === end }));
}

/** The other partnerships with an area, as checkboxes, those chosen ticked. */
export function comparatorItems(others: readonly ComparablePartnership[], chosenIds: readonly string[]) {
  return others.map((o) => ({
    value: String(o.id),
    text: o.name,
    hint: {
      text: `${o.localAuthorities.join(', ') || 'LSOA codes only'}${o.population ? `; population ${formatNumber(o.population)}` : '; no population recorded'}`,
    },
    checked: chosenIds.includes(String(o.id)),
  }));
}
