/**
 * How deeply a parsed JSON value nests. `JSON.parse` copes with any depth, but the recursive
 * encoders that later walk a stored value (`JSON.stringify` among them) overflow the stack on a
 * million nested arrays, which would turn a bad request into a server error. Checked on the
 * parsed value, iteratively: numbers and strings cost nothing, so a flat history row is cheap
 * (a character scan of the whole body cost ~4.5 ms per MB).
 */
export function deeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current !== "object" || current === null) continue;
    if (depth > max) return true;
    for (const key in current) {
      const member = (current as Record<string, unknown>)[key];
      if (typeof member === "object" && member !== null) stack.push([member, depth + 1]);
    }
  }
  return false;
}
