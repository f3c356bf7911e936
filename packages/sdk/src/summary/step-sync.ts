/**
 * Custom step metrics (W&B §3.5): the latest numeric value of every referenced step metric,
 * and `stepSync` insertion of that value into rows that log a metric without its step.
 * The engine calls `apply` only once some definition references a step metric.
 */
import type { KeyPath, MetricRecord } from "@stepwise/protocol";
import { isSubtreeValue, setOwn } from "./summary-tree.js";
import { pathKey, splitEscapedDottedName } from "./metric-definition.js";

interface StepTracker {
  readonly path: KeyPath;
  /** Latest numeric value seen in a row; 0 until then (W&B initialises it to 0). */
  value: number;
}

interface SyncedMetric {
  readonly path: KeyPath;
  readonly step: StepTracker;
}

export type InsertObserver = (path: KeyPath, value: number) => void;

/** The value at `path` in a row, descending through nested subtrees; undefined when absent. */
function readRow(row: Record<string, unknown>, path: KeyPath): unknown {
  let value: unknown = row[path[0]!];
  for (let i = 1; i < path.length && value !== undefined; i++) {
    value = isSubtreeValue(value) ? value[path[i]!] : undefined;
  }
  return value;
}

/**
 * Writes `value` at `path`, creating missing parents. Nested parents are copied first so the
 * caller's own objects are never changed; a parent that is a leaf is left alone (no insert).
 */
function insertIntoRow(row: Record<string, unknown>, path: KeyPath, value: number): boolean {
  let target = row;
  for (let i = 0; i < path.length - 1; i++) {
    const segment = path[i]!;
    const existing = target[segment];
    let next: Record<string, unknown>;
    if (existing === undefined) next = {};
    else if (isSubtreeValue(existing)) next = { ...existing };
    else return false;
    setOwn(target, segment, next);
    target = next;
  }
  setOwn(target, path[path.length - 1]!, value);
  return true;
}

export class StepSync {
  private readonly trackers = new Map<string, StepTracker>();
  private readonly synced = new Map<string, SyncedMetric>();
  /** `synced` as an array, rebuilt lazily so that per-row iteration allocates nothing. */
  private syncedList: SyncedMetric[] = [];
  private syncedDirty = false;
  private trackerList: StepTracker[] = [];

  /** True once any definition has referenced a step metric. */
  get active(): boolean {
    return this.trackerList.length > 0;
  }

  private tracker(stepMetric: string): StepTracker {
    let tracker = this.trackers.get(stepMetric);
    if (tracker === undefined) {
      tracker = { path: splitEscapedDottedName(stepMetric), value: 0 };
      this.trackers.set(stepMetric, tracker);
      this.trackerList.push(tracker);
    }
    return tracker;
  }

  /** Records a definition: starts tracking its step metric and (un)registers it for syncing. */
  define(record: MetricRecord, path: KeyPath | null): void {
    if (record.stepMetric === null) {
      if (path !== null && this.synced.delete(pathKey(path))) this.syncedDirty = true;
      return;
    }
    const step = this.tracker(record.stepMetric);
    if (path === null) return;
    const key = pathKey(path);
    if (record.stepSync) this.synced.set(key, { path, step });
    else if (!this.synced.delete(key)) return;
    this.syncedDirty = true;
  }

  /** Updates the trackers from `row`, then inserts the step value where a synced metric lacks it. */
  apply(row: Record<string, unknown>, observeInserted: InsertObserver): void {
    for (const tracker of this.trackerList) {
      const value = readRow(row, tracker.path);
      if (typeof value === "number") tracker.value = value;
    }
    if (this.syncedDirty) {
      this.syncedList = [...this.synced.values()];
      this.syncedDirty = false;
    }
    for (const metric of this.syncedList) {
      if (readRow(row, metric.path) === undefined) continue;
      const step = metric.step;
      if (readRow(row, step.path) !== undefined) continue;
      if (insertIntoRow(row, step.path, step.value)) observeInserted(step.path, step.value);
    }
  }
}
