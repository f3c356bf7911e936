/**
 * The BlobStore contract: every implementation (local files, S3) passes it. Blobs are
 * keyed by the sha256 of their content; a write hashes while it streams, is checked against
 * what was declared, and leaves nothing behind when refused or cut off; staged uploads resume
 * at the offset they reached, also after the store is opened again.
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { describe, expect, it as vitestIt } from "vitest";
import { ContentMismatchError, InvalidDataError, StepwiseError, UploadOffsetError } from "@stepwise/protocol";
import type { BlobInfo, BlobStore } from "../../src/blob/blob-store.js";

export interface OpenedBlobStore {
  store: BlobStore;
  /** Opens the same storage again (a restarted server). */
  reopen: () => Promise<BlobStore>;
  /** Every object the storage holds, temp files included (to prove nothing was left behind). */
  storedObjects: () => Promise<string[]>;
}

export type BlobStoreFactory = () => Promise<OpenedBlobStore>;

export interface ContractOptions {
  /** The backend's name, in every test's title ("local files", "S3"). */
  backend: string;
  /** Tests this backend skips, by title, each with the reason said in the skipped test's title. */
  skip?: Record<string, string>;
}

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

async function read(
  store: BlobStore,
  key: string,
  range?: { start: number; end: number },
): Promise<Buffer | null> {
  const stream = await store.get(key, range);
  return stream === null ? null : buffer(stream);
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function failingAfter(bytes: Buffer): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(bytes);
      } else this.destroy(new Error("connection reset"));
    },
  });
}

