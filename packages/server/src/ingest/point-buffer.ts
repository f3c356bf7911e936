/**
 * A batch's history points gathered per series, appended to the series store once per batch.
 * Each series is a column of float64 xs and ys that doubles as it fills; the series keep the
 * order of their first point. `setStep` sets the x of the points sunk next. A packed row's
 * numbers go straight into their key's column (PackedRowPoints caches it per key id); before,
 * every point was a map lookup by name and two pushes onto plain arrays.
 */
import type { PointColumn, PointColumns } from "../domain/packed-row-points.js";

class Column implements PointColumn {
  xs: Float64Array;
  ys: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.xs = new Float64Array(capacity);
    this.ys = new Float64Array(capacity);
  }

  add(x: number, y: number): void {
    if (this.size === this.xs.length) this.grow();
    this.xs[this.size] = x;
    this.ys[this.size++] = y;
  }

  private grow(): void {
    const xs = new Float64Array(this.size * 2);
    const ys = new Float64Array(this.size * 2);
    xs.set(this.xs);
    ys.set(this.ys);
    this.xs = xs;
    this.ys = ys;
  }
}

export class PointBuffer implements PointColumns {
  private step = 0;
  private readonly series = new Map<string, Column>();
  readonly setStep = (step: number): void => {
    this.step = step;
  };
  readonly sink = (key: string, value: number): void => {
    this.column(key).add(this.step, value);
  };

  /** The column of series `key`, created empty on first use (it is flushed once it has points). */
  column(key: string): Column {
    let column = this.series.get(key);
    if (column === undefined) {
      // Small at first: a batch may hold thousands of series with a point or two each.
      column = new Column(16);
      this.series.set(key, column);
    }
    return column;
  }

  flush(append: (key: string, xs: Float64Array, ys: Float64Array) => void): void {
    for (const [key, column] of this.series)
      if (column.size > 0)
        append(key, column.xs.subarray(0, column.size), column.ys.subarray(0, column.size));
  }
}
