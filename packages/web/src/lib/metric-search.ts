/**
 * The workspace's metric search (param `metrics`): plain text matches keys that contain it,
 * case-insensitive; `/pattern/` (optionally `/pattern/i`) is a regular expression. A pattern
 * that does not compile matches nothing and says why, rather than hiding every chart silently.
 */

export type MetricSearch =
  | { kind: "all" }
  | { kind: "text"; text: string }
  | { kind: "regex"; regex: RegExp }
  | { kind: "invalid"; message: string };

const REGEX_FORM = /^\/(.*)\/([imsu]*)$/s;

export function parseMetricSearch(input: string): MetricSearch {
  const trimmed = input.trim();
  if (trimmed === "") return { kind: "all" };
  const match = REGEX_FORM.exec(trimmed);
  if (match === null || trimmed.length < 2) return { kind: "text", text: trimmed.toLowerCase() };
  try {
    return { kind: "regex", regex: new RegExp(match[1] ?? "", match[2]) };
  } catch (error) {
    return { kind: "invalid", message: error instanceof Error ? error.message : "not a regular expression" };
  }
}

export function matchesMetric(search: MetricSearch, key: string): boolean {
  switch (search.kind) {
    case "all":
      return true;
    case "text":
      return key.toLowerCase().includes(search.text);
    case "regex":
      return search.regex.test(key);
    case "invalid":
      return false;
  }
}

/** The keys the search matches, in their order. */
export function filterMetrics<T>(items: readonly T[], search: MetricSearch, keyOf: (item: T) => string): T[] {
  return search.kind === "all" ? [...items] : items.filter((item) => matchesMetric(search, keyOf(item)));
}

/**
 * The text to ask the server for when the client does not hold every key: the substring of a
 * plain-text search (the server's search is a substring too). A regex has none: it filters the
 * keys the page holds.
 */
export function serverSearchText(search: MetricSearch): string | null {
  return search.kind === "text" ? search.text : null;
}
