/**
 * `stepwise migrate --blobs s3://…`: run files go to an S3-compatible store (s3rver, a real
 * process) and a server started on the target database and bucket serves their bytes as they
 * were logged; a run that grew in the source after a copy is copied again, its new rows only,
 * with the console line a terminal rewrote meanwhile; runs of a project the target already has
 * runs in are numbered after them.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { apiPaths, parseExtended } from "@stepwise/protocol";
import { loadConfig } from "../src/config.js";
import { startServer } from "../src/server.js";
import { openPostgresStore } from "../src/store/postgres/open-postgres-store.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import { migrate, summaryOf } from "./migrate-cli.js";
import { API_KEY, loggedRuns, writeSourceData } from "./migrate-source-data.js";
import { postgresMissing, startPostgres, type PostgresProcess } from "./support/postgres-process.js";
import { startS3Process, type S3Process } from "./support/s3-process.js";

const missing = postgresMissing();
const runs = loggedRuns().slice(0, 20);
let postgres: PostgresProcess;
let s3: S3Process;
let dir = "";

beforeAll(async () => {
  if (missing !== null) return;
  [postgres, s3] = await Promise.all([startPostgres(), startS3Process()]);
  dir = await mkdtemp(join(tmpdir(), "stepwise-migrate-s3-"));
  await writeSourceData(join(dir, "source"), runs);
}, 120_000);
afterAll(async () => {
  await Promise.all([postgres?.stop(), s3?.stop()]);
  if (dir !== "") await rm(dir, { recursive: true, force: true });
});

describe.skipIf(missing !== null)("stepwise migrate --blobs s3://…", () => {
  test("files land on S3 and a server over the target serves them; a grown run is copied again, new rows only", async () => {
    const url = await postgres.createDatabase();
    const source = join(dir, "source");
    const blobs = `s3://${s3.bucket}/moved`;
    // The target already holds a run of its own in p0: the moved runs of p0 are numbered after it.
    const before = await openPostgresStore(url);
    try {
      await before.applyBatch(
        { entity: "team", project: "p0", runId: "local" },
        { run: { name: "here first" } },
        1,
      );
    } finally {
      await before.close();
    }
    const first = summaryOf(
      await migrate(["--from", source, "--to", url, "--blobs", blobs, "--json"], s3.env),
    );
    expect(first.files).toMatchObject({ records: 6, blobs: 5 });
    expect(first.target.files).toContain(s3.bucket);
    const p0 = runs.filter((r) => r.ref.project === "p0");
    expect(first.runs.renumbered).toEqual(
      p0.map((r) => ({ run: `team/p0/${r.ref.runId}`, from: r.ordinal, to: r.ordinal + 1 })),
    );
    expect(first.verified.mismatches).toEqual([]);

    const server = await startServer(
      loadConfig({ port: 0, host: "127.0.0.1", data: join(dir, "server"), database: url, blobs }, s3.env),
      { log: () => undefined },
    );
    try {
      for (const run of runs)
        for (const file of run.files) {
          const answer = await fetch(server.url + apiPaths.file(run.ref, file.path), {
            headers: { authorization: `Bearer ${API_KEY}` },
          });
          expect(answer.status, `${run.ref.runId}/${file.path}`).toBe(200);
          expect(Buffer.from(await answer.arrayBuffer())).toEqual(file.bytes);
        }
    } finally {
      await server.close();
    }

    // The source run goes on logging (a server still running on it), then is copied again.
    const grown = runs[4];
    if (grown === undefined) throw new Error("no run 4");
    const more = Array.from({ length: 50 }, (_, k) => ({ _step: grown.rows.length + k, loss: -k - 0.5 }));
    const sqlite = await openSqliteStore(join(source, "stepwise.db"));
    try {
      const applied = await sqlite.applyBatch(
        grown.ref,
        {
          writer: { id: "writer-of-run-0004" },
          history: { offset: grown.rows.length, rows: more },
          // A progress bar redrawn: the terminal rewrote line 2.
          console: { offset: 2, lines: ["epoch 2 of run 4 (redrawn)"] },
        },
        1_700_001_000,
      );
      expect(applied.gap).toBeNull();
    } finally {
      await sqlite.close();
    }
    const second = summaryOf(
      await migrate(["--from", source, "--to", url, "--blobs", blobs, "--json"], s3.env),
    );
    expect(second.runs).toMatchObject({ copied: 1, unchanged: runs.length - 1 });
    // Console lines are all sent again (a rewrite keeps the count): 8 lines.
    expect(second.rows).toEqual({ history: more.length, events: 0, console: 8, meta: 0 });
    expect(second.files).toEqual({ records: 0, blobs: 0, bytes: 0 });

    const target = await openPostgresStore(url);
    try {
      const rows: unknown[] = [];
      for await (const page of target.scanHistory(grown.ref))
        for (const text of page) rows.push(parseExtended(text));
      expect(rows).toEqual([...grown.rows, ...more]);
      const console = grown.console.map((line, k) => (k === 2 ? "epoch 2 of run 4 (redrawn)" : line));
      expect(await target.readStream(grown.ref, "console", 0, 100)).toEqual(console);
      expect((await target.getRun(grown.ref))?.heartbeatAt).toBe(1_700_001_000);
    } finally {
      await target.close();
    }
  }, 300_000);
});
