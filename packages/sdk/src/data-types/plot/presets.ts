/**
 * The `plot.*` presets over a user's table (W&B's wandb/plot/{line,scatter,bar,histogram}.py):
 * each binds columns to a built-in Vega-Lite preset the server ships. The computed presets
 * (lineSeries, prCurve, rocCurve, confusionMatrix) are in their own files.
 */
import type { Table } from "../table/table.js";
import { plotTable, type CustomChart } from "./custom-chart.js";

/** Built-in preset ids (W&B's `wandb/<name>/vN` under our owner). */
export const PRESETS = {
  line: "stepwise/line/v0",
  scatter: "stepwise/scatter/v0",
  bar: "stepwise/bar/v0",
  histogram: "stepwise/histogram/v0",
  lineSeries: "stepwise/lineseries/v0",
  areaUnderCurve: "stepwise/area-under-curve/v0",
  confusionMatrix: "stepwise/confusion_matrix/v1",
} as const;

export interface TitleOption {
  /** Chart title (default ""). */
  title?: string;
}

/** Points of column `y` against column `x` joined by lines; `stroke` names a column that splits lines. */
export function line(
  table: Table,
  x: string,
  y: string,
  options: TitleOption & { stroke?: string } = {},
): CustomChart {
  return plotTable(
    PRESETS.line,
    table,
    { x, y, stroke: options.stroke ?? null },
    { title: options.title ?? "" },
  );
}

export function scatter(table: Table, x: string, y: string, options: TitleOption = {}): CustomChart {
  return plotTable(PRESETS.scatter, table, { x, y }, { title: options.title ?? "" });
}

/** One bar per row: `label` column on one axis, `value` column on the other. */
export function bar(table: Table, label: string, value: string, options: TitleOption = {}): CustomChart {
  return plotTable(PRESETS.bar, table, { label, value }, { title: options.title ?? "" });
}

/** The distribution of column `value`, binned in the chart. */
export function histogram(table: Table, value: string, options: TitleOption = {}): CustomChart {
  return plotTable(PRESETS.histogram, table, { value }, { title: options.title ?? "" });
}
