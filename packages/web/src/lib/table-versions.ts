/**
 * The versions of a table key across runs, as the step slider walks them: every step at which
 * any run logged the key (ascending), and for one run the version shown at a step — the last
 * at or before it (the newest that existed then), else the run's first.
 */

/** Every step at which any run has a version, ascending, each once. */
export function unionSteps(stepsByRun: Iterable<readonly number[]>): number[] {
  const steps = new Set<number>();
  for (const list of stepsByRun) for (const step of list) steps.add(step);
  return [...steps].sort((a, b) => a - b);
}

/** The run's version shown at `step`: the last at or before it, else its first; null without versions. */
export function versionAt(steps: readonly number[], step: number | null): number | null {
  if (step === null || steps.length === 0) return null;
  let found: number | null = null;
  let first = Infinity;
  for (const s of steps) {
    if (s <= step && (found === null || s > found)) found = s;
    if (s < first) first = s;
  }
  return found ?? first;
}
