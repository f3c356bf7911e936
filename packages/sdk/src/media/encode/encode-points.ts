/**
 * A point cloud as W&B writes it (`.pts.json`: a JSON list of rows, reference §8.7), or its
 * `lidar/beta` scene `{"type","vectors","points","boxes"}`; built off the training thread.
 */
export function encodePoints(
  columns: number,
  values: Float64Array,
  scene: { boxes: unknown[]; vectors: unknown[] } | null,
): Uint8Array {
  const rows: string[] = [];
  for (let at = 0; at < values.length; at += columns)
    rows.push(`[${Array.prototype.join.call(values.subarray(at, at + columns), ",")}]`);
  const points = `[${rows.join(",")}]`;
  const text =
    scene === null
      ? points
      : `{"type":"lidar/beta","vectors":${JSON.stringify(scene.vectors)},"points":${points},"boxes":${JSON.stringify(scene.boxes)}}`;
  return Buffer.from(text, "utf8");
}
