/**
 * Password hashes with argon2id (OWASP-recommended parameters): making one for a new password, and checking a
 * password against a stored one. The only module that calls argon2, and the only place that reads the test
 * suite's cheap-hash setting (CSPHUB_TEST_CHEAP_HASHES), so no other code can choose a hash's cost.
 */
import { hash, verify } from '@node-rs/argon2';

/** argon2id at OWASP's recommended minimum: 19 MiB of memory, 2 passes, 1 lane. */
export const PASSWORD_HASH_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/**
 * For the test suite only: the smallest cost argon2 allows, so the thousands of test accounts cost the suite no
 * time. Used only when both NODE_ENV=test and CSPHUB_TEST_CHEAP_HASHES=1 (set by test/support/db.ts, and so
 * inherited by the app processes the tests start), so a server cannot fall into it by one mistaken setting;
 * test/services/passwords.test.ts checks that otherwise every hash has the production parameters. A hash records
 * its own parameters, so either kind verifies either way.
 */
const TEST_HASH_OPTIONS = { memoryCost: 1024, timeCost: 1, parallelism: 1 } as const;

/** The parameters new hashes get: {@link PASSWORD_HASH_OPTIONS}, unless the test suite asked for cheap ones. */
export function passwordHashOptions(env: NodeJS.ProcessEnv = process.env): { memoryCost: number; timeCost: number; parallelism: number } {
  return env.NODE_ENV === 'test' && env.CSPHUB_TEST_CHEAP_HASHES === '1' ? TEST_HASH_OPTIONS : PASSWORD_HASH_OPTIONS;
}

/** A new argon2id hash of the password, at {@link passwordHashOptions}. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, passwordHashOptions());
}

/** Whether the password matches the stored hash; false for a hash argon2 cannot read. */
export async function passwordMatchesHash(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
