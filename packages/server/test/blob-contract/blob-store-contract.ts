/**
 * The BlobStore contract: every implementation (local files now, S3 later) passes it. Keys are
 * relative `/`-separated paths; writes are atomic and report size and sha256; a key can never
 * reach outside the store.
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { InvalidDataError } from "@stepwise/protocol";
import type { BlobStore } from "../../src/blob/blob-store.js";

export type BlobStoreFactory = () => Promise<BlobStore>;

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

async function read(store: BlobStore, key: string): Promise<Buffer | null> {
  const stream = await store.get(key);
  return stream === null ? null : buffer(stream);
}

export function blobStoreContract(open: BlobStoreFactory): void {
  describe("BlobStore contract", () => {
    it("stores bytes and streams under nested keys, reporting size and sha256", async () => {
      const store = await open();
      const bytes = new TextEncoder().encode("hello, blob");
      expect(await store.put("e/p/run/media/images/a.png", bytes)).toEqual({
        size: bytes.length,
        sha256: sha256(bytes),
      });
      expect(await read(store, "e/p/run/media/images/a.png")).toEqual(Buffer.from(bytes));

      const big = Buffer.alloc(3 * 1024 * 1024 + 7, 0x5a);
      const put = await store.put(
        "e/p/run/output.log",
        Readable.from([big.subarray(0, 1000), big.subarray(1000)]),
      );
      expect(put).toEqual({ size: big.length, sha256: sha256(big) });
      expect((await read(store, "e/p/run/output.log"))?.equals(big)).toBe(true);
      await store.close();
    });

    it("replaces a key whole, answers null for a missing key, and deletes", async () => {
      const store = await open();
      await store.put("k/file.txt", Buffer.from("first version, longer"));
      await store.put("k/file.txt", Buffer.from("second"));
      expect((await read(store, "k/file.txt"))?.toString()).toBe("second");
      expect(await store.get("k/missing.txt")).toBeNull();
      await store.delete("k/file.txt");
      expect(await store.get("k/file.txt")).toBeNull();
      await store.delete("k/never-there.txt");
      await store.close();
    });

    it("keeps the previous content when a write fails midway", async () => {
      const store = await open();
      await store.put("k/kept.bin", Buffer.from("intact"));
      const failing = new Readable({
        read() {
          this.push(Buffer.from("partial data"));
          this.destroy(new Error("connection reset"));
        },
      });
      await expect(store.put("k/kept.bin", failing)).rejects.toThrow("connection reset");
      expect((await read(store, "k/kept.bin"))?.toString()).toBe("intact");
      await store.close();
    });

    it.each(["../escape", "a/../../b", "/abs/path", "a//b", "a/./b", "a\\b", "nul\0byte", ""])(
      "refuses the key %j",
      async (key) => {
        const store = await open();
        await expect(store.put(key, Buffer.from("x"))).rejects.toBeInstanceOf(InvalidDataError);
        await expect(store.get(key)).rejects.toBeInstanceOf(InvalidDataError);
        await store.close();
      },
    );
  });
}
