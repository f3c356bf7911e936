/** Runs the built `stepwise` bin in a child process, as a user's shell would. */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/stepwise.js", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[]): Promise<CliResult> {
  // The bin imports ../dist/cli/main.js: say so plainly instead of failing on a missing module.
  if (!existsSync(new URL("../../dist/cli/main.js", import.meta.url)))
    throw new Error("build first: npx tsc -b");
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number")
        reject(new Error(`could not run ${BIN}`, { cause: error }));
      else resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
    });
  });
}

/** Runs a bash script (for pipelines such as `stepwise export … | head`); rejects if bash fails. */
export function runShell(script: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile("bash", ["-c", script], (error, stdout, stderr) => {
      if (error) reject(new Error(`bash failed: ${script}`, { cause: error }));
      else resolve({ stdout, stderr });
    });
  });
}
