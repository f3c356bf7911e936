/**
 * Scheduled artifact retention through real server processes: a dry run keeps the newest
 * versions and a registry-linked one and says why; a server started with a 1 s retention
 * interval then deletes exactly what that dry run showed, logs it, and garbage collection frees
 * exactly the blobs only the deleted versions held.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import {
  artifactPaths,
  fileUploadResponseSchema,
  manifestDigestText,
  registryPaths,
  type ArtifactVersionDto,
  type ManifestEntry,
} from "@stepwise/protocol";
import { collectGarbageIn } from "../src/index.js";
import type { RetentionResult } from "../src/apply-retention.js";
import { blobsOnDisk, sendParts, sha256 } from "./support/file-uploads.js";
import { startServerProcess, type ServerProcess } from "./support/server-process.js";

const base = "/api/v1/artifacts/local/p";
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function post(url: string, path: string, body: unknown): Promise<Response> {
  return fetch(url + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** Stores content tied to no run file (only manifests keep it). */
async function storeBlob(url: string, bytes: Buffer): Promise<ManifestEntry & { sha256: string }> {
  const declared = fileUploadResponseSchema.parse(
    await (
      await post(url, artifactPaths.blobUploads("local", "p"), { size: bytes.length, sha256: sha256(bytes) })
    ).json(),
  );
  if (declared.status === "upload")
    await sendParts(url, declared.uploadUrl, bytes, declared.received, declared.partBytes);
  return { path: "", sha256: sha256(bytes), size: bytes.length };
}

async function commit(url: string, entries: ManifestEntry[]): Promise<void> {
  const body = {
    type: "model",
    manifest: { version: 1, entries },
    digest: sha256(Buffer.from(manifestDigestText(entries))),
    run: null,
  };
  expect((await post(url, `${base}/ckpt/versions`, body)).status).toBe(201);
}

async function liveVersions(url: string): Promise<string[]> {
  const answer = (await (await fetch(`${url}${base}/ckpt/versions`)).json()) as {
    versions: ArtifactVersionDto[];
  };
  return answer.versions.map((v) => v.version);
}

describe("artifact retention on a schedule", () => {
  test("deletes what the dry run shows (never a registry-linked version); GC frees only their blobs", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "stepwise-retention-"));
    dirs.push(dataDir);
    // First a server without a schedule: five versions sharing one file, v0 linked in a registry.
    let server: ServerProcess = await startServerProcess(dataDir, {
      STEPWISE_ARTIFACT_RETENTION_INTERVAL_S: "0",
    });
    const shared = await storeBlob(server.url, randomBytes(50_000));
    const own: string[] = [];
    for (let i = 0; i < 5; i++) {
      const mine = await storeBlob(server.url, randomBytes(40_000 + i));
      own.push(mine.sha256);
      await commit(server.url, [
        { ...shared, path: "shared.bin" },
        { ...mine, path: "weights.bin" },
      ]);
    }
    const linked = await post(server.url, registryPaths.links("local", "models", "ckpt"), {
      artifact: { entity: "local", project: "p", name: "ckpt", alias: "v0" },
    });
    expect(linked.status).toBe(201);
    const dry = (await (
      await post(server.url, `${base}/ckpt/retention`, { keepLast: 2, dryRun: true })
    ).json()) as RetentionResult;
    expect(dry.deleted).toEqual(["v2", "v1"]);
    expect(dry.keptBecause).toEqual([
      { version: "v4", reasons: ["latest", "keep-last 2"] },
      { version: "v3", reasons: ["keep-last 2"] },
      { version: "v0", reasons: ["linked in registry models/ckpt:v0"] },
    ]);
    expect(dry.bytesFreed).toBe(40_001 + 40_002);
    await server.stop("SIGTERM");

    // Then the same data with a policy applied every second.
    const policies = join(dataDir, "retention.json");
    writeFileSync(policies, JSON.stringify([{ collection: "local/p/*", type: "model", keepLast: 2 }]));
    server = await startServerProcess(dataDir, {
      STEPWISE_ARTIFACT_RETENTION_INTERVAL_S: "1",
      STEPWISE_ARTIFACT_RETENTION_POLICIES: policies,
    });
    try {
      await expect
        .poll(() => server.stderr(), { timeout: 20_000, interval: 200 })
        .toMatch(/artifact retention deleted/);
      expect(server.stderr()).toContain("artifact retention deleted local/p/ckpt:v2,v1 (80003 bytes");
      expect(await liveVersions(server.url)).toEqual(["v4", "v3", "v0"]);
      // Passes after it find nothing more to delete.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(await liveVersions(server.url)).toEqual(["v4", "v3", "v0"]);
      expect(server.stderr().match(/artifact retention deleted/g)).toHaveLength(1);
    } finally {
      await server.stop("SIGTERM");
    }
    // The server's own GC after the pass keeps blobs younger than its grace period (1 hour):
    // `stepwise server --gc` with no grace frees exactly the two only deleted versions held.
    const report = await collectGarbageIn(dataDir, { graceS: 0 });
    expect(report.freed.sort()).toEqual([own[1], own[2]].sort());
    expect(blobsOnDisk(dataDir)).toEqual([shared.sha256, own[0], own[3], own[4]].sort());
  });
});
