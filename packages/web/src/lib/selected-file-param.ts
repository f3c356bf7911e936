/**
 * The run page's selected file in its URL (`?file=media/sample.png`), so that a link opens the
 * Files tab on that file. `/` stays readable; everything else is percent-encoded, and other
 * query parameters are kept as they are.
 */

const PARAM = "file";

/** The selected file's path, or null. */
export function parseSelectedFile(search: string): string | null {
  const value = new URLSearchParams(search).get(PARAM);
  return value === null || value === "" ? null : value;
}

/** The query string (without `?`) with `path` selected, or with no selection for null. */
export function withSelectedFile(search: string, path: string | null): string {
  const query = search.startsWith("?") ? search.slice(1) : search;
  const kept = query
    .split("&")
    .filter((pair) => pair !== "" && decodeName(pair.split("=")[0] ?? "") !== PARAM);
  if (path !== null && path !== "") kept.push(`${PARAM}=${encodeURIComponent(path).replaceAll("%2F", "/")}`);
  return kept.join("&");
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replaceAll("+", " "));
  } catch {
    return name;
  }
}
