/**
 * GOV.UK date inputs on every page form: the three boxes `<name>-day`, `<name>-month` and `<name>-year` arrive as
 * one field `<name>: { day, month, year }`, which the services read with the one date reader
 * (`Validator.date`, src/domain/dates.ts). The API keeps its ISO dates.
 */
import { datePartsOf, type DatePart } from '../../domain/dates.ts';
import type { FieldError } from '../../domain/errors.ts';

const PART_FIELD = /^(.+)-(day|month|year)$/;

/** Folds the boxes of each date input in a parsed form body into one field (in place); other fields are left alone. */
export function foldDateParts(body: Record<string, unknown>): void {
  const names = new Set<string>();
  for (const key of Object.keys(body)) {
    const m = PART_FIELD.exec(key);
    if (m && `${m[1]}-day` in body && `${m[1]}-month` in body && `${m[1]}-year` in body) names.add(m[1]!);
  }
  for (const name of names) {
    const one = (x: unknown): unknown => (Array.isArray(x) ? (x as unknown[])[0] : x);
    body[name] = { day: one(body[`${name}-day`]), month: one(body[`${name}-month`]), year: one(body[`${name}-year`]) };
    for (const part of ['day', 'month', 'year']) delete body[`${name}-${part}`];
  }
}

/**
 * The `items` of a govukDateInput for a value (a stored ISO date or the boxes as typed), the boxes named in the
 * field's error marked as wrong.
 */
export function dateInputItems(value: unknown, error: FieldError | undefined) {
  const parts = datePartsOf(value);
  const marked = (p: DatePart) => (error ? (error.parts ?? ['day', 'month', 'year']).includes(p) : false);
  const item = (p: DatePart, label: string, width: number) => ({
    name: p,
    label,
    value: parts[p],
    classes: `govuk-input--width-${width}${marked(p) ? ' govuk-input--error' : ''}`,
  });
  return [item('day', 'Day', 2), item('month', 'Month', 2), item('year', 'Year', 4)];
}

/** A date field's value as text to show back ("27 3 2026" as typed, or the stored date). */
export function typedDateText(value: unknown): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const p = datePartsOf(value);
    return [p.day, p.month, p.year].filter((x) => x !== '').join(' ');
  }
  return typeof value === 'string' ? value : '';
}
