/**
 * `stepwise server --blobs s3://bucket/prefix` as a real process (the built CLI) against a real
 * S3-compatible server process (s3rver), reached through the usual AWS environment variables:
 * the SDK saves files (one large enough for multipart uploads), they land in the bucket and
 * nowhere under the data directory, the SDK downloads them byte-exact, a signed blob URL
 * redirects to a presigned S3 URL, and garbage collection
 * (`collectGarbageIn`, behind `stepwise server --gc`) deletes from the bucket exactly the blob
 * that no run file references any more.
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { apiPaths, fileListResponseSchema, type RunRef } from "@stepwise/protocol";
import { init, type Run } from "@stepwise/sdk";
import { parseS3Location, s3Settings } from "../src/blob/s3-location.js";
import { S3Objects } from "../src/blob/s3-objects.js";
import { UrlSigner } from "../src/blob/url-signer.js";
import { collectGarbageIn } from "../src/index.js";
import { startS3Process, type S3Process } from "./support/s3-process.js";

const BIN = fileURLToPath(new URL("../../cli/bin/stepwise.js", import.meta.url));
const SERVER = new URL("../dist/index.js", import.meta.url).href;
const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

let s3: S3Process;
const dirs: string[] = [];
beforeAll(async () => {
  s3 = await startS3Process();
}, 60_000);
afterAll(async () => {
  await s3?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-s3-int-"));
  dirs.push(dir);
  return dir;
}

/** `stepwise server --port 0 --data <dir> --blobs <url>`; resolves to its URL and a stop function. */
async function startServer(
  dataDir: string,
  blobs: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  if (!existsSync(new URL("../../cli/dist/main.js", import.meta.url)))
    throw new Error("build first: npx tsc -b");
  const child = spawn(process.execPath, [BIN, "server", "--port", "0", "--data", dataDir, "--blobs", blobs], {
    env: { ...process.env, ...s3.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function serverFiles(url: string, ref: RunRef): Promise<Map<string, string>> {
  const response = await fetch(url + apiPaths.files(ref));
  if (response.status !== 200) return new Map();
  const { files } = fileListResponseSchema.parse(await response.json());
  return new Map(files.map((file) => [file.path, file.sha256]));
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function saveNow(run: Run, root: string, name: string, bytes: Buffer): void {
  writeFileSync(join(root, name), bytes);
  run.save(join(root, name), { basePath: root, policy: "now" });
}

describe("stepwise server --blobs s3://…", () => {
  test("keeps the SDK's files in the bucket, serves them byte-exact, and collects the unreferenced one there", async () => {
    const prefix = `int-${randomBytes(4).toString("hex")}`;
    const dataDir = tempDir();
    const server = await startServer(dataDir, `s3://${s3.bucket}/${prefix}`);
    const lister = await S3Objects.open(s3Settings(parseS3Location(`s3://${s3.bucket}/${prefix}`), s3.env));
    try {
      const root = tempDir();
      const run = await init({
        dir: tempDir(),
        baseUrl: server.url,
        project: "s3",
        settings: { silent: true },
      });
      const ref = { entity: run.entity, project: run.project, runId: run.id };
      const weights = randomBytes(12 * 1024 * 1024 + 5);
      const first = Buffer.from("config, first version\n");
      const second = Buffer.from("config, second version\n");
      saveNow(run, root, "weights.bin", weights);
      saveNow(run, root, "config.txt", first);
      await until(
        async () => (await serverFiles(server.url, ref)).get("config.txt") === sha256(first),
        "the first config",
      );
      saveNow(run, root, "config.txt", second);
      await until(async () => {
        const files = await serverFiles(server.url, ref);
        return files.get("config.txt") === sha256(second) && files.get("weights.bin") === sha256(weights);
      }, "both files");
      await run.finish();

      const objects = async (): Promise<string[]> => {
        const keys: string[] = [];
        for await (const object of lister.list(`${prefix}/blobs/`))
          keys.push(object.key.split("/").pop() ?? "");
        return keys.sort();
      };
      // Every run file's blob (the SDK saves a few of its own too), and the replaced config's.
      const referenced = [...new Set((await serverFiles(server.url, ref)).values())];
      expect(referenced).toEqual(expect.arrayContaining([sha256(weights), sha256(second)]));
      expect(await objects()).toEqual([...referenced, sha256(first)].sort());
      const localBlobs = join(dataDir, "files", "blobs");
      expect(existsSync(localBlobs) ? readdirSync(localBlobs, { recursive: true }) : []).toEqual([]);

      const restored = await run.restore("weights.bin", { root: tempDir() });
      expect(restored === null ? null : sha256(readFileSync(restored))).toBe(sha256(weights));
      const range = await fetch(server.url + apiPaths.file(ref, "weights.bin"), {
        headers: { range: "bytes=8388600-8388615" },
      });
      expect(range.status).toBe(206);
      expect(Buffer.from(await range.arrayBuffer()).equals(weights.subarray(8_388_600, 8_388_616))).toBe(
        true,
      );

      // A signed blob URL (as artifact manifests hand out) redirects a GET to S3, valid as long;
      // the SDK's plain fetch follows it, Range included. HEAD is answered by the server.
      const expires = Math.floor(Date.now() / 1000) + 300;
      const signed =
        server.url + (await UrlSigner.forDataDir(dataDir)).url("download", sha256(weights), expires);
      const redirect = await fetch(signed, { redirect: "manual" });
      expect(redirect.status).toBe(302);
      const location = redirect.headers.get("location") ?? "";
      expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/${prefix}/blobs/sha256/`)).toBe(true);
      expect(Number(new URL(location).searchParams.get("X-Amz-Expires"))).toBeGreaterThan(290);
      const followed = await fetch(signed, { headers: { range: "bytes=100-199" } });
      expect(followed.status).toBe(206);
      expect(Buffer.from(await followed.arrayBuffer()).equals(weights.subarray(100, 200))).toBe(true);
      expect(sha256(Buffer.from(await (await fetch(signed)).arrayBuffer()))).toBe(sha256(weights));
      const head = await fetch(signed, { method: "HEAD" });
      expect([head.status, head.headers.get("content-length")]).toEqual([200, String(weights.length)]);

      const report = await collectGarbageIn(dataDir, {
        graceS: 0,
        blobs: s3Settings(parseS3Location(`s3://${s3.bucket}/${prefix}`), s3.env),
      });
      expect(report).toMatchObject({
        blobs: referenced.length + 1,
        freed: [sha256(first)],
        bytesFreed: first.length,
      });
      expect(await objects()).toEqual(referenced.sort());
      const config = await fetch(server.url + apiPaths.file(ref, "config.txt"));
      expect(Buffer.from(await config.arrayBuffer()).equals(second)).toBe(true);
    } finally {
      lister.close();
      await server.stop();
    }
  }, 120_000);

  test("loads the AWS SDK only when STEPWISE_BLOBS (or --blobs) names S3", () => {
    // The SDK's packages load as CommonJS, so they show in the module cache once loaded.
    const script = `
      import { createRequire } from "node:module";
      const { loadConfig, startServer } = await import(${JSON.stringify(SERVER)});
      const server = await startServer(loadConfig({ port: 0, data: process.argv[1] }, process.env), { log: () => {} });
      const cache = createRequire(process.cwd() + "/").cache;
      process.stdout.write(JSON.stringify(Object.keys(cache).some((path) => path.includes("/@aws-sdk/"))));
      await server.close();`;
    const sdkLoaded = (env: Record<string, string>): boolean =>
      JSON.parse(
        execFileSync(process.execPath, ["--input-type=module", "-e", script, tempDir()], {
          env: { ...process.env, STEPWISE_BLOBS: "", ...env },
          encoding: "utf8",
        }),
      ) as boolean;
    expect(sdkLoaded({})).toBe(false);
    expect(sdkLoaded({ ...s3.env, STEPWISE_BLOBS: `s3://${s3.bucket}/lazy` })).toBe(true);
  }, 60_000);
});
