/**
 * A history row as a flat record: nested namespaces become dotted names (`{"train": {"loss": 1}}`
 * → `train.loss`), leaves are kept as they are, and the column order puts `_step` first and
 * `_runtime`, `_timestamp` last, as the CLI's local export does.
 */
import { parseExtended } from "@stepwise/protocol";

export function flattenRowText(text: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const row = parseExtended(text);
  if (isNested(row)) addFlattened(row, "", out);
  return out;
}

/**
 * Calls `visit` for each leaf of a row in the order `flattenRowText` gives them (without the
 * Map: the writers put values straight into their cells).
 */
export function forEachLeaf(row: unknown, visit: (name: string, value: unknown) => void): void {
  if (isNested(row)) visitLeaves(row, "", visit);
}

function visitLeaves(
  value: Record<string, unknown>,
  prefix: string,
  visit: (name: string, value: unknown) => void,
): void {
  for (const key in value) {
    const member = value[key];
    const name = prefix + key;
    if (isNested(member)) visitLeaves(member, `${name}.`, visit);
    else if (member !== undefined) visit(name, member);
  }
}

function addFlattened(value: Record<string, unknown>, prefix: string, out: Map<string, unknown>): void {
  for (const key in value) {
    const member = value[key];
    const name = prefix + key;
    if (isNested(member)) addFlattened(member, `${name}.`, out);
    else if (member !== undefined) out.set(name, member);
  }
}

/** A plain namespace object; data-type objects (`_type`) and arrays are leaves. */
function isNested(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !("_type" in value);
}

const TRAILING = ["_runtime", "_timestamp"];

/** Orders the columns seen: `_step`, the user's names in first-seen order, then `_runtime`, `_timestamp`. */
export function orderColumns(seen: Iterable<string>): string[] {
  const names = new Set(seen);
  const user = [...names].filter((name) => name !== "_step" && !TRAILING.includes(name));
  return ["_step", ...user, ...TRAILING.filter((name) => names.has(name))];
}
