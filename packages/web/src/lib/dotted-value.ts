/**
 * Reading a value out of a run's config or summary by the dotted path the server uses
 * (`opt.lr`, `val/acc`, `a\.b` for the key "a.b"), so that a column, a sort and a filter on the
 * same path always mean the same key.
 */
import { splitDottedPath } from "@stepwise/protocol";

/** The value at `path`, or undefined when a segment is missing or crosses a non-object. */
export function readDottedValue(record: Record<string, unknown>, path: string): unknown {
  let current: unknown = record;
  for (const segment of splitDottedPath(path)) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** `config.opt.lr` → `{ source: "config", path: "opt.lr" }`; null for anything else. */
export function splitValueColumn(column: string): { source: "config" | "summary"; path: string } | null {
  const dot = column.indexOf(".");
  if (dot === -1) return null;
  const source = column.slice(0, dot);
  const path = column.slice(dot + 1);
  if ((source !== "config" && source !== "summary") || path === "") return null;
  return { source, path };
}
