import { encodeCsvField, quoteCsvText } from "@stepwise/protocol";
/**
 * One CSV line from a flattened row and the column list. Lines end with "\n" (not RFC 4180's
 * CRLF), like the JSON-lines output; every CSV reader we target (pandas, Python's csv, R,
 * spreadsheets) accepts both.
 */

export function encodeCsvLine(columns: readonly string[], row: ReadonlyMap<string, unknown>): string {
  let line = "";
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) line += ",";
    line += encodeCsvField(row.get(columns[i] as string));
  }
  return line + "\n";
}

export function encodeCsvHeader(columns: readonly string[]): string {
  return columns.map(quoteCsvText).join(",") + "\n";
}
