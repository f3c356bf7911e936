/**
 * The single-object exports: `--what summary`, `config` and `run`, as one extended-JSON line.
 */
import { stringifyExtended } from "@stepwise/protocol";
import type { OfflineRun } from "stepwise";
import type { KeySelection } from "../../format/key-selection.js";

export function runDocument(
  run: OfflineRun,
  what: "summary" | "config" | "run",
  keys: KeySelection | null,
): string {
  if (what === "run") return stringifyExtended(runMetadata(run)) + "\n";
  const document = what === "summary" ? run.summary : run.config;
  return stringifyExtended(keys ? (keys.pick(document, []) ?? {}) : document) + "\n";
}

/** Exactly the fields sdk.md names for `--what run`, in that order; runtime and row counts stay internal. */
function runMetadata(run: OfflineRun): Record<string, unknown> {
  const { id, name, project, entity, state, exitCode, group, jobType, tags, notes, startTime, lastStep } =
    run.info;
  return { id, name, project, entity, state, exitCode, group, jobType, tags, notes, startTime, lastStep };
}
