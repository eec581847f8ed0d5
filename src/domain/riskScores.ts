/**
 * 5x5 risk scoring (issue 15): severity and likelihood each chosen from a labelled scale of 1 to 5, their product
 * the score (1-25), and the score's band. The scales' words and the bands (1-3 low, 4-6 moderate, 8-12 high,
 * 15-25 extreme) are those of the National Patient Safety Agency's "A risk matrix for risk managers" (2008),
 * the 5x5 matrix most public bodies in England use. A partnership that scores 5x5 still has the 3x3 words on each
 * risk, read from the 1-5 scores (1-2 low, 3 medium, 4-5 high), so the 3x3 matrix and documents keep working.
 */

export type ThreeLevel = 'high' | 'medium' | 'low';
export type RiskBand = 'low' | 'moderate' | 'high' | 'extreme';

export const SEVERITY_SCALE = ['Negligible', 'Minor', 'Moderate', 'Major', 'Catastrophic'] as const;
export const LIKELIHOOD_SCALE = ['Rare', 'Unlikely', 'Possible', 'Likely', 'Almost certain'] as const;

export const RISK_BAND_LABELS: Record<RiskBand, string> = { low: 'Low', moderate: 'Moderate', high: 'High', extreme: 'Extreme' };

function assertScale(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 5) throw new RangeError(`${name} must be a whole number from 1 to 5 (got ${value})`);
}

/** The score of a risk: severity times likelihood, 1-25. */
export function riskScore(severity: number, likelihood: number): number {
  assertScale('severity', severity);
  assertScale('likelihood', likelihood);
  return severity * likelihood;
}

/** The band of a score of 1-25: 1-3 low, 4-6 moderate, 8-12 high, 15-25 extreme. */
export function riskBand(score: number): RiskBand {
  if (!Number.isInteger(score) || score < 1 || score > 25) throw new RangeError(`A risk score is 1 to 25 (got ${score})`);
  return score <= 3 ? 'low' : score <= 6 ? 'moderate' : score <= 12 ? 'high' : 'extreme';
}

/** The 3x3 word for a point on the 1-5 scale: 1-2 low, 3 medium, 4-5 high. */
export function threeLevelOf(point: number): ThreeLevel {
  assertScale('the scale point', point);
  return point <= 2 ? 'low' : point === 3 ? 'medium' : 'high';
}

/** A risk's score in words that do not rely on colour: "16, high (major, likely)". */
export function describeRiskScore(severity: number, likelihood: number): string {
  const score = riskScore(severity, likelihood);
  const band = RISK_BAND_LABELS[riskBand(score)].toLowerCase();
  return `${score}, ${band} (${SEVERITY_SCALE[severity - 1]!.toLowerCase()}, ${LIKELIHOOD_SCALE[likelihood - 1]!.toLowerCase()})`;
}

/** Whether a risk's review date has passed: due on the day itself is not yet overdue. */
export function reviewOverdue(reviewDate: string | null, today: string): boolean {
  return reviewDate !== null && reviewDate < today;
}
