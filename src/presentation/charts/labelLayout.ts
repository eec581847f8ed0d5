/**
 * Placing chart labels so that no two overlap (issue 15): reference-line labels and the XmR chart's point marks
 * are boxes that may only move up or down from where they would like to be. Pure: boxes in, boxes out.
 */

/** A label's box in SVG user units: x, y is its top-left corner. */
export interface LabelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Where to keep labels: the top and bottom of the area they may use. */
export interface LabelBounds {
  readonly top: number;
  readonly bottom: number;
}

/** Space kept between two labels. */
export const LABEL_GAP = 2;

/** Whether two boxes overlap (touching edges do not count). */
export function boxesIntersect(a: LabelBox, b: LabelBox): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * Place each wanted box (in order: earlier boxes keep their place) at the height nearest the one it asks for where
 * it overlaps no box already placed and no obstacle, inside the bounds when there is room. Only the y changes. When
 * nothing in the bounds is free, the box goes just below everything it would overlap, so boxes never overlap.
 */
export function placeLabels(wanted: readonly LabelBox[], bounds: LabelBounds, obstacles: readonly LabelBox[] = []): LabelBox[] {
  const placed: LabelBox[] = [];
  const taken: LabelBox[] = [...obstacles];
  for (const box of wanted) {
    const free = (y: number) => !taken.some((t) => boxesIntersect({ ...box, y }, t));
    const low = bounds.top;
    const high = Math.max(low, bounds.bottom - box.height);
    const inside = (y: number) => y >= low - 1e-9 && y <= high + 1e-9;
    const clamp = (y: number) => Math.min(high, Math.max(low, y));
    // Candidates: where it asks to be, and just above or below every box in its column.
    const column = taken.filter((t) => t.x < box.x + box.width && box.x < t.x + t.width);
    const candidates = [
      clamp(box.y),
      low,
      high,
      ...column.flatMap((t) => [t.y - box.height - LABEL_GAP, t.y + t.height + LABEL_GAP]),
    ].filter(inside);
    candidates.sort((a, b) => Math.abs(a - box.y) - Math.abs(b - box.y) || a - b);
    let y = candidates.find(free);
    if (y === undefined) y = Math.max(bounds.bottom, ...column.map((t) => t.y + t.height)) + LABEL_GAP;
    const result = { ...box, y };
    placed.push(result);
    taken.push(result);
  }
  return placed;
}
