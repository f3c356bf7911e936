/**
 * Explicit summary edits (`run.summary.set/update/delete` in the SDK) applied to a stored
 * summary: `set` writes a value at a key path (creating objects on the way), `remove` deletes it.
 */
import type { SummaryOp } from "@stepwise/protocol";
import { isPlainObject } from "./deep-merge.js";

export function applySummaryOps(
  summary: Record<string, unknown>,
  ops: readonly SummaryOp[],
): Record<string, unknown> {
  let out = summary;
  for (const op of ops) out = op.op === "set" ? setPath(out, op.path, op.value) : removePath(out, op.path);
  return out;
}

function setPath(
  obj: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return obj;
  if (rest.length === 0) return { ...obj, [head]: value };
  const child = obj[head];
  return { ...obj, [head]: setPath(isPlainObject(child) ? child : {}, rest, value) };
}

function removePath(obj: Record<string, unknown>, path: readonly string[]): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined || !(head in obj)) return obj;
  if (rest.length === 0) {
    const { [head]: _removed, ...kept } = obj;
    return kept;
  }
  const child = obj[head];
  return isPlainObject(child) ? { ...obj, [head]: removePath(child, rest) } : obj;
}
