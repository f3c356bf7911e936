/**
 * How `log()` recognises a custom chart without importing it (values/ must not depend on the
 * data types): a chart logged under key K is written as its table under `<K>_table` (W&B's
 * `_serialize_custom_charts`), the value `CHART_TABLE` returns.
 */
export const CHART_TABLE: unique symbol = Symbol.for("stepwise.chartTable");

export interface ChartValue {
  /** What goes under `<K>_table`: a loggable table that also sets `_wandb.visualize.<K>`. */
  [CHART_TABLE](): unknown;
}

export function isChartValue(value: unknown): value is ChartValue {
  return typeof value === "object" && value !== null && CHART_TABLE in value;
}

/** The key a chart's table is logged under. */
export function chartTableKey(key: string): string {
  return `${key}_table`;
}
