/**
 * Which runs the charts show, from the view's `hidden` list. "Hide all" on 10,000 runs must not
 * put 10,000 ids in the URL, so the list has one wildcard form: `*` hides every run, and
 * `!<id>` entries then show single runs again. Without `*` the list is the hidden ids.
 */

export const HIDE_ALL = "*";

/** A fast `isHidden(runId)` for one hidden list. */
export function hiddenTest(hidden: readonly string[]): (runId: string) => boolean {
  const entries = new Set(hidden);
  if (entries.has(HIDE_ALL)) return (runId) => !entries.has(`!${runId}`);
  return (runId) => entries.has(runId);
}

/** The list after flipping one run. */
export function toggleHidden(hidden: readonly string[], runId: string): string[] {
  const isHidden = hiddenTest(hidden)(runId);
  if (hidden.includes(HIDE_ALL)) {
    return isHidden ? [...hidden, `!${runId}`] : hidden.filter((entry) => entry !== `!${runId}`);
  }
  return isHidden ? hidden.filter((entry) => entry !== runId) : [...hidden, runId];
}

export function hideAll(): string[] {
  return [HIDE_ALL];
}

export function showAll(): string[] {
  return [];
}

/** The first `cap` runs not hidden, in the given (table) order. */
export function visibleRuns<T extends { id: string }>(
  runs: readonly T[],
  hidden: readonly string[],
  cap: number,
): T[] {
  const isHidden = hiddenTest(hidden);
  const out: T[] = [];
  for (const run of runs) {
    if (out.length >= cap) break;
    if (!isHidden(run.id)) out.push(run);
  }
  return out;
}
