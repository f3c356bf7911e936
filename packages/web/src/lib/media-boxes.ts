/**
 * Bounding boxes of an image (W&B's boxes2D JSON, reference § 8.1): positions in relative
 * (0–1, default) or pixel coordinates, as `{minX, maxX, minY, maxY}` or `{middle, width,
 * height}`, turned into pixel rectangles; which boxes a filter keeps (hidden classes, a minimum
 * per score); and the score names and ranges that the panel's sliders offer.
 */

export interface BoxRect {
  x: number;
  y: number;
  width: number;
  height: number;
  classId: number;
  label: string;
  caption?: string;
  scores: Record<string, number>;
}

export interface BoxSet {
  boxes: BoxRect[];
  classLabels: Record<number, string>;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** Parses a boxes2D JSON file into pixel rectangles for an image of `width × height`. */
export function parseBoxes(json: unknown, width: number, height: number): BoxSet {
  const labels: Record<number, string> = {};
  const rawLabels = isObject(json) ? (json["class_labels"] ?? json["classLabels"]) : undefined;
  if (isObject(rawLabels))
    for (const [id, name] of Object.entries(rawLabels)) labels[Number(id)] = String(name);
  const data = isObject(json) ? (json["box_data"] ?? json["boxData"]) : undefined;
  const boxes: BoxRect[] = [];
  for (const raw of Array.isArray(data) ? data : []) {
    if (!isObject(raw) || !isObject(raw["position"])) continue;
    const pixel = raw["domain"] === "pixel";
    const sx = pixel ? 1 : width;
    const sy = pixel ? 1 : height;
    const rect = rectOf(raw["position"]);
    if (rect === null) continue;
    const classId = num(raw["class_id"] ?? raw["classId"]) ?? 0;
    const scores: Record<string, number> = {};
    if (isObject(raw["scores"]))
      for (const [name, v] of Object.entries(raw["scores"])) if (num(v) !== null) scores[name] = v as number;
    const caption = raw["box_caption"] ?? raw["boxCaption"];
    const box: BoxRect = {
      x: rect.minX * sx,
      y: rect.minY * sy,
      width: (rect.maxX - rect.minX) * sx,
      height: (rect.maxY - rect.minY) * sy,
      classId,
      label: labels[classId] ?? `class_${classId}`,
      scores,
    };
    if (typeof caption === "string") box.caption = caption;
    boxes.push(box);
  }
  for (const b of boxes) labels[b.classId] ??= b.label;
  return { boxes, classLabels: labels };
}

function rectOf(p: Json): { minX: number; maxX: number; minY: number; maxY: number } | null {
  const [minX, maxX, minY, maxY] = [num(p["minX"]), num(p["maxX"]), num(p["minY"]), num(p["maxY"])];
  if (minX !== null && maxX !== null && minY !== null && maxY !== null) return { minX, maxX, minY, maxY };
  const middle = p["middle"];
  const w = num(p["width"]);
  const h = num(p["height"]);
  if (!Array.isArray(middle) || w === null || h === null) return null;
  const [cx, cy] = [num(middle[0]), num(middle[1])];
  if (cx === null || cy === null) return null;
  return { minX: cx - w / 2, maxX: cx + w / 2, minY: cy - h / 2, maxY: cy + h / 2 };
}

export interface BoxFilter {
  /** Class ids not drawn. */
  hiddenClasses: ReadonlySet<number>;
  /** Score name → the least value a box must have to be drawn (a box without the score is kept). */
  minScores: Readonly<Record<string, number>>;
}

export const NO_BOX_FILTER: BoxFilter = { hiddenClasses: new Set(), minScores: {} };

export function visibleBoxes(boxes: readonly BoxRect[], filter: BoxFilter): BoxRect[] {
  return boxes.filter((b) => {
    if (filter.hiddenClasses.has(b.classId)) return false;
    for (const [name, min] of Object.entries(filter.minScores)) {
      const score = b.scores[name];
      if (score !== undefined && score < min) return false;
    }
    return true;
  });
}

/** Each score name with the range of its values over the boxes, for a slider. */
export function scoreRanges(boxes: readonly BoxRect[]): Map<string, { min: number; max: number }> {
  const out = new Map<string, { min: number; max: number }>();
  for (const b of boxes)
    for (const [name, v] of Object.entries(b.scores)) {
      const r = out.get(name);
      if (r === undefined) out.set(name, { min: v, max: v });
      else out.set(name, { min: Math.min(r.min, v), max: Math.max(r.max, v) });
    }
  return out;
}
