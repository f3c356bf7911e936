/**
 * Opaque keyset cursors for run listing: the sort key of the last run on a page (whether the
 * sorted value is missing, the value, the run's internal id), base64url-encoded JSON. Keyset
 * paging stays fast at any depth and stable while runs are added, unlike OFFSET.
 */
import { InvalidDataError } from "@stepwise/protocol";

export interface RunListCursor {
  /** The sorted value is missing (missing values sort last in both directions). */
  missing: boolean;
  value: string | number | null;
  /** The run's internal id: the tie-breaker. */
  pk: number;
}

export function encodeRunListCursor(cursor: RunListCursor): string {
  return Buffer.from(JSON.stringify([cursor.missing ? 1 : 0, cursor.value, cursor.pk])).toString("base64url");
}

export function decodeRunListCursor(text: string): RunListCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 3 &&
    (parsed[0] === 0 || parsed[0] === 1) &&
    (typeof parsed[1] === "string" || typeof parsed[1] === "number" || parsed[1] === null) &&
    Number.isSafeInteger(parsed[2])
  ) {
    return { missing: parsed[0] === 1, value: parsed[1] as string | number | null, pk: parsed[2] as number };
  }
  throw new InvalidDataError(
    `cursor: "${text.slice(0, 40)}" is not a run-list cursor; pass the nextCursor of the previous page unchanged`,
  );
}
