/**
 * The run's files as a folder tree: one row per open folder's entry, drawn only near the scroll
 * box's view (a run of 10,000 files in open folders renders a few dozen rows). A folder row shows
 * its file count, size total and newest time; a file row its size, time and a download link.
 *
 * Keys (the tree is one Tab stop; the row under the cursor is its active descendant): ↑ ↓ Home
 * End PageUp PageDown move, → opens a folder or steps into it, ← closes it or steps out to the
 * parent, Enter or Space previews a file or opens/closes a folder.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { RunRef } from "@stepwise/protocol";
import type { FileTreeRow } from "../../lib/file-tree.js";
import { formatBytes } from "../../lib/run-meta.js";
import { formatDateTime, formatRelativeTime } from "../../lib/time-format.js";
import { FileDownloadLink } from "./FileDownloadLink.js";

/** Row height in px: one line of 12 px text with padding (rows never wrap: names are cut with …). */
const ROW_HEIGHT = 24;
const PAGE_ROWS = 10;

export interface FileTreeProps {
  runRef: RunRef;
  rows: readonly FileTreeRow[];
  selected: string | null;
  now: number;
  onSelect: (path: string) => void;
  onToggle: (folder: string, open: boolean) => void;
}

export function FileTree({ runRef, rows, selected, now, onSelect, onToggle }: FileTreeProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [cursor, setCursor] = useState<string | null>(selected);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => rows[index]?.node.path ?? index,
  });
  const indexOf = (path: string | null): number =>
    path === null ? -1 : rows.findIndex((row) => row.node.path === path);
  const cursorIndex = Math.max(0, indexOf(cursor));

  // A file selected from outside (the URL) scrolls into view; only a new selection scrolls, not
  // a folder opened (so `rows` is read through a ref).
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  useEffect(() => {
    const index = selected === null ? -1 : rowsRef.current.findIndex((row) => row.node.path === selected);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: "auto" });
  }, [selected, virtualizer]);

  const moveTo = (index: number): void => {
    const row = rows[Math.min(rows.length - 1, Math.max(0, index))];
    if (row === undefined) return;
    setCursor(row.node.path);
    virtualizer.scrollToIndex(indexOf(row.node.path), { align: "auto" });
  };
  const activate = (row: FileTreeRow): void => {
    setCursor(row.node.path);
    if (row.node.kind === "folder") onToggle(row.node.path, !row.open);
    else onSelect(row.node.path);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const row = rows[cursorIndex];
    if (row === undefined) return;
    const isFolder = row.node.kind === "folder";
    const moves: Record<string, () => void> = {
      ArrowDown: () => moveTo(cursorIndex + 1),
      ArrowUp: () => moveTo(cursorIndex - 1),
      Home: () => moveTo(0),
      End: () => moveTo(rows.length - 1),
      PageDown: () => moveTo(cursorIndex + PAGE_ROWS),
      PageUp: () => moveTo(cursorIndex - PAGE_ROWS),
      ArrowRight: () =>
        isFolder && !row.open ? onToggle(row.node.path, true) : isFolder && moveTo(cursorIndex + 1),
      ArrowLeft: () => (isFolder && row.open ? onToggle(row.node.path, false) : moveTo(indexOf(row.parent))),
      Enter: () => activate(row),
      " ": () => activate(row),
    };
    const move = moves[event.key];
    if (move === undefined) return;
    event.preventDefault();
    move();
  };

  const items = virtualizer.getVirtualItems();
  const active = rows[cursorIndex];
  return (
    <div
      className="file-tree"
      ref={scroller}
      role="tree"
      aria-label="Run files"
      tabIndex={0}
      data-testid="file-tree"
      aria-activedescendant={active === undefined ? undefined : rowId(cursorIndex)}
      onKeyDown={onKeyDown}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {items.map((item) => {
          const row = rows[item.index];
          if (row === undefined) return null;
          return (
            <TreeRow
              key={item.key}
              id={rowId(item.index)}
              runRef={runRef}
              row={row}
              top={item.start}
              now={now}
              selected={row.node.path === selected}
              focused={item.index === cursorIndex}
              onClick={() => {
                activate(row);
                scroller.current?.focus({ preventScroll: true });
              }}
            />
          );
        })}
      </div>
    </div>
  );
}

function rowId(index: number): string {
  return `file-row-${index}`;
}

interface TreeRowProps {
  id: string;
  runRef: RunRef;
  row: FileTreeRow;
  top: number;
  now: number;
  selected: boolean;
  focused: boolean;
  onClick: () => void;
}

function TreeRow({ id, runRef, row, top, now, selected, focused, onClick }: TreeRowProps) {
  const { node, depth } = row;
  const isFolder = node.kind === "folder";
  const size = isFolder ? node.size : node.item.size;
  const updatedAt = isFolder ? node.updatedAt : node.item.updatedAt;
  const className = ["file-row", selected ? "selected" : "", focused ? "focused" : ""].join(" ").trim();
  return (
    <div
      id={id}
      className={className}
      role="treeitem"
      aria-level={depth + 1}
      aria-selected={selected}
      {...(isFolder ? { "aria-expanded": row.open } : {})}
      data-testid={isFolder ? "file-folder" : "file-row"}
      data-path={node.path}
      style={{ top, height: ROW_HEIGHT }}
      onClick={onClick}
    >
      <span className="file-name" style={{ paddingLeft: depth * 16 }} title={node.path}>
        <span className="file-caret" aria-hidden="true">
          {isFolder ? (row.open ? "▾" : "▸") : ""}
        </span>
        {node.name}
        {isFolder ? "/" : ""}
      </span>
      <span className="file-count muted" data-testid="file-count">
        {isFolder ? `${node.count} ${node.count === 1 ? "file" : "files"}` : ""}
      </span>
      <span className="file-size" data-testid="file-size" title={`${size} bytes`}>
        {formatBytes(size)}
      </span>
      <time className="file-time muted" title={formatDateTime(updatedAt)}>
        {formatRelativeTime(updatedAt, now)}
      </time>
      <span className="file-row-download">
        {!isFolder && (
          <FileDownloadLink runRef={runRef} path={node.path} tabIndex={-1}>
            ⤓
          </FileDownloadLink>
        )}
      </span>
    </div>
  );
}
