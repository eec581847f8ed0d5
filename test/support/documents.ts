/**
 * Opening generated documents the way a reader's software would, without the library that wrote them: a DOCX
 * is a zip (read through its central directory, inflated with zlib), a PDF goes through poppler's pdftotext,
 * pdfinfo and pdftoppm.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

/** The named file inside a zip archive held in memory. */
export function unzipEntry(zip: Buffer, name: string): Buffer {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) throw new Error('not a zip archive: no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('damaged central directory');
    const method = zip.readUInt16LE(p + 10);
    const compressedSize = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const entryName = zip.toString('utf8', p + 46, p + 46 + nameLength);
    if (entryName === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressedSize);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return zlib.inflateRawSync(data);
      throw new Error(`unsupported compression method ${method}`);
    }
    p += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${name} is not in the archive`);
}

/** The paragraphs of a DOCX's main document: their style (Heading1, Title...) and their text. */
export function docxParagraphs(docx: Buffer): { style: string; text: string }[] {
  const xml = unzipEntry(docx, 'word/document.xml').toString('utf8');
  const unescape = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => ({
    style: /<w:pStyle w:val="([^"]+)"/.exec(m[0])?.[1] ?? '',
    text: unescape([...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('')),
  }));
}

export interface OpenedPdf {
  text: string;
  /**
   * The text in reading order (content-stream order, which Chromium writes cell by cell) with every run of white
   * space as one space: a table cell's words stay together however its lines break, so tests do not depend on fonts.
   */
  flowText: string;
  pages: number;
  /** PNG renderings of the first pages (pdftoppm), as files. */
  pngs: string[];
}

/** Extracts the text of a PDF, counts its pages and renders its first two pages to PNG at 50 dpi. */
export function openPdf(pdf: Buffer): OpenedPdf {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-pdf-'));
  const file = path.join(dir, 'document.pdf');
  fs.writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  const flowText = execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
  execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '2', file, path.join(dir, 'page')]);
  const pngs = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.png'))
    .sort()
    .map((f) => path.join(dir, f));
  return { text, flowText, pages, pngs };
}

export interface PdfAccessibility {
  /** pdfinfo's "Tagged: yes". */
  tagged: boolean;
  title: string;
  /** The catalogue's /Lang. */
  lang: string;
  /** The bookmark outline's entries (every level), as pdftohtml reads them. */
  outline: string[];
  /** The text alternatives (/Alt) of the tagged pictures. */
  alt: string[];
  /** Each page's orientation, in order. */
  orientations: ('portrait' | 'landscape')[];
}

/** What a screen reader and a PDF checker find in a PDF: tags, title, language, outline, pictures' alternatives. */
export function pdfAccessibility(pdf: Buffer): PdfAccessibility {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csphub-pdf-'));
  try {
    const file = path.join(dir, 'document.pdf');
    fs.writeFileSync(file, pdf);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
    const sizes = execFileSync('pdfinfo', ['-f', '1', '-l', String(pages), file], { encoding: 'utf8' });
    const xml = execFileSync('pdftohtml', ['-xml', '-i', '-stdout', '-f', '1', '-l', '1', file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const raw = pdf.toString('latin1');
    return {
      tagged: /^Tagged:\s+yes/m.test(info),
      title: /^Title:\s+(.*)$/m.exec(info)?.[1]?.trim() ?? '',
      lang: /\/Lang\s*\(([^)]*)\)/.exec(raw)?.[1] ?? '',
      outline: [...xml.matchAll(/<item page="\d+">([^<]*)<\/item>/g)].map((m) => m[1]!),
      alt: [...raw.matchAll(/\/Alt\s*\(([^)]*)\)/g)].map((m) => m[1]!),
      orientations: [...sizes.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)/gm)].map((m) =>
        Number(m[1]) > Number(m[2]) ? 'landscape' : 'portrait',
      ),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
