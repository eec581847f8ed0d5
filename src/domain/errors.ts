/** Errors that services raise and both the pages and the API turn into the right response. */
export interface FieldError {
  field: string;
  message: string;
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
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** Collects field errors while validating input, then throws them all at once. */
export class Validator {
  readonly errors: FieldError[] = [];
  add(field: string, message: string): void {
    this.errors.push({ field, message });
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
