/**
 * Dotted key paths, the one way series names, filter paths and sort paths name a nested key:
 * segments joined with `.`, a literal dot inside a segment written `\.` (as the SDK writes metric
 * names). Any other backslash stays literal, so `a\b` names the single key `a\b`. Shared by the
 * SDK (metric names, globs) and the server (series names, filter and sort paths).
 */

/** Splits `train.loss` into `["train", "loss"]` and `a\.b` into `["a.b"]`. */
export function splitDottedPath(path: string): string[] {
  const parts: string[] = [];
  let current = "";
  let escaped = false;
  for (const char of path) {
    if (escaped) {
      current += char === "." ? "." : `\\${char}`;
      escaped = false;
    } else if (char === "\\") {
      escaped = true;
    } else if (char === ".") {
      parts.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  if (escaped) current += "\\";
  parts.push(current);
  return parts;
}

/** The dotted name of a path; the inverse of `splitDottedPath` for segments without `\.`-like text. */
export function joinDottedPath(segments: readonly string[]): string {
  let out = "";
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    if (i > 0) out += ".";
    out += segment.includes(".") ? segment.replaceAll(".", "\\.") : segment;
  }
  return out;
}

/** Appends one segment to an already-escaped dotted prefix (`""` for the top level). */
export function appendDottedSegment(prefix: string, segment: string): string {
  const escaped = segment.includes(".") ? segment.replaceAll(".", "\\.") : segment;
  return prefix === "" ? escaped : `${prefix}.${escaped}`;
}
