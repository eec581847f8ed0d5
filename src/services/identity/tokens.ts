import { createHash, randomBytes } from 'node:crypto';

/** A random URL-safe secret, for session cookies, invitation links and API tokens. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Only hashes of secrets are stored. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
