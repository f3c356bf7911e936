/**
 * A data type as log() would write it, in-process: its JSON with the markers filled and its files'
 * bytes by run path, through the same encoders the media worker runs. Tests decode the bytes
 * with independent decoders (fast-png's decoder, a WAV reader) and compare with what was logged.
 */
import { createHash } from "node:crypto";
import { encodeFileContent } from "../../src/media/encode/encode-file.js";
import { fillTemplate, mediaFilePath, type WrittenFile } from "../../src/media/fill-template.js";
import { loggedValueOf, type Loggable, type LoggedValue } from "../../src/media/logged-value.js";

export interface Materialized {
  json: Record<string, unknown>;
  files: Map<string, Buffer>;
  logged: LoggedValue;
}

export function materialize(
  value: Loggable | Loggable[],
  key = "k",
  step: number | "summary" = 0,
): Materialized {
  const logged = loggedValueOf(value, { context: "log()", path: [key], key: `key "${key}"` });
  const files = new Map<string, Buffer>();
  const written: WrittenFile[] = logged.files.map((file) => {
    const bytes = Buffer.from(encodeFileContent(file.content));
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const path = mediaFilePath(file.dir, key, step, sha256, file.ext);
    files.set(path, bytes);
    return { path, sha256, size: bytes.length };
  });
  return { json: fillTemplate(logged.json, written) as Record<string, unknown>, files, logged };
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The only file of a materialized value. */
export function onlyFile(value: Materialized): Buffer {
  const [bytes] = [...value.files.values()];
  if (bytes === undefined || value.files.size !== 1)
    throw new Error(`expected one file, got ${value.files.size}`);
  return bytes;
}
