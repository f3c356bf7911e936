/**
 * Run lifecycle rules (W&B wire protocol §4.2 and §6), as one pure transition so every store
 * applies exactly the same rules:
 * - an exit sets finished (code 0), killed (non-zero after a stop request), preempted (non-zero
 *   while preempting) or failed (any other non-zero code), with the exit code and finish time;
 * - a `preempting` flag sets preempting;
 * - new data revives any run to running (a resumed run, or a crashed one that was only silent);
 *   a bare heartbeat revives only a crashed run, so a late retry cannot reopen a finished run;
 * - a replayed batch (`stepwise sync` of a run whose process has ended) revives nothing: only
 *   its exit changes the state, and a run it creates starts crashed until that exit arrives;
 * - staleness turns running into crashed (`isStale`).
 */
import type { RunState } from "@stepwise/protocol";

export const TERMINAL_STATES: ReadonlySet<RunState> = new Set(["finished", "failed", "killed", "preempted"]);

export interface RunLifecycle {
  state: RunState;
  exitCode: number | null;
  /** Unix seconds. */
  finishedAt: number | null;
}

export interface RunEvent {
  /** The batch stored at least one new item on some stream. */
  newData: boolean;
  preempting: boolean;
  exitCode: number | null;
  stopRequested: boolean;
  /** The batch replays a finished process's log (`stepwise sync`), it is not a live writer. */
  replay?: boolean;
  /** The batch created the run. */
  created?: boolean;
}

/** `finishTime`: when the run ended (Unix seconds), used when the event is an exit. */
export function advanceLifecycle(current: RunLifecycle, event: RunEvent, finishTime: number): RunLifecycle {
  // A re-sent final batch (nothing new in it) must not rewrite a final state or its time.
  if (TERMINAL_STATES.has(current.state) && !event.newData) return current;
  if (event.exitCode !== null) {
    return { state: exitState(current.state, event), exitCode: event.exitCode, finishedAt: finishTime };
  }
  if (event.replay === true) return event.created === true ? { ...current, state: "crashed" } : current;
  if (event.preempting) return { state: "preempting", exitCode: null, finishedAt: null };
  if (event.newData && current.state !== "preempting" && current.state !== "running") {
    return { state: "running", exitCode: null, finishedAt: null };
  }
  if (current.state === "crashed") return { ...current, state: "running" };
  return current;
}

function exitState(current: RunState, event: RunEvent): RunState {
  if (event.exitCode === 0) return "finished";
  if (event.stopRequested) return "killed";
  if (current === "preempting" || event.preempting) return "preempted";
  return "failed";
}
