/**
 * Wide tables on narrow screens: every GOV.UK table of a page is put in its own scrollable region — a `<div>` with
 * `role="region"`, the table's caption (or the page's heading and the table's number) as its name, and
 * `tabindex="0"` so keyboard users can scroll it — so a table wider than a phone scrolls by itself and the page
 * never scrolls sideways. Tables already inside such a region (or marked `data-no-region`) are left alone.
 */
import { captionOf, findGovukTables } from '../../presentation/tables/htmlTable.ts';

const ALREADY_WRAPPED = /<div\b[^>]*\bclass="[^"]*\bapp-table-scroll\b[^"]*"[^>]*>\s*$/i;

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function withTableRegions(html: string): string {
  const tables = findGovukTables(html);
  if (!tables.length) return html;
  const out: string[] = [];
  let last = 0;
  tables.forEach((table, i) => {
    if (/\bdata-no-region\b/i.test(table.openTag)) return;
    if (ALREADY_WRAPPED.test(html.slice(Math.max(0, table.start - 300), table.start))) return;
    const name = captionOf(html.slice(table.start, table.end)) || `Table ${i + 1}`;
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
