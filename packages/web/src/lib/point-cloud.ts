/**
 * Point clouds for the 3D viewer (reference § 8.7): a `.pts.json` file is rows `[x, y, z]`,
 * `[x, y, z, category 1–14]` or `[x, y, z, r, g, b]`, or a `lidar/beta` scene
 * `{ points, boxes: [{ corners: 8 × [x,y,z], label, color }], vectors: [{ start, end }] }`.
 * Past `limit` points the cloud is thinned evenly (every k-th point) and the viewer shows
 * "shown / total", where W&B drops points silently.
 */

export interface Box3D {
  corners: [number, number, number][];
  label: string;
  color: [number, number, number];
}

export interface PointCloud {
  /** x, y, z per shown point. */
  positions: Float32Array;
  /** r, g, b in 0–1 per shown point. */
  colors: Float32Array;
  shown: number;
  total: number;
  boxes: Box3D[];
  vectors: { start: [number, number, number]; end: [number, number, number] }[];
}

/** Points drawn at most: a million points still turn at 60 fps in a panel's small canvas. */
export const POINT_LIMIT = 1_000_000;

/** Colours of categories 1–14, W&B's meaning of an `n×4` cloud's fourth column. */
const CATEGORY: readonly (readonly [number, number, number])[] = [
  [0.9, 0.1, 0.29],
  [0.24, 0.71, 0.29],
  [0, 0.51, 0.78],
  [1, 0.88, 0.1],
  [0.96, 0.51, 0.19],
  [0.57, 0.12, 0.71],
  [0.27, 0.94, 0.94],
  [0.94, 0.2, 0.9],
  [0.82, 0.96, 0.24],
  [0.98, 0.75, 0.83],
  [0, 0.5, 0.5],
  [0.67, 0.43, 0.16],
  [0.5, 0, 0],
  [0.5, 0.5, 0],
];

const nums = (v: unknown): number[] | null =>
  Array.isArray(v) && v.every((n) => typeof n === "number") ? v : null;
const vec3 = (v: unknown): [number, number, number] | null => {
  const n = nums(v);
  return n !== null && n.length >= 3 ? [n[0] ?? 0, n[1] ?? 0, n[2] ?? 0] : null;
};

export function parsePointCloud(json: unknown, limit = POINT_LIMIT): PointCloud {
  const scene =
    typeof json === "object" && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : null;
  const rows = Array.isArray(json)
    ? json
    : Array.isArray(scene?.["points"])
      ? (scene["points"] as unknown[])
      : [];
  const total = rows.length;
  const stride = total > limit ? Math.ceil(total / limit) : 1;
  const shown = Math.ceil(total / stride);
  const positions = new Float32Array(shown * 3);
  const colors = new Float32Array(shown * 3);
  let n = 0;
  for (let i = 0; i < total; i += stride, n++) {
    const row = nums(rows[i]) ?? [];
    positions.set([row[0] ?? 0, row[1] ?? 0, row[2] ?? 0], n * 3);
    colors.set(colorOf(row), n * 3);
  }
  const boxes: Box3D[] = [];
  for (const raw of Array.isArray(scene?.["boxes"]) ? (scene["boxes"] as unknown[]) : []) {
    if (typeof raw !== "object" || raw === null) continue;
    const b = raw as Record<string, unknown>;
    const corners = Array.isArray(b["corners"]) ? b["corners"].map(vec3) : [];
    if (corners.length !== 8 || corners.some((c) => c === null)) continue;
    const color = vec3(b["color"]) ?? [255, 255, 255];
    boxes.push({
      corners: corners as [number, number, number][],
      label: typeof b["label"] === "string" ? b["label"] : "",
      color: [color[0] / 255, color[1] / 255, color[2] / 255],
    });
  }
  const vectors: PointCloud["vectors"] = [];
  for (const raw of Array.isArray(scene?.["vectors"]) ? (scene["vectors"] as unknown[]) : []) {
    const v = (raw ?? {}) as Record<string, unknown>;
    const start = vec3(v["start"]) ?? [0, 0, 0];
    const end = vec3(v["end"]);
    if (end !== null) vectors.push({ start, end });
  }
  return { positions, colors, shown, total, boxes, vectors };
}

function colorOf(row: readonly number[]): [number, number, number] {
  if (row.length >= 6) return [(row[3] ?? 0) / 255, (row[4] ?? 0) / 255, (row[5] ?? 0) / 255];
  if (row.length === 4) {
    const c = CATEGORY[Math.round(row[3] ?? 1) - 1];
    if (c !== undefined) return [c[0], c[1], c[2]];
  }
  return [0.35, 0.65, 1];
}

/** The edges of a box by its 8 corners, as W&B's box3d orders them: two faces of 4 and the 4 pillars. */
export const BOX_EDGES: readonly [number, number][] = [
  [0, 1],
  [1, 2],
  [2, 3],
  [3, 0],
  [4, 5],
  [5, 6],
  [6, 7],
  [7, 4],
  [0, 4],
  [1, 5],
  [2, 6],
  [3, 7],
];
