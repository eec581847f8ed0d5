import assert from 'node:assert/strict';

/** Assert that `actual` is within `tolerance` (absolute) of `expected`. */
export function assertClose(actual: number | null | undefined, expected: number, tolerance: number, message?: string): void {
  assert.equal(typeof actual, 'number', message ?? `expected a number close to ${expected}, got ${String(actual)}`);
  const diff = Math.abs((actual as number) - expected);
  assert.ok(diff <= tolerance, message ?? `expected ${String(actual)} to be within ${tolerance} of ${expected} (difference ${diff})`);
}

/** Assert that `actual` is within a relative tolerance of `expected`. */
export function assertRelClose(actual: number | null | undefined, expected: number, relTolerance: number): void {
  assertClose(actual, expected, Math.abs(expected) * relTolerance);
}
