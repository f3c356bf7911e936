/**
 * Series names as the server writes them: a nested history value's path joined with `.`, a
 * literal dot inside a key written `\.` (`train.loss` is `{ train: { loss } }`, `a\.b` is the
 * top-level key `a.b`). `history()` names keys this way for sampled and exact rows alike.
 */

export function joinSeriesKey(segments: readonly string[]): string {
  return segments.map((segment) => segment.replaceAll(".", "\\.")).join(".");
}

/** The value at a series name in a history row; undefined when the row does not hold it. */
export function valueAtSeriesKey(row: Record<string, unknown>, key: string): unknown {
  let value: unknown = row;
  for (const segment of splitSeriesKey(key)) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function splitSeriesKey(key: string): string[] {
  const segments: string[] = [];
  let current = "";
  for (let i = 0; i < key.length; i++) {
    const char = key[i];
    if (char === "\\" && key[i + 1] === ".") {
      current += ".";
      i++;
    } else if (char === ".") {
      segments.push(current);
      current = "";
    } else current += char;
  }
  segments.push(current);
  return segments;
}
