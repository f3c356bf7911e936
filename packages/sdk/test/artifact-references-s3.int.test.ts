/**
 * s3:// artifact references against a real S3-compatible server (moto, in its own process: the
 * server tests' support, test/support/moto-process.ts) and a real Stepwise server process. The
 * AWS variables of this test process point at moto, as a user's would point at their store.
 * An object records the ETag and size S3 answers, and its VersionId in a versioned bucket; a
 * prefix records one entry per object, listed page by page, up to maxObjects; re-logging
 * unchanged references is the same version, a changed object a new version; `download` gets the
 * exact bytes of the version logged (GetObject with its VersionId), and an object changed in an
 * unversioned bucket is a CorruptDataError naming the entry, with nothing written.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  CreateBucketCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CorruptDataError, NotFoundError, UsageError, type ManifestEntry } from "@stepwise/protocol";
import { startMotoProcess } from "../../server/test/support/moto-process.js";
import type { S3Process } from "../../server/test/support/s3-process.js";
import { sealArtifact } from "../src/artifacts/seal-artifact.js";
import { Api, Artifact, init } from "../src/index.js";
import { useServerForFile } from "./support/server-process.js";

const { server, tempDir } = useServerForFile();
const VERSIONED = "refs-versioned";
const PLAIN = "refs-plain";
let moto: S3Process;
let s3: S3Client;
const savedEnv: Record<string, string | undefined> = {};

beforeAll(async () => {
  moto = await startMotoProcess(PLAIN);
  for (const [key, value] of Object.entries(moto.env)) {
    savedEnv[key] = process.env[key];
    process.env[key] = value;
  }
  s3 = new S3Client({
    endpoint: moto.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  });
  await s3.send(new CreateBucketCommand({ Bucket: VERSIONED }));
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: VERSIONED, VersioningConfiguration: { Status: "Enabled" } }),
  );
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  for (const [key, value] of Object.entries(savedEnv))
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  await moto?.stop();
});

async function put(bucket: string, key: string, bytes: Buffer): Promise<string | null> {
  const answer = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
  return answer.VersionId ?? null;
}

/** The ETag S3 answers for an object, quotes stripped, and its size. */
async function headOf(bucket: string, key: string): Promise<{ digest: string; size: number }> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  return { digest: (head.ETag ?? "").replace(/^"|"$/g, ""), size: head.ContentLength ?? -1 };
}

function entryOf(entries: readonly ManifestEntry[] | null, path: string): ManifestEntry | undefined {
  return entries?.find((e) => e.path === path);
}

