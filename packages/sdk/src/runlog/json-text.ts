/**
 * A value of a history row as extended JSON text (protocol's stringifyExtended), made with the
 * native JSON.stringify when that writes the same text: no non-finite number, bigint or other
 * value it would write differently. The native encoder builds one flat string; the extended one
 * a string per member (~1.6 KB of garbage for an image's JSON in each log() call, and young
 * collections land in log()).
 */
import { stringifyExtended } from "@stepwise/protocol";

/** Deeper values take the extended encoder without a full check. */
const MAX_CHECKED_DEPTH = 8;

export function jsonText(value: unknown): string {
  return sameAsJson(value, 0) ? JSON.stringify(value) : stringifyExtended(value);
}

function sameAsJson(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    case "object": {
      if (value === null) return true;
      if (depth >= MAX_CHECKED_DEPTH) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++)
          if (value[i] === undefined || !sameAsJson(value[i], depth + 1)) return false;
        return true;
      }
      // Plain objects only: a class instance may have toJSON, which the extended encoder ignores.
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      const object = value as Record<string, unknown>;
      for (const key in object) {
        const member = object[key];
        if (member !== undefined && !sameAsJson(member, depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}
