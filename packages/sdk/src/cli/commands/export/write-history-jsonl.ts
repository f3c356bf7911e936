/**
 * History as JSON lines: every row in log order, unsampled, as extended JSON (bare NaN and
 * ±Infinity), cut down to `--keys` when given.
 */
import { flattenRow } from "../../format/flatten-row.js";
import { encodeJsonLine } from "../../format/json-line.js";
import type { HistoryExport, HistoryResult } from "./history-export.js";
import { rowBatches } from "./row-batches.js";

export async function writeHistoryJsonl({
  rows: source,
  keys,
  sink,
  progress,
  seen,
}: HistoryExport): Promise<HistoryResult> {
  const line = progress("exporting history", null);
  const issues: HistoryResult["issues"] = [];
  let read = 0;
  let written = 0;
  scan: for await (const batch of rowBatches(source(issues))) {
    for (const row of batch) {
      line.tick(++read);
      if (keys && seen) for (const name of flattenRow(row).keys()) seen.add(name);
      const kept = keys ? keys.pick(row, ["_step"]) : row;
      if (kept === null) continue;
      written++;
      if (sink.add(encodeJsonLine(kept))) {
        await sink.flush();
        if (sink.closed) break scan;
      }
    }
  }
  await sink.flush();
  line.clear();
  return { read, written, issues };
}
