/**
 * How an indicator's own SPC settings (issue 16) become the options of its XmR chart: change dates starting a new
 * phase with its limits recalculated, a fixed baseline period for a phase, points excluded from the limits with a
 * reason, and notes on points. The settings name periods; the chart works on positions in the series, so each
 * setting is placed on the figures there are. A setting that cannot apply yet (a change date with fewer than two
 * figures after it, a baseline of fewer than two figures) is left out with the reason, never an error: the
 * indicator's page still draws the chart and says why.
 */
import { formatPeriodLabel, monthsOfPeriod } from './periods.ts';
import type { XmrOptions, XmrPhaseStart } from './spc.ts';

/** A change date: limits recalculated from `start`, fixed on the figures up to `baselineTo` when given. */
export interface SpcPhaseSetting {
  start: string;
  baselineTo: string | null;
  reason: string;
}

/** A point's setting: excluded from the limits (with the reason) and/or a note shown on the chart and table. */
export interface SpcPointSetting {
  period: string;
  excluded: boolean;
  reason: string;
  note: string;
}

export interface SpcSettings {
  phases: SpcPhaseSetting[];
  points: SpcPointSetting[];
}

export const NO_SPC_SETTINGS: SpcSettings = { phases: [], points: [] };

/** The last month of a period: the order the settings are placed in, whatever the kind of period. */
const lastMonth = (period: string): string => monthsOfPeriod(period).at(-1)!;

/** What the settings give the chart for figures of `periods` (in order), and the settings left out with why. */
export function xmrOptionsFor(periods: readonly string[], settings: SpcSettings): { options: XmrOptions; notes: string[] } {
  const notes: string[] = [];
  const ends = periods.map(lastMonth);
  const excluded = settings.points
    .filter((p) => p.excluded)
    .map((p) => periods.indexOf(p.period))
    .filter((i) => i >= 0);
  const phases: XmrPhaseStart[] = [];
  let firstBaseline: number | undefined;
  const sorted = [...settings.phases].sort((a, b) => lastMonth(a.start).localeCompare(lastMonth(b.start)));
  for (const phase of sorted) {
    let start = ends.findIndex((e) => e >= lastMonth(phase.start));
    if (start < 0) start = periods.length;
    const previous = phases.at(-1)?.start ?? 0;
    const label = formatPeriodLabel(phase.start);
    const baselinePoints = phase.baselineTo === null ? null : ends.filter((e, i) => i >= start && e <= lastMonth(phase.baselineTo!)).length;
    if (baselinePoints !== null && baselinePoints < 2) {
      notes.push(
        `The baseline from ${label} to ${formatPeriodLabel(phase.baselineTo!)} has fewer than two figures, so the phase's limits use all its figures`,
      );
    }
    const usable = baselinePoints !== null && baselinePoints >= 2 ? baselinePoints : null;
    if (start === 0) {
      firstBaseline = usable ?? undefined;
      continue;
    }
    if (start > periods.length - 2 || start < previous + 2) {
      notes.push(`The change from ${label} needs two figures in its phase and two before it, so it is not yet shown`);
      continue;
    }
    phases.push({ start, baselinePoints: usable });
  }
  return { options: { baselinePoints: firstBaseline, phases, excluded }, notes };
}
