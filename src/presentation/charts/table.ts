/**
 * The accessible data table that accompanies every chart: the same numbers,
 * formatted the same way, as a GOV.UK Design System table.
 */

import { escapeXml } from './escape.ts';
import { defaultFormat, type ValueFormatter } from './format.ts';
import type { DataValue } from './types.ts';

export interface TableColumn {
  /** Column header, e.g. a series name such as '2019/20'. */
  readonly name: string;
  /** One cell per category: numbers are formatted and right-aligned, strings shown as text. */
  readonly values: readonly (DataValue | string)[];
  /** Formatter for this column (default: the table's). */
  readonly formatValue?: ValueFormatter;
}

export interface ChartTableOptions {
  /** Table caption, normally the chart's title. */
  readonly caption: string;
  /** Header of the first column, e.g. 'Quarter' or 'Crime type'. */
  readonly categoryHeader: string;
  /** Row headers, one per row. */
  readonly categories: readonly string[];
  readonly columns: readonly TableColumn[];
  /** Formatter for numeric cells (default en-GB number, up to 2 decimal places, as in the charts). */
  readonly formatValue?: ValueFormatter;
  /** Text for missing values (default 'No data'). */
  readonly missingText?: string;
  /** GOV.UK caption size (default 'm'); 'none' for a plain caption. */
  readonly captionSize?: 's' | 'm' | 'l' | 'xl' | 'none';
  /** Extra classes on the <table>, e.g. 'app-chart-table'. Letters, digits, '-' and '_' only. */
  readonly classes?: string;
  /** id attribute for the <table>, e.g. for aria-describedby from elsewhere. */
  readonly id?: string;
}

export const DEFAULT_MISSING_TEXT = 'No data';

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A column is numeric when every non-missing cell is a number. */
function isNumericColumn(column: TableColumn): boolean {
  return column.values.every((v) => v === null || v === undefined || typeof v === 'number');
}

function safeClasses(classes: string | undefined): string {
  return (classes ?? '')
    .split(/\s+/)
    .filter((c) => /^[A-Za-z_][A-Za-z0-9_-]*$/.test(c))
    .join(' ');
}

/** Render the numbers as an HTML <table> with GOV.UK classes; all text is escaped. */
export function chartTable(options: ChartTableOptions): string {
  const format = options.formatValue ?? defaultFormat;
  const missing = escapeXml(options.missingText ?? DEFAULT_MISSING_TEXT);
  const captionSize = options.captionSize ?? 'm';
  const captionClass = captionSize === 'none' ? 'govuk-table__caption' : `govuk-table__caption govuk-table__caption--${captionSize}`;
  const extra = safeClasses(options.classes);
  const idAttr = options.id ? ` id="${escapeXml(options.id)}"` : '';
  const numeric = options.columns.map(isNumericColumn);

  const head =
    `<thead class="govuk-table__head"><tr class="govuk-table__row">` +
    `<th scope="col" class="govuk-table__header">${escapeXml(options.categoryHeader)}</th>` +
    options.columns
      .map(
        (column, c) =>
          `<th scope="col" class="govuk-table__header${numeric[c] ? ' govuk-table__header--numeric' : ''}">${escapeXml(column.name)}</th>`,
      )
      .join('') +
    `</tr></thead>`;

  const rows = options.categories.map((category, r) => {
    const cells = options.columns.map((column, c) => {
      const raw = column.values[r];
      const numericClass = numeric[c] ? ' govuk-table__cell--numeric' : '';
      let text: string;
      if (isNumber(raw)) text = escapeXml((column.formatValue ?? format)(raw));
      else if (typeof raw === 'string') text = escapeXml(raw);
      else text = missing;
      return `<td class="govuk-table__cell${numericClass}">${text}</td>`;
    });
    return (
      `<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${escapeXml(category)}</th>` + `${cells.join('')}</tr>`
    );
  });

  return (
    `<table class="govuk-table${extra ? ` ${extra}` : ''}"${idAttr}>` +
    `<caption class="${captionClass}">${escapeXml(options.caption)}</caption>` +
    head +
    `<tbody class="govuk-table__body">${rows.join('')}</tbody>` +
    `</table>`
  );
}
