/**
 * Store contract, writers: a run takes batches only from its current writer. Another writer is
 * refused with WRITER_CONFLICT and nothing of its batch is stored (not merged, not skipped as a
 * re-send); a resume claim takes the run over only while the run still has the counts the claim
 * was made from; runs and batches from before writer ids keep working.
 */
import { describe, expect, it } from "vitest";
import { parseExtended, WriterConflictError, type IngestWriter, type RunRef } from "@stepwise/protocol";
import { rows, runRef, scanAll, storeOpener, type StoreFactory } from "./contract-setup.js";
import type { Store, StoreBatch } from "../../src/store/store.js";

const A: IngestWriter = { id: "writer-a-0123456789" };
const B: IngestWriter = { id: "writer-b-0123456789" };

function batch(writer: IngestWriter | undefined, offset: number, count: number, tag: number): StoreBatch {
  return {
    ...(writer ? { writer } : {}),
    history: { offset, rows: rows(offset, count, () => ({ who: tag })) },
  };
}

function tags(count: number, tag: number): number[] {
  return Array.from({ length: count }, () => tag);
}

/** Which writer's tag each stored row carries, in order. */
async function writersOfRows(store: Store, ref: RunRef): Promise<unknown[]> {
  return (await scanAll(store, ref)).map((text) => (parseExtended(text) as { who: unknown }).who);
}

export function writersContract(factory: StoreFactory): void {
  const open = storeOpener(factory);

  describe("writers", () => {
    it("refuses a second writer, even for a batch that would look like a re-send, and stores nothing of it", async () => {
      const store = await open();
      const ref = runRef("two-writers");
      await store.applyBatch(ref, batch(A, 0, 10, 1), 1);
      // B's rows 0–9 would be skipped as re-sends without writer ids; 10–14 would be appended.
      await expect(store.applyBatch(ref, batch(B, 0, 15, 2), 2)).rejects.toThrow(WriterConflictError);
      await expect(store.applyBatch(ref, batch(B, 10, 5, 2), 2)).rejects.toThrow(/already exists/);
      await store.applyBatch(ref, batch(A, 10, 5, 1), 3);
      expect(await writersOfRows(store, ref)).toEqual(tags(15, 1));
      expect((await store.getRun(ref))?.offsets.history).toBe(15);
    });

    it("refuses a batch without a writer id for a run that has one", async () => {
      const store = await open();
      const ref = runRef("legacy-client");
      await store.applyBatch(ref, batch(A, 0, 3, 1), 1);
      await expect(store.applyBatch(ref, batch(undefined, 3, 3, 2), 2)).rejects.toThrow(WriterConflictError);
    });

    it("lets a run created without writer ids take batches without one, and be claimed by a resume", async () => {
      const store = await open();
      const ref = runRef("legacy-run");
      await store.applyBatch(ref, batch(undefined, 0, 5, 1), 1);
      await store.applyBatch(ref, batch(undefined, 5, 5, 1), 2);
      await expect(store.applyBatch(ref, batch(B, 10, 1, 2), 3)).rejects.toThrow(WriterConflictError);
      const claim: IngestWriter = { ...B, resumeFrom: { history: 10, events: 0, console: 0, meta: 0 } };
      await store.applyBatch(ref, batch(claim, 10, 5, 2), 4);
      expect(await writersOfRows(store, ref)).toEqual([...tags(10, 1), ...tags(5, 2)]);
    });

    it("hands the run to a resuming writer whose counts match, and refuses the previous writer after that", async () => {
      const store = await open();
      const ref = runRef("resume");
      await store.applyBatch(ref, batch(A, 0, 10, 1), 1);
      const claim: IngestWriter = { ...B, resumeFrom: { history: 10, events: 0, console: 0, meta: 0 } };
      await store.applyBatch(ref, batch(claim, 10, 5, 2), 2);
      await store.applyBatch(ref, batch(claim, 15, 5, 2), 3); // the claim rides on every batch
      await expect(store.applyBatch(ref, batch(A, 10, 5, 1), 4)).rejects.toThrow(WriterConflictError);
      expect(await writersOfRows(store, ref)).toEqual([...tags(10, 1), ...tags(10, 2)]);
    });

    it("refuses a resume claim made from counts the run no longer has (another process wrote since)", async () => {
      const store = await open();
      const ref = runRef("stale-claim");
      await store.applyBatch(ref, batch(A, 0, 10, 1), 1);
      const stale: IngestWriter = { ...B, resumeFrom: { history: 8, events: 0, console: 0, meta: 0 } };
      await expect(store.applyBatch(ref, batch(stale, 8, 5, 2), 2)).rejects.toThrow(
        /changed after this process looked it up/,
      );
      expect(await writersOfRows(store, ref)).toEqual(tags(10, 1));
    });
  });
}
