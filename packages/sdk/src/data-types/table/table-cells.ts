/**
 * A table cell's kind and its stored form. Kinds are the column types the server stores
 * (protocol structured.ts): number, string, boolean, json (nested objects and arrays), media
 * (a media data type, with its `_type`), and null (a missing value, allowed in any column).
 * A column takes the kind of its first non-null cell; every later cell must have that kind.
 */
import { InvalidDataError } from "@stepwise/protocol";
import { normalizeValue, OMIT, type NormalizeOptions } from "../../values/normalize-value.js";
import { describeKey, isLoggable, loggedValueOf, type Loggable } from "../../media/logged-value.js";
import { Audio } from "../../media/audio.js";
import { Html } from "../../media/html.js";
import { Image } from "../../media/image.js";
import { Molecule } from "../../media/molecule.js";
import { Object3D } from "../../media/object3d.js";
import { Video } from "../../media/video.js";

export type CellKind = "number" | "string" | "boolean" | "json" | "media";

/** A column's type once it has a non-null cell. */
export interface ColumnKind {
  kind: CellKind;
  /** For media: the cells' `_type` (`image-file`, `audio-file`, …). */
  mediaType?: string;
  /** Row of the first non-null cell (named in errors). */
  firstRow: number;
}

const CELL_OPTIONS: NormalizeOptions = { context: "Table", nanToNull: false };

/** A cell's kind (null for a missing value) and the value kept for it. */
export function readCell(
  value: unknown,
  column: string,
  row: number,
): { kind: CellKind | null; media?: string; value: unknown } {
  switch (typeof value) {
    case "number":
      return { kind: "number", value };
    case "string":
      return { kind: "string", value };
    case "boolean":
      return { kind: "boolean", value };
    case "bigint":
      return { kind: "number", value: Number(value) };
    case "undefined":
      return { kind: null, value: null };
  }
  if (value === null) return { kind: null, value: null };
  if (value instanceof Date) {
    const iso = normalizeValue(value, [column], CELL_OPTIONS);
    return { kind: "string", value: iso };
  }
  if (isLoggable(value)) return loggableCell(value, column, row);
  const normalized = normalizeCell(value, column, row);
  return { kind: "json", value: normalized === OMIT ? null : normalized };
}

/**
 * A data type in a cell: one without files (a Histogram) is nested JSON; a media object is kept
 * as it is and read when the table is logged (table-file.ts), its type named by its class.
 */
function loggableCell(
  value: Loggable,
  column: string,
  row: number,
): { kind: CellKind; media?: string; value: unknown } {
  const media = MEDIA_TYPES.find(([type]) => value instanceof type)?.[1];
  if (media !== undefined) return { kind: "media", media, value };
  const logged = loggedValueOf(value, { context: "Table", path: [column], key: describeKey([column]) });
  if (logged.files.length === 0) return { kind: "json", value: normalizeCell(logged.json, column, row) };
  return { kind: "media", media: "media", value };
}

/** W&B's `_type` of each media class (what a column of them holds). */
const MEDIA_TYPES: ReadonlyArray<[new (...args: never[]) => Loggable, string]> = [
  [Image, "image-file"],
  [Audio, "audio-file"],
  [Video, "video-file"],
  [Html, "html-file"],
  [Molecule, "molecule-file"],
  [Object3D, "object3D-file"],
];

function normalizeCell(value: unknown, column: string, row: number): unknown {
  try {
    return normalizeValue(value, [column], CELL_OPTIONS);
  } catch (error) {
    if (error instanceof InvalidDataError)
      throw new InvalidDataError(
        `Table: row ${row}, column "${column}": ${error.message.replace(/^Table: /, "")}`,
      );
    throw error;
  }
}

/** A kind as a phrase: "numbers", "image-file media", … */
export function describeKind(kind: CellKind, mediaType?: string): string {
  switch (kind) {
    case "number":
      return "numbers";
    case "string":
      return "strings";
    case "boolean":
      return "booleans";
    case "json":
      return "nested JSON (objects or arrays)";
    case "media":
      return `${mediaType ?? "media"} media`;
  }
}

/** One cell of a kind: "a number", "an image-file media object", … */
function describeCell(kind: CellKind, mediaType?: string): string {
  if (kind === "json") return "nested JSON";
  if (kind === "media") {
    const type = mediaType ?? "media";
    return `${/^[aeiou]/i.test(type) ? "an" : "a"} ${type} media object`;
  }
  return `a ${kind}`;
}

/** Checks a cell against its column's kind (or sets the kind); throws naming column, row and fix. */
export function checkCell(
  kinds: Array<ColumnKind | null>,
  columns: readonly string[],
  index: number,
  row: number,
  cell: { kind: CellKind | null; media?: string },
): void {
  if (cell.kind === null) return;
  const current = kinds[index];
  if (current === undefined || current === null) {
    kinds[index] = {
      kind: cell.kind,
      firstRow: row,
      ...(cell.media !== undefined ? { mediaType: cell.media } : {}),
    };
    return;
  }
  if (current.kind === cell.kind && current.mediaType === cell.media) return;
  const column = columns[index] ?? String(index);
  throw new InvalidDataError(
    `Table: row ${row}, column "${column}" holds ${describeCell(cell.kind, cell.media)}, ` +
      `but the column holds ${describeKind(current.kind, current.mediaType)} (from row ${current.firstRow}). ` +
      "Convert the value to the column's type, put it in a column of its own, or use null for a missing value.",
  );
}
