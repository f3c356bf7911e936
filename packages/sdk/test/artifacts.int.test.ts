/**
 * Artifacts through a real server process: a folder logged by a run downloads back byte for
 * byte; re-logging unchanged content is the same version and uploads nothing; a 1-file change
 * uploads that file only; a run SIGKILLed after logArtifact resolved is committed by `stepwise
 * sync`; useArtifact records lineage the routes answer; a downloaded version is placed again
 * from the local cache with its server stopped; a cached `v0` of another server with the same
 * names is never answered for this one.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { artifactPaths, type ArtifactVersionDto } from "@stepwise/protocol";
import { Api, Artifact, init, syncRunDirectory } from "../src/index.js";
import { startServerProcess, useServerForFile } from "./support/server-process.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/artifact-child.mjs", import.meta.url));

const { server, tempDir } = useServerForFile();

/** A folder of files the test wrote: path in the folder → bytes. */
function writeFolder(root: string, files: Record<string, Buffer>): void {
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(join(root, ...path.split("/").slice(0, -1)), { recursive: true });
    writeFileSync(join(root, ...path.split("/")), bytes);
  }
}

function folderOf(files: Record<string, Buffer>): string {
  const root = tempDir();
  writeFolder(root, files);
  return root;
}

function expectSameFiles(root: string, files: Record<string, Buffer>): void {
  for (const [path, bytes] of Object.entries(files))
    expect(readFileSync(join(root, ...path.split("/"))).equals(bytes), path).toBe(true);
}

