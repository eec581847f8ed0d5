/**
 * A ReportDocument as a Word document (docx package): Noto Sans throughout (the PDFs' typeface, its four faces
 * embedded in the file so Word shows the same font on every machine), a title page, a real Word table of contents
 * (a TOC field whose entries link to the sections, with page numbers worked out by docx's page layout, and which
 * Word can update), each section on a new page under a real Heading 1 (subheadings Heading 2 and 3, so Word's
 * navigation pane and screen readers find them), tables with repeating header rows, pictures (SVG figures drawn as
 * PNG by Chromium, with alternative text), and a running header and page numbers.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  ImageRun,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  TextRun,
  WidthType,
  type ISectionOptions,
  type PageNumberEstimator,
} from 'docx';
import { estimatePageNumbersWith } from 'docx/layout';
import { fullTitle, inlineRuns, startsNewPage, type Block, type ReportDocument, type TableColumn } from './document.ts';
import { documentFontCss, DOCUMENT_FONT_FAMILY, DOCX_FONT_NAME, docxFontFaces } from './fonts.ts';
import { PdfUnavailableError, type PictureRenderer, type RenderedPicture } from '../../adapters/chromium/pdfPrinter.ts';
import { CallThread } from '../../adapters/threads/callThread.ts';

const FONT = DOCX_FONT_NAME;
const TEXT = '0B0C0C';
const GREY = '505A5F';
const BORDER = { style: BorderStyle.SINGLE, size: 4, color: 'B1B4B6' };
/** The width of the text on the page, in pixels at 96 to the inch: A4 less two 2 cm margins. */
const TEXT_WIDTH_PX = 640;
const LAYOUT = estimatePageNumbersWith({ guess: true });
/**
 * The contents' page numbers, from docx's layout. Only the estimate itself: docx's estimator also offers to work out the
 * list numbers of numbered headings for the contents' entries, a second layout of the whole document (a quarter of a
 * Word document's time, 2 of 8 s of CPU for a strategic assessment), and our headings carry their numbers in their
 * text ("3. Burglary"), not as Word list numbering, so it found none.
 */
const CONTENTS_PAGES: PageNumberEstimator = (body, context) => LAYOUT(body, context);
const HEADING: Record<2 | 3, (typeof HeadingLevel)[keyof typeof HeadingLevel]> = { 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 };

function columnWidths(columns: TableColumn[]): number[] {
  const fixed = columns.reduce((sum, c) => sum + (c.width ?? 0), 0);
  const free = columns.filter((c) => c.width === undefined).length;
  const share = free ? Math.max(5, (100 - fixed) / free) : 0;
  return columns.map((c) => c.width ?? share);
}

/** Typed text as runs: `**words**` bold, never literal asterisks. */
function runs(text: string, options: { size?: number; color?: string; bold?: boolean } = {}): TextRun[] {
  return inlineRuns(text).map((r) => new TextRun({ text: r.text, ...options, bold: options.bold || r.bold }));
}

function cell(text: string, width: number, header: boolean, numeric = false): TableCell {
  const lines = text === '' ? [''] : text.split('\n');
  return new TableCell({
    width: { size: width, type: WidthType.PERCENTAGE },
    margins: { top: 60, bottom: 60, left: 100, right: 100 },
    borders: { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER },
    ...(header ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'F3F2F1' } } : {}),
    children: lines.map(
      (line) =>
        new Paragraph({
          spacing: { after: 0 },
          ...(numeric ? { alignment: AlignmentType.RIGHT } : {}),
          children: runs(line, { bold: header, size: 20 }),
        }),
    ),
  });
}

function table(block: Extract<Block, { kind: 'table' }>): (Paragraph | Table)[] {
  const widths = columnWidths(block.columns);
  return [
    new Paragraph({ keepNext: true, spacing: { before: 160, after: 80 }, children: runs(block.caption, { bold: true }) }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({
          tableHeader: true,
          cantSplit: true,
          children: block.columns.map((c, i) => cell(c.header, widths[i]!, true, c.numeric)),
        }),
        ...block.rows.map(
          (row) =>
            new TableRow({ cantSplit: true, children: block.columns.map((c, i) => cell(row[i] ?? '', widths[i]!, false, c.numeric)) }),
        ),
      ],
    }),
    new Paragraph({ spacing: { after: 120 }, children: [] }),
  ];
}

