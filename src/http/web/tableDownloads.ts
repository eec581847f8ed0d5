/**
 * Every GOV.UK table on a page as CSV and as XLSX, with the page's own authorisation because it is the page's own
 * route: `?download=table-N.csv` (or `.xlsx`, N counting the page's `<table class="govuk-table">` from 1) lets the
 * route run as usual, then the onSend hook takes the Nth table out of the HTML and answers with the file instead.
 * The page's other query parameters stay, so a table of a chosen quarter or window downloads with that choice, and
 * what can be downloaded is exactly what the page shows (the public summary's "<5" stays "<5").
 *
 * The same hook adds "Download this table: CSV · Excel (XLSX)" after each table of an HTML page, except tables
 * marked `data-no-download`, tables that are forms (inputs, selects, buttons), tables already followed by their own
 * download line (`<p … id="…-downloads">`), and the performance dashboard (its hot path has a dedicated download).
 * Then every table is put in its own scrollable region for narrow screens (tableRegions.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../../domain/errors.ts';
import { attachment, fileNameFor } from '../../presentation/documents/document.ts';
import { captionOf, decodeEntities, findGovukTables, htmlTableToExport } from '../../presentation/tables/htmlTable.ts';
import { CSV_TYPE, toCsv, toXlsx, XLSX_TYPE } from '../../presentation/tables/tableExport.ts';
import { withTableRegions } from './tableRegions.ts';

export const DOWNLOAD_PARAM = 'download';
const DOWNLOAD_VALUE = /^table-([1-9]\d{0,3})\.(csv|xlsx)$/;
/** Routes whose pages get no generic download lines (their tables have dedicated downloads). */
const NO_LINKS_ROUTES = new Set(['/partnerships/:partnershipId/performance']);
const OWN_DOWNLOAD_LINE = /^\s*(?:<\/div>\s*)*<p\b[^>]*\bid="[\w-]*downloads"/;
const FORM_CONTROL = /<(?:input|select|textarea|button)\b/i;

type PageHtml = (reply: FastifyReply, template: string, context?: Record<string, unknown>) => Promise<string>;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page's <title> without the service name. */
function pageTitle(html: string): string {
  const m = /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  return m
    ? decodeEntities(m[1]!)
        .replace(/\s+/g, ' ')
        .replace(/\s*[–-]\s*CSP Hub\s*$/, '')
        .trim()
    : '';
}

/** The page's query string with the download parameter set to `value`, as a relative URL ("?…"). */
function downloadHref(url: string, value: string): string {
  const q = url.indexOf('?');
  const params = new URLSearchParams(q >= 0 ? url.slice(q + 1) : '');
  params.delete(DOWNLOAD_PARAM);
  params.set(DOWNLOAD_PARAM, value);
  return `?${params.toString()}`;
}

/** The page with a download line after each table that can have one. */
export function withDownloadLinks(html: string, url: string): string {
  const tables = findGovukTables(html);
  if (!tables.length) return html;
  const out: string[] = [];
  let last = 0;
  tables.forEach((table, i) => {
    const n = i + 1;
    if (/\bdata-no-download\b/i.test(table.openTag)) return;
    const tableHtml = html.slice(table.start, table.end);
    if (FORM_CONTROL.test(tableHtml)) return;
    if (OWN_DOWNLOAD_LINE.test(html.slice(table.end, table.end + 400))) return;
    const name = escapeHtml(captionOf(tableHtml) || `table ${n}`);
    const csv = escapeHtml(downloadHref(url, `table-${n}.csv`));
    const xlsx = escapeHtml(downloadHref(url, `table-${n}.xlsx`));
    out.push(
      html.slice(last, table.end),
      `<p class="govuk-body app-table-download app-no-print">Download this table: <a class="govuk-link" href="${csv}" download>CSV<span class="govuk-visually-hidden"> of ${name}</span></a> · <a class="govuk-link" href="${xlsx}" download>Excel (XLSX)<span class="govuk-visually-hidden"> of ${name}</span></a></p>`,
    );
    last = table.end;
  });
  if (!out.length) return html;
  out.push(html.slice(last));
  return out.join('');
}

/** The Nth table of the page as a file, or null when the page has no such table. */
export async function tableFile(
  html: string,
  n: number,
  format: 'csv' | 'xlsx',
): Promise<{ fileName: string; type: string; body: string | Buffer } | null> {
  const table = findGovukTables(html)[n - 1];
  if (!table) return null;
  const tableHtml = html.slice(table.start, table.end);
  const caption = captionOf(tableHtml);
  const title = pageTitle(html);
  const exportTable = htmlTableToExport(tableHtml, caption || title || `Table ${n}`);
  if (!exportTable) return null;
  const fileName = `${fileNameFor(title, caption || `table ${n}`)}.${format}`;
  if (format === 'csv') return { fileName, type: CSV_TYPE, body: toCsv(exportTable) };
  return { fileName, type: XLSX_TYPE, body: await toXlsx(exportTable) };
}

function downloadValue(request: FastifyRequest): unknown {
  return (request.query as Record<string, unknown> | undefined)?.[DOWNLOAD_PARAM];
}

export function registerTableDownloads(app: FastifyInstance, pageHtml: PageHtml): void {
  // A malformed choice is refused after authorisation (so outsiders still get the sign-in page or a 404).
  app.addHook('preHandler', async (request) => {
    if (request.method !== 'GET' || request.isApi) return;
    const value = downloadValue(request);
    if (value === undefined) return;
    if (typeof value !== 'string' || !DOWNLOAD_VALUE.test(value)) {
      throw new ValidationError([
        {
          field: DOWNLOAD_PARAM,
          message: 'Choose a table to download as table-1.csv or table-1.xlsx (the number of the table on the page)',
        },
      ]);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.isApi) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (!String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
    // A form shown again with its errors (a POST answered 400 or 409) keeps its tables scrolling in their regions
    // at 320 px, but offers no downloads: the table's address would not give the same page back.
    if (request.method !== 'GET' || reply.statusCode !== 200) {
      if (!payload.includes('govuk-table')) return payload;
      const html = payload.toString();
      const wrapped = withTableRegions(html);
      return wrapped === html ? payload : wrapped;
    }
    const value = downloadValue(request);
    if (value !== undefined) {
      const m = typeof value === 'string' ? DOWNLOAD_VALUE.exec(value) : null;
      const file = m ? await tableFile(payload.toString(), Number(m[1]), m[2] as 'csv' | 'xlsx') : null;
      if (!file) {
        reply.code(404);
        return pageHtml(reply, 'features/errors/not-found.njk', { title: 'Page not found' });
      }
      reply.type(file.type).header('Content-Disposition', attachment(file.fileName));
      return file.body;
    }
    if (!payload.includes('govuk-table')) return payload;
    const html = payload.toString();
    const linked = NO_LINKS_ROUTES.has(request.routeOptions.url ?? '') ? html : withDownloadLinks(html, request.url);
    const wrapped = withTableRegions(linked);
    return wrapped === html ? payload : wrapped;
  });
}
