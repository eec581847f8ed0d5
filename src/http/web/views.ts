/** Nunjucks with GOV.UK Frontend; feature templates live beside their routes under src/http/web/features. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import type { FieldError } from '../../domain/errors.ts';
import { plainAssetUrl } from './assets.ts';
import { dateInputItems } from './dateInputs.ts';
import { formatPeriodLabel } from '../../domain/index.ts';
import { planName, versionName } from '../../domain/planNames.ts';
import { readMoney } from '../../domain/numbers.ts';
import { money, moneyInWords } from '../../presentation/formats.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');

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
  // A date field's error links to the first box it marks (GOV.UK date input pattern).
  env.addGlobal('errorList', (errors: FieldError[] | undefined) =>
    (errors ?? []).map((e) => ({ text: e.message, href: e.parts?.length ? `#${e.field}-${e.parts[0]}` : `#${e.field}` })),
  );
  env.addGlobal('dateInputItems', (value: unknown, errors: FieldError[] | undefined, field: string) =>
    dateInputItems(
      value,
      errors?.find((x) => x.field === field),
    ),
  );
  // A money field's hint: what may be typed, and a large amount read back in words ("Read as £1,200,000 (£1.2 million)").
  env.addGlobal('moneyHint', (hint: unknown, value: unknown) => {
    const reading = readMoney(value);
    const words = reading.kind === 'pence' ? moneyInWords(reading.pence) : '';
    const said = reading.kind === 'pence' && words ? `Read as ${money(reading.pence)} (${words})` : '';
    return { text: [typeof hint === 'string' ? hint : '', 'For example, 21,700, £1.2m or £1.2 million', said].filter(Boolean).join('. ') };
  });
  env.addFilter('number', (n: unknown) => (typeof n === 'number' ? n.toLocaleString('en-GB') : (n ?? '')));
  env.addFilter('dateTime', (iso: unknown) => {
    if (typeof iso !== 'string' || iso === '') return '';
    const d = new Date(iso);
    return d.toLocaleString('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'Europe/London',
    });
  });
  env.addFilter('date', (iso: unknown) => {
    if (typeof iso !== 'string' || iso === '') return '';
    return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
  });
  /** 'Q1 2020/21' for a period key; the key itself when it is not one. */
  env.addFilter('periodLabel', (key: unknown) => {
    try {
      return typeof key === 'string' ? formatPeriodLabel(key) : '';
    } catch {
      return String(key);
    }
  });
  /** A plan's title, years and version label, each said once ("Plan 2027-30", never "Plan 2027-30 2027-30"). */
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  env.addGlobal('planName', (title: unknown, period: unknown, label: unknown) => planName(text(title), text(period), text(label)));
  env.addGlobal('versionName', (title: unknown, label: unknown) => versionName(text(title), text(label)));
  env.addFilter('json', (v: unknown) => JSON.stringify(v, null, 2));
  env.addGlobal('component', memoisedComponents(env));
  // Replaced by the fingerprinted addresses when the app sets up its static files (src/http/setup/staticFiles.ts).
  env.addGlobal('asset', plainAssetUrl);
  return env;
}

const COMPONENT_NAME = /^[a-z]+(-[a-z]+)*$/;
const MAX_MEMOISED = 2000;

/**
 * `component(name, params)`: a GOV.UK Frontend component rendered once for given parameters and then served from
 * memory. The components' macros depend on nothing but their parameters, so the HTML for equal parameters is the
 * same; the page shell uses this for its header, navigation and breadcrumbs, which are the same on every request
 * for a given partnership, role and page, and otherwise cost more to render than a cached page's content.
 */
function memoisedComponents(env: nunjucks.Environment) {
  const templates = new Map<string, nunjucks.Template>();
  const rendered = new Map<string, nunjucks.runtime.SafeString>();
  return (name: string, params: unknown) => {
    if (!COMPONENT_NAME.test(name)) throw new Error(`Unknown component ${name}`);
    const key = `${name}|${JSON.stringify(params)}`;
    const hit = rendered.get(key);
    if (hit) return hit;
    let template = templates.get(name);
    if (!template) {
      const macro = 'govuk' + name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
      template = new nunjucks.Template(`{% from "govuk/components/${name}/macro.njk" import ${macro} %}{{ ${macro}(params) }}`, env);
      templates.set(name, template);
    }
    const html = new nunjucks.runtime.SafeString(template.render({ params }).trim());
    rendered.set(key, html);
    if (rendered.size > MAX_MEMOISED) rendered.delete(rendered.keys().next().value!);
    return html;
  };
}