type FigureBlock = Extract<Block, { kind: 'figure' }>;

/** The documents' embedded typeface for the pictures of charts, so their text is set in Noto Sans on every machine. */
const CHART_FONT_CSS = () => `${documentFontCss()}\nsvg, svg text { font-family: ${DOCUMENT_FONT_FAMILY}; }`;

/** A figure as an inline picture with its alternative text, scaled to the width of the text when wider. */
function figure(b: FigureBlock, picture: RenderedPicture | null | undefined, n: number): Paragraph[] {
  if (picture === undefined) return []; // no pictures asked for: the table beside it carries the same information
  if (picture === null)
    return [
      new Paragraph({
        children: [
          new TextRun({
            text: `${b.alt}. The diagram could not be drawn in this copy; the table below gives the same information.`,
            size: 20,
            color: GREY,
          }),
        ],
      }),
    ];
  const scale = Math.min(1, TEXT_WIDTH_PX / picture.width);
  return [
    new Paragraph({
      keepNext: true,
      alignment: AlignmentType.CENTER,
      spacing: { before: 120, after: 120 },
      children: [
        new ImageRun({
          type: 'png',
          data: picture.png,
          transformation: { width: Math.round(picture.width * scale), height: Math.round(picture.height * scale) },
          altText: { name: `Figure ${n}`, title: b.alt, description: `${b.alt}.` },
        }),
      ],
    }),
  ];
}

function blocks(list: Block[], pictures: Map<Block, RenderedPicture | null>): (Paragraph | Table)[] {
  return list.flatMap((b): (Paragraph | Table)[] => {
    switch (b.kind) {
      case 'heading':
        return [new Paragraph({ heading: HEADING[b.level], keepNext: true, children: runs(b.text) })];
      case 'paragraph':
        return [
          new Paragraph({
            children: runs(b.text, {
              ...(b.emphasis === 'lead' ? { size: 28 } : b.emphasis === 'note' ? { size: 20, color: GREY } : {}),
            }),
          }),
        ];
      case 'fact':
        return [new Paragraph({ children: [new TextRun({ text: `${b.label}: `, bold: true }), ...runs(b.text)] })];
      case 'list':
        return b.items.map((item) => new Paragraph({ bullet: { level: 0 }, spacing: { after: 60 }, children: runs(item) }));
      case 'table':
        return table(b);
      case 'figure':
        return figure(b, pictures.get(b), [...pictures.keys()].indexOf(b) + 1);
    }
  });
}

export interface DocxOptions {
  /** Draws the document's SVG figures as PNG (the app's PdfPrinter). Without it figures are left out (the table beside each has the same figures); when Chromium is missing, a note says so. */
  pictures?: PictureRenderer;
}

/** Draws each figure of the document (null where Chromium is not available); none without a renderer. */
async function drawFigures(doc: ReportDocument, renderer: PictureRenderer | undefined): Promise<Map<Block, RenderedPicture | null>> {
  const out = new Map<Block, RenderedPicture | null>();
  const figures = figuresOf(doc);
  if (!renderer || figures.length === 0) return out;
  try {
    const drawn = await renderer.svgsToPng(
      figures.map((b) => b.svg),
      { css: CHART_FONT_CSS() },
    );
    figures.forEach((b, i) => out.set(b, drawn[i]!));
  } catch (e) {
    if (!(e instanceof PdfUnavailableError)) throw e;
    for (const b of figures) out.set(b, null);
  }
  return out;
}

const figuresOf = (doc: ReportDocument): FigureBlock[] =>
  doc.sections.flatMap((s) => s.blocks).filter((x): x is FigureBlock => x.kind === 'figure');

