/**
 * One table version as a grid: a sticky header (a click sorts by the column, again reverses, a
 * third click clears), then only the rows in the scroll box (react-virtual) from the pages the
 * server sends (useTablePages: sort, filter and paging happen on the server, so a 1,000,000-row
 * table costs the page what is on screen). Rows are 28 px, or 72 px when a shown column holds
 * images (their thumbnails).
 */
import { useEffect, useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { RunRef, TableColumn } from "@stepwise/protocol";
import { TableCell } from "./TableCell.js";
import type { TablePages } from "./useTablePages.js";

export interface GridRow {
  index: number;
  cells: unknown[];
}

export interface TableSort {
  column: string;
  desc: boolean;
}

export interface TableGridProps {
  run: RunRef;
  columns: readonly TableColumn[];
  pages: TablePages<GridRow>;
  sort: TableSort | null;
  onSort: (sort: TableSort | null) => void;
  height: number;
}

const ROW = 28;
const MEDIA_ROW = 72;
const INDEX_WIDTH = 56;

export function TableGrid({ run, columns, pages, sort, onSort, height }: TableGridProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const rowHeight = columns.some((c) => c.type === "media" || c.type === "mixed") ? MEDIA_ROW : ROW;
  const count = pages.total ?? 0;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { want } = pages;
  useEffect(() => {
    if (count > 0) want(first, last);
  }, [first, last, count, want]);
  const template = `${INDEX_WIDTH}px ${columns.map((c) => (c.type === "number" ? "minmax(90px, 1fr)" : "minmax(140px, 2fr)")).join(" ")}`;
  const minWidth = INDEX_WIDTH + columns.reduce((sum, c) => sum + (c.type === "number" ? 90 : 140), 0);
  const clickSort = (column: string): void => {
    if (sort?.column !== column) onSort({ column, desc: false });
    else if (!sort.desc) onSort({ column, desc: true });
    else onSort(null);
  };
  return (
    <div
      className="table-grid"
      data-testid="table-grid"
      ref={scroller}
      style={{ height }}
      role="table"
      aria-rowcount={count}
    >
      <div
        className="table-grid-row table-grid-head"
        style={{ gridTemplateColumns: template, minWidth }}
        role="row"
      >
        <div className="table-grid-cell is-index" role="columnheader">
          #
        </div>
        {columns.map((column) => (
          <button
            type="button"
            key={column.name}
            className="table-grid-cell table-grid-header"
            data-testid="table-column"
            data-column={column.name}
            role="columnheader"
            aria-sort={sort?.column === column.name ? (sort.desc ? "descending" : "ascending") : "none"}
            title={`${column.name} (${column.mediaType ?? column.type}); click to sort`}
            onClick={() => clickSort(column.name)}
          >
            <span className="table-grid-name">{column.name}</span>
            {sort?.column === column.name && <span aria-hidden="true">{sort.desc ? " ▼" : " ▲"}</span>}
          </button>
        ))}
      </div>
      <div style={{ height: virtualizer.getTotalSize(), minWidth, position: "relative" }}>
        {items.map((item) => {
          const row = pages.rowAt(item.index);
          return (
            <div
              key={item.index}
              className="table-grid-row"
              data-testid="table-row"
              data-row-index={row?.index}
              role="row"
              style={{
                gridTemplateColumns: template,
                height: rowHeight,
                transform: `translateY(${item.start}px)`,
              }}
            >
              <div className="table-grid-cell is-index" role="cell">
                {row === undefined ? "" : row.index}
              </div>
              {columns.map((column, i) =>
                row === undefined ? (
                  <div key={column.name} className="table-grid-cell is-loading" role="cell" />
                ) : (
                  <TableCell key={column.name} run={run} value={row.cells[i]} column={column.name} />
                ),
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
