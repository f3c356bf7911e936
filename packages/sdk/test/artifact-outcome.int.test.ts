/**
 * What becomes of a logged artifact the server does not commit, through real server processes:
 * one it refuses (a name already holding another type: a rule the SDK cannot check locally) is
 * reported by run.status(), by finish's warning and by `stepwise sync` (failed, naming the
 * artifact and the server's words), again by a later sync; one that met a stopped server is
 * kept pending (the run is not marked synced) and a later sync commits it, byte for byte; a
 * pending record is kept in artifact-state.json, so a later session commits it without reading
 * the log again.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ArtifactQueue, artifactOutcome } from "../src/artifacts/artifact-queue.js";
import { sealArtifact } from "../src/artifacts/seal-artifact.js";
import { Api, Artifact, init, syncRunDirectory } from "../src/index.js";
import { SYNCED_SUFFIX } from "../src/upload/upload-state.js";
import { startServerProcess, useServerForFile, waitFor } from "./support/server-process.js";

const { server, tempDir } = useServerForFile();

function writeFolder(root: string, files: Record<string, Buffer>): void {
  mkdirSync(root, { recursive: true });
  for (const [path, bytes] of Object.entries(files)) writeFileSync(join(root, path), bytes);
}

describe("artifact outcomes", () => {
  it("a refused artifact is reported by status(), finish and sync, and stays reported", async () => {
    const data = tempDir();
    writeFolder(data, { "a.txt": Buffer.from("first") });
    const first = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "refuse",
      settings: { quiet: true },
    });
    await (await first.logArtifact(data, { name: "shared", type: "dataset" })).wait();
    await first.finish();

    // Online: the same name with another type is refused by the server.
    const online = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "refuse",
      settings: { quiet: true },
    });
    const refused = await online.logArtifact(data, { name: "shared", type: "model" });
    await expect(refused.wait()).rejects.toThrow(/type 'dataset'/);
    await online.finish();
    const status = await online.status();
    expect(status.artifactsRefused.map((r) => r.name)).toEqual(["shared"]);
    expect(status.artifactsRefused[0]?.message).toMatch(/type 'dataset'/);
    expect(status.artifactsPending).toBe(0);

    // Offline, then sync: failed, naming the artifact and the server's reason; a later sync says so again.
    const offline = await init({
      dir: tempDir(),
      mode: "offline",
      project: "refuse",
      settings: { quiet: true },
    });
    await offline.logArtifact(data, { name: "shared", type: "model" });
    await offline.finish();
    const synced = await syncRunDirectory(offline.dir, { baseUrl: server.url });
    expect(synced.status).toBe("failed");
    expect(synced.message).toMatch(/artifact shared was refused by the server: .*type 'dataset'/);
    expect(synced.artifacts).toMatchObject({ committed: 0, pending: 0 });
    const again = await syncRunDirectory(offline.dir, { baseUrl: server.url });
    expect(again.status).toBe("failed");
    expect(again.message).toMatch(/artifact shared was refused/);
  });

  it("an artifact that met a stopped server is kept pending; a later sync commits it", async () => {
    const dataDir = tempDir();
    const own = await startServerProcess(dataDir);
    const data = tempDir();
    const files = { "w.bin": randomBytes(200_000), "c.json": Buffer.from('{"k":1}') };
    writeFolder(data, files);
    const run = await init({
      dir: tempDir(),
      baseUrl: own.url,
      project: "transient",
      settings: { quiet: true, finishTimeoutMs: 1500 },
    });
    run.log({ loss: 1 });
    await waitFor(async () => (await run.status()).syncedBytes > 0, 20_000, "the first batch");
    await own.kill("SIGTERM");
    await run.logArtifact(data, { name: "ckpt", type: "model" });
    await run.finish();
    const status = await run.status();
    expect(status.artifactsPending).toBe(1);
    expect(status.artifactsRefused).toEqual([]);
    const marked = (): boolean => readdirSync(run.dir).some((f) => f.endsWith(SYNCED_SUFFIX));
    expect(marked()).toBe(false);

    const back = await startServerProcess(dataDir, { port: own.port });
    try {
      const result = await syncRunDirectory(run.dir, { baseUrl: back.url });
      expect(result.status, result.message ?? "").toBe("synced");
      expect(result.artifacts).toMatchObject({ committed: 1, failed: 0, pending: 0 });
      const api = new Api({ baseUrl: back.url, env: { STEPWISE_CACHE_DIR: tempDir() } });
      const version = await api.artifact(`${run.entity}/transient/ckpt:latest`);
      const root = await version.download({ root: join(tempDir(), "got") });
      for (const [path, bytes] of Object.entries(files))
        expect(readFileSync(join(root, path)).equals(bytes), path).toBe(true);
      expect((await run.status()).artifactsPending).toBe(0);
      expect(marked()).toBe(true);
    } finally {
      await back.kill("SIGTERM");
    }
  });

  it("a pending record is committed by a later session from artifact-state.json alone", async () => {
    const data = tempDir();
    const files = { "p.bin": randomBytes(80_000) };
    writeFolder(data, files);
    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "pending",
      settings: { quiet: true },
    });
    await run.finish();
    const ref = { entity: run.entity, project: "pending", runId: run.id };
    const artifact = new Artifact("kept", "dataset").addDir(data);
    const sealed = await sealArtifact(artifact);
    const sources: Record<string, string> = {};
    for (const [sha256, source] of sealed.sources) sources[sha256] = source.localPath;
    const record = {
      t: "artifact" as const,
      ...{ id: "rec-1", name: "kept", type: "dataset", description: "", metadata: {} },
      ...{ aliases: [], tags: [], entries: sealed.entries, digest: sealed.digest, sources, time: 1 },
    };
    const stateDir = tempDir();
    const warnings: string[] = [];
    const down = new ArtifactQueue({
      runDir: stateDir,
      ref,
      target: { baseUrl: "http://127.0.0.1:9", apiKey: null },
      giveUpAfterMs: 300,
      onWarning: (_cause, message) => warnings.push(message),
    });
    down.add(record);
    expect(await down.drain()).toMatchObject({ committed: 0, pending: 1, refused: [] });
    expect(warnings.join("\n")).toMatch(/artifact kept is not committed yet/);
    expect(artifactOutcome(stateDir).pending).toBe(1);

    // A later session that never sees the record in a log: the state alone brings it back.
    const up = new ArtifactQueue({
      runDir: stateDir,
      ref,
      target: { baseUrl: server.url, apiKey: null },
      onWarning: () => undefined,
    });
    expect(await up.drain()).toMatchObject({ committed: 1, pending: 0 });
    expect(artifactOutcome(stateDir)).toEqual({ pending: 0, refused: [] });
    const api = new Api({ baseUrl: server.url, env: { STEPWISE_CACHE_DIR: tempDir() } });
    const root = await (
      await api.artifact(`${run.entity}/pending/kept:latest`)
    ).download({ root: join(tempDir(), "k") });
    expect(readFileSync(join(root, "p.bin")).equals(files["p.bin"])).toBe(true);
  });
});
