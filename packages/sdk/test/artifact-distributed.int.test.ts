/**
 * Distributed artifacts with real processes and a real server: four runs of one group upsert
 * their folders into one artifact, then another run finishes it — one version holding every
 * file with the digests of the bytes each writer wrote; finishing again is the same version;
 * finishes racing in several processes commit one version; two writers adding one path with
 * different content get ARTIFACT_CONFLICT naming it, and nothing is committed; an offline
 * run's upsert reaches the server through the run log (`stepwise sync`); `stepwise artifact rm
 * --distributed` discards a pending one.
 */
import { spawn } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { artifactPaths, type ArtifactVersionDto, type ManifestEntry } from "@stepwise/protocol";
import { Api, Artifact, init, syncRunDirectory } from "../src/index.js";
import { runCli } from "./cli/run-cli.js";
import { useServerForFile } from "./support/server-process.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/distributed-artifact-child.mjs", import.meta.url));
const { server, tempDir } = useServerForFile();
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

interface ChildAnswer {
  runId?: string;
  version?: string | null;
  digest?: string | null;
  manifest?: ManifestEntry[] | null;
  error?: string;
  message?: string;
  details?: Record<string, unknown> | null;
}

/** Runs one child to its exit; resolves with the JSON line it printed. */
async function child(job: Record<string, unknown>, cacheDir: string): Promise<ChildAnswer> {
  const proc = spawn(
    process.execPath,
    [FIXTURE, JSON.stringify({ baseUrl: server.url, dir: tempDir(), ...job })],
    {
      env: { ...process.env, STEPWISE_CACHE_DIR: cacheDir },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  proc.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once("exit", resolve));
  const lines: ChildAnswer[] = [];
  for await (const line of createInterface({ input: proc.stdout }))
    lines.push(JSON.parse(line) as ChildAnswer);
  expect(await exited, stderr).toBe(0);
  expect(lines, stderr).toHaveLength(1);
  return lines[0] as ChildAnswer;
}

function writeFolder(root: string, files: Record<string, Buffer>): string {
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(join(root, ...path.split("/").slice(0, -1)), { recursive: true });
    writeFileSync(join(root, ...path.split("/")), bytes);
  }
  return root;
}

async function versions(project: string, name: string): Promise<ArtifactVersionDto[]> {
  const response = await fetch(server.url + artifactPaths.versions("local", project, name));
  return ((await response.json()) as { versions: ArtifactVersionDto[] }).versions;
}

