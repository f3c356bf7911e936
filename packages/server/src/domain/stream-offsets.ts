/**
 * Offset rules of the idempotent batch, per stream (W&B file_stream semantics, §4.2): items are
 * addressed by absolute index; those below the stored count were stored before and are skipped
 * (console lines are the exception: a terminal rewrites old lines, so they are stored again);
 * a batch that starts past the count leaves a gap and must change nothing.
 */
import type { StreamName } from "@stepwise/protocol";

export type StreamPlan =
  | { kind: "gap"; expected: number }
  /** Store `items.slice(skip)` at `from`, `from + 1`, …; `newCount` is the stream's count after. */
  | { kind: "apply"; skip: number; from: number; newCount: number };

export function planStream(stream: StreamName, offset: number, items: number, count: number): StreamPlan {
  if (offset > count) return { kind: "gap", expected: count };
  const end = offset + items;
  if (stream === "console") return { kind: "apply", skip: 0, from: offset, newCount: Math.max(count, end) };
  const skip = Math.min(items, count - offset);
  return { kind: "apply", skip, from: offset + skip, newCount: Math.max(count, end) };
}
