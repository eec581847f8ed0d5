import { DATE_PARTS, readDate, type DatePart } from './dates.ts';

/** Errors that services raise and both the pages and the API turn into the right response. */
export interface FieldError {
  field: string;
  message: string;
  /** For a date field: the boxes (day, month, year) to mark, the first being where the error summary links. */
  parts?: readonly DatePart[];
}

export class ValidationError extends Error {
  constructor(public readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends Error {
  constructor(what = 'Page') {
    super(`${what} not found`);
    this.name = 'NotFoundError';
  }
}

export class ForbiddenError extends Error {
  constructor(message = 'You do not have permission to do that') {
    super(message);
    this.name = 'ForbiddenError';
  }
}

export class ConflictError extends Error {
  /** More for the API's problem body (such as a reason code), beside the message. */
  readonly details: Record<string, unknown> | undefined;
  constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.details = details;
    this.name = 'ConflictError';
  }
}

/** Collects field errors while validating input, then throws them all at once. */
export class Validator {
  readonly errors: FieldError[] = [];
  add(field: string, message: string, parts?: readonly DatePart[]): void {
    this.errors.push(parts ? { field, message, parts } : { field, message });
  }
  /**
   * A date field (the GOV.UK date input's boxes, or an ISO or written date): the ISO date, or null when blank or
   * wrong, with the error saying which part is wrong. `noun` names the field in a sentence: "the due date".
   */
  date(field: string, value: unknown, noun: string, opts: { required?: boolean } = {}): string | null {
    const reading = readDate(value, noun);
    if (reading.kind === 'date') return reading.iso;
    if (reading.kind === 'invalid') this.add(field, reading.message, reading.parts);
    else if (opts.required) this.add(field, `Enter ${noun}`, DATE_PARTS);
    return null;
  }
  /** A cross-field date rule, e.g. an end on or after its start: the whole later date is marked. */
  dateOrder(field: string, earlier: string | null, later: string | null, message: string): void {
    if (earlier !== null && later !== null && later < earlier && !this.errors.some((e) => e.field === field))
      this.add(field, message, DATE_PARTS);
  }
  text(field: string, value: unknown, label: string, opts: { required?: boolean; max?: number } = {}): string {
    const s = typeof value === 'string' ? value.trim() : '';
    if (opts.required !== false && s === '') this.add(field, `Enter ${label}`);
    else if (opts.max !== undefined && s.length > opts.max) this.add(field, `${capitalise(label)} must be ${opts.max} characters or fewer`);
    return s;
  }
  email(field: string, value: unknown, label = 'an email address'): string {
    const s = typeof value === 'string' ? value.trim().toLowerCase() : '';
    if (s === '') this.add(field, `Enter ${label}`);
    else if (s.length > 320 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s))
      this.add(field, 'Enter an email address in the correct format, like name@example.org');
    return s;
  }
  oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[], message: string): T {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.add(field, message);
    return allowed[0] as T;
  }
  throwIfAny(): void {
    if (this.errors.length > 0) throw new ValidationError(this.errors);
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
