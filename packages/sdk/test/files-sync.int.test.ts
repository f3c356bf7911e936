/**
 * Files and `stepwise sync`: offline runs' files reach the server at sync, identical content is
 * sent once whatever run saves it, and a trainer SIGKILLed in the middle of a large upload is
 * completed by sync, which sends only what the server lacks.
 */
import { randomBytes } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { init, syncRunDirectory } from "../src/index.js";
import { runCliWith } from "./cli/spawn-cli.js";
import { useServerForFile } from "./support/server-process.js";
import { listServerFiles, serverFileBytes, sha256OfFile } from "./support/server-files.js";
import { startUploadChild } from "./support/upload-child.js";

const { server, tempDir } = useServerForFile();

/** A file of `bytes` random-ish bytes (random 1 MiB blocks, each made unique by its index). */
function writeLargeFile(path: string, bytes: number): void {
  const block = randomBytes(1024 * 1024);
  const fd = openSync(path, "w");
  try {
    for (let at = 0, index = 0; at < bytes; at += block.length, index++) {
      block.writeUInt32LE(index, 0);
      writeSync(fd, block, 0, Math.min(block.length, bytes - at));
    }
  } finally {
    closeSync(fd);
  }
}

describe("files and stepwise sync", () => {
  it("uploads an offline run's files at sync, and the same content from 10 runs is sent once", async () => {
    const root = tempDir();
    const shared = join(root, "dataset.bin");
    writeLargeFile(shared, 2 * 1024 * 1024 + 5);
    const sha = await sha256OfFile(shared);
    const dirs: string[] = [];
    const runs: Array<{ entity: string; project: string; id: string }> = [];
    for (let i = 0; i < 10; i++) {
      const run = await init({
        dir: tempDir(),
        mode: "offline",
        project: "dedupe",
        settings: { silent: true },
      });
      expect(run.save(shared, { basePath: root, policy: "now" })).toEqual(["dataset.bin"]);
      run.log({ i });
      const pending = await run.status();
      expect(pending.filesPending).toBeGreaterThanOrEqual(2); // dataset.bin, config.json, …
      expect(pending.fileBytesPending).toBeGreaterThanOrEqual(2 * 1024 * 1024);
      await run.finish();
      dirs.push(run.dir);
      runs.push({ entity: run.entity, project: run.project, id: run.id });
    }
    const sent: number[] = [];
    for (const dir of dirs) {
      const result = await syncRunDirectory(dir, { baseUrl: server.url });
      expect(result.status, result.message ?? "").toBe("synced");
      expect(result.files?.failed).toBe(0);
      expect(result.files?.uploaded).toBeGreaterThanOrEqual(4); // dataset.bin, config, summary, metadata
      sent.push(result.files?.bytesSent ?? -1);
    }
    // The first run sends the content; the nine others find it on the server by its sha256.
    expect(sent[0]).toBeGreaterThanOrEqual(2 * 1024 * 1024);
    for (const bytes of sent.slice(1)) expect(bytes).toBeLessThan(64 * 1024);
    for (const run of runs) {
      const files = await listServerFiles(server.url, run);
      expect(files.get("dataset.bin")?.sha256).toBe(sha);
      for (const own of ["config.json", "summary.json", "metadata.json"]) expect(files.has(own)).toBe(true);
    }
    const summary = JSON.parse(
      (await serverFileBytes(server.url, runs[9]!, "summary.json")).toString(),
    ) as unknown;
    expect(summary).toMatchObject({ i: 9 });
    // A second sync finds everything there and sends nothing.
    const again = await syncRunDirectory(dirs[0]!, { baseUrl: server.url });
    expect(again.files).toMatchObject({ uploaded: 0, failed: 0, bytesSent: 0 });
    // The human line reports the files too.
    const another = await init({
      dir: tempDir(),
      mode: "offline",
      project: "dedupe",
      settings: { silent: true },
    });
    another.save(shared, { basePath: root, policy: "end" });
    await another.finish();
    const human = await runCliWith(["sync", another.dir, "--base-url", server.url]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(
      /^synced .*: \d+ items sent \(.*\d+ files uploaded \([\d.]+ (B|KiB|MiB) sent\)/m,
    );
  }, 120_000);

  it("completes a large upload cut by SIGKILL at sync, sending less than the whole file", async () => {
    const root = tempDir();
    const big = join(root, "checkpoint.bin");
    const size = 200 * 1024 * 1024;
    writeLargeFile(big, size);
    const sha = await sha256OfFile(big);
    const child = startUploadChild("files-child.mjs", [
      JSON.stringify({
        dir: tempDir(),
        baseUrl: server.url,
        saves: [{ glob: big, basePath: root, policy: "now" }],
        hold: true,
      }),
    ]);
    const run = await child.run;
    // Ask the server how much of this upload it has (declaring the same content again answers
    // the same upload) and kill the trainer once a whole part arrived (the server keeps whole
    // parts: a part cut short is dropped).
    const declare = `${server.url}/api/v1/runs/${run.entity}/${run.project}/${run.id}/file-uploads`;
    let received = 0;
    let partBytes = Infinity;
    const deadline = Date.now() + 60_000;
    while (received < partBytes && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      const answer = await fetch(declare, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ path: "checkpoint.bin", size, sha256: sha }),
      }).catch(() => null);
      if (answer?.status === 404) continue; // the run is not on the server yet
      const body = (await answer?.json().catch(() => null)) as {
        status?: string;
        received?: number;
        partBytes?: number;
      } | null;
      if (body?.status === "stored")
        throw new Error("the upload finished before the trainer could be killed");
      received = body?.received ?? 0;
      partBytes = Math.min(body?.partBytes ?? Infinity, size / 2);
    }
    child.child.kill("SIGKILL");
    await child.exit;
    expect(received, "a part of the file reached the server before the kill").toBeGreaterThanOrEqual(
      partBytes,
    );
    expect((await listServerFiles(server.url, run)).has("checkpoint.bin")).toBe(false);

    const synced = await runCliWith(["sync", run.dir, "--json", "--base-url", server.url]);
    expect(synced.code, synced.stderr).toBe(0);
    const result = JSON.parse(synced.stdout.trim().split("\n").at(-1) ?? "{}") as {
      status: string;
      crashed: boolean;
      files: { uploaded: number; failed: number; bytesSent: number };
    };
    expect(result.status).toBe("synced");
    expect(result.crashed).toBe(true);
    expect(result.files.failed).toBe(0);
    expect(result.files.uploaded).toBeGreaterThanOrEqual(1);
    // Sync sends what the server lacks: at most the file less the parts it kept.
    expect(result.files.bytesSent).toBeLessThanOrEqual(size - partBytes);
    expect((await listServerFiles(server.url, run)).get("checkpoint.bin")).toMatchObject({
      size,
      sha256: sha,
    });
  }, 180_000);
});
