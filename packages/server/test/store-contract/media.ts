/**
 * Store contract, media index and key kinds: media values in history rows are answered by key
 * and step per run (exact, nearest, before, after, ranges) with the run file joined whichever
 * arrived first; a re-sent batch adds nothing, a refused batch (offset gap) leaves nothing; key
 * kinds list each kind a key held, numbers from the series.
 */
import { describe, expect, it } from "vitest";
import type { HistoryRow } from "@stepwise/protocol";
import { runRef, storeOpener, type StoreFactory } from "./contract-setup.js";

const project = { entity: "team", project: "proj" };

function image(step: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const sha = step.toString(16).padStart(64, "0");
  return {
    _type: "image-file",
    path: `media/images/img_${step}_${sha.slice(0, 20)}.png`,
    sha256: sha,
    size: 100 + step,
    format: "png",
    width: 8,
    height: 4,
    ...extra,
  };
}

export function mediaContract(factory: StoreFactory): void {
  const open = storeOpener(factory);

  describe("media index", () => {
    it("answers a key per run at a step (exact, nearest, before, after) and over a range", async () => {
      const store = await open();
      const rows: HistoryRow[] = [0, 5, 10].map((step) => ({ _step: step, img: image(step), loss: step }));
      await store.applyBatch(runRef("a"), { history: { offset: 0, rows } }, 1);
      await store.applyBatch(runRef("b"), { history: { offset: 0, rows: rows.slice(1) } }, 1);
      const at = async (step: number, match: "exact" | "nearest" | "before" | "after") =>
        (await store.queryMedia(project, { key: "img", runIds: ["a", "b", "c"], at: { step, match } })).map(
          (r) => [r.runId, r.found, r.step, r.items.length],
        );
      expect(await at(2, "nearest")).toEqual([
        ["a", true, 0, 1],
        ["b", true, 5, 1],
        ["c", false, null, 0],
      ]);
      expect(await at(7, "before")).toEqual([
        ["a", true, 5, 1],
        ["b", true, 5, 1],
        ["c", false, null, 0],
      ]);
      expect((await at(6, "after")).slice(0, 2)).toEqual([
        ["a", true, 10, 1],
        ["b", true, 10, 1],
      ]);
      expect((await at(6, "exact")).slice(0, 1)).toEqual([["a", true, null, 0]]);
      const [range] = await store.queryMedia(project, {
        key: "img",
        runIds: ["a"],
        range: { min: 1, max: 10, limit: 10 },
      });
      expect(range?.items.map((i) => [i.step, i.path, i.sha256, i.size, i.width, i.height])).toEqual(
        [5, 10].map((s) => [s, image(s).path, image(s).sha256, 100 + s, 8, 4]),
      );
      expect(await store.listMediaSteps(project, "img", ["a"])).toEqual([
        { runId: "a", found: true, steps: [0, 5, 10], counts: [1, 1, 1] },
      ]);
    });

    it("joins the run file whether it was recorded before or after the row", async () => {
      const store = await open();
      const ref = runRef("files");
      const file = (path: string) => ({
        path,
        size: 3,
        sha256: "cd".repeat(32),
        contentType: "image/png",
        updatedAt: 1,
      });
      await store.putFile(ref, file(image(1).path as string));
      await store.applyBatch(ref, { history: { offset: 0, rows: [{ _step: 1, img: image(1) }] } }, 1);
      await store.applyBatch(ref, { history: { offset: 1, rows: [{ _step: 2, img: image(2) }] } }, 1);
      const files = async () =>
        (
          await store.queryMedia(project, {
            key: "img",
            runIds: ["files"],
            range: { min: 0, max: 9, limit: 9 },
          })
        )[0]?.items.map((i) => i.file);
      expect(await files()).toEqual([{ sha256: "cd".repeat(32), size: 3 }, null]);
      await store.putFile(ref, file(image(2).path as string));
      expect(await files()).toEqual([
        { sha256: "cd".repeat(32), size: 3 },
        { sha256: "cd".repeat(32), size: 3 },
      ]);
    });

    it("adds nothing for a re-sent batch and keeps nothing of a batch refused for a gap", async () => {
      const store = await open();
      const ref = runRef("resend");
      const batch = { history: { offset: 0, rows: [{ _step: 0, img: image(0), note: "x" }] } };
      await store.applyBatch(ref, batch, 1);
      await store.applyBatch(ref, batch, 2);
      const gap = await store.applyBatch(
        ref,
        { history: { offset: 5, rows: [{ _step: 9, img: image(9) }] } },
        3,
      );
      expect(gap.gap).not.toBeNull();
      expect(await store.listMediaSteps(project, "img", ["resend"])).toEqual([
        { runId: "resend", found: true, steps: [0], counts: [1] },
      ]);
      const kinds = await store.listKeyKinds(project, ["resend"], null);
      expect(kinds.map((k) => [k.key, k.kind, k.count]).sort()).toEqual([
        ["img", "image-file", 1],
        ["note", "string", 1],
      ]);
    });

    it("lists the kinds each key held, numbers from the series", async () => {
      const store = await open();
      const rows: HistoryRow[] = [
        { _step: 0, v: 1, flag: true },
        { _step: 1, v: 2, flag: false },
        { _step: 2, v: image(2), tags: ["a"] },
        { _step: 3, v: "oops", ns: { deep: "s" } },
      ];
      await store.applyBatch(runRef("k"), { history: { offset: 0, rows } }, 1);
      const kinds = await store.listKeyKinds(project, null, null);
      const simple = kinds.map((k) => [k.key, k.kind, k.runs, k.count, k.firstStep, k.lastStep]);
      expect(simple.sort()).toEqual(
        [
          ["flag", "boolean", 1, 2, 0, 1],
          ["ns.deep", "string", 1, 1, 3, 3],
          ["tags", "array", 1, 1, 2, 2],
          ["v", "image-file", 1, 1, 2, 2],
          ["v", "number", 1, 2, 0, 1],
          ["v", "string", 1, 1, 3, 3],
        ].sort(),
      );
      expect(await store.listKeyKinds(project, ["nobody"], null)).toEqual([]);
      expect((await store.listKeyKinds({ entity: "team", project: "other" }, null, ["v"])).length).toBe(0);
    });
  });
}