export function blobStoreContract(open: BlobStoreFactory, options: ContractOptions): void {
  const skip = options.skip ?? {};
  // A test skipped for this backend says why in its title.
  const it = Object.assign(
    (title: string, test: () => Promise<void>) => {
      const reason = skip[title];
      if (reason === undefined) vitestIt(title, test);
      else vitestIt.skip(`${title} (skipped on ${options.backend}: ${reason})`, test);
    },
    { each: vitestIt.each.bind(vitestIt) },
  );
  describe(`BlobStore contract on ${options.backend}: content-addressed blobs`, () => {
    it("stores a body under its sha256, streams it back whole or by range, and lists it", async () => {
      const { store } = await open();
      const big = Buffer.alloc(3 * 1024 * 1024 + 7);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31) % 251;
      const written = await store.put(Readable.from([big.subarray(0, 1000), big.subarray(1000)]));
      expect(written).toEqual({ size: big.length, sha256: sha256(big) });
      expect((await read(store, written.sha256))?.equals(big)).toBe(true);
      expect((await read(store, written.sha256, { start: 10, end: 19 }))?.equals(big.subarray(10, 20))).toBe(
        true,
      );
      const last = big.length - 1;
      expect(
        (await read(store, written.sha256, { start: last, end: last }))?.equals(big.subarray(last)),
      ).toBe(true);
      const head = await store.head(written.sha256);
      expect(head).toMatchObject({ sha256: written.sha256, size: big.length });
      expect(Math.abs((head as BlobInfo).modifiedAt - Date.now() / 1000)).toBeLessThan(60);
      const small = await store.put(new TextEncoder().encode("hello, blob"));
      const listed = (await all(store.list()))
        .map(({ sha256: s, size }) => ({ sha256: s, size }))
        .sort((a, b) => a.size - b.size);
      expect(listed).toEqual([small, written].sort((a, b) => a.size - b.size));
    });

    it("stores identical content once, and an empty body too", async () => {
      const { store, storedObjects } = await open();
      const bytes = Buffer.from("same content");
      const before = await storedObjects();
      for (let i = 0; i < 5; i++)
        expect(await store.put(bytes)).toEqual({ size: bytes.length, sha256: sha256(bytes) });
      expect((await all(store.list())).length).toBe(1);
      expect((await storedObjects()).length - before.length).toBe(1);
      const empty = await store.put(Buffer.alloc(0));
      expect(empty).toEqual({ size: 0, sha256: sha256(Buffer.alloc(0)) });
      expect((await read(store, empty.sha256))?.length).toBe(0);
    });

    it("answers null for an absent blob, deletes, and deleting an absent one does nothing", async () => {
      const { store } = await open();
      const { sha256: key } = await store.put(Buffer.from("to delete"));
      const absent = sha256(Buffer.from("never stored"));
      expect(await store.get(absent)).toBeNull();
      expect(await store.head(absent)).toBeNull();
      await store.delete(key);
      expect(await store.head(key)).toBeNull();
      expect(await store.get(key)).toBeNull();
      await store.delete(absent);
      expect(await all(store.list())).toEqual([]);
    });

    it("refuses a body that differs from the declared size or sha256, or is over the limit, keeping nothing", async () => {
      const { store, storedObjects } = await open();
      const bytes = Buffer.from("declared content");
      const before = await storedObjects();
      await expect(store.put(bytes, { sha256: sha256(Buffer.from("other")) })).rejects.toBeInstanceOf(
        ContentMismatchError,
      );
      await expect(store.put(bytes, { size: bytes.length + 1 })).rejects.toBeInstanceOf(ContentMismatchError);
      await expect(store.put(bytes, { size: bytes.length - 1 })).rejects.toBeInstanceOf(ContentMismatchError);
      const tooLarge = store.put(bytes, { maxBytes: 4 });
      await expect(tooLarge).rejects.toBeInstanceOf(StepwiseError);
      await expect(tooLarge).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
      await expect(store.put(failingAfter(bytes))).rejects.toThrow("connection reset");
      expect(await storedObjects()).toEqual(before);
      expect(await all(store.list())).toEqual([]);
      expect(await store.put(bytes, { size: bytes.length, sha256: sha256(bytes) })).toEqual({
        size: bytes.length,
        sha256: sha256(bytes),
      });
    });

    it.each(["../escape", "/abs/path", "a/b", "ABCDEF".padEnd(64, "0"), "0".repeat(63), ""])(
      "refuses the key %j",
      async (key) => {
        const { store } = await open();
        await expect(store.get(key)).rejects.toBeInstanceOf(InvalidDataError);
        await expect(store.head(key)).rejects.toBeInstanceOf(InvalidDataError);
      },
    );
  });

  describe(`BlobStore contract on ${options.backend}: staged uploads`, () => {
    const content = Buffer.from("0123456789abcdefghijklmnopqrstuvwxyz".repeat(1000));
    const expectation = { size: content.length, sha256: sha256(content) };

    it("receive parts at the offset reached, refuse another offset, and complete into the blob", async () => {
      const { store } = await open();
      const id = await store.beginUpload(expectation);
      expect(await store.uploadStatus(id)).toMatchObject({ id, received: 0 });
      expect(await store.appendUpload(id, 0, Readable.from([content.subarray(0, 10_000)]), 10_000)).toBe(
        10_000,
      );
      const wrong = store.appendUpload(id, 5_000, Readable.from([content.subarray(5_000, 6_000)]), 1_000);
      await expect(wrong).rejects.toBeInstanceOf(UploadOffsetError);
      await expect(wrong).rejects.toMatchObject({ received: 10_000 });
      const overPart = store.appendUpload(
        id,
        10_000,
        Readable.from([content.subarray(10_000, 20_000)]),
        4_000,
      );
      await expect(overPart).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
      expect(await store.uploadStatus(id)).toMatchObject({ received: 10_000 });
      expect((await all(store.listUploads())).map((u) => u.id)).toEqual([id]);
      expect(
        await store.appendUpload(id, 10_000, Readable.from([content.subarray(10_000)]), content.length),
      ).toBe(content.length);
      expect(await store.completeUpload(id, expectation)).toEqual(expectation);
      expect(await store.uploadStatus(id)).toBeNull();
      expect(await all(store.listUploads())).toEqual([]);
      expect((await read(store, expectation.sha256))?.equals(content)).toBe(true);
    });

    it("resume where they stopped after the store is opened again, and keep bytes of a part cut short", async () => {
      const { store, reopen } = await open();
      const id = await store.beginUpload(expectation);
      await store.appendUpload(id, 0, Readable.from([content.subarray(0, 7_000)]), 7_000);
      await expect(
        store.appendUpload(id, 7_000, failingAfter(content.subarray(7_000, 9_000)), 10_000),
      ).rejects.toThrow("connection reset");
      const again = await reopen();
      const received = (await again.uploadStatus(id))?.received ?? -1;
      expect(received).toBeGreaterThanOrEqual(7_000);
      expect(received).toBeLessThanOrEqual(9_000);
      await again.appendUpload(id, received, Readable.from([content.subarray(received)]), content.length);
      expect(await again.completeUpload(id, expectation)).toEqual(expectation);
      expect((await read(again, expectation.sha256))?.equals(content)).toBe(true);
    });

    it("refuse completion with other bytes than declared, and keep nothing of them", async () => {
      const { store, storedObjects } = await open();
      const before = await storedObjects();
      const id = await store.beginUpload(expectation);
      const corrupted = Buffer.from(content);
      corrupted[1234] = 0x21;
      await store.appendUpload(id, 0, Readable.from([corrupted]), corrupted.length);
      await expect(store.completeUpload(id, expectation)).rejects.toBeInstanceOf(ContentMismatchError);
      expect(await store.uploadStatus(id)).toBeNull();
      expect(await store.head(expectation.sha256)).toBeNull();
      expect(await storedObjects()).toEqual(before);
      const short = await store.beginUpload(expectation);
      await store.appendUpload(short, 0, Readable.from([content.subarray(0, 100)]), 100);
      await expect(store.completeUpload(short, expectation)).rejects.toBeInstanceOf(ContentMismatchError);
      expect(await storedObjects()).toEqual(before);
    });

    it("abort removes an upload; completing content already stored keeps one copy", async () => {
      const { store } = await open();
      const aborted = await store.beginUpload(expectation);
      await store.appendUpload(aborted, 0, Readable.from([content.subarray(0, 100)]), 100);
      await store.abortUpload(aborted);
      expect(await store.uploadStatus(aborted)).toBeNull();
      await store.abortUpload(aborted);
      await store.put(content);
      const id = await store.beginUpload(expectation);
      await store.appendUpload(id, 0, Readable.from([content]), content.length);
      expect(await store.completeUpload(id, expectation)).toEqual(expectation);
      expect((await all(store.list())).length).toBe(1);
    });

    it("hand out signed URLs that differ by target and expiry", async () => {
      const { store } = await open();
      const id = await store.beginUpload(expectation);
      const url = store.uploadUrl(id, 2_000_000_000);
      expect(url).toContain(id);
      expect(url).not.toBe(store.uploadUrl(id, 2_000_000_001));
      const download = store.downloadUrl(expectation.sha256, 2_000_000_000);
      expect(download).toContain(expectation.sha256);
      expect(download).not.toBe(store.downloadUrl(sha256(Buffer.from("x")), 2_000_000_000));
    });
  });
}
