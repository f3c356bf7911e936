/**
 * `run.summary`: one value per key that stands for the whole run. By default the last logged
 * value of each key; `defineMetric` aggregations; explicit writes with `set`/`update`/`delete`
 * or property access (`run.summary.best = 0.9`). Explicit NaN becomes null (W&B §2.7).
 */
import type { KeyPath, SummaryOp } from "@stepwise/protocol";
import { deeperThan, InvalidDataError, MAX_VALUE_DEPTH } from "@stepwise/protocol";
import { isPlainObject } from "../values/deep-merge.js";
import { keyedView } from "../values/keyed-view.js";
import { checkKey, normalizeValue, OMIT, type NormalizeOptions } from "../values/normalize-value.js";
import type { SummaryEngine } from "./summary-engine.js";
import { summaryTensorOf } from "../data-types/summary-tensor.js";
import { withMediaJson } from "../media/pending-media.js";

const SUMMARY_OPTIONS: NormalizeOptions = { context: "summary", nanToNull: true };
const METHODS = new Set(["get", "set", "update", "delete", "toJSON", "keys"]);

export class RunSummary {
  constructor(
    private readonly engine: SummaryEngine,
    private readonly record: (ops: SummaryOp[]) => void,
    private readonly checkActive: (method: string) => void,
  ) {}

  /** Value at a key (or a path of nested keys): an aggregation object, a last value, or undefined. */
  get(key: string | KeyPath): unknown {
    // Media as W&B's JSON (waits for files still being written: media/pending-media.ts).
    return withMediaJson(this.engine.get(toPath(key)));
  }

  set(key: string | KeyPath, value: unknown): void {
    this.update({}, [[toPath(key), value]]);
  }

  /** Sets every top-level key of `values`. */
  update(values: Record<string, unknown>, extra: Array<[KeyPath, unknown]> = []): void {
    this.checkActive("summary.update");
    if (!isPlainObject(values))
      throw new InvalidDataError("summary.update(): pass a plain object, e.g. { best_acc: 0.9 }");
    const ops: SummaryOp[] = [];
    const entries: Array<[KeyPath, unknown]> = [
      ...Object.keys(values).map((k): [KeyPath, unknown] => [[checkKey(k, [], SUMMARY_OPTIONS)], values[k]]),
      ...extra,
    ];
    for (const [path, raw] of entries) {
      // An array of more than 32 numbers is kept as a file and its statistics (summary-tensor.ts).
      const value = normalizeValue(summaryTensorOf(raw, path.join(".")) ?? raw, path, SUMMARY_OPTIONS);
      if (value === OMIT) continue;
      // Stored at the end of its path: the path's own levels count towards the value's limit.
      // normalizeValue already refused more than MAX_VALUE_DEPTH levels, so only a nested path
      // (one that adds levels) needs another walk.
      if (path.length > 1 && deeperThan(value, MAX_VALUE_DEPTH - (path.length - 1)))
        throw new InvalidDataError(
          `summary: the value at "${path.join(".").slice(0, 200)}" nests deeper than ${MAX_VALUE_DEPTH} levels counted from "${path[0]}"; flatten it`,
        );
      ops.push({ op: "set", path, value });
    }
    for (const op of ops) if (op.op === "set") this.engine.set(op.path, op.value);
    if (ops.length > 0) this.record(ops);
  }

  delete(key: string | KeyPath): void {
    this.checkActive("summary.delete");
    const path = toPath(key);
    this.engine.remove(path);
    this.record([{ op: "remove", path }]);
  }

  keys(): string[] {
    return Object.keys(this.engine.toJSON());
  }

  toJSON(): Record<string, unknown> {
    return withMediaJson(this.engine.toJSON()) as Record<string, unknown>;
  }
}

function toPath(key: string | KeyPath): KeyPath {
  if (typeof key === "string") return [checkKey(key, [], SUMMARY_OPTIONS)];
  if (Array.isArray(key) && key.length > 0 && key.every((k) => typeof k === "string")) {
    if (key.length > MAX_VALUE_DEPTH)
      throw new InvalidDataError(
        `summary: a key path has at most ${MAX_VALUE_DEPTH} segments; got ${key.length}`,
      );
    key.forEach((segment, i) => checkKey(segment, key.slice(0, i), SUMMARY_OPTIONS));
    return key;
  }
  throw new InvalidDataError(
    "summary: a key must be a string or a non-empty array of strings (a nested path)",
  );
}

export type SummaryView = RunSummary & Record<string, unknown>;

/** Property access: reads and writes go through the RunSummary's own rules. */
export function summaryView(store: RunSummary): SummaryView {
  return keyedView(store, METHODS);
}