describe("distributed artifacts", () => {
  it("4 processes upsert into one version, a 5th finishes it: every file, each writer's digests, all 5 runs its producers; finishing again is a no-op", async () => {
    const project = "dist";
    const group = `job-${randomUUID()}`;
    const cacheDir = tempDir();
    const common = Buffer.from('{"classes": 10}');
    const written: Record<string, Buffer> = { "common.json": common };
    const folders = [0, 1, 2, 3].map((i) => {
      const files = {
        [`w${i}/a.bin`]: randomBytes(40_000 + i),
        [`w${i}/b.txt`]: Buffer.from(`writer ${i}\n`),
      };
      Object.assign(written, files);
      // Every writer adds the shared file too, with the same content: no conflict.
      return writeFolder(tempDir(), { ...files, "common.json": common });
    });
    const upserts = await Promise.all(
      folders.map((data) => child({ project, group, name: "shards", op: "upsert", data }, cacheDir)),
    );
    for (const answer of upserts) expect(answer).toMatchObject({ version: null });
    expect(await versions(project, "shards")).toEqual([]);

    const finished = await child({ project, group, name: "shards", op: "finish" }, cacheDir);
    expect(finished.error).toBeUndefined();
    expect(finished.version).toBe("v0");
    const byPath = new Map((finished.manifest ?? []).map((e) => [e.path, e]));
    expect([...byPath.keys()].sort()).toEqual(Object.keys(written).sort());
    for (const [path, bytes] of Object.entries(written))
      expect(byPath.get(path), path).toEqual({ path, sha256: sha(bytes), size: bytes.length });

    // Downloaded through the API: the bytes each writer wrote.
    const api = new Api({ baseUrl: server.url, env: { STEPWISE_CACHE_DIR: tempDir() } });
    const version = await api.artifact(`local/${project}/shards:latest`);
    expect(version.digest).toBe(finished.digest);
    const root = await version.download({ root: join(tempDir(), "shards") });
    await version.verify({ root });

    // Lineage: the finishing run and each of the 4 writers produced it, each once.
    const runIds = [finished, ...upserts].map((answer) => answer.runId ?? "");
    const runs = await api.artifactRuns(`local/${project}/shards:v0`);
    expect(runs.producedBy?.runId).toBe(finished.runId);
    expect(runs.producers.map((r) => r.runId).sort()).toEqual([...runIds].sort());
    expect(new Set(runIds).size).toBe(5);
    for (const runId of runIds)
      expect((await api.runArtifacts(`local/${project}/${runId}`)).produced.map((v) => v.version)).toEqual([
        "v0",
      ]);

    const again = await child({ project, group, name: "shards", op: "finish" }, cacheDir);
    expect(again).toMatchObject({ version: "v0", digest: finished.digest });
    expect((await versions(project, "shards")).map((v) => v.version)).toEqual(["v0"]);
  });

  it("finishes racing in 3 processes commit one version, the same for all", async () => {
    const project = "dist-race";
    const group = `race-${randomUUID()}`;
    const cacheDir = tempDir();
    await Promise.all(
      [0, 1].map((i) =>
        child(
          {
            project,
            group,
            name: "ckpt",
            op: "upsert",
            data: writeFolder(tempDir(), { [`rank${i}.bin`]: randomBytes(10_000) }),
          },
          cacheDir,
        ),
      ),
    );
    const finishes = await Promise.all(
      [0, 1, 2].map(() => child({ project, group, name: "ckpt", op: "finish" }, cacheDir)),
    );
    const listed = await versions(project, "ckpt");
    expect(listed.map((v) => [v.version, v.fileCount])).toEqual([["v0", 2]]);
    for (const answer of finishes) expect(answer).toMatchObject({ version: "v0", digest: listed[0]?.digest });
  });

  it("a path two writers add with different content is refused by name; nothing is committed", async () => {
    // One run per process at a time (init returns the active run): the writers take turns.
    const runOf = (group?: string) =>
      init({
        dir: tempDir(),
        baseUrl: server.url,
        project: "dist-clash",
        ...(group === undefined ? {} : { group }),
        settings: { quiet: true },
      });
    const group = `clash-${randomUUID()}`;
    const part = (bytes: string) => writeFolder(tempDir(), { "model.bin": Buffer.from(bytes) });
    const first = await runOf(group);
    await (await first.upsertArtifact(new Artifact("clash", "model").addDir(part("one")))).wait();
    await first.finish();
    const second = await runOf(group);
    expect(second.id).not.toBe(first.id);
    const clash = (await second.upsertArtifact(new Artifact("clash", "model").addDir(part("two")))).wait();
    await expect(clash).rejects.toMatchObject({ code: "ARTIFACT_CONFLICT" });
    await expect(clash).rejects.toThrow(/'model\.bin' was added by two writers with different content/);
    const finish = (await second.finishArtifact(new Artifact("clash", "model"))).wait();
    await expect(finish).rejects.toMatchObject({ code: "ARTIFACT_CONFLICT" });
    await second.finish();
    expect(await versions("dist-clash", "clash")).toEqual([]);
    // Without a group, the distributedId must be given.
    const alone = await runOf();
    await expect(alone.upsertArtifact(new Artifact("clash", "model"))).rejects.toThrow(/distributedId/);
    await alone.finish();
  });

  it("an offline run's upsert goes through the run log: sync adds it, an online finish commits it", async () => {
    const group = `offline-${randomUUID()}`;
    const bytes = randomBytes(25_000);
    const offline = await init({
      dir: tempDir(),
      mode: "offline",
      project: "dist-sync",
      group,
      settings: { quiet: true },
    });
    await offline.upsertArtifact(writeFolder(tempDir(), { "part.bin": bytes }), {
      name: "late",
      type: "dataset",
    });
    await offline.finish();
    expect(await versions("dist-sync", "late")).toEqual([]);
    const synced = await syncRunDirectory(offline.dir, { baseUrl: server.url });
    expect(synced.artifacts).toMatchObject({ committed: 1, failed: 0, bytesSent: 25_000 });
    const online = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "dist-sync",
      group,
      settings: { quiet: true },
    });
    const done = await (await online.finishArtifact(new Artifact("late", "dataset"))).wait();
    await online.finish();
    expect(done.version).toBe("v0");
    expect(done.manifest).toEqual([{ path: "part.bin", sha256: sha(bytes), size: bytes.length }]);
  });

  it("stepwise artifact rm --distributed discards a pending version: its finish finds nothing, the id starts afresh", async () => {
    const group = `cli-${randomUUID()}`;
    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "dist-cli",
      group,
      settings: { quiet: true },
    });
    const part = (text: string) => writeFolder(tempDir(), { "part.txt": Buffer.from(text) });
    await (await run.upsertArtifact(part("abandoned"), { name: "parts", type: "dataset" })).wait();
    const rm = await runCli([
      "artifact",
      "rm",
      "local/dist-cli/parts",
      "--distributed",
      group,
      "--json",
      "--base-url",
      server.url,
    ]);
    expect(rm.code, rm.stderr).toBe(0);
    expect(JSON.parse(rm.stdout)).toEqual({
      collection: "local/dist-cli/parts",
      distributedId: group,
      state: "pending",
      fileCount: 1,
    });
    const nothing = (await run.finishArtifact(new Artifact("parts", "dataset"))).wait();
    await expect(nothing).rejects.toMatchObject({ code: "NOT_FOUND" });
    const kept = Buffer.from("kept");
    await (
      await run.upsertArtifact(writeFolder(tempDir(), { "part.txt": kept }), {
        name: "parts",
        type: "dataset",
      })
    ).wait();
    const done = await (await run.finishArtifact(new Artifact("parts", "dataset"))).wait();
    expect(done.manifest).toEqual([{ path: "part.txt", sha256: sha(kept), size: kept.length }]);
    await run.finish();
  });
});
