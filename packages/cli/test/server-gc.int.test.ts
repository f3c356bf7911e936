/**
 * `stepwise server --gc` as an operator runs it (the built bin): a blob that no run file points
 * to any more (the file was replaced) and is older than the grace period is freed; the run's
 * current file is kept and downloads with the bytes that were uploaded.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm, utimes } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { apiPaths, type RunRef } from "@stepwise/protocol";
import { loadConfig, startServer } from "@stepwise/server";
import { runCli } from "./cli-bin.js";

let dir = "";
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "stepwise-gc-cli-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run: RunRef = { entity: "e", project: "p", runId: "r" };
const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");
const blobPath = (sha: string): string => join(dir, "files", "blobs", "sha256", sha.slice(0, 2), sha);

async function withServer<T>(body: (url: string) => Promise<T>): Promise<T> {
  const server = await startServer(
    loadConfig({ port: 0, host: "127.0.0.1", data: dir, gcIntervalS: 0 }, {}),
    {
      log: () => {},
    },
  );
  try {
    return await body(server.url);
  } finally {
    await server.close();
  }
}

test("--gc frees the blob of a replaced file once it is past the grace period, and keeps the current one", async () => {
  const first = new TextEncoder().encode("checkpoint v1\n".repeat(1000));
  const second = new TextEncoder().encode("checkpoint v2\n".repeat(1000));
  await withServer(async (url) => {
    const ingest = await fetch(url + apiPaths.ingest(run), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ history: { offset: 0, rows: [{ _step: 0, loss: 1 }] } }),
    });
    expect(ingest.status).toBe(200);
    for (const bytes of [first, second]) {
      const put = await fetch(url + apiPaths.file(run, "model.ckpt"), { method: "PUT", body: bytes });
      expect(put.status).toBe(201);
    }
  });
  expect(existsSync(blobPath(sha256(first)))).toBe(true);

  // Young blobs are spared: a collection now frees nothing.
  const young = await runCli(["server", "--gc", "--json", "--data", dir]);
  expect(young.code, young.stderr).toBe(0);
  expect(JSON.parse(young.stdout)).toMatchObject({ freed: [] });

  const twoHoursAgo = Date.now() / 1000 - 7200;
  for (const bytes of [first, second]) await utimes(blobPath(sha256(bytes)), twoHoursAgo, twoHoursAgo);
  const old = await runCli(["server", "--gc", "--json", "--data", dir]);
  expect(old.code, old.stderr).toBe(0);
  expect(JSON.parse(old.stdout)).toMatchObject({ freed: [sha256(first)], bytesFreed: first.length });
  expect(existsSync(blobPath(sha256(first)))).toBe(false);

  const human = await runCli(["server", "--gc", "--data", dir]);
  expect(human.code).toBe(0);
  expect(human.stdout).toMatch(/^Looked at 1 blobs: freed 0 that no run file references \(0 bytes\)\.$/m);

  await withServer(async (url) => {
    const download = await fetch(url + apiPaths.file(run, "model.ckpt"));
    expect(download.status).toBe(200);
    expect(sha256(new Uint8Array(await download.arrayBuffer()))).toBe(sha256(second));
  });
});

test("--gc of a directory without a database exits 4 naming it; --json without --check or --gc is a usage error", async () => {
  const missing = await runCli(["server", "--gc", "--data", join(dir, "nothing-here")]);
  expect(missing.code).toBe(4);
  expect(missing.stderr).toMatch(/no Stepwise database/);
  const usage = await runCli(["server", "--json", "--data", dir]);
  expect(usage.code).toBe(2);
  expect(usage.stderr).toMatch(/--json goes with --check or --gc/);
});
