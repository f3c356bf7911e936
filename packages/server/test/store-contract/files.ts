/**
 * Store contract, file records: one record per (run, path), replaced on re-upload, independent
 * of whether the run has sent a batch yet.
 */
import { describe, expect, it } from "vitest";
import type { StoredFile } from "../../src/store/store.js";
import { runRef, storeOpener, type StoreFactory } from "./contract-setup.js";

const file = (path: string, size: number, updatedAt: number): StoredFile => ({
  path,
  size,
  sha256: "ab".repeat(32),
  contentType: "application/octet-stream",
  updatedAt,
});

export function filesContract(factory: StoreFactory): void {
  const open = storeOpener(factory);

  describe("files", () => {
    it("stores, replaces, lists by path and gets file records per run", async () => {
      const store = await open();
      const ref = runRef("files");
      await store.putFile(ref, file("media/b.png", 10, 1));
      await store.putFile(ref, file("a.txt", 5, 2));
      await store.putFile(ref, file("media/b.png", 20, 3));
      await store.putFile(runRef("other"), file("a.txt", 1, 4));
      expect(await store.listFiles(ref)).toEqual([file("a.txt", 5, 2), file("media/b.png", 20, 3)]);
      expect(await store.getFile(ref, "media/b.png")).toEqual(file("media/b.png", 20, 3));
      expect(await store.getFile(ref, "nope")).toBeNull();
      expect(await store.listFiles(runRef("nobody"))).toEqual([]);
    });
  });
}
