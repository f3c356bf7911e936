/** A batch's history points gathered per series, appended to the series store once per batch. */
/** Points of a batch gathered per series; `setStep` sets the x of the points sunk next. */
export class PointBuffer {
  private step = 0;
  readonly setStep = (step: number): void => {
    this.step = step;
  };
  private readonly series = new Map<string, { xs: number[]; ys: number[] }>();
  readonly sink = (key: string, value: number): void => {
    const series = this.series.get(key);
    if (series) {
      series.xs.push(this.step);
      series.ys.push(value);
    } else {
      this.series.set(key, { xs: [this.step], ys: [value] });
    }
  };

  flush(append: (key: string, xs: number[], ys: number[]) => void): void {
    for (const [key, series] of this.series) append(key, series.xs, series.ys);
  }
}
