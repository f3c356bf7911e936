/**
 * A media key's steps for one run and the step slider over several runs: a run's entries are the
 * history rows where the key holds media (sorted by step), each with the value of the slider's
 * x-axis metric in that row (`_step` by default, any logged metric otherwise). The slider moves
 * over the union of the runs' positions; each run shows its last entry at or before the
 * position (W&B shows nothing for a run that logged no image at exactly that step).
 */
import { mediaItemsOf, valueAt, valueKindOf, type MediaItem } from "./media-values.js";

export interface MediaEntry {
  step: number;
  /** The slider's x value in that row: the step itself for `_step`, null when the row has none. */
  x: number | null;
  /** The items, or null when they are fetched from the media index when shown. */
  items: MediaItem[] | null;
}

export interface MediaSeries {
  entries: MediaEntry[];
  /** Every kind of value the key held in this run's history, e.g. `["image"]`, `["image", "number"]`. */
  kinds: string[];
}

export const STEP_AXIS = "_step";

/** A run's media entries of `key` from its history rows (in any order), x read from `xKey`. */
export function mediaSeriesOf(
  rows: readonly Record<string, unknown>[],
  key: string,
  xKey: string,
): MediaSeries {
  const entries: MediaEntry[] = [];
  const kinds = new Set<string>();
  for (const row of rows) {
    const value = valueAt(row, key);
    if (value === undefined) continue;
    kinds.add(valueKindOf(value));
    const step = row["_step"];
    if (typeof step !== "number") continue;
    const items = mediaItemsOf(value);
    if (items.length === 0) continue;
    const x = xKey === STEP_AXIS ? step : row[xKey];
    entries.push({ step, x: typeof x === "number" && Number.isFinite(x) ? x : null, items });
  }
  entries.sort((a, b) => a.step - b.step);
  kinds.delete("none");
  return { entries, kinds: [...kinds].sort() };
}

/** The slider's positions: every x value any run has an entry at, ascending, each once. */
export function sliderPositions(series: readonly MediaSeries[]): number[] {
  const xs = new Set<number>();
  for (const s of series) for (const e of s.entries) if (e.x !== null) xs.add(e.x);
  return [...xs].sort((a, b) => a - b);
}

/**
 * The entry a run shows at slider position `x`: its last entry at or before it, else (the run
 * starts later) none. Entries are sorted by step; x need not grow with the step, so it scans.
 */
export function entryAt(series: MediaSeries, x: number): MediaEntry | null {
  let best: MediaEntry | null = null;
  for (const e of series.entries) {
    if (e.x === null || e.x > x) continue;
    if (best === null || best.x === null || e.x >= best.x) best = e;
  }
  return best;
}

/** The index of the position nearest to `x` (the slider keeps its place when the runs change). */
export function nearestIndex(positions: readonly number[], x: number | null): number {
  if (positions.length === 0) return -1;
  if (x === null) return positions.length - 1;
  let lo = 0;
  let hi = positions.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((positions[mid] ?? 0) < x) lo = mid + 1;
    else hi = mid;
  }
  const before = lo > 0 ? lo - 1 : lo;
  return Math.abs((positions[before] ?? 0) - x) < Math.abs((positions[lo] ?? 0) - x) ? before : lo;
}

/** Whether a key's values changed kind in any run, and the kinds: the panel warns instead of breaking. */
export function mixedKinds(series: readonly MediaSeries[]): string[] | null {
  const all = new Set<string>();
  for (const s of series) for (const k of s.kinds) all.add(k);
  return all.size > 1 ? [...all].sort() : null;
}

/**
 * A run's entries from the media index's steps (items fetched when shown), x read from the
 * x-axis metric's values by step (`xs`; none needed for `_step`).
 */
export function indexSeriesOf(
  steps: readonly number[],
  xKey: string,
  xs: ReadonlyMap<number, number> | null,
): MediaEntry[] {
  return steps.map((step) => ({ step, x: xKey === STEP_AXIS ? step : (xs?.get(step) ?? null), items: null }));
}

/** step → the x-axis metric's value in that row, from history rows projected to it. */
export function xValuesOf(rows: readonly Record<string, unknown>[], xKey: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const row of rows) {
    const step = row["_step"];
    const x = valueAt(row, xKey);
    if (typeof step === "number" && typeof x === "number" && Number.isFinite(x)) out.set(step, x);
  }
  return out;
}
