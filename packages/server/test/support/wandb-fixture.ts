/**
 * The setup every test with the real `wandb` Python client shares: the client's venv for one
 * pinned version (support/wandb-venv.ts), a temp folder (the script's HOME, WANDB_DIR and the
 * server's data), a real Stepwise server process and its admin key, Stepwise's own API to read
 * back what a script logged, and a runner for scripts pointed at the server with the two
 * variables docs/wandb.md names (WANDB_BASE_URL, WANDB_API_KEY) and nothing else.
 *
 * `useWandb(version, name)` registers the beforeAll/afterAll hooks inside a describe block and
 * returns the fixture, whose fields are set once beforeAll has run.
 */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect } from "vitest";
import { parseExtended } from "@stepwise/protocol";
import { startServerProcess, type ServerProcess } from "./server-process.js";
import { WANDB_VERSIONS, wandbPython } from "./wandb-venv.js";

export const WANDB_FIXTURES = join(import.meta.dirname, "..", "fixtures", "wandb");
const runFile = promisify(execFile);

/** The pinned versions, or only the one STEPWISE_WANDB_VERSION names. */
export function wandbVersions(): readonly string[] {
  const only = process.env["STEPWISE_WANDB_VERSION"];
  return WANDB_VERSIONS.filter((v) => only === undefined || v === only);
}

/** The newest pinned version (or the one STEPWISE_WANDB_VERSION names): for the heavy tests. */
export function newestWandbVersion(): string {
  return process.env["STEPWISE_WANDB_VERSION"] ?? WANDB_VERSIONS[WANDB_VERSIONS.length - 1] ?? "";
}

/**
 * The oldest and the newest pinned versions (or the one STEPWISE_WANDB_VERSION names): for tests
 * of a path where the oldest client differs (0.18.7 looks an artifact up from Python).
 */
export function oldestAndNewestWandbVersions(): readonly string[] {
  const only = process.env["STEPWISE_WANDB_VERSION"];
  if (only !== undefined) return [only];
  return [...new Set([WANDB_VERSIONS[0], newestWandbVersion()])];
}

export type HistoryRow = Record<string, unknown>;

export interface WandbFixture {
  readonly version: string;
  /** The temp folder: the scripts' HOME, cwd and WANDB_DIR; the server's data is `data/` in it. */
  dir: string;
  key: string;
  python: string;
  server: ServerProcess;
  /** GET Stepwise's `/api/v1{path}` with the admin key; expects 200 and returns the body. */
  api: (path: string) => Promise<string>;
  /** POST a JSON body to Stepwise's `/api/v1{path}` with the admin key; expects 200, returns the parsed answer. */
  post: (path: string, body: unknown) => Promise<unknown>;
  /** GET a server-relative URL (`/api/v1/…`, as the API hands them out) as bytes; expects 200. */
  bytes: (url: string) => Promise<Buffer>;
  /** A run's history rows (`path` is `/runs/entity/project/id`), NaN and ±Infinity kept. */
  history: (path: string) => Promise<HistoryRow[]>;
  /** A run's console line texts. */
  consoleText: (path: string) => Promise<string[]>;
  /** The environment a W&B script runs with (plus `extra`). */
  env: (extra?: Record<string, string>) => Record<string, string>;
  /** Runs `fixtures/wandb/<file>` with the venv's python; its stdout, or an error with both logs. */
  script: (
    file: string,
    args: string[],
    extra?: Record<string, string>,
    timeoutMs?: number,
  ) => Promise<string>;
  /**
   * SIGKILLs the server, runs `whileDown`, waits `downMs`, and starts the server again on the
   * same data and port (only with `fixedPort`); resolves once it listens.
   */
  restart: (downMs: number, whileDown?: () => Promise<void>) => Promise<void>;
  /** Runs any program (the venv's `wandb` CLI, say) with the same environment. */
  exec: (file: string, args: string[], extra?: Record<string, string>, timeoutMs?: number) => Promise<string>;
}

export interface WandbOptions {
  /** Pinned pip requirements the scripts import besides wandb (support/wandb-venv.ts). */
  extras?: readonly string[];
  /** The server listens on a port chosen once, so `restart` finds it at the same URL. */
  fixedPort?: boolean;
  /** Make the Python venv (default); false for tests of other clients (`@wandb/sdk`). */
  python?: boolean;
}

/**
 * Registers the hooks that make the fixture (inside a describe block) and returns it.
 */
