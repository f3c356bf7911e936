/**
 * The rows a custom chart draws: the latest version of its table, read a page of 1,000 at a
 * time up to MAX_CHART_ROWS (W&B resamples PR and ROC curves past 10,000 rows; a chart of more
 * points than that is not readable anyway), as records tagged with their run.
 */
import { useEffect, useState } from "react";
import { TABLE_PAGE_MAX_ROWS, type RunRef } from "@stepwise/protocol";
import { queryTable } from "../../../api/structured-client.js";
import { pageRecords, type TableRecord } from "../../../lib/table-records.js";

export const MAX_CHART_ROWS = 10_000;

export interface ChartRowsRun {
  ref: RunRef;
  name: string;
  tableKey: string;
  /** What the run's summary holds for the table (its latest version): a new one refetches. */
  version?: string;
}

export interface ChartRows {
  rows: TableRecord[] | null;
  /** Rows left out past MAX_CHART_ROWS. */
  clipped: number;
  error: unknown;
}

export function useChartRows(runs: readonly ChartRowsRun[]): ChartRows {
  const [state, setState] = useState<ChartRows>({ rows: null, clipped: 0, error: null });
  const runsKey = runs.map((r) => `${r.ref.runId}\u0000${r.tableKey}\u0000${r.version ?? ""}`).join("\u0001");
  useEffect(() => {
    const controller = new AbortController();
    const load = async (): Promise<void> => {
      const all: TableRecord[] = [];
      let clipped = 0;
      for (const run of runs) {
        for (let offset = 0; ; offset += TABLE_PAGE_MAX_ROWS) {
          const limit = Math.min(TABLE_PAGE_MAX_ROWS, MAX_CHART_ROWS - offset);
          const page = await queryTable(run.ref, { key: run.tableKey, offset, limit }, controller.signal);
          if (page.kind !== "rows") break;
          all.push(...pageRecords(page, { id: run.ref.runId, name: run.name }));
          const next = offset + page.rows.length;
          if (next >= page.matchedRows || page.rows.length === 0) break;
          if (next >= MAX_CHART_ROWS) {
            clipped += page.matchedRows - next;
            break;
          }
        }
      }
      setState({ rows: all, clipped, error: null });
    };
    load().catch((error: unknown) => {
      if (!controller.signal.aborted) setState({ rows: null, clipped: 0, error });
    });
    return () => controller.abort();
  }, [runsKey]);
  return state;
}
