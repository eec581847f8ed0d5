/**
 * XML/HTML escaping for text content and attribute values.
 *
 * Every caller-supplied string that ends up in chart markup goes through
 * `escapeXml`, so names such as "Crime & ASB <test>" are safe in both SVG
 * and HTML contexts.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

// Characters that are not allowed anywhere in an XML 1.0 document.
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
// Unpaired UTF-16 surrogates (not characters at all).
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escape a string for use as XML/HTML text content or a quoted attribute value. */
export function escapeXml(value: string): string {
  return String(value)
    .replace(INVALID_XML_CHARS, '')
    .replace(LONE_SURROGATES, '\uFFFD')
    .replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

/** Make a string safe to use as an XML id (and as part of a url(#...) reference). */
export function sanitiseId(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9_-]/g, '-');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `chart-${cleaned}`;
}