export function useWandb(version: string, name: string, options: WandbOptions = {}): WandbFixture {
  const { extras = [], fixedPort = false, python = true } = options;
  let port = 0;
  const fixture: WandbFixture = {
    version,
    dir: "",
    key: "",
    python: "",
    server: undefined as unknown as ServerProcess,
    api: async (path) => {
      const response = await fetch(`${fixture.server.url}/api/v1${path}`, {
        headers: { authorization: `Bearer ${fixture.key}` },
      });
      const text = await response.text();
      expect(response.status, text).toBe(200);
      return text;
    },
    post: async (path, body) => {
      const response = await fetch(`${fixture.server.url}/api/v1${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${fixture.key}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      expect(response.status, text).toBe(200);
      return JSON.parse(text) as unknown;
    },
    bytes: async (url) => {
      const response = await fetch(`${fixture.server.url}${url}`, {
        headers: { authorization: `Bearer ${fixture.key}` },
      });
      expect(response.status, url).toBe(200);
      return Buffer.from(await response.arrayBuffer());
    },
    history: async (path) =>
      (await fixture.api(`${path}/history?format=ndjson`))
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => parseExtended(line) as HistoryRow),
    consoleText: async (path) =>
      (JSON.parse(await fixture.api(`${path}/console`)) as { lines: Array<{ text: string }> }).lines.map(
        (line) => line.text,
      ),
    env: (extra = {}) => ({
      PATH: process.env["PATH"] ?? "/usr/bin:/bin",
      HOME: fixture.dir,
      WANDB_BASE_URL: fixture.server.url,
      WANDB_API_KEY: fixture.key,
      WANDB_DIR: fixture.dir,
      WANDB_CONFIG_DIR: join(fixture.dir, "config"),
      WANDB_CACHE_DIR: join(fixture.dir, "cache"),
      ...extra,
    }),
    restart: async (downMs, whileDown) => {
      expect(fixedPort, "restart needs useWandb(…, { fixedPort: true })").toBe(true);
      await fixture.server.stop("SIGKILL");
      await whileDown?.();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      fixture.server = await startServerOnPort(join(fixture.dir, "data"), port);
    },
    script: (file, args, extra, timeoutMs) =>
      fixture.exec(fixture.python, [join(WANDB_FIXTURES, file), ...args], extra, timeoutMs),
    exec: async (file, args, extra = {}, timeoutMs = 240_000) => {
      try {
        const options = { env: fixture.env(extra), cwd: fixture.dir, timeout: timeoutMs };
        return (await runFile(file, args, options)).stdout;
      } catch (error) {
        const { stdout, stderr } = error as { stdout?: string; stderr?: string };
        throw new Error(
          `${file} ${args.join(" ")} failed:\n${stdout ?? ""}\n${stderr ?? ""}\nserver log:\n${fixture.server.stderr()}`,
          { cause: error },
        );
      }
    },
  };

  beforeAll(async () => {
    // The first run installs the client from PyPI (a minute or two); later runs reuse it.
    if (python) fixture.python = await wandbPython(version, extras);
    fixture.dir = await mkdtemp(join(tmpdir(), `stepwise-wandb-${name}-`));
    if (fixedPort) {
      port = await freePort();
      fixture.server = await startServerOnPort(join(fixture.dir, "data"), port);
    } else fixture.server = await startServerProcess(join(fixture.dir, "data"));
    fixture.key = (await readFile(join(fixture.dir, "data", "admin-key"), "utf8")).trim();
  }, 900_000);

  afterAll(async () => {
    await fixture.server?.stop("SIGTERM");
    if (fixture.dir !== "") await rm(fixture.dir, { recursive: true, force: true });
  });

  return fixture;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const DIST = pathToFileURL(join(import.meta.dirname, "..", "..", "dist", "index.js")).href;

/**
 * A server process on a fixed port (test/fixtures/serve.mjs always picks a free one): a test that
 * SIGKILLs the server and starts it again needs the client to find it at the same address.
 */
export async function startServerOnPort(dataDir: string, port: number): Promise<ServerProcess> {
  const code =
    `import { loadConfig, startServer } from ${JSON.stringify(DIST)};` +
    `const config = loadConfig({ port: Number(process.argv[2]), host: "127.0.0.1", data: process.argv[1] }, process.env);` +
    `const server = await startServer(config, { log: (line) => process.stderr.write(line + "\\n") });` +
    `process.stdout.write(JSON.stringify({ url: server.url }) + "\\n");` +
    `process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", code, dataDir, String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) resolve((JSON.parse(out.slice(0, out.indexOf("\n"))) as { url: string }).url);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  const pid = child.pid ?? 0;
  return {
    url,
    pid,
    stderr: () => stderr,
    rss: () => 0,
    stop: async (signal) => {
      child.kill(signal);
      await exited;
    },
  };
}