interface DocxThread {
  calls: CallThread;
  /** Documents this thread has built, and the timer that ends it after a quiet spell. */
  built: number;
  idleTimer: NodeJS.Timeout | null;
}
/**
 * The worker thread that builds Word documents: started for the first, kept for the next (unreferenced while idle),
 * and replaced when it has built `docxThreadLimits.documents` documents or been idle for `docxThreadLimits.idleMs`. Its heap grows
 * to fit the largest documents and the V8 heap keeps what it has grown: in a 10-minute soak the app's memory outside
 * the main heap rose by 160-190 MiB after about a hundred Board packs, so a thread gives its memory back instead of
 * keeping it for the life of the process (starting one costs a few hundred milliseconds of CPU).
 */
let docxThread: DocxThread | null = null;
/** When a thread is replaced: after this many documents, or this long without one (tests shorten both). */
export const docxThreadLimits = { documents: 25, idleMs: 60_000 };
/** Every docx thread started in this process, for tests (a new thread has a new threadId). */
export const docxThreadsStarted: number[] = [];

function stopIdleTimer(thread: DocxThread): void {
  if (thread.idleTimer) clearTimeout(thread.idleTimer);
  thread.idleTimer = null;
}

/** Ends the thread (when it has nothing waiting): the next document starts a new one. */
function retireDocxThread(thread: DocxThread): void {
  if (thread.calls.busy > 0) return;
  stopIdleTimer(thread);
  if (docxThread === thread) docxThread = null;
  void thread.calls.terminate();
}

function startDocxThread(): DocxThread {
  const thread: DocxThread = {
    // A thread that dies fails the documents it was building (CallThread); the next document starts a new one.
    calls: new CallThread(new URL('./docxWorker.mjs', import.meta.url), {
      name: 'The Word document worker',
      workerData: { compiled: import.meta.url.endsWith('.js') },
      onLost: () => {
        stopIdleTimer(thread);
        if (docxThread === thread) docxThread = null;
      },
    }),
    built: 0,
    idleTimer: null,
  };
  docxThreadsStarted.push(thread.calls.worker.threadId);
  return thread;
}

/** After each document: once none is waiting, the thread is replaced if it has built its share, or timed for a quiet spell. */
function documentBuilt(thread: DocxThread): void {
  thread.built += 1;
  if (!thread.calls.alive || thread.calls.busy > 0) return;
  if (thread.built >= docxThreadLimits.documents) retireDocxThread(thread);
  else {
    thread.idleTimer = setTimeout(() => retireDocxThread(thread), docxThreadLimits.idleMs);
    thread.idleTimer.unref();
  }
}

/**
 * Writes the document as a .docx file. The figures are drawn here (by Chromium, out of process); the document is
 * then built and laid out (for the contents' page numbers: hundreds of milliseconds of CPU for a plan) in a worker
 * thread, so generating a document does not hold up anyone else's requests. The thread is kept between documents:
 * starting one (loading the sources and the docx library) costs more CPU than a small document.
 */
export async function toDocx(doc: ReportDocument, options: DocxOptions = {}): Promise<Buffer> {
  const drawn = await drawFigures(doc, options.pictures);
  const pictures = figuresOf(doc).map((b) => (drawn.has(b) ? drawn.get(b)! : undefined));
  const thread = (docxThread ??= startDocxThread());
  stopIdleTimer(thread);
  try {
    const bytes = (await thread.calls.call({ doc, pictures } satisfies DocxWork)) as Uint8Array;
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } finally {
    documentBuilt(thread);
  }
}

/** What the worker thread gets: the document and its figures' pictures in document order (undefined: not drawn). */
export interface DocxWork {
  doc: ReportDocument;
  pictures: (RenderedPicture | null | undefined)[];
}

