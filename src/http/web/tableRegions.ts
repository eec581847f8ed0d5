/**
 * Wide tables on narrow screens: every GOV.UK table of a page is put in its own scrollable region — a `<div>` with
 * `role="region"`, the table's caption (or the page's heading and the table's number) as its name, and
 * `tabindex="0"` so keyboard users can scroll it — so a table wider than a phone scrolls by itself and the page
 * never scrolls sideways. Tables already inside such a region (or marked `data-no-region`) are left alone.
 */
import { captionOf, decodeEntities, findGovukTables } from '../../presentation/tables/htmlTable.ts';

const ALREADY_WRAPPED = /<div\b[^>]*\bclass="[^"]*\bapp-table-scroll\b[^"]*"[^>]*>\s*$/i;

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The text of the last heading before `offset`, or ''. */
function headingBefore(html: string, offset: number): string {
  let text = '';
  for (const m of html.slice(0, offset).matchAll(/<h[1-4]\b[^>]*>([\s\S]*?)<\/h[1-4]>/gi)) text = m[1]!;
  return decodeEntities(text.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Each table's region name, unique on the page (landmarks must be told apart): its caption; a caption used more
 * than once is preceded by the heading above the table ("Reduce anti-social behaviour: Indicators"); anything still
 * repeated, or a table without a caption, is numbered.
 */
function regionNames(html: string, tables: { start: number; end: number }[]): string[] {
  const captions = tables.map((t) => captionOf(html.slice(t.start, t.end)));
  const count = (list: string[], name: string) => list.filter((n) => n === name).length;
  const named = captions.map((c, i) => {
    if (!c) return `Table ${i + 1}`;
    if (count(captions, c) === 1) return c;
    const heading = headingBefore(html, tables[i]!.start);
    return heading && heading !== c ? `${heading}: ${c}` : c;
  });
  return named.map((n, i) => (count(named, n) > 1 ? `${n} (table ${i + 1})` : n));
}

export function withTableRegions(html: string): string {
  const tables = findGovukTables(html);
  if (!tables.length) return html;
  const out: string[] = [];
  let last = 0;
  const names = regionNames(html, tables);
  tables.forEach((table, i) => {
    if (/\bdata-no-region\b/i.test(table.openTag)) return;
    if (ALREADY_WRAPPED.test(html.slice(Math.max(0, table.start - 300), table.start))) return;
    const name = names[i]!;
    out.push(
      html.slice(last, table.start),
      `<div class="app-table-scroll" role="region" aria-label="${escapeAttribute(name)}" tabindex="0">`,
      html.slice(table.start, table.end),
      '</div>',
    );
    last = table.end;
  });
  if (!out.length) return html;
  out.push(html.slice(last));
  return out.join('');
}
