/**
 * Registry paths in `run.useArtifact` / `run.useModel` through a real server process: a run
 * uses `entity/model-registry/digits:production` (and the entity-less `model-registry/…`), gets
 * the bytes that were logged, and lineage records it as a consumer of the artifact version the
 * link names (not of some registry-side copy); moving `production` moves what the next use gets.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, init } from "../src/index.js";
import { useServerForFile } from "./support/server-process.js";

const { server, tempDir } = useServerForFile();

let savedCacheDir: string | undefined;
beforeAll(() => {
  // A fresh cache: bytes must come from this server, not from an earlier test's cache.
  savedCacheDir = process.env["STEPWISE_CACHE_DIR"];
  process.env["STEPWISE_CACHE_DIR"] = tempDir();
});
afterAll(() => {
  if (savedCacheDir === undefined) delete process.env["STEPWISE_CACHE_DIR"];
  else process.env["STEPWISE_CACHE_DIR"] = savedCacheDir;
});

function modelFolder(files: Record<string, Buffer>): string {
  const root = tempDir();
  mkdirSync(root, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(root, name), bytes);
  return root;
}

describe("registry paths in useArtifact", () => {
  it("a run uses model-registry/digits:production: the linked version's bytes, recorded in lineage", async () => {
    const v0Files = { "weights.bin": randomBytes(40_000), "config.json": Buffer.from('{"layers":3}') };
    const v1Files = { "weights.bin": randomBytes(50_000), "config.json": Buffer.from('{"layers":4}') };
    const trainer = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "zoo",
      settings: { quiet: true },
    });
    const v0 = await (await trainer.logArtifact(modelFolder(v0Files), { name: "cnn", type: "model" })).wait();
    const v1 = await (await trainer.logArtifact(modelFolder(v1Files), { name: "cnn", type: "model" })).wait();
    await trainer.linkArtifact(v0, "model-registry/digits", { aliases: ["production"] });
    await trainer.linkArtifact(v1, "model-registry/digits", { aliases: ["staging"] });
    await trainer.finish();
    const entity = trainer.entity;

    const consumer = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "eval",
      settings: { quiet: true },
    });
    const used = await consumer.useArtifact(`${entity}/model-registry/digits:production`, { type: "model" });
    expect(used.qualifiedName).toBe(`${entity}/zoo/cnn:${v0.version}`);
    const root = await used.download({ root: tempDir() });
    for (const [name, bytes] of Object.entries(v0Files))
      expect(readFileSync(join(root, name)).equals(bytes), name).toBe(true);
    // useModel with the entity left out: the run's entity; the folder holds the staged version.
    // (It downloads into ./artifacts: run it from a temp folder.)
    const cwd = process.cwd();
    process.chdir(tempDir());
    let stagedDir: string;
    try {
      stagedDir = await consumer.useModel("model-registry/digits:staging");
    } finally {
      process.chdir(cwd);
    }
    for (const [name, bytes] of Object.entries(v1Files))
      expect(readFileSync(join(stagedDir, name)).equals(bytes), name).toBe(true);
    await consumer.finish();

    const api = new Api({ baseUrl: server.url, env: { STEPWISE_CACHE_DIR: tempDir() } });
    expect((await api.artifactRuns(`${entity}/zoo/cnn:${v0.version}`)).usedBy.map((r) => r.runId)).toEqual([
      consumer.id,
    ]);
    expect((await api.artifactRuns(`${entity}/zoo/cnn:${v1.version}`)).usedBy.map((r) => r.runId)).toEqual([
      consumer.id,
    ]);
    const consumed = (await api.runArtifacts(`${entity}/eval/${consumer.id}`)).used;
    expect(consumed.map((v) => `${v.project}/${v.name}:${v.version}`).sort()).toEqual([
      `zoo/cnn:${v0.version}`,
      `zoo/cnn:${v1.version}`,
    ]);
  });
});
