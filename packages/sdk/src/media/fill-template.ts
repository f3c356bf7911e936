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
    const { _type, ...rest } = json.fields;
    if (_type !== undefined) out["_type"] = _type;
    out["sha256"] = file.sha256;
    out["size"] = file.size;
    out["path"] = file.path;
    for (const [key, value] of Object.entries(rest)) out[key] = fillTemplate(value, files);
    return out;
  }
  if (json instanceof FilePath) {
    const path = fileAt(files, json.index).path;
    return json.relativeTo !== "" && path.startsWith(json.relativeTo)
      ? path.slice(json.relativeTo.length)
      : path;
  }
  if (Array.isArray(json)) return json.map((item) => fillTemplate(item, files));
  if (typeof json === "object" && json !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(json)) out[key] = fillTemplate(value, files);
    return out;
  }
  return json;
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
