/**
 * Reads the numbers a user hands to a data type: `number[]` (nested arrays are flattened row by
 * row, as numpy does), typed arrays (bigint ones converted), `{ data, shape }` and tensor-likes
 * with `dataSync()` (TensorFlow.js). Anything else throws InvalidDataError naming `what` and
 * the element at fault.
 */
import { InvalidDataError } from "@stepwise/protocol";

/** What `numbersOf` accepts. */
export type NumericInput =
  | ArrayLike<number>
  | ArrayLike<bigint>
  | readonly unknown[]
  | { data: ArrayLike<number> | ArrayLike<bigint>; shape?: readonly number[] }
  | { dataSync(): ArrayLike<number> | ArrayLike<bigint> };

export function numbersOf(input: unknown, what: string): ArrayLike<number> {
  if (ArrayBuffer.isView(input) && !(input instanceof DataView)) {
    if (input instanceof BigInt64Array || input instanceof BigUint64Array)
      return Float64Array.from(input, (n) => Number(n));
    return input as unknown as ArrayLike<number>;
  }
  if (Array.isArray(input)) return flatArray(input, what);
  if (typeof input === "object" && input !== null) {
    const tensor = input as { dataSync?: unknown; data?: unknown };
    if (typeof tensor.dataSync === "function")
      return numbersOf((tensor.dataSync as () => unknown).call(input), what);
    if (tensor.data !== undefined && (ArrayBuffer.isView(tensor.data) || Array.isArray(tensor.data)))
      return numbersOf(tensor.data, what);
  }
  throw new InvalidDataError(
    `${what} must be an array of numbers, a typed array or a tensor (shape and dataSync()), got ${describe(input)}`,
  );
}

function flatArray(input: readonly unknown[], what: string): number[] {
  let flat = true;
  for (let i = 0; i < input.length; i++) {
    const x = input[i];
    if (typeof x === "number") continue;
    if (Array.isArray(x) || ArrayBuffer.isView(x)) {
      flat = false;
      continue;
    }
    if (typeof x === "bigint") {
      flat = false;
      continue;
    }
    throw new InvalidDataError(`${what}[${i}] is ${describe(x)}; give numbers only`);
  }
  if (flat) return input as number[];
  const out: number[] = [];
  pushAll(input, what, out);
  return out;
}

function pushAll(input: ArrayLike<unknown>, where: string, out: number[]): void {
  for (let i = 0; i < input.length; i++) {
    const x = input[i];
    if (typeof x === "number") out.push(x);
    else if (typeof x === "bigint") out.push(Number(x));
    else if (Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView)))
      pushAll(x as unknown as ArrayLike<unknown>, `${where}[${i}]`, out);
    else throw new InvalidDataError(`${where}[${i}] is ${describe(x)}; give numbers only`);
  }
}

/** Rows of a matrix (`number[][]`, an array of typed arrays, or `{ data, shape: [n, k] }`). */
export function matrixRows(input: unknown, what: string): Array<ArrayLike<number>> {
  if (typeof input === "object" && input !== null && !Array.isArray(input)) {
    const tensor = input as { shape?: unknown };
    const shape = tensor.shape;
    if (Array.isArray(shape) && shape.length === 2) {
      const flat = numbersOf(input, what);
      const [n, k] = shape as [number, number];
      if (flat.length !== n * k)
        throw new InvalidDataError(`${what}: shape [${n}, ${k}] needs ${n * k} numbers, got ${flat.length}`);
      const rows: Array<ArrayLike<number>> = [];
      for (let i = 0; i < n; i++) rows.push(Array.prototype.slice.call(flat, i * k, (i + 1) * k) as number[]);
      return rows;
    }
  }
  if (!Array.isArray(input))
    throw new InvalidDataError(
      `${what} must be an array of rows (one array of numbers per sample), got ${describe(input)}`,
    );
  return input.map((row, i) => numbersOf(row, `${what}[${i}]`));
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return `an object (${value.constructor?.name ?? "Object"})`;
  if (typeof value === "string") return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return `${typeof value} ${value.toString()}`;
  return typeof value;
}

/** `Array.isArray` that keeps the element type (it narrows a readonly array to `any[]`). */
export function isList<T>(value: readonly T[] | undefined | null): value is readonly T[] {
  return Array.isArray(value);
}
