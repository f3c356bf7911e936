/**
 * One warning per cause: a line logged again within a minute of its last showing is held back
 * and counted, and the count is told when the line next shows. A full disk fails every write
 * (ingest retries, compaction every 500 ms); the log should say so, not fill with it.
 */
const REPEAT_WINDOW_MS = 60_000;
/** Lines remembered at once; internal errors carry stacks and so are rarely repeats. */
const MAX_REMEMBERED = 256;

export function logWithoutRepeats(
  log: (line: string) => void,
  now: () => number = Date.now,
): (line: string) => void {
  const seen = new Map<string, { shownAt: number; held: number }>();
  return (line) => {
    const at = now();
    const last = seen.get(line);
    if (last !== undefined && at - last.shownAt < REPEAT_WINDOW_MS) {
      last.held++;
      return;
    }
    if (last === undefined && seen.size >= MAX_REMEMBERED) seen.delete(seen.keys().next().value ?? "");
    seen.set(line, { shownAt: at, held: 0 });
    const held = last?.held ?? 0;
    log(held > 0 ? `${line} (and ${held} more times since it was last shown)` : line);
  };
}
