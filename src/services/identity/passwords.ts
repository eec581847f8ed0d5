/**
 * Password hashing (argon2id, in src/adapters/passwordHashing.ts), and the rules for a new password, following the
 * NCSC's password guidance and NIST SP 800-63B: long enough, no composition rules, but not one that attackers try
 * first — a common password (the 10,000 most used, in commonPasswords.txt, also with numbers, symbols or letter
 * swaps around it), only spaces, a character or short pattern repeated, a run of letters, digits or keyboard keys,
 * or one containing the person's email, name or the service's name.
 */
import fs from 'node:fs';
import { hashPassword, passwordMatchesHash } from '../../adapters/passwordHashing.ts';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    // Spend the same effort as a real check so response time does not reveal which accounts exist.
    await hashPassword(password);
    return false;
  }
  return passwordMatchesHash(passwordHash, password);
}

let common: Set<string> | null = null;

/** The shipped list (scripts/generate-common-passwords.ts), read once. */
function commonPasswords(): Set<string> {
  if (!common) {
    const text = fs.readFileSync(new URL('./commonPasswords.txt', import.meta.url), 'utf8');
    common = new Set(text.split('\n').filter((line) => line !== '' && !line.startsWith('# ')));
  }
  return common;
}

export function commonPasswordCount(): number {
  return commonPasswords().size;
}

/** Lowercase letters and digits only. */
const compact = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
/** Without the digits and symbols people add before or after a word ("!!sunshine2024" → "sunshine"). */
const core = (text: string) => text.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
const LEET: Record<string, [string, string]> = {
  '@': ['a', 'a'],
  '4': ['a', 'a'],
  '3': ['e', 'e'],
  '1': ['i', 'l'],
  '!': ['i', 'i'],
  '0': ['o', 'o'],
  '5': ['s', 's'],
  $: ['s', 's'],
  '7': ['t', 't'],
};
const unLeet = (text: string, which: 0 | 1) => text.replace(/[@43!10$57]/g, (c) => LEET[c]![which]);

/** Whether the password is a common one, or a common one dressed up with case, symbols, digits or letter swaps. */
function isCommon(password: string): boolean {
  const list = commonPasswords();
  const lower = password.toLowerCase();
  const candidates = new Set<string>();
  for (const base of [lower, compact(lower)]) {
    for (const stripped of [base, core(base)]) {
      for (const variant of [stripped, unLeet(stripped, 0), unLeet(stripped, 1)]) {
        candidates.add(variant);
        candidates.add(compact(variant));
        candidates.add(core(variant));
      }
    }
  }
  return [...candidates].some((c) => c.length >= 4 && list.has(c));
}

/** Alphabet, digits and keyboard rows (UK, German, French layouts, and the diagonals), each read both ways. */
const SEQUENCES = [
  'abcdefghijklmnopqrstuvwxyz',
  '0123456789',
  'qwertyuiopasdfghjklzxcvbnm',
  'qwertzuiopasdfghjklyxcvbnm',
  'azertyuiopqsdfghjklmwxcvbn',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  'qazwsxedcrfvtgbyhnujmikolp',
  '!@#$%^&*()',
];

function isSequence(password: string): boolean {
  const p = password.toLowerCase().replace(/\s/g, '');
  return SEQUENCES.some((s) => {
    const long = s.repeat(Math.ceil(p.length / s.length) + 1);
    return long.includes(p) || [...long].reverse().join('').includes(p);
  });
}

/**
 * The person's own words: the email, its local part (4+ characters), and the parts of the local part and of the
 * name with 5+ characters (shorter ones, like "Ivy" or "Demo", are ordinary words in many passphrases).
 */
function personalWords(email: string, name: string): string[] {
  const local = compact(email.split('@')[0] ?? '');
  const parts = [
    ...(email.split('@')[0] ?? '').toLowerCase().split(/[^\p{L}\p{N}]+/u),
    compact(name),
    ...name.toLowerCase().split(/[^\p{L}\p{N}]+/u),
  ];
  return [...new Set([compact(email), ...(local.length >= 4 ? [local] : []), ...parts.filter((w) => w.length >= 5)])].filter(Boolean);
}

/** Problems with a proposed password, or null when it is acceptable. */
export function passwordProblem(password: string, person: { email?: string; name?: string } = {}): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `Password must be ${MIN_PASSWORD_LENGTH} characters or more`;
  if (length > MAX_PASSWORD_LENGTH) return `Password must be ${MAX_PASSWORD_LENGTH} characters or fewer`;
  if (/^\s+$/u.test(password)) return 'Password must not be only spaces';
  if (/^(.{1,4})\1+$/su.test(password.toLowerCase()))
    return 'Password must not be a character or a few characters repeated, like aaaaaaaaaaaa or abcabcabcabc';
  if (isSequence(password))
    return 'Password must not be a sequence of letters, numbers or keyboard keys, like 123456789012 or qwertyuiopas';
  const squeezed = compact(password);
  if (personalWords(person.email ?? '', person.name ?? '').some((w) => squeezed.includes(w))) {
    return 'Password must not contain your email address or your name';
  }
  if (squeezed.includes('csphub')) return 'Password must not contain the name of this service, CSP Hub';
  if (isCommon(password)) {
    return 'Password is too common: it is one of the 10,000 most used passwords, or one with numbers or symbols added. Choose something harder to guess, such as three or four random words';
  }
  return null;
}
