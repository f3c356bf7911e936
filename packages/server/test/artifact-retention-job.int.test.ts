/**
 * ArtifactRetentionJob over a real SQLite store: a pass applies the first matching policy to
 * each collection a pattern names (type filter included), two passes asked at once are one, a
 * collection no policy matches is untouched, and a pass over a closed store logs its failures
 * and resolves (the server is never brought down by it).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { manifestDigestText, type ManifestEntry } from "@stepwise/protocol";
import { ArtifactRetentionJob } from "../src/artifact-retention-job.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import type { Store } from "../src/store/store.js";

const sha = (text: string) => createHash("sha256").update(text).digest("hex");
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function commitVersions(store: Store, name: string, type: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const entries: ManifestEntry[] = [{ path: "w.bin", sha256: sha(`${name}-${i}`), size: 10 }];
    await store.artifacts.commitVersion({
      entity: "team",
      project: "proj",
      name,
      type,
      entries,
      digest: sha(manifestDigestText(entries)),
      description: "",
      metadata: {},
      aliases: [],
      tags: [],
      producer: null,
      now: 1000 + i,
    });
  }
}

const live = async (store: Store, name: string) =>
  (await store.artifacts.listVersions("team", "proj", name)).map((v) => v.version);

describe("ArtifactRetentionJob", () => {
  test("one pass at a time, first matching policy per collection, failures logged not thrown", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stepwise-retention-job-"));
    dirs.push(dir);
    const store = await openSqliteStore(join(dir, "stepwise.db"));
    await commitVersions(store, "ckpt", "model", 4);
    await commitVersions(store, "data", "dataset", 3);
    await commitVersions(store, "other", "model", 3);
    const lines: string[] = [];
    const gcRuns: number[] = [];
    const job = new ArtifactRetentionJob(
      store,
      {
        intervalS: 3600,
        policies: [
          { collection: "team/proj/ckpt", keepLast: 3 },
          { collection: "team/proj/*", type: "model", keepLast: 1 },
        ],
      },
      () => 2000,
      (line) => lines.push(line),
      () => Promise.resolve(gcRuns.push(1)),
    );
    const [a, b] = [job.pass(), job.pass()];
    expect(a).toBe(b);
    expect(await a).toEqual({ collections: 2, versionsDeleted: 3, bytesFreed: 30, failures: 0 });
    expect(await live(store, "ckpt")).toEqual(["v3", "v2", "v1"]);
    expect(await live(store, "other")).toEqual(["v2"]);
    expect(await live(store, "data")).toEqual(["v2", "v1", "v0"]);
    expect(lines).toEqual([
      "artifact retention deleted team/proj/ckpt:v0 (10 bytes for garbage collection to free)",
      "artifact retention deleted team/proj/other:v1,v0 (20 bytes for garbage collection to free)",
    ]);
    expect(gcRuns).toHaveLength(1);
    expect(await job.pass()).toEqual({ collections: 2, versionsDeleted: 0, bytesFreed: 0, failures: 0 });
    expect(gcRuns).toHaveLength(1);

    await store.close();
    expect(await job.pass()).toMatchObject({ collections: 0, failures: 3 });
    expect(lines.slice(2).map((line) => line.replace(/ failed: .*/, " failed"))).toEqual([
      "artifact retention: listing team/proj/ckpt failed",
      "artifact retention: listing team/proj/* failed",
      "artifact retention: listing expired versions failed",
    ]);
    await job.stop();
  });
});
