/**
 * `plot.lineSeries(xs, ys, { keys, title, xname })` (W&B's line_series): several lines in one
 * chart, as a long table `step, lineKey, lineVal` (one row per point). One `xs` array is shared
 * by every line; an array of arrays gives each line its own. Unlike W&B (which silently cuts
 * to the shorter), a line whose xs and ys differ in length is refused.
 */
import { isList } from "../numeric-input.js";
import { InvalidDataError } from "@stepwise/protocol";
import { Table } from "../table/table.js";
import { plotTable, type CustomChart } from "./custom-chart.js";
import { PRESETS } from "./presets.js";

export interface LineSeriesOptions {
  /** Line names (default `line_0`, `line_1`, …). */
  keys?: readonly string[];
  title?: string;
  /** x-axis title (default "x"). */
  xname?: string;
}

export function lineSeries(
  xs: ReadonlyArray<unknown> | ReadonlyArray<ArrayLike<unknown>>,
  ys: ReadonlyArray<ArrayLike<unknown>>,
  options: LineSeriesOptions = {},
): CustomChart {
  if (!isList(ys) || ys.some((y) => !isArrayLike(y)))
    throw new InvalidDataError("plot.lineSeries: ys must be an array of lines, one array of y values each");
  if (!isList(xs) || xs.length === 0)
    throw new InvalidDataError("plot.lineSeries: xs must be an array of x values (or one array per line)");
  const shared = !isArrayLike(xs[0]);
  const xLines: Array<ArrayLike<unknown>> = shared ? ys.map(() => xs) : (xs as Array<ArrayLike<unknown>>);
  if (xLines.length !== ys.length)
    throw new InvalidDataError(
      `plot.lineSeries: ${xLines.length} x-series for ${ys.length} y-series; give one per line, or one shared`,
    );
  const keys = options.keys ?? ys.map((_, i) => `line_${i}`);
  if (!isList(keys) || keys.length !== ys.length)
    throw new InvalidDataError(
      `plot.lineSeries: keys has ${isList(keys) ? keys.length : 0} names for ${ys.length} lines; give one per line`,
    );
  const table = new Table({ columns: ["step", "lineKey", "lineVal"] });
  ys.forEach((y, line) => {
    const x = xLines[line] as ArrayLike<unknown>;
    if (!isArrayLike(x) || x.length !== y.length)
      throw new InvalidDataError(
        `plot.lineSeries: line ${line} (${String(keys[line])}) has ${y.length} y values but ${isArrayLike(x) ? x.length : 0} x values; give as many of each`,
      );
    for (let i = 0; i < y.length; i++) table.addData(x[i], keys[line], y[i]);
  });
  return plotTable(
    PRESETS.lineSeries,
    table,
    { step: "step", lineKey: "lineKey", lineVal: "lineVal" },
    { title: options.title ?? "", xname: options.xname ?? "x" },
  );
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}
