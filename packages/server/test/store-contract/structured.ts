/**
 * Store contract, structured values (`Store.structured`): histograms by (run, key, step) with
 * their logged edges and counts, JSON and packed rows alike; table versions from `table-file`
 * values; a re-sent batch adds nothing and a refused one (offset gap) leaves nothing; user
 * presets kept, replaced and removed.
 */
import { describe, expect, it } from "vitest";
import { PackedRowsBuilder, readPackedRows, stringifyExtended, type HistoryRow } from "@stepwise/protocol";
import { runRef, storeOpener, type StoreFactory } from "./contract-setup.js";

const histogram = (counts: number[], bins: number[]) => ({ _type: "histogram", values: counts, bins });
const table = (step: number) => ({
  _type: "table-file",
  path: `media/table/t_${step}_${"0".repeat(20)}.table.json`,
  sha256: "ab".repeat(32),
  size: 10,
  nrows: step + 1,
  ncols: 2,
});

export function structuredContract(factory: StoreFactory): void {
  const open = storeOpener(factory);

  describe("structured values", () => {
    it("keeps histograms as logged, by key and step, from JSON and packed rows", async () => {
      const store = await open();
      const rows: HistoryRow[] = [
        { _step: 0, h: histogram([1, 2, 3], [0, 1, 2, 3]), nested: { h: histogram([0.5], [1, 1]) } },
        { _step: 1, h: histogram([4, 5], [0, 1, 5]) },
        { _step: 2, h: { _type: "histogram", values: [1], bins: [0] } },
      ];
      await store.applyBatch(runRef("a"), { history: { offset: 0, rows } }, 1);
      const builder = new PackedRowsBuilder();
      builder.addObject({ _step: 3, h: histogram([7, 8], [-1, 0, 1]) }, stringifyExtended);
      await store.applyBatch(
        runRef("a"),
        { history: { offset: 3, packed: readPackedRows(builder.build()) } },
        1,
      );
      const read = async (key: string) =>
        ((await store.structured.readHistograms(runRef("a"), key, 0, 10)) ?? []).map((h) => [
          h.step,
          Array.from(h.edges),
          Array.from(h.counts),
        ]);
      expect(await read("h")).toEqual([
        [0, [0, 1, 2, 3], [1, 2, 3]],
        [1, [0, 1, 5], [4, 5]],
        [3, [-1, 0, 1], [7, 8]],
      ]);
      expect(await read("nested.h")).toEqual([[0, [1, 1], [0.5]]]);
      expect(await store.structured.listHistogramKeys(runRef("a"))).toEqual([
        { key: "h", count: 3, firstStep: 0, lastStep: 3 },
        { key: "nested.h", count: 1, firstStep: 0, lastStep: 0 },
      ]);
      expect(await store.structured.readHistograms(runRef("none"), "h", 0, 10)).toBeNull();
    });

    it("a re-sent batch adds nothing; a batch past the stored offset leaves nothing", async () => {
      const store = await open();
      const rows: HistoryRow[] = [{ _step: 0, h: histogram([1], [0, 1]), t: table(0) }];
      await store.applyBatch(runRef("a"), { history: { offset: 0, rows } }, 1);
      await store.applyBatch(runRef("a"), { history: { offset: 0, rows } }, 1);
      const gap = await store.applyBatch(
        runRef("a"),
        { history: { offset: 5, rows: [{ _step: 9, h: histogram([2], [0, 1]), t: table(9) }] } },
        1,
      );
      expect(gap.gap).not.toBeNull();
      expect((await store.structured.listHistogramKeys(runRef("a")))?.[0]?.count).toBe(1);
      expect(await store.structured.listTableVersions(runRef("a"))).toEqual([
        { key: "t", step: 0, path: table(0).path, sha256: "ab".repeat(32), rows: 1, columns: 2 },
      ]);
    });

    it("lists table versions per key by step", async () => {
      const store = await open();
      const rows: HistoryRow[] = [
        { _step: 0, t: table(0) },
        { _step: 4, t: table(4), u: { ...table(4), _type: "incremental-table-file" } },
      ];
      await store.applyBatch(runRef("a"), { history: { offset: 0, rows } }, 1);
      expect(
        (await store.structured.listTableVersions(runRef("a"), "t"))?.map((v) => [v.step, v.rows]),
      ).toEqual([
        [0, 1],
        [4, 5],
      ]);
      expect((await store.structured.listTableVersions(runRef("a")))?.map((v) => v.key)).toEqual([
        "t",
        "t",
        "u",
      ]);
      expect(await store.structured.listTableVersions(runRef("none"))).toBeNull();
    });

    it("keeps, replaces and removes user presets", async () => {
      const store = await open();
      const body = {
        name: "A",
        description: "",
        fields: [],
        stringFields: [],
        overlay: false,
        spec: { mark: "point" },
      };
      await store.structured.putPreset("me/a", body, 10);
      const replaced = await store.structured.putPreset("me/a", { ...body, name: "B" }, 20);
      expect(replaced).toEqual({ id: "me/a", body: { ...body, name: "B" }, createdAt: 10, updatedAt: 20 });
      expect((await store.structured.listPresets()).map((p) => p.id)).toEqual(["me/a"]);
      expect(await store.structured.deletePreset("me/a")).toBe(true);
      expect(await store.structured.deletePreset("me/a")).toBe(false);
      expect(await store.structured.getPreset("me/a")).toBeNull();
    });
  });
}
