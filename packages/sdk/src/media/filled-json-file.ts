/**
 * Writes a `filled-json` file of a logged value (logged-value.ts): its template with the
 * markers of the value's earlier files filled, as extended JSON, under the content-addressed
 * name `<dir>/<key>_<step>_<sha256[:20]><ext>` (temp file and rename, like the media worker).
 * Runs on the training thread when the media queue settles the value, after the worker wrote
 * the files it names (a Table's media cells); a table without media never comes here.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { threadId } from "node:worker_threads";
import { stringifyExtended } from "@stepwise/protocol";
import { fillTemplate, mediaFilePath, type WrittenFile } from "./fill-template.js";
import type { LoggedFile } from "./logged-value.js";

/** The written file, or why it could not be written (an earlier file failed, a disk error). */
export function writeFilledJson(
  runDir: string,
  binding: { key: string; step: number | "summary"; results: ReadonlyArray<WrittenFile | null> },
  file: LoggedFile,
  template: unknown,
): WrittenFile | string {
  if (binding.results.some((result) => result === null)) return "a file it names could not be written";
  try {
    const text = stringifyExtended(fillTemplate(template, binding.results as WrittenFile[]));
    const bytes = Buffer.from(text, "utf8");
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const path = mediaFilePath(file.dir, binding.key, binding.step, sha256, file.ext);
    const local = join(runDir, "files", path);
    if (!existsSync(local)) {
      mkdirSync(dirname(local), { recursive: true });
      // Unique per thread: several media threads may write the same content at once.
      const temp = `${local}.${process.pid}-${threadId}.tmp`;
      writeFileSync(temp, bytes);
      renameSync(temp, local);
    }
    return { path, sha256, size: bytes.length };
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
