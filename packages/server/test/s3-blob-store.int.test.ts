/**
 * The BlobStore contract on S3, against a real S3-compatible server process (s3rver), each
 * test under a fresh key prefix of one bucket; then what only the S3 store does: presigned
 * download URLs fetched straight from the object store, large bodies as multipart uploads
 * written to their content key only when their hash matches, and leases that spare blobs
 * being recorded while garbage collection deletes after its transaction.
 */
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ContentMismatchError } from "@stepwise/protocol";
import { S3BlobStore } from "../src/blob/s3-blob-store.js";
import { parseS3Location, s3Settings, type S3Settings } from "../src/blob/s3-location.js";
import { S3Objects } from "../src/blob/s3-objects.js";
import { UrlSigner } from "../src/blob/url-signer.js";
import { blobStoreContract } from "./blob-contract/blob-store-contract.js";
import { startS3Process, type S3Process } from "./support/s3-process.js";

let s3: S3Process;
let lister: S3Objects;
const opened: S3BlobStore[] = [];

beforeAll(async () => {
  s3 = await startS3Process();
  lister = await S3Objects.open(settingsFor("lister"));
}, 60_000);
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});
afterAll(async () => {
  lister?.close();
  await s3?.stop();
});

function settingsFor(prefix: string): S3Settings {
  return s3Settings(parseS3Location(`s3://${s3.bucket}/${prefix}`), s3.env);
}

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of lister.list(prefix)) keys.push(object.key.slice(prefix.length));
  return keys.sort();
}

async function openStore(prefix = `t-${randomBytes(6).toString("hex")}/stepwise`): Promise<S3BlobStore> {
  const store = await S3BlobStore.open(settingsFor(prefix), new UrlSigner(randomBytes(32)));
  opened.push(store);
  return store;
}

blobStoreContract(
  async () => {
    const prefix = `t-${randomBytes(6).toString("hex")}/stepwise`;
    const store = await openStore(prefix);
    return {
      store,
      reopen: () => openStore(prefix),
      storedObjects: () => keysUnder(`${prefix}/`),
    };
  },
  { backend: "S3" },
);

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function pattern(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * seed + 7) % 251;
  return bytes;
}

