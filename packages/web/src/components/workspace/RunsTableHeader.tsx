/**
 * The runs table's sticky header: a show-all/hide-all checkbox, then one sortable header per
 * column (click sorts ascending, again descending); added columns can be removed.
 */
import { useEffect, useRef, type CSSProperties } from "react";
import { parseSortSpec } from "../../lib/run-sort.js";
import type { RunColumn } from "../../lib/run-columns.js";

/** Columns pinned on the left with the toggle (see workspace.css). */
const PINNED = new Set(["state", "name"]);

export interface RunsTableHeaderProps {
  columns: readonly RunColumn[];
  sort: string;
  allVisible: boolean;
  /** Some runs hidden, some not: the checkbox shows a dash, and a click shows every run. */
  someHidden: boolean;
  style: CSSProperties;
  onSort: (column: string) => void;
  onToggleAll: () => void;
  onRemoveColumn: (column: string) => void;
}

export function RunsTableHeader({
  columns,
  sort,
  allVisible,
  someHidden,
  style,
  onSort,
  onToggleAll,
  onRemoveColumn,
}: RunsTableHeaderProps) {
  const current = parseSortSpec(sort);
  const toggleAll = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (toggleAll.current !== null) toggleAll.current.indeterminate = someHidden && !allVisible;
  }, [someHidden, allVisible]);
  return (
    <div className="runs-row runs-header" role="row" style={style}>
      <div className="runs-cell runs-cell-toggle" role="columnheader">
        <input
          type="checkbox"
          ref={toggleAll}
          data-testid="runs-visibility-all"
          checked={allVisible}
          onChange={onToggleAll}
          title={allVisible ? "Hide all runs from the charts" : "Show all runs in the charts"}
          aria-label="Show all runs in charts"
        />
      </div>
      {columns.map((column) => {
        const sorted = current.column === column.id;
        const ariaSort = sorted ? (current.desc ? "descending" : "ascending") : "none";
        return (
          <div
            key={column.id}
            className={`runs-cell runs-col-header${PINNED.has(column.id) ? ` runs-col-${column.id}` : ""}${column.align === "right" ? " is-right" : ""}${sorted ? " is-sorted" : ""}`}
            role="columnheader"
            aria-sort={ariaSort}
            data-testid="col-header"
            data-col={column.id}
            title={column.source === "run" ? `Sort by ${column.label}` : `${column.id} — click to sort`}
            onClick={() => onSort(column.id)}
          >
            {column.source !== "run" && (
              <span className="runs-col-source">{column.source === "config" ? "c" : "s"}</span>
            )}
            <span className="runs-col-label">{column.label}</span>
            {sorted && <span className="runs-sort-arrow">{current.desc ? "↓" : "↑"}</span>}
            {column.source !== "run" && (
              <button
                type="button"
                className="runs-col-remove"
                title={`Remove column ${column.id}`}
                aria-label={`Remove column ${column.id}`}
                onClick={(event) => {
                  event.stopPropagation();
                  onRemoveColumn(column.id);
                }}
              >
                ×
              </button>
            )}
          </div>
        );
      })}
    </div>
  );
}
