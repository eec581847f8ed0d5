/**
 * An indicator's targets for one period in words, for the indicator page and the Board pack: the first and second
 * targets, each met or not with its RAG, and the year to date against each one's trajectory (issue 16 item 4).
 */
import { TRAJECTORY_LABELS, type PeriodPerformance, type TrajectoryJudgement } from '../domain/index.ts';
import { formatFigure } from '../domain/validation.ts';
import type { Rag } from '../domain/types.ts';
import { RAG_LABELS } from './labels.ts';

type Format = (n: number) => string;

export interface TargetJudgement {
  /** 'First target' or 'Second target', with the target's own name when it has one. */
  name: string;
  text: string;
  /** 'Met', 'Not met' or why it is not judged. */
  judged: string;
  rag: Rag | null;
  ragText: string;
  /** The year to date against the trajectory, in words; '' without a trajectory. */
  trajectory: string;
  trajectoryRag: Rag | null;
}

/**
 * A threshold or a projection as it is: the unit's format for a whole number, else to two decimal places (a count's
 * trajectory of 80.75 is not rounded to 81, which would misstate what is due).
 */
const exact = (fmt: Format) => (n: number) => (Number.isInteger(n) ? fmt(n) : formatFigure(Math.round(n * 100) / 100));

const side = (comparison: 'at_most' | 'at_least') => (comparison === 'at_most' ? 'at most' : 'at least');

/** "On trajectory: 85 to date against at most 85.5 due by now (53% of the year, the shape of earlier years)". */
export function trajectoryText(t: TrajectoryJudgement, unitFormat: Format): string {
  const fmt = exact(unitFormat);
  const share = Math.round(t.shareToDate * 100);
  return `${t.met ? 'On trajectory' : 'Off trajectory'}: ${fmt(t.yearToDate)} to date against ${side(t.comparison)} ${fmt(t.toDate)} due by now (${share}% of the year, ${TRAJECTORY_LABELS[t.profile].toLowerCase()}), ${RAG_LABELS[t.rag]!.toLowerCase()}`;
}

const named = (tier: string, label: string) => (label ? `${tier} (${label})` : tier);

/** The first and (when there is one) second target of a period, each judged. */
export function targetJudgements(p: PeriodPerformance, unitFormat: Format): TargetJudgement[] {
  const fmt = exact(unitFormat);
  const rows: TargetJudgement[] = [];
  if (p.targetText) {
    const rag = p.ruleRag;
    rows.push({
      name: named('First target', p.targetLabel),
      text: p.targetText,
      judged:
        p.targetMet === null
          ? (p.reasons.rag ?? p.reasons.target ?? 'Not judged')
          : `${p.targetMet ? 'Met' : 'Not met'}: ${fmt(p.assessed!)} against ${side(p.target!.comparison)} ${fmt(p.target!.threshold)}`,
      rag,
      ragText: rag ? RAG_LABELS[rag]! : 'No RAG',
      trajectory: p.trajectory ? trajectoryText(p.trajectory, fmt) : (p.reasons.trajectory ?? ''),
      trajectoryRag: p.trajectory?.rag ?? null,
    });
  }
  const s = p.secondTarget;
  if (s)
    rows.push({
      name: named('Second target', s.label),
      text: s.text,
      judged:
        s.met === null || s.assessed === null
          ? (s.reason ?? 'Not judged')
          : `${s.met ? 'Met' : 'Not met'}: ${fmt(s.assessed)} against ${side(s.comparison)} ${fmt(s.threshold)}`,
      rag: s.rag,
      ragText: s.rag ? RAG_LABELS[s.rag]! : 'No RAG',
      trajectory: s.trajectory ? trajectoryText(s.trajectory, fmt) : '',
      trajectoryRag: s.trajectory?.rag ?? null,
    });
  else if (p.reasons.secondTarget)
    rows.push({
      name: 'Second target',
      text: '',
      judged: p.reasons.secondTarget,
      rag: null,
      ragText: 'No RAG',
      trajectory: '',
      trajectoryRag: null,
    });
  return rows;
}

/**
 * What the Board pack adds after the first target's cell: the first target's trajectory, and the second target
 * judged with its RAG and trajectory; '' when the indicator has neither.
 */
export function otherTargetsText(p: PeriodPerformance | null, fmt: Format): string {
  if (!p) return '';
  const rows = targetJudgements(p, fmt);
  const parts: string[] = [];
  const first = rows.find((r) => r.name.startsWith('First'));
  if (first?.trajectory && p.trajectory) parts.push(first.trajectory);
  for (const r of rows.filter((x) => x.name.startsWith('Second'))) {
    const head = r.text ? `${r.name}, ${r.text}: ${r.judged}${r.rag ? ` (${r.ragText.toLowerCase()})` : ''}` : `${r.name}: ${r.judged}`;
    parts.push(r.trajectory ? `${head}. ${r.trajectory}` : head);
  }
  return parts.join('\n');
}
