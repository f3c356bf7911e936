/**
 * Chart axes: which x-axis a chart uses and how it is labelled, how a zoom becomes a series
 * query, and how values print on ticks (compact: `12.3k`, `1.23e-4`) and in the tooltip (six
 * significant digits, so a value can be read back exactly enough to compare runs).
 */
import { formatDateTime, formatDuration } from "./time-format.js";

/** The built-in x-axes; any logged metric key is one too. */
export const BUILTIN_X_AXES = ["_step", "_runtime", "_timestamp"] as const;

const BUILTIN_LABELS: Readonly<Record<string, string>> = {
  _step: "Step",
  _runtime: "Relative time",
  _timestamp: "Wall time",
};

export function xAxisLabel(axis: string): string {
  return BUILTIN_LABELS[axis] ?? axis;
}

/** A chart's x-axis: its own override, else the workspace's, else the metric's default. */
export function chartXAxis(
  key: string,
  defaultX: string,
  view: { xAxis: string; panelX: Readonly<Record<string, string>> },
): string {
  const own = view.panelX[key];
  if (own !== undefined && own !== "") return own;
  return view.xAxis !== "" ? view.xAxis : defaultX;
}

export interface SeriesWindow {
  xMin?: number;
  xMax?: number;
  buckets: number;
}

export const MIN_BUCKETS = 200;
export const MAX_BUCKETS = 4000;

/**
 * About one bucket per pixel of plot width (rounded up to 100 so a small resize does not
 * refetch). A zoom range asks for the same number of buckets over less of the series, which is
 * what makes the line finer; the range is widened by two buckets on each side so that the line
 * reaches the chart's edges instead of starting at the first bucket inside.
 */
export function seriesWindow(zoom: readonly [number, number] | null, widthPx: number): SeriesWindow {
  const buckets = Math.min(MAX_BUCKETS, Math.max(MIN_BUCKETS, Math.ceil(widthPx / 100) * 100));
  if (zoom === null) return { buckets };
  const [lo, hi] = zoom[0] <= zoom[1] ? zoom : [zoom[1], zoom[0]];
  const pad = ((hi - lo) / buckets) * 2;
  return { xMin: lo - pad, xMax: hi + pad, buckets };
}

const SUFFIXES: ReadonlyArray<readonly [number, string]> = [
  [1e12, "T"],
  [1e9, "B"],
  [1e6, "M"],
  [1e3, "k"],
];

/** Compact number: `0`, `0.0123`, `123.5`, `12.35k`, `1.2M`, `1.23e-4`, with `digits` significant digits. */
export function formatValue(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs < 1e-3 || abs >= 1e15) return exponential(value, digits);
  if (abs >= 1e3) {
    // Smallest unit first; 999,999 rounds to 1000k, which reads 1M.
    for (let i = SUFFIXES.length - 1; i >= 0; i--) {
      const [unit, suffix] = SUFFIXES[i] as readonly [number, string];
      const scaled = Number((value / unit).toPrecision(digits));
      if (Math.abs(scaled) < 1000 || i === 0) return `${scaled}${suffix}`;
    }
  }
  return String(Number(value.toPrecision(digits)));
}

/**
 * Tick labels: compact, with more digits only where compact labels would repeat (1.0001k,
 * 1.0002k). A null split (a log axis's unlabelled minor tick) gets an empty label.
 */
export function formatTicks(values: ReadonlyArray<number | null>): string[] {
  const ticks = values.filter((v): v is number => v !== null);
  for (let digits = 3; digits < 12; digits++) {
    const labels = ticks.map((v) => formatValue(v, digits));
    if (new Set(labels).size === labels.length)
      return values.map((v) => (v === null ? "" : formatValue(v, digits)));
  }
  return values.map((v) => (v === null ? "" : String(v)));
}

/** A value as the tooltip shows it: six significant digits. */
export function formatPrecise(value: number | null): string {
  if (value === null) return "–";
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) return exponential(value, 6);
  return String(Number(value.toPrecision(6)));
}

/** An x value in the axis's own terms: a duration, a date, or a number. */
export function formatX(axis: string, value: number): string {
  if (axis === "_runtime") return formatDuration(value);
  if (axis === "_timestamp") return formatDateTime(value);
  if (axis === "_step") return String(Math.round(value));
  return formatPrecise(value);
}

/** Tick increments for relative time, in seconds: round seconds, minutes, hours, days. */
export const RUNTIME_INCREMENTS: readonly number[] = [
  0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200,
  86_400, 172_800, 604_800, 1_209_600, 2_592_000,
];

function exponential(value: number, digits: number): string {
  const [mantissa, exponent] = value.toExponential(digits - 1).split("e") as [string, string];
  return `${Number(mantissa)}e${Number(exponent)}`;
}
