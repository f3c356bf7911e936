/**
 * One run's version of a table key with the panel's settings: its rows (TableGrid, pages from
 * the server in the panel's sort and filter order) or, grouped, one row per distinct value of
 * the group column with its count and each number column's mean. Reports the table's columns
 * (for the show/hide menu) and a filter the server refused (for the filter box).
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import type { RunRef, TableColumn, TablePage } from "@stepwise/protocol";
import { queryTable } from "../../api/structured-client.js";
import { formatNumber } from "../../lib/cell-format.js";
import { cellView } from "../../lib/table-cell.js";
import { TableGrid, type GridRow, type TableSort } from "./TableGrid.js";
import { useTablePages, type LoadPage } from "./useTablePages.js";

export interface TableSettings {
  where: string;
  sort: TableSort | null;
  groupBy: string;
  hidden: readonly string[];
}

export interface RunTableViewProps {
  run: RunRef;
  tableKey: string;
  step: number;
  settings: TableSettings;
  onSort: (sort: TableSort | null) => void;
  onSchema: (columns: readonly TableColumn[]) => void;
  onError: (error: unknown) => void;
  height: number;
}

export function RunTableView(props: RunTableViewProps) {
  const { run, tableKey, step, settings, onSchema, onError } = props;
  const [schema, setSchema] = useState<readonly TableColumn[] | null>(null);
  const [matched, setMatched] = useState<number | null>(null);
  const base = useMemo(
    () => ({
      key: tableKey,
      step,
      ...(settings.where.trim() === "" ? {} : { where: settings.where }),
      ...(settings.sort === null ? {} : { sort: [settings.sort] }),
    }),
    [tableKey, step, settings.where, settings.sort],
  );
  const queryKey = `${run.runId}\u0000${JSON.stringify(base)}`;
  const load = useCallback<LoadPage<GridRow>>(
    async (offset, limit, signal) => {
      try {
        const page = await queryTable(run, { ...base, offset, limit }, signal);
        if (page.kind !== "rows") return { rows: [], total: 0 };
        setSchema(page.schema);
        setMatched(page.matchedRows);
        onSchema(page.schema);
        const order = page.schema.map((c) => page.columns.indexOf(c.name));
        return {
          rows: page.rows.map((r) => ({
            index: r.index,
            cells: order.map((i) => (i < 0 ? undefined : r.cells[i])),
          })),
          total: page.matchedRows,
        };
      } catch (error) {
        if (!signal.aborted) onError(error);
        throw error;
      }
    },
    [queryKey],
  );
  const pages = useTablePages(queryKey, settings.groupBy === "" ? load : null);
  const shownIndexes = useMemo(
    () => (schema ?? []).map((c, i) => [c, i] as const).filter(([c]) => !settings.hidden.includes(c.name)),
    [schema, settings.hidden],
  );
  const shownColumns = useMemo(() => shownIndexes.map(([c]) => c), [shownIndexes]);
  // The grid reads cells in shown-column order.
  const shownPages = useMemo(
    () => ({
      ...pages,
      rowAt: (index: number) => {
        const row = pages.rowAt(index);
        return row === undefined
          ? undefined
          : { index: row.index, cells: shownIndexes.map(([, i]) => row.cells[i]) };
      },
    }),
    [pages, pages.version, shownIndexes],
  );
  if (settings.groupBy !== "") return <GroupedTable {...props} base={base} />;
  return (
    <div className="run-table" data-testid="run-table" data-run-id={run.runId} data-step={step}>
      <div className="run-table-count" data-testid="table-count" data-matched={matched ?? ""}>
        {matched === null ? "Loading…" : `${matched.toLocaleString("en")} rows`}
      </div>
      <TableGrid
        run={run}
        columns={shownColumns}
        pages={shownPages}
        sort={settings.sort}
        onSort={props.onSort}
        height={props.height}
      />
    </div>
  );
}

const GROUP_LIMIT = 1000;

function GroupedTable({
  run,
  settings,
  onError,
  onSchema,
  height,
  base,
}: RunTableViewProps & { base: object }) {
  const [page, setPage] = useState<Extract<TablePage, { kind: "groups" }> | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    queryTable(
      run,
      { ...(base as { key: string }), groupBy: settings.groupBy, limit: GROUP_LIMIT },
      controller.signal,
    ).then(
      (answer) => {
        if (answer.kind !== "groups") return;
        setPage(answer);
        onSchema(answer.schema);
      },
      (error: unknown) => {
        if (!controller.signal.aborted) onError(error);
      },
    );
    return () => controller.abort();
  }, [run.runId, JSON.stringify(base), settings.groupBy]);
  if (page === null) return <div className="chart-placeholder">Loading…</div>;
  const numbers = page.schema.filter(
    (c) => c.type === "number" && c.name !== page.groupBy && !settings.hidden.includes(c.name),
  );
  return (
    <div className="run-table" data-testid="run-table" data-run-id={run.runId} style={{ maxHeight: height }}>
      <div className="run-table-count" data-testid="table-count">
        {page.groupCount} groups of {page.matchedRows.toLocaleString("en")} rows
        {page.groupCount > page.groups.length && ` (first ${page.groups.length} shown)`}
      </div>
      <table className="table-groups" data-testid="table-groups">
        <thead>
          <tr>
            <th>{page.groupBy}</th>
            <th>rows</th>
            {numbers.map((c) => (
              <th key={c.name} title={`mean of ${c.name} (min – max)`}>
                {c.name} (mean)
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {page.groups.map((group, i) => {
            const view = cellView(group.value);
            return (
              <tr key={i} data-testid="table-group" data-count={group.count}>
                <td>{view.kind === "text" ? view.text : view.kind === "empty" ? "" : view.path}</td>
                <td className="is-right">{group.count}</td>
                {numbers.map((c) => {
                  const stats = group.stats[c.name];
                  return (
                    <td
                      key={c.name}
                      className="is-right"
                      title={stats == null ? "" : `min ${stats.min ?? "–"} · max ${stats.max ?? "–"}`}
                    >
                      {stats?.mean == null ? "–" : formatNumber(stats.mean)}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
