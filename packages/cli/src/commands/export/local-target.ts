/**
 * Targets that name a run on a server (`entity/project/runId`) are not served yet: when such a
 * target does not exist on disk, say so instead of reporting a missing directory.
 */
import { existsSync } from "node:fs";
import { UsageError } from "@stepwise/protocol";

/** Three non-empty segments, not a relative (`./`, `../`) or absolute path. */
const SERVER_TARGET = /^[^/.][^/]*\/[^/]+\/[^/]+$/;

export function assertLocalTarget(target: string): void {
  if (existsSync(target) || !SERVER_TARGET.test(target)) return;
  throw new UsageError(
    `${target} is not a local path, and exporting from a server (entity/project/runId) is not available yet; ` +
      "pass a local run directory such as stepwise/latest-run",
  );
}
