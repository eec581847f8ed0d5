/**
 * The performance-indicator domain: pure functions and types for periods, change, rates, targets,
 * RAG, year-end projections, significance and SPC. No I/O; the single source of every figure shown
 * on a page, in the API or in an export.
 */

export type { Comparison, Interval, Polarity, Rag, RateBase, ResolvedTarget } from './types.ts';

export {
  absoluteChange,
  countFromRate,
  directionOfTravel,
  percentageChange,
  ratePer,
  roundHalfAwayFromZero,
  summariseChange,
  type ChangeSummary,
  type DirectionOfTravel,
  type DirectionOptions,
  type Movement,
  type PercentageChangeOptions,
} from './change.ts';

export {
  addMonths,
  compareMonthKeys,
  financialYearKey,
  financialYearOfDate,
  financialYearOfMonth,
  formatPeriodLabel,
  isMonthKey,
  monthIndexInFinancialYear,
  monthKey,
  monthsBetween,
  monthsOfFinancialYear,
  monthsOfPeriod,
  monthsOfQuarter,
  parseFinancialYear,
  parseMonthKey,
  parsePeriodKey,
  readPeriodText,
  parseQuarterKey,
  periodKey,
  quarterKey,
  quarterOfMonth,
  samePeriodLastYear,
  totalOverMonths,
  yearToDateComparison,
  yearToDateMonths,
  type FinancialYearPeriod,
  type MonthPeriod,
  type MonthsTotal,
  type Period,
  type QuarterPeriod,
  type YearToDateComparison,
} from './periods.ts';

export {
  cumulativeTotal,
  describeTarget,
  meetsTarget,
  progressToTarget,
  resolveTarget,
  type AbsoluteTarget,
  type AmountChangeTarget,
  type CumulativeLimitTarget,
  type MaintainTarget,
  type PercentageChangeTarget,
  type RateTarget,
  type Target,
  type TargetContext,
  type TargetDirection,
  type ToBeAgreedTarget,
} from './targets.ts';

export {
  applyRagOverride,
  DEFAULT_AMBER_TOLERANCE_PERCENT,
  ragByRule,
  ragForTarget,
  RagOverrideError,
  validateRagOverride,
  type RagInput,
  type RagOverride,
  type RagOverrideValidation,
  type RagOverrideValidationError,
  type RagResult,
  type RagToleranceOptions,
} from './rag.ts';

export {
  projectOutturn,
  projectSeasonal,
  projectStraightLine,
  seasonalShare,
  type OutturnOptions,
  type Projection,
  type ProjectionMethod,
  type ProjectionOptions,
} from './projection.ts';

export {
  byarPoissonInterval,
  compareCounts,
  compareProportions,
  COUNT_TEST,
  DEFAULT_SMALL_NUMBER_THRESHOLD,
  describeSignificance,
  describeTest,
  formatPValue,
  poissonInterval,
  PROPORTION_TEST,
  verdictOf,
  rateInterval,
  wilsonInterval,
  type CountComparison,
  type CountComparisonOptions,
  type ProportionWithInterval,
  type RateWithInterval,
  type Fraction,
  type ProportionComparison,
  type SignificanceLabel,
  type SignificanceTestName,
  type SignificanceVerdict,
} from './significance.ts';

export {
  assuranceOf,
  classifyVariation,
  DEFAULT_RUN_LENGTH,
  xmrChart,
  XMR_LIMIT_CONSTANT,
  type Assurance,
  type Side,
  type SpecialCauseFlag,
  type SpecialCauseRule,
  type Variation,
  type XmrChart,
  type XmrOptions,
  type XmrLimits,
  type XmrPhase,
  type XmrPhaseStart,
  type XmrPoint,
} from './spc.ts';

export { NO_SPC_SETTINGS, xmrOptionsFor, type SpcPhaseSetting, type SpcPointSetting, type SpcSettings } from './spcSettings.ts';

export {
  DEFAULT_SUPPRESSION_THRESHOLD,
  isValidSuppressionThreshold,
  MAX_SUPPRESSION_THRESHOLD,
  MIN_SUPPRESSION_THRESHOLD,
  SECONDARY_SUPPRESSION_MARK,
  suppressCount,
  suppressGroup,
  type SuppressedFigure,
  type SuppressedGroup,
  type SuppressionOptions,
  type SuppressionReason,
} from './suppression.ts';

export {
  allowsNegative,
  figureValueProblem,
  MAX_FIGURE_VALUE,
  quoteValue,
  readTypedNumber,
  SIGNED_UNITS,
  type NumberReading,
} from './numbers.ts';

export {
  calculateIndicator,
  comparePeriods,
  isAdditive,
  percentChangeFrom,
  populationEntryFor,
  populationFor,
  previousPeriodOf,
  progressOf,
  resolvedTargetOf,
  significanceOf,
  storedBaselineProblem,
  storedFigureProblem,
  targetForPeriod,
  xmrView,
  yearEndProjection,
  type IndicatorCalculation,
  type IndicatorDefinition,
  type IndicatorInputs,
  type IndicatorUnit,
  type PeriodPerformance,
  type PeriodReasons,
  type RagOverrideInput,
  type ReasonField,
  type Reasoned,
  type XmrView,
} from './indicatorPerformance.ts';

export {
  BYAR_FROM_COUNT,
  checkFraction,
  FRACTION_SCALE,
  type FractionProblem,
  countInterval,
  countMethod,
  figureIntervals,
  INTERVAL_LEVELS,
  type FigureForIntervals,
  type FigureIntervals,
  type IntervalMethod,
  type TwoLevelInterval,
} from './figureIntervals.ts';

export { compareYearToDate, yearToDatePeriods, type YearToDateChange, type YearToDateInput, type YearToDateResult } from './yearToDate.ts';
export { isLiveIn, isLiveInMonth, monthOfTimestamp, periodAfter } from './retirement.ts';
export {
  customProfileProblem,
  judgeTrajectory,
  shareToDate,
  TRAJECTORY_LABELS,
  TRAJECTORY_PROFILES,
  trajectoryShares,
  type TrajectoryJudgement,
  type TrajectoryProfile,
  type TrajectorySetting,
} from './trajectory.ts';
