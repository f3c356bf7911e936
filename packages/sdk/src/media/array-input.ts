/**
 * Reads an n-dimensional array a user hands to a media type — nested number arrays, `{ data,
 * shape }` with a typed array or numbers, or a tensor-like with `shape` and `dataSync()`
 * (TensorFlow.js) — into its shape and a COPY of its values (the caller may reuse its buffer
 * right after log()). Uint8 data stays uint8 (one memcpy); other data is copied as floats in one
 * pass that also finds NaN/±Infinity and the range, which the media rules need.
 */
import { InvalidDataError } from "@stepwise/protocol";
import { takeArray } from "./pixel-buffers.js";

export interface ArrayInput {
  shape: number[];
  /** The values, row-major, copied. */
  values: Uint8Array | Float32Array | Float64Array;
  /** Range of the values (uint8: not computed, 0 and 255). */
  min: number;
  max: number;
}

export type ShapedSource =
  | readonly unknown[]
  | { data: ArrayLike<number>; shape: readonly number[] }
  | { shape: readonly number[]; dataSync(): ArrayLike<number> };

/** Whether `source` looks like an array input (not a path, not encoded bytes). */
export function isShapedSource(source: unknown): source is ShapedSource {
  if (Array.isArray(source)) return true;
  if (typeof source !== "object" || source === null || ArrayBuffer.isView(source)) return false;
  const candidate = source as { shape?: unknown; data?: unknown; dataSync?: unknown };
  return (
    Array.isArray(candidate.shape) &&
    (candidate.data !== undefined || typeof candidate.dataSync === "function")
  );
}

/** `what` names the value in messages (`Image at key "x"`); `finite`: refuse NaN/±Infinity. */
export function readArray(source: ShapedSource, what: string, finite = true): ArrayInput {
  if (Array.isArray(source)) return readNested(source, what, finite);
  const shaped = source as { data?: unknown; shape: readonly number[]; dataSync?: () => ArrayLike<number> };
  const data = typeof shaped.dataSync === "function" ? shaped.dataSync() : shaped.data;
  const shape = [...shaped.shape];
  if (!shape.every((n) => Number.isSafeInteger(n) && n >= 0))
    throw new InvalidDataError(`${what}: shape must be non-negative integers, got [${shape.join(", ")}]`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (!isArrayLike(data))
    throw new InvalidDataError(`${what}: data must be a typed array or an array of numbers`);
  if (data.length !== count)
    throw new InvalidDataError(
      `${what}: shape [${shape.join(", ")}] needs ${count} values, data has ${data.length}; give the shape of the data`,
    );
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) {
    const values = takeArray(data.length, uint8Array);
    values.set(data);
    return { shape, values, min: 0, max: 255 };
  }
  const values =
    data instanceof Float32Array
      ? takeArray(data.length * 4, float32Array)
      : takeArray(data.length * 8, float64Array);
  const range = copyChecked(data, values, what, finite);
  return { shape, values, ...range };
}

const uint8Array = (buffer: ArrayBufferLike): Uint8Array => new Uint8Array(buffer);
const float32Array = (buffer: ArrayBufferLike): Float32Array => new Float32Array(buffer);
const float64Array = (buffer: ArrayBufferLike): Float64Array => new Float64Array(buffer);

function isArrayLike(data: unknown): data is ArrayLike<number> {
  return Array.isArray(data) || (ArrayBuffer.isView(data) && !(data instanceof DataView));
}

function copyChecked(
  from: ArrayLike<unknown>,
  to: Float32Array | Float64Array,
  what: string,
  finite: boolean,
): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < from.length; i++) {
    const raw = from[i];
    const x = typeof raw === "number" ? raw : typeof raw === "bigint" ? Number(raw) : NaN;
    if (typeof raw !== "number" && typeof raw !== "bigint")
      throw new InvalidDataError(`${what}: value ${i} is not a number; give numbers only`);
    to[i] = x;
    if (x - x !== 0) {
      if (finite)
        throw new InvalidDataError(
          `${what}: value ${i} is ${String(x)}; media hold finite numbers only — replace NaN/Infinity (e.g. with 0) before logging`,
        );
      continue;
    }
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return from.length === 0 ? { min: 0, max: 0 } : { min, max };
}

function readNested(source: readonly unknown[], what: string, finite: boolean): ArrayInput {
  const shape: number[] = [];
  for (
    let level: unknown = source;
    Array.isArray(level) || isArrayLike(level);
    level = (level as ArrayLike<unknown>)[0]
  ) {
    const length = (level as ArrayLike<unknown>).length;
    shape.push(length);
    if (length === 0) break;
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const flat = new Float64Array(count);
  let at = 0;
  const walk = (node: unknown, depth: number, where: string): void => {
    if (depth === shape.length) {
      flat[at++] = typeof node === "number" ? node : NaN;
      if (typeof node !== "number")
        throw new InvalidDataError(`${what}: ${where} is not a number; give nested arrays of numbers`);
      return;
    }
    if (!isArrayLike(node) || node.length !== shape[depth])
      throw new InvalidDataError(
        `${what}: ${where} should be an array of ${shape[depth]} (the shape is [${shape.join(", ")}]); every row must have the same length`,
      );
    for (let i = 0; i < node.length; i++) walk(node[i], depth + 1, `${where}[${i}]`);
  };
  walk(source, 0, "value");
  const range = copyChecked(flat, flat, what, finite);
  return { shape, values: flat, ...range };
}

/** Drops dimensions of size 1 (numpy's squeeze), keeping at least `keep` dimensions. */
export function squeeze(shape: readonly number[], keep: number): number[] {
  const out = shape.filter((n) => n !== 1);
  while (out.length < keep) out.unshift(1);
  return out;
}
