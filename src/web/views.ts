/** Nunjucks with GOV.UK Frontend; feature templates live beside their routes under src/web/features. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import type { FieldError } from '../services/errors.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

export function createViews(options: { watch?: boolean } = {}): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([here, path.join(root, 'node_modules/govuk-frontend/dist')], { noCache: options.watch ?? false }),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  /** The {text} a GOV.UK component wants for a field's error, or undefined. */
  env.addGlobal('errorFor', (errors: FieldError[] | undefined, field: string) => {
    const e = errors?.find((x) => x.field === field);
    return e ? { text: e.message } : undefined;
  });
  env.addGlobal('errorList', (errors: FieldError[] | undefined) => (errors ?? []).map((e) => ({ text: e.message, href: `#${e.field}` })));
  env.addFilter('number', (n: unknown) => (typeof n === 'number' ? n.toLocaleString('en-GB') : (n ?? '')));
  env.addFilter('dateTime', (iso: unknown) => {
    if (typeof iso !== 'string' || iso === '') return '';
    const d = new Date(iso);
    return d.toLocaleString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
  });
  env.addFilter('date', (iso: unknown) => {
    if (typeof iso !== 'string' || iso === '') return '';
    return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
  });
  env.addFilter('json', (v: unknown) => JSON.stringify(v, null, 2));
  return env;
}
