/**
 * The runs table's columns: the fixed ones (state, name, created, runtime, tags, group) and the
 * `config.<path>` / `summary.<path>` columns a user adds, with each cell's text computed once per
 * runs array (cells are plain strings, so rendering 10,000 rows formats nothing).
 */
import type { RunDto } from "@stepwise/protocol";
import { readDottedValue, splitValueColumn } from "./dotted-value.js";
import { formatCellValue } from "./cell-format.js";
import { histogramOf } from "./histogram-value.js";
import { formatDateTime, formatDuration, formatRelativeTime, runDuration } from "./time-format.js";

export interface RunColumn {
  /** The column id, also its sort spec and its `data-col`: `name`, `createdAt`, `summary.val/acc`. */
  id: string;
  /** Header text: the field, or the path of a config/summary column. */
  label: string;
  /** `config` / `summary` for added columns; shown small in the header. */
  source: "run" | "config" | "summary";
  /** Pixels. */
  width: number;
  align: "left" | "right";
}

/** Widths sum to ~600 px with the toggle column: the table fits a 40% panel on a laptop. */
export const FIXED_COLUMNS: readonly RunColumn[] = [
  { id: "state", label: "State", source: "run", width: 84, align: "left" },
  { id: "name", label: "Name", source: "run", width: 160, align: "left" },
  { id: "createdAt", label: "Created", source: "run", width: 84, align: "left" },
  { id: "runtime", label: "Runtime", source: "run", width: 76, align: "right" },
  { id: "tags", label: "Tags", source: "run", width: 90, align: "left" },
  { id: "group", label: "Group", source: "run", width: 90, align: "left" },
];

/**
 * The table's columns: state and name, then each valid added column once (right after the name,
 * so that what the user asked for is in view without scrolling), then the other fixed columns.
 */
export function tableColumns(extra: readonly string[]): RunColumn[] {
  const added: RunColumn[] = [];
  const seen = new Set<string>();
  for (const id of extra) {
    const value = splitValueColumn(id);
    if (value === null || seen.has(id)) continue;
    seen.add(id);
    added.push({
      id,
      label: value.path,
      source: value.source,
      width: addedWidth(value.path),
      align: "right",
    });
  }
  const nameAt = FIXED_COLUMNS.findIndex((column) => column.id === "name") + 1;
  return [...FIXED_COLUMNS.slice(0, nameAt), ...added, ...FIXED_COLUMNS.slice(nameAt)];
}

/** Room for the header (source badge, label, sort arrow) of short keys; long ones are cut. */
function addedWidth(label: string): number {
  return Math.min(160, Math.max(84, 44 + label.length * 7));
}

/** One cell's text, and a longer title where the text is abbreviated. */
export interface Cell {
  text: string;
  title: string;
  /** A histogram value (summary): the table draws it as small bars. */
  histogram?: { bins: number[]; counts: number[] };
}

/**
 * Every cell of every run, in column order. `now` in Unix seconds (for "5m ago"). `cache` holds
 * the cells of run objects seen before with the same columns: while 10 pages of 1,000 runs
 * arrive, each page formats only its own runs (a changed run is a new object, so it is redone).
 */
export function buildCells(
  runs: readonly RunDto[],
  columns: readonly RunColumn[],
  now: number,
  cache: WeakMap<RunDto, Cell[]> = new WeakMap(),
): Map<string, Cell[]> {
  const readers = columns.map((column) => cellReader(column, now));
  const cells = new Map<string, Cell[]>();
  for (const run of runs) {
    let row = cache.get(run);
    if (row === undefined) {
      row = readers.map((read) => read(run));
      cache.set(run, row);
    }
    cells.set(run.id, row);
  }
  return cells;
}

function cellReader(column: RunColumn, now: number): (run: RunDto) => Cell {
  const value = splitValueColumn(column.id);
  if (value !== null) {
    return (run) => {
      const raw = readDottedValue(run[value.source], value.path);
      const text = formatCellValue(raw);
      const histogram = histogramOf(raw);
      return {
        text,
        title: raw === undefined ? "" : fullText(raw),
        ...(histogram === null ? {} : { histogram }),
      };
    };
  }
  switch (column.id) {
    case "state":
      return (run) => ({ text: run.state, title: "" });
    case "name":
      return (run) => ({ text: run.name, title: `${run.name} (${run.id})` });
    case "createdAt":
      return (run) => ({
        text: formatRelativeTime(run.createdAt, now),
        title: formatDateTime(run.createdAt),
      });
    case "runtime":
      return (run) => ({ text: formatDuration(runDuration(run)), title: "" });
    case "tags":
      return (run) => ({ text: run.tags.join(", "), title: run.tags.join(", ") });
    case "group":
      return (run) => ({ text: run.group, title: run.group });
    default:
      return () => ({ text: "", title: "" });
  }
}

function fullText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return JSON.stringify(value) ?? String(value);
}
