/**
 * Store contract, file records: one record per (run, path), replaced on re-upload, independent
 * of whether the run has sent a batch yet.
 */
import { describe, expect, it } from "vitest";
import { PathConflictError } from "@stepwise/protocol";
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

    it("refuses a path that is a folder of the run's files, or has one of its files as a folder", async () => {
      const store = await open();
      const ref = runRef("conflicts");
      await store.putFile(ref, file("model/weights.bin", 1, 1));
      await store.putFile(ref, file("logs/a/epoch-1.txt", 1, 1));
      for (const path of ["model/weights.bin/part", "model/weights.bin/x/y", "logs", "logs/a"])
        await expect(store.putFile(ref, file(path, 2, 2)), path).rejects.toBeInstanceOf(PathConflictError);
      // Neighbours that only share a prefix of characters are no conflict.
      for (const path of ["model/weights.bin2", "model/weights", "logs/a.txt", "logs/a0", "log"])
        await store.putFile(ref, file(path, 3, 3));
      await store.putFile(runRef("other"), file("model/weights.bin/part", 4, 4));
      expect((await store.listFiles(ref)).map((f) => f.path)).toEqual([
        "log",
        "logs/a.txt",
        "logs/a/epoch-1.txt",
        "logs/a0",
        "model/weights",
        "model/weights.bin",
        "model/weights.bin2",
      ]);
    });

    it("runs `whileLocked` before the record, and writes nothing when it throws", async () => {
      const store = await open();
      const ref = runRef("locked");
      const seen: string[] = [];
      await store.putFile(ref, file("a.txt", 1, 1), () => seen.push("checked"));
      expect(seen).toEqual(["checked"]);
      await expect(
        store.putFile(ref, file("b.txt", 1, 1), () => {
          throw new Error("blob is gone");
        }),
      ).rejects.toThrow("blob is gone");
      expect((await store.listFiles(ref)).map((f) => f.path)).toEqual(["a.txt"]);
    });
  });
}
