/**
 * Grouping the runs table by `group`, `jobType` or a config value (`config.opt.name`): each
 * distinct value becomes a group, groups in natural order of their label (numbers numerically),
 * runs inside a group in the table's order, and runs without the value in a last "(none)" group.
 */
import type { RunDto } from "@stepwise/protocol";
import { readDottedValue, splitValueColumn } from "./dotted-value.js";

export const NONE_GROUP = "(none)";

export interface RunGroup {
  /** Distinct per group: the value with its type, so that 1 and "1" stay apart. */
  key: string;
  /** What the group header shows. */
  label: string;
  runs: RunDto[];
}

/** A row of the grouped table: a group header, or one of its runs. */
export type GroupedRow =
  { kind: "group"; group: RunGroup; collapsed: boolean } | { kind: "run"; run: RunDto };

export function groupRuns(runs: readonly RunDto[], groupBy: string): RunGroup[] {
  const valueOf = groupValue(groupBy);
  const groups = new Map<string, RunGroup & { value: unknown }>();
  const none: RunGroup = { key: NONE_GROUP, label: NONE_GROUP, runs: [] };
  for (const run of runs) {
    const value = valueOf(run);
    if (value === undefined || value === null || value === "") {
      none.runs.push(run);
      continue;
    }
    const key = groupKey(value);
    let group = groups.get(key);
    if (group === undefined) {
      group = { key, label: groupLabel(value), runs: [], value };
      groups.set(key, group);
    }
    group.runs.push(run);
  }
  const sorted: RunGroup[] = [...groups.values()]
    .sort((a, b) => compareValues(a.value, b.value) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ key, label, runs: members }) => ({ key, label, runs: members }));
  if (none.runs.length > 0) sorted.push(none);
  return sorted;
}

/** The table's rows: each group's header, then its runs unless the group is collapsed. */
export function flattenGroups(groups: readonly RunGroup[], collapsed: ReadonlySet<string>): GroupedRow[] {
  const rows: GroupedRow[] = [];
  for (const group of groups) {
    const isCollapsed = collapsed.has(group.key);
    rows.push({ kind: "group", group, collapsed: isCollapsed });
    if (!isCollapsed) for (const run of group.runs) rows.push({ kind: "run", run });
  }
  return rows;
}

function groupValue(groupBy: string): (run: RunDto) => unknown {
  if (groupBy === "group") return (run) => run.group;
  if (groupBy === "jobType") return (run) => run.jobType;
  const column = splitValueColumn(groupBy);
  if (column !== null) return (run) => readDottedValue(run[column.source], column.path);
  return () => undefined;
}

function groupKey(value: unknown): string {
  return `${typeof value}:${typeof value === "string" ? value : JSON.stringify(value)}`;
}

function groupLabel(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return JSON.stringify(value);
}

const collator = new Intl.Collator(undefined, { numeric: true });

/** Numbers first, numerically; then text in natural order (`run-2` before `run-10`); then the rest. */
function compareValues(a: unknown, b: unknown): number {
  const rank = (v: unknown): number => (typeof v === "number" ? 0 : typeof v === "string" ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === "number" && typeof b === "number") return a - b;
  return collator.compare(groupLabel(a), groupLabel(b));
}
