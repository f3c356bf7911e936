/**
 * The tooltip's rows at a cursor x: every run's point nearest to x (its smoothed value too when
 * smoothing), for runs whose line spans x — a run that ended at step 100 shows nothing at step
 * 10,000 rather than a stale value. Sorted by value, highest first, as W&B lists them.
 */
import { nearestIndex, type RunLine } from "./series-alignment.js";

export interface TooltipRow {
  runId: string;
  /** The x of the run's own point (may differ a little from the cursor's across runs). */
  x: number;
  value: number | null;
  smoothed: number | null;
}

export function tooltipRows(lines: readonly RunLine[], x: number): TooltipRow[] {
  const rows: TooltipRow[] = [];
  for (const line of lines) {
    const first = line.x[0];
    const last = line.x[line.x.length - 1];
    if (first === undefined || last === undefined || x < first || x > last) continue;
    const i = nearestIndex(line.x, x);
    rows.push({
      runId: line.runId,
      x: line.x[i] as number,
      value: line.y[i] ?? null,
      smoothed: line.smoothed === null ? null : (line.smoothed[i] ?? null),
    });
  }
  const key = (row: TooltipRow): number => row.smoothed ?? row.value ?? Number.NEGATIVE_INFINITY;
  return rows.sort((a, b) => key(b) - key(a));
}
