/**
 * A data directory whose runs are in PostgreSQL (the built bin): the server on `--database`
 * creates no SQLite file there and names its database in `database.json` (without password).
 * `--gc` and `--check` run later without `--database` (a shell without STEPWISE_DATABASE_URL)
 * refuse with exit 2 and free nothing, and a plain `stepwise server` refuses to start an empty
 * SQLite store beside the PostgreSQL runs' files. Before, `--gc` collected against the empty
 * SQLite file the PostgreSQL server had left and freed every run file.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { apiPaths, type RunRef } from "@stepwise/protocol";
import { collect, waitForLine } from "../../sdk/test/cli/spawn-cli.js";
import {
  postgresMissing,
  startPostgres,
  type PostgresProcess,
} from "../../server/test/support/postgres-process.js";
import { runCli, startCli } from "./cli-bin.js";

const missing = postgresMissing();
let postgres: PostgresProcess;
beforeAll(async () => {
  if (missing === null) postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
});

let dir = "";
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "stepwise-marker-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run: RunRef = { entity: "e", project: "p", runId: "r" };
const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");
const blobPath = (sha: string): string => join(dir, "files", "blobs", "sha256", sha.slice(0, 2), sha);
/** No STEPWISE_DATABASE_URL from the environment running the tests. */
const noDatabaseEnv = { STEPWISE_DATABASE_URL: "" };

/** `stepwise server` on `database` (the real process) until `body` is done, then SIGTERM. */
async function withServer(database: string, body: (url: string) => Promise<void>): Promise<void> {
  const child = startCli([
    "server",
    "--port",
    "0",
    "--data",
    dir,
    "--database",
    database,
    "--gc-interval",
    "0",
  ]);
  const done = collect(child);
  try {
    const [, url] = await waitForLine(child, /listening on (http:\/\/\S+)/);
    await body(url ?? "");
  } finally {
    child.kill("SIGTERM");
    expect((await done).code).toBe(0);
  }
}

describe.skipIf(missing !== null)(`on PostgreSQL${missing === null ? "" : ` (skipped: ${missing})`}`, () => {
  test("a server on PostgreSQL leaves no stepwise.db; --gc, --check and a plain start without --database refuse and free nothing", async () => {
    // A password in the URL (trust authentication ignores it) that the marker must not keep.
    const withPassword = new URL(await postgres.createDatabase());
    withPassword.password = "s3cret";
    const database = withPassword.toString();
    const bytes = new TextEncoder().encode("checkpoint\n".repeat(1000));
    await withServer(database, async (url) => {
      const ingest = await fetch(url + apiPaths.ingest(run), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ history: { offset: 0, rows: [{ _step: 0, loss: 1 }] } }),
      });
      expect(ingest.status).toBe(200);
      const put = await fetch(url + apiPaths.file(run, "model.ckpt"), { method: "PUT", body: bytes });
      expect(put.status).toBe(201);
    });
    for (const suffix of ["", "-wal", "-shm", "-journal"])
      expect(existsSync(join(dir, `stepwise.db${suffix}`))).toBe(false);
    const marker = await readFile(join(dir, "database.json"), "utf8");
    expect(marker).not.toContain("s3cret");
    const named = JSON.parse(marker) as { store: string; database: string };
    expect(named.store).toBe("postgresql");
    withPassword.password = "";
    expect(named.database).toBe(withPassword.toString());
    // Past the grace period: a collection against no runs would free it.
    const twoHoursAgo = Date.now() / 1000 - 7200;
    await utimes(blobPath(sha256(bytes)), twoHoursAgo, twoHoursAgo);

    for (const action of ["--gc", "--check"]) {
      const refused = await runCli(["server", action, "--data", dir], { env: noDatabaseEnv });
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(`run ${action} with --database postgres://`);
      expect(refused.stderr).toContain(named.database);
    }
    const start = await runCli(["server", "--port", "0", "--data", dir], { env: noDatabaseEnv });
    expect(start.code, start.stderr).toBe(2);
    expect(start.stderr).toContain("start with --database postgres://");
    expect(start.stderr).toContain("delete database.json");
    expect(existsSync(join(dir, "stepwise.db"))).toBe(false);
    expect(existsSync(blobPath(sha256(bytes)))).toBe(true);

    await withServer(database, async (url) => {
      const download = await fetch(url + apiPaths.file(run, "model.ckpt"));
      expect(download.status).toBe(200);
      expect(sha256(new Uint8Array(await download.arrayBuffer()))).toBe(sha256(bytes));
    });
  }, 60_000);
});

test("--gc without --database on a data directory with run files and only an empty stepwise.db (left by an older server on PostgreSQL) refuses and frees nothing", async () => {
  const sha = sha256(new TextEncoder().encode("weights"));
  await mkdir(join(dir, "files", "blobs", "sha256", sha.slice(0, 2)), { recursive: true });
  await writeFile(blobPath(sha), "weights");
  const twoHoursAgo = Date.now() / 1000 - 7200;
  await utimes(blobPath(sha), twoHoursAgo, twoHoursAgo);
  await writeFile(join(dir, "stepwise.db"), "");

  const gc = await runCli(["server", "--gc", "--data", dir], { env: noDatabaseEnv });
  expect(gc.code, gc.stderr).toBe(2);
  expect(gc.stderr).toContain("holds run files but no SQLite database");
  expect(gc.stderr).toContain("run --gc with --database postgres://");
  expect(existsSync(blobPath(sha))).toBe(true);
});
