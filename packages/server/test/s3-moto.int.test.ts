/**
 * The S3 blob store on a second S3-compatible server, moto (Python; support/moto-process.ts):
 * the BlobStore contract suite again, and what s3rver cannot show: a staged upload whose parts
 * were hashed as they arrived is joined inside S3 (UploadPartCopy), its bytes never read back
 * through the server.
 */
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { S3BlobStore } from "../src/blob/s3-blob-store.js";
import { parseS3Location, s3Settings } from "../src/blob/s3-location.js";
import { S3Objects } from "../src/blob/s3-objects.js";
import { UrlSigner } from "../src/blob/url-signer.js";
import { blobStoreContract } from "./blob-contract/blob-store-contract.js";
import { startMotoProcess } from "./support/moto-process.js";
import type { S3Process } from "./support/s3-process.js";

let s3: S3Process;
let lister: S3Objects;
const opened: S3BlobStore[] = [];

beforeAll(async () => {
  s3 = await startMotoProcess();
  lister = await S3Objects.open(s3Settings(parseS3Location(`s3://${s3.bucket}`), s3.env));
}, 600_000);
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});
afterAll(async () => {
  lister?.close();
  await s3?.stop();
});

async function openStore(prefix: string): Promise<S3BlobStore> {
  const settings = s3Settings(parseS3Location(`s3://${s3.bucket}/${prefix}`), s3.env);
  const store = await S3BlobStore.open(settings, new UrlSigner(randomBytes(32)));
  opened.push(store);
  return store;
}

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of lister.list(prefix)) keys.push(object.key.slice(prefix.length));
  return keys.sort();
}

blobStoreContract(
  async () => {
    const prefix = `t-${randomBytes(6).toString("hex")}`;
    return {
      store: await openStore(prefix),
      reopen: () => openStore(prefix),
      storedObjects: () => keysUnder(`${prefix}/`),
    };
  },
  { backend: "S3 (moto)" },
);

describe("S3BlobStore on moto", () => {
  it("joins a staged upload's parts inside S3 when it hashed them as they arrived", async () => {
    const prefix = `t-${randomBytes(6).toString("hex")}`;
    const store = await openStore(prefix);
    const commands: string[] = [];
    // The client of the store under test, to see which requests completion makes.
    const { client } = (store as unknown as { objects: S3Objects }).objects;
    client.middlewareStack.add(
      (next, context) => (args) => {
        commands.push(context.commandName ?? "");
        return next(args);
      },
      { step: "initialize" },
    );
    const content = randomBytes(12 * 1024 * 1024 + 1);
    const expected = { size: content.length, sha256: createHash("sha256").update(content).digest("hex") };
    const id = await store.beginUpload(expected);
    const part = 6 * 1024 * 1024;
    for (let at = 0; at < content.length; at += part)
      await store.appendUpload(id, at, Readable.from([content.subarray(at, at + part)]), part);
    commands.length = 0;
    expect(await store.completeUpload(id, expected)).toEqual(expected);
    expect(commands).toContain("UploadPartCopyCommand");
    expect(commands).not.toContain("GetObjectCommand");
    const back = await store.get(expected.sha256);
    expect(back === null ? null : (await buffer(back)).equals(content)).toBe(true);
    expect(await keysUnder(`${prefix}/`)).toEqual([
      `blobs/sha256/${expected.sha256.slice(0, 2)}/${expected.sha256}`,
    ]);
  });
});
