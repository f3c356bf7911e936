/**
 * A real `stepwise server` for a spec, started as users start it (the built CLI, which serves the
 * built web UI of packages/web/dist by default) on 127.0.0.1, a free port and a fresh temp data
 * directory. `close()` stops it and removes the directory.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../packages/cli/bin/stepwise.js", import.meta.url));
const WEB_INDEX = fileURLToPath(new URL("../../packages/web/dist/index.html", import.meta.url));

export interface E2eServer {
  url: string;
  dataDir: string;
  adminKey: string;
  close(): Promise<void>;
}

/** `args`: more `stepwise server` flags (e.g. `--no-loopback-trust` for a server that needs keys). */
export async function startE2eServer(args: readonly string[] = []): Promise<E2eServer> {
  if (!existsSync(new URL("../../packages/cli/dist/main.js", import.meta.url)))
    throw new Error("build the CLI first: npx tsc -b");
  if (!existsSync(WEB_INDEX)) throw new Error("build the web UI first: npm run build -w @stepwise/web");
  const dataDir = await mkdtemp(join(tmpdir(), "stepwise-e2e-"));
  const child = spawn(process.execPath, [BIN, "server", "--port", "0", "--data", dataDir, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, STEPWISE_CRASH_TIMEOUT_S: "600" },
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.once("exit", (code) => reject(new Error(`stepwise server exited (${code}): ${stderr}`)));
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const adminKey = (await readFile(join(dataDir, "admin-key"), "utf8")).trim();
  return {
    url,
    dataDir,
    adminKey,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
