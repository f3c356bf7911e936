/**
 * One summary accumulator per leaf (W&B core `metricSummary`) and the end-of-run sparkline
 * sampler. Leaves are updated once per history row, so the numeric path keeps every field
 * monomorphic and allocates nothing.
 */
import type { Goal, KeyPath, MetricRecord, SummaryAggregation } from "@stepwise/protocol";

const MIN = 1;
const MAX = 2;
const MEAN = 4;
const FIRST = 8;
const LAST = 16;
const BEST = 32;
const NONE = 64;
const AGGREGATIONS = MIN | MAX | MEAN | FIRST | LAST | BEST;

const FLAG_OF: Readonly<Record<SummaryAggregation, number>> = {
  min: MIN,
  max: MAX,
  mean: MEAN,
  first: FIRST,
  last: LAST,
  best: BEST,
  none: NONE,
};

export function aggregationFlags(summary: readonly SummaryAggregation[]): number {
  let flags = 0;
  for (const op of summary) flags |= FLAG_OF[op];
  return flags;
}

/** Max samples a sparkline keeps; when full, every other sample is dropped and the stride doubles. */
export const SPARKLINE_SAMPLES = 96;

/** Evenly strided samples of a metric's history: keeps values at indices 0, k, 2k, ... */
export class Sparkline {
  readonly values: number[] = [];
  private index = 0;
  private nextKept = 0;
  private stride = 1;

  push(value: number): void {
    const index = this.index++;
    if (index !== this.nextKept) return;
    const values = this.values;
    if (values.length === SPARKLINE_SAMPLES) {
      // Kept samples sit at multiples of the stride, so keeping the even ones leaves the
      // multiples of twice the stride, and `index` is one of those.
      for (let i = 0; i < SPARKLINE_SAMPLES / 2; i++) values[i] = values[2 * i]!;
      values.length = SPARKLINE_SAMPLES / 2;
      this.stride *= 2;
    }
    values.push(value);
    this.nextKept = index + this.stride;
  }
}

/** One summary leaf: latest/first for every value, min/max/total/count for numbers. */
export class SummaryLeaf {
  readonly path: KeyPath;
  /** The concrete definition (explicit or expanded from a glob) that configured this leaf. */
  def: MetricRecord | null = null;
  /** The engine's glob-list version this leaf was last matched against (-1: never). */
  globVersion = -1;
  /** Sampler of history values; only top-level, non-`_` leaves have one. */
  readonly spark: Sparkline | null;

  private flags = 0;
  private goal: Goal | null = null;
  private hasData = false;
  // Numbers live in their own field so storing one never boxes a heap number.
  private latestIsNumber = false;
  private latestNumber = 0;
  private latestOther: unknown = undefined;
  private first: unknown = undefined;
  private min = Infinity;
  private max = -Infinity;
  private total = 0;
  private count = 0;

  constructor(path: KeyPath, withSparkline: boolean) {
    this.path = path;
    this.spark = withSparkline ? new Sparkline() : null;
  }

  /** Applies a definition's aggregations and goal (null: plain latest value). */
  configure(def: MetricRecord | null): void {
    this.def = def;
    this.flags = def === null ? 0 : aggregationFlags(def.summary);
    this.goal = def === null ? null : def.goal;
  }

  observeNumber(value: number): void {
    this.latestNumber = value;
    this.latestIsNumber = true;
    if (!this.hasData) {
      this.first = value;
      this.hasData = true;
    }
    // `value !== value` is NaN: once NaN is seen min/max stay NaN, as Go's min/max do.
    if (value < this.min || value !== value) this.min = value;
    if (value > this.max || value !== value) this.max = value;
    this.total += value;
    this.count++;
    if (this.spark !== null) this.spark.push(value);
  }

  /** A history value that is not a number (string, boolean, null, array, media object). */
  observeOther(value: unknown): void {
    this.latestOther = value;
    this.latestIsNumber = false;
    if (!this.hasData) {
      this.first = value;
      this.hasData = true;
    }
  }

  /**
   * An explicit summary write (W&B `SetExplicit`): the value becomes latest and the configured
   * aggregations reset to plain latest; `none` stays, as in W&B. Statistics are kept.
   */
  setExplicit(value: unknown): void {
    if (typeof value === "number") {
      this.latestNumber = value;
      this.latestIsNumber = true;
    } else {
      this.latestOther = value;
      this.latestIsNumber = false;
    }
    this.hasData = true;
    this.flags &= NONE;
  }

  /** Removal of the leaf (W&B `Clear`): no output until the next value, which also becomes `first`. */
  clear(): void {
    this.hasData = false;
    this.latestIsNumber = false;
    this.latestOther = undefined;
  }

  get latest(): unknown {
    return this.latestIsNumber ? this.latestNumber : this.latestOther;
  }

  /** The leaf's summary output, or undefined when it has none (W&B §3.1 output rules). */
  output(): unknown {
    const flags = this.flags;
    if (!this.hasData || (flags & NONE) !== 0) return undefined;
    if ((flags & AGGREGATIONS) === 0) {
      const latest = this.latest;
      return latest === null ? undefined : latest;
    }
    const out: Record<string, unknown> = {};
    const numeric = this.count > 0;
    // Unlike W&B (which prints 0/0/NaN), numeric aggregations without numeric data are omitted.
    if ((flags & MIN) !== 0 && numeric) out["min"] = this.min;
    if ((flags & MAX) !== 0 && numeric) out["max"] = this.max;
    if ((flags & MEAN) !== 0 && numeric) out["mean"] = this.total / this.count;
    if ((flags & FIRST) !== 0 && this.first !== undefined) out["first"] = this.first;
    if ((flags & LAST) !== 0) out["last"] = this.latest;
    if ((flags & BEST) !== 0 && numeric && this.goal !== null) {
      out["best"] = this.goal === "minimize" ? this.min : this.max;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
}
