/**
 * useArtifact's options, logModel / useModel and logCode through a real server process:
 * `type` is checked against the stored type (UsageError naming both), `aliases` are given to
 * the version used and resolve, an Artifact never logged is logged then used; a model's bytes
 * come back from useModel; logCode logs exactly the source files of a temp tree.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "@stepwise/protocol";
import { listCodeFiles } from "../src/artifacts/code-files.js";
import { Api, Artifact, init } from "../src/index.js";
import { useServerForFile } from "./support/server-process.js";

const { server, tempDir } = useServerForFile();

function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(join(root, ...path.split("/").slice(0, -1)), { recursive: true });
    writeFileSync(join(root, ...path.split("/")), bytes);
  }
}

const SOURCE_TREE = {
  "package.json": "{}",
  "package-lock.json": "{}",
  "pnpm-lock.yaml": "x",
  "src/train.ts": "export {}",
  "src/util.js": "1",
  "src/deep/esm.mjs": "1",
  "src/readme.md": "no",
  "src/data.csv": "no",
  "src/types.d.cts": "no",
  "node_modules/dep/index.js": "no",
  "node_modules/dep/package.json": "{}",
  "stepwise/run-1/files/config.js": "no",
  "packages/a/package.json": "{}",
  "packages/a/node_modules/x.js": "no",
};
const EXPECTED_CODE = [
  "package-lock.json",
  "package.json",
  "packages/a/package.json",
  "pnpm-lock.yaml",
  "src/deep/esm.mjs",
  "src/train.ts",
  "src/util.js",
];

describe("useArtifact options, models and code", () => {
  it("useArtifact checks type, gives aliases that resolve, logs a local Artifact first", async () => {
    const data = tempDir();
    writeTree(data, { "a.txt": "A" });
    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "use",
      settings: { quiet: true },
    });
    await (await run.logArtifact(data, { name: "ds", type: "dataset" })).wait();
    const wrongType = run.useArtifact("ds:latest", { type: "model" });
    await expect(wrongType).rejects.toBeInstanceOf(UsageError);
    await expect(wrongType).rejects.toThrow(/type 'dataset', not 'model'/);
    await expect(run.useArtifact("ds:latest", { aliases: ["v7"] })).rejects.toThrow(/v7/);
    await expect(run.useArtifact("ds:latest", { useAs: "" })).rejects.toBeInstanceOf(UsageError);

    const used = await run.useArtifact("ds:latest", { type: "dataset", aliases: ["golden"], useAs: "train" });
    expect(used.aliases).toContain("golden");
    const api = new Api({ baseUrl: server.url, env: { STEPWISE_CACHE_DIR: tempDir() } });
    const byAlias = await api.artifact(`${run.entity}/use/ds:golden`);
    expect(byAlias.version).toBe("v0");

    const local = new Artifact("fresh", "dataset").addFile(join(data, "a.txt"));
    const usedLocal = await run.useArtifact(local, { aliases: ["first"] });
    expect(usedLocal.version).toBe("v0");
    expect((await api.artifact(`${run.entity}/use/fresh:first`)).digest).toBe(local.digest);
    await run.finish();
  });

  it("logModel → useModel round trip; useModel refuses another type", async () => {
    const dir = tempDir();
    const weights = randomBytes(120_000);
    writeTree(dir, { "model.bin": weights });
    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "models",
      settings: { quiet: true },
    });
    const model = await run.logModel(join(dir, "model.bin"), { name: "resnet", aliases: ["candidate"] });
    expect(model.type).toBe("model");
    await model.wait();
    await (await run.logArtifact(dir, { name: "not-a-model", type: "dataset" })).wait();
    await run.finish();

    const consumer = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "models",
      settings: { quiet: true },
    });
    const cwd = process.cwd();
    process.chdir(tempDir());
    try {
      const root = await consumer.useModel("resnet:candidate");
      expect(readFileSync(join(root, "model.bin")).equals(weights)).toBe(true);
      await expect(consumer.useModel("not-a-model:latest")).rejects.toThrow(/type 'dataset', not 'model'/);
    } finally {
      process.chdir(cwd);
    }
    await consumer.finish();
  });

  it("logCode picks exactly the source files: defaults, then the caller's include/exclude", async () => {
    const root = tempDir();
    writeTree(root, SOURCE_TREE);
    expect(listCodeFiles(root)).toEqual(EXPECTED_CODE);
    expect(
      listCodeFiles(root, {
        include: (p) => p.endsWith(".md"),
        exclude: (p) => p.startsWith("node_modules/"),
      }),
    ).toEqual(["src/readme.md"]);

    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "code",
      settings: { quiet: true },
    });
    const code = await run.logCode(root, { name: "src" });
    expect(code?.type).toBe("code");
    await code?.wait();
    expect(code?.manifest?.map((e) => e.path)).toEqual(EXPECTED_CODE);
    expect(await run.logCode(root, { include: () => false })).toBeNull();
    await expect(run.logCode(join(root, "missing"))).rejects.toBeInstanceOf(UsageError);
    await run.finish();
    const api = new Api({ baseUrl: server.url, env: { STEPWISE_CACHE_DIR: tempDir() } });
    const back = await (
      await api.artifact(`${run.entity}/code/src:latest`)
    ).download({ root: join(tempDir(), "c") });
    expect(readFileSync(join(back, "src", "train.ts"), "utf8")).toBe("export {}");
  });
});
