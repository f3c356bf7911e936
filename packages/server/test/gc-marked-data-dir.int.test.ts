/**
 * A SQLite server left running after `stepwise migrate` marked its data directory for
 * PostgreSQL (database.json) knows only its own runs: collecting there would free the files
 * the PostgreSQL servers write into the directory since. It refuses each collection, periodic or
 * asked for, and frees nothing. (SQLite only: a server on PostgreSQL writes the marker itself.)
 */
import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { apiPaths, type RunRef } from "@stepwise/protocol";
import { writeDatabaseMarker } from "../src/database-marker.js";
import { historyBatch, startTestServer } from "./http-harness.js";
import { blobsOnDisk, sha256 } from "./support/file-uploads.js";

const run: RunRef = { entity: "local", project: "p", runId: "gc-marked" };

describe("garbage collection on a directory marked for PostgreSQL", () => {
  test("a SQLite server frees nothing once a migrate marked its directory", async () => {
    await using t = await startTestServer({ gcIntervalS: 0 });
    await t.ingest(run, historyBatch(0, 1));
    const [first, second, third] = [randomBytes(2000), randomBytes(3000), randomBytes(4000)];
    for (const bytes of [first, second, third])
      expect((await t.fetch(apiPaths.file(run, "model.bin"), { method: "PUT", body: bytes })).status).toBe(
        201,
      );
    // Before the marker, an unreferenced blob is freed: the collection works on this directory.
    expect((await t.server.collectGarbage({ graceS: 0 })).freed).toEqual(
      [sha256(first), sha256(second)].sort(),
    );
    expect(blobsOnDisk(t.dataDir)).toEqual([sha256(third)]);

    // A file the PostgreSQL servers wrote after the migrate: unknown to this SQLite store.
    expect((await t.fetch(apiPaths.file(run, "model.bin"), { method: "PUT", body: first })).status).toBe(201);
    await writeDatabaseMarker(t.dataDir, "postgres://stepwise:secret@db.example/stepwise", new Date());
    await expect(t.server.collectGarbage({ graceS: 0 })).rejects.toThrow(
      /skipped: .* keeps the files of the PostgreSQL database postgres:\/\/stepwise@db\.example\/stepwise .*stop it/,
    );
    expect(blobsOnDisk(t.dataDir)).toEqual([sha256(first), sha256(third)].sort());
  });
});
