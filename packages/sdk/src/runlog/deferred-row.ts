/**
 * A history row whose media files are still being made, put in the ring at `log()` as one
 * deferred frame (ring-layout.ts KIND_DEFERRED): the row's JSON with holes where a file's sha256,
 * size and path go, and the result slots (media-results.ts) that fill them. The writer worker
 * expands it once the media threads have written the files — the training thread's event loop
 * need not turn — into the `file` records and then the row, exactly where the frame stands in
 * the ring, so rows logged after it never overtake it and are written right behind it.
 *
 * `expandDeferredRow` runs in the writer worker, serialised with `toString()`: it must not
 * reference anything outside its own body.
 */
import { stringifyExtended } from "@stepwise/protocol";
import { FileFields, FilePath, type LoggedFile } from "../media/logged-value.js";
import { safeMediaKey } from "../media/fill-template.js";
import type { PendingMedia } from "../media/pending-media.js";

/** A hole: [file index in `files`, 0 sha256 / 1 size / 2 path, the prefix cut off a path]. */
type Hole = [number, 0 | 1 | 2, string];
type Piece = string | Hole;

export interface DeferredRow {
  /** Per file: its result slot, and its path in the run before `<sha256[:20]><ext>`. */
  files: Array<{ slot: number; prefix: string; ext: string }>;
  /** Per member of the row: its pieces, and for a media value the indexes of its files. */
  members: Array<{ pieces: Piece[]; files: number[] | null }>;
  /** The run's files folder (a `file` record's local source). */
  filesDir: string;
}

/**
 * The deferred form of `row`, or null when it needs the media queue (a media value not directly
 * under a key of the row, a file written by the training thread, one already bound elsewhere).
 */
export function deferredRow(
  row: Record<string, unknown>,
  filesDir: string,
  slotsOf: (media: PendingMedia, key: string) => number[] | null,
  isMedia: (value: unknown) => value is PendingMedia,
): DeferredRow | null {
  const deferred: DeferredRow = { files: [], members: [], filesDir };
  const step = row["_step"];
  if (typeof step !== "number") return null;
  // Members without media in a row go as one piece of text (expandDeferredRow joins members
  // with commas): fewer strings made here, stringified and parsed again by the worker.
  let plain: string | null = null;
  for (const key in row) {
    const value = row[key];
    if (value === undefined) continue;
    const name = `${JSON.stringify(key)}:`;
    if (!isMedia(value)) {
      if (containsMedia(value, isMedia)) return null;
      const text = name + stringifyExtended(value);
      plain = plain === null ? text : `${plain},${text}`;
      continue;
    }
    if (plain !== null) {
      deferred.members.push({ pieces: [plain], files: null });
      plain = null;
    }
    const files: LoggedFile[] = value.logged.files;
    if (files.some((file) => file.content.kind === "filled-json")) return null;
    const slots = slotsOf(value, key);
    if (slots === null) return null;
    const base = deferred.files.length;
    const indexes: number[] = [];
    files.forEach((file, i) => {
      indexes.push(base + i);
      const prefix = `${file.dir}/${safeMediaKey(key)}_${step}_`;
      deferred.files.push({ slot: slots[i] as number, prefix, ext: file.ext });
    });
    deferred.members.push({ pieces: [name, ...mediaPieces(value.logged.json, base)], files: indexes });
  }
  if (plain !== null) deferred.members.push({ pieces: [plain], files: null });
  return deferred;
}

function containsMedia(value: unknown, isMedia: (value: unknown) => boolean): boolean {
  if (isMedia(value)) return true;
  if (typeof value !== "object" || value === null) return false;
  for (const member of Object.values(value as Record<string, unknown>))
    if (containsMedia(member, isMedia)) return true;
  return false;
}

/**
 * The last template made for a flat media JSON (one file whose fields are plain values, as an
 * image without masks or boxes has): a training loop logs the same fields every step, so the
 * pieces are made once and reused (never changed once made).
 */
let lastFlat: { base: number; fields: Record<string, unknown>; count: number; pieces: Piece[] } | null = null;

/** templatePieces of a media value's JSON, reusing the last flat one when its fields are equal. */
function mediaPieces(json: unknown, base: number): Piece[] {
  const flat = json instanceof FileFields ? flatFields(json.fields) : -1;
  const last = lastFlat;
  if (flat >= 0 && last !== null && last.base === base + (json as FileFields).index && last.count === flat) {
    const fields = (json as FileFields).fields;
    let same = true;
    for (const key in fields) if (fields[key] !== last.fields[key]) same = false;
    if (same) return last.pieces;
  }
  const pieces: Piece[] = [];
  templatePieces(json, base, pieces);
  if (flat >= 0)
    lastFlat = {
      base: base + (json as FileFields).index,
      fields: (json as FileFields).fields,
      count: flat,
      pieces,
    };
  return pieces;
}

