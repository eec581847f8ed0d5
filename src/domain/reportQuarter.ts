/** The quarter a Board pack reports on, as a person names it ('2019/20 Q4') and as the pack needs it. */
import { ValidationError } from './errors.ts';
import { formatPeriodLabel, monthsOfQuarter, parseQuarterKey, quarterKey } from './periods.ts';

/** A quarter as the partnership reports it. */
export interface ReportQuarter {
  /** '2019-20 Q4' */
  key: string;
  /** 'Q4 2019/20' */
  label: string;
  financialYearStart: number;
  quarter: number;
  /** Last day of the quarter: '2020-03-31'. */
  endDate: string;
}

/** The quarter a person asked for ('2019/20 Q4', '2019-20 Q4' or 'Q4 2019/20'); a ValidationError naming the field otherwise. */
export function parseReportQuarter(raw: unknown): ReportQuarter {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') throw new ValidationError([{ field: 'quarter', message: "Enter the quarter, like '2019/20 Q4'" }]);
  let q;
  try {
    q = parseQuarterKey(text);
  } catch {
    throw new ValidationError([
      { field: 'quarter', message: `'${text.slice(0, 40)}' is not a quarter: enter a financial year and quarter, like '2019/20 Q4'` },
    ]);
  }
  const key = quarterKey(q.financialYearStart, q.quarter);
  const lastMonth = monthsOfQuarter(key)[2]!;
  const [y, m] = lastMonth.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return {
    key,
    label: formatPeriodLabel(key),
    financialYearStart: q.financialYearStart,
    quarter: q.quarter,
    endDate: `${lastMonth}-${String(lastDay).padStart(2, '0')}`,
  };
}
