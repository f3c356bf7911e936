/**
 * Store contract, history: every row comes back exactly as ingested (extended JSON, NaN and
 * ±Infinity included), in step order and in pages, whole or bounded by step or keys.
 */
import { describe, expect, it } from "vitest";
import { parseExtended, stringifyExtended, type HistoryRow } from "@stepwise/protocol";
import { runRef, scanAll, storeOpener, type StoreFactory } from "./contract-setup.js";

/** Rows of every kind of value a history row can hold. */
export function variedRows(count: number): HistoryRow[] {
  const out: HistoryRow[] = [];
  for (let step = 0; step < count; step++) {
    const row: HistoryRow = { _step: step, _runtime: step * 0.5, _timestamp: 1_700_000_000 + step };
    row.loss = step % 97 === 0 ? Number.NaN : Math.exp(-step / 1000);
    if (step % 101 === 0) row.grad = step % 2 === 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    if (step % 10 === 0) row.train = { acc: step / count, nested: { deep: -step - 0.5 } };
    if (step % 50 === 0)
      row.image = { _type: "image-file", path: `media/images/${step}.png`, width: 8, height: 8 };
    if (step % 33 === 0) row.note = `step "${step}" é ☃`;
    if (step % 40 === 0) row.list = [1, null, Number.NaN, "x"];
    if (step % 7 === 0) row.flag = step % 14 === 0;
    if (step % 13 === 0) row.missing = null;
    if (step % 300 === 0) row["a.b"] = step;
    out.push(row);
  }
  return out;
}

export function historyContract(factory: StoreFactory): void {
  const open = storeOpener(factory);

  describe("history", () => {
    it("returns every row exactly as ingested, NaN and Infinity included, in step order and pages", async () => {
      const store = await open();
      const ref = runRef("exact");
      const all = variedRows(12_345);
      for (let offset = 0; offset < all.length; offset += 4000) {
        await store.applyBatch(ref, { history: { offset, rows: all.slice(offset, offset + 4000) } }, 1);
      }
      const pages: string[][] = [];
      for await (const page of store.scanHistory(ref)) pages.push(page);
      expect(pages.length).toBeGreaterThan(1);
      for (const page of pages) {
        expect(page.length).toBeGreaterThanOrEqual(1);
        expect(page.length).toBeLessThanOrEqual(10_000);
      }
      const texts = pages.flat();
      expect(texts).toEqual(all.map((row) => stringifyExtended(row)));
      expect(texts.map((text) => parseExtended(text))).toEqual(all);
    });

    it("bounds a scan by step, inclusive", async () => {
      const store = await open();
      const ref = runRef("bounded");
      const all = variedRows(1000);
      await store.applyBatch(ref, { history: { offset: 0, rows: all } }, 1);
      const texts = await scanAll(store, ref, { minStep: 100, maxStep: 199 });
      expect(texts).toEqual(all.slice(100, 200).map((row) => stringifyExtended(row)));
      expect(await scanAll(store, ref, { minStep: 5000 })).toEqual([]);
    });

    it("with keys, returns only the rows that have all of them, projected to _step and those keys", async () => {
      const store = await open();
      const ref = runRef("keys");
      await store.applyBatch(ref, { history: { offset: 0, rows: variedRows(100) } }, 1);
      const texts = await scanAll(store, ref, { keys: ["train.acc", "loss"] });
      const parsed = texts.map((text) => parseExtended(text));
      expect(parsed).toHaveLength(10);
      expect(parsed[0]).toEqual({ _step: 0, "train.acc": 0, loss: Number.NaN });
      expect(parsed[1]).toEqual({ _step: 10, "train.acc": 0.1, loss: Math.exp(-10 / 1000) });
    });

    it("keeps rows in step order across batches and an unknown run has no rows", async () => {
      const store = await open();
      const ref = runRef("order");
      await store.applyBatch(
        ref,
        {
          history: {
            offset: 0,
            rows: [
              { _step: 0, a: 1 },
              { _step: 5, a: 2 },
            ],
          },
        },
        1,
      );
      await store.applyBatch(ref, { history: { offset: 2, rows: [{ _step: 6, a: 3 }, { a: 4 }] } }, 2);
      const texts = await scanAll(store, ref);
      expect(texts).toEqual(['{"_step":0,"a":1}', '{"_step":5,"a":2}', '{"_step":6,"a":3}', '{"a":4}']);
      expect(await scanAll(store, runRef("nobody"))).toEqual([]);
    });
  });
}
