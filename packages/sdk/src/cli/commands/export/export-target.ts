/**
 * Tells a local target from a server one. A path that exists on disk is always local; a target
 * of three plain segments (`entity/project/runId`, not `./` or `/`-rooted) that does not exist
 * on disk names a run on the server.
 */
import { existsSync } from "node:fs";

/** Three non-empty segments, not a relative (`./`, `../`) or absolute path. */
const SERVER_TARGET = /^[^/.][^/]*\/[^/]+\/[^/]+$/;

export type ExportTarget = { kind: "local"; path: string } | { kind: "server"; runPath: string };

export function classifyTarget(target: string): ExportTarget {
  if (existsSync(target) || !SERVER_TARGET.test(target)) return { kind: "local", path: target };
  return { kind: "server", runPath: target };
}
