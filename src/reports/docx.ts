/**
 * A ReportDocument as a Word document (docx package): Arial throughout, a title page, a contents list, each
 * section on a new page under a real Heading 1 (subheadings Heading 2 and 3, so Word's navigation pane and
 * screen readers find them), tables with repeating header rows, and a running header and page numbers.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ISectionOptions,
} from 'docx';
import type { Block, ReportDocument, TableColumn } from './document.ts';

const FONT = 'Arial';
const TEXT = '0B0C0C';
const GREY = '505A5F';
const BORDER = { style: BorderStyle.SINGLE, size: 4, color: 'B1B4B6' };
const HEADING: Record<2 | 3, (typeof HeadingLevel)[keyof typeof HeadingLevel]> = { 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 };

function columnWidths(columns: TableColumn[]): number[] {
  const fixed = columns.reduce((sum, c) => sum + (c.width ?? 0), 0);
  const free = columns.filter((c) => c.width === undefined).length;
  const share = free ? Math.max(5, (100 - fixed) / free) : 0;
  return columns.map((c) => c.width ?? share);
}

function cell(text: string, width: number, header: boolean): TableCell {
  const lines = text === '' ? [''] : text.split('\n');
  return new TableCell({
    width: { size: width, type: WidthType.PERCENTAGE },
    margins: { top: 60, bottom: 60, left: 100, right: 100 },
    borders: { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER },
    ...(header ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'F3F2F1' } } : {}),
    children: lines.map((line) => new Paragraph({ spacing: { after: 0 }, children: [new TextRun({ text: line, bold: header, size: 20 })] })),
  });
}

function table(block: Extract<Block, { kind: 'table' }>): (Paragraph | Table)[] {
  const widths = columnWidths(block.columns);
  return [
    new Paragraph({ keepNext: true, spacing: { before: 160, after: 80 }, children: [new TextRun({ text: block.caption, bold: true })] }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({ tableHeader: true, cantSplit: true, children: block.columns.map((c, i) => cell(c.header, widths[i]!, true)) }),
        ...block.rows.map((row) => new TableRow({ cantSplit: true, children: block.columns.map((_c, i) => cell(row[i] ?? '', widths[i]!, false)) })),
      ],
    }),
    new Paragraph({ spacing: { after: 120 }, children: [] }),
  ];
}

function blocks(list: Block[]): (Paragraph | Table)[] {
  return list.flatMap((b): (Paragraph | Table)[] => {
    switch (b.kind) {
      case 'heading':
        return [new Paragraph({ heading: HEADING[b.level], keepNext: true, children: [new TextRun(b.text)] })];
      case 'paragraph':
        return [new Paragraph({ children: [new TextRun({ text: b.text, size: b.emphasis === 'lead' ? 28 : b.emphasis === 'note' ? 20 : undefined, color: b.emphasis === 'note' ? GREY : undefined })] })];
      case 'fact':
        return [new Paragraph({ children: [new TextRun({ text: `${b.label}: `, bold: true }), new TextRun(b.text)] })];
      case 'list':
        return b.items.map((item) => new Paragraph({ bullet: { level: 0 }, spacing: { after: 60 }, children: [new TextRun(item)] }));
      case 'table':
        return table(b);
      case 'figure':
        return []; // the table beside it carries the same information in Word
    }
  });
}

/** Writes the document as a .docx file. */
export async function toDocx(doc: ReportDocument): Promise<Buffer> {
  const titlePage = [
    new Paragraph({ spacing: { before: 2400, after: 240 }, children: [new TextRun({ text: doc.organisation, size: 32, color: GREY })] }),
    new Paragraph({ heading: HeadingLevel.TITLE, spacing: { after: 240 }, children: [new TextRun(doc.title)] }),
    new Paragraph({ spacing: { after: 720 }, children: [new TextRun({ text: doc.subtitle, size: 48, bold: true })] }),
    ...doc.titlePageLines.map((line) => new Paragraph({ children: [new TextRun({ text: line, color: GREY })] })),
  ];
  const contents = [
    new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [new TextRun('Contents')] }),
    ...doc.sections.map((s, i) => new Paragraph({ spacing: { after: 80 }, children: [new TextRun(`${i + 1}.  ${s.title}`)] })),
  ];
  const body = doc.sections.flatMap((s, i) => [new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [new TextRun(`${i + 1}. ${s.title}`)] }), ...blocks(s.blocks)]);
  const section: ISectionOptions = {
    properties: { titlePage: true, page: { margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } } },
    headers: {
      first: new Header({ children: [new Paragraph({ children: [] })] }),
      default: new Header({ children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: doc.runningHeader, size: 18, color: GREY })] })] }),
    },
    footers: {
      first: new Footer({ children: [new Paragraph({ children: [] })] }),
      default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ size: 18, color: GREY, children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES] })] })] }),
    },
    children: [...titlePage, ...contents, ...body],
  };
  const document = new Document({
    title: `${doc.title} ${doc.subtitle}`,
    creator: 'CSP Hub',
    description: `${doc.title} ${doc.subtitle}, ${doc.organisation}`,
    styles: {
      default: {
        document: { run: { font: FONT, size: 22, color: TEXT }, paragraph: { spacing: { after: 120, line: 276 } } },
        title: { run: { font: FONT, size: 56, bold: true, color: TEXT } },
        heading1: { run: { font: FONT, size: 36, bold: true, color: TEXT }, paragraph: { spacing: { before: 0, after: 240 } } },
        heading2: { run: { font: FONT, size: 30, bold: true, color: TEXT }, paragraph: { spacing: { before: 360, after: 120 } } },
        heading3: { run: { font: FONT, size: 24, bold: true, color: TEXT }, paragraph: { spacing: { before: 240, after: 80 } } },
        listParagraph: { run: { font: FONT } },
      },
    },
    sections: [section],
  });
  return Packer.toBuffer(document);
}
