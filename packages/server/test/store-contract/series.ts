/**
 * Store contract, series: sampled queries for runs × keys. Exact points when the range holds no
 * more than the budget; otherwise at most `budget` buckets whose min/max/mean/last/x are exactly
 * those of their points (so no spike hides), deterministic; x by `_step` or by any logged key;
 * new points visible as soon as their batch is stored, whatever the batch sizes.
 */
import { describe, expect, it } from "vitest";
import { InvalidDataError, type RunRef } from "@stepwise/protocol";
import type { SeriesQuery, Store } from "../../src/store/store.js";
import { expectBucketsMatchPoints, rows, runRef, storeOpener, type StoreFactory } from "./contract-setup.js";

/** Deterministic pseudo-random values in [0, 1). */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

async function ingestSeries(
  store: Store,
  ref: RunRef,
  ys: readonly number[],
  batchSize: number,
  stepOf = (i: number) => i,
) {
  for (let offset = 0; offset < ys.length; offset += batchSize) {
    const batch = [];
    for (let i = offset; i < Math.min(ys.length, offset + batchSize); i++)
      batch.push({ _step: stepOf(i), _runtime: i / 8, y: ys[i] });
    await store.applyBatch(ref, { history: { offset, rows: batch } }, 1);
  }
}

async function one(
  store: Store,
  query: Omit<SeriesQuery, "runs" | "keys" | "xAxis"> & Partial<SeriesQuery>,
  ref: RunRef,
) {
  const [result] = await store.querySeries({ runs: [ref], keys: ["y"], xAxis: "_step", ...query });
  if (!result) throw new Error("no result");
  return result;
}

