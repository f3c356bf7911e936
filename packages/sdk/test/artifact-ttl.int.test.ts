/**
 * Artifact TTLs through real processes: `artifact.ttl` set before logging is stored per version
 * and read back; `save()` changes it (and the tags) on a logged version; `stepwise artifact gc` deletes a
 * version past its TTL whatever the keep rules, unless it is the newest or holds an alias (its
 * dry run says why); and a server with a 1 s retention interval and no policy file deletes the
 * expired versions on its own, keeping the aliased one and the newest.
 */
import { mkdirSync, rmSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { artifactPaths, UsageError } from "@stepwise/protocol";
import { Api, Artifact, init } from "../src/index.js";
import { runCli } from "./cli/run-cli.js";
import { startServerProcess, waitFor, type ServerProcess } from "./support/server-process.js";

const made: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-ttl-"));
  made.push(dir);
  return dir;
};
afterEach(() => made.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function folder(text: string): string {
  const root = tempDir();
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, "weights.bin"), text);
  return root;
}

async function liveVersions(url: string, entity: string): Promise<string[]> {
  const response = await fetch(url + artifactPaths.versions(entity, "ttl", "ckpt"));
  const body = (await response.json()) as { versions: { version: string }[] };
  return body.versions.map((v) => v.version);
}

describe("artifact TTL", () => {
  it("is stored per version, changed by save(), applied by gc and by the scheduled retention pass", async () => {
    const dataDir = tempDir();
    let server: ServerProcess = await startServerProcess(dataDir, {
      env: { STEPWISE_ARTIFACT_RETENTION_INTERVAL_S: "0" },
    });
    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "ttl",
      settings: { quiet: true },
    });
    const log = async (text: string, ttl: number | null, aliases: string[] = []): Promise<Artifact> => {
      const artifact = new Artifact("ckpt", "model");
      artifact.addFile(join(folder(text), "weights.bin"));
      artifact.ttl = ttl;
      return (await run.logArtifact(artifact, { aliases })).wait();
    };
    const bad = new Artifact("ckpt", "model");
    bad.addFile(join(folder("bad"), "weights.bin"));
    bad.ttl = 0.5;
    await expect(run.logArtifact(bad)).rejects.toBeInstanceOf(UsageError);
    const v0 = await log("zero", 1);
    await log("one", 1, ["best"]);
    const v2 = await log("two", 3600);
    await log("three", 1);
    expect([v0.version, v0.ttl, v2.version, v2.ttl]).toEqual(["v0", 1, "v2", 3600]);
    await run.finish();
    const entity = run.entity;
    const collection = `${entity}/ttl/ckpt`;
    await new Promise((resolve) => setTimeout(resolve, 1200)); // v0, v1 and v3 past their TTL

    const dry = await runCli([
      "artifact",
      "gc",
      collection,
      "--ttl-only",
      "--dry-run",
      "--json",
      "--base-url",
      server.url,
    ]);
    expect(dry.code, dry.stderr).toBe(0);
    const answer = JSON.parse(dry.stdout) as { deleted: string[]; keptBecause: unknown };
    expect(answer.deleted).toEqual(["v0"]);
    expect(answer.keptBecause).toEqual([
      { version: "v3", reasons: ["past ttl 1 s, latest"] },
      { version: "v2", reasons: ["within ttl 3600 s"] },
      { version: "v1", reasons: ["past ttl 1 s, aliased best"] },
    ]);
    // A TTL that ran out overrides the keep rules: --keep-last 10 would keep all four.
    const kept = await runCli([
      "artifact",
      "gc",
      collection,
      "--keep-last",
      "10",
      "--dry-run",
      "--json",
      "--base-url",
      server.url,
    ]);
    expect((JSON.parse(kept.stdout) as { deleted: string[] }).deleted).toEqual(["v0"]);
    expect(
      (
        await runCli([
          "artifact",
          "gc",
          collection,
          "--ttl-only",
          "--keep-last",
          "2",
          "--base-url",
          server.url,
        ])
      ).code,
    ).toBe(2);
    expect(await liveVersions(server.url, entity)).toEqual(["v3", "v2", "v1", "v0"]);

    // save() on a fetched version: v2's TTL down to 1 s, read back from the server.
    const fetched = await new Api({ baseUrl: server.url, env: { STEPWISE_CACHE_DIR: tempDir() } }).artifact(
      `${collection}:v2`,
    );
    expect(fetched.ttl).toBe(3600);
    fetched.ttl = 1;
    // save() sends the tags too: one added to what was logged.
    fetched.tags = [...fetched.tags, "reviewed"];
    const loggedTags = fetched.tags;
    await fetched.save();
    const reread = await new Api({ baseUrl: server.url, env: { STEPWISE_CACHE_DIR: tempDir() } }).artifact(
      `${collection}:v2`,
    );
    expect(reread.ttl).toBe(1);
    expect(reread.tags.slice().sort()).toEqual(loggedTags.slice().sort());
    await server.kill("SIGTERM");

    // The same data under a server whose retention pass runs every second, with no policy file.
    server = await startServerProcess(dataDir, { env: { STEPWISE_ARTIFACT_RETENTION_INTERVAL_S: "1" } });
    try {
      await waitFor(
        async () => (await liveVersions(server.url, entity)).length === 2,
        20_000,
        "the TTL pass",
      );
      expect(await liveVersions(server.url, entity)).toEqual(["v3", "v1"]);
    } finally {
      await server.kill("SIGTERM");
    }
  });
});