describe("s3 artifact references", () => {
  it("record ETag, size and VersionId; unchanged re-log is the same version, a changed object a new one; download gets the logged bytes", async () => {
    const model1 = randomBytes(120_000);
    const csv = Buffer.from("x,y\n1,2\n");
    const bin = randomBytes(5_000);
    const single = Buffer.from("single object, first");
    const version1 = await put(VERSIONED, "ckpt/model.bin", model1);
    expect(version1).not.toBeNull();
    await put(PLAIN, "data/", Buffer.alloc(0)); // a folder marker: no entry of its own
    await put(PLAIN, "data/a.csv", csv);
    await put(PLAIN, "data/sub/b.bin", bin);
    await put(PLAIN, "data/with space.csv", csv); // a key a URI must escape, downloaded through its ref
    await put(PLAIN, "single.bin", single);
    const build = (): Artifact =>
      new Artifact("s3-model", "model")
        .addReference(`s3://${VERSIONED}/ckpt/model.bin`)
        .addReference(`s3://${PLAIN}/data/`, { name: "data" })
        .addReference(`s3://${PLAIN}/single.bin`);

    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "s3refs",
      settings: { quiet: true },
    });
    const first = await (await run.logArtifact(build())).wait();
    expect(first.version).toBe("v0");
    expect(first.manifest?.map((e) => e.path)).toEqual([
      "data/a.csv",
      "data/sub/b.bin",
      "data/with space.csv",
      "model.bin",
      "single.bin",
    ]);
    expect(entryOf(first.manifest, "model.bin")).toEqual({
      path: "model.bin",
      ref: `s3://${VERSIONED}/ckpt/model.bin?versionId=${encodeURIComponent(version1 ?? "")}`,
      ...(await headOf(VERSIONED, "ckpt/model.bin")),
    });
    expect(entryOf(first.manifest, "data/a.csv")).toEqual({
      path: "data/a.csv",
      ref: `s3://${PLAIN}/data/a.csv`,
      ...(await headOf(PLAIN, "data/a.csv")),
    });
    expect(entryOf(first.manifest, "data/sub/b.bin")).toMatchObject(await headOf(PLAIN, "data/sub/b.bin"));
    expect(entryOf(first.manifest, "single.bin")).toMatchObject(await headOf(PLAIN, "single.bin"));
    expect(entryOf(first.manifest, "data/with space.csv")).toMatchObject({
      ref: `s3://${PLAIN}/data/with%20space.csv`,
    });

    const again = await (await run.logArtifact(build())).wait();
    expect(again.version).toBe("v0");

    const model2 = randomBytes(130_000);
    const version2 = await put(VERSIONED, "ckpt/model.bin", model2);
    const changed = await (await run.logArtifact(build())).wait();
    expect(changed.version).toBe("v1");
    expect(entryOf(changed.manifest, "model.bin")).toMatchObject({
      ref: `s3://${VERSIONED}/ckpt/model.bin?versionId=${encodeURIComponent(version2 ?? "")}`,
      ...(await headOf(VERSIONED, "ckpt/model.bin")),
    });
    await run.finish();

    const api = new Api({ baseUrl: server.url, env: { STEPWISE_CACHE_DIR: tempDir() } });
    // v0 names the first model's version: downloaded as it was logged, though overwritten since.
    const v0 = await api.artifact(`${run.entity}/s3refs/s3-model:v0`);
    const root0 = await v0.download({ root: join(tempDir(), "v0") });
    expect(readFileSync(join(root0, "model.bin")).equals(model1)).toBe(true);
    expect(readFileSync(join(root0, "data", "a.csv")).equals(csv)).toBe(true);
    expect(readFileSync(join(root0, "data", "sub", "b.bin")).equals(bin)).toBe(true);
    expect(readFileSync(join(root0, "single.bin")).equals(single)).toBe(true);
    expect(readFileSync(join(root0, "data", "with space.csv")).equals(csv)).toBe(true);
    await v0.verify({ root: root0 });
    const v1 = await api.artifact(`${run.entity}/s3refs/s3-model:v1`);
    const root1 = await v1.download({ root: join(tempDir(), "v1") });
    expect(readFileSync(join(root1, "model.bin")).equals(model2)).toBe(true);

    // An unversioned object overwritten: the logged bytes are gone.
    await put(PLAIN, "single.bin", Buffer.from("single object, second"));
    const fresh = new Api({ baseUrl: server.url, env: { STEPWISE_CACHE_DIR: tempDir() } });
    const stale = await fresh.artifact(`${run.entity}/s3refs/s3-model:v1`);
    const staleRoot = join(tempDir(), "stale");
    const refused = stale.download({ root: staleRoot });
    await expect(refused).rejects.toBeInstanceOf(CorruptDataError);
    await expect(refused).rejects.toThrow(
      new RegExp(
        `s3-model:v1: the reference 'single\\.bin' \\(s3://${PLAIN}/single\\.bin\\) changed since it was logged`,
      ),
    );
    expect(existsSync(join(staleRoot, "single.bin"))).toBe(false);
  });

  it("a prefix is listed page by page up to maxObjects; a key with objects under it is a folder; a missing key is NotFoundError", async () => {
    const keys = Array.from({ length: 1_005 }, (_, i) => `many/part-${String(i).padStart(4, "0")}.txt`);
    for (let at = 0; at < keys.length; at += 25)
      await Promise.all(keys.slice(at, at + 25).map((key) => put(PLAIN, key, Buffer.from(key))));
    const sealed = await sealArtifact(new Artifact("many", "dataset").addReference(`s3://${PLAIN}/many/`));
    expect(sealed.entries).toHaveLength(1_005);
    const md5 = (text: string): string => createHash("md5").update(text).digest("hex");
    expect(sealed.entries[1_004]).toEqual({
      path: "part-1004.txt",
      ref: `s3://${PLAIN}/many/part-1004.txt`,
      digest: md5("many/part-1004.txt"),
      size: "many/part-1004.txt".length,
    });

    const capped = sealArtifact(
      new Artifact("many", "dataset").addReference(`s3://${PLAIN}/many/`, { maxObjects: 1_000 }),
    );
    await expect(capped).rejects.toBeInstanceOf(UsageError);
    await expect(capped).rejects.toThrow(
      /holds more than 1000 objects; pass \{ maxObjects \} to addReference/,
    );

    await put(PLAIN, "folder/x.txt", Buffer.from("x"));
    await put(PLAIN, "folder/y/z.txt", Buffer.from("z"));
    const folder = await sealArtifact(new Artifact("folder", "dataset").addReference(`s3://${PLAIN}/folder`));
    expect(folder.entries.map((e) => e.path)).toEqual(["x.txt", "y/z.txt"]);

    const missing = sealArtifact(new Artifact("gone", "dataset").addReference(`s3://${PLAIN}/no/such.bin`));
    await expect(missing).rejects.toBeInstanceOf(NotFoundError);
    await expect(missing).rejects.toThrow(
      /artifact gone: the reference 'such\.bin' \(s3:\/\/refs-plain\/no\/such\.bin\) names no object/,
    );
  });
});
