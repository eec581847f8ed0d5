/** Compiles the GOV.UK Frontend styles with CSP Hub's settings into public/build/app.css (skipped when up to date). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'src/http/web/styles/app.scss');
const target = path.join(root, 'public/build/app.css');
const govukPackage = path.join(root, 'node_modules/govuk-frontend/package.json');

function mtime(file: string): number {
  return fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0;
}

if (mtime(target) > Math.max(mtime(source), mtime(govukPackage), mtime(fileURLToPath(import.meta.url)))) {
  process.exit(0);
}
const started = Date.now();
const result = sass.compile(source, {
  style: 'compressed',
  importers: [new sass.NodePackageImporter(root)],
  quietDeps: true,
  silenceDeprecations: ['import'],
});
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, result.css);
console.log(`Built ${path.relative(root, target)} (${Math.round(result.css.length / 1024)} KB) in ${Date.now() - started} ms`);
