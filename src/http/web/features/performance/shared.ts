/** What the performance pages share: the partnership's paths and breadcrumbs, and an indicator as a table row. */
import type { FastifyRequest } from 'fastify';
import { partnershipPage, type Crumb } from '../../partnershipPage.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import { label, targetText } from '../../../../services/performance/indicators.ts';
import type { IndicatorPerformance } from '../../../../services/performance/performance.ts';
import { sparkline } from '../../../../presentation/charts/index.ts';
import { DIRECTION_LABELS, ragLabel } from '../../../../presentation/labels.ts';
import { signedPercent, unitFormat } from '../../../../presentation/formats.ts';

export const pid = (r: FastifyRequest) => partnershipPage(r).id;
export const base = (r: FastifyRequest) => partnershipPage(r).base;
export const crumbs = (r: FastifyRequest, extra: Crumb[] = []) => partnershipPage(r).crumbs(extra);
export const indicatorId = (r: FastifyRequest) => assertValidId((r.params as { indicatorId: string }).indicatorId, 'Indicator');

/** The target shown before any figure is in: the latest one set. */
export function currentTargetText(i: IndicatorPerformance['indicator']): string {
  const t = i.targets.filter((x) => x.tier === 'first').at(-1);
  return t ? targetText(t) : 'No target';
}

/** Why a row has no RAG: stored figures that cannot be used, monitor only, or the calculation's reason. */
function noRagText(p: IndicatorPerformance): string {
  if (p.problems.length > 0) return 'No RAG: check the figures';
  if (p.indicator.polarity === 'monitor') return 'Monitor only';
  return 'No RAG';
}

/** An indicator's latest figures as a row of the dashboard, scorecard or exception list. */
export function rowView(p: IndicatorPerformance, basePath: string) {
  const l = p.latest;
  const fmtU = unitFormat(p.indicator.unit);
  const noFigures = p.problems.length > 0 ? 'No usable figures' : 'No figures';
  return {
    id: p.indicator.id,
    href: `${basePath}/indicators/${p.indicator.id}`,
    label: label(p.indicator),
    oba: p.indicator.oba_category,
    period: l?.label ?? '',
    value: l?.value !== null && l?.value !== undefined ? fmtU(l.value) : noFigures,
    target: l?.targetText ?? currentTargetText(p.indicator),
    rag: l?.rag ?? null,
    ragText: l?.rag ? ragLabel(l.rag, l.overridden) : noRagText(p),
    /** Why there is no RAG (no target, a target needing a missing baseline, ...), shown under it. */
    ragReason: !l || l.rag || p.problems.length > 0 || p.indicator.polarity === 'monitor' ? '' : (l.reasons.rag ?? ''),
    /** Stored figures that cannot be used: shown with the indicator so the rest of the page is unaffected. */
    problem: p.problems.join(' '),
    overridden: l?.overridden ?? false,
    direction: l?.direction ? DIRECTION_LABELS[l.direction] : '',
    directionReason: l && !l.direction ? (l.reasons.direction ?? '') : '',
    percentChange: signedPercent(l?.percentChange),
  };
}

/** The last 12 figures as a sparkline for a dashboard row (whose header names the indicator). */
export function rowSparkline(p: IndicatorPerformance): string {
  const last = p.series.slice(-12);
  if (last.length === 0) return '';
  return sparkline({
    title: 'Trend',
    values: last.map((x) => x.value),
    categories: last.map((x) => x.label),
    formatValue: unitFormat(p.indicator.unit),
    target: p.latest?.target?.threshold,
    inline: true,
  });
}
