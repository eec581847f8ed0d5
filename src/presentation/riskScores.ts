/**
 * How a risk register shows 5x5 scores (issue 15): each risk's score with its band in words, and the 5x5 matrix
 * whose every cell says its score and band, so nothing depends on colour alone. The rule is src/domain/riskScores.ts.
 */
import {
  LIKELIHOOD_SCALE,
  RISK_BAND_LABELS,
  SEVERITY_SCALE,
  describeRiskScore,
  reviewOverdue,
  riskBand,
  riskScore,
  type RiskBand,
} from '../domain/riskScores.ts';
import { RISK_LEVEL_LABELS } from './labels.ts';

export interface ScoredRisk {
  risk: string;
  severity_score: number | null;
  likelihood_score: number | null;
  residual_severity_score: number | null;
  residual_likelihood_score: number | null;
  review_date: string | null;
}

const scored = (s: number | null, l: number | null) => s !== null && l !== null && s >= 1 && s <= 5 && l >= 1 && l <= 5;

/** The words a register row shows for a risk's scores and review. */
export function riskScoreView(r: ScoredRisk, today: string) {
  const inherent = scored(r.severity_score, r.likelihood_score);
  const residual = scored(r.residual_severity_score, r.residual_likelihood_score);
  return {
    severityText: inherent ? `${r.severity_score} ${SEVERITY_SCALE[r.severity_score! - 1]}` : '',
    likelihoodText: inherent ? `${r.likelihood_score} ${LIKELIHOOD_SCALE[r.likelihood_score! - 1]}` : '',
    scoreText: inherent ? describeRiskScore(r.severity_score!, r.likelihood_score!) : 'Not scored',
    band: inherent ? riskBand(riskScore(r.severity_score!, r.likelihood_score!)) : null,
    residualText: residual ? describeRiskScore(r.residual_severity_score!, r.residual_likelihood_score!) : 'Not scored',
    reviewOverdue: reviewOverdue(r.review_date, today),
  };
}

/** The 5x5 matrix, severity 5 at the top: each cell's score, band and the risks scored there (inherent scores). */
export function fiveByFiveMatrix(risks: readonly ScoredRisk[]) {
  return [5, 4, 3, 2, 1].map((severity) => ({
    severity,
    severityLabel: `${severity} ${SEVERITY_SCALE[severity - 1]}`,
    cells: [1, 2, 3, 4, 5].map((likelihood) => {
      const score = riskScore(severity, likelihood);
      const band: RiskBand = riskBand(score);
      return {
        likelihood,
        score,
        band,
        bandLabel: RISK_BAND_LABELS[band],
        risks: risks.filter((r) => r.severity_score === severity && r.likelihood_score === likelihood).map((r) => r.risk),
      };
    }),
  }));
}

export const LIKELIHOOD_HEADINGS = LIKELIHOOD_SCALE.map((text, i) => `${i + 1} ${text}`);

/** The heat key: each band with the scores it covers. */
export const RISK_BAND_KEY = [
  { band: 'low', label: 'Low', scores: '1 to 3' },
  { band: 'moderate', label: 'Moderate', scores: '4 to 6' },
  { band: 'high', label: 'High', scores: '8 to 12' },
  { band: 'extreme', label: 'Extreme', scores: '15 to 25' },
] as const;

/** What a risk register needs of a risk to show its scores: the 3x3 words and, with 5x5 scoring, the scores. */
export type RegisterRisk = Omit<ScoredRisk, 'risk' | 'review_date'> & { severity: string; likelihood: string };

/**
 * The register's score columns for plan documents and downloads: with 5x5 scoring the inherent and residual scores
 * ("16, high (major, likely)"), a risk not yet scored showing its 3x3 words; otherwise severity and likelihood words.
 */
export function riskScoreColumns(fiveByFive: boolean): { headers: [string, string]; cells: (r: RegisterRisk) => [string, string] } {
  if (!fiveByFive) {
    return {
      headers: ['Severity', 'Likelihood'],
      cells: (r) => [RISK_LEVEL_LABELS[r.severity] ?? r.severity, RISK_LEVEL_LABELS[r.likelihood] ?? r.likelihood],
    };
  }
  return {
    headers: ['Score before mitigation', 'Score after mitigation'],
    cells: (r) => [
      scored(r.severity_score, r.likelihood_score)
        ? describeRiskScore(r.severity_score!, r.likelihood_score!)
        : `Not scored 1 to 5 (severity ${(RISK_LEVEL_LABELS[r.severity] ?? r.severity).toLowerCase()}, likelihood ${(RISK_LEVEL_LABELS[r.likelihood] ?? r.likelihood).toLowerCase()})`,
      scored(r.residual_severity_score, r.residual_likelihood_score)
        ? describeRiskScore(r.residual_severity_score!, r.residual_likelihood_score!)
        : 'Not scored',
    ],
  };
}
