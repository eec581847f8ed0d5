/**
 * A funnel plot (ADR 0028): each area's rate against its population, the group average as a solid line, the 95%
 * limits dashed and the 99.8% limits dotted; the partnership drawn as a larger black diamond, its peers as blue
 * circles (shape as well as colour). Standalone SVG with role="img", <title> and <desc>; always shown with the
 * table of the same figures (`funnelTable`).
 */
import { escapeXml } from './escape.ts';
import { formatNumber, num } from './format.ts';
import { GOVUK_COLOURS, markerElement } from './palette.ts';
import { linearScale, niceTicks } from './scale.ts';
import { chartTable } from './table.ts';

// The chart modules stand alone (no domain code, no packages): the funnel's shape as the chart reads it, which
// src/domain/peerGroups.ts's Funnel matches.
interface FunnelCurvePoint {
  population: number;
  lower95: number;
  upper95: number;
  lower998: number;
  upper998: number;
}
interface FunnelChartPoint extends FunnelCurvePoint {
  name: string;
  count: number;
  rate: number;
  isSubject: boolean;
  significance: string;
  rank: number;
}
export interface Funnel {
  average: number;
  points: FunnelChartPoint[];
  curve: FunnelCurvePoint[];
}

export interface FunnelChartOptions {
  funnel: Funnel;
  title: string;
  /** What is rated, for the axis: "All offences per 1,000 people". */
  yLabel: string;
  id: string;
  width?: number;
  height?: number;
}

export function funnelChart(o: FunnelChartOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 400;
  const m = { left: 64, right: 16, top: 16, bottom: 56 };
  const f = o.funnel;
  const xs = [...f.points.map((p) => p.population), ...f.curve.map((c) => c.population)];
  const ys = [...f.points.map((p) => p.rate), ...f.curve.flatMap((c) => [c.lower998, c.upper998]), f.average];
  const xt = niceTicks(0, Math.max(...xs));
  const yt = niceTicks(Math.max(0, Math.min(...ys)), Math.max(...ys));
  const x = linearScale([xt.min, xt.max], [m.left, width - m.right]);
  const y = linearScale([yt.min, yt.max], [height - m.bottom, m.top]);
  const path = (pick: (c: Funnel['curve'][number]) => number) =>
    f.curve.map((c, i) => `${i === 0 ? 'M' : 'L'}${num(x(c.population))},${num(y(Math.min(yt.max, Math.max(yt.min, pick(c)))))}`).join(' ');
  const subject = f.points.find((p) => p.isSubject);
  const desc = `${f.points.length} areas. Group average ${formatNumber(f.average, 2)} per 1,000.${
    subject
      ? ` ${subject.name}: ${formatNumber(subject.rate, 2)} per 1,000, ${subject.significance}, ranked ${subject.rank} of ${f.points.length} (1 = highest rate).`
      : ''
  } The figures are in the table that follows.`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${o.id}-title ${o.id}-desc" font-family="Arial, sans-serif" font-size="13">`,
    `<title id="${o.id}-title">${escapeXml(o.title)}</title>`,
    `<desc id="${o.id}-desc">${escapeXml(desc)}</desc>`,
  ];
  for (const t of yt.ticks)
    parts.push(
      `<line x1="${m.left}" x2="${width - m.right}" y1="${num(y(t))}" y2="${num(y(t))}" stroke="#b1b4b6" stroke-width="1"/>`,
      `<text x="${m.left - 6}" y="${num(y(t) + 4)}" text-anchor="end" fill="${GOVUK_COLOURS.black}">${escapeXml(formatNumber(t, yt.decimals))}</text>`,
    );
  for (const t of xt.ticks)
    parts.push(
      `<text x="${num(x(t))}" y="${height - m.bottom + 18}" text-anchor="middle" fill="${GOVUK_COLOURS.black}">${escapeXml(formatNumber(t / 1000, 0))}</text>`,
    );
  parts.push(
    `<text x="${num((m.left + width - m.right) / 2)}" y="${height - 12}" text-anchor="middle" fill="${GOVUK_COLOURS.black}">Population (thousands)</text>`,
    `<text transform="translate(14 ${num((m.top + height - m.bottom) / 2)}) rotate(-90)" text-anchor="middle" fill="${GOVUK_COLOURS.black}">${escapeXml(o.yLabel)}</text>`,
    `<line x1="${m.left}" x2="${width - m.right}" y1="${num(y(f.average))}" y2="${num(y(f.average))}" stroke="${GOVUK_COLOURS.black}" stroke-width="2"/>`,
    `<path d="${path((c) => c.upper95)}" fill="none" stroke="${GOVUK_COLOURS.darkGrey}" stroke-width="2" stroke-dasharray="9 4"/>`,
    `<path d="${path((c) => c.lower95)}" fill="none" stroke="${GOVUK_COLOURS.darkGrey}" stroke-width="2" stroke-dasharray="9 4"/>`,
    `<path d="${path((c) => c.upper998)}" fill="none" stroke="${GOVUK_COLOURS.red}" stroke-width="2" stroke-dasharray="2 4"/>`,
    `<path d="${path((c) => c.lower998)}" fill="none" stroke="${GOVUK_COLOURS.red}" stroke-width="2" stroke-dasharray="2 4"/>`,
  );
  for (const p of f.points.filter((q) => !q.isSubject))
    parts.push(markerElement('circle', x(p.population), y(p.rate), 4, GOVUK_COLOURS.blue));
  if (subject) parts.push(markerElement('diamond', x(subject.population), y(subject.rate), 7, GOVUK_COLOURS.black));
  parts.push('</svg>');
  return parts.join('');
}

/** The legend as HTML text (shapes and lines named, not only coloured). */
export const FUNNEL_LEGEND = [
  'Black diamond: the partnership',
  'Blue circles: its peers',
  'Solid line: group average',
  'Dashed grey lines: 95% limits',
  'Dotted red lines: 99.8% limits',
];

/** The table of the funnel's figures: every area, its count, population, rate, limits, significance and rank. */
export function funnelTable(f: Funnel, caption: string, id: string): string {
  const pts = [...f.points].sort((a, b) => a.rank - b.rank);
  const two = (n: number) => formatNumber(n, 2);
  return chartTable({
    caption,
    captionSize: 's',
    id,
    categoryHeader: 'Area',
    categories: pts.map((p) => (p.isSubject ? `${p.name} (this partnership)` : p.name)),
    columns: [
      { name: 'Offences', values: pts.map((p) => p.count), formatValue: (n) => formatNumber(n, 0) },
      { name: 'Population', values: pts.map((p) => p.population), formatValue: (n) => formatNumber(n, 0) },
      { name: 'Rate per 1,000', values: pts.map((p) => p.rate), formatValue: two },
      { name: '95% limits', values: pts.map((p) => `${two(p.lower95)} to ${two(p.upper95)}`) },
      { name: '99.8% limits', values: pts.map((p) => `${two(p.lower998)} to ${two(p.upper998)}`) },
      { name: 'Against the group average', values: pts.map((p) => p.significance) },
      { name: 'Rank (1 = highest rate)', values: pts.map((p) => p.rank), formatValue: (n) => formatNumber(n, 0) },
    ],
  });
}