/** How many fields `fields` has when each is a string, number or boolean; -1 otherwise. */
function flatFields(fields: Record<string, unknown>): number {
  let count = 0;
  for (const key in fields) {
    const type = typeof fields[key];
    if (type !== "string" && type !== "number" && type !== "boolean") return -1;
    count++;
  }
  return count;
}

/** Appends `piece` to `out`, text joined to the text before it (fewer pieces to stringify and parse). */
function put(out: Piece[], piece: Piece): void {
  const last = out.length - 1;
  if (typeof piece === "string" && last >= 0 && typeof out[last] === "string") out[last] += piece;
  else out.push(piece);
}

/** Like fillTemplate (media/fill-template.ts), as text with holes. */
function templatePieces(json: unknown, base: number, out: Piece[]): void {
  if (json instanceof FileFields) {
    const file = base + json.index;
    const fields = json.fields;
    put(out, "{");
    if (fields["_type"] !== undefined) put(out, `"_type":${JSON.stringify(fields["_type"])},`);
    put(out, '"sha256":');
    out.push([file, 0, ""], ',"size":', [file, 1, ""], ',"path":', [file, 2, ""]);
    for (const key in fields) {
      if (key === "_type" || fields[key] === undefined) continue;
      put(out, `,${JSON.stringify(key)}:`);
      templatePieces(fields[key], base, out);
    }
    put(out, "}");
    return;
  }
  if (json instanceof FilePath) {
    out.push([base + json.index, 2, json.relativeTo]);
    return;
  }
  if (typeof json !== "object" || json === null) {
    put(out, stringifyExtended(json));
    return;
  }
  if (Array.isArray(json)) {
    put(out, "[");
    json.forEach((item, i) => {
      if (i > 0) put(out, ",");
      templatePieces(item === undefined ? null : item, base, out);
    });
    put(out, "]");
    return;
  }
  put(out, "{");
  let first = true;
  const object = json as Record<string, unknown>;
  for (const key in object) {
    if (object[key] === undefined) continue;
    put(out, `${first ? "" : ","}${JSON.stringify(key)}:`);
    first = false;
    templatePieces(object[key], base, out);
  }
  put(out, "}");
}

/**
 * Writer worker: the records a deferred row stands for (its `file` records, then the row), or
 * null while a file is still being made and `giveUp` is false. A file that failed (or is still
 * not made when giving up) is left out with the value holding it, as the media queue does.
 * Result slot layout: media-results.ts (i32 state · i32 · f64 size · 32 bytes sha256).
 */
export function expandDeferredRow(
  text: string,
  states: Int32Array,
  results: Buffer,
  giveUp: boolean,
  now: number,
): string[] | null {
  const row = JSON.parse(text) as DeferredRow;
  const made: Array<{ path: string; sha256: string; size: number } | null> = [];
  for (const file of row.files) {
    const state = Atomics.load(states, file.slot * 64);
    if (state === 0 && !giveUp) return null;
    if (state !== 1) {
      made.push(null);
      continue;
    }
    const at = file.slot * 256;
    const sha256 = results.toString("hex", at + 16, at + 48);
    const size = results.readDoubleLE(at + 8);
    made.push({ path: `${file.prefix}${sha256.slice(0, 20)}${file.ext}`, sha256, size });
  }
  const out: string[] = [];
  for (const file of made) {
    if (file === null) continue;
    const { path, size, sha256 } = file;
    const source = { local: `${row.filesDir}/${path}` };
    out.push(JSON.stringify({ t: "file", path, source, size, sha256, policy: "now", time: now / 1000 }));
  }
  const members: string[] = [];
  for (const member of row.members) {
    if (member.files !== null && member.files.some((index) => made[index] === null)) continue;
    let member_ = "";
    for (const piece of member.pieces) {
      if (typeof piece === "string") {
        member_ += piece;
        continue;
      }
      const file = made[piece[0]] as { path: string; sha256: string; size: number };
      const path = file.path.startsWith(piece[2]) ? file.path.slice(piece[2].length) : file.path;
      member_ +=
        piece[1] === 0 ? `"${file.sha256}"` : piece[1] === 1 ? String(file.size) : JSON.stringify(path);
    }
    members.push(member_);
  }
  out.push(`{"t":"history","row":{${members.join(",")}}}`);
  return out;
}
