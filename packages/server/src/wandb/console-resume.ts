/**
 * Console offsets of resumed W&B clients. A client resuming a run learns the stored console line
 * count (`logLineCount`, asked for by `RunResumeStatus` together with `wandbConfig(keys:["t"])`);
 * clients up to 0.28.1 still send their `output.log` lines from offset 0, which would overwrite
 * the console of the processes before, while newer ones start at the count. Which of the two a
 * resumed process is shows in its first console request: below the count, every offset it sends
 * is moved up by the count; at or past it, its offsets are kept.
 *
 * Kept in the database per run (`Store.wandb`, store/wandb-state-store.ts), so the resume and the
 * console requests may reach different servers of a fleet, and a server restarted in between
 * loses nothing; the first console request's decision is made once, in the database. A resume
 * never followed by a console request is dropped after a day.
 */
import type { RunRef } from "@stepwise/protocol";
import type { WandbStateStore } from "../store/wandb-state-store.js";

/** How long a resume waits for its first console request (seconds). */
const RESUME_TTL_S = 24 * 3600;

export class ConsoleResume {
  constructor(
    private readonly state: WandbStateStore,
    private readonly now: () => number,
  ) {}

  /** A client is resuming `ref`, whose console holds `lines` lines. */
  resuming(ref: RunRef, lines: number): Promise<void> {
    const now = this.now();
    return this.state.consoleResuming(ref, lines, now, now - RESUME_TTL_S);
  }

  /** Where the lines a client sent at `offset` go in the stored console. */
  offset(ref: RunRef, offset: number): Promise<number> {
    return this.state.consoleOffset(ref, offset);
  }

  /** The run's process has ended: its offsets need no moving any more. */
  ended(ref: RunRef): Promise<void> {
    return this.state.consoleEnded(ref);
  }
}
