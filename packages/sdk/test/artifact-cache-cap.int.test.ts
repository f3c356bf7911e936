/**
 * The artifact cache keeps under its cap on its own: a download that fetched new bytes removes
 * the least recently used cached objects until the cache fits `STEPWISE_CACHE_MAX_SIZE` (the
 * files it placed in `root` are copies, and stay). Through a real server: two artifacts of
 * 30 kB under a 40 kB cap — after the second download only its object is cached, and both
 * downloaded folders hold the bytes that were logged.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Api, init } from "../src/index.js";
import { useServerForFile } from "./support/server-process.js";

const { server, tempDir } = useServerForFile();

function cachedObjects(cacheDir: string): string[] {
  const root = join(cacheDir, "artifacts", "obj");
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((shard) => readdirSync(join(root, shard)));
}

describe("the artifact cache's cap", () => {
  it("is kept after each download that fetched bytes, least recently used first", async () => {
    const bytes = { a: randomBytes(30_000), b: randomBytes(30_000) };
    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "cap",
      settings: { quiet: true },
    });
    for (const [name, content] of Object.entries(bytes)) {
      const dir = tempDir();
      writeFileSync(join(dir, "blob.bin"), content);
      await (await run.logArtifact(dir, { name, type: "data" })).wait();
    }
    await run.finish();
    const cacheDir = tempDir();
    const api = new Api({
      baseUrl: server.url,
      env: { STEPWISE_CACHE_DIR: cacheDir, STEPWISE_CACHE_MAX_SIZE: "40000" },
    });

    const rootA = await (await api.artifact(`${run.entity}/cap/a:v0`)).download({ root: tempDir() });
    expect(cachedObjects(cacheDir)).toHaveLength(1);
    const rootB = await (await api.artifact(`${run.entity}/cap/b:v0`)).download({ root: tempDir() });
    // 60 kB would not fit 40 kB: a's object, used longest ago, went.
    expect(cachedObjects(cacheDir)).toEqual([createHash("sha256").update(bytes.b).digest("hex")]);
    expect(readFileSync(join(rootA, "blob.bin")).equals(bytes.a)).toBe(true);
    expect(readFileSync(join(rootB, "blob.bin")).equals(bytes.b)).toBe(true);
  });
});
