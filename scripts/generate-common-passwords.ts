/**
 * Writes src/services/identity/commonPasswords.txt, the list of common passwords that new passwords are checked against
 * (src/services/identity/passwords.ts): the 10,000 most frequent entries of the password list in the npm package
 * @zxcvbn-ts/language-common (MIT; the list zxcvbn derived from leaked-password frequency counts), lowercased,
 * without duplicates, in order of frequency. The app never downloads anything at run time; to refresh the file:
 *
 *   cd "$(mktemp -d)" && npm pack @zxcvbn-ts/language-common && tar xzf zxcvbn-ts-language-common-*.tgz
 *   npx tsx scripts/generate-common-passwords.ts <that folder>/package/src/passwords.json
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const COUNT = 10_000;
const source = process.argv[2];
if (!source) {
  console.error('Usage: tsx scripts/generate-common-passwords.ts <path to @zxcvbn-ts/language-common/src/passwords.json>');
  process.exit(1);
}
const packageJson = JSON.parse(fs.readFileSync(path.join(path.dirname(source), '..', 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};
const list = JSON.parse(fs.readFileSync(source, 'utf8')) as unknown;
if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) throw new Error(`${source} is not a JSON list of passwords`);
const seen = new Set<string>();
for (const entry of list) {
  const password = entry.trim().toLowerCase();
  if (password && !password.includes('\n')) seen.add(password);
  if (seen.size === COUNT) break;
}
const target = path.join(path.dirname(fileURLToPath(import.meta.url)), '../src/services/identity/commonPasswords.txt');
const header = [
  `# The ${seen.size.toLocaleString('en-GB')} most common passwords, most common first, lowercased.`,
  `# From the npm package ${packageJson.name} ${packageJson.version} (MIT licence, Copyright (c) 2012-2016 Dan Wheeler and`,
  '# Dropbox, Inc., Copyright (c) 2021 @zxcvbn-ts), written by scripts/generate-common-passwords.ts.',
];
fs.writeFileSync(target, `${[...header, ...seen].join('\n')}\n`);
console.log(`Wrote ${seen.size} passwords to ${path.relative(process.cwd(), target)}`);
