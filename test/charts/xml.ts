/**
 * A tiny, strict XML parser for checking chart output: balanced tags, quoted
 * and unique attributes, only known entities, no raw '<' or '&' in text, one
 * root element. Returns an element tree with entities decoded.
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}
export type XmlNode = XmlElement | string;

const NAME = /^[A-Za-z_][\w.:-]*/;

function decode(raw: string, where: string): string {
  if (/[<]/.test(raw)) throw new Error(`Raw '<' in ${where}: ${raw.slice(0, 60)}`);
  return raw.replace(/&([^;\s&]*);?/g, (match, body: string) => {
    if (!match.endsWith(';')) throw new Error(`Unterminated entity in ${where}: ${match}`);
    if (body === 'amp') return '&';
    if (body === 'lt') return '<';
    if (body === 'gt') return '>';
    if (body === 'quot') return '"';
    if (body === 'apos') return "'";
    if (/^#\d+$/.test(body)) return String.fromCodePoint(Number(body.slice(1)));
    if (/^#x[0-9a-fA-F]+$/.test(body)) return String.fromCodePoint(parseInt(body.slice(2), 16));
    throw new Error(`Unknown entity in ${where}: ${match}`);
  });
}

/** Parse `text` or throw an Error saying what is malformed. */
export function parseXml(text: string): XmlElement {
  let pos = 0;
  const stack: { name: string; attributes: Record<string, string>; children: XmlNode[] }[] = [];
  let root: XmlElement | null = null;

  const skipProlog = (): void => {
    for (;;) {
      const rest = text.slice(pos);
      const ws = /^\s*/.exec(rest)?.[0].length ?? 0;
      if (rest.startsWith('<?', ws)) {
        const end = text.indexOf('?>', pos + ws);
        if (end < 0) throw new Error('Unterminated processing instruction');
        pos = end + 2;
      } else if (rest.startsWith('<!--', ws)) {
        const end = text.indexOf('-->', pos + ws);
        if (end < 0) throw new Error('Unterminated comment');
        pos = end + 3;
      } else {
        pos += ws;
        return;
      }
    }
  };
  skipProlog();
  if (text[pos] !== '<') throw new Error('Document does not start with an element');

  while (pos < text.length) {
    if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos);
      if (end < 0) throw new Error('Unterminated comment');
      pos = end + 3;
      continue;
    }
    if (text.startsWith('</', pos)) {
      const end = text.indexOf('>', pos);
      if (end < 0) throw new Error('Unterminated closing tag');
      const name = text.slice(pos + 2, end).trim();
      const open = stack.pop();
      if (!open) throw new Error(`Closing tag </${name}> without an open element`);
      if (open.name !== name) throw new Error(`Mismatched tags: <${open.name}> closed by </${name}>`);
      const element: XmlElement = open;
      if (stack.length === 0) {
        if (root) throw new Error('More than one root element');
        root = element;
      } else {
        stack[stack.length - 1]?.children.push(element);
      }
      pos = end + 1;
      continue;
    }
    if (text[pos] === '<') {
      pos++;
      const nameMatch = NAME.exec(text.slice(pos));
      if (!nameMatch) throw new Error(`Bad tag name at ${pos}: ${text.slice(pos, pos + 20)}`);
      const name = nameMatch[0];
      pos += name.length;
      const attributes: Record<string, string> = {};
      for (;;) {
        const ws = /^\s*/.exec(text.slice(pos))?.[0].length ?? 0;
        pos += ws;
        if (text.startsWith('/>', pos) || text[pos] === '>') break;
        if (ws === 0) throw new Error(`Missing space before attribute in <${name}> at ${pos}`);
        const attr = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(text.slice(pos));
        if (!attr) throw new Error(`Bad attribute in <${name}>: ${text.slice(pos, pos + 40)}`);
        const attrName = attr[1] as string;
        if (attrName in attributes) throw new Error(`Duplicate attribute ${attrName} in <${name}>`);
        attributes[attrName] = decode(attr[3] ?? attr[4] ?? '', `attribute ${attrName} of <${name}>`);
        pos += attr[0].length;
      }
      if (stack.length === 0 && root) throw new Error('Content after the root element');
      if (text.startsWith('/>', pos)) {
        pos += 2;
        const element: XmlElement = { name, attributes, children: [] };
        if (stack.length === 0) root = element;
        else stack[stack.length - 1]?.children.push(element);
      } else {
        pos += 1;
        stack.push({ name, attributes, children: [] });
      }
      continue;
    }
    const next = text.indexOf('<', pos);
    const raw = text.slice(pos, next < 0 ? text.length : next);
    if (stack.length === 0) {
      if (raw.trim() !== '') throw new Error(`Text outside the root element: ${raw.slice(0, 40)}`);
    } else {
      if (raw.includes('>') && raw.includes(']]>')) throw new Error("']]>' in text");
      stack[stack.length - 1]?.children.push(decode(raw, 'text'));
    }
    pos = next < 0 ? text.length : next;
  }
  if (stack.length > 0) throw new Error(`Unclosed element <${stack[stack.length - 1]?.name}>`);
  if (!root) throw new Error('No root element');
  return root;
}

/** Every element in the tree (depth first, document order), including the root. */
export function allElements(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (el: XmlElement): void => {
    out.push(el);
    for (const child of el.children) if (typeof child !== 'string') walk(child);
  };
  walk(root);
  return out;
}

/** Elements whose class list contains `className`. */
export function byClass(root: XmlElement, className: string): XmlElement[] {
  return allElements(root).filter((el) => (el.attributes.class ?? '').split(/\s+/).includes(className));
}

/** Elements with the given tag name. */
export function byName(root: XmlElement, name: string): XmlElement[] {
  return allElements(root).filter((el) => el.name === name);
}

/** Concatenated text content. */
export function textOf(node: XmlNode): string {
  return typeof node === 'string' ? node : node.children.map(textOf).join('');
}

/** A numeric attribute (throws if missing or not a number). */
export function numAttr(el: XmlElement, name: string): number {
  const raw = el.attributes[name];
  const value = Number(raw);
  if (raw === undefined || raw === '' || !Number.isFinite(value)) throw new Error(`<${el.name}> has no numeric ${name} (got ${raw})`);
  return value;
}

/** Parse an SVG string and check that it is a standalone, accessible chart. */
export function parseSvg(svg: string): XmlElement {
  const root = parseXml(svg);
  if (root.name !== 'svg') throw new Error(`Root is <${root.name}>, not <svg>`);
  return root;
}
