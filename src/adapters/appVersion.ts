/** The application's version, from package.json: written into exports so a reader knows what produced them. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../package.json');

export const APP_NAME = 'CSP Hub';
export const APP_VERSION: string = (JSON.parse(fs.readFileSync(packageFile, 'utf8')) as { version: string }).version;
