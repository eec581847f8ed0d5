/**
 * The indicator page's "Year to date" section: the latest period's financial year to date against the same
 * months (or quarters) a year before, with the change, % change and whether it is statistically significant.
 */
import { formatPeriodLabel, type PeriodPerformance } from '../../../../domain/index.ts';
import { DIRECTION_LABELS } from '../../../../presentation/labels.ts';
import { signedNumber, signedPercent } from '../../../../presentation/formats.ts';

const span = (periods: readonly string[]) =>
  periods.length === 1
    ? formatPeriodLabel(periods[0]!)
    : `${formatPeriodLabel(periods[0]!)} to ${formatPeriodLabel(periods[periods.length - 1]!)}`;

export function yearToDateView(latest: PeriodPerformance | null, fmtU: (n: number) => string) {
  if (!latest) return null;
  const c = latest.yearToDateComparison;
  const reason = latest.reasons.yearToDateComparison;
  if (!c) return reason ? { reason, rows: [] } : null;
  const significance = c.significance ? c.significance.description : 'Tested for whole-number counts only';
  return {
    reason: '',
    rows: [
      { key: { text: `This year: ${span(c.periods)}` }, value: { text: fmtU(c.current) } },
      { key: { text: `Last year: ${span(c.lastYearPeriods)}` }, value: { text: fmtU(c.lastYear) } },
      {
        key: { text: 'Change' },
        value: { text: `${signedNumber(c.change)}${c.percentChange === null ? '' : ` (${signedPercent(c.percentChange)})`}` },
      },
      { key: { text: 'Direction' }, value: { text: DIRECTION_LABELS[c.direction] } },
      { key: { text: 'Significance' }, value: { text: significance } },
    ],
  };
}
