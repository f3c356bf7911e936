/**
 * Config and summary as table rows: nested objects become dotted keys (`{ opt: { lr } }` →
 * `opt.lr`, an aggregated summary `{ loss: { min, max } }` → `loss.min`, `loss.max`), arrays and
 * media references stay whole values, and each value gets a compact cell text plus its exact
 * form for the cell's title.
 */
import { appendDottedSegment } from "@stepwise/protocol";

export interface FlatRow {
  /** Dotted path; a literal dot inside a key is written `\.` (the filter and sort syntax). */
  key: string;
  /** The path's segments, unescaped. */
  segments: string[];
  value: unknown;
  /** A nested object cut at the depth limit: the table offers to expand it (`expanded` in flattenValues). */
  expandable?: boolean;
}

/** Nesting deeper than this is shown as JSON in one row rather than as ever longer keys. */
export const MAX_FLATTEN_DEPTH = 6;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A logged media value (`{ _type: "image-file", … }`), shown by its type, not expanded. */
export function mediaType(value: unknown): string | null {
  if (!isPlainObject(value)) return null;
  const type = value["_type"];
  return typeof type === "string" && type.length > 0 ? type : null;
}

/**
 * Every leaf of `values` as a row, sorted by path (see `compareSegments`). Nesting is expanded
 * `maxDepth` levels; a deeper object stays one row marked `expandable`, and the keys in
 * `expanded` open `maxDepth` more levels each, so a config nested 100 deep (or a stored legacy
 * one nested thousands deep) costs the page what the user opens, never the whole depth at once.
 */
export function flattenValues(
  values: Record<string, unknown>,
  maxDepth = MAX_FLATTEN_DEPTH,
  expanded: ReadonlySet<string> = new Set(),
): FlatRow[] {
  const rows: FlatRow[] = [];
  // Iterative: a stored value may nest deeper than the browser's call stack.
  const stack: Array<{ value: Record<string, unknown>; key: string; segments: string[]; level: number }> = [
    { value: values, key: "", segments: [], level: 0 },
  ];
  while (stack.length > 0) {
    const { value, key, segments, level } = stack.pop() as (typeof stack)[number];
    for (const [name, child] of Object.entries(value)) {
      const childKey = appendDottedSegment(key, name);
      const childSegments = [...segments, name];
      const nested = isPlainObject(child) && mediaType(child) === null && Object.keys(child).length > 0;
      if (nested && level + 1 < maxDepth)
        stack.push({ value: child, key: childKey, segments: childSegments, level: level + 1 });
      else if (nested && expanded.has(childKey))
        stack.push({ value: child, key: childKey, segments: childSegments, level: 0 });
      else if (nested) rows.push({ key: childKey, segments: childSegments, value: child, expandable: true });
      else rows.push({ key: childKey, segments: childSegments, value: child });
    }
  }
  return rows.sort((a, b) => compareSegments(a.segments, b.segments));
}

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "variant" });

/**
 * Path order: segment by segment, numbers in names compared as numbers (`layer2` < `layer10`),
 * keys starting with `_` (`_step`, `_runtime`) after the others, a parent's rows kept together.
 */
export function compareSegments(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x === y) continue;
    const hiddenX = x.startsWith("_");
    const hiddenY = y.startsWith("_");
    if (hiddenX !== hiddenY) return hiddenX ? 1 : -1;
    return collator.compare(x, y) || (x < y ? -1 : 1);
  }
  return a.length - b.length;
}

export type CellKind = "number" | "string" | "boolean" | "null" | "json" | "media" | "missing";

export interface CellText {
  text: string;
  /** The exact value, for the cell's title (hover). */
  title: string;
  kind: CellKind;
}

/** Longest cell text before it is cut with `…` (the title keeps all of it). */
export const MAX_CELL_CHARS = 120;

/** The cell text of one value; `undefined` is a missing value (`–`). */
export function formatCell(value: unknown): CellText {
  if (value === undefined) return { text: "–", title: "not set", kind: "missing" };
  if (value === null) return { text: "null", title: "null", kind: "null" };
  if (typeof value === "number") return { text: formatNumber(value), title: String(value), kind: "number" };
  if (typeof value === "boolean") return { text: String(value), title: String(value), kind: "boolean" };
  if (typeof value === "string") {
    return { text: value === "" ? '""' : cut(value), title: value, kind: "string" };
  }
  const json = toJson(value);
  const media = mediaType(value);
  if (media !== null) return { text: media, title: json, kind: "media" };
  return { text: cut(json), title: json, kind: "json" };
}

/**
 * A number in at most about six characters of precision: integers exactly, others to five
 * significant digits, very large or very small ones in exponent form (`1.235e-7`).
 */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
  const abs = Math.abs(n);
  if (Number.isInteger(n) && abs < 1e15) return String(n);
  if (abs >= 1e15 || abs < 1e-4) return exponent(n);
  if (abs >= 1e5) return String(Math.round(n));
  return String(Number(n.toPrecision(5)));
}

function exponent(n: number): string {
  const [mantissa = "", power = ""] = n.toExponential(3).split("e");
  const trimmed = mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa;
  return `${trimmed}e${power.replace(/^\+/, "")}`;
}

function cut(text: string): string {
  return text.length > MAX_CELL_CHARS ? `${text.slice(0, MAX_CELL_CHARS - 1)}…` : text;
}

/** Levels of a value written out in a cell's JSON; deeper ones are shown as `{…}` / `[…]`. */
export const MAX_JSON_DEPTH = 20;

/**
 * JSON that keeps NaN and ±Infinity readable (plain JSON would print them as null), written out
 * `maxDepth` levels deep, so that a value nested thousands of levels deep (stored before the
 * server bounded nesting) neither overflows the stack nor fills the page.
 */
export function toJson(value: unknown, maxDepth = MAX_JSON_DEPTH): string {
  if (typeof value === "number") {
    return Number.isFinite(value) ? String(value) : formatNumber(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) {
    if (maxDepth <= 0) return value.length === 0 ? "[]" : "[…]";
    return `[${value.map((v) => toJson(v ?? null, maxDepth - 1)).join(",")}]`;
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (maxDepth <= 0) return entries.length === 0 ? "{}" : "{…}";
    const members = entries.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v, maxDepth - 1)}`);
    return `{${members.join(",")}}`;
  }
  return JSON.stringify(value) ?? String(value);
}

/** Rows whose key or cell text contains `query` (case-insensitive); all rows for `""`. */
export function filterRows<T extends FlatRow>(rows: readonly T[], query: string): T[] {
  const q = query.trim().toLowerCase();
  if (q === "") return [...rows];
  return rows.filter(
    (row) => row.key.toLowerCase().includes(q) || formatCell(row.value).text.toLowerCase().includes(q),
  );
}
