/**
 * What a table cell shows: numbers compact (4 significant digits, the exact value on hover),
 * strings as they are, booleans and null as words, nested JSON as short JSON, and media (a
 * logged `{ _type: "image-file", path, … }` and its kin) as a reference to the run file, which
 * the grid draws as a thumbnail (images) or a link (other media).
 */
import { formatNumber } from "./cell-format.js";

export type CellView =
  | { kind: "empty" }
  | { kind: "text"; text: string; title: string; align: "left" | "right" }
  | { kind: "image"; path: string; caption: string | null }
  | { kind: "file"; path: string; type: string };

const MAX_TEXT = 200;

export function cellView(value: unknown): CellView {
  if (value === undefined) return { kind: "empty" };
  if (value === null) return { kind: "text", text: "null", title: "null", align: "left" };
  if (typeof value === "number")
    return { kind: "text", text: formatNumber(value), title: String(value), align: "right" };
  if (typeof value === "boolean")
    return { kind: "text", text: String(value), title: String(value), align: "left" };
  if (typeof value === "string") return { kind: "text", text: clip(value), title: value, align: "left" };
  const media = mediaRef(value);
  if (media !== null) return media;
  const json = JSON.stringify(value) ?? "";
  return { kind: "text", text: clip(json), title: json, align: "left" };
}

function mediaRef(value: unknown): CellView | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const type = record._type;
  const path = record.path;
  if (typeof type !== "string" || typeof path !== "string") return null;
  if (type === "image-file") {
    return { kind: "image", path, caption: typeof record.caption === "string" ? record.caption : null };
  }
  return { kind: "file", path, type };
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}
