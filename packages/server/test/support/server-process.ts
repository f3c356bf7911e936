/**
 * A real server process over a given data directory (test/fixtures/serve.mjs), for tests that
 * kill it (SIGKILL mid-upload) or measure its memory apart from the test's own.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const SERVE = join(import.meta.dirname, "..", "fixtures", "serve.mjs");

export interface ServerProcess {
  url: string;
  pid: number;
  stderr: () => string;
  /** Resident set size of the server process now, in bytes (Linux /proc). */
  rss: () => number;
  /** SIGKILL (no shutdown at all) or SIGTERM (graceful); resolves when it has exited. */
  stop: (signal: "SIGKILL" | "SIGTERM") => Promise<void>;
}

export async function startServerProcess(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [SERVE, dataDir], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const first = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  const { url } = JSON.parse(first) as { url: string };
  const pid = child.pid ?? 0;
  return {
    url,
    pid,
    stderr: () => stderr,
    rss: () => {
      const line = readFileSync(`/proc/${pid}/status`, "utf8")
        .split("\n")
        .find((l) => l.startsWith("VmRSS:"));
      return Number(/(\d+)/.exec(line ?? "")?.[1] ?? "0") * 1024;
    },
    stop: async (signal) => {
      child.kill(signal);
      await exited;
    },
  };
}
