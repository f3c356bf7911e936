/**
 * One table version as a grid: a sticky header (a click sorts by the column, again reverses, a
 * third click clears), then only the rows in the scroll box (react-virtual) from the pages the
 * server sends (useTablePages: sort, filter and paging happen on the server, so a 1,000,000-row
 * table costs the page what is on screen). Rows are 28 px, or 72 px when a shown column holds
 * images (their thumbnails). A browser cannot scroll an element taller than ~33.5M px, so a
 * table of more rows than fit in SCROLL_PX is scrolled a block at a time, with buttons to the
 * next and previous blocks.
 */
import { useEffect, useRef, useState } from "react";
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
/** Under Chromium's and Firefox's largest element heights (33,554,428 and 17,895,697 px). */
const SCROLL_PX = 16_000_000;

export function TableGrid({ run, columns, pages, sort, onSort, height }: TableGridProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const rowHeight = columns.some((c) => c.type === "media" || c.type === "mixed") ? MEDIA_ROW : ROW;
  const total = pages.total ?? 0;
  const block = Math.floor(SCROLL_PX / rowHeight);
  const [base, setBase] = useState(0);
  useEffect(() => setBase(0), [total, sort]);
  const count = Math.max(0, Math.min(block, total - base));
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
    if (count > 0) want(base + first, base + last);
  }, [base, first, last, count, want]);
  const moveBlock = (to: number): void => {
    setBase(to);
    scroller.current?.scrollTo({ top: 0 });
  };
  const template = `${INDEX_WIDTH}px ${columns.map((c) => (c.type === "number" ? "minmax(90px, 1fr)" : "minmax(140px, 2fr)")).join(" ")}`;
  const minWidth = INDEX_WIDTH + columns.reduce((sum, c) => sum + (c.type === "number" ? 90 : 140), 0);
  const clickSort = (column: string): void => {
    if (sort?.column !== column) onSort({ column, desc: false });
    else if (!sort.desc) onSort({ column, desc: true });
    else onSort(null);
  };
  const blocks =
    total > block ? (
      <div className="table-blocks" data-testid="table-blocks">
        <button type="button" disabled={base === 0} onClick={() => moveBlock(Math.max(0, base - block))}>
          ‹ previous
        </button>
        rows {(base + 1).toLocaleString("en")}–{(base + count).toLocaleString("en")} of{" "}
        {total.toLocaleString("en")}
        <button type="button" disabled={base + count >= total} onClick={() => moveBlock(base + block)}>
          next ›
        </button>
      </div>
    ) : null;
  return (
    <>
      {blocks}
      <div
        className="table-grid"
        data-testid="table-grid"
        ref={scroller}
        style={{ height }}
        role="table"
        aria-rowcount={total}
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
            const row = pages.rowAt(base + item.index);
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
    </>
  );
}