describe("artifacts", () => {
  it("logArtifact → download round trip; unchanged re-log is the same version; useArtifact lineage", async () => {
    const data = tempDir();
    const files = {
      "train.csv": Buffer.from("x,y\n1,2\n3,4\n"),
      "images/a.bin": randomBytes(300_000),
      "images/b.bin": randomBytes(70_000),
    };
    writeFolder(data, files);
    const env = { STEPWISE_CACHE_DIR: tempDir() };
    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "arts",
      settings: { quiet: true },
    });
    const logged = await run.logArtifact(data, { name: "mnist", type: "dataset", aliases: ["best"] });
    expect(logged.digest).toMatch(/^[0-9a-f]{64}$/);
    await logged.wait();
    expect(logged.version).toBe("v0");
    expect(logged.qualifiedName).toBe(`${run.entity}/arts/mnist:v0`);

    // Unchanged content, logged again from a new Artifact: the same version, nothing sent.
    const again = new Artifact("mnist", "dataset").addDir(data);
    await (await run.logArtifact(again)).wait();
    expect(again.version).toBe("v0");
    await run.finish();

    const api = new Api({ baseUrl: server.url, env });
    const fetched = await api.artifact(`${run.entity}/arts/mnist:best`);
    expect(fetched.version).toBe("v0");
    expect(fetched.digest).toBe(logged.digest);
    const root = await fetched.download({ root: join(tempDir(), "mnist") });
    expectSameFiles(root, files);
    await fetched.verify({ root });
    writeFileSync(join(root, "train.csv"), "tampered");
    await expect(fetched.verify({ root })).rejects.toThrow(/train\.csv/);

    // A consumer run: lineage both ways through the routes.
    const consumer = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "arts",
      settings: { quiet: true },
    });
    const used = await consumer.useArtifact("mnist:latest", { type: "dataset" });
    expect(used.version).toBe("v0");
    const usedRoot = await used.download({ root: join(tempDir(), "used") });
    expectSameFiles(usedRoot, files);
    await consumer.finish();
    const lineage = (await (
      await fetch(server.url + artifactPaths.runArtifacts(run.entity, "arts", consumer.id))
    ).json()) as { used: ArtifactVersionDto[] };
    expect(lineage.used.map((v) => `${v.name}:${v.version}`)).toEqual(["mnist:v0"]);
    const produced = (await (
      await fetch(server.url + artifactPaths.runArtifacts(run.entity, "arts", run.id))
    ).json()) as { produced: ArtifactVersionDto[] };
    expect(produced.produced.map((v) => `${v.name}:${v.version}`)).toEqual(["mnist:v0"]);
  });

  it("sync of an offline run uploads only what the server lacks: unchanged 0 bytes, a 1-file change that file", async () => {
    const data = tempDir();
    const files = { "a.bin": randomBytes(200_000), "b.bin": randomBytes(100_000) };
    writeFolder(data, files);
    const logOffline = async (): Promise<string> => {
      const run = await init({
        dir: tempDir(),
        mode: "offline",
        project: "arts2",
        settings: { quiet: true },
      });
      await run.logArtifact(data, { name: "ckpt", type: "model" });
      await run.finish();
      return run.dir;
    };
    const first = await syncRunDirectory(await logOffline(), { baseUrl: server.url });
    expect(first.artifacts).toMatchObject({ committed: 1, failed: 0, bytesSent: 300_000 });
    const unchanged = await syncRunDirectory(await logOffline(), { baseUrl: server.url });
    expect(unchanged.artifacts).toMatchObject({ committed: 1, failed: 0, bytesSent: 0 });
    writeFileSync(join(data, "b.bin"), randomBytes(100_001));
    const changed = await syncRunDirectory(await logOffline(), { baseUrl: server.url });
    expect(changed.artifacts).toMatchObject({ committed: 1, failed: 0, bytesSent: 100_001 });
    const versions = (await (
      await fetch(server.url + artifactPaths.versions("local", "arts2", "ckpt"))
    ).json()) as { versions: ArtifactVersionDto[] };
    expect(versions.versions.map((v) => v.version)).toEqual(["v1", "v0"]);
  });

  it("a run SIGKILLed after logArtifact resolved is committed by sync", async () => {
    const data = tempDir();
    const files = { "weights.bin": randomBytes(500_000), "config.json": Buffer.from('{"layers":3}') };
    writeFolder(data, files);
    // The trainer's server is not there: nothing can be committed before the kill.
    const job = { dir: tempDir(), baseUrl: "http://127.0.0.1:9", data, name: "killed" };
    const child = spawn(process.execPath, [FIXTURE, JSON.stringify(job)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const lines: Array<Record<string, unknown>> = [];
    for await (const line of createInterface({ input: child.stdout })) {
      lines.push(JSON.parse(line) as Record<string, unknown>);
      if (lines.length === 2) break;
    }
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const run = lines[0] as { dir: string; entity: string; project: string };
    const digest = lines[1]?.["digest"];
    expect(digest, stderr).toMatch(/^[0-9a-f]{64}$/);
    const result = await syncRunDirectory(run.dir, { baseUrl: server.url });
    expect(result.artifacts).toMatchObject({ committed: 1, failed: 0 });
    const api = new Api({ baseUrl: server.url, env: { STEPWISE_CACHE_DIR: tempDir() } });
    const version = await api.artifact(`${run.entity}/${run.project}/killed:latest`);
    expect(version.digest).toBe(digest);
    expectSameFiles(await version.download({ root: join(tempDir(), "k") }), files);
  });

  it("a downloaded version is placed again from the cache with its server stopped", async () => {
    const dataDir = tempDir();
    const own = await startServerProcess(dataDir);
    const cacheEnv = { STEPWISE_CACHE_DIR: tempDir() };
    const data = tempDir();
    const files = { "x.bin": randomBytes(50_000), "deep/y.txt": Buffer.from("y") };
    writeFolder(data, files);
    const run = await init({ dir: tempDir(), baseUrl: own.url, project: "cache", settings: { quiet: true } });
    // Not waited for: finish() waits for the commit.
    const logged = await run.logArtifact(data, { name: "cached", type: "dataset" });
    await run.finish();
    expect(logged.version).toBe("v0");
    const api = new Api({ baseUrl: own.url, env: cacheEnv });
    const path = `${run.entity}/cache/cached:v0`;
    await (await api.artifact(path)).download({ root: join(tempDir(), "first") });
    await api.artifact(`${run.entity}/cache/cached:latest`); // the alias, as the server resolved it
    await own.kill("SIGTERM");
    // An alias needs the server; unreachable, the version it named last is answered from the cache.
    const byAlias = await new Api({ baseUrl: own.url, env: cacheEnv }).artifact(
      `${run.entity}/cache/cached:latest`,
    );
    expect(byAlias.version).toBe("v0");
    const offline = await new Api({ baseUrl: own.url, env: cacheEnv }).artifact(path);
    const root = await offline.download({ root: join(tempDir(), "second") });
    expectSameFiles(root, files);
    await offline.verify({ root });
  });

  it("a cached v0 is another server's v0 of the same name: never answered for this one", async () => {
    const cacheEnv = { STEPWISE_CACHE_DIR: tempDir() };
    const own = await startServerProcess(tempDir());
    const logOn = async (baseUrl: string, bytes: Buffer): Promise<void> => {
      const run = await init({ dir: tempDir(), baseUrl, project: "twins", settings: { quiet: true } });
      await run.logArtifact(folderOf({ "w.bin": bytes }), { name: "twin", type: "model" });
      await run.finish();
    };
    const mine = randomBytes(20_000);
    const theirs = randomBytes(20_000);
    await logOn(server.url, mine);
    await logOn(own.url, theirs);
    const first = await new Api({ baseUrl: own.url, env: cacheEnv }).artifact("local/twins/twin:v0");
    expectSameFiles(await first.download({ root: join(tempDir(), "theirs") }), { "w.bin": theirs });
    await own.kill("SIGTERM");
    const second = await new Api({ baseUrl: server.url, env: cacheEnv }).artifact("local/twins/twin:v0");
    expect(second.digest).not.toBe(first.digest);
    expectSameFiles(await second.download({ root: join(tempDir(), "mine") }), { "w.bin": mine });
  });
});
