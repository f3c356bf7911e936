/** A run the program never finished is finished by the process's end (reference §4.3). */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readOfflineRun } from "../src/index.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
const script = fileURLToPath(new URL("./fixtures/exit-scenario.mjs", import.meta.url));

async function runScenario(
  scenario: string,
): Promise<{ dir: string; code: number | null; signal: string | null }> {
  const root = tempDir();
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [script, root, scenario]);
    return { dir: stdout.trim(), code: 0, signal: null };
  } catch (error) {
    const failed = error as { stdout: string; code: number | null; signal: string | null };
    return { dir: failed.stdout.trim(), code: failed.code, signal: failed.signal };
  }
}

describe("finishing at process exit", () => {
  it.each([
    ["return", 0, "finished"],
    ["exit-code", 3, "failed"],
    ["throw", 1, "failed"],
    ["reject", 1, "failed"],
    ["sigint", 255, "failed"],
  ] as const)("%s → exit code %i, state %s, nothing lost", async (scenario, exitCode, state) => {
    const { dir } = await runScenario(scenario);
    const run = readOfflineRun(dir);
    expect(run.info.exitCode).toBe(exitCode);
    expect(run.info.state).toBe(state);
    expect(run.info.historyRows).toBe(1);
    expect(run.summary["a"]).toBe(1);
  });

  it("a SIGINT still ends the process by the signal", async () => {
    const { signal } = await runScenario("sigint");
    expect(signal).toBe("SIGINT");
  });
});
