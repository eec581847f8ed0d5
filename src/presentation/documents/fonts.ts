/**
 * The typeface of generated documents: Noto Sans (SIL Open Font License), installed through npm
 * (@fontsource/noto-sans) and embedded in the print HTML as data URIs, so Chromium lays out a PDF with the same
 * font, and therefore the same line and page breaks, on every machine, whatever fonts the host happens to have.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';

const require = createRequire(import.meta.url);
const packageDir = path.dirname(require.resolve('@fontsource/noto-sans/package.json'));

/** CSS font-family value for documents. */
export const DOCUMENT_FONT_FAMILY = '"Noto Sans", sans-serif';

const FACES = [
  'latin-400',
  'latin-700',
  'latin-400-italic',
  'latin-700-italic',
  'latin-ext-400',
  'latin-ext-700',
  'latin-ext-400-italic',
  'latin-ext-700-italic',
];

let css: string | undefined;

/** @font-face rules for the document typeface with the font files inlined (read once, about 100 KB of CSS). */
export function documentFontCss(): string {
  css ??= FACES.map((face) =>
    fs
      .readFileSync(path.join(packageDir, `${face}.css`), 'utf8')
      // Only the woff2 source, inlined: the printed page is set from a string and has no base URL to load from.
      .replace(/src:\s*url\(\.\/files\/([^)]+\.woff2)\) format\('woff2'\)[^;]*;/g, (_m, file: string) => {
        const data = fs.readFileSync(path.join(packageDir, 'files', file)).toString('base64');
        return `src: url(data:font/woff2;base64,${data}) format('woff2');`;
      }),
  ).join('\n');
  return css;
}

/** The family name Word documents use for the same typeface, with its four faces embedded in the file. */
export const DOCX_FONT_NAME = 'Noto Sans';

/**
 * A WOFF 1.0 file as the TrueType (sfnt) font it wraps: each table inflated when it was compressed, the table
 * directory rebuilt with 4-byte aligned offsets (W3C WOFF 1.0, section 4). Word embeds TrueType, not WOFF.
 */
export function woffToTrueType(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('Not a WOFF 1.0 font file');
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + i * 20;
    const offset = woff.readUInt32BE(at + 4);
    const compLength = woff.readUInt32BE(at + 8);
    const origLength = woff.readUInt32BE(at + 12);
    const raw = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? zlib.inflateSync(raw) : Buffer.from(raw);
    if (data.length !== origLength) throw new Error('A WOFF table does not inflate to its stated length');
    return { tag: woff.subarray(at, at + 4), checksum: woff.readUInt32BE(at + 16), data };
  });
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + numTables * 16);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - searchRange, 10);
  const bodies: Buffer[] = [];
  let offset = header.length;
  tables.forEach((t, i) => {
    const at = 12 + i * 16;
    t.tag.copy(header, at);
    header.writeUInt32BE(t.checksum, at + 4);
    header.writeUInt32BE(offset, at + 8);
    header.writeUInt32BE(t.data.length, at + 12);
    const padded = Buffer.alloc((t.data.length + 3) & ~3);
    t.data.copy(padded);
    bodies.push(padded);
    offset += padded.length;
  });
  return Buffer.concat([header, ...bodies]);
}

let docxFaces: { regular: Buffer; bold: Buffer; italic: Buffer; boldItalic: Buffer } | undefined;

/** The four faces of Noto Sans (Latin: English text, £, dashes and quotes) as TrueType, to embed in a DOCX. */
export function docxFontFaces(): { regular: Buffer; bold: Buffer; italic: Buffer; boldItalic: Buffer } {
  const face = (weight: number, style: string) =>
    woffToTrueType(fs.readFileSync(path.join(packageDir, 'files', `noto-sans-latin-${weight}-${style}.woff`)));
  docxFaces ??= { regular: face(400, 'normal'), bold: face(700, 'normal'), italic: face(400, 'italic'), boldItalic: face(700, 'italic') };
  return docxFaces;
}
