/**
 * The single-object exports: `--what summary`, `config` and `run`, as one extended-JSON line,
 * the same for a local run directory and a run on a server.
 */
import { stringifyExtended } from "@stepwise/protocol";
import type { ApiRun } from "../../../api/api-run.js";
import type { OfflineRun } from "../../../runlog/offline-run.js";
import type { KeySelection } from "../../format/key-selection.js";

/** What the single-object exports read, whichever side the run is on. */
export interface RunDocumentSource {
  summary: Record<string, unknown>;
  config: Record<string, unknown>;
  /** Exactly the fields sdk.md names for `--what run`, in that order. */
  metadata: Record<string, unknown>;
}

export function runDocument(
  run: RunDocumentSource,
  what: "summary" | "config" | "run",
  keys: KeySelection | null,
): string {
  if (what === "run") return stringifyExtended(run.metadata) + "\n";
  const document = what === "summary" ? run.summary : run.config;
  return stringifyExtended(keys ? (keys.pick(document, []) ?? {}) : document) + "\n";
}

/** Runtime and row counts stay internal. */
export function localRunDocument(run: OfflineRun): RunDocumentSource {
  const { id, name, project, entity, state, exitCode, group, jobType, tags, notes, startTime, lastStep } =
    run.info;
  const metadata = {
    id,
    name,
    project,
    entity,
    state,
    exitCode,
    group,
    jobType,
    tags,
    notes,
    startTime,
    lastStep,
  };
  return { summary: run.summary, config: run.config, metadata };
}

/** The server's `createdAt` is the client's start time when the SDK sent one, so it is `startTime`. */
export function serverRunDocument(run: ApiRun): RunDocumentSource {
  const metadata = {
    id: run.id,
    name: run.name,
    project: run.project,
    entity: run.entity,
    state: run.state,
    exitCode: run.exitCode,
    group: run.group,
    jobType: run.jobType,
    tags: run.tags,
    notes: run.notes,
    startTime: run.createdAt,
    lastStep: run.lastStep,
  };
  return { summary: run.summary.toJSON(), config: run.config, metadata };
}
