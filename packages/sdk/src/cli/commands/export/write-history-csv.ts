/**
 * History as CSV. Columns must be known before the header is written, so the rows are read
 * twice (from the log, or from the server): once to collect the flattened column names, once
 * to write rows. The second pass stops at the first pass's row count, so a run still writing
 * cannot add rows whose columns the header lacks.
 */
import { CsvColumns } from "../../format/csv-columns.js";
import { encodeCsvHeader, encodeCsvLine } from "../../format/csv-line.js";
import { flattenRow } from "../../format/flatten-row.js";
import type { KeySelection } from "../../format/key-selection.js";
import type { HistoryExport, HistoryResult } from "./history-export.js";
import { rowBatches } from "./row-batches.js";

export async function writeHistoryCsv(job: HistoryExport): Promise<HistoryResult> {
  const { columns, rows, issues } = await collectColumns(job);
  const { sink, keys } = job;
  sink.add(encodeCsvHeader(columns));
  const line = job.progress("exporting history", rows);
  let read = 0;
  let written = 0;
  // The first pass already collected the log's issues; this pass would only repeat them.
  pass: for await (const batch of rowBatches(job.rows([]))) {
    for (const row of batch) {
      if (read === rows) break pass;
      line.tick(++read);
      const flat = flattenRow(row);
      if (keys && !holdsSelectedKey(flat, keys)) continue;
      written++;
      if (sink.add(encodeCsvLine(columns, flat))) {
        await sink.flush();
        if (sink.closed) break pass;
      }
    }
  }
  await sink.flush();
  line.clear();
  return { read, written, issues };
}

async function collectColumns({ rows: source, keys, progress, seen }: HistoryExport): Promise<{
  columns: string[];
  rows: number;
  issues: HistoryResult["issues"];
}> {
  const line = progress("collecting columns", null);
  const columns = new CsvColumns();
  const issues: HistoryResult["issues"] = [];
  let rows = 0;
  for await (const batch of rowBatches(source(issues))) {
    for (const row of batch) {
      line.tick(++rows);
      const names = [...flattenRow(row).keys()];
      if (keys && seen) for (const name of names) seen.add(name);
      columns.observe(keys ? filterNames(names, keys) : names);
    }
  }
  line.clear();
  return { columns: columns.list(), rows, issues };
}

function* filterNames(names: Iterable<string>, keys: KeySelection): Generator<string> {
  for (const name of names) if (name === "_step" || keys.keepsColumn(name)) yield name;
}

function holdsSelectedKey(flat: ReadonlyMap<string, unknown>, keys: KeySelection): boolean {
  for (const name of flat.keys()) if (keys.keepsColumn(name)) return true;
  return false;
}
