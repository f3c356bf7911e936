/**
 * The compare view's rows: for one section (config, summary or metadata) the union of every
 * run's flattened keys, each run's value, and whether they differ — deep equality where NaN
 * equals NaN and a key one run lacks differs from any value another run has.
 */
import type { RunDto } from "@stepwise/protocol";
import { compareSegments, flattenValues, isPlainObject, type FlatRow } from "./flatten-values.js";
import { runMetadata } from "./run-meta.js";

export interface DiffRow {
  key: string;
  segments: string[];
  /** One per run, in the runs' order; `undefined` where the run lacks the key. */
  values: unknown[];
  differs: boolean;
  /** Per run: whether its value stands out (see `outlierCells`). */
  cellDiffers: boolean[];
}

/** Deep equality of two values from extended JSON: NaN equals NaN, object key order is ignored. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a === "number" && typeof b === "number") return a === b; // 0 and -0
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => valuesEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keysA = Object.keys(a).filter((k) => a[k] !== undefined);
    const keysB = Object.keys(b).filter((k) => b[k] !== undefined);
    if (keysA.length !== keysB.length) return false;
    return keysA.every((k) => Object.hasOwn(b, k) && valuesEqual(a[k], b[k]));
  }
  return false;
}

/** True when the values are not all equal; a missing value (`undefined`) equals only another. */
export function valuesDiffer(values: readonly unknown[]): boolean {
  if (values.length < 2) return false;
  const [first, ...rest] = values;
  return rest.some((v) => (v === undefined || first === undefined ? v !== first : !valuesEqual(first, v)));
}

/**
 * Which cells of a row to highlight: when one value is shared by more runs than any other, the
 * cells that differ from it; when no value is (two runs that differ, or a tie), every cell.
 * None when all values are equal.
 */
export function outlierCells(values: readonly unknown[]): boolean[] {
  const same = (a: unknown, b: unknown) => (a === undefined || b === undefined ? a === b : valuesEqual(a, b));
  const counts = values.map((v) => values.filter((w) => same(v, w)).length);
  const top = Math.max(0, ...counts);
  if (top === values.length) return values.map(() => false);
  const leaders = values.filter((_, i) => counts[i] === top);
  const unique = top > 1 && leaders.every((v) => same(v, leaders[0]));
  return values.map((_, i) => !unique || counts[i] !== top);
}

/**
 * Rows for already-flattened runs: the union of keys, sorted by path, or with `sorted` false in
 * the order the keys are first seen (metadata keeps its own order).
 */
export function diffFlatRows(perRun: ReadonlyArray<readonly FlatRow[]>, sorted = true): DiffRow[] {
  const byKey = new Map<string, DiffRow>();
  perRun.forEach((rows, runIndex) => {
    for (const row of rows) {
      let diff = byKey.get(row.key);
      if (diff === undefined) {
        const values = perRun.map(() => undefined);
        diff = { key: row.key, segments: row.segments, values, differs: false, cellDiffers: [] };
        byKey.set(row.key, diff);
      }
      diff.values[runIndex] = row.value;
    }
  });
  const rows = [...byKey.values()];
  if (sorted) rows.sort((a, b) => compareSegments(a.segments, b.segments));
  for (const row of rows) {
    row.differs = valuesDiffer(row.values);
    row.cellDiffers = outlierCells(row.values);
  }
  return rows;
}

/** Rows for nested values (each run's config, or each run's summary). */
export function diffValues(perRun: ReadonlyArray<Record<string, unknown>>): DiffRow[] {
  return diffFlatRows(perRun.map((values) => flattenValues(values)));
}

/** Rows for flat records whose keys keep their order (the runs' metadata). */
export function diffRecords(perRun: ReadonlyArray<Record<string, unknown>>): DiffRow[] {
  const flat = perRun.map((record) =>
    Object.entries(record).map(([key, value]) => ({ key, segments: [key], value })),
  );
  return diffFlatRows(flat, false);
}

/** The rows to show: all of them, or only those that differ. */
export function visibleDiffRows(rows: readonly DiffRow[], onlyDifferences: boolean): DiffRow[] {
  return onlyDifferences ? rows.filter((row) => row.differs) : [...rows];
}

export interface CompareSection {
  id: "meta" | "config" | "summary";
  title: string;
  /** The rows to show, after the differences-only switch and the key filter. */
  rows: DiffRow[];
  /** Rows in the section before either. */
  total: number;
  differing: number;
}

export interface CompareOptions {
  onlyDifferences: boolean;
  /** Case-insensitive substring of the key; `""` keeps every key. */
  keyFilter: string;
}

/** The compare view's sections for `runs`: metadata, then config, then summary. */
export function compareSections(runs: readonly RunDto[], options: CompareOptions): CompareSection[] {
  const query = options.keyFilter.trim().toLowerCase();
  const section = (id: CompareSection["id"], title: string, all: DiffRow[]): CompareSection => {
    const matching = query === "" ? all : all.filter((row) => row.key.toLowerCase().includes(query));
    return {
      id,
      title,
      rows: visibleDiffRows(matching, options.onlyDifferences),
      total: all.length,
      differing: all.filter((row) => row.differs).length,
    };
  };
  return [
    section("meta", "Metadata", diffRecords(runs.map(runMetadata))),
    section("config", "Config", diffValues(runs.map((run) => run.config))),
    section("summary", "Summary", diffValues(runs.map((run) => run.summary))),
  ];
}
