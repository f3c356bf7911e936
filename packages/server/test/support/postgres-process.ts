/**
 * A real PostgreSQL 15 server for tests: Debian's binaries (/usr/lib/postgresql/15/bin, the
 * `postgresql` package), a cluster made by initdb in a temp directory under the repo's .tmp,
 * listening on 127.0.0.1 on a free port with its unix socket inside that directory. PostgreSQL
 * refuses to run as root, so under root initdb and postgres run as the `postgres` system user
 * (the Debian package creates it; `runuser -u postgres`). One server per test file
 * (`startPostgres()` in beforeAll, `stop()` in afterAll); `createDatabase()` makes a fresh,
 * empty database for each test. fsync is off: these tests are about behaviour, not power cuts.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import pg from "pg";

/** Where Debian's `postgresql-15` puts the server binaries; PG_BIN overrides it. */
export const POSTGRES_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

/** Why PostgreSQL tests cannot run here (its binaries are absent), or null when they can. */
export function postgresMissing(): string | null {
  for (const tool of ["initdb", "postgres"])
    if (!existsSync(join(POSTGRES_BIN, tool)))
      return `PostgreSQL server binaries not found (${join(POSTGRES_BIN, tool)}): apt-get install postgresql`;
  return null;
}

export interface PostgresProcess {
  /** Connection URL of database `name` (user `stepwise`, no password: trust on 127.0.0.1). */
  url(name: string): string;
  /** A new, empty database (from template0); returns its URL. */
  createDatabase(): Promise<string>;
  /**
   * An outage: the server stopped at once (`pg_ctl stop -m immediate`: every connection cut),
   * down for `downMs`, then started again on the same data directory and port. Resolves once it
   * accepts connections again.
   */
  outage(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

const REPO_TMP = join(import.meta.dirname, "..", "..", "..", "..", ".tmp");
const SUPERUSER = "stepwise";
let databases = 0;

/**
 * `durableCommits`: synchronous_commit on, so that a commit survives `outage()` (an immediate
 * stop loses the commits of the last ~200 ms otherwise). fsync stays off: the OS keeps running.
 */
export async function startPostgres(options: { durableCommits?: boolean } = {}): Promise<PostgresProcess> {
  const missing = postgresMissing();
  if (missing !== null) throw new Error(missing);
  const asRoot = userInfo().uid === 0;
  const dir = tempDirectory(asRoot);
  const data = join(dir, "data");
  const socket = join(dir, "socket");
  mkdirSync(socket);
  if (asRoot) chownTree(dir);
  run(asRoot, "initdb", [
    "-D",
    data,
    "-U",
    SUPERUSER,
    "-A",
    "trust",
    "-E",
    "UTF8",
    "--locale=C",
    "--no-sync",
  ]);
  const port = await freePort();
  const launch = (): ChildProcess =>
    spawn(
      ...command(asRoot, "postgres", [
        "-D",
        data,
        "-p",
        String(port),
        "-k",
        socket,
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "fsync=off",
        "-c",
        `synchronous_commit=${options.durableCommits === true ? "on" : "off"}`,
        "-c",
        "full_page_writes=off",
        "-c",
        "max_connections=200",
      ]),
      { stdio: ["ignore", "ignore", "pipe"] },
    );
  let child = launch();
  let log = "";
  const watch = (started: ChildProcess): Promise<void> => {
    started.stderr?.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    return new Promise<void>((resolve) => started.once("exit", () => resolve()));
  };
  let exited = watch(child);
  // Under root, `child` is runuser: stop the server itself with pg_ctl (it reads the pid file).
  const pgCtlStop = (): void => {
    const [file, argv] = command(asRoot, "pg_ctl", ["stop", "-s", "-m", "immediate", "-D", data]);
    spawnSync(file, argv);
  };
  const killOnExit = (): void => pgCtlStop();
  process.once("exit", killOnExit);
  const url = (name: string): string => `postgres://${SUPERUSER}@127.0.0.1:${port}/${name}`;
  try {
    await waitUntilReady(url("postgres"), child, () => log);
  } catch (error) {
    pgCtlStop();
    child.kill("SIGKILL");
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const admin = new pg.Pool({ connectionString: url("postgres"), max: 2 });
  // Its idle connections die with outage(): not an error of the test.
  admin.on("error", () => undefined);
  return {
    url,
    createDatabase: async () => {
      const name = `t${process.pid}_${++databases}`;
      await admin.query(`CREATE DATABASE ${name} TEMPLATE template0`);
      return url(name);
    },
    outage: async (downMs) => {
      pgCtlStop();
      await exited;
      await new Promise((resolve) => setTimeout(resolve, downMs));
      child = launch();
      exited = watch(child);
      await waitUntilReady(url("postgres"), child, () => log);
    },
    stop: async () => {
      await admin.end();
      process.removeListener("exit", killOnExit);
      // Immediate: no shutdown checkpoint (seconds of writes on a loaded machine) for a cluster
      // that is removed next; waits until the server is down.
      pgCtlStop();
      await exited;
      // A cluster that held a hundred test databases is over a gigabyte: removing it took
      // 30–70 s on a loaded machine, past afterAll's limit. A detached `rm` removes it instead.
      spawn("rm", ["-rf", dir], { detached: true, stdio: "ignore" }).unref();
    },
  };
}

/** A temp directory the server's user can reach: under the repo's .tmp, else under the OS's. */
function tempDirectory(asRoot: boolean): string {
  mkdirSync(REPO_TMP, { recursive: true });
  const dir = mkdtempSync(join(REPO_TMP, "pg-"));
  chmodSync(dir, 0o755);
  if (!asRoot || spawnSync("runuser", ["-u", "postgres", "--", "test", "-x", dir]).status === 0) return dir;
  // A checkout under /root (mode 700) cannot be entered by `postgres`: use /tmp instead.
  rmSync(dir, { recursive: true, force: true });
  return mkdtempSync(join(tmpdir(), "stepwise-pg-"));
}

function chownTree(dir: string): void {
  const { uid, gid } = postgresUser();
  chownSync(dir, uid, gid);
  chownSync(join(dir, "socket"), uid, gid);
}

function postgresUser(): { uid: number; gid: number } {
  const out = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const gidOut = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (out.status !== 0 || gidOut.status !== 0)
    throw new Error(
      "running as root needs the `postgres` system user (apt-get install postgresql creates it)",
    );
  return { uid: Number(out.stdout.trim()), gid: Number(gidOut.stdout.trim()) };
}

/** `tool args`, as the `postgres` user under root. */
function command(asRoot: boolean, tool: string, args: string[]): [string, string[]] {
  const path = join(POSTGRES_BIN, tool);
  return asRoot ? ["runuser", ["-u", "postgres", "--", path, ...args]] : [path, args];
}

function run(asRoot: boolean, tool: string, args: string[]): void {
  const [file, argv] = command(asRoot, tool, args);
  const result = spawnSync(file, argv, { encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(`${tool} failed (${result.status ?? result.signal}): ${result.stderr}${result.stdout}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function waitUntilReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}: ${log()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      // No end() here: on a client whose connect failed it never settles (pg 8).
      if (Date.now() > deadline)
        throw new Error(`postgres did not start in 30 s: ${String(error)}\n${log()}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
