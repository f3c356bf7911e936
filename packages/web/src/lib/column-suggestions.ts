/**
 * What the "add column" and "group by" pickers offer: every leaf key in the loaded runs' config
 * and summary, as dotted column ids (`config.opt.lr`, `summary.val/acc`, `summary.loss.min`).
 * Logged media (`{ _type: … }`) and arrays are leaves; keys starting with `_` come last.
 */
import { appendDottedSegment, type RunDto } from "@stepwise/protocol";
import { splitValueColumn } from "./dotted-value.js";

/** Deeper nesting than this is not something anyone adds as a column. */
const MAX_DEPTH = 6;

export function columnSuggestions(
  runs: readonly RunDto[],
  sources: readonly ("config" | "summary")[],
): string[] {
  const found = new Set<string>();
  for (const source of sources) {
    const paths = new Set<string>();
    for (const run of runs) collectLeaves(run[source], "", 0, paths);
    for (const path of [...paths].sort(comparePaths)) found.add(`${source}.${path}`);
  }
  return [...found];
}

function collectLeaves(
  value: Record<string, unknown>,
  prefix: string,
  depth: number,
  out: Set<string>,
): void {
  for (const [key, child] of Object.entries(value)) {
    const path = appendDottedSegment(prefix, key);
    if (isBranch(child) && depth < MAX_DEPTH) collectLeaves(child, path, depth + 1, out);
    else out.add(path);
  }
}

function isBranch(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    typeof (value as Record<string, unknown>)._type !== "string" &&
    Object.keys(value).length > 0
  );
}

function comparePaths(a: string, b: string): number {
  const hiddenA = a.startsWith("_");
  const hiddenB = b.startsWith("_");
  if (hiddenA !== hiddenB) return hiddenA ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What the add-column box adds: `config.lr` as typed; `lr` → the one suggestion it names; else null. */
export function resolveColumnInput(text: string, suggestions: readonly string[]): string | null {
  if (text === "") return null;
  if (splitValueColumn(text) !== null) return text;
  const matches = suggestions.filter((option) => option === `config.${text}` || option === `summary.${text}`);
  return matches.length === 1 ? (matches[0] as string) : null;
}
