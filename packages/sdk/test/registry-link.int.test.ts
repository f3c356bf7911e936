/**
 * The registry through real processes: a run links versions into `model-registry/classifier`
 * (`run.linkArtifact`, `run.linkModel`); while a reader child process reads
 * `:production` over and over (api.artifact + download), the test moves `production` back and
 * forth: every read is one version whole (its files all from one version), and the audit log
 * records each move with who and from → to. Api reads: registries, collections, linked
 * versions, where a version is linked, and lineage both ways.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { registryPaths, UsageError } from "@stepwise/protocol";
import { Api, init } from "../src/index.js";
import { useServerForFile } from "./support/server-process.js";

const READER = fileURLToPath(new URL("./fixtures/registry-reader.mjs", import.meta.url));
const { server, tempDir } = useServerForFile();

/** A folder of 12 files, each starting with `head` (so a read mixing two versions shows two heads). */
function modelFolder(head: string): string {
  const root = tempDir();
  mkdirSync(root, { recursive: true });
  for (let i = 0; i < 12; i++)
    writeFileSync(join(root, `part-${i}.bin`), `${head}\n${i}\n${"x".repeat(i * 100)}`);
  return root;
}

describe("registry links", () => {
  it("a reader of :production sees one version whole while production moves; each move is audited", async () => {
    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "reg",
      settings: { quiet: true },
    });
    const a = await (await run.logArtifact(modelFolder("A"), { name: "clf", type: "model" })).wait();
    const b = await (await run.logArtifact(modelFolder("B"), { name: "clf", type: "model" })).wait();
    await run.linkArtifact(a, "model-registry/classifier", { aliases: ["production"] });
    await run.linkArtifact(b, `${run.entity}/model-registry/classifier`, { aliases: ["staging"] });
    await expect(run.linkArtifact(a, "reg/classifier")).rejects.toBeInstanceOf(UsageError);

    const path = `${run.entity}/model-registry/classifier:production`;
    const job = { baseUrl: server.url, path, ms: 6000, root: tempDir(), cacheDir: tempDir() };
    const reader = spawn(process.execPath, [READER, JSON.stringify(job)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    reader.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const reads: Array<{ version: string; heads: string[] }> = [];
    const done = (async () => {
      for await (const line of createInterface({ input: reader.stdout }))
        reads.push(JSON.parse(line) as { version: string; heads: string[] });
    })();
    const aliasesUrl = (alias: string) =>
      server.url + registryPaths.aliases(run.entity, "model", "classifier", alias);
    let moves = 0;
    const started = Date.now();
    while (Date.now() - started < 4000) {
      const onto = moves % 2 === 0 ? "v1" : "v0";
      const response = await fetch(aliasesUrl(onto), {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ aliases: onto === "v1" ? ["production", "staging"] : ["production"] }),
      });
      expect(response.status).toBe(200);
      moves++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await done;
    const code = await new Promise((resolve) => reader.once("exit", resolve));
    expect(code, stderr).toBe(0);
    expect(reads.length).toBeGreaterThan(2);
    for (const read of reads) {
      expect(read.heads, JSON.stringify(read)).toHaveLength(1);
      expect(read.heads[0]).toBe(read.version === "v0" ? "A" : "B");
    }

    const api = new Api({ baseUrl: server.url, env: { STEPWISE_CACHE_DIR: tempDir() } });
    const audit = await api.registryAudit(`${run.entity}/model/classifier`, { limit: 10_000 });
    const productionMoves = audit.filter(
      (e) => e.action === "alias" && e.alias === "production" && e.from !== null,
    );
    expect(productionMoves).toHaveLength(moves);
    // Newest first: the last move went onto the version the alias names now.
    const now = await api.registryVersions(`${run.entity}/model/classifier`);
    const holder = now.find((v) => v.aliases.includes("production"));
    expect(productionMoves[0]?.to).toBe(holder?.version);
    expect(
      productionMoves.every((e, i) => e.to === (i % 2 === 0 ? holder?.version : productionMoves[1]?.to)),
    ).toBe(true);
    // The links the run made name the run as who; the alias moves by hand name the local user.
    const links = audit.filter((e) => e.action === "link");
    expect(links.map((e) => [e.to, e.artifact, e.actor])).toEqual([
      ["v1", `${run.entity}/reg/clf:v1`, `run:${run.entity}/reg/${run.id}`],
      ["v0", `${run.entity}/reg/clf:v0`, `run:${run.entity}/reg/${run.id}`],
    ]);
    expect(productionMoves[0]?.actor).toBe("local");
    await run.finish();
  });

  it("linkModel, registry reads and lineage both ways (dataset → train → model → eval)", async () => {
    // One run at a time in this process: init() while a run is active returns that run.
    const train = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "chain",
      settings: { quiet: true },
    });
    const dataset = await (
      await train.logArtifact(modelFolder("D"), { name: "mnist", type: "dataset" })
    ).wait();
    await train.finish();
    const trainer = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "chain",
      settings: { quiet: true },
    });
    await trainer.useArtifact("mnist:latest");
    await trainer.linkModel(modelFolder("M"), "digits", { name: "cnn", aliases: ["staging"] });
    await trainer.finish();
    const evaluator = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "chain",
      settings: { quiet: true },
    });
    // A registry path names the version its link names now; the run uses that version.
    const staged = await new Api({ baseUrl: server.url, env: { STEPWISE_CACHE_DIR: tempDir() } }).artifact(
      `${train.entity}/model-registry/digits:staging`,
    );
    const model = await evaluator.useArtifact(staged);
    expect(model.qualifiedName).toBe(`${train.entity}/chain/cnn:v0`);
    await evaluator.finish();
    expect(new Set([train.id, trainer.id, evaluator.id]).size).toBe(3);

    const api = new Api({ baseUrl: server.url, env: { STEPWISE_CACHE_DIR: tempDir() } });
    expect((await api.registries(train.entity)).map((r) => r.name)).toContain("model");
    expect(await api.registryCollections(train.entity, "model-registry")).toContainEqual(
      expect.objectContaining({ name: "digits", type: "model", versionCount: 1, latest: "v0" }),
    );
    const viaRegistry = await api.artifact(`${train.entity}/model-registry/digits:staging`);
    expect(viaRegistry.qualifiedName).toBe(`${train.entity}/chain/cnn:v0`);
    expect(
      (await api.artifactLinks(`${train.entity}/chain/cnn:v0`)).map((l) => `${l.collection}:${l.version}`),
    ).toEqual(["digits:v0"]);
    const runs = await api.artifactRuns(`${train.entity}/chain/cnn:v0`);
    expect(runs.producedBy?.runId).toBe(trainer.id);
    expect(runs.usedBy.map((r) => r.runId)).toEqual([evaluator.id]);
    expect((await api.runArtifacts(`${train.entity}/chain/${trainer.id}`)).used.map((v) => v.name)).toEqual([
      "mnist",
    ]);
    const graph = await api.artifactLineage(`${train.entity}/chain/cnn:v0`);
    const id = (kind: string, tail: string) => `${kind}:${train.entity}/chain/${tail}`;
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        { from: id("artifact", `mnist:${dataset.version}`), to: id("run", trainer.id) },
        { from: id("run", trainer.id), to: id("artifact", "cnn:v0") },
        { from: id("artifact", "cnn:v0"), to: id("run", evaluator.id) },
        { from: id("run", train.id), to: id("artifact", "mnist:v0") },
      ]),
    );
  });
});
