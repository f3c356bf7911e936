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

/** Every leaf of `values` as a row, sorted by path (see `compareSegments`). */
export function flattenValues(values: Record<string, unknown>, maxDepth = MAX_FLATTEN_DEPTH): FlatRow[] {
  const rows: FlatRow[] = [];
  const walk = (value: Record<string, unknown>, key: string, segments: string[]): void => {
    for (const [name, child] of Object.entries(value)) {
      const childKey = appendDottedSegment(key, name);
      const childSegments = [...segments, name];
      const expand =
        isPlainObject(child) &&
        mediaType(child) === null &&
        Object.keys(child).length > 0 &&
        childSegments.length < maxDepth;
      if (expand) walk(child, childKey, childSegments);
      else rows.push({ key: childKey, segments: childSegments, value: child });
    }
  };
  walk(values, "", []);
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

/** JSON that keeps NaN and ±Infinity readable (plain JSON would print them as null). */
export function toJson(value: unknown): string {
  if (typeof value === "number") {
    return Number.isFinite(value) ? String(value) : formatNumber(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map((v) => toJson(v ?? null)).join(",")}]`;
  if (isPlainObject(value)) {
    const members = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`);
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
