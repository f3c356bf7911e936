/**
 * History scans with `keys` (Store.scanHistory), whatever the store: a row is returned only
 * when it has every key (dotted paths reach into nested objects, a literal dot written `\.`),
 * projected to `_step` plus those keys, re-encoded as extended JSON (NaN/±Infinity exact).
 * Used by the SQLite (sqlite/history-reader.ts) and PostgreSQL (postgres/pg-history.ts) readers.
 */
import { parseExtended, splitDottedPath, stringifyExtended } from "@stepwise/protocol";

/** A projection of stored row texts to `keys`; rows missing a key are left out. */
export function historyProjection(keys: readonly string[]): (bodies: readonly string[]) => string[] {
  const paths = keys.map((key) => ({ key, path: splitDottedPath(key) }));
  return (bodies) => {
    const out: string[] = [];
    for (const body of bodies) {
      const row = parseExtended(body) as Record<string, unknown>;
      const projected: Record<string, unknown> = { _step: row._step };
      let complete = true;
      for (const { key, path } of paths) {
        const value = valueAt(row, path);
        if (value === undefined) {
          complete = false;
          break;
        }
        // defineProperty: a key named `__proto__` is a plain key here, never the prototype.
        Object.defineProperty(projected, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      if (complete) out.push(stringifyExtended(projected));
    }
    return out;
  };
}

function valueAt(row: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = row;
  for (const segment of path) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
