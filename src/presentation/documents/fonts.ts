/**
 * The typeface of generated documents: Noto Sans (SIL Open Font License), installed through npm
 * (@fontsource/noto-sans) and embedded in the print HTML as data URIs, so Chromium lays out a PDF with the same
 * font, and therefore the same line and page breaks, on every machine, whatever fonts the host happens to have.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

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
