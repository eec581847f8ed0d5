/**
 * The LSOA choropleth of the strategic assessment (issue 17, ADR 0045) as the page shows it: the SVG (drawn by
 * charts/choroplethMap.ts, which knows nothing of LSOAs), its title and text alternative, the key of classes and
 * the table of every LSOA drawn with its code, records, residents, rate and class.
 */
import type { Choropleth, ValueClass } from '../domain/lsoaBoundaries.ts';
import { formatNumber } from './charts/index.ts';
import { choroplethSvg, classShade } from './charts/choroplethMap.ts';

const KIND_TEXT: Record<'crime' | 'asb', string> = {
  crime: 'Crime (excluding anti-social behaviour)',
  asb: 'Anti-social behaviour',
};

export interface ChoroplethRow {
  code: string;
  name: string;
  count: string;
  population: string;
  rate: string;
  class: string;
}

export interface ChoroplethView {
  title: string;
  description: string;
  svg: string;
  legend: { colour: string; text: string }[];
  rows: ChoroplethRow[];
  measureText: string;
}

/** A rate to one decimal place, always shown: 7.0. */
export const rateOne = (v: number): string => v.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A class as the key and the table give it: '0', '1 to 4', '2.5 to 7.0 per 1,000'. */
export function classText(c: ValueClass, measure: Choropleth['measure']): string {
  const f = (v: number) => (measure === 'rate' ? rateOne(v) : formatNumber(v, 0));
  const range = c.from === c.to ? f(c.from) : `${f(c.from)} to ${f(c.to)}`;
  return measure === 'rate' ? `${range} per 1,000 residents` : `${range} records`;
}

/** The title, text alternative, drawing, key and table of the choropleth. */
export function choroplethView(
  c: Choropleth,
  kind: 'crime' | 'asb',
  window: string,
  populationSources: readonly string[],
  id: string,
): ChoroplethView {
  const what = KIND_TEXT[kind];
  const measureText = c.measure === 'rate' ? 'records per 1,000 residents' : 'records';
  const title = `${what} by LSOA, ${window}`;
  const top = c.lsoas.reduce<(typeof c.lsoas)[number] | null>(
    (best, l) => (best === null || (c.measure === 'rate' ? (l.rate ?? 0) > (best.rate ?? 0) : l.count > best.count) ? l : best),
    null,
  );
  const parts = [
    `${formatNumber(c.lsoas.length)} LSOAs shaded by ${measureText} in ${c.classes.length} classes, north at the top; darker LSOAs have more.`,
    `${formatNumber(c.total)} records in all.`,
  ];
  if (c.measure === 'rate') parts.push(`Residents: ${populationSources.join(', ')}.`);
  else parts.push('Not every LSOA drawn has residents held, so counts are shaded, not rates.');
  if (top && (top.count > 0 || (top.rate ?? 0) > 0))
    parts.push(
      `The highest is ${top.name ? `${top.name} (${top.code})` : top.code}: ${c.measure === 'rate' ? `${rateOne(top.rate!)} per 1,000 residents, ` : ''}${formatNumber(top.count)} records.`,
    );
  if (c.withoutBoundary.length)
    parts.push(
      `${formatNumber(c.withoutBoundary.length)} LSOA${c.withoutBoundary.length === 1 ? '' : 's'} of the area ${c.withoutBoundary.length === 1 ? 'has' : 'have'} no imported boundary and ${c.withoutBoundary.length === 1 ? 'is' : 'are'} not drawn (${formatNumber(c.countWithoutBoundary)} records).`,
    );
  parts.push('The table gives every LSOA drawn.');
  const description = parts.join(' ');
  const legend = c.classes.map((k, i) => ({ colour: classShade(i, c.classes.length), text: classText(k, c.measure) }));
  const shapes = c.projected.shapes.map((s, i) => ({ rings: s.rings, shade: c.lsoas[i]!.class }));
  return {
    title,
    description,
    measureText,
    svg: choroplethSvg({ shapes, bounds: c.projected.bounds, classCount: c.classes.length, id, title, description }),
    legend,
    rows: c.lsoas.map((l) => ({
      code: l.code,
      name: l.name,
      count: formatNumber(l.count),
      population: l.population === null ? 'Not held' : formatNumber(l.population),
      rate: l.rate === null ? 'n/a' : rateOne(l.rate),
      class: l.class >= 0 ? `${l.class + 1} of ${c.classes.length}: ${classText(c.classes[l.class]!, c.measure)}` : 'None',
    })),
  };
}
