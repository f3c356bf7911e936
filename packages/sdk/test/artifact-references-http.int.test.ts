/**
 * http(s):// artifact references against a real HTTP server on 127.0.0.1 and a real Stepwise
 * server process: each entry records the ETag (quotes stripped) and Content-Length the server
 * sent, through a redirect and when HEAD is refused; a server without ETags gets the sha256 of
 * what it sent; re-logging unchanged references is the same version and a changed one a new
 * version; `download` returns the exact bytes, and a reference changed since it was logged is a
 * CorruptDataError naming the entry with nothing written; a 404 or an unreachable URL fails the
 * logging, naming the artifact, the entry and the fix.
 */
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CorruptDataError, NotFoundError, type ManifestEntry } from "@stepwise/protocol";
import { Api, Artifact, init } from "../src/index.js";
import { startReferenceHttpServer, type ReferenceHttpServer } from "./support/reference-http-server.js";
import { freePort, useServerForFile } from "./support/server-process.js";

const WITHOUT_S3 = fileURLToPath(new URL("./fixtures/references-without-s3.mjs", import.meta.url));

const { server, tempDir } = useServerForFile();
let http: ReferenceHttpServer;
beforeAll(async () => {
  http = await startReferenceHttpServer();
});
afterAll(async () => {
  await http.close();
});

const sha = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");

function entryOf(entries: readonly ManifestEntry[] | null, path: string): ManifestEntry | undefined {
  return entries?.find((e) => e.path === path);
}

