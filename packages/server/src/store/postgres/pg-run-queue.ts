/**
 * Writes to one run from this process, in the order they were called. Each write is its own
 * transaction on a pooled connection, so without this two batches sent one after the other
 * could reach PostgreSQL in the other order (the second would then report a gap and wait for a
 * re-send), and two edits could land last-first. Across servers the run row lock orders writes;
 * within one server this queue keeps call order, as the single-connection SQLite store does.
 */
import type { RunRef } from "@stepwise/protocol";

export class RunQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(ref: RunRef, work: () => Promise<T>): Promise<T> {
    const key = JSON.stringify([ref.entity, ref.project, ref.runId]);
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
