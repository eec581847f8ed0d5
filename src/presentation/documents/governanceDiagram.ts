/** The governance structure of a plan version as a tree (who reports to whom) and a simple SVG diagram of it. */
import type { GovernanceGroup } from '../../adapters/database/schema.ts';

export interface GroupNode {
  group: GovernanceGroup;
  children: GroupNode[];
}

/** Governance groups as a tree by who reports to whom (groups reporting to nobody at the top). */
export function governanceTree(groups: GovernanceGroup[]): GroupNode[] {
  const ids = new Set(groups.map((g) => g.id));
  const build = (parent: number | null, seen: Set<number>): GroupNode[] =>
    groups
      .filter(
        (g) =>
          (parent === null ? g.reports_to_group_id === null || !ids.has(g.reports_to_group_id) : g.reports_to_group_id === parent) &&
          !seen.has(g.id),
      )
      .map((g) => ({ group: g, children: build(g.id, new Set([...seen, g.id])) }));
  return build(null, new Set());
}

/** A simple top-down diagram of the governance tree as SVG boxes and lines, with a text alternative. */
export function governanceSvg(tree: GroupNode[]): string {
  const boxW = 180;
  const boxH = 44;
  const gapX = 20;
  const gapY = 40;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  let leaf = 0;
  const placed: { node: GroupNode; x: number; y: number }[] = [];
  const lines: string[] = [];
  const place = (node: GroupNode, depth: number): number => {
    let x: number;
    if (node.children.length === 0) x = leaf++ * (boxW + gapX);
    else {
      const xs = node.children.map((c) => place(c, depth + 1));
      x = (xs[0]! + xs[xs.length - 1]!) / 2;
      for (const cx of xs)
        lines.push(
          `<line x1="${x + boxW / 2}" y1="${depth * (boxH + gapY) + boxH}" x2="${cx + boxW / 2}" y2="${(depth + 1) * (boxH + gapY)}" stroke="#505a5f" stroke-width="2"/>`,
        );
    }
    placed.push({ node, x, y: depth * (boxH + gapY) });
    return x;
  };
  for (const root of tree) place(root, 0);
  const width = Math.max(1, leaf) * (boxW + gapX);
  const height = Math.max(0, ...placed.map((p) => p.y)) + boxH + 4;
  const wrap = (name: string) =>
    name.length > 24
      ? [
          name.slice(0, name.lastIndexOf(' ', 24) > 0 ? name.lastIndexOf(' ', 24) : 24),
          name.slice(name.lastIndexOf(' ', 24) > 0 ? name.lastIndexOf(' ', 24) + 1 : 24),
        ]
      : [name];
  const boxes = placed.map(({ node, x, y }) => {
    const text = wrap(node.group.name).slice(0, 2);
    const tspans = text
      .map(
        (t, i) =>
          `<tspan x="${x + boxW / 2}" dy="${i === 0 ? (text.length === 1 ? 5 : -4) : 18}">${esc(t.length > 26 ? `${t.slice(0, 25)}…` : t)}</tspan>`,
      )
      .join('');
    return `<rect x="${x + 1}" y="${y + 1}" width="${boxW - 2}" height="${boxH - 2}" fill="#ffffff" stroke="#0b0c0c" stroke-width="2"/><text x="${x + boxW / 2}" y="${y + boxH / 2}" text-anchor="middle" font-family="arial, sans-serif" font-size="15" fill="#0b0c0c">${tspans}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="governance-diagram-title"><title id="governance-diagram-title">Diagram of the governance structure: who reports to whom, shown in full in the table</title>${lines.join('')}${boxes.join('')}</svg>`;
}