describe("http(s) artifact references", () => {
  it("record the ETag and size sent; unchanged re-log is the same version, a changed URL a new one; download gives the bytes", async () => {
    const weights = randomBytes(150_000);
    const labels = Buffer.from("cat\ndog\n");
    const plain = randomBytes(3_000);
    let config = Buffer.from('{"lr":0.1}');
    http.put("/w/weights.bin", { bytes: weights, etag: '"w-1"' });
    http.put("/w/labels.txt", { bytes: labels, refuseHead: true });
    http.put("/w/latest", { bytes: Buffer.alloc(0), redirectTo: "/w/weights.bin" });
    http.put("/w/plain.bin", { bytes: plain, etag: null });
    http.put("/w/config.json", { bytes: config, etag: 'W/"c-1"' });
    const build = (): Artifact =>
      new Artifact("remote-model", "model")
        .addReference(`${http.url}/w/weights.bin`)
        .addReference(`${http.url}/w/labels.txt`)
        .addReference(`${http.url}/w/latest`, { name: "followed.bin" })
        .addReference(`${http.url}/w/plain.bin`)
        .addReference(`${http.url}/w/config.json`)
        .addReference(`${http.url}/w/never-asked.bin`, { name: "unchecked.bin", checksum: false });

    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "refs",
      settings: { quiet: true },
    });
    http.requests.length = 0;
    const first = await (await run.logArtifact(build())).wait();
    expect(first.version).toBe("v0");
    expect(entryOf(first.manifest, "weights.bin")).toEqual({
      path: "weights.bin",
      ref: `${http.url}/w/weights.bin`,
      digest: "w-1",
      size: weights.length,
    });
    // HEAD refused (405): the GET's ETag and length.
    expect(entryOf(first.manifest, "labels.txt")).toMatchObject({ digest: sha(labels), size: labels.length });
    expect(http.requests).toContainEqual({ method: "HEAD", path: "/w/labels.txt" });
    expect(http.requests).toContainEqual({ method: "GET", path: "/w/labels.txt" });
    // A redirect is followed; the ref stays the URL the user gave.
    expect(entryOf(first.manifest, "followed.bin")).toEqual({
      path: "followed.bin",
      ref: `${http.url}/w/latest`,
      digest: "w-1",
      size: weights.length,
    });
    // No ETag: the sha256 of what the server sent.
    expect(entryOf(first.manifest, "plain.bin")).toMatchObject({
      digest: `sha256:${sha(plain)}`,
      size: 3_000,
    });
    expect(entryOf(first.manifest, "config.json")).toMatchObject({ digest: "W/c-1", size: config.length });
    // checksum: false records the URI alone and asks nothing.
    expect(entryOf(first.manifest, "unchecked.bin")).toEqual({
      path: "unchecked.bin",
      ref: `${http.url}/w/never-asked.bin`,
      digest: `${http.url}/w/never-asked.bin`,
      size: null,
    });
    expect(http.requests.some((r) => r.path === "/w/never-asked.bin")).toBe(false);

    const again = await (await run.logArtifact(build())).wait();
    expect(again.version).toBe("v0");
    expect(again.digest).toBe(first.digest);

    config = Buffer.from('{"lr":0.01}');
    http.put("/w/config.json", { bytes: config, etag: 'W/"c-2"' });
    const changed = await (await run.logArtifact(build())).wait();
    expect(changed.version).toBe("v1");
    expect(entryOf(changed.manifest, "config.json")).toMatchObject({ digest: "W/c-2", size: config.length });
    await run.finish();

    http.put("/w/never-asked.bin", { bytes: Buffer.from("fetched unchecked") });
    const api = new Api({ baseUrl: server.url, env: { STEPWISE_CACHE_DIR: tempDir() } });
    const v1 = await api.artifact(`${run.entity}/refs/remote-model:v1`);
    const root = await v1.download({ root: join(tempDir(), "v1") });
    const expected: Record<string, Buffer> = {
      "weights.bin": weights,
      "labels.txt": labels,
      "followed.bin": weights,
      "plain.bin": plain,
      "config.json": config,
      "unchecked.bin": Buffer.from("fetched unchecked"),
    };
    for (const [path, bytes] of Object.entries(expected))
      expect(readFileSync(join(root, path)).equals(bytes), path).toBe(true);
    await v1.verify({ root });

    // v0 logged the first config.json: the URL now serves another ETag.
    const v0 = await api.artifact(`${run.entity}/refs/remote-model:v0`);
    const v0Root = join(tempDir(), "v0");
    const refused = v0.download({ root: v0Root });
    await expect(refused).rejects.toBeInstanceOf(CorruptDataError);
    await expect(refused).rejects.toThrow(
      /remote-model:v0: the reference 'config\.json' \(http:\/\/127\.0\.0\.1:\d+\/w\/config\.json\) changed since it was logged: it has ETag W\/c-2, not the logged W\/c-1; nothing was written/,
    );
    expect(existsSync(join(v0Root, "config.json"))).toBe(false);
  });

  it("a second download of unchanged references is placed from the cache without asking their server", async () => {
    const bytes = randomBytes(40_000);
    http.put("/c/data.bin", { bytes });
    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "refs",
      settings: { quiet: true },
    });
    const logged = await (
      await run.logArtifact(new Artifact("cached-refs", "dataset").addReference(`${http.url}/c/data.bin`))
    ).wait();
    await run.finish();
    const api = new Api({ baseUrl: server.url, env: { STEPWISE_CACHE_DIR: tempDir() } });
    const fetched = await api.artifact(`${run.entity}/refs/cached-refs:${logged.version ?? ""}`);
    await fetched.download({ root: join(tempDir(), "one") });
    http.requests.length = 0;
    const root = await fetched.download({ root: join(tempDir(), "two") });
    expect(readFileSync(join(root, "data.bin")).equals(bytes)).toBe(true);
    expect(http.requests).toEqual([]);
  });

  it("a 404 or an unreachable URL fails logArtifact naming the artifact, the entry and the fix", async () => {
    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "refs",
      settings: { quiet: true },
    });
    const missing = run.logArtifact(
      new Artifact("gone", "dataset").addReference(`${http.url}/nothing/here.bin`),
    );
    await expect(missing).rejects.toBeInstanceOf(NotFoundError);
    await expect(missing).rejects.toThrow(
      /artifact gone: the reference 'here\.bin' \(http:\/\/127\.0\.0\.1:\d+\/nothing\/here\.bin\) cannot be logged: it answered HTTP 404; .*\{ checksum: false \}/,
    );
    const port = await freePort();
    const unreachable = run.logArtifact(
      new Artifact("away", "dataset").addReference(`http://127.0.0.1:${port}/x.bin`, { name: "x" }),
    );
    await expect(unreachable).rejects.toMatchObject({ code: "UNAVAILABLE" });
    await expect(unreachable).rejects.toThrow(
      /artifact away: the reference 'x' .* cannot be logged: .*ECONNREFUSED/,
    );
    await run.finish();
  });

  it("file:// references download and verify like the others; a file changed since logging is refused", async () => {
    const local = join(tempDir(), "weights.bin");
    const bytes = randomBytes(50_000);
    writeFileSync(local, bytes);
    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "refs",
      settings: { quiet: true },
    });
    const logged = await (
      await run.logArtifact(new Artifact("local-ref", "model").addReference(pathToFileURL(local).href))
    ).wait();
    await run.finish();
    expect(logged.manifest).toEqual([
      { path: "weights.bin", ref: pathToFileURL(local).href, digest: sha(bytes), size: bytes.length },
    ]);
    const api = new Api({ baseUrl: server.url, env: { STEPWISE_CACHE_DIR: tempDir() } });
    const fetched = await api.artifact(`${run.entity}/refs/local-ref:${logged.version ?? ""}`);
    const root = await fetched.download({ root: join(tempDir(), "local") });
    expect(readFileSync(join(root, "weights.bin")).equals(bytes)).toBe(true);
    await fetched.verify({ root });
    writeFileSync(join(root, "weights.bin"), randomBytes(50_000));
    await expect(fetched.verify({ root })).rejects.toThrow(/'weights\.bin' \(file:.*\) has other content/);

    writeFileSync(local, randomBytes(50_000)); // same size, other bytes
    const fresh = new Api({ baseUrl: server.url, env: { STEPWISE_CACHE_DIR: tempDir() } });
    const stale = await fresh.artifact(`${run.entity}/refs/local-ref:${logged.version ?? ""}`);
    const staleRoot = join(tempDir(), "stale");
    const refused = stale.download({ root: staleRoot });
    await expect(refused).rejects.toBeInstanceOf(CorruptDataError);
    await expect(refused).rejects.toThrow(
      /the reference 'weights\.bin' .* changed since it was logged: it has sha256/,
    );
    expect(existsSync(join(staleRoot, "weights.bin"))).toBe(false);
  });

  it("needs no AWS SDK unless an s3:// reference is used, and says what to install when it is", async () => {
    http.put("/n/data.bin", { bytes: Buffer.from("no aws here") });
    const local = join(tempDir(), "local.txt");
    writeFileSync(local, "local");
    const { stdout } = await promisify(execFile)(process.execPath, [
      WITHOUT_S3,
      `${http.url}/n/data.bin`,
      pathToFileURL(local).href,
    ]);
    const out = JSON.parse(stdout) as {
      http: { entries?: number; error?: string };
      attemptsBeforeS3: number;
      s3: { code: string; name: string; message: string };
    };
    expect(out.http).toMatchObject({ entries: 2 });
    expect(out.attemptsBeforeS3).toBe(0);
    expect(out.s3).toEqual({
      code: "USAGE",
      name: "UsageError",
      message:
        "s3:// artifact references need the AWS SDK's S3 client, which is not installed: npm install @aws-sdk/client-s3",
    });
  });
});
