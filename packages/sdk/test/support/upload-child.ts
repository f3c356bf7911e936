/** Runs test/fixtures/upload-*.mjs in a child process and reads the JSON lines it prints. */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { RunPath } from "./server-process.js";

export interface UploadChild {
  child: ChildProcess;
  /** The first line: where the run is. */
  run: Promise<RunPath & { dir: string }>;
  /** Resolves with the exit code, every later JSON line, and stderr. */
  exit: Promise<{ code: number | null; lines: Array<Record<string, unknown>>; stderr: string }>;
  /** What the child has written to stderr so far (for diagnosing one that does not exit). */
  stderrSoFar(): string;
}

export function startUploadChild(
  fixture: string,
  args: string[],
  env: Record<string, string> = {},
): UploadChild {
  const script = fileURLToPath(new URL(`../fixtures/${fixture}`, import.meta.url));
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, STEPWISE_HEARTBEAT_S: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let stderr = "";
  const lines: Array<Record<string, unknown>> = [];
  let first: ((value: RunPath & { dir: string }) => void) | null = null;
  const run = new Promise<RunPath & { dir: string }>((resolve) => (first = resolve));
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    let newline;
    while ((newline = out.indexOf("\n")) !== -1) {
      const line = JSON.parse(out.slice(0, newline)) as Record<string, unknown>;
      out = out.slice(newline + 1);
      if (first) {
        first(line as unknown as RunPath & { dir: string });
        first = null;
      } else lines.push(line);
    }
  });
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; lines: Array<Record<string, unknown>>; stderr: string }>(
    (resolve) => child.once("exit", (code) => resolve({ code, lines, stderr })),
  );
  return { child, run, exit, stderrSoFar: () => stderr };
}
