/**
 * Uploaded meeting papers (issue 18, ADR 0040): which files are accepted, judged by their content and not only
 * by their name. A PDF starts "%PDF-"; DOCX, XLSX and ODT are ZIP files whose entries say what they are
 * (word/document.xml, xl/workbook.xml, an OpenDocument text "mimetype"); a CSV is text (UTF-8, no NUL bytes).
 * The file's name must end with the extension of what it contains.
 */

export const PAPER_TYPES = {
  pdf: { contentType: 'application/pdf', label: 'PDF' },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word (DOCX)' },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel (XLSX)' },
  odt: { contentType: 'application/vnd.oasis.opendocument.text', label: 'OpenDocument text (ODT)' },
  csv: { contentType: 'text/csv; charset=utf-8', label: 'CSV' },
} as const;
export type PaperType = keyof typeof PAPER_TYPES;

/** The largest paper accepted: 20 MB. */
export const PAPER_MAX_BYTES = 20 * 1024 * 1024;

/** What the bytes are, or null when they are none of the accepted types. */
export function detectPaperType(data: Uint8Array): PaperType | null {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    if (bytes.includes('mimetypeapplication/vnd.oasis.opendocument.text', 0, 'latin1')) return 'odt';
    if (bytes.includes('word/document.xml', 0, 'latin1')) return 'docx';
    if (bytes.includes('xl/workbook.xml', 0, 'latin1')) return 'xlsx';
    return null;
  }
  if (bytes.length === 0 || bytes.includes(0)) return null;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'csv';
  } catch {
    return null;
  }
}

/** The extension of a file name, lower case, without the dot ('' when none). */
export function extensionOf(fileName: string): string {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(fileName.trim());
  return m ? m[1]!.toLowerCase() : '';
}

/** A file name safe to keep and to send back: the last part of a path, without control characters, at most 200 characters. */
export function cleanFileName(raw: string): string {
  const last = raw.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = last.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  if (clean.length <= 200) return clean;
  const ext = extensionOf(clean);
  return ext ? `${clean.slice(0, 199 - ext.length)}.${ext}` : clean.slice(0, 200);
}

/**
 * Checks an upload: the problem in words, or the type. Refused: no file, an empty file, one over the limit, one
 * whose content is not an accepted type, and one whose name's extension is not that of its content.
 */
export function checkPaperFile(fileName: string, data: Uint8Array, maxBytes = PAPER_MAX_BYTES): { type: PaperType } | { problem: string } {
  const accepted = 'PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT) or CSV';
  if (!fileName.trim() || data.byteLength === 0) return { problem: `Choose a file to upload: ${accepted}` };
  if (data.byteLength > maxBytes)
    return { problem: `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB, the largest paper CSP Hub keeps` };
  const type = detectPaperType(data);
  const ext = extensionOf(fileName);
  if (type === null) return { problem: `"${cleanFileName(fileName).slice(0, 80)}" is not a ${accepted} file` };
  if (ext !== type)
    return {
      problem: `"${cleanFileName(fileName).slice(0, 80)}" contains a ${PAPER_TYPES[type].label} file but its name ends ${ext ? `.${ext}` : 'without an extension'}: rename it to end .${type}`,
    };
  return { type };
}
