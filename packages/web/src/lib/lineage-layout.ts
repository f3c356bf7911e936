/**
 * A layered layout of the lineage graph (runs ↔ artifact versions) for the version page: each
 * node's column is its signed distance from the version shown (producers to the left, consumers
 * to the right), rows within a column ordered by the neighbours' rows in the column before
 * (one barycentre pass), then by label. A graph this small (a few dozen nodes) needs no layout
 * library. More than `clusterOver` nodes of one kind (and artifact type) in a column collapse
 * into one cluster node, unless that cluster is in `expanded`; the version shown never does.
 */
import type { LineageGraph, LineageNode } from "@stepwise/protocol";

export const NODE_WIDTH = 180;
export const NODE_HEIGHT = 44;
const COLUMN_GAP = 80;
const ROW_GAP = 16;
/** W&B's lineage view clusters beyond a couple of dozen siblings; 20 keeps a column on one screen. */
export const CLUSTER_OVER = 20;

export interface PlacedNode {
  id: string;
  kind: "artifact" | "run" | "cluster";
  label: string;
  sublabel: string;
  x: number;
  y: number;
  /** The graph node (null for a cluster). */
  node: LineageNode | null;
  /** A cluster's members. */
  members: LineageNode[];
  root: boolean;
}

export interface PlacedEdge {
  from: string;
  to: string;
  /** SVG path from the right side of `from` to the left side of `to`. */
  path: string;
}

export interface LineageLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

function labelOf(node: LineageNode): { label: string; sublabel: string } {
  return node.kind === "artifact"
    ? { label: `${node.name}:${node.version}`, sublabel: node.type }
    : { label: node.runId, sublabel: `run · ${node.project}` };
}

/** Signed distance from the root, walking edges forwards (+1) and backwards (−1). */
function columns(graph: LineageGraph): Map<string, number> {
  const out = new Map<string, string[]>();
  const into = new Map<string, string[]>();
  for (const e of graph.edges) {
    out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
    into.set(e.to, [...(into.get(e.to) ?? []), e.from]);
  }
  const column = new Map<string, number>([[graph.root, 0]]);
  const queue = [graph.root];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] ?? "";
    const at = column.get(id) ?? 0;
    for (const [next, step] of [
      ...(out.get(id) ?? []).map((n) => [n, 1] as const),
      ...(into.get(id) ?? []).map((n) => [n, -1] as const),
    ]) {
      if (column.has(next)) continue;
      column.set(next, at + step);
      queue.push(next);
    }
  }
  // Nodes not connected to the root (none from the server's walk) go after the last column.
  const last = Math.max(0, ...column.values()) + 1;
  for (const node of graph.nodes) if (!column.has(node.id)) column.set(node.id, last);
  return column;
}

function clusterKey(node: LineageNode, column: number): string {
  return `cluster:${column}:${node.kind}:${node.kind === "artifact" ? node.type : "run"}`;
}

export function layoutLineage(
  graph: LineageGraph,
  expanded: ReadonlySet<string> = new Set(),
  clusterOver = CLUSTER_OVER,
): LineageLayout {
  const column = columns(graph);
  // Group by column and kind; big groups become one cluster node.
  const groups = new Map<string, LineageNode[]>();
  for (const node of graph.nodes) {
    if (node.id === graph.root) continue;
    const key = clusterKey(node, column.get(node.id) ?? 0);
    groups.set(key, [...(groups.get(key) ?? []), node]);
  }
  const shownAs = new Map<string, string>();
  const placed = new Map<string, PlacedNode & { column: number }>();
  for (const node of graph.nodes) {
    const key = clusterKey(node, column.get(node.id) ?? 0);
    const group = groups.get(key) ?? [];
    if (node.id !== graph.root && group.length > clusterOver && !expanded.has(key)) {
      shownAs.set(node.id, key);
      if (!placed.has(key)) {
        const first = group[0];
        const what = first?.kind === "artifact" ? `${first.type} versions` : "runs";
        placed.set(key, {
          id: key,
          kind: "cluster",
          label: `${group.length} ${what}`,
          sublabel: "click to expand",
          x: 0,
          y: 0,
          node: null,
          members: group,
          root: false,
          column: column.get(node.id) ?? 0,
        });
      }
      continue;
    }
    shownAs.set(node.id, node.id);
    placed.set(node.id, {
      id: node.id,
      kind: node.kind,
      ...labelOf(node),
      x: 0,
      y: 0,
      node,
      members: [],
      root: node.id === graph.root,
      column: column.get(node.id) ?? 0,
    });
  }
  const edgeKeys = new Map<string, { from: string; to: string }>();
  for (const e of graph.edges) {
    const from = shownAs.get(e.from);
    const to = shownAs.get(e.to);
    if (from === undefined || to === undefined || from === to) continue;
    edgeKeys.set(`${from}>${to}`, { from, to });
  }
  // Columns left to right; rows by the mean row of neighbours already placed, then by label.
  const byColumn = new Map<number, (PlacedNode & { column: number })[]>();
  for (const node of placed.values()) byColumn.set(node.column, [...(byColumn.get(node.column) ?? []), node]);
  const order = [...byColumn.keys()].sort((a, b) => a - b);
  const row = new Map<string, number>();
  const neighbours = (id: string) =>
    [...edgeKeys.values()].flatMap((e) => (e.from === id ? [e.to] : e.to === id ? [e.from] : []));
  const tallest = Math.max(...[...byColumn.values()].map((list) => list.length));
  for (const [index, col] of order.entries()) {
    const list = byColumn.get(col) ?? [];
    const weight = (node: PlacedNode) => {
      const rows = neighbours(node.id).flatMap((n) => (row.has(n) ? [row.get(n) ?? 0] : []));
      return rows.length === 0 ? Number.POSITIVE_INFINITY : rows.reduce((a, b) => a + b, 0) / rows.length;
    };
    list.sort((a, b) => weight(a) - weight(b) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    const offset = ((tallest - list.length) * (NODE_HEIGHT + ROW_GAP)) / 2;
    list.forEach((node, i) => {
      row.set(node.id, i + (tallest - list.length) / 2);
      node.x = index * (NODE_WIDTH + COLUMN_GAP);
      node.y = offset + i * (NODE_HEIGHT + ROW_GAP);
    });
  }
  const nodes = [...placed.values()].map(({ column: _column, ...rest }) => rest);
  const at = new Map(nodes.map((n) => [n.id, n]));
  const edges = [...edgeKeys.values()].flatMap((e) => {
    const a = at.get(e.from);
    const b = at.get(e.to);
    if (a === undefined || b === undefined) return [];
    const x1 = a.x + NODE_WIDTH;
    const y1 = a.y + NODE_HEIGHT / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_HEIGHT / 2;
    const bend = Math.max(30, Math.abs(x2 - x1) / 2);
    return [{ ...e, path: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}` }];
  });
  return {
    nodes,
    edges,
    width: order.length * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP,
    height: tallest * (NODE_HEIGHT + ROW_GAP) - ROW_GAP,
  };
}
