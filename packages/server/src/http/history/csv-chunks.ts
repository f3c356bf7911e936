/**
 * CSV export in two passes over the stored rows: the first collects the columns (a later row may
 * add one), the second writes. The second pass stops at the rows the first one saw, so a run
 * that logs meanwhile cannot add values without a column. A flat row (nearly all of them) is
 * read from its text: names and value tokens go straight to their cells, with no parse and no
 * number formatting (see flat-row-text.ts); any other row is parsed and its leaves go to their
 * cells (no flattened row object per row).
 */
import { encodeCsvField, parseExtended, quoteCsvText } from "@stepwise/protocol";
import { forEachLeaf, orderColumns } from "./flat-row.js";
import { csvCellOfToken, FlatRowText } from "./flat-row-text.js";

export async function* csvChunks(scan: () => AsyncIterable<string[]>): AsyncGenerator<string> {
  const seen = new Set<string>();
  const note = (name: string): void => void seen.add(name);
  const flat = new FlatRowText();
  let rowCount = 0;
  for await (const rows of scan())
    for (const text of rows) {
      rowCount++;
      if (flat.read(text, false)) for (let i = 0; i < flat.count; i++) seen.add(flat.names[i] as string);
      else forEachLeaf(parseExtended(text), note);
    }
  const columns = orderColumns(seen);
  const place = new Map(columns.map((name, i) => [name, i]));
  yield columns.map(quoteCsvText).join(",") + "\n";
  const cells = new Array<string>(columns.length).fill("");
  const fill = (name: string, value: unknown): void => {
    const at = place.get(name);
    if (at !== undefined) cells[at] = encodeCsvField(value);
  };
  let written = 0;
  for await (const rows of scan()) {
    let chunk = "";
    for (const text of rows) {
      if (written === rowCount) break;
      cells.fill("");
      if (flat.read(text))
        for (let i = 0; i < flat.count; i++) {
          const at = place.get(flat.names[i] as string);
          if (at !== undefined) cells[at] = csvCellOfToken(flat.tokens[i] as string, quoteCsvText);
        }
      else forEachLeaf(parseExtended(text), fill);
      chunk += cells.join(",") + "\n";
      written++;
    }
    if (chunk !== "") yield chunk;
    if (written === rowCount) return;
  }
}