/** Builds the .docx file from a document and its drawn figures (in the worker thread; see toDocx). */
export async function packDocx({ doc, pictures: list }: DocxWork): Promise<Buffer> {
  const pictures = new Map<Block, RenderedPicture | null>();
  figuresOf(doc).forEach((b, i) => {
    const p = list[i];
    if (p !== undefined) pictures.set(b, p === null ? null : { ...p, png: Buffer.from(p.png.buffer, p.png.byteOffset, p.png.byteLength) });
  });
  const titlePage = [
    new Paragraph({ spacing: { before: 2400, after: 240 }, children: [new TextRun({ text: doc.organisation, size: 32, color: GREY })] }),
    new Paragraph({ heading: HeadingLevel.TITLE, spacing: { after: 240 }, children: [new TextRun(doc.title)] }),
    ...(fullTitle(doc) === doc.title
      ? []
      : [new Paragraph({ spacing: { after: 720 }, children: [new TextRun({ text: doc.subtitle, size: 48, bold: true })] })]),
    ...doc.titlePageLines.map((line) => new Paragraph({ children: [new TextRun({ text: line, color: GREY })] })),
  ];
  // The contents: a TOC field over the Heading 1 sections. Its entries link to the sections and carry the page numbers
  // docx's layout works out (CONTENTS_PAGES below); Word can update it like any table of contents. Its title is
  // not a heading itself, as in Word's own contents pages, so it does not list itself.
  const contents = [
    new Paragraph({ pageBreakBefore: true, spacing: { after: 240 }, children: [new TextRun({ text: 'Contents', bold: true, size: 36 })] }),
    new TableOfContents('Contents', { hyperlink: true, headingStyleRange: '1-1' }),
  ];
  // Each part of the document in its own page orientation: a landscape section (a wide table) gets a Word section of
  // its own, whose start is its page break; a short or empty section follows on the same page.
  const parts: { landscape: boolean; children: (Paragraph | Table | TableOfContents)[] }[] = [
    { landscape: false, children: [...titlePage, ...contents] },
  ];
  doc.sections.forEach((s, i) => {
    const landscape = s.landscape === true;
    const last = parts[parts.length - 1]!;
    const newPart = last.landscape !== landscape;
    // The first section starts after the contents, on a page of its own.
    const ownPage = i === 0 || startsNewPage(s);
    const heading = new Paragraph({
      heading: HeadingLevel.HEADING_1,
      pageBreakBefore: !newPart && ownPage,
      spacing: ownPage || newPart ? undefined : { before: 480, after: 240 },
      children: runs(`${i + 1}. ${s.title}`),
    });
    const children = [heading, ...blocks(s.blocks, pictures)];
    if (newPart) parts.push({ landscape, children });
    else last.children.push(...children);
  });
  const header = () =>
    new Header({
      children: [
        new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: doc.runningHeader, size: 18, color: GREY })] }),
      ],
    });
  const footer = () =>
    new Footer({
      children: [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [new TextRun({ size: 18, color: GREY, children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES] })],
        }),
      ],
    });
  const sections: ISectionOptions[] = parts.map((part, n) => ({
    properties: {
      titlePage: n === 0,
      page: {
        ...(part.landscape ? { size: { orientation: PageOrientation.LANDSCAPE } } : {}),
        margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 },
      },
    },
    headers: n === 0 ? { first: new Header({ children: [new Paragraph({ children: [] })] }), default: header() } : { default: header() },
    footers: n === 0 ? { first: new Footer({ children: [new Paragraph({ children: [] })] }), default: footer() } : { default: footer() },
    children: part.children,
  }));
  const faces = docxFontFaces();
  const document = new Document({
    title: fullTitle(doc),
    creator: 'CSP Hub',
    description: `${fullTitle(doc)}, ${doc.organisation}`,
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
    // The typeface embedded (obfuscated TrueType, w:embedRegular/Bold/Italic/BoldItalic, embedTrueTypeFonts set), so
    // Word lays the text out in Noto Sans even where it is not installed.
    fonts: [{ name: FONT, data: faces.regular, bold: faces.bold, italic: faces.italic, boldItalic: faces.boldItalic }],
    // The theme's fonts too, so Word's own styles (the contents' entries, captions) are in it as well.
    theme: { fonts: { headings: FONT, body: FONT } },
    sections,
    // The contents' page numbers, laid out with the embedded font's own widths. Office also offers Noto Sans (Word for
    // Mac may draw it from its own copy), so docx's layout only measures it from the file when asked to guess.
    pageNumbers: CONTENTS_PAGES,
  });
  return Packer.toBuffer(document);
}
