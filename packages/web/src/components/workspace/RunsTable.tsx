/**
 * The runs table: virtualised (only the rows in view, plus a few, are in the DOM), fixed 28 px
 * rows, a sticky header, optional group rows. Everything a row shows is computed before it gets
 * here (cells, colours, visibility), so a scroll or a sort re-renders only what is visible.
 */
import { useMemo, useRef, type CSSProperties } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { Cell, RunColumn } from "../../lib/run-columns.js";
import type { GroupedRow } from "../../lib/run-groups.js";
import { runColor } from "../../lib/run-colors.js";
import { GroupRow } from "./GroupRow.js";
import { RunRow } from "./RunRow.js";
import { RunsTableHeader } from "./RunsTableHeader.js";

export const ROW_HEIGHT = 28;
const TOGGLE_WIDTH = 28;

export interface RunsTableProps {
  rows: readonly GroupedRow[];
  columns: readonly RunColumn[];
  cells: ReadonlyMap<string, Cell[]>;
  sort: string;
  groupBy: string;
  isHidden: (runId: string) => boolean;
  allVisible: boolean;
  someHidden: boolean;
  runHref: (runId: string) => string;
  onSort: (column: string) => void;
  onToggleRun: (runId: string) => void;
  onToggleAll: () => void;
  onToggleGroup: (key: string) => void;
  onRemoveColumn: (column: string) => void;
}

export function RunsTable(props: RunsTableProps) {
  const { rows, columns, cells, isHidden, runHref, onToggleRun } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => {
      const row = rows[index];
      return row === undefined ? index : row.kind === "run" ? row.run.id : `group:${row.group.key}`;
    },
  });
  const { rowStyle, width } = useMemo(() => {
    const widths = [TOGGLE_WIDTH, ...columns.map((column) => column.width)];
    // The name column takes what is left of the panel's width.
    const template = widths.map((w, i) => (columns[i - 1]?.id === "name" ? `minmax(${w}px, 1fr)` : `${w}px`));
    const total = widths.reduce((sum, w) => sum + w, 0);
    // The toggle, state and name stay pinned on the left while added columns scroll sideways.
    const stateWidth = columns.find((column) => column.id === "state")?.width ?? 0;
    const style = {
      gridTemplateColumns: template.join(" "),
      minWidth: total,
      "--pin-state": `${TOGGLE_WIDTH}px`,
      "--pin-name": `${TOGGLE_WIDTH + stateWidth}px`,
    } as CSSProperties;
    return { rowStyle: style, width: total };
  }, [columns]);

  return (
    <div
      className="runs-table"
      data-testid="runs-table"
      role="table"
      aria-rowcount={rows.length}
      ref={scroller}
    >
      <RunsTableHeader
        columns={columns}
        sort={props.sort}
        allVisible={props.allVisible}
        someHidden={props.someHidden}
        style={rowStyle}
        onSort={props.onSort}
        onToggleAll={props.onToggleAll}
        onRemoveColumn={props.onRemoveColumn}
      />
      <div className="runs-body" style={{ height: virtualizer.getTotalSize(), minWidth: width }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index];
          if (row === undefined) return null;
          if (row.kind === "group") {
            return (
              <GroupRow
                key={item.key}
                group={row.group}
                groupBy={props.groupBy}
                collapsed={row.collapsed}
                style={rowStyle}
                top={item.start}
                onToggle={props.onToggleGroup}
              />
            );
          }
          const run = row.run;
          return (
            <RunRow
              key={item.key}
              run={run}
              cells={cells.get(run.id) ?? []}
              columns={columns}
              color={runColor(run)}
              hidden={isHidden(run.id)}
              runHref={runHref(run.id)}
              style={rowStyle}
              top={item.start}
              onToggle={onToggleRun}
            />
          );
        })}
      </div>
    </div>
  );
}