export function seriesContract(factory: StoreFactory): void {
  const open = storeOpener(factory);

  describe("series", () => {
    it("returns the exact points when the range holds no more than the budget, non-finite as null", async () => {
      const store = await open();
      const ref = runRef("exact");
      const ys = [1, Number.NaN, 3, Number.POSITIVE_INFINITY, -2, Number.NEGATIVE_INFINITY, 0.5];
      await ingestSeries(store, ref, ys, 3, (i) => i * 10);
      const result = await one(store, { buckets: 7 }, ref);
      expect(result).toEqual({
        run: ref,
        key: "y",
        exact: true,
        count: 7,
        x: [0, 10, 20, 30, 40, 50, 60],
        min: [1, null, 3, null, -2, null, 0.5],
        max: [1, null, 3, null, -2, null, 0.5],
        mean: [1, null, 3, null, -2, null, 0.5],
        last: [1, null, 3, null, -2, null, 0.5],
        n: [1, 1, 1, 1, 1, 1, 1],
      });
      const ranged = await one(store, { buckets: 100, xMin: 15, xMax: 40 }, ref);
      expect(ranged).toMatchObject({ exact: true, count: 3, x: [20, 30, 40], last: [3, null, -2] });
      expect(await one(store, { buckets: 100, xMin: 61 }, ref)).toMatchObject({ count: 0, x: [], n: [] });
    });

    it("downsamples 1,000,000 points to exactly the budget, every bucket exact, spikes kept", async () => {
      const store = await open();
      const ref = runRef("million");
      const random = noise(7);
      const ys = Array.from({ length: 1_000_000 }, (_, i) => Math.sin(i / 5000) + random() * 0.01);
      ys[123_457] = 1e9;
      ys[876_543] = -1e9;
      ys[500_000] = Number.NaN;
      await ingestSeries(store, ref, ys, 100_000);
      const xs = ys.map((_, i) => i);
      for (const buckets of [1000, 997, 10_000, 1]) {
        const result = await one(store, { buckets }, ref);
        expect(result.count).toBe(1_000_000);
        expect(result.exact).toBe(false);
        expect(result.x).toHaveLength(buckets);
        expectBucketsMatchPoints(result, xs, ys, 0);
        expect(Math.max(...(result.max as number[]))).toBe(1e9);
        expect(Math.min(...(result.min as number[]))).toBe(-1e9);
      }
      const again = await one(store, { buckets: 1000 }, ref);
      expect(again).toEqual(await one(store, { buckets: 1000 }, ref));

      const zoom = await one(store, { buckets: 500, xMin: 123_000, xMax: 130_999 }, ref);
      expect(zoom.count).toBe(8000);
      expect(zoom.x).toHaveLength(500);
      expectBucketsMatchPoints(zoom, xs, ys, 123_000);
      expect(zoom.max).toContain(1e9);
      const close = await one(store, { buckets: 1000, xMin: 123_400.5, xMax: 123_500 }, ref);
      expect(close).toMatchObject({ exact: true, count: 100 });
      expectBucketsMatchPoints(close, xs, ys, 123_401);

      const runtimes = xs.map((i) => i / 8);
      const byRuntime = await one(
        store,
        { buckets: 1000, xAxis: "_runtime", xMin: 1000.1, xMax: 90_000 },
        ref,
      );
      expect(byRuntime.count).toBe(720_001 - 8001);
      expect(byRuntime.x).toHaveLength(1000);
      expectBucketsMatchPoints(byRuntime, runtimes, ys, 8001);
      expect(byRuntime.max).toContain(1e9);
    }, 120_000);

    it("gives the same answers whatever the batch sizes, with new points visible at once", async () => {
      const store = await open();
      const random = noise(42);
      const ys = Array.from({ length: 40_000 }, () => (random() < 0.01 ? Number.NaN : random() * 100 - 50));
      const whole = runRef("whole");
      await ingestSeries(store, whole, ys, 40_000);
      const ref = runRef("drip");
      let offset = 0;
      while (offset < ys.length) {
        const size = Math.min(ys.length - offset, 1 + Math.floor(random() * 1500));
        await store.applyBatch(
          ref,
          { history: { offset, rows: rows(offset, size, (s) => ({ y: ys[s] })) } },
          1,
        );
        offset += size;
        const live = await one(store, { buckets: 50 }, ref);
        expect(live.count).toBe(offset);
        expect(live.last[live.last.length - 1]).toBe(Number.isFinite(ys[offset - 1]) ? ys[offset - 1] : null);
      }
      const xs = ys.map((_, i) => i);
      for (const query of [
        { buckets: 1000 },
        { buckets: 64, xMin: 1000, xMax: 33_333 },
        { buckets: 7, xMin: 17 },
      ]) {
        const expected = await one(store, query, whole);
        const actual = await one(store, query, ref);
        expect({ ...actual, run: whole }).toEqual(expected);
        expectBucketsMatchPoints(actual, xs, ys, query.xMin ?? 0);
      }
    }, 120_000);

    it("handles sparse keys, nested keys, dotted keys and several runs × keys in order", async () => {
      const store = await open();
      const a = runRef("a");
      const b = runRef("b");
      const data = rows(0, 100, (s) => ({
        train: { loss: s },
        "val/acc": s % 10 === 0 ? s / 100 : undefined,
        "a.b": -s,
        label: "text",
        flag: true,
        image: { _type: "image-file", path: "x.png" },
      }));
      await store.applyBatch(a, { history: { offset: 0, rows: data } }, 1);
      await store.applyBatch(b, { history: { offset: 0, rows: data.slice(0, 10) } }, 1);
      const results = await store.querySeries({
        runs: [a, b, runRef("none")],
        keys: ["train.loss", "val/acc", "a\\.b", "label", "image"],
        xAxis: "_step",
        buckets: 1000,
      });
      expect(results.map((r) => [r.run.runId, r.key, r.count])).toEqual([
        ["a", "train.loss", 100],
        ["a", "val/acc", 10],
        ["a", "a\\.b", 100],
        ["a", "label", 0],
        ["a", "image", 0],
        ["b", "train.loss", 10],
        ["b", "val/acc", 1],
        ["b", "a\\.b", 10],
        ["b", "label", 0],
        ["b", "image", 0],
        ["none", "train.loss", 0],
        ["none", "val/acc", 0],
        ["none", "a\\.b", 0],
        ["none", "label", 0],
        ["none", "image", 0],
      ]);
      expect(results[1]?.x).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
      expect(results[2]?.min.slice(0, 3)).toEqual([-0, -1, -2]);
      // The keys a chart can be made of: numeric leaves only, `_step` excluded, each once, sorted.
      await store.applyBatch(runRef("c"), { summary: { best: 1 } }, 1);
      expect(await store.listSeriesKeys([a, b, runRef("none")])).toEqual({
        keys: ["_runtime", "a\\.b", "train.loss", "val/acc"],
        more: false,
      });
      expect(await store.listSeriesKeys([runRef("c")])).toEqual({ keys: [], more: false });
      expect(await store.hasRun(a)).toBe(true);
      expect(await store.hasRun(runRef("c"))).toBe(true); // a run with a summary and no history
      expect(await store.hasRun(runRef("none"))).toBe(false);
    });

    it("uses any logged key as the x-axis, joined on step, with x ranges on that key", async () => {
      const store = await open();
      const ref = runRef("xaxis");
      const data = rows(0, 5000, (s) => ({
        y: s % 2 === 0 ? s : -s,
        tokens: s * 1000,
        ...(s % 3 === 0 ? {} : { sparse: s }),
      }));
      await store.applyBatch(ref, { history: { offset: 0, rows: data } }, 1);
      const byTokens = await store.querySeries({
        runs: [ref],
        keys: ["y"],
        xAxis: "tokens",
        buckets: 10_000,
      });
      expect(byTokens[0]).toMatchObject({ exact: true, count: 5000 });
      expect(byTokens[0]?.x.slice(0, 3)).toEqual([0, 1000, 2000]);
      const byRuntime = await store.querySeries({
        runs: [ref],
        keys: ["y"],
        xAxis: "_runtime",
        xMin: 10,
        xMax: 19.95,
        buckets: 10,
      });
      expect(byRuntime[0]).toMatchObject({ exact: false, count: 100 });
      expect(byRuntime[0]?.x).toHaveLength(10);
      expectBucketsMatchPoints(
        byRuntime[0]!,
        data.map((r) => r._runtime as number),
        data.map((r) => r.y as number),
        100,
      );
      const bySparse = await store.querySeries({
        runs: [ref],
        keys: ["y"],
        xAxis: "sparse",
        buckets: 10_000,
      });
      expect(bySparse[0]?.count).toBe(3333);
      expect(bySparse[0]?.x.slice(0, 3)).toEqual([1, 2, 4]);
      const wobble = rows(0, 300, (s) => ({ y: s, wobble: Math.sin(s) }));
      await store.applyBatch(runRef("wobble"), { history: { offset: 0, rows: wobble } }, 1);
      const byWobble = await store.querySeries({
        runs: [runRef("wobble")],
        keys: ["y"],
        xAxis: "wobble",
        xMin: 0,
        buckets: 1000,
      });
      const positive = wobble.filter((r) => (r.wobble as number) >= 0);
      expect(byWobble[0]?.x).toEqual(positive.map((r) => r.wobble));
      expect(byWobble[0]?.last).toEqual(positive.map((r) => r.y));
      const unknownX = await store.querySeries({ runs: [ref], keys: ["y"], xAxis: "nope", buckets: 10 });
      expect(unknownX[0]?.count).toBe(0);
    });

    it("refuses a budget outside 1 … 10,000", async () => {
      const store = await open();
      for (const buckets of [0, 10_001, 2.5]) {
        await expect(
          store.querySeries({ runs: [runRef("x")], keys: ["y"], xAxis: "_step", buckets }),
        ).rejects.toBeInstanceOf(InvalidDataError);
      }
    });
  });
}
