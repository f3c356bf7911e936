/**
 * Tells a local target from a server one. A path that exists on disk is always local; a target
 * of three plain segments (`entity/project/runId`, not `./` or `/`-rooted) that does not exist
 * on disk names a run on the server; two (`entity/project`) name a project, exported run by run.
 */
import { existsSync } from "node:fs";

/** Three non-empty segments, not a relative (`./`, `../`) or absolute path. */
const SERVER_TARGET = /^[^/.][^/]*\/[^/]+\/[^/]+$/;
/** Two such segments: `entity/project`, every run of it (or those passing --filter). */
const PROJECT_TARGET = /^[^/.][^/]*\/[^/]+$/;

export type ExportTarget =
  | { kind: "local"; path: string }
  | { kind: "server"; runPath: string }
  | { kind: "project"; projectPath: string };

export function classifyTarget(target: string): ExportTarget {
  if (existsSync(target)) return { kind: "local", path: target };
  if (SERVER_TARGET.test(target)) return { kind: "server", runPath: target };
  if (PROJECT_TARGET.test(target)) return { kind: "project", projectPath: target };
  return { kind: "local", path: target };
}
