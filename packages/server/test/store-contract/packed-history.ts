/**
 * Store contract, packed history: rows that arrive packed (the SDK's upload form) come back
 * from scans and series exactly as the same rows sent as JSON, keys in logged order; a re-sent
 * or overlapping packed batch stores nothing twice; compaction changes no scan.
 */
import { describe, expect, it } from "vitest";
import { PackedRowsBuilder, readPackedRows, stringifyExtended, type HistoryRow } from "@stepwise/protocol";
import type { StoreHistory } from "../../src/store/store.js";
import { runRef, scanAll, storeOpener, type StoreFactory } from "./contract-setup.js";
import { variedRows } from "./history.js";

function packed(offset: number, rows: readonly HistoryRow[]): StoreHistory {
  const builder = new PackedRowsBuilder();
  for (const row of rows) builder.addObject(row, stringifyExtended);
  return { offset, packed: readPackedRows(builder.build()) };
}

export function packedHistoryContract(factory: StoreFactory): void {
  const open = storeOpener(factory);

  describe("packed history", () => {
    it("scans packed rows as the text of the same rows, before and after compaction", async () => {
      const store = await open();
      const ref = runRef("packed");
      const all = variedRows(5_432);
      for (let offset = 0; offset < all.length; offset += 2000)
        await store.applyBatch(ref, { history: packed(offset, all.slice(offset, offset + 2000)) }, 1);
      const expected = all.map((row) => stringifyExtended(row));
      expect(await scanAll(store, ref)).toEqual(expected);
      expect((await store.getRun(ref))?.offsets.history).toBe(all.length);
      expect((await store.getRun(ref))?.lastStep).toBe(all.length - 1);

      let rewritten = 0;
      for (let n = await store.compactHistory(3); n > 0; n = await store.compactHistory(3)) rewritten += n;
      expect(rewritten).toBeGreaterThanOrEqual(6); // ≥ 1 block per 1,000 rows
      expect(await store.compactHistory(3)).toBe(0);
      expect(await scanAll(store, ref)).toEqual(expected);
      expect(await scanAll(store, ref, { minStep: 1500, maxStep: 1510 })).toEqual(expected.slice(1500, 1511));
    });

    it("gives the same series whether rows arrive packed or as JSON, on any x-axis", async () => {
      const store = await open();
      const rows = variedRows(3_000);
      // Batches of 700 rows, as a running run sends them.
      for (let offset = 0; offset < rows.length; offset += 700) {
        const part = rows.slice(offset, offset + 700);
        await store.applyBatch(runRef("json"), { history: { offset, rows: part } }, 1);
        await store.applyBatch(runRef("packed"), { history: packed(offset, part) }, 1);
      }
      const keys = ["loss", "grad", "train.acc", "train.nested.deep", "a\\.b", "_runtime", "flag", "note"];
      for (const xAxis of ["_step", "_runtime", "_timestamp"]) {
        for (const buckets of [10_000, 37]) {
          const query = { keys, xAxis, buckets };
          const fromJson = await store.querySeries({ ...query, runs: [runRef("json")] });
          const fromPacked = await store.querySeries({ ...query, runs: [runRef("packed")] });
          expect(fromPacked.map(({ run: _run, ...series }) => series)).toEqual(
            fromJson.map(({ run: _run, ...series }) => series),
          );
          const loss = fromPacked.find((s) => s.key === "loss");
          if (buckets === 10_000 && xAxis === "_runtime") expect(loss?.x.slice(0, 3)).toEqual([0, 0.5, 1]);
        }
      }
    });

    it("stores a re-sent or overlapping packed batch once, and refuses a gap", async () => {
      const store = await open();
      const ref = runRef("resend");
      const rows = variedRows(150);
      await store.applyBatch(ref, { history: packed(0, rows.slice(0, 100)) }, 1);
      await store.applyBatch(ref, { history: packed(0, rows.slice(0, 100)) }, 2);
      await store.applyBatch(ref, { history: packed(50, rows.slice(50, 150)) }, 3);
      const gap = await store.applyBatch(ref, { history: packed(200, rows.slice(0, 10)) }, 4);
      expect(gap.gap).toEqual({ stream: "history", expected: 150 });
      expect(await scanAll(store, ref)).toEqual(rows.map((row) => stringifyExtended(row)));
    });
  });
}
