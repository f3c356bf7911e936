/**
 * A data type a user can log (Image, Audio, Video, Html, Molecule, Object3D; Histogram, Table and
 * plots beside them) and the shape of what `log()` and `summary` turn it into: the JSON W&B
 * writes into history for it (reference §8) and the files that JSON names.
 *
 * How a data type plugs in (nothing to register):
 * 1. Implement `Loggable`: a method under the `TO_LOGGED` symbol returning a `LoggedValue`. It
 *    runs synchronously inside `log()` / a summary write, on the training thread, so it only
 *    validates and COPIES what the user passed (they may change or delete it right after) and
 *    throws InvalidDataError naming `ctx.key` and the fix; nothing of the call is kept then.
 *    Encoding (PNG, GIF, WAV, video) is described by a `FileContent` and done off the thread.
 * 2. A value without files (Histogram) returns `{ json, files: [] }`: its JSON goes into the row
 *    as it is, at once.
 * 3. A value with files lists them in `files` and puts `fileFields(i, {...})` in its JSON where
 *    W&B has `sha256`/`size`/`path` (merged into that object), or `filePath(i)` where W&B has
 *    only the path (`filenames` of a list). Once file i is written as
 *    `<dir>/<key>_<step>_<sha256[:20]><ext>` (step `summary` for a summary value), the markers
 *    are replaced and the file goes through the run's durable file channel (`file` record).
 * 4. A list of items of one class becomes ONE value when the class implements `TO_LOGGED_LIST`
 *    (W&B's batchable media: `images/separated`, `audio`, `videos`…); otherwise each item is
 *    logged on its own, as a JSON list.
 * 5. `config` entries are written into the run config once per run, under the key the value
 *    is bound to (W&B keeps class labels in
 *    `_wandb["mask/class_labels"]` and `_wandb["bounding_box/class_labels"]`).
 * values/normalize-value.ts calls `loggedValueOf` for every Loggable it meets; the run log
 * writer (runlog/media-queue.ts) writes the files and fills the markers in order.
 */
import { InvalidDataError } from "@stepwise/protocol";

export const TO_LOGGED: unique symbol = Symbol.for("stepwise.toLogged");
export const TO_LOGGED_LIST: unique symbol = Symbol.for("stepwise.toLoggedList");

export interface LogContext {
  /** Who is asking, for messages: "log()" or "summary". */
  context: string;
  /** The key path of the value in the logged dict, e.g. ["val", "samples"]. */
  path: readonly string[];
  /** `key "val.samples"`: what an error message names. */
  key: string;
}

export interface Loggable {
  [TO_LOGGED](ctx: LogContext): LoggedValue;
  /** Optional: the value of a list whose items are all of this class (called on the first). */
  [TO_LOGGED_LIST]?(items: readonly Loggable[], ctx: LogContext): LoggedValue;
}

/** How a file's bytes come to be; everything but `bytes` and `copy` is encoded off the training thread. */
export type FileContent =
  /** Written as is (JSON text, encoded PNG/JPEG bytes, HTML…). */
  | { kind: "bytes"; bytes: Uint8Array }
  /** A copy of the user's file, made at log() time (so deleting the original after log() is safe). */
  | { kind: "copy"; local: string }
  /** Pixels row-major, `channels` per pixel; floats are scaled by `scale` (image-pixels.ts). */
  | {
      kind: "png";
      width: number;
      height: number;
      channels: 1 | 2 | 3 | 4;
      pixels: Uint8Array | Float32Array | Float64Array;
      scale: PixelScale;
    }
  /** Frames `[t][h][w][c]` (c = 1, 3 or 4) as uint8, encoded as a looping GIF, or by ffmpeg. */
  | {
      kind: "video";
      format: "gif" | "mp4" | "webm" | "ogg";
      frames: number;
      width: number;
      height: number;
      channels: 1 | 3 | 4;
      pixels: Uint8Array;
      fps: number;
    }
  /**
   * A point cloud `[n][columns]` (3: xyz, 4: xyz + category, 6: xyz + rgb), written as W&B's JSON
   * list of rows; with `scene`, W&B's `lidar/beta` scene object around it.
   */
  | {
      kind: "points";
      columns: 3 | 4 | 6;
      values: Float64Array;
      scene: { boxes: unknown[]; vectors: unknown[] } | null;
    }
  /** Interleaved samples in [-1, 1], written as 16-bit PCM WAV. */
  | { kind: "wav"; sampleRate: number; channels: number; samples: Float32Array }
  /**
   * JSON (extended: NaN/±Infinity kept) of `template` once the value's EARLIER files are written,
   * their markers filled (a Table naming its media cells' files). Written by the media queue on
   * the training thread after those files (media/filled-json-file.ts), never by the worker.
   */
  | { kind: "filled-json"; template: unknown };

