/**
 * Fills the file markers of a data type's JSON (logged-value.ts) once its files are written:
 * `FileFields` → the object with `sha256`, `size` and `path` added; `FilePath` → the path.
 */
import { FileFields, FilePath } from "./logged-value.js";

export interface WrittenFile {
  /** Path in the run: `<dir>/<key>_<step>_<sha256[:20]><ext>`. */
  path: string;
  sha256: string;
  size: number;
}

export function fillTemplate(json: unknown, files: readonly WrittenFile[]): unknown {
  if (json instanceof FileFields) {
    const file = fileAt(files, json.index);
    const out: Record<string, unknown> = {};
    const fields = json.fields;
    if (fields["_type"] !== undefined) out["_type"] = fields["_type"];
    out["sha256"] = file.sha256;
    out["size"] = file.size;
    out["path"] = file.path;
    // Plain loops (no Object.entries/rest copies): this runs for every logged media value.
    for (const key in fields) if (key !== "_type") out[key] = fillTemplate(fields[key], files);
    return out;
  }
  if (json instanceof FilePath) {
    const path = fileAt(files, json.index).path;
    return json.relativeTo !== "" && path.startsWith(json.relativeTo)
      ? path.slice(json.relativeTo.length)
      : path;
  }
  if (typeof json !== "object" || json === null) return json;
  if (Array.isArray(json)) return json.map((item) => fillTemplate(item, files));
  const out: Record<string, unknown> = {};
  const object = json as Record<string, unknown>;
  for (const key in object) out[key] = fillTemplate(object[key], files);
  return out;
}

function fileAt(files: readonly WrittenFile[], index: number): WrittenFile {
  const file = files[index];
  if (file === undefined) throw new Error(`a data type named file ${index} but has ${files.length} files`);
  return file;
}

/**
 * The name W&B gives a media file's key (reference §8.0): leading `/` stripped, path segments
 * `.`/`..` (and empty ones, which a run file path cannot have) replaced by `_`/`__`/`_`.
 */
export function safeMediaKey(key: string): string {
  // The usual key (no `/`, not `.`/`..`/empty) is already safe: no copies per logged file.
  if (key !== "" && key !== "." && key !== ".." && !key.includes("/")) return key;
  return key
    .replace(/^\/+/, "")
    .split("/")
    .map((segment) => (segment === "." || segment === "" ? "_" : segment === ".." ? "__" : segment))
    .join("/");
}

/** `<dir>/<key>_<step>_<sha256[:20]><ext>`; `step` is the row's step or "summary". */
export function mediaFilePath(
  dir: string,
  key: string,
  step: number | "summary",
  sha256: string,
  ext: string,
): string {
  return `${dir}/${safeMediaKey(key)}_${step}_${sha256.slice(0, 20)}${ext}`;
}
