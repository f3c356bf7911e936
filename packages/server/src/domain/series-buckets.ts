/**
 * Downsampling: merges points and pre-aggregated units, fed in position order, into at most
 * `budget` output buckets. A piece starting at position p of a range [p0, p0 + count) goes to
 * bucket ⌊(p − p0)·budget / count⌋, so buckets split the range into equal shares of points and
 * the result depends only on the data and the query (deterministic at every zoom level). Each
 * bucket keeps min and max over every point in it (a spike always shows), the mean of its finite
 * values, the last value, the x of its first point, and its point count. With count ≤ budget
 * every point gets its own bucket: the exact series. Non-finite values come out as null.
 */
import { LAST, MAX, MIN, N_FINITE, STATS_STRIDE, SUM, X_FIRST } from "./series-stats.js";

export interface BucketColumns {
  x: number[];
  min: Array<number | null>;
  max: Array<number | null>;
  mean: Array<number | null>;
  last: Array<number | null>;
  n: number[];
}

export class SeriesBuckets {
  readonly columns: BucketColumns = { x: [], min: [], max: [], mean: [], last: [], n: [] };
  private bucket = -1;
  private min = Infinity;
  private max = -Infinity;
  private sum = 0;
  private finite = 0;
  private last = NaN;
  private points = 0;

  constructor(
    private readonly p0: number,
    private readonly count: number,
    private readonly budget: number,
  ) {}

  /** One point at position `pos`. */
  addPoint(pos: number, x: number, y: number): void {
    this.enter(pos, x);
    if (y - y === 0) {
      if (y < this.min) this.min = y;
      if (y > this.max) this.max = y;
      this.sum += y;
      this.finite++;
    }
    this.last = y;
    this.points++;
  }

  /**
   * Unit `unit` of `stats` (see series-stats), covering `n` points from position `pos`; its x is
   * that of its first point unless `x` is given (another series serving as the x-axis).
   */
  addUnit(pos: number, n: number, stats: Float64Array, unit: number, x?: number): void {
    const at = unit * STATS_STRIDE;
    this.enter(pos, x ?? (stats[at + X_FIRST] as number));
    const min = stats[at + MIN] as number;
    const max = stats[at + MAX] as number;
    if (min < this.min) this.min = min;
    if (max > this.max) this.max = max;
    this.sum += stats[at + SUM] as number;
    this.finite += stats[at + N_FINITE] as number;
    this.last = stats[at + LAST] as number;
    this.points += n;
  }

  /** The columns, with the bucket in progress closed. */
  finish(): BucketColumns {
    this.close();
    this.bucket = Number.MAX_SAFE_INTEGER;
    return this.columns;
  }

  private enter(pos: number, x: number): void {
    const bucket = Math.floor(((pos - this.p0) * this.budget) / this.count);
    if (bucket === this.bucket) return;
    this.close();
    this.bucket = bucket;
    this.columns.x.push(x);
    this.min = Infinity;
    this.max = -Infinity;
    this.sum = 0;
    this.finite = 0;
    this.last = NaN;
    this.points = 0;
  }

  private close(): void {
    if (this.points === 0) return;
    const c = this.columns;
    const some = this.finite > 0;
    c.min.push(some ? this.min : null);
    c.max.push(some ? this.max : null);
    c.mean.push(some ? this.sum / this.finite : null);
    c.last.push(Number.isFinite(this.last) ? this.last : null);
    c.n.push(this.points);
    this.points = 0;
  }
}
