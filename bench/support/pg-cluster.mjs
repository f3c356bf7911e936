// A real PostgreSQL 15 cluster for the benches (bench/postgres.mjs): Debian's binaries
// (/usr/lib/postgresql/15/bin, PG_BIN overrides), initdb into a temp directory under the repo's
// .tmp, listening on 127.0.0.1 on a free port; under root it runs as the `postgres` user (as
// packages/server/test/support/postgres-process.ts does for the tests). Unlike the tests' cluster,
// durability is left as a production server has it — fsync on, synchronous_commit on,
// full_page_writes on — because a bench should pay what an operator pays; shared_buffers is
// raised from the 128 MB default to 512 MB (a quarter of a small dedicated box is the usual
// advice; the bench's data is ~1–2 GB). `stop()` stops it and removes the directory.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
const REPO_TMP = fileURLToPath(new URL("../../.tmp", import.meta.url));
const USER = "stepwise";

/** The settings the bench runs with, printed beside its numbers. */
export const PG_SETTINGS = {
  fsync: "on",
  synchronous_commit: "on",
  full_page_writes: "on",
  shared_buffers: "512MB",
  max_connections: "200",
  shared_preload_libraries: "pg_stat_statements",
};

/**
 * Starts the cluster: `{ url(db), createDatabase(name), postmasterPid, query(sql), stop() }`.
 * Throws with the fix when the binaries are missing.
 */
export async function startPgCluster() {
  for (const tool of ["initdb", "postgres", "pg_ctl"])
    if (!existsSync(join(BIN, tool)))
      throw new Error(`PostgreSQL binaries not found (${join(BIN, tool)}): apt-get install postgresql`);
  const asRoot = userInfo().uid === 0;
  const dir = tempDirectory(asRoot);
  const data = join(dir, "data");
  const socket = join(dir, "socket");
  mkdirSync(socket);
  if (asRoot) for (const path of [dir, socket]) chownSync(path, ...postgresIds());
  try {
    run(asRoot, "initdb", ["-D", data, "-U", USER, "-A", "trust", "-E", "UTF8", "--locale=C"]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const port = await freePort();
  const settings = Object.entries(PG_SETTINGS).flatMap(([k, v]) => ["-c", `${k}=${v}`]);
  const args = ["-D", data, "-p", String(port), "-k", socket, "-c", "listen_addresses=127.0.0.1"];
  const child = spawn(...command(asRoot, "postgres", [...args, ...settings]), {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr.on("data", (chunk) => (log = (log + chunk).slice(-4000)));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const pgCtlStop = () => spawnSync(...command(asRoot, "pg_ctl", ["stop", "-s", "-m", "fast", "-D", data]));
  process.once("exit", pgCtlStop);
  const url = (name) => `postgres://${USER}@127.0.0.1:${port}/${name}`;
  try {
    await waitUntilReady(url("postgres"), child, () => log);
  } catch (error) {
    pgCtlStop();
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const admin = new pg.Pool({ connectionString: url("postgres"), max: 2 });
  await admin.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  return {
    url,
    /** The postmaster's pid (its backends are its children): for CPU accounting. */
    postmasterPid: Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]),
    async createDatabase(name) {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE template0`);
      const pool = new pg.Pool({ connectionString: url(name), max: 1 });
      await pool.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      await pool.end();
      return url(name);
    },
    /** A statement on database `name` (default postgres); returns its rows. */
    async query(sql, name = "postgres") {
      const pool = new pg.Pool({ connectionString: url(name), max: 1 });
      try {
        return (await pool.query(sql)).rows;
      } finally {
        await pool.end();
      }
    },
    async stop() {
      await admin.end();
      process.removeListener("exit", pgCtlStop);
      pgCtlStop();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Under the repo's .tmp (the `postgres` user must reach it), else under the OS's temp dir. */
function tempDirectory(asRoot) {
  mkdirSync(REPO_TMP, { recursive: true });
  const dir = mkdtempSync(join(REPO_TMP, "bench-pg-"));
  chmodSync(dir, 0o755);
  if (!asRoot || spawnSync("runuser", ["-u", "postgres", "--", "test", "-x", dir]).status === 0) return dir;
  rmSync(dir, { recursive: true, force: true });
  const fallback = mkdtempSync(join(tmpdir(), "stepwise-bench-pg-"));
  chmodSync(fallback, 0o755);
  return fallback;
}

function postgresIds() {
  const id = (flag) => spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  const [uid, gid] = [id("-u"), id("-g")];
  if (uid.status !== 0 || gid.status !== 0)
    throw new Error("running as root needs the `postgres` system user (apt-get install postgresql)");
  return [Number(uid.stdout.trim()), Number(gid.stdout.trim())];
}

function command(asRoot, tool, args) {
  const path = join(BIN, tool);
  return asRoot ? ["runuser", ["-u", "postgres", "--", path, ...args]] : [path, args];
}

function run(asRoot, tool, args) {
  const result = spawnSync(...command(asRoot, tool, args), { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr}${result.stdout}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url, child, log) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}: ${log()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`postgres did not start in 60 s: ${error}\n${log()}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
