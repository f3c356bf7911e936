/** `stepwise migrate` from the built CLI bin (packages/cli/bin), as an operator runs it. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { MoveSummary } from "../src/migrate/move-summary.js";

const CLI_BIN = fileURLToPath(new URL("../../cli/bin/stepwise.js", import.meta.url));

export interface Migration {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `stepwise migrate <args>`; `killAfter` SIGKILLs it once that many runs were reported copied. */
export function migrate(
  args: string[],
  env: Record<string, string> = {},
  killAfter?: number,
): Promise<Migration> {
  const child = spawn(process.execPath, [CLI_BIN, "migrate", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    if (killAfter !== undefined && (stderr.match(/^copied /gm)?.length ?? 0) >= killAfter)
      child.kill("SIGKILL");
  });
  return new Promise((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

/** The --json summary of a migration that exited 0 with every run identical. */
export function summaryOf(run: Migration): MoveSummary {
  expect(run.stderr).not.toMatch(/differs/);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as MoveSummary;
}
