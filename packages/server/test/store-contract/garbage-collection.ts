/**
 * Store contract, what garbage collection of blobs and resumable uploads rely on: whether a blob
 * is referenced by any run file record, a collection step that runs only for unreferenced blobs
 * and excludes recording, and upload records (one per run, path, size and sha256; renewed,
 * found again, expired).
 */
import { describe, expect, it } from "vitest";
import type { StoredFile, StoredUpload } from "../../src/store/store.js";
import { runRef, storeOpener, type StoreFactory } from "./contract-setup.js";

const SHA_A = "a".repeat(64);
const SHA_B = "b".repeat(64);

const file = (path: string, sha256: string): StoredFile => ({
  path,
  size: 1,
  sha256,
  contentType: "application/octet-stream",
  updatedAt: 1,
});

const upload = (id: string, path: string, expiresAt: number): StoredUpload => ({
  id,
  ref: runRef("uploads"),
  path,
  size: 100,
  sha256: SHA_A,
  contentType: "text/plain",
  createdAt: 1,
  expiresAt,
});

export function garbageCollectionContract(factory: StoreFactory): void {
  const open = storeOpener(factory);

  describe("garbage collection", () => {
    it("knows which blobs records point at, across runs, until the last record moves away", async () => {
      const store = await open();
      await store.putFile(runRef("one"), file("a.bin", SHA_A));
      await store.putFile(runRef("two"), file("same.bin", SHA_A));
      expect(await store.isBlobReferenced(SHA_A)).toBe(true);
      expect(await store.isBlobReferenced(SHA_B)).toBe(false);
      await store.putFile(runRef("one"), file("a.bin", SHA_B));
      expect(await store.isBlobReferenced(SHA_A)).toBe(true);
      await store.putFile(runRef("two"), file("same.bin", SHA_B));
      expect(await store.isBlobReferenced(SHA_A)).toBe(false);
    });

    it("collects only unreferenced blobs, and answers what the removal answered", async () => {
      const store = await open();
      await store.putFile(runRef("one"), file("a.bin", SHA_A));
      const calls: string[] = [];
      expect(await store.collectBlob(SHA_A, () => (calls.push(SHA_A), true))).toBe(false);
      expect(calls).toEqual([]);
      expect(await store.collectBlob(SHA_B, () => (calls.push(SHA_B), true))).toBe(true);
      expect(await store.collectBlob(SHA_B, () => false)).toBe(false);
      expect(calls).toEqual([SHA_B]);
    });

    it("keeps one upload per (run, path, size, sha256): found again, renewed, first one wins, expired, deleted", async () => {
      const store = await open();
      await store.saveUpload(upload("u1", "big.bin", 100));
      await store.saveUpload(upload("u2", "big.bin", 200));
      expect(await store.findUpload(runRef("uploads"), "big.bin", 100, SHA_A)).toEqual(
        upload("u1", "big.bin", 100),
      );
      expect(await store.getUpload("u2")).toBeNull();
      expect(await store.findUpload(runRef("uploads"), "big.bin", 101, SHA_A)).toBeNull();
      expect(await store.findUpload(runRef("other"), "big.bin", 100, SHA_A)).toBeNull();
      await store.saveUpload(upload("u1", "big.bin", 500));
      expect((await store.getUpload("u1"))?.expiresAt).toBe(500);
      await store.saveUpload(upload("u3", "small.bin", 50));
      expect((await store.expiredUploads(400)).map((u) => u.id)).toEqual(["u3"]);
      expect((await store.expiredUploads(1000)).map((u) => u.id)).toEqual(["u3", "u1"]);
      await store.deleteUpload("u1");
      await store.deleteUpload("u1");
      expect(await store.getUpload("u1")).toBeNull();
      expect(await store.findUpload(runRef("uploads"), "big.bin", 100, SHA_A)).toBeNull();
    });
  });
}