/**
 * W&B's normalisation of array pixels (reference §8.1): `unit` all in [0,1] → ×255; `signed`
 * all in [−1,1] → 255·(x+1)/2; `clip` clip to [0,255]; `cast` plain truncation (normalize off);
 * all truncate toward zero into uint8. `none`: the pixels are uint8 already; `auto`: uint8 pixels
 * whose range is found off the thread (all 0/1 → `unit`, as W&B turns 0/1 masks into 0/255).
 */
export type PixelScale = "none" | "auto" | "unit" | "signed" | "clip" | "cast";

/**
 * One file of a logged value. Its content's buffer is handed to the media worker (transferred,
 * so it is no longer readable here) when the array spans the whole buffer: allocate it for this
 * value alone, never hand over the caller's own array.
 */
export interface LoggedFile {
  /** Folder in the run, e.g. "media/images". */
  dir: string;
  /** Extension with its dot, e.g. ".png", ".boxes2D.json". */
  ext: string;
  content: FileContent;
}

export interface LoggedValue {
  /** W&B's JSON for the value, with `FileFields`/`FilePath` markers for its files. */
  json: unknown;
  files: LoggedFile[];
  /**
   * Written into the run config once per run: the path under the config root for the key the
   * value is bound to (the history key, or the dotted summary path), and the value there.
   */
  config?: ConfigEntry[];
  /** Printed once each by the run (W&B's warnings, e.g. pixel values clipped to 0–255). */
  warnings?: string[];
}

/** A value kept in the run config: where (under the config root) and what, for the key the value is bound to. */
export interface ConfigEntry {
  path: (key: string) => string[];
  value: unknown;
  /** When the value depends on the key (wins over `value`). */
  valueFor?: (key: string) => unknown;
}

/** Marker: this object plus file i's `sha256`, `size` and `path`. */
export class FileFields {
  constructor(
    readonly index: number,
    readonly fields: Record<string, unknown>,
  ) {}
}

/** Marker: file i's path in the run; `relativeTo` (e.g. "media/object3D/") is cut off its front. */
export class FilePath {
  constructor(
    readonly index: number,
    readonly relativeTo = "",
  ) {}
}

export function fileFields(index: number, fields: Record<string, unknown>): FileFields {
  return new FileFields(index, fields);
}

export function filePath(index: number, relativeTo = ""): FilePath {
  return new FilePath(index, relativeTo);
}

export function isLoggable(value: unknown): value is Loggable {
  return typeof value === "object" && value !== null && TO_LOGGED in value;
}

/** A list that is logged as one value: non-empty, every item of the first item's class, which batches. */
export function isLoggableList(items: readonly unknown[]): items is Loggable[] {
  const first = items[0];
  if (!isLoggable(first) || first[TO_LOGGED_LIST] === undefined) return false;
  const kind = Object.getPrototypeOf(first) as unknown;
  return items.every((item) => isLoggable(item) && Object.getPrototypeOf(item) === kind);
}

/** Calls the data type and checks what it returned (a data type bug must not corrupt a row). */
export function loggedValueOf(value: Loggable | Loggable[], ctx: LogContext): LoggedValue {
  const logged = Array.isArray(value)
    ? (value[0] as Loggable)[TO_LOGGED_LIST]?.(value, ctx)
    : value[TO_LOGGED](ctx);
  if (logged === undefined || !Array.isArray(logged.files))
    throw new InvalidDataError(`${ctx.context}: the value at ${ctx.key} is not a loggable data type`);
  return logged;
}

/** `key "a.b"` for messages. */
export function describeKey(path: readonly string[]): string {
  return `key "${path.join(".")}"`;
}
