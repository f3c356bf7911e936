/**
 * The message for an option name nobody defined (`init({ job_type })`, `defineMetric(x, { sumary })`):
 * the nearest known name when one is close (snake_case spelled as camelCase, or a typo within a
 * few edits), otherwise the list of known names. Shared by every options object the SDK checks.
 */

/** `unknown option "job_type"; did you mean "jobType"?` (or `…; use one of a, b, c`). */
export function unknownOptionMessage(key: string, known: readonly string[], hint?: string): string {
  const nearest = nearestOption(key, known);
  const fix = nearest !== null ? `did you mean "${nearest}"?` : (hint ?? `use one of ${known.join(", ")}`);
  return `unknown option "${key}"; ${fix}`;
}

/** The known name `key` most likely meant, or null when none is close. */
export function nearestOption(key: string, known: readonly string[]): string | null {
  // Python habits first: job_type → jobType, step_metric → stepMetric.
  const camel = key.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const exact = known.find((name) => name.toLowerCase() === camel.toLowerCase());
  if (exact !== undefined) return exact;
  // A typo: at most a third of the name's characters wrong (2 for short names), as `git` suggests.
  const limit = Math.max(2, Math.floor(key.length / 3));
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const name of known) {
    const distance = editDistance(camel.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance (insert, delete, substitute), one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitute = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(substitute, (previous[j] as number) + 1, (current[j - 1] as number) + 1);
    }
    previous = current;
  }
  return previous[b.length] as number;
}
