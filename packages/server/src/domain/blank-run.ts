/**
 * The run every new run starts from: running, empty metadata, all stream counts at 0. The
 * first batch's run part and records are applied on top of it.
 */
import type { RunRef } from "@stepwise/protocol";
import type { StoredRun } from "../store/store.js";

/** `createdAt` and `heartbeatAt` start at `now` (Unix seconds). */
export function blankRun(ref: RunRef, now: number): StoredRun {
  return {
    entity: ref.entity,
    project: ref.project,
    id: ref.runId,
    name: "",
    state: "running",
    group: "",
    jobType: "",
    tags: [],
    notes: "",
    config: {},
    summary: {},
    metrics: [],
    host: "",
    program: "",
    args: [],
    gitCommit: null,
    createdAt: now,
    heartbeatAt: now,
    finishedAt: null,
    exitCode: null,
    lastStep: null,
    startingStep: 0,
    offsets: { history: 0, events: 0, console: 0, meta: 0 },
    stopRequested: false,
    ordinal: 0,
    writer: null,
  };
}
