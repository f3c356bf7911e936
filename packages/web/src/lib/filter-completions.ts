/**
 * Completions for the key being typed at the end of a filter expression: the runs' real config
 * and summary paths. A metric defined with `summary: "max"` is stored as `{ "val/acc": { max } }`,
 * so `summary.val/acc > 0.9` matches nothing; typing `summary.val/acc` offers `summary.val/acc.max`.
 * Each completion is the whole expression with the key completed, as a datalist option must be.
 */

/** The word being typed: what the filter lexer reads as one word, ending the text. */
const TRAILING_WORD = /[^\s=!<>()[\],"'&|~]+$/;
const SOURCES = ["summary.", "config."];
/** A datalist longer than this is a wall, not a suggestion. */
export const MAX_COMPLETIONS = 50;

export function filterCompletions(text: string, paths: readonly string[]): string[] {
  const word = TRAILING_WORD.exec(text)?.[0];
  if (word === undefined) return [];
  // Only a key position: the word follows nothing, `and`/`or`, `(`, or `exists`.
  const before = text.slice(0, text.length - word.length);
  if (!/((^|[\s(])(and|or|&&|\|\||exists)\s+|(^|\()\s*)$/i.test(before)) return [];
  if (!SOURCES.some((source) => source.startsWith(word) || word.startsWith(source))) return [];
  const out: string[] = [];
  for (const path of paths) {
    if (path === word || !path.startsWith(word)) continue;
    out.push(before + path);
    if (out.length === MAX_COMPLETIONS) break;
  }
  return out;
}

/**
 * A hint for a filter on a path that holds an object (a summary with aggregations): the paths
 * under it, e.g. `summary.val/acc holds max, min: filter on summary.val/acc.max`. Null otherwise.
 */
export function branchPathHint(filter: string, paths: readonly string[]): string | null {
  for (const match of filter.matchAll(/(?:summary|config)\.[^\s=!<>()[\],"'&|~]+/g)) {
    const key = match[0];
    if (paths.includes(key)) continue;
    const under = paths.filter((path) => path.startsWith(`${key}.`));
    if (under.length === 0) continue;
    const names = under.map((path) => path.slice(key.length + 1));
    return `${key} holds ${names.slice(0, 5).join(", ")}${names.length > 5 ? ", …" : ""}: filter on ${under[0]}`;
  }
  return null;
}
