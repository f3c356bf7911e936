/**
 * A dotted config/summary path (`opt.lr`, `a\.b` for the key "a.b") as a SQLite JSON path
 * (`$."opt"."lr"`). Every segment is quoted, so keys holding `.`, `/`, spaces or `[` work; SQLite
 * has no escape for `"` inside a quoted label, so such keys cannot be filtered on.
 */
import { InvalidDataError, splitDottedPath } from "@stepwise/protocol";

export function sqliteJsonPath(field: string, dotted: string): string {
  const segments = splitDottedPath(dotted);
  let out = "$";
  for (const segment of segments) {
    if (segment === "" || segment.includes('"')) {
      throw new InvalidDataError(
        `${field} path: "${dotted}" has an empty key or a key with a double quote; name a key like "opt.lr" (a literal dot written \\.)`,
      );
    }
    out += `."${segment}"`;
  }
  return out;
}
