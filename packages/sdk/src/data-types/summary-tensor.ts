/**
 * Arrays in the summary (the seed: "the whole tensor is saved to a binary file and high-level
 * metrics to the summary"; W&B does it for numpy and torch arrays of more than 32 elements).
 * A typed array, a rectangular nested array of numbers or a tensor-like (`shape` and
 * `dataSync()`) with more than 32 elements set in the summary is stored whole as a NumPy file
 * `media/tensors/<key>_summary_<sha256[:20]>.npy`, and the summary keeps
 * `{"_type":"tensor","sha256","size" (file bytes),"path","dtype","shape","count","min","max",
 * "mean","std","var","5%",…,"95%"}` (statistics over the finite elements; `nonFinite` counts
 * the others when there are any). 32 elements or fewer stay a JSON list.
 */
import { InvalidDataError } from "@stepwise/protocol";
import { fileFields, TO_LOGGED, type Loggable, type LoggedValue } from "../media/logged-value.js";
import { descrOf, dtypeName, npyBytes } from "./npy-file.js";
import { tensorStats } from "./tensor-stats.js";

/** W&B keeps arrays of at most 32 elements as lists. */
export const MAX_LIST_ELEMENTS = 32;

interface TensorData {
  data: ArrayBufferView & ArrayLike<number | bigint>;
  shape: number[];
}

/**
 * The summary's form of `value` when it is an array to store as a file, else null. A
 * tensor-like whose shape does not describe its data is an InvalidDataError naming `key`.
 */
export function summaryTensorOf(value: unknown, key = "(value)"): Loggable | null {
  const tensor = tensorDataOf(value, key);
  if (tensor === null || tensor.data.length <= MAX_LIST_ELEMENTS) return null;
  const descr = descrOf(tensor.data);
  if (descr === null) return null;
  const bytes = npyBytes(tensor.data, descr, tensor.shape);
  const numbers =
    typeof tensor.data[0] === "bigint"
      ? Float64Array.from(tensor.data as ArrayLike<bigint>, Number)
      : (tensor.data as ArrayLike<number>);
  const { stats, nonFinite } = tensorStats(numbers);
  const fields: Record<string, unknown> = {
    _type: "tensor",
    dtype: dtypeName(descr),
    shape: tensor.shape,
    count: tensor.data.length,
    ...(stats === null
      ? { min: null, max: null, mean: null, std: null, var: null }
      : {
          min: stats.min,
          max: stats.max,
          mean: stats.mean,
          std: stats.std,
          var: stats.var,
          ...stats.percentiles,
        }),
    ...(nonFinite > 0 ? { nonFinite } : {}),
  };
  const logged: LoggedValue = {
    json: fileFields(0, fields),
    files: [{ dir: "media/tensors", ext: ".npy", content: { kind: "bytes", bytes } }],
  };
  return { [TO_LOGGED]: () => logged };
}

function tensorDataOf(value: unknown, key: string): TensorData | null {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const data = value as ArrayBufferView & ArrayLike<number>;
    return { data, shape: [data.length] };
  }
  if (Array.isArray(value)) return nestedNumbers(value);
  if (typeof value === "object" && value !== null) {
    const tensor = value as { shape?: unknown; dataSync?: unknown };
    if (Array.isArray(tensor.shape) && typeof tensor.dataSync === "function") {
      const data = (tensor.dataSync as () => unknown).call(value);
      if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
        const values = data as ArrayBufferView & ArrayLike<number>;
        return { data: values, shape: checkedShape(tensor.shape as unknown[], values.length, key) };
      }
    }
  }
  return null;
}

/** A rectangular nested array of numbers as float64 with its shape; null otherwise. */
function nestedNumbers(value: unknown[]): TensorData | null {
  const shape: number[] = [];
  let level: unknown = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  if (typeof level !== "number") return null;
  const count = shape.reduce((a, b) => a * b, 1);
  if (count <= MAX_LIST_ELEMENTS) return null;
  const data = new Float64Array(count);
  let at = 0;
  const fill = (items: unknown, depth: number): boolean => {
    if (!Array.isArray(items) || items.length !== shape[depth]) return false;
    if (depth === shape.length - 1) {
      for (const x of items) {
        if (typeof x !== "number") return false;
        data[at++] = x;
      }
      return true;
    }
    return items.every((item) => fill(item, depth + 1));
  };
  return fill(value, 0) ? { data, shape } : null;
}

/** A tensor-like's shape: whole numbers ≥ 0 whose product is the number of values. */
function checkedShape(shape: unknown[], length: number, key: string): number[] {
  const fix =
    "give whole dimensions ≥ 0 whose product is the number of values (reshape the tensor or fix its shape)";
  const shown = `[${shape.map((d) => String(d)).join(", ")}]`;
  if (!shape.every((d): d is number => typeof d === "number" && Number.isSafeInteger(d) && d >= 0))
    throw new InvalidDataError(`summary: the tensor at key "${key}" has the shape ${shown}; ${fix}`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== length)
    throw new InvalidDataError(
      `summary: the tensor at key "${key}" has the shape ${shown} (${count} values) but holds ${length} values; ${fix}`,
    );
  return shape;
}
