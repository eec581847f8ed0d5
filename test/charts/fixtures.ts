/** Sample charts used across the chart tests (one of each kind, with awkward text). */

import type { ChartSpec } from '../../src/presentation/charts/index.ts';

export const MONTHS = [
  'Apr 2023',
  'May 2023',
  'Jun 2023',
  'Jul 2023',
  'Aug 2023',
  'Sep 2023',
  'Oct 2023',
  'Nov 2023',
  'Dec 2023',
  'Jan 2024',
  'Feb 2024',
  'Mar 2024',
];

/** Text that breaks naive markup. */
export const NASTY = `Crime & ASB <script>alert("x")</script> 'quoted'`;

export const lineSpec = {
  type: 'line',
  title: 'Anti-social behaviour incidents',
  description: 'Monthly incidents, April 2023 to March 2024, against a target of 350.',
  categories: MONTHS,
  units: 'Number of incidents',
  series: [
    { name: 'Northshire CSP', values: [412, 398, 430, null, 380, 366, 352, 340, 371, 333, 318, 325], highlight: [2] },
    { name: 'Similar group average', values: [390, 385, 392, 388, 379, 370, 365, 360, 362, 355, 349, 344] },
  ],
  target: { value: 350 },
} as const satisfies ChartSpec;

export const groupedBarSpec = {
  type: 'groupedBar',
  title: 'Domestic abuse incidents by quarter',
  description: 'Quarterly incidents for 2018/19, 2019/20 and 2020/21.',
  categories: ['Q1', 'Q2', 'Q3', 'Q4'],
  categoryAxisLabel: 'Quarter',
  units: 'Number of incidents',
  series: [
    { name: '2018/19', values: [1203, 1310, 1189, 1250] },
    { name: '2019/20', values: [1288, 1402, 1250, null] },
    { name: '2020/21', values: [1532, 1489, 1377, 1420] },
  ],
} as const satisfies ChartSpec;

export const horizontalBarSpec = {
  type: 'horizontalBar',
  title: 'Crimes by type, 2023/24',
  description: 'Recorded crimes by crime type, largest first.',
  categoryAxisLabel: 'Crime type',
  units: 'Number of crimes',
  items: [
    { label: 'Theft offences', value: 8120 },
    { label: 'Drug offences', value: 950 },
    { label: 'Violence against the person', value: 10432 },
    { label: 'Miscellaneous crimes against society', value: null },
    { label: 'Criminal damage and arson', value: 3311 },
  ],
} as const satisfies ChartSpec;

export const xmrSpec = {
  type: 'xmr',
  title: 'Burglaries: XmR chart',
  description: 'Monthly burglaries with mean and process limits; special causes marked.',
  categories: MONTHS,
  units: 'Number of burglaries',
  improvement: 'lower',
  values: [120, 132, 118, 125, 140, 171, 128, 119, 110, 98, 92, 95],
  mean: 116.8,
  upperLimit: 160.2,
  lowerLimit: 73.4,
  specialCause: [null, null, null, null, null, 'high', null, null, null, 'low', 'low', 'low'],
} as const satisfies ChartSpec;

export const sparklineSpec = {
  type: 'sparkline',
  title: 'ASB incidents',
  values: [412, 398, 430, null, 380, 366, 352, 340, 371, 333, 318, 325],
  categories: MONTHS,
} as const satisfies ChartSpec;

export const ALL_SPECS: readonly ChartSpec[] = [lineSpec, groupedBarSpec, horizontalBarSpec, xmrSpec, sparklineSpec];
