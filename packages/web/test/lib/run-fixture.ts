/** A RunDto with defaults, for the lib tests: only what a test sets differs. */
import type { RunDto } from "@stepwise/protocol";

export function makeRun(patch: Partial<RunDto> & { id: string }): RunDto {
  return {
    entity: "e",
    project: "p",
    name: patch.id,
    state: "finished",
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
    createdAt: 1_800_000_000,
    heartbeatAt: 1_800_000_100,
    finishedAt: null,
    exitCode: null,
    lastStep: null,
    startingStep: 0,
    offsets: { history: 0, events: 0, console: 0, meta: 0 },
    stopRequested: false,
    ordinal: 1,
    ...patch,
  };
}
