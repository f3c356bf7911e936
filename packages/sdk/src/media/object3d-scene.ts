/**
 * Point clouds and `lidar/beta` scenes of an Object3D (reference §8.7), checked and copied at
 * log(): points `[n][3]` (x, y, z), `[n][4]` (… category, an integer 1–14) or `[n][6]`
 * (… r, g, b in 0–255); scene boxes `{ corners: 8 × [x, y, z], label, color: [r, g, b],
 * score? }`; vectors `{ start: [x, y, z], end: [x, y, z], color? }`.
 */
import { InvalidDataError } from "@stepwise/protocol";
import { isShapedSource, readArray } from "./array-input.js";
import type { FileContent } from "./logged-value.js";

export interface Box3D {
  corners: number[][];
  label: string;
  color: number[];
  score?: number;
}

export interface Vector3D {
  start: number[];
  end: number[];
  color?: number[];
}

export interface LidarScene {
  type: "lidar/beta";
  points: unknown;
  boxes?: Box3D[];
  vectors?: Vector3D[];
}

export function pointsContent(points: unknown, scene: LidarScene | null, what: string): FileContent {
  if (!isShapedSource(points))
    throw new InvalidDataError(
      `${what}: points must be [n][3], [n][4] or [n][6] (nested arrays or { data, shape })`,
    );
  const array = readArray(points, what);
  const [n, columns] = array.shape as [number, number];
  if (array.shape.length !== 2 || (columns !== 3 && columns !== 4 && columns !== 6))
    throw new InvalidDataError(
      `${what}: a point cloud is [n][3] (x, y, z), [n][4] (x, y, z, category) or [n][6] (x, y, z, r, g, b); got shape [${array.shape.join(", ")}]`,
    );
  const values = array.values instanceof Float64Array ? array.values : Float64Array.from(array.values);
  for (let i = 0; i < n; i++) {
    if (columns === 4) {
      const category = values[i * 4 + 3] as number;
      if (!Number.isInteger(category) || category < 1 || category > 14)
        throw new InvalidDataError(
          `${what}: point ${i} has category ${category}; categories are integers from 1 to 14`,
        );
    } else if (columns === 6)
      for (let c = 3; c < 6; c++) {
        const v = values[i * 6 + c] as number;
        if (v < 0 || v > 255)
          throw new InvalidDataError(`${what}: point ${i} has colour value ${v}; r, g and b are 0–255`);
      }
  }
  return {
    kind: "points",
    columns,
    values,
    scene:
      scene === null
        ? null
        : { boxes: checkBoxes(scene.boxes ?? [], what), vectors: checkVectors(scene.vectors ?? [], what) },
  };
}

function checkBoxes(boxes: unknown, what: string): Box3D[] {
  if (!Array.isArray(boxes)) throw new InvalidDataError(`${what}: scene boxes must be a list`);
  return boxes.map((box: unknown, i) => {
    const b = (box ?? {}) as Partial<Box3D>;
    const where = `${what}: scene box ${i}`;
    if (!Array.isArray(b.corners) || b.corners.length !== 8 || !b.corners.every((c) => isTriple(c)))
      throw new InvalidDataError(`${where}: corners must be 8 points [x, y, z]`);
    if (typeof b.label !== "string") throw new InvalidDataError(`${where}: label must be a string`);
    if (!isTriple(b.color)) throw new InvalidDataError(`${where}: color must be [r, g, b]`);
    const out: Box3D = { corners: b.corners.map((c) => [...c]), label: b.label, color: [...b.color] };
    if (b.score !== undefined) {
      if (typeof b.score !== "number" || !Number.isFinite(b.score))
        throw new InvalidDataError(`${where}: score must be a finite number`);
      out.score = b.score;
    }
    return out;
  });
}

function checkVectors(vectors: unknown, what: string): Vector3D[] {
  if (!Array.isArray(vectors)) throw new InvalidDataError(`${what}: scene vectors must be a list`);
  return vectors.map((vector: unknown, i) => {
    const v = (vector ?? {}) as Partial<Vector3D>;
    if (!isTriple(v.start) || !isTriple(v.end))
      throw new InvalidDataError(`${what}: scene vector ${i} needs start and end points [x, y, z]`);
    const out: Vector3D = { start: [...v.start], end: [...v.end] };
    if (v.color !== undefined) {
      if (!isTriple(v.color))
        throw new InvalidDataError(`${what}: scene vector ${i}: color must be [r, g, b]`);
      out.color = [...v.color];
    }
    return out;
  });
}

function isTriple(value: unknown): value is number[] {
  return (
    Array.isArray(value) &&
    value.length === 3 &&
    value.every((x) => typeof x === "number" && Number.isFinite(x))
  );
}
