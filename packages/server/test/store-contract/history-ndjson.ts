/**
 * Store contract, the history as NDJSON bytes (`scanHistoryNdjson`, what the history export
 * sends): exactly the rows a row scan returns, each followed by a line break, in whole-row
 * pages, for rows sent as JSON and packed, before and after compaction; nothing for an unknown
 * run or a run without history.
 */
import { describe, expect, it } from "vitest";
import { PackedRowsBuilder, readPackedRows, stringifyExtended, type HistoryRow } from "@stepwise/protocol";
import type { Store, StoreHistory } from "../../src/store/store.js";
import { runRef, scanAll, storeOpener, type StoreFactory } from "./contract-setup.js";
import { variedRows } from "./history.js";

function packed(offset: number, rows: readonly HistoryRow[]): StoreHistory {
  const builder = new PackedRowsBuilder();
  for (const row of rows) builder.addObject(row, stringifyExtended);
  return { offset, packed: readPackedRows(builder.build()) };
}

/** The pages as text; each page must end with a line break (whole rows only). */
async function ndjsonPages(store: Store, ref: ReturnType<typeof runRef>): Promise<string[]> {
  const pages: string[] = [];
  for await (const page of store.scanHistoryNdjson(ref)) pages.push(new TextDecoder().decode(page));
  return pages;
}

export function historyNdjsonContract(factory: StoreFactory): void {
  const open = storeOpener(factory);

  describe("history as NDJSON bytes", () => {
    it("holds exactly the logged rows, JSON and packed batches alike, before and after compaction", async () => {
      const store = await open();
      const ref = runRef("ndjson");
      const all = variedRows(31_234);
      // Alternate JSON and packed batches, of sizes that do not line up with blocks or pages.
      for (let offset = 0, i = 0; offset < all.length; offset += 2_345, i++) {
        const part = all.slice(offset, offset + 2_345);
        const history: StoreHistory = i % 2 === 0 ? { offset, rows: part } : packed(offset, part);
        await store.applyBatch(ref, { history }, 1);
      }
      const expected = all.map((row) => stringifyExtended(row) + "\n").join("");
      const before = await ndjsonPages(store, ref);
      expect(before.length).toBeGreaterThan(1);
      for (const page of before) expect(page.endsWith("\n")).toBe(true);
      expect(before.join("")).toBe(expected);
      expect(before.join("")).toBe((await scanAll(store, ref)).map((text) => text + "\n").join(""));
      while ((await store.compactHistory(16)) > 0);
      expect((await ndjsonPages(store, ref)).join("")).toBe(expected);
    });

    it("yields nothing for an unknown run or a run without history", async () => {
      const store = await open();
      await store.applyBatch(runRef("empty"), { run: { name: "empty" } }, 1);
      expect(await ndjsonPages(store, runRef("empty"))).toEqual([]);
      expect(await ndjsonPages(store, runRef("nobody"))).toEqual([]);
    });
  });
}
