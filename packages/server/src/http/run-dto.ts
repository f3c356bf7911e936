/** StoredRun → the API's RunDto, field by field, so a storage-only field never leaks by accident. */
import type { RunDto } from "@stepwise/protocol";
import type { StoredRun } from "../store/store.js";

export function toRunDto(run: StoredRun): RunDto {
  return {
    entity: run.entity,
    project: run.project,
    id: run.id,
    name: run.name,
    state: run.state,
    group: run.group,
    jobType: run.jobType,
    tags: run.tags,
    notes: run.notes,
    config: run.config,
    summary: run.summary,
    metrics: run.metrics,
    host: run.host,
    program: run.program,
    args: run.args,
    gitCommit: run.gitCommit,
    createdAt: run.createdAt,
    heartbeatAt: run.heartbeatAt,
    finishedAt: run.finishedAt,
    exitCode: run.exitCode,
    lastStep: run.lastStep,
    startingStep: run.startingStep,
    offsets: run.offsets,
    stopRequested: run.stopRequested,
    ordinal: run.ordinal,
  };
}
