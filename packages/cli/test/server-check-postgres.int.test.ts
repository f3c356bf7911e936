/**
 * `stepwise server --gc` and `--check` on the team setup (the built bin): PostgreSQL for data
 * (--database) and S3 for files (--blobs, s3rver here). --gc frees a blob no run file references
 * any more and keeps the current one; --check passes on a healthy store and lists, with exit 3
 * as on SQLite, a run file whose S3 object was overwritten or deleted, a series chunk cut short
 * and a history block whose bytes changed (both damaged in SQL).
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { apiPaths, type RunRef } from "@stepwise/protocol";
import { loadConfig, startServer } from "@stepwise/server";
import {
  postgresMissing,
  startPostgres,
  type PostgresProcess,
} from "../../server/test/support/postgres-process.js";
import { startS3Process, type S3Process } from "../../server/test/support/s3-process.js";
import { runCli } from "./cli-bin.js";

const missing = postgresMissing();
let postgres: PostgresProcess;
let s3: S3Process;
beforeAll(async () => {
  if (missing === null) [postgres, s3] = await Promise.all([startPostgres(), startS3Process()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([postgres?.stop(), s3?.stop()]);
});

let dir = "";
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "stepwise-check-pg-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run: RunRef = { entity: "e", project: "p", runId: "r" };
const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");
const STEPS = 2500;

/** A server on `database` (and S3 when `blobs`), fed `body`, then closed. */
async function withServer(
  database: string,
  blobs: boolean,
  body: (url: string) => Promise<void>,
): Promise<void> {
  const flags = { port: 0, host: "127.0.0.1", data: dir, gcIntervalS: 0, database };
  const server = await startServer(
    loadConfig(blobs ? { ...flags, blobs: `s3://${s3.bucket}` } : flags, { ...s3.env }),
    { log: () => {} },
  );
  try {
    await body(server.url);
  } finally {
    await server.close();
  }
}

async function logRun(url: string, files: Uint8Array[]): Promise<void> {
  const rows = Array.from({ length: STEPS }, (_, step) => ({ _step: step, loss: 1 / (step + 1) }));
  const ingest = await fetch(url + apiPaths.ingest(run), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ history: { offset: 0, rows } }),
  });
  expect(ingest.status).toBe(200);
  for (const bytes of files) {
    const put = await fetch(url + apiPaths.file(run, "model.ckpt"), { method: "PUT", body: bytes });
    expect(put.status).toBe(201);
  }
}

describe.skipIf(missing !== null)(`on PostgreSQL${missing === null ? "" : ` (skipped: ${missing})`}`, () => {
  test("--gc on PostgreSQL frees the blob of a replaced file past the grace period and keeps the current one", async () => {
    const database = await postgres.createDatabase();
    const first = new TextEncoder().encode("checkpoint v1\n".repeat(1000));
    const second = new TextEncoder().encode("checkpoint v2\n".repeat(1000));
    await withServer(database, false, (url) => logRun(url, [first, second]));
    const blobPath = (sha: string): string => join(dir, "files", "blobs", "sha256", sha.slice(0, 2), sha);
    const twoHoursAgo = Date.now() / 1000 - 7200;
    for (const bytes of [first, second]) await utimes(blobPath(sha256(bytes)), twoHoursAgo, twoHoursAgo);

    const gc = await runCli(["server", "--gc", "--json", "--data", dir, "--database", database]);
    expect(gc.code, gc.stderr).toBe(0);
    expect(JSON.parse(gc.stdout)).toMatchObject({
      blobs: 2,
      freed: [sha256(first)],
      bytesFreed: first.length,
    });
    expect(existsSync(blobPath(sha256(first)))).toBe(false);
    await withServer(database, false, async (url) => {
      const download = await fetch(url + apiPaths.file(run, "model.ckpt"));
      expect(download.status).toBe(200);
      expect(sha256(new Uint8Array(await download.arrayBuffer()))).toBe(sha256(second));
    });
  });

  test("--check on PostgreSQL + S3 passes a healthy store and lists a changed or deleted S3 object, a cut chunk and a history block whose bytes changed", async () => {
    const database = await postgres.createDatabase();
    const bytes = new TextEncoder().encode("weights\n".repeat(5000));
    await withServer(database, true, (url) => logRun(url, [bytes]));
    const check = (): ReturnType<typeof runCli> =>
      runCli(
        [
          "server",
          "--check",
          "--json",
          "--data",
          dir,
          "--database",
          database,
          "--blobs",
          `s3://${s3.bucket}`,
        ],
        {
          env: s3.env,
        },
      );

    const healthy = await check();
    expect(healthy.code, healthy.stderr).toBe(0);
    const report = JSON.parse(healthy.stdout) as { checked: Record<string, number> };
    expect(report).toMatchObject({ ok: true, store: "postgresql", damaged: [] });
    expect(report.checked).toMatchObject({ runs: 1, historyRows: STEPS, seriesChunks: 3, files: 1 });
    expect(report.checked.seriesRollups).toBeGreaterThan(0);

    // The same length, other bytes: only the sha256 tells.
    const key = `${s3.endpoint}/${s3.bucket}/blobs/sha256/${sha256(bytes).slice(0, 2)}/${sha256(bytes)}`;
    const overwrite = await fetch(key, {
      method: "PUT",
      body: new TextEncoder().encode("WEIGHTS\n".repeat(5000)),
    });
    expect(overwrite.ok).toBe(true);
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    try {
      await client.query(
        `UPDATE series_chunks SET y_data = substring(y_data from 1 for 100)
         WHERE chunk_index = 1 AND series_id = (SELECT id FROM series WHERE key = 'loss')`,
      );
      // Other bytes in the first history block: its sum tells.
      await client.query(
        `UPDATE history_blocks SET body = overlay(body placing convert_to('{"loss": 0.', 'UTF8') from 1)
         WHERE first_row = 0`,
      );
    } finally {
      await client.end();
    }
    const damaged = await check();
    expect(damaged.code).toBe(3);
    expect(JSON.parse(damaged.stdout)).toMatchObject({
      ok: false,
      damaged: [
        {
          run: "e/p/r",
          item: "history block",
          where: "history rows 0–999",
          problem: "checksum mismatch",
        },
        {
          run: "e/p/r",
          item: "series chunk",
          where: "series 'loss', points 1024–2047",
          problem: "its y column holds 100 bytes, 1024 points need 8192",
        },
        {
          run: "e/p/r",
          item: "file",
          where: "model.ckpt",
          problem: "content differs from the recorded sha256",
        },
      ],
    });

    expect((await fetch(key, { method: "DELETE" })).ok).toBe(true);
    const human = await runCli(["server", "--check", "--data", dir, "--database", database], {
      env: { ...s3.env, STEPWISE_BLOBS: `s3://${s3.bucket}` },
    });
    expect(human.code).toBe(3);
    expect(human.stdout).toContain("DAMAGED run e/p/r: file (model.ckpt): missing from the file store");
    expect(human.stdout).toMatch(/^Checked postgres:\/\/.*: 1 runs, 2500 history rows, 3 series chunks/m);
  }, 120_000);
});
