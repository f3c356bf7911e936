/** Runs the built `stepwise` bin as a child process with its own environment and standard input. */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { BIN } from "./run-cli.js";

export interface SpawnedResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `bin` defaults to the SDK's; @stepwise/cli's tests pass their own. */
export function startCli(
  args: readonly string[],
  env: Record<string, string> = {},
  bin: string = BIN,
): ChildProcessWithoutNullStreams {
  // The bin (<package>/bin/stepwise.js) imports its package's dist: say so plainly when it is missing.
  if (!existsSync(join(dirname(bin), "..", "dist", "index.js"))) throw new Error("build first: npx tsc -b");
  return spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
}

/** Runs to the end, writing `input` to standard input first. */
export function runCliWith(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string; bin?: string } = {},
): Promise<SpawnedResult> {
  const child = startCli(args, options.env, options.bin);
  child.stdin.end(options.input ?? "");
  return collect(child);
}

export function collect(child: ChildProcessWithoutNullStreams): Promise<SpawnedResult> {
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Resolves with the first stdout line that matches, while the process keeps running. */
export function waitForLine(
  child: ChildProcessWithoutNullStreams,
  pattern: RegExp,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        child.stdout.off("data", onData);
        resolve(match);
      }
    };
    child.stdout.on("data", onData);
    child.on("close", (code) => reject(new Error(`exited ${code} before printing ${pattern}: ${seen}`)));
  });
}
