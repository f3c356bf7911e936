/**
 * `stepwise artifact cache cleanup` (the built bin) on a cache filled by real downloads from a
 * real server: the least recently used files go first, a cache hit counts as a use, and a file
 * cleaned up downloads again from the server.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/api-server.js";
import { useTempDirs } from "../support/temp-dir.js";
import { runCli } from "./run-cli.js";

const tempDir = useTempDirs();
let server: TestServer;
let cacheDir: string;

beforeEach(async () => {
  server = await startTestServer();
  cacheDir = tempDir();
  process.env["STEPWISE_CACHE_DIR"] = cacheDir;
});
afterEach(async () => {
  delete process.env["STEPWISE_CACHE_DIR"];
  await server.close();
});

const cli = (...args: string[]): ReturnType<typeof runCli> =>
  runCli(["artifact", ...args, "--base-url", server.url]);
const objectOf = (bytes: Buffer): string => {
  const sha = createHash("sha256").update(bytes).digest("hex");
  return join(cacheDir, "artifacts", "obj", sha.slice(0, 2), sha);
};

describe("stepwise artifact cache cleanup", () => {
  it("removes the least recently used files until the cache fits; a cache hit is a use", async () => {
    const files = { a: randomBytes(30_000), b: randomBytes(40_000), c: randomBytes(50_000) };
    for (const [name, bytes] of Object.entries(files)) {
      const path = join(tempDir(), `${name}.bin`);
      writeFileSync(path, bytes);
      expect((await cli("put", path, "--name", `team/cache/${name}`, "--type", "model")).code).toBe(0);
      expect((await cli("get", `team/cache/${name}:v0`, "--root", tempDir())).code).toBe(0);
    }
    // Age the cached files as if used 3 h, 2 h and 90 min ago.
    const hoursAgo = (h: number): number => Date.now() / 1000 - h * 3600;
    utimesSync(objectOf(files.a), hoursAgo(3), hoursAgo(3));
    utimesSync(objectOf(files.b), hoursAgo(2), hoursAgo(2));
    utimesSync(objectOf(files.c), hoursAgo(1.5), hoursAgo(1.5));
    // Using a again (all from the cache) makes it the most recently used.
    const again = await cli("get", "team/cache/a:v0", "--root", tempDir());
    expect(again.code, again.stderr).toBe(0);

    const cleanup = await runCli(["artifact", "cache", "cleanup", "--max-size", "90000", "--json"]);
    expect(cleanup.code, cleanup.stderr).toBe(0);
    expect(JSON.parse(cleanup.stdout)).toEqual({
      cache: cacheDir,
      maxBytes: 90_000,
      removed: 1,
      bytesFreed: 40_000,
      kept: 2,
      bytesKept: 80_000,
    });
    expect(existsSync(objectOf(files.b))).toBe(false);
    expect(existsSync(objectOf(files.a))).toBe(true);
    expect(existsSync(objectOf(files.c))).toBe(true);

    const root = tempDir();
    expect((await cli("get", "team/cache/b:v0", "--root", root)).code).toBe(0);
    expect(readFileSync(join(root, "b.bin")).equals(files.b)).toBe(true);

    const text = await runCli(["artifact", "cache", "cleanup", "--max-size", "1MB"]);
    expect(text.stdout).toMatch(/^removed 0 files .*; kept 3 /);
    expect((await runCli(["artifact", "cache", "cleanup", "--max-size", "lots"])).code).toBe(2);
    expect((await runCli(["artifact", "cache", "tidy"])).code).toBe(2);
  });
});
