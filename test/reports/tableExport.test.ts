/**
 * One table written as CSV and as XLSX, then read back (papaparse, exceljs): the same values, numbers as numbers
 * with their formats, dates as dates, a bold frozen header with an autofilter, formula-looking text made safe in
 * every cell, header and sheet name of both, and RFC 4180 quoting.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { sheetName, spreadsheetText, toCsv, toXlsx, type ExportTable } from '../../src/presentation/tables/tableExport.ts';

const table: ExportTable = {
  title: 'Year-end performance 2009/10',
  columns: [
    { header: 'Indicator', type: 'text' },
    { header: 'Figure', type: 'number' },
    { header: '% change', type: 'percent', decimals: 1 },
    { header: 'Due', type: 'date' },
    { header: 'Budget', type: 'money' },
  ],
  rows: [
    ['Domestic burglary, "dwelling"', 1520, -10.6, '2010-03-31', 12500.5],
    ['=HYPERLINK("http://evil")', 2.25, 0, '2009-04-01T10:00:00Z', 0],
    ['-5 fewer\nthan last year', null, null, null, null],
    ['+44 @home', -3, 12.34, '2010-01-15', -20],
  ],
};

describe('table export as CSV', () => {
  const csv = toCsv(table);

  it('starts with a UTF-8 byte-order mark and ends lines with CRLF', () => {
    assert.equal(csv.charCodeAt(0), 0xfeff);
    assert.ok(csv.startsWith('\uFEFFIndicator,Figure,% change,Due,Budget\r\n'));
    assert.ok(csv.endsWith('\r\n'));
  });

  it('reads back with the same values, formula-looking text made safe', () => {
    const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true });
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(parsed.data, [
      ['Indicator', 'Figure', '% change', 'Due', 'Budget'],
      ['Domestic burglary, "dwelling"', '1520', '-10.6%', '2010-03-31', '12500.50'],
      [`'=HYPERLINK("http://evil")`, '2.25', '0.0%', '2009-04-01', '0.00'],
      ["'-5 fewer\nthan last year", '', '', '', ''],
      ["'+44 @home", '-3', '12.3%', '2010-01-15', '-20.00'],
    ]);
  });

  it('quotes fields with commas, quotes and line breaks, doubling the quotes (RFC 4180)', () => {
    assert.ok(csv.includes('"Domestic burglary, ""dwelling"""'));
    assert.ok(csv.includes(`"'=HYPERLINK(""http://evil"")"`));
    assert.ok(csv.includes(`"'-5 fewer\nthan last year"`));
  });

  it('guards only text columns: a negative number stays a number', () => {
    assert.ok(csv.includes("'+44 @home,-3,12.3%"));
  });

  it('refuses a cell of the wrong type', () => {
    assert.throws(
      () => toCsv({ title: 'Bad', columns: [{ header: 'N', type: 'number' }], rows: [['12']] }),
      /column "N" \(number\): "12" is not a number cell/,
    );
    assert.throws(() => toCsv({ title: 'Bad', columns: [{ header: 'D', type: 'date' }], rows: [['31/03/2010']] }), /is not a date cell/);
  });
});

describe('table export as XLSX', () => {
  it('reads back as a real spreadsheet: numbers, percentages and money as numbers, dates as dates', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await toXlsx(table)) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    assert.equal(ws.name, 'Year-end performance 2009 10');
    assert.equal(ws.rowCount, 5);
    assert.deepEqual((ws.getRow(1).values as unknown[]).slice(1), ['Indicator', 'Figure', '% change', 'Due', 'Budget']);

    const r2 = ws.getRow(2);
    assert.equal(r2.getCell(1).value, 'Domestic burglary, "dwelling"');
    assert.equal(r2.getCell(2).value, 1520);
    assert.equal(r2.getCell(2).type, ExcelJS.ValueType.Number);
    assert.equal(r2.getCell(3).type, ExcelJS.ValueType.Number);
    assert.ok(Math.abs((r2.getCell(3).value as number) + 0.106) < 1e-12, `${r2.getCell(3).text}`);
    assert.equal(r2.getCell(3).numFmt, '0.0%');
    assert.equal(r2.getCell(4).type, ExcelJS.ValueType.Date);
    assert.equal((r2.getCell(4).value as Date).toISOString(), '2010-03-31T00:00:00.000Z');
    assert.equal(r2.getCell(4).numFmt, 'd mmm yyyy');
    assert.equal(r2.getCell(5).value, 12500.5);
    assert.match(r2.getCell(5).numFmt, /£.*#,##0\.00/);

    // Text stays text, with the same guard as in the CSV: a cell edited in Excel, or the sheet saved as CSV,
    // would otherwise become a formula.
    const r3 = ws.getRow(3);
    assert.equal(r3.getCell(1).type, ExcelJS.ValueType.String);
    assert.equal(r3.getCell(1).value, `'=HYPERLINK("http://evil")`);
    assert.equal((r3.getCell(4).value as Date).toISOString(), '2009-04-01T00:00:00.000Z');
    assert.equal(r3.getCell(3).value, 0);
    const r4 = ws.getRow(4);
    assert.equal(r4.getCell(2).type, ExcelJS.ValueType.Null);
    assert.ok(Math.abs((ws.getRow(5).getCell(3).value as number) - 0.123) < 1e-12, 'percent rounded to its 1 decimal place');
  });

  it('has a bold, frozen header row with an autofilter and columns wide enough for their contents', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await toXlsx(table)) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    assert.equal(ws.getRow(1).getCell(1).font?.bold, true);
    assert.equal(ws.getRow(1).getCell(5).font?.bold, true);
    const view = ws.views[0] as { state?: string; ySplit?: number };
    assert.equal(view.state, 'frozen');
    assert.equal(view.ySplit, 1);
    assert.equal(ws.autoFilter, 'A1:E1');
    assert.ok(ws.getColumn(1).width! >= 'Domestic burglary, "dwelling"'.length, `width ${ws.getColumn(1).width}`);
    assert.ok(ws.getColumn(2).width! >= 8 && ws.getColumn(2).width! < 20);
  });

  it('makes a sheet name Excel accepts', () => {
    assert.equal(sheetName('Q4 2019/20: [draft] *final*?'), 'Q4 2019 20 draft final');
    assert.equal(sheetName('A very long title that goes on beyond thirty-one characters'), 'A very long title that goes on');
    assert.equal(sheetName('Year-end performance table 2009/10 Rochford').length, 31);
    assert.equal(sheetName('///'), 'Table');
  });
});

describe('the formula-injection guard', () => {
  const attacks = [
    '=HYPERLINK("http://evil.example","x")',
    '+cmd',
    '-1+1',
    '@SUM(A1)',
    '\t=1+1',
    '\r=1+1',
    '\n=1+1',
    ' =1+1',
    '\tTabbed',
    '-',
    "'quoted",
  ];
  const guarded = [
    '=HYPERLINK("http://evil.example","x")',
    '+cmd',
    '-1+1',
    '@SUM(A1)',
    '\t=1+1',
    '\r=1+1',
    '\n=1+1',
    ' =1+1',
    '\tTabbed',
    '-',
  ];

  it('puts an apostrophe before text that could start a formula, and leaves plain numbers and other text alone', () => {
    for (const text of guarded) assert.equal(spreadsheetText(text), `'${text}`, JSON.stringify(text));
    for (const text of ["'quoted", 'Domestic burglary', '-18', '+4.5', '1,234', '-10.6%', '.5', 'A=B', 'NI 15', '<5', '2009/10'])
      assert.equal(spreadsheetText(text), text, text);
  });

  const hostile: ExportTable = {
    title: '=HYPERLINK("http://evil.example","x") table',
    columns: [...attacks.map((header) => ({ header, type: 'text' as const })), { header: '-Change', type: 'number' }],
    rows: [
      [...attacks, -18],
      [...attacks.map(() => null), 4],
    ],
  };

  it('guards headers and text cells in the CSV; numbers stay numbers', () => {
    const parsed = Papa.parse<string[]>(toCsv(hostile).slice(1), { skipEmptyLines: true });
    assert.deepEqual(parsed.errors, []);
    const [header, row] = parsed.data as [string[], string[]];
    assert.deepEqual(header, [...attacks.map(spreadsheetText), "'-Change"]);
    assert.deepEqual(row, [...attacks.map(spreadsheetText), '-18']);
  });

  it('guards headers, text cells, the sheet name and the title in the workbook; numbers stay numbers', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await toXlsx(hostile)) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    assert.equal(ws.name, 'HYPERLINK("http evil.example","');
    assert.equal(wb.title, `'${hostile.title}`);
    // XML reading turns a carriage return into a line feed; the guard is what matters here.
    const lf = (values: unknown[]) => values.map((v) => (typeof v === 'string' ? v.replace(/\r/g, '\n') : v));
    assert.deepEqual(lf((ws.getRow(1).values as unknown[]).slice(1)), lf([...attacks.map(spreadsheetText), "'-Change"]));
    assert.deepEqual(lf((ws.getRow(2).values as unknown[]).slice(1)), lf([...attacks.map(spreadsheetText), -18]));
    assert.equal(ws.getRow(2).getCell(attacks.length + 1).type, ExcelJS.ValueType.Number);
  });

  it('drops formula characters and apostrophes from the start of a sheet name', () => {
    assert.equal(sheetName('=SUM(A1)'), 'SUM(A1)');
    assert.equal(sheetName('+-@= Deliberate fires'), 'Deliberate fires');
    assert.equal(sheetName("'Quoted'"), 'Quoted');
    assert.equal(sheetName('-1+1'), '1+1');
    assert.equal(sheetName('==='), 'Table');
  });
});
