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
      if (flat.read(text, false)) {
        if (!flat.sameNames) for (let i = 0; i < flat.count; i++) seen.add(flat.names[i] as string);
      } else forEachLeaf(parseExtended(text), note);
    }
  const columns = orderColumns(seen);
  const place = new Map(columns.map((name, i) => [name, i]));
  yield columns.map(quoteCsvText).join(",") + "\n";
  const cells = new Array<string>(columns.length).fill("");
  const fill = (name: string, value: unknown): void => {
    const at = place.get(name);
    if (at !== undefined) cells[at] = encodeCsvField(value);
  };
  // Where each member of the last flat row went (-1: no column): a row with the same names in
  // the same order (nearly every row) fills the same cells, so the others are still empty.
  let places: number[] = [];
  let placesValid = false;
  let written = 0;
  for await (const rows of scan()) {
    let chunk = "";
    for (const text of rows) {
      if (written === rowCount) break;
      if (flat.read(text)) {
        if (!placesValid || !flat.sameNames) {
          cells.fill("");
          places = flat.names.slice(0, flat.count).map((name) => place.get(name) ?? -1);
          placesValid = true;
        }
        const tokens = flat.tokens;
        for (let i = 0; i < places.length; i++) {
          const at = places[i] as number;
          if (at >= 0) cells[at] = csvCellOfToken(tokens[i] as string, quoteCsvText);
        }
      } else {
        cells.fill("");
        placesValid = false;
        forEachLeaf(parseExtended(text), fill);
      }
      chunk += cells.join(",") + "\n";
      written++;
    }
    if (chunk !== "") yield chunk;
    if (written === rowCount) return;
  }
}
