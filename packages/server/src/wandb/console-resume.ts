/**
 * Console offsets of resumed W&B clients. A client resuming a run learns the stored console line
 * count (`logLineCount`, asked for by `RunResumeStatus` together with `wandbConfig(keys:["t"])`);
 * clients up to 0.28.1 still send their `output.log` lines from offset 0, which would overwrite
 * the console of the processes before, while newer ones start at the count. Which of the two a
 * resumed process is shows in its first console request: below the count, every offset it sends
 * is moved up by the count; at or past it, its offsets are kept.
 *
 * Kept in memory per run (the resumed process's stream lives in this server process); a server
 * restarted between the resume and the first console request keeps the offsets as sent.
 */
import type { RunRef } from "@stepwise/protocol";

type State = { base: number; shift: boolean | null };

/** Runs being resumed at once, at most; the oldest is forgotten past it. */
const MAX_RUNS = 10_000;

export class ConsoleResume {
  private readonly runs = new Map<string, State>();

  /** A client is resuming `ref`, whose console holds `lines` lines. */
  resuming(ref: RunRef, lines: number): void {
    const key = keyOf(ref);
    this.runs.delete(key);
    if (lines === 0) return;
    this.runs.set(key, { base: lines, shift: null });
    if (this.runs.size > MAX_RUNS) this.runs.delete(this.runs.keys().next().value as string);
  }

  /** Where the lines a client sent at `offset` go in the stored console. */
  offset(ref: RunRef, offset: number): number {
    const state = this.runs.get(keyOf(ref));
    if (state === undefined) return offset;
    state.shift ??= offset < state.base;
    if (!state.shift) {
      this.runs.delete(keyOf(ref));
      return offset;
    }
    return offset + state.base;
  }

  /** The run's process has ended: its offsets need no moving any more. */
  ended(ref: RunRef): void {
    this.runs.delete(keyOf(ref));
  }
}

const keyOf = (ref: RunRef): string => JSON.stringify([ref.entity, ref.project, ref.runId]);
