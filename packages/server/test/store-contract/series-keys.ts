/**
 * Store contract, series keys: what the UI makes charts of, a page at a time. Pages after a
 * cursor add up to every key once, in code point order (the order of UTF-8 bytes), across runs;
 * a search keeps the keys that contain it, ASCII letters in either case, and pages apply to the
 * matches.
 */
import { describe, expect, it } from "vitest";
import { runRef, storeOpener, type StoreFactory } from "./contract-setup.js";

export function seriesKeysContract(factory: StoreFactory): void {
  const open = storeOpener(factory);

  describe("series keys", () => {
    it("lists series keys a page at a time, searched, across runs, in code point order", async () => {
      const store = await open();
      const a = runRef("keys-a");
      const b = runRef("keys-b");
      // 30 keys in a, 30 in b, 10 of them in both; "\u{1F600}" sorts after "\uFFFD" (UTF-8 order).
      const keysOf = (from: number) =>
        Array.from({ length: 30 }, (_, i) => `layer${String(from + i).padStart(2, "0")}/Grad`);
      const row = (keys: string[]) => ({ _step: 0, ...Object.fromEntries(keys.map((k) => [k, 1])) });
      const odd = ["z\uFFFD", "z\u{1F600}"];
      await store.applyBatch(a, { history: { offset: 0, rows: [row([...keysOf(0), ...odd])] } }, 1);
      await store.applyBatch(b, { history: { offset: 0, rows: [row(keysOf(20))] } }, 1);
      const everyKey = [...keysOf(0), ...keysOf(20).slice(10), "z\uFFFD", "z\u{1F600}"];
      expect(everyKey).toHaveLength(52);

      // Pages of 7, each after the last key of the one before, add up to every key once.
      const paged: string[] = [];
      let after: string | undefined;
      for (let page = 0; page < 20; page++) {
        const answer = await store.listSeriesKeys([a, b], {
          limit: 7,
          ...(after === undefined ? {} : { after }),
        });
        paged.push(...answer.keys);
        expect(answer.keys.length).toBe(answer.more ? 7 : everyKey.length % 7);
        if (!answer.more) break;
        after = answer.keys[answer.keys.length - 1];
      }
      expect(paged).toEqual(everyKey);

      // The search matches anywhere in the key, ASCII letters in either case; pages apply to matches.
      expect(await store.listSeriesKeys([a, b], { search: "R45/g" })).toEqual({
        keys: ["layer45/Grad"],
        more: false,
      });
      const fours = await store.listSeriesKeys([a, b], { search: "4", limit: 3 });
      expect(fours).toEqual({ keys: ["layer04/Grad", "layer14/Grad", "layer24/Grad"], more: true });
      expect(await store.listSeriesKeys([a, b], { search: "4", limit: 3, after: "layer24/Grad" })).toEqual({
        keys: ["layer34/Grad", "layer40/Grad", "layer41/Grad"],
        more: true,
      });
      expect(await store.listSeriesKeys([a, b], { search: "nothing like it" })).toEqual({
        keys: [],
        more: false,
      });
      // An exact page: `more` only when a key is left.
      expect(await store.listSeriesKeys([b], { limit: 30 })).toEqual({
        keys: keysOf(20),
        more: false,
      });
    });
  });
}
