/**
 * A logged Table: W&B's run copy of the table, `{"columns":[…],"data":[[…]]}` (extended JSON:
 * NaN and ±Infinity as bare tokens, as Python's json writes them), as the file
 * `media/table/<key>_<step>_<sha256[:20]>.table.json` through the file channel, and W&B's history
 * value `{"_type":"table-file","sha256","size","path","ncols","nrows","log_mode":"IMMUTABLE"}`.
 * Every row goes into the file (no 10,000-row cut). The rows are written as they are at log():
 * changing the table afterwards changes only later logs.
 */
import { stringifyExtended } from "@stepwise/protocol";
import { fileFields, type LoggedValue } from "../../media/logged-value.js";

export const TABLE_DIR = "media/table";
export const TABLE_EXT = ".table.json";

export function tableFileBytes(
  columns: readonly string[],
  rows: ReadonlyArray<readonly unknown[]>,
): Uint8Array {
  let text = `{"columns":${stringifyExtended(columns)},"data":[`;
  for (let i = 0; i < rows.length; i++) {
    if (i > 0) text += ",";
    text += stringifyExtended(rows[i]);
  }
  text += "]}";
  return new TextEncoder().encode(text);
}

export function loggedTable(
  columns: readonly string[],
  rows: ReadonlyArray<readonly unknown[]>,
): LoggedValue {
  return {
    json: fileFields(0, {
      _type: "table-file",
      ncols: columns.length,
      nrows: rows.length,
      log_mode: "IMMUTABLE",
    }),
    files: [
      { dir: TABLE_DIR, ext: TABLE_EXT, content: { kind: "bytes", bytes: tableFileBytes(columns, rows) } },
    ],
  };
}
