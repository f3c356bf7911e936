/**
 * `stepwise migrate` and the data directory's `database.json` (the built CLI bin, a real
 * PostgreSQL, real SQLite). Files left under --from: once every run checks out, --from is marked
 * as the target's, so that `stepwise server --gc`, `--check` and a plain start there without
 * --database refuse (exit 2, nothing freed) instead of reopening the SQLite file as it was when
 * copied; a further copy into the same database goes on, one into another is refused. With
 * --to-data, that directory is marked and --from left as it was; a copy in which a run differs
 * marks nothing.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadConfig } from "../src/config.js";
import type { MigrateSummary } from "../src/migrate/migrate-data-dir.js";
import { startServer } from "../src/server.js";
import { migrate, summaryOf } from "./migrate-cli.js";
import { loggedRuns, writeSourceData } from "./migrate-source-data.js";
import { postgresMissing, startPostgres, type PostgresProcess } from "./support/postgres-process.js";

const CLI_BIN = fileURLToPath(new URL("../../cli/bin/stepwise.js", import.meta.url));
/** No database or bucket from the environment running the tests. */
const NO_DATABASE = { STEPWISE_DATABASE_URL: "", STEPWISE_BLOBS: "" };

const missing = postgresMissing();
const runs = loggedRuns().slice(0, 8);
let postgres: PostgresProcess;
let dir = "";

beforeAll(async () => {
  if (missing !== null) return;
  postgres = await startPostgres();
  dir = await mkdtemp(join(tmpdir(), "stepwise-migrate-marker-"));
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
  if (dir !== "") await rm(dir, { recursive: true, force: true });
});

/** `stepwise <args>` from the CLI bin without a database in the environment: exit code and stderr. */
function stepwise(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ...NO_DATABASE },
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stderr })));
}

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = "";
  return parsed.toString();
}

async function markerOf(dataDir: string): Promise<{ store: string; database: string; migratedAt?: string }> {
  return JSON.parse(await readFile(join(dataDir, "database.json"), "utf8")) as {
    store: string;
    database: string;
    migratedAt?: string;
  };
}

const sha256 = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");
const filePath = (dataDir: string, sha: string): string =>
  join(dataDir, "files", "blobs", "sha256", sha.slice(0, 2), sha);

describe.skipIf(missing !== null)("stepwise migrate and database.json", () => {
  test("files left under --from: the directory is marked, and a plain server, --gc or --check there refuses", async () => {
    const source = join(dir, "in-place");
    await writeSourceData(source, runs);
    const url = new URL(await postgres.createDatabase());
    url.password = "s3cret"; // trust authentication ignores it; the marker must not keep it
    const first = await migrate(["--from", source, "--to", url.toString(), "--json"], NO_DATABASE);
    const summary = summaryOf(first) as MigrateSummary;
    expect(summary.marker).toEqual({ path: join(source, "database.json"), written: true });
    expect(first.stderr).toContain(
      `wrote ${join(source, "database.json")}: start the new servers with --data ${source}`,
    );
    const marker = await markerOf(source);
    expect(marker).toMatchObject({ store: "postgresql", database: withoutPassword(url.toString()) });
    expect(JSON.stringify(marker)).not.toContain("s3cret");
    expect(Date.parse(marker.migratedAt ?? "")).toBeGreaterThan(Date.now() - 600_000);

    const files = runs.flatMap((r) => r.files.map((f) => filePath(source, sha256(f.bytes))));
    for (const action of ["--gc", "--check"]) {
      const refused = await stepwise(["server", action, "--data", source]);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(`belongs to the PostgreSQL database ${marker.database}`);
      expect(refused.stderr).toContain(`copied there by stepwise migrate at ${marker.migratedAt}`);
      expect(refused.stderr).toContain(`run ${action} with --database postgres://`);
    }
    const start = await stepwise(["server", "--port", "0", "--data", source]);
    expect(start.code, start.stderr).toBe(2);
    expect(start.stderr).toContain("start with --database postgres://");
    expect(start.stderr).toContain("holds the runs as they were when copied");
    expect(start.stderr).toContain("delete database.json first");
    expect(files.filter((path) => !existsSync(path))).toEqual([]);

    // A last copy into the same database (after stopping the old server) goes on.
    const again = summaryOf(await migrate(["--from", source, "--to", url.toString(), "--json"], NO_DATABASE));
    expect(again.runs).toMatchObject({ total: runs.length, copied: 0, unchanged: runs.length });
    // The marker names the last copy that checked out.
    const last = await markerOf(source);
    expect(last.database).toBe(marker.database);
    expect(Date.parse(last.migratedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(marker.migratedAt ?? ""));
    // One into another database is refused before anything is copied.
    const other = await postgres.createDatabase();
    const refused = await migrate(["--from", source, "--to", other], NO_DATABASE);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(
      `are in PostgreSQL ${marker.database}, not in --to ${withoutPassword(other)}`,
    );
    const client = new pg.Client({ connectionString: other });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT to_regclass('runs') AS runs");
      expect(rows[0]).toEqual({ runs: null });
    } finally {
      await client.end();
    }

    // The new servers on the database and this directory keep the migrate's time in the marker.
    const server = await startServer(
      loadConfig(
        { port: 0, host: "127.0.0.1", data: source, database: url.toString(), trustLoopback: false },
        {},
      ),
      { log: () => undefined },
    );
    await server.close();
    expect(await markerOf(source)).toEqual(last);
  }, 300_000);

  test("--to-data: that directory is marked and --from left as it was; a copy in which a run differs marks nothing", async () => {
    const source = join(dir, "source");
    const target = join(dir, "target");
    await writeSourceData(source, runs);
    const url = await postgres.createDatabase();
    const first = summaryOf(
      await migrate(["--from", source, "--to", url, "--to-data", target, "--json"], NO_DATABASE),
    );
    expect((first as MigrateSummary).marker).toEqual({ path: join(target, "database.json"), written: true });
    expect((await markerOf(target)).database).toBe(withoutPassword(url));
    expect(existsSync(join(source, "database.json"))).toBe(false);
    const check = await stepwise(["server", "--check", "--data", source]);
    expect(check.code, check.stderr).toBe(0);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(
      `UPDATE stream_lines SET body = 'changed' WHERE stream = 'console' AND line_index = 3
       AND run_pk = (SELECT pk FROM runs WHERE run_id = 'run004')`,
    );
    await client.end();
    await rm(join(target, "database.json"));
    const damaged = await migrate(["--from", source, "--to", url, "--to-data", target], NO_DATABASE);
    expect(damaged.code, damaged.stderr).toBe(3);
    expect(damaged.stderr).toContain(
      `${join(target, "database.json")} not written: it is written once every run checks out`,
    );
    expect(existsSync(join(target, "database.json"))).toBe(false);
  }, 300_000);
});
