/**
 * Flattens a history row's nested namespaces into dotted names, keeping the row's key order:
 * `{"train": {"loss": 1}}` → `train.loss`. Leaves are kept as they are.
 */
import { isNestedObject } from "./is-nested-object.js";

/**
 * A Map rather than an object so that names like "1" keep their place. An empty namespace
 * yields no name. If a literal dotted key and a nested path spell the same name, the later wins.
 */
export function flattenRow(row: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  addFlattened(row, "", out);
  return out;
}

function addFlattened(value: Record<string, unknown>, prefix: string, out: Map<string, unknown>): void {
  for (const key in value) {
    const member = value[key];
    const name = prefix + key;
    if (isNestedObject(member)) addFlattened(member, `${name}.`, out);
    else if (member !== undefined) out.set(name, member);
  }
}
