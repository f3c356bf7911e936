/**
 * How a table cell is kept in SQLite and read back: numbers and strings as themselves, booleans
 * as 1/0 (read back as booleans in a `boolean` column), null as NULL, objects and arrays (media,
 * nested JSON) as their extended JSON in a BLOB, so that they never pass for strings. NaN has no
 * SQLite value (a bound NaN becomes NULL): the cell is NULL, so filters, sorts and group
 * statistics see no value, and a sidecar table (NAN_CELLS) lists where NaNs were, so that reads
 * and exports give them back. ±Infinity are REALs and kept as they are.
 */
import { parseExtended, stringifyExtended, type TableColumn } from "@stepwise/protocol";

/** `(r, c)`: row r (the rowid) held NaN in column c. */
export const NAN_CELLS_TABLE = "nan_cells";
export const CREATE_NAN_CELLS = `CREATE TABLE ${NAN_CELLS_TABLE} (r INTEGER NOT NULL, c INTEGER NOT NULL, PRIMARY KEY (r, c)) WITHOUT ROWID`;

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
