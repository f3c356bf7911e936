/**
 * A logged histogram (W&B's `{"_type":"histogram","values":[counts],"bins":[edges]}`) checked
 * and put in its stored form: edges that are evenly spaced (the usual case: `np.histogram` and
 * the SDK's auto bins) are kept as first and last edge only, uneven edges whole.
 */
import { HISTOGRAM_MAX_BINS } from "@stepwise/protocol";

export interface Histogram {
  /** Bin edges, `counts.length + 1` of them, ascending. */
  edges: Float64Array;
  counts: Float64Array;
}

/** The histogram a history value holds, or null when the value is not a well-formed one. */
export function readHistogramValue(value: unknown): Histogram | null {
  if (typeof value !== "object" || value === null) return null;
  const { _type, values, bins } = value as Record<string, unknown>;
  if (_type !== "histogram" || !Array.isArray(values) || !Array.isArray(bins)) return null;
  const n = values.length;
  if (n < 1 || n > HISTOGRAM_MAX_BINS || bins.length !== n + 1) return null;
  const counts = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = values[i] as unknown;
    // A NaN count (numpy keeps them) counts as nothing; negative counts are not counts.
    counts[i] = typeof c === "number" && Number.isFinite(c) && c > 0 ? c : 0;
  }
  const edges = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    const e = bins[i] as unknown;
    if (typeof e !== "number" || !Number.isFinite(e)) return null;
    if (i > 0 && e < (edges[i - 1] as number)) return null;
    edges[i] = e;
  }
  return { edges, counts };
}

/** Whether the edges are evenly spaced, to 1e-9 of the range (then lo, hi and n rebuild them). */
export function hasEvenEdges(edges: Float64Array): boolean {
  const n = edges.length - 1;
  const lo = edges[0] as number;
  const hi = edges[n] as number;
  const tolerance = Math.abs(hi - lo) * 1e-9;
  for (let i = 1; i < n; i++)
    if (Math.abs((edges[i] as number) - evenEdge(lo, hi, n, i)) > tolerance) return false;
  return true;
}

/** Edge i of n even bins over [lo, hi]. */
export function evenEdge(lo: number, hi: number, n: number, i: number): number {
  return i === n ? hi : lo + ((hi - lo) * i) / n;
}

/** Rebuilds even edges. */
export function evenEdges(lo: number, hi: number, n: number): Float64Array {
  const edges = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) edges[i] = evenEdge(lo, hi, n, i);
  return edges;
}
