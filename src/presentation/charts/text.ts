/**
 * Approximate text measurement and label fitting.
 *
 * There is no DOM on the server, so widths are estimated from Arial's
 * character widths. Estimates err on the wide side so labels do not collide.
 */

const WIDTHS: ReadonlyArray<readonly [string, number]> = [
  ["ijl|.,:;'!", 0.28],
  ['ftrI()[]{} -/', 0.36],
  ['"*^', 0.4],
  ['mwMW@%', 0.9],
  ['ABCDEFGHJKLNOPQRSTUVXYZ&', 0.7],
];

function charWidth(ch: string): number {
  for (const [chars, width] of WIDTHS) {
    if (chars.includes(ch)) return width;
  }
  return 0.57;
}

/** Estimated rendered width of `text` at `fontSize` (in the same units). */
export function textWidth(text: string, fontSize: number): number {
  let units = 0;
  for (const ch of text) units += charWidth(ch);
  return units * fontSize;
}

/** Shorten `text` with an ellipsis so it fits in `maxWidth`. */
export function truncateText(text: string, maxWidth: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  const chars = Array.from(text);
  while (chars.length > 0 && textWidth(`${chars.join('').trimEnd()}…`, fontSize) > maxWidth) {
    chars.pop();
  }
  return chars.length > 0 ? `${chars.join('').trimEnd()}…` : '…';
}

/**
 * Greedy word wrap. Returns null when the text cannot be shown in `maxLines`
 * lines of `maxWidth` without breaking a word.
 */
export function wrapText(text: string, maxWidth: number, fontSize: number, maxLines: number): string[] | null {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  if (words.length === 0) return [''];
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    if (textWidth(word, fontSize) > maxWidth) return null;
    const candidate = current ? `${current} ${word}` : word;
    if (textWidth(candidate, fontSize) <= maxWidth) {
      current = candidate;
    } else {
      lines.push(current);
      current = word;
    }
  }
  lines.push(current);
  return lines.length <= maxLines ? lines : null;
}

export interface CategoryLabelLayout {
  /** Show every `step`-th label. */
  readonly step: number;
  /** Lines of text for each category; empty for labels that are hidden. */
  readonly lines: readonly (readonly string[])[];
  /** Most lines used by any visible label. */
  readonly lineCount: number;
  /** Font size to draw the labels at (smaller than asked only when `allowSkip` is false). */
  readonly fontSize: number;
}

export interface FitLabelOptions {
  readonly maxLines?: number;
  /** Which end is always labelled: 'start' (first category) or 'end' (latest period). */
  readonly anchor?: 'start' | 'end';
  /** Horizontal gap to keep between neighbouring labels. */
  readonly gap?: number;
  /**
   * May labels be left out (every n-th shown)? Default true, right for time
   * axes; bar groups need every label, so they shrink and then truncate.
   */
  readonly allowSkip?: boolean;
}

/** Whether category `index` is labelled when showing every `step`-th label. */
export function isLabelShown(index: number, count: number, step: number, anchor: 'start' | 'end'): boolean {
  const position = anchor === 'end' ? count - 1 - index : index;
  return position % step === 0;
}

/** Wrap every shown label, or return null if one does not fit. */
function wrapAll(
  labels: readonly string[],
  available: number,
  fontSize: number,
  maxLines: number,
  shown: (i: number) => boolean,
): string[][] | null {
  const lines: string[][] = [];
  for (let i = 0; i < labels.length; i++) {
    if (!shown(i)) {
      lines.push([]);
      continue;
    }
    const wrapped = wrapText(labels[i] ?? '', available, fontSize, maxLines);
    if (!wrapped) return null;
    lines.push(wrapped);
  }
  return lines;
}

function finish(step: number, lines: string[][], fontSize: number): CategoryLabelLayout {
  const lineCount = Math.max(1, ...lines.map((l) => l.length));
  if (lineCount > 1) {
    // Wrap consistently: once labels need several lines, put each word of a
    // short label ("Apr 2023") on its own line so that neighbours match.
    lines.forEach((l, i) => {
      const words = l.join(' ').split(' ');
      if (l.length > 0 && words.length <= lineCount) lines[i] = words;
    });
  }
  return { step, lines, lineCount: Math.max(1, ...lines.map((l) => l.length)), fontSize };
}

/**
 * Choose how to label categories so that labels do not overlap. Labels are
 * centred on slots `slotWidth` apart and may wrap onto `maxLines` lines. When
 * there are too many, every n-th label is shown (or, if skipping is not
 * allowed, the labels get smaller and are finally truncated).
 */
export function fitCategoryLabels(
  labels: readonly string[],
  slotWidth: number,
  fontSize: number,
  options: FitLabelOptions = {},
): CategoryLabelLayout {
  const maxLines = options.maxLines ?? 2;
  const anchor = options.anchor ?? 'start';
  const gap = options.gap ?? 6;
  const count = labels.length;
  if (options.allowSkip === false) {
    const available = Math.max(fontSize, slotWidth - gap);
    for (const scale of [1, 0.9, 0.8]) {
      const size = Math.round(fontSize * scale * 10) / 10;
      const lines = wrapAll(labels, available, size, maxLines, () => true);
      if (lines) return finish(1, lines, size);
    }
    const size = Math.round(fontSize * 0.8 * 10) / 10;
    const lines = labels.map((label) => [truncateText(label, available, size)]);
    return finish(1, lines, size);
  }
  for (let step = 1; step <= Math.max(1, count); step++) {
    const lines = wrapAll(labels, step * slotWidth - gap, fontSize, maxLines, (i) => isLabelShown(i, count, step, anchor));
    if (lines) return finish(step, lines, fontSize);
  }
  // Nothing fits even with one label per plot: show few labels, truncated.
  const step = Math.max(1, Math.ceil(count / 3));
  const available = Math.max(fontSize * 2, step * slotWidth - gap);
  const lines = labels.map((label, i) => (isLabelShown(i, count, step, anchor) ? [truncateText(label, available, fontSize)] : []));
  return { step, lines, lineCount: 1, fontSize };
}
