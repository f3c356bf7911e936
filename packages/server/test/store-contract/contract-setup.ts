/**
 * What every store contract topic shares: the factory type (each test gets a fresh, empty store,
 * closed after the test), run references, and builders for history rows and expected buckets.
 */
import { afterEach, expect } from "vitest";
import type { HistoryRow, RunRef } from "@stepwise/protocol";
import type { SeriesResult, Store } from "../../src/store/store.js";

/** Opens a fresh, empty store; the suite closes it. */
export type StoreFactory = () => Promise<Store>;

/** Returns an opener that closes every store it opened after each test. */
export function storeOpener(factory: StoreFactory): () => Promise<Store> {
  const open: Store[] = [];
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });
  return async () => {
    const store = await factory();
    open.push(store);
    return store;
  };
}

export function runRef(runId: string, project = "proj", entity = "team"): RunRef {
  return { entity, project, runId };
}

/** Rows `_step` = from … from + count − 1 with `_runtime` = step / 10 and the values `values(step)`. */
export function rows(
  from: number,
  count: number,
  values: (step: number) => Record<string, unknown>,
): HistoryRow[] {
  const out: HistoryRow[] = [];
  for (let step = from; step < from + count; step++)
    out.push({ _step: step, _runtime: step / 10, ...values(step) });
  return out;
}

export async function scanAll(
  store: Store,
  ref: RunRef,
  options?: Parameters<Store["scanHistory"]>[1],
): Promise<string[]> {
  const out: string[] = [];
  for await (const page of store.scanHistory(ref, options)) out.push(...page);
  return out;
}

/**
 * Checks a result against the points it was computed from (`xs`/`ys` in logged order, the range
 * starting at position `p0`): buckets are consecutive runs of points that cover the range, and
 * each bucket's x, min, max, mean and last are exactly those of its points (NaN/±Infinity
 * excluded from min/max/mean, null when non-finite).
 */
export function expectBucketsMatchPoints(
  result: SeriesResult,
  xs: readonly number[],
  ys: readonly number[],
  p0: number,
): void {
  let pos = p0;
  expect(result.x.length).toBe(result.n.length);
  for (let k = 0; k < result.n.length; k++) {
    const n = result.n[k] as number;
    expect(n).toBeGreaterThan(0);
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let absSum = 0;
    let finite = 0;
    for (let i = pos; i < pos + n; i++) {
      const y = ys[i] as number;
      if (Number.isFinite(y)) {
        min = Math.min(min, y);
        max = Math.max(max, y);
        sum += y;
        absSum += Math.abs(y);
        finite++;
      }
    }
    const last = ys[pos + n - 1] as number;
    expect(result.x[k]).toBe(xs[pos]);
    expect(result.min[k]).toBe(finite > 0 ? min : null);
    expect(result.max[k]).toBe(finite > 0 ? max : null);
    // The store adds in another order (per unit, then per bucket): equal up to rounding.
    const tolerance = 1e-12 * Math.max(1, absSum / finite);
    if (finite > 0)
      expect(Math.abs((result.mean[k] as number) - sum / finite)).toBeLessThanOrEqual(tolerance);
    else expect(result.mean[k]).toBeNull();
    expect(result.last[k]).toBe(Number.isFinite(last) ? last : null);
    pos += n;
  }
  expect(pos - p0).toBe(result.count);
}
