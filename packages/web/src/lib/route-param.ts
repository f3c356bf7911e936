/**
 * Route parameters as names. wouter decodes a path with `decodeURI`, which leaves escapes such
 * as `%2B` (`+`), `%2C` (`,`) or `%40` (`@`) in place, while our links encode every segment with
 * `encodeURIComponent`; decoding again here gives back the name the link was made from.
 */
export function decodeRouteParam(value: string | undefined): string {
  if (value === undefined) return "";
  try {
    return decodeURIComponent(value);
  } catch {
    // A lone `%` that is not an escape: the name is taken as written.
    return value;
  }
}
