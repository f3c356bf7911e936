/**
 * A data directory from before content-addressed blobs kept each run file at
 * `files/runs/<entity>/<project>/<run id>/files/<path>` (names percent-encoded, dots too). The
 * first start on it moves every such file into the blob store: every file downloads as it was,
 * identical files are stored once, the old folder is gone, and the store check finds nothing.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect, test } from "vitest";
import { apiPaths, type RunRef } from "@stepwise/protocol";
import { checkStore } from "../src/index.js";
import { historyBatch, startTestServer } from "./http-harness.js";
import { blobsOnDisk, nonBlobFilesOnDisk, sha256 } from "./support/file-uploads.js";

const seg = (name: string): string => encodeURIComponent(name).replaceAll(".", "%2E");
const legacyPath = (dataDir: string, ref: RunRef, path: string): string =>
  join(
    dataDir,
    "files",
    "runs",
    seg(ref.entity),
    seg(ref.project),
    seg(ref.runId),
    "files",
    ...path.split("/"),
  );

test("files in the old per-run layout are moved into content-addressed blobs on open, none lost", async () => {
  const runs: RunRef[] = [
    { entity: "local", project: "p", runId: "old-1" },
    { entity: "local", project: "p.v2", runId: "old..2" },
  ];
  const shared = randomBytes(4096);
  const files: Array<[RunRef, string, Buffer]> = [
    [runs[0] as RunRef, "config.json", Buffer.from('{"lr":0.1}')],
    [runs[0] as RunRef, "media/images/a b.png", randomBytes(10_000)],
    [runs[0] as RunRef, "ckpt.bin", shared],
    [runs[1] as RunRef, "nested/dir/ckpt.bin", shared],
  ];
  await using first = await startTestServer({ gcIntervalS: 0 });
  for (const ref of runs) await first.ingest(ref, historyBatch(0, 1));
  for (const [ref, path, bytes] of files)
    expect((await first.fetch(apiPaths.file(ref, path), { method: "PUT", body: bytes })).status).toBe(201);
  await first.stop();
  // Rewrite the data directory as the old layout left it: each file at its run path, no blobs.
  for (const [ref, path, bytes] of files) {
    const old = legacyPath(first.dataDir, ref, path);
    mkdirSync(dirname(old), { recursive: true });
    writeFileSync(old, bytes);
  }
  rmSync(join(first.dataDir, "files", "blobs"), { recursive: true });
  expect(blobsOnDisk(first.dataDir)).toEqual([]);
  // A temp file the old store left behind is not a run file; an interrupted move is finished.
  mkdirSync(join(first.dataDir, "files", ".tmp"), { recursive: true });

  await using second = await startTestServer({ gcIntervalS: 0 }, first.dataDir);
  for (const [ref, path, bytes] of files) {
    const response = await second.fetch(apiPaths.file(ref, path));
    expect(response.status, path).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes), path).toBe(true);
  }
  expect(blobsOnDisk(second.dataDir)).toEqual([...new Set(files.map(([, , b]) => sha256(b)))].sort());
  expect(existsSync(join(second.dataDir, "files", "runs"))).toBe(false);
  expect(nonBlobFilesOnDisk(second.dataDir)).toEqual([]);
  expect(second.logs.some((line) => line.includes("Moved 4 run file(s)"))).toBe(true);
  await second.stop();
  const report = await checkStore(
    second.dataDir,
    second.database === undefined ? {} : { database: second.database },
  );
  expect(report).toMatchObject({ ok: true, damaged: [], notes: [] });
  expect(report.checked.files).toBe(4);
  // A later start has nothing to move.
  await using third = await startTestServer({ gcIntervalS: 0 }, first.dataDir);
  expect(third.logs.some((line) => line.includes("Moved"))).toBe(false);
  expect((await third.fetch(apiPaths.file(runs[1] as RunRef, "nested/dir/ckpt.bin"))).status).toBe(200);
});
