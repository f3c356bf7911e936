/**
 * A page of table rows (protocol TablePage, kind `rows`) as records for a Vega-Lite spec: one
 * object per row keyed by column name, with the run it came from (`_run`, `_runName`) so that
 * an overlay preset can colour by run.
 */
import type { TablePage } from "@stepwise/protocol";

export type TableRecord = Record<string, unknown>;

export function pageRecords(
  page: Extract<TablePage, { kind: "rows" }>,
  run: { id: string; name: string },
): TableRecord[] {
  return page.rows.map((row) => {
    const record: TableRecord = { _run: run.id, _runName: run.name };
    page.columns.forEach((column, i) => {
      record[column] = row.cells[i];
    });
    return record;
  });
}