describe("S3BlobStore", () => {
  it("hands out the server's signed download URLs, and presigned ones that the object store serves directly, whole or by range", async () => {
    // s3rver does not check SigV4 signatures: s3-presign.test.ts checks them against the AWS SDK's presigner.
    const store = await openStore();
    const bytes = pattern(100_000, 13);
    const { sha256: key } = await store.put(bytes);
    expect(store.downloadUrl(key, 2_000_000_000)).toMatch(
      new RegExp(`^/api/v1/blobs/${key}\\?expires=2000000000&signature=`),
    );
    const url = store.directDownloadUrl(key, Math.floor(Date.now() / 1000) + 600);
    expect(url.startsWith(`${s3.endpoint}/${s3.bucket}/`)).toBe(true);
    expect(new URL(url).searchParams.get("X-Amz-Expires")).toMatch(/^(599|600)$/);
    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
    const part = await fetch(url, { headers: { range: "bytes=10-19" } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(10, 20))).toBe(true);
  });

  it("streams large bodies as multipart uploads: declared content straight to its key, undeclared via a temp object; a mismatch keeps nothing", async () => {
    const prefix = `t-${randomBytes(6).toString("hex")}/stepwise`;
    const store = await openStore(prefix);
    const big = pattern(20 * 1024 * 1024 + 3, 31);
    const chunks = (bytes: Buffer): Readable =>
      Readable.from([
        bytes.subarray(0, 5_000_000),
        bytes.subarray(5_000_000, 13_000_000),
        bytes.subarray(13_000_000),
      ]);
    const wrong = sha256(Buffer.from("not this"));
    await expect(store.put(chunks(big), { sha256: wrong })).rejects.toBeInstanceOf(ContentMismatchError);
    expect(await store.head(wrong)).toBeNull();
    expect(await keysUnder(`${prefix}/`)).toEqual([]);
    expect(await store.put(chunks(big), { sha256: sha256(big), size: big.length })).toEqual({
      size: big.length,
      sha256: sha256(big),
    });
    const other = pattern(12 * 1024 * 1024, 17);
    expect(await store.put(chunks(other))).toEqual({ size: other.length, sha256: sha256(other) });
    await expect(store.put(chunks(other), { size: other.length + 1 })).rejects.toBeInstanceOf(
      ContentMismatchError,
    );
    for (const bytes of [big, other]) {
      const back = await store.get(sha256(bytes));
      expect(back === null ? null : (await buffer(back)).equals(bytes)).toBe(true);
    }
    expect(await keysUnder(`${prefix}/`)).toEqual(
      [sha256(big), sha256(other)].map((key) => `blobs/sha256/${key.slice(0, 2)}/${key}`).sort(),
    );
  });

  it("completes a staged upload of many parts into its blob, checking the hash again after a restart", async () => {
    const prefix = `t-${randomBytes(6).toString("hex")}/stepwise`;
    const store = await openStore(prefix);
    const content = pattern(9 * 1024 * 1024 + 11, 7);
    const expect_ = { size: content.length, sha256: sha256(content) };
    const id = await store.beginUpload(expect_);
    const step = 3 * 1024 * 1024;
    for (let at = 0; at < step * 2; at += step)
      await store.appendUpload(id, at, Readable.from([content.subarray(at, at + step)]), step);
    const again = await openStore(prefix);
    await again.appendUpload(id, step * 2, Readable.from([content.subarray(step * 2)]), content.length);
    expect(await again.completeUpload(id, expect_)).toEqual(expect_);
    const back = await again.get(expect_.sha256);
    expect(back === null ? null : (await buffer(back)).equals(content)).toBe(true);
    expect(await keysUnder(`${prefix}/`)).toEqual([
      `blobs/sha256/${expect_.sha256.slice(0, 2)}/${expect_.sha256}`,
    ]);
    // Parts of 5 MiB and more, hashed as they arrived: joined inside S3 where the server can
    // (UploadPartCopy), else (s3rver) streamed through; the blob is the same either way.
    const large = pattern(12 * 1024 * 1024 + 1, 11);
    const largeExpect = { size: large.length, sha256: sha256(large) };
    const big = await again.beginUpload(largeExpect);
    const half = 6 * 1024 * 1024;
    for (let at = 0; at < large.length; at += half)
      await again.appendUpload(big, at, Readable.from([large.subarray(at, at + half)]), half);
    expect(await again.completeUpload(big, largeExpect)).toEqual(largeExpect);
    const largeBack = await again.get(largeExpect.sha256);
    expect(largeBack === null ? null : (await buffer(largeBack)).equals(large)).toBe(true);
    expect(await all(again.listUploads())).toEqual([]);
  });

  it("garbage collection spares a blob renewed or being recorded here, and deletes the rest after its transaction", async () => {
    const store = await openStore();
    const kept = await store.put(Buffer.from("renewed by a record"));
    const freed = await store.put(Buffer.from("no record points here"));
    const future = Date.now() / 1000 + 3600;
    expect(store.touchSync(kept.sha256)).toBe(true);
    expect(store.deleteIfOlderSync(kept.sha256, Date.now() / 1000 - 60)).toBe(false);
    expect(store.deleteIfOlderSync(freed.sha256, future)).toBe(true);
    // Decided inside the transaction: a record made after it finds the blob gone.
    expect(store.touchSync(freed.sha256)).toBe(false);
    await store.settleDeletes();
    expect(await store.head(freed.sha256)).toBeNull();
    expect(await store.head(kept.sha256)).not.toBeNull();
    const fresh = await openStore();
    const absent = sha256(Buffer.from("never stored"));
    expect(fresh.touchSync(kept.sha256)).toBe(false);
    await fresh.prepareLeases([kept.sha256, absent]);
    expect(fresh.touchSync(kept.sha256)).toBe(false);
    expect(fresh.touchSync(absent)).toBe(false);
  });

  it("says which bucket it cannot reach when it opens", async () => {
    const settings = s3Settings(parseS3Location("s3://no-such-bucket/x"), s3.env);
    await expect(S3BlobStore.open(settings, new UrlSigner(randomBytes(32)))).rejects.toThrow(
      /cannot reach bucket 'no-such-bucket'/,
    );
  });
});
