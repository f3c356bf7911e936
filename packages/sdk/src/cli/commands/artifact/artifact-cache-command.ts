/**
 * `stepwise artifact cache cleanup [--max-size SIZE]`: removes the local artifact cache's
 * least recently used files until it fits SIZE (default STEPWISE_CACHE_MAX_SIZE, else 10 GiB).
 * No server involved. Prints what was removed and kept (a JSON object with --json).
 */
import { stringifyExtended } from "@stepwise/protocol";
import { artifactCacheDir } from "../../../artifacts/artifact-cache.js";
import { cacheMaxBytes, cleanupArtifactCache, parseSize } from "../../../artifacts/artifact-cache-cleanup.js";
import type { CliIo } from "../../cli-io.js";
import { ExitCode } from "../../exit-codes.js";
import { commandUsageError } from "../../parse-args-error.js";
import { formatBytes } from "../files/files-table.js";

export function runCacheCommand(
  sub: string,
  options: { maxSize?: string | undefined; json: boolean },
  io: CliIo,
): number {
  if (sub !== "cleanup")
    throw commandUsageError("artifact", `unknown 'cache' action '${sub}'; the action is cleanup`);
  let maxBytes: number;
  if (options.maxSize !== undefined) {
    const parsed = parseSize(options.maxSize);
    if (parsed === null)
      throw commandUsageError("artifact", `--max-size ${options.maxSize}: a size like 20GB or 500MiB`);
    maxBytes = parsed;
  } else {
    try {
      maxBytes = cacheMaxBytes();
    } catch (error) {
      throw commandUsageError("artifact", (error as Error).message);
    }
  }
  const root = artifactCacheDir();
  const result = cleanupArtifactCache(maxBytes, root);
  io.stdout.write(
    options.json
      ? stringifyExtended({ cache: root, maxBytes, ...result }) + "\n"
      : `removed ${result.removed} files (${formatBytes(result.bytesFreed)}); kept ${result.kept} (${formatBytes(result.bytesKept)}) in ${root}\n`,
  );
  return ExitCode.ok;
}
