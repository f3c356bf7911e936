import { describe, expect, it } from "vitest";
import type { RunState } from "@stepwise/protocol";
import { advanceLifecycle, type RunEvent, type RunLifecycle } from "../src/domain/run-state.js";

const at = (state: RunState): RunLifecycle => ({ state, exitCode: null, finishedAt: null });
const event = (overrides: Partial<RunEvent>): RunEvent => ({
  newData: false,
  preempting: false,
  exitCode: null,
  stopRequested: false,
  ...overrides,
});

describe("run lifecycle", () => {
  it("ends a run by its exit code, stop request and preemption", () => {
    expect(advanceLifecycle(at("running"), event({ exitCode: 0 }), 9)).toEqual({
      state: "finished",
      exitCode: 0,
      finishedAt: 9,
    });
    expect(advanceLifecycle(at("running"), event({ exitCode: 2 }), 9).state).toBe("failed");
    expect(advanceLifecycle(at("running"), event({ exitCode: 1, stopRequested: true }), 9).state).toBe(
      "killed",
    );
    expect(advanceLifecycle(at("running"), event({ exitCode: 0, stopRequested: true }), 9).state).toBe(
      "finished",
    );
    expect(advanceLifecycle(at("preempting"), event({ exitCode: 143 }), 9).state).toBe("preempted");
    expect(advanceLifecycle(at("running"), event({ exitCode: 1, preempting: true }), 9).state).toBe(
      "preempted",
    );
    expect(advanceLifecycle(at("crashed"), event({ exitCode: 0 }), 9).state).toBe("finished");
  });

  it("marks preempting, revives on new data, and revives a crashed run on a heartbeat only", () => {
    expect(advanceLifecycle(at("running"), event({ preempting: true }), 0).state).toBe("preempting");
    expect(advanceLifecycle(at("preempting"), event({ newData: true }), 0).state).toBe("preempting");
    expect(advanceLifecycle(at("crashed"), event({}), 0).state).toBe("running");
    expect(advanceLifecycle(at("crashed"), event({ newData: true }), 0).state).toBe("running");
    const finished: RunLifecycle = { state: "finished", exitCode: 0, finishedAt: 5 };
    expect(advanceLifecycle(finished, event({}), 0)).toBe(finished);
    expect(advanceLifecycle(finished, event({ newData: true }), 0)).toEqual(at("running"));
  });

  it("keeps a final state when a final batch is re-sent with nothing new", () => {
    const failed: RunLifecycle = { state: "failed", exitCode: 1, finishedAt: 5 };
    expect(advanceLifecycle(failed, event({ exitCode: 1 }), 99)).toBe(failed);
    expect(advanceLifecycle(failed, event({ preempting: true }), 99)).toBe(failed);
    expect(advanceLifecycle(failed, event({ exitCode: 0, newData: true }), 99)).toEqual({
      state: "finished",
      exitCode: 0,
      finishedAt: 99,
    });
  });

  it("replays (stepwise sync of an ended process) revive nothing; their exit ends the run", () => {
    const replay = { replay: true, newData: true };
    expect(advanceLifecycle(at("crashed"), event(replay), 5)).toEqual(at("crashed"));
    expect(advanceLifecycle(at("running"), event({ ...replay, created: true }), 5).state).toBe("crashed");
    expect(advanceLifecycle(at("crashed"), event({ ...replay, exitCode: 3 }), 42)).toEqual({
      state: "failed",
      exitCode: 3,
      finishedAt: 42,
    });
    expect(advanceLifecycle(at("crashed"), event({ ...replay, exitCode: 0 }), 42).state).toBe("finished");
  });
});
