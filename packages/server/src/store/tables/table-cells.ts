/**
 * How a table cell is kept in SQLite and read back: numbers and strings as themselves, booleans
 * as 1/0 (read back as booleans in a `boolean` column), null as NULL, objects and arrays (media,
 * nested JSON) as their extended JSON in a BLOB, so that they never pass for strings. NaN has no
 * SQLite value and is stored as NULL.
 */
import { parseExtended, stringifyExtended, type TableColumn } from "@stepwise/protocol";

export type StoredCell = number | string | bigint | Buffer | null;

export function encodeCell(cell: unknown): StoredCell {
  switch (typeof cell) {
    case "number":
      return Number.isNaN(cell) ? null : cell;
    case "string":
    case "bigint":
      return cell;
    case "boolean":
      return cell ? 1 : 0;
    case "object":
      return cell === null ? null : Buffer.from(stringifyExtended(cell));
    default:
      return null;
  }
}

export function decodeCell(stored: unknown, type: TableColumn["type"]): unknown {
  if (stored === null || stored === undefined) return null;
  if (Buffer.isBuffer(stored)) return parseExtended(stored.toString("utf8"));
  if (type === "boolean" && typeof stored === "number") return stored !== 0;
  return stored;
}
