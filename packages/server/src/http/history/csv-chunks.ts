/**
 * CSV export in two passes over the stored rows: the first collects the columns (a later row may
 * add one), the second writes. The second pass stops at the rows the first one saw, so a run
 * that logs meanwhile cannot add values without a column.
 */
import { encodeCsvField, quoteCsvText } from "@stepwise/protocol";
import { flattenRowText, orderColumns } from "./flat-row.js";

export async function* csvChunks(scan: () => AsyncIterable<string[]>): AsyncGenerator<string> {
  const seen = new Set<string>();
  let rowCount = 0;
  for await (const rows of scan())
    for (const text of rows) {
      rowCount++;
      for (const name of flattenRowText(text).keys()) seen.add(name);
    }
  const columns = orderColumns(seen);
  yield columns.map(quoteCsvText).join(",") + "\n";
  let written = 0;
  for await (const rows of scan()) {
    let chunk = "";
    for (const text of rows) {
      if (written === rowCount) break;
      const row = flattenRowText(text);
      chunk += columns.map((name) => encodeCsvField(row.get(name))).join(",") + "\n";
      written++;
    }
    if (chunk !== "") yield chunk;
    if (written === rowCount) return;
  }
}
