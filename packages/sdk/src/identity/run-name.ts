/**
 * Display names `adjective-noun-N`, never empty, where N is the project's run count. Offline,
 * N comes from a per-project counter file under the local `stepwise/` folder: each run appends
 * one byte (O_APPEND is atomic across processes) and N is the file's size afterwards.
 */
import { randomInt } from "node:crypto";
import { closeSync, fstatSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { generateRunName } from "@stepwise/protocol";

/** Counts this run into the project's local counter and returns `adjective-noun-N`. */
export function generateLocalRunName(stepwiseFolder: string, project: string): string {
  let count = 1;
  try {
    const dir = join(stepwiseFolder, ".run-counts");
    mkdirSync(dir, { recursive: true });
    const fd = openSync(join(dir, `p-${encodeURIComponent(project)}`), "a");
    try {
      writeSync(fd, "+");
      count = fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
  } catch {
    // A read-only or odd file system only costs the exact count; the name stays non-empty.
  }
  return generateRunName(count - 1, randomInt);
}
