/**
 * A real Stepwise server in a child process (`stepwise server` from the built CLI), so that a
 * test can SIGKILL it and start it again on the same port and data directory.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll } from "vitest";
import { parseExtended } from "@stepwise/protocol";
import { getRun } from "../../src/index.js";

const BIN = fileURLToPath(new URL("../../../cli/bin/stepwise.js", import.meta.url));

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startServerProcess(
  dataDir: string,
  options: { port?: number; crashTimeoutS?: number; env?: Record<string, string> } = {},
): Promise<ServerProcess> {
  if (!existsSync(new URL("../../../cli/dist/main.js", import.meta.url)))
    throw new Error("build first: npx tsc -b");
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [BIN, "server", "--port", String(port), "--data", dataDir], {
    env: { ...process.env, STEPWISE_CRASH_TIMEOUT_S: String(options.crashTimeoutS ?? 60), ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    url,
    port,
    child,
    kill: async (signal = "SIGKILL") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/**
 * A port nobody listens on right now, for "server down" and for restarts on a known port. It is
 * taken below the kernel's ephemeral range (32768–60999 on Linux): servers that other tests start
 * with port 0, and outgoing connections, only get ports from that range, so while a test's server
 * is down for a restart no other test's server can take its port (two tests running at once did:
 * one test's runs then uploaded to the other's server, which that test SIGSTOPped).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error("no free port found in 20000–31999");
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export interface RunPath {
  entity: string;
  project: string;
  id: string;
}

/** GET the run; null when the server does not know it. */
export async function fetchRun(url: string, run: RunPath): Promise<Record<string, unknown> | null> {
  const response = await fetch(`${url}/api/v1/runs/${run.entity}/${run.project}/${run.id}`);
  if (response.status === 404) return null;
  const body = parseExtended(await response.text()) as Record<string, unknown>;
  return (body["run"] as Record<string, unknown> | undefined) ?? body;
}

/** Every history row the server has, in order. */
export async function fetchHistory(url: string, run: RunPath): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(
    `${url}/api/v1/runs/${run.entity}/${run.project}/${run.id}/history?format=ndjson`,
  );
  if (!response.ok) throw new Error(`history: HTTP ${response.status} ${await response.text()}`);
  const text = await response.text();
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => parseExtended(line) as Record<string, unknown>);
}

/** Polls `check` every 100 ms until it returns true or `timeoutMs` passes. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * For tests that each need a fresh server: `const startServer = useServerPerTest(tempDir)`;
 * after each test the active run is finished and every server started is stopped.
 */
export function useServerPerTest(tempDir: () => string): () => Promise<ServerProcess> {
  const started: ServerProcess[] = [];
  afterEach(async () => {
    await getRun()?.finish();
    for (const server of started.splice(0)) await server.kill("SIGTERM");
  });
  return async () => {
    const server = await startServerProcess(tempDir());
    started.push(server);
    return server;
  };
}

/**
 * One server process for a whole test file, on its own data directory, and a `tempDir()` whose
 * directories live as long: started before the file's tests, stopped (and awaited) and removed
 * after them. `server.url` is valid inside tests.
 */
export function useServerForFile(): { server: { readonly url: string }; tempDir: () => string } {
  const made: string[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), "stepwise-test-"));
    made.push(dir);
    return dir;
  };
  let running: ServerProcess | undefined;
  beforeAll(async () => {
    running = await startServerProcess(tempDir());
  });
  afterAll(async () => {
    await running?.kill("SIGTERM");
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    server: {
      get url(): string {
        if (running === undefined) throw new Error("the file's server runs only inside its tests");
        return running.url;
      },
    },
    tempDir,
  };
}
